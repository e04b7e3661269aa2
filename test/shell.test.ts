// The README's promise, end to end: the real executable, the embedded database on disk, stdin.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'partnerbot-shell-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function partnerbot(args: string[], input = '', env: Record<string, string> = {}) {
  const { DATABASE_URL: _server, ...rest } = process.env;
  return spawnSync(process.execPath, ['bin/partnerbot.mjs', ...args], {
    input,
    encoding: 'utf8',
    env: { ...rest, PARTNERBOT_DATA_DIR: dataDir, ...env },
    timeout: 60_000,
  });
}

// Each test spawns the real executable (a few seconds each on a busy machine).
describe('partnerbot shell', { timeout: 120_000 }, () => {
  it('seeds the embedded database on first run and answers one command per line at a fixed instant', () => {
    const run = partnerbot(['shell', '--now', '2025-11-20'], 'due\n/partner plenary\n');
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('First start: imported the work plan');
    expect(run.stdout).toMatch(/A1\.2 Second Virtual Exchange — Oct–Dec 2025/);
    expect(run.stdout).toContain('P5 Online plenary (online) — December 2025 (tbc)');
  });

  it('keeps what was changed between runs, and acts as whoever --as names', () => {
    const change = partnerbot(['shell', '--as', 'Ashoka Hello Europe', '--now', '2025-11-20'], 'milestone done A1.2\nme\n');
    expect(change.stdout).toContain('planned → done');
    expect(change.stdout).toMatch(/Roles: co-leader of A1/);
    const later = partnerbot(['shell', '--as', 'demo-milan', '--now', '2025-11-20'], 'milestone show A1.2\nmilestone move A1.3 2026-01\n');
    expect(later.stdout).toContain('Oct–Dec 2025 · done');
    expect(later.stdout).toContain('Only the co-leaders of A1');
    expect(later.stderr).not.toContain('First start');
  });

  it('exports and re-imports without changes', () => {
    const out = join(dataDir, 'export.yaml');
    expect(partnerbot(['export', '--out', out]).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('status: done');
    const again = partnerbot(['import', out]);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('Nothing to change');
  });

  it('tick --dry-run previews the Monday digest and nudges; the real tick sends each once', () => {
    const dry = partnerbot(['tick', '--now', '2025-11-24T09:00:00+01:00', '--dry-run']);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('dry run, nothing is written or sent');
    expect(dry.stdout).toMatch(/send digest → partnership channel: Weekly digest — 2025-11-24\n(.|\n)*Overdue \(\d+\):/);
    expect(dry.stdout).toMatch(/send nudge \(late\) → .+ \(DM, else A2 channel\): A2\.O1 is due in 6 days/);
    // The first tick on the plan: check-ins, not escalations.
    expect(dry.stdout).toMatch(/send checkin → .+ \(DM, else A4 channel\): A4 check-in: 4 items to confirm\n(.|\n)*4\. A4\.3 Study visit — due October 2025/);
    expect(dry.stdout).toContain('send checkin-summary → secretariat channel: Check-ins sent to A1–A4');
    expect(dry.stdout).not.toContain('send escalation');
    const planned = Number(/(\d+) notifications would be created/.exec(dry.stdout)![1]);
    const first = partnerbot(['tick', '--now', '2025-11-24T09:00:00+01:00']);
    expect(first.stdout).toContain(`${planned} notifications created, ${planned} sent`);
    expect(first.stdout).toContain('→ partnership channel (no chat platform configured: log)');
    const second = partnerbot(['tick', '--now', '2025-11-24T09:00:00+01:00']);
    expect(second.stdout).toContain('0 notifications created, 0 sent');
  });

  it('stops with one clear line on bad configuration or arguments', () => {
    const badUrl = partnerbot(['shell'], '', { DATABASE_URL: 'mysql://nope' });
    expect(badUrl.status).toBe(2);
    expect(badUrl.stderr.trim()).toBe('partnerbot: configuration: DATABASE_URL must be a postgresql:// URL');
    const badNow = partnerbot(['shell', '--now', 'yesterday'], '');
    expect(badNow.status).toBe(2);
    expect(badNow.stderr).toMatch(/--now: "yesterday" is not an ISO date/);
    const badAs = partnerbot(['shell', '--as', 'Nobody At All'], '');
    expect(badAs.stderr).toContain('--as: no person or organisation matches "Nobody At All"');
    const fragment = partnerbot(['shell', '--as', 'am'], 'me\n');
    expect(fragment.status).toBe(2);
    expect(fragment.stderr.trim()).toBe('partnerbot: --as: no person or organisation matches "am"');
    const empty = partnerbot(['shell', '--as', ''], 'me\n');
    expect(empty.status).toBe(2);
    expect(empty.stderr.trim()).toMatch(/^partnerbot: --as: give a person or an organisation, e\.g\. one of: .*Amsterdam/);
    expect(empty.stdout).toBe('');
    const badFile = partnerbot(['import', 'package.json']);
    expect(badFile.status).toBe(2);
    expect(badFile.stderr).toMatch(/package\.json: \d+ problems?/);
  });
});
