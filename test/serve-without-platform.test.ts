// `partnerbot serve` with no chat platform configured: the calendar feeds, the operations endpoints
// and the scheduler run all the same, and what the scheduler sends goes to the log.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './slack/fake-slack.ts';
import { spawnPartnerbot, type RunningPartnerbot } from './support/partnerbot-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'partnerbot-serve-'));
// Ten days overdue: past the three working days after which the secretariat is told, so the first tick sends it.
const overdue = DateTime.now().setZone('Europe/Brussels').minus({ days: 10 }).toISODate();
const PLAN = `
partnership: { slug: serve-test, name: Partnership Served Without Chat, timeZone: Europe/Brussels }
organisations:
  - { key: lisbon, name: Lisbon, kind: city, country: PT }
  - { key: secretariat, name: Test Secretariat, kind: secretariat }
coordinators: [lisbon]
people:
  - { key: sam, name: Sam Secretary, organisation: secretariat, roles: [secretariat], demo: true }
actions:
  - number: 1
    shortTitle: Housing
    title: Affordable housing
    objective: Homes people can afford
    governanceLevels: [local]
    deadline: "2027-03"
    coLeaders: [lisbon]
    activities:
      - { title: Overdue mapping of housing practices, when: "${overdue}" }
`;
const settings = {
  PARTNERBOT_DATA_DIR: join(dir, 'data'),
  PARTNERBOT_WORKPLAN: join(dir, 'plan.yaml'),
  PARTNERBOT_HTTP_PORT: '0',
  PARTNERBOT_HTTP_HOST: '127.0.0.1',
  PARTNERBOT_OPS_PORT: '0',
  PARTNERBOT_PUBLIC_URL: 'https://calendar.example.org/',
};
let feedPath = '';
let bot: RunningPartnerbot;

beforeAll(async () => {
  writeFileSync(settings.PARTNERBOT_WORKPLAN, PLAN);
  // A member asks for a feed in the shell; the service started afterwards must serve it.
  const shown = execFileSync(process.execPath, ['bin/partnerbot.mjs', 'shell'], {
    input: 'calendar feed\n',
    env: { PATH: process.env.PATH ?? '', ...settings },
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  feedPath = /https:\/\/calendar\.example\.org(\/calendar\/[A-Za-z0-9_-]{43}\.ics)/.exec(shown)?.[1] ?? '';
  expect(feedPath, shown).not.toBe('');
  bot = spawnPartnerbot(['serve'], settings);
  await bot.logged('partnerbot running', 90_000);
}, 120_000);

afterAll(async () => {
  await bot?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('partnerbot serve without a chat platform', { timeout: 90_000 }, () => {
  it('answers /healthz and /readyz on the operations port, with only the database to check', async () => {
    const ops = `http://127.0.0.1:${bot.portOf('ops')}`;
    expect((await fetch(`${ops}/healthz`)).status).toBe(200);
    const ready = await fetch(`${ops}/readyz`);
    expect(ready.status).toBe(200);
    expect(Object.keys(((await ready.json()) as { checks: object }).checks)).toEqual(['database']);
  });

  it('serves the calendar feed on the public port', async () => {
    const res = await fetch(`http://127.0.0.1:${bot.portOf('http')}${feedPath}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(await res.text()).toContain('Overdue mapping of housing practices');
  });

  it('ticks at once, delivers to the log, and stops cleanly on SIGTERM', async () => {
    // Lisbon co-leads but names nobody, so there is nobody to ask in a check-in: the item escalates.
    const line = await waitFor(
      () => bot.logs.find((l) => l.msg === 'notification (no chat platform configured)' && String(l.message).includes('Overdue mapping of housing practices')),
      60_000,
    );
    expect(String(line.message)).toMatch(/^→ secretariat channel/);
    expect(await bot.stop()).toBe(0);
    expect(bot.logs.map((l) => l.msg)).toContain('shutting down');
  });
});
