// An activity's effective window spans its steps (issue 12 §6), on the shipped plan at fixed instants:
// A3.1 Institutional Self Assessment is dated 2025 with steps to April 2026; A4.2 Collection of
// practices ends December 2025 with a step in "2026 tbc".
import { describe, expect, it } from 'vitest';
import { renderText } from '../src/delivery/plain-text.ts';
import { parseInstant } from '../src/core/clock.ts';
import { ganttModel } from '../src/exports/gantt/model.ts';
import { renderGanttSvg } from '../src/exports/gantt/svg.ts';
import { monitoringRows } from '../src/exports/monitoring.ts';
import { buildDigest } from '../src/domain/digest.ts';
import { openStepEnds } from '../src/domain/effective-window.ts';
import { planAll } from '../src/scheduler/scheduler.ts';
import { shippedPlanForFile } from './support/database.ts';

const f = shippedPlanForFile('2026-01-15');

const at = (iso: string) => f.clock.set(parseInstant(iso, 'Europe/Brussels'));
const partnership = () => f.db.prisma.partnership.findFirstOrThrow();
async function run(line: string): Promise<string> {
  return renderText(await f.bot.handle({ platform: 'slack', workspaceId: 'T1', userId: 'U1', displayName: 'reader', text: line }));
}
const section = (out: string, title: string) => out.slice(out.indexOf(title)).split(/\n(?=\S)/)[0]!;

describe('an activity whose steps still run', () => {
  it('has its steps read for more activities than one statement can name', async () => {
    // The scheduler asks for every activity of a plan at once; PostgreSQL takes 65,535 parameters.
    const a31 = await f.db.prisma.activity.findFirstOrThrow({ where: { code: 'A3.1' } });
    const ids = [...Array.from({ length: 70_000 }, (_, i) => `no-such-activity-${i}`), a31.id];
    expect((await openStepEnds(f.db.prisma, ids)).get(a31.id)).toBe('2026-04-30');
  });

  it('is not overdue in due, the digest, timeline or monitoring, and says until when its steps run', async () => {
    at('2026-01-15T10:00');
    const due = await run('due');
    const overdue = section(due, 'Overdue');
    expect(overdue).not.toMatch(/A3\.1 |A4\.2 /);
    expect(section(due, 'Running now')).toContain('A3.1 Institutional Self Assessment — 2025, steps until 30 Apr 2026');
    // Its 2026 step is "2026 (tbd)": it keeps A4.2 from being overdue, but is no date to show it by.
    expect(section(due, 'Running now')).toContain('A4.2 Collection of practices — Jun–Dec 2025; a step runs on into 2026, timing TBD ·');
    const digest = renderText(await buildDigest({ db: f.db.prisma, partnership: await partnership(), clock: f.clock, today: () => '2026-01-15' }));
    expect(section(digest, 'Overdue')).not.toMatch(/A3\.1 |A4\.2 /);
    expect(await run('timeline A3')).toContain('A3.1 Institutional Self Assessment — 2025 · planned · ongoing');
    expect(await run('action A4')).not.toMatch(/A4\.2 .*OVERDUE/);
  });

  it('falls overdue once its open steps are done or past, and its own window is over', async () => {
    at('2026-01-15T10:00');
    await f.db.prisma.activity.updateMany({ where: { code: { startsWith: 'A3.1.' } }, data: { status: 'done' } });
    try {
      expect(section(await run('due'), 'Overdue')).toContain('A3.1 Institutional Self Assessment — 2025 ·');
    } finally {
      await f.db.prisma.activity.updateMany({ where: { code: { startsWith: 'A3.1.' } }, data: { status: 'planned' } });
    }
  });

  it('is neither nudged on nor escalated after its own last day, but nudged before its steps end', async () => {
    await f.db.prisma.outboxMessage.deleteMany();
    const keysFor = async (iso: string, code: string) => {
      at(iso);
      const id = (await f.db.prisma.activity.findFirstOrThrow({ where: { code } })).id;
      return (await planAll(f.bot)).planned.map((p) => p.key).filter((k) => k.includes(`:${id}:`));
    };
    expect(await keysFor('2025-12-31T10:00', 'A3.1')).toEqual([]);
    expect((await keysFor('2026-01-08T10:00', 'A4.2')).filter((k) => k.startsWith('escalate:'))).toEqual([]);
    expect((await keysFor('2026-01-08T10:00', 'A3.1')).filter((k) => k.startsWith('escalate:'))).toEqual([]);
    const before = await keysFor('2026-04-30T10:00', 'A3.1');
    expect(before.filter((k) => k.startsWith('nudge:')).length).toBeGreaterThan(0);
    expect(before.every((k) => !k.startsWith('nudge:') || k.includes(':2026-04-30:'))).toBe(true);
    // Three working days after its steps ended, it is escalated.
    expect(await keysFor('2026-05-06T10:00', 'A3.1')).toContainEqual(expect.stringMatching(/^escalate:.*:2026-04-30$/));
  });

  it('draws its Gantt bar over its steps; A3.3 ends at the Action deadline and so does the default chart', async () => {
    const model = await ganttModel(f.db.prisma, await partnership(), { steps: false, today: '2025-11-20' });
    const row = (code: string) => model.rows.find((r) => r.code === code)!;
    expect(row('A3.1')).toMatchObject({ firstDay: '2025-01-01', lastDay: '2026-04-30', state: 'ongoing' });
    // A tentative step ("2026 (tbd)") does not stretch the bar; a note after it says it runs on.
    expect(row('A4.2')).toMatchObject({ firstDay: '2025-06-01', lastDay: '2025-12-31', note: 'a step runs on into 2026, timing TBD' });
    expect(row('A2.2')).toMatchObject({ firstDay: '2025-05-01', lastDay: '2025-11-30', note: 'a step runs on into 2026, timing TBD' });
    expect(row('A3.1').note).toBeUndefined();
    expect(renderGanttSvg(model).svg).toContain('>a step runs on into 2026, timing TBD ▶<');
    expect(row('A3.3')).toMatchObject({ firstDay: '2026-01-01', lastDay: '2027-03-31' });
    expect(model.to).toBe('2027-03');
  });
});

describe('the shipped plan in the views', () => {
  it('monitoring counts steps apart from activities and writes the EU governance level as "EU"', async () => {
    const rows = await monitoringRows(f.db.prisma, await partnership(), '2025-11-20');
    expect(rows[1]!.Progress).toMatch(/^0\/3 activities and 0\/13 steps done, \d+ overdue/);
    expect(rows[3]!['Governance level']).toBe('EU, national, regional');
    const out = await run('monitoring');
    expect(out).toContain('0/3 activities and 0/13 steps done');
    expect(out).toContain('EU, national, regional');
  });

  it('asks for a date for the A1 study visit, which the document leaves undated', async () => {
    await f.db.prisma.outboxMessage.deleteMany();
    at('2025-12-01T10:00');
    const notice = (await planAll(f.bot)).planned.find((p) => p.kind === 'needs-date' && p.actionNumber === 1 && p.scope === 'action')!;
    expect(renderText(notice.payload)).toContain('A1.O5 Study visit (TBC) — date TBD');
  });
});
