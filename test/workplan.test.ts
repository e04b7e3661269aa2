import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { SHIPPED_WORKPLAN } from '../src/config.ts';
import { exportWorkPlan, exportWorkPlanYaml } from '../src/workplan/export.ts';
import { importWorkPlan } from '../src/workplan/import.ts';
import { parseWorkPlan, WorkPlanError } from '../src/workplan/load.ts';
import { shippedPlanFixture, type Fixture } from './support/database.ts';

let f: Fixture;
beforeAll(async () => {
  f = await shippedPlanFixture();
});
afterAll(async () => {
  await f?.db.drop();
});

const shipped = async () => parseWorkPlan(await readFile(SHIPPED_WORKPLAN, 'utf8'), SHIPPED_WORKPLAN);

describe('the shipped work plan', () => {
  it('holds what the 2024-2027 Work Plan document holds', async () => {
    const db = f.db.prisma;
    const actions = await db.action.findMany({ orderBy: { number: 'asc' }, include: { activities: true, outputs: true, roles: { include: { organisation: true } } } });
    expect(actions.map((a) => a.number)).toEqual([1, 2, 3, 4]);
    // Section 2.x.9 timelines (top-level activities) and 2.x.10 outputs.
    expect(actions.map((a) => a.activities.filter((x) => !x.parentId).length)).toEqual([5, 3, 3, 4]);
    expect(actions.map((a) => a.outputs.length)).toEqual([5, 5, 4, 3]);
    expect(actions.every((a) => a.deadlineText === '2027-03')).toBe(true);
    const coLeaders = actions.map((a) => a.roles.filter((r) => r.role === 'co_leader').map((r) => r.organisation!.key).sort());
    expect(coLeaders).toEqual([
      ['ashoka-hello-europe', 'flanders'],
      ['ceb', 'cor'],
      ['aer', 'flanders'],
      ['ceb', 'eurocities'],
    ]);
    // Annex 2: eight plenaries in 2025-2026, four of them tentative.
    const plenaries = await db.meeting.findMany({
      where: { kind: 'plenary', whenStart: { gte: new Date('2025-01-01'), lt: new Date('2027-01-01') } },
      orderBy: { whenStart: 'asc' },
    });
    expect(plenaries.map((p) => p.whenText)).toEqual(['2025-03', '2025-06', '2025-10 tbc', '2025-12 tbc', '2026-03', '2026-06 tbc', '2026-10', '2026-12 tbc']);
    expect(plenaries.map((p) => p.format)).toEqual(['in_person', 'online', 'in_person', 'online', 'in_person', 'online', 'in_person', 'online']);
    const second = await db.activity.findFirstOrThrow({ where: { code: 'A1.2' } });
    expect(second).toMatchObject({ title: 'Second Virtual Exchange', whenKind: 'range', whenText: '2025-10..2025-12' });
    // Table 1, current phase, plus the secretariat; two coordinators.
    expect(await db.organisation.count({ where: { kind: { not: 'secretariat' } } })).toBeGreaterThanOrEqual(34);
    const coordinators = await db.partnershipRole.findMany({ where: { role: 'coordinator' }, include: { organisation: true } });
    expect(coordinators.map((c) => c.organisation!.key).sort()).toEqual(['amsterdam', 'dg-home']);
    expect(await db.person.count({ where: { demo: false } })).toBe(0);
  });
});

