// A command loads only what it uses: the shell and `tick` never load a chat platform's SDK, nor the
// chart renderer until a chart is drawn. Checked on real processes, with a loader hook recording
// every module they resolve.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'partnerbot-loads-'));
let runs = 0;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `partnerbot ARGS` and returns the packages it loaded (`discord.js`, `@slack/bolt`, …). */
function packagesLoadedBy(args: string[], input = '', env: Record<string, string> = {}): Set<string> {
  const record = join(dir, `loads-${++runs}.txt`);
  const { DATABASE_URL: _server, PARTNERBOT_PARTNERSHIP: _p, ...rest } = process.env;
  // Run in the temporary directory: a chart is written to ./out.
  const run = spawnSync(process.execPath, ['--import', join(ROOT, 'test/support/record-loads.mjs'), join(ROOT, 'bin/partnerbot.mjs'), ...args], {
    cwd: dir,
    input,
    encoding: 'utf8',
    env: { ...rest, PARTNERBOT_DATA_DIR: join(dir, 'data'), RECORD_LOADS_TO: record, ...env },
    timeout: 120_000,
  });
  expect(run.status, run.stderr).toBe(0);
  const urls = readFileSync(record, 'utf8').split('\n');
  return new Set(urls.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []));
}

const PLATFORM_SDKS = ['discord.js', '@slack/bolt'];
const CHART_RENDERER = '@resvg/resvg-js';

describe('what a command loads', { timeout: 240_000 }, () => {
  it('the shell answering commands loads the database client, and no chat SDK nor the chart renderer', () => {
    const loaded = packagesLoadedBy(['shell', '--now', '2025-11-20'], 'actions\ndue\nme\n');
    expect(loaded).toContain('@prisma/client');
    for (const sdk of [...PLATFORM_SDKS, CHART_RENDERER]) expect(loaded).not.toContain(sdk);
  });

  it('the shell on a database that exists reads no work plan, so it does not load the YAML parser', () => {
    packagesLoadedBy(['shell', '--now', '2025-11-20'], 'me\n'); // the first start creates the database from the plan
    expect(packagesLoadedBy(['shell', '--now', '2025-11-20'], 'due\n')).not.toContain('yaml');
  });

  it('the shell loads the chart renderer when it draws a chart', () => {
    expect(packagesLoadedBy(['shell', '--now', '2025-11-20'], 'gantt A1\n')).toContain(CHART_RENDERER);
  });

  it('tick loads no chat SDK, even with platforms configured (it delivers to none of them)', () => {
    const loaded = packagesLoadedBy(['tick', '--now', '2025-11-24T09:00:00+01:00', '--dry-run'], '', {
      SLACK_BOT_TOKEN: 'xoxb-not-used',
      SLACK_SIGNING_SECRET: 'not-used',
      DISCORD_TOKEN: 'not-used',
      DISCORD_APPLICATION_ID: '1',
    });
    for (const sdk of PLATFORM_SDKS) expect(loaded).not.toContain(sdk);
  });

  it('a platform subcommand loads that platform\'s SDK only', () => {
    const loaded = packagesLoadedBy(['discord', 'commands', '--json']);
    expect(loaded).toContain('discord.js');
    expect(loaded).not.toContain('@slack/bolt');
  });
});
