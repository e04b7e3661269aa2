// The tests Stryker runs against each mutant of a group: the fast ones that exercise its modules (no
// spawned processes, no platform stand-ins), so a mutant takes seconds, not minutes.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** @param {string[]} tests */
export const vitestConfig = (tests) =>
  defineConfig({
    root: fileURLToPath(new URL('../..', import.meta.url)),
    test: { include: tests, testTimeout: 30_000, hookTimeout: 90_000 },
  });
