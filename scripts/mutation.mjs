#!/usr/bin/env node
// `npm run test:mutation [-- --force] [-- --group text|guards|delivery]`: runs Stryker on each group of
// test/mutation/groups.mjs, incrementally against the committed baselines (--force re-tests every
// mutant), then prints each module's mutation score and fails when one is below the threshold.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_GROUPS, groups, THRESHOLD } from '../test/mutation/groups.mjs';

const { values } = parseArgs({ options: { force: { type: 'boolean', default: false }, group: { type: 'string', multiple: true } } });
const chosen = values.group ?? DEFAULT_GROUPS;
for (const name of chosen) {
  if (!(name in groups)) {
    console.error(`test:mutation: no group "${name}"; the groups are ${Object.keys(groups).join(', ')}`);
    process.exit(2);
  }
}

// With DATABASE_URL set, the tests that need the shipped plan copy it from a template database on
// that server (test/support/database.ts): several times faster per mutant than the embedded database.

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const rows = [];
let failed = false;
for (const name of chosen) {
  const args = ['stryker', 'run', `test/mutation/${name}.config.mjs`, ...(values.force ? ['--force'] : [])];
  // A report left by an earlier run must not pass for this one's when Stryker stops before writing.
  const reportFile = `reports/mutation/${name}.json`;
  rmSync(reportFile, { force: true });
  const run = spawnSync('npx', args, { stdio: 'inherit' });
  if (run.status !== 0) failed = true;
  if (!existsSync(reportFile)) {
    console.error(`test:mutation: the ${name} group gave no report (Stryker stopped early, see above)`);
    failed = true;
    continue;
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
    const undetected = mutants.filter((m) => UNDETECTED.has(m.status)).length;
    const score = detected + undetected === 0 ? 100 : (100 * detected) / (detected + undetected);
    rows.push({ file, mutants: mutants.length, detected, undetected, score });
  }
}

console.log(`\nMutation score per module (threshold ${THRESHOLD}%):`);
console.log(`| module | mutants | detected | survived | score |\n|---|---|---|---|---|`);
for (const r of rows) {
  const below = r.score < THRESHOLD;
  if (below) failed = true;
  console.log(`| \`${r.file}\` | ${r.mutants} | ${r.detected} | ${r.undetected} | ${r.score.toFixed(1)}%${below ? ' BELOW THRESHOLD' : ''} |`);
}
process.exit(failed ? 1 : 0);
