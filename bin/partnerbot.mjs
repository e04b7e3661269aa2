#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (built by `npm install` through `prepare`): it starts without
// compiling anything. Where dist/ is missing, or older than a source file (a developer edited one
// since the last build, or checked out another commit), the TypeScript sources run through tsx
// instead, so what runs is always what the sources say.
import { existsSync, readdirSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const compiled = new URL('dist/src/cli.js', root);

/** The newest modification time among the compiled directories' sources (a few ms for ~200 files). */
function newestSource() {
  let newest = 0;
  for (const dir of ['src', 'commands', 'adapters']) {
    const base = new URL(`${dir}/`, root);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs);
    }
  }
  return newest;
}

if (existsSync(compiled) && statSync(compiled).mtimeMs >= newestSource()) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