describe('import', () => {
  it('changes nothing when the same file is imported again', async () => {
    const report = await importWorkPlan(f.db.prisma, await shipped());
    expect(report).toMatchObject({ added: [], changed: [], removed: [] });
  });

  it('keeps changes made in chat when the unchanged file is re-imported, and applies edits to the file', async () => {
    const db = f.db.prisma;
    await db.activity.update({ where: { actionId_code: { actionId: (await db.action.findFirstOrThrow({ where: { number: 1 } })).id, code: 'A1.1' } }, data: { status: 'done' } });
    const plan = await shipped();
    expect((await importWorkPlan(db, plan)).changed).toEqual([]);
    expect((await db.activity.findFirstOrThrow({ where: { code: 'A1.1' } })).status).toBe('done');

    plan.actions[0]!.activities[2]!.when = '2026-01';
    plan.actions[0]!.activities.push({ title: 'Closing event', when: '2027-02 tbc', status: 'planned', steps: [] });
    plan.actions[3]!.outputs.pop();
    const report = await importWorkPlan(db, plan);
    expect(report.added).toEqual(['A1.6']);
    expect(report.changed).toEqual([expect.stringMatching(/^A1\.3 \(.*whenText/)]);
    expect(report.removed).toEqual(['A4.O3']);
    expect(await db.activity.findFirstOrThrow({ where: { code: 'A1.3' } })).toMatchObject({ whenText: '2026-01', whenKind: 'month' });
    expect((await db.activity.findFirstOrThrow({ where: { code: 'A1.1' } })).status).toBe('done');
    // Back to the shipped file for the other tests.
    const back = await importWorkPlan(db, await shipped());
    expect(back.removed).toEqual(['A1.6']);
  });

  it('never deletes what chat users created', async () => {
    const db = f.db.prisma;
    const action = await db.action.findFirstOrThrow({ where: { number: 2 } });
    await db.activity.create({ data: { actionId: action.id, seq: 4, code: 'A2.4', title: 'Added in chat', whenKind: 'month', whenStart: new Date('2026-05-01'), whenEnd: new Date('2026-05-31'), whenText: '2026-05', createdInChat: true } });
    const p5 = await db.meeting.findFirstOrThrow({ where: { code: 'P5' } });
    await db.agendaItem.create({ data: { meetingId: p5.id, position: 1, title: 'Chat item' } });
    const report = await importWorkPlan(db, await shipped());
    expect(report.removed).toEqual([]);
    expect(await db.activity.count({ where: { code: 'A2.4' } })).toBe(1);
    expect(await db.agendaItem.count({ where: { meetingId: p5.id } })).toBe(1);
  });

  it('reports every problem with the path inside the file', () => {
    const plan = parse(stringify({ partnership: { slug: 'x', name: 'X' }, organisations: [{ key: 'a', name: 'A', kind: 'city', colour: 'red' }] }));
    plan.actions = [{ number: 1, shortTitle: 'S', title: 'T', objective: 'O', governanceLevels: ['local'], deadline: '2027-13', coLeaders: ['zz'], activities: [{ title: 'x', when: 'soon' }] }];
    let error: WorkPlanError | undefined;
    try {
      parseWorkPlan(stringify(plan), 'plan.yaml');
    } catch (e) {
      error = e as WorkPlanError;
    }
    expect(error).toBeInstanceOf(WorkPlanError);
    expect(error!.message).toMatch(/^plan\.yaml: /);
    expect(error!.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^organisations\[0\]: .*"colour"/),
        expect.stringMatching(/^actions\[0\]\.deadline: /),
        expect.stringMatching(/^actions\[0\]\.activities\[0\]\.when: "soon"/),
        expect.stringMatching(/^actions\[0\]\.coLeaders\[0\]: no organisation with key "zz"/),
      ]),
    );
  });

  it('rejects YAML that is not YAML', () => {
    expect(() => parseWorkPlan('partnership: [unclosed', 'bad.yaml')).toThrow(/^bad\.yaml: 1 problem/);
  });
});

describe('export', () => {
  it('round-trips: importing the export into an empty database reproduces it', async () => {
    const { freshDatabase } = await import('./support/database.ts');
    const exported = await exportWorkPlanYaml(f.db.prisma, f.partnershipId);
    const other = await freshDatabase();
    try {
      const report = await importWorkPlan(other.prisma, parseWorkPlan(exported, 'export.yaml'));
      expect(report.removed).toEqual([]);
      expect(await exportWorkPlan(other.prisma, report.partnershipId)).toEqual(await exportWorkPlan(f.db.prisma, f.partnershipId));
      // And re-importing the export into the original changes nothing.
      expect(await importWorkPlan(f.db.prisma, parseWorkPlan(exported))).toMatchObject({ added: [], changed: [], removed: [] });
    } finally {
      await other.drop();
    }
  });
});
