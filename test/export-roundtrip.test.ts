// Issue 12: export writes what chat changed (plenary times, durations, venues, links, cancellations,
// people and organisations taken off the roster, leave), so export → import reproduces it.
import { describe, expect, it } from 'vitest';
import { exportWorkPlan, exportWorkPlanYaml } from '../src/workplan/export.ts';
import { importWorkPlan } from '../src/workplan/import.ts';
import { parseWorkPlan } from '../src/workplan/load.ts';
import type { Db } from '../src/persistence/database.ts';
import { freshDatabase, shippedPlanForFile } from './support/database.ts';
import { runAs } from './support/run-as.ts';

const f = shippedPlanForFile('2025-11-20');

async function run(line: string, as = 'demo-secretariat'): Promise<void> {
  const { reply, out } = await runAs(f, line, as);
  expect(reply.error, `${line}: ${out}`).toBeFalsy();
}

/** What chat changed, read from the database (ids and timestamps of the rows left out). */
async function chatState(db: Db) {
  const meetings = await db.meeting.findMany({ where: { code: { in: ['P5', 'P6', 'P7'] } }, orderBy: { code: 'asc' } });
  const absences = await db.absence.findMany({ include: { person: true, delegate: true }, orderBy: { firstDay: 'asc' } });
  return {
    meetings: meetings.map((m) => ({ code: m.code, whenText: m.whenText, startsAt: m.startsAt, durationMinutes: m.durationMinutes, location: m.location, link: m.link, format: m.format, cancelledAt: m.cancelledAt, cancelReason: m.cancelReason })),
    removedPeople: (await db.person.findMany({ where: { removedAt: { not: null } }, orderBy: { key: 'asc' } })).map((p) => p.key),
    removedOrgs: (await db.organisation.findMany({ where: { removedAt: { not: null } }, orderBy: { key: 'asc' } })).map((o) => o.key),
    leave: absences.map((a) => [a.person.key, a.firstDay, a.lastDay, a.delegate?.key ?? null]),
    a2: (await db.actionRole.findMany({ where: { action: { number: 2 } }, include: { organisation: true } })).map((r) => `${r.organisation!.key}:${r.role}`).sort(),
  };
}

describe('export → import round trip of what chat changed', () => {
  it('reproduces plenary changes, removals and leave in a fresh database, and changes nothing when re-imported', async () => {
    await run('plenary set P5 --date 2025-12-10 --time 10:00 --duration 2h --format hybrid --venue "Brussels, CoR JDE 52" --link https://meet.example.org/p5');
    await run('plenary cancel P6 "Merged with P7"');
    await run('person remove demo-mareena');
    await run('org remove Mareena');
    await run('away 2025-12-20..2026-01-06 --for demo-warsaw --delegate demo-milan');
    await run('action coleaders A2 CoR Bologna');
    const original = await chatState(f.db.prisma);
    expect(original.meetings[0]).toMatchObject({ durationMinutes: 120, location: 'Brussels, CoR JDE 52' });
    expect(original.meetings[1]).toMatchObject({ cancelReason: 'Merged with P7' });
    expect(original.leave).toHaveLength(1);

    const yaml = await exportWorkPlanYaml(f.db.prisma, f.partnershipId);
    expect(yaml).toContain('removed: true');
    expect(yaml).toContain('cancelReason: Merged with P7');
    expect(yaml).toMatch(/leave:\n\s+- person: demo-warsaw\n\s+from: "?2025-12-20"?\n\s+to: "?2026-01-06"?\n\s+delegate: demo-milan/);

    const other = await freshDatabase();
    try {
      const report = await importWorkPlan(other.prisma, parseWorkPlan(yaml, 'export.yaml'));
      expect(await chatState(other.prisma)).toEqual(original);
      expect(await exportWorkPlan(other.prisma, report.partnershipId)).toEqual(await exportWorkPlan(f.db.prisma, f.partnershipId));
      // And a second import of the same export into it changes nothing.
      expect(await importWorkPlan(other.prisma, parseWorkPlan(yaml, 'export.yaml'))).toMatchObject({ added: [], changed: [], removed: [] });
    } finally {
      await other.drop();
    }
    // Re-importing the export where it came from changes nothing either.
    expect(await importWorkPlan(f.db.prisma, parseWorkPlan(yaml, 'export.yaml'))).toMatchObject({ added: [], changed: [], removed: [] });
    expect(await chatState(f.db.prisma)).toEqual(original);
  });
});
