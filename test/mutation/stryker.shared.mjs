// Stryker options shared by every group (see groups.mjs); the machine has two cores shared with other
// work, so one mutant runs at a time.
import { groups, THRESHOLD } from './groups.mjs';

/** @returns {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export function strykerConfig(name) {
  return {
    testRunner: 'vitest',
    vitest: { configFile: `test/mutation/vitest.${name}.config.mjs`, related: true },
    coverageAnalysis: 'perTest',
    mutate: groups[name].mutate,
    concurrency: 1,
    // A mutant whose tests run longer than their unmutated time × 1.5 + timeoutMS counts as detected
    // (an endless loop is a bug the tests caught) and its test process is replaced: none can hang.
    timeoutMS: groups[name].timeoutMS ?? 5_000,
    incremental: true,
    incrementalFile: `test/mutation/${name}.incremental.json`,
    ignorePatterns: ['data', 'out', 'bench', 'docs', 'reports', '.ci', '.stryker-tmp*'],
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
    reporters: ['clear-text', 'progress', 'json'],
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
    clearTextReporter: { allowColor: false, reportScoreTable: true, reportMutants: true, reportTests: false },
    // The per-module threshold is checked by scripts/mutation.mjs; this one guards the group as a whole.
    thresholds: { high: 95, low: THRESHOLD, break: THRESHOLD },
  };
}
