// Issue 11, part 2: re-importing a plan next to items created in chat. Real commands through
// Bot.handle, then real imports of a modified plan.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SHIPPED_WORKPLAN } from '../src/config.ts';
import { exportWorkPlanYaml } from '../src/workplan/export.ts';
import { importWorkPlan } from '../src/workplan/import.ts';
import { parseWorkPlan } from '../src/workplan/load.ts';
import { shippedPlanForFile } from './support/database.ts';
import { runAs } from './support/run-as.ts';

const f = shippedPlanForFile('2025-11-20');

const SECRETARIAT = 'demo-secretariat';
const A1_LEAD = 'demo-ashoka-hello-europe';

const run = async (line: string, as = SECRETARIAT) => (await runAs(f, line, as)).out;

/** The shipped plan plus a sixth A1 activity, a sixth A1 output, and P5 moved to January. */
async function editedPlan() {
  const plan = parseWorkPlan(await readFile(SHIPPED_WORKPLAN, 'utf8'), SHIPPED_WORKPLAN);
  plan.actions[0]!.activities.push({ title: 'Closing conference', when: '2027-02', status: 'planned', steps: [] });
  plan.actions[0]!.outputs.push({ title: 'Final report', kind: 'report', when: '2027-03', status: 'planned' });
  const p5 = plan.meetings.filter((m) => m.kind === 'plenary')[4]!;
  expect(p5.when).toBe('2025-12 tbc');
  p5.when = '2026-01';
  return plan;
}

const importAt = async (plan: Awaited<ReturnType<typeof editedPlan>>, file = '/srv/plans/plan.yaml') =>
  importWorkPlan(f.db.prisma, plan, { file, now: f.clock.now() });

describe('an import next to items created in chat', () => {
  it('keeps the chat item and its code, gives the new plan item the next free code, and audits what it changed', async () => {
    expect(await run('milestone add A1 2026-Q2 tbc "Study visit to Milan"', A1_LEAD)).toContain('A1.6 Study visit to Milan');
    expect(await run('output add A1 report 2026-06 "Chat-made report"', A1_LEAD)).toContain('A1.O6 Chat-made report');

    const report = await importAt(await editedPlan());
    expect(report.added).toEqual([
      'A1.7 (the file\'s A1.6, but A1.6 is "Study visit to Milan", added in chat)',
      'A1.O7 (the file\'s A1.O6, but A1.O6 is "Chat-made report", added in chat)',
    ]);
    expect(report.changed).toEqual([expect.stringMatching(/^P5 \(/)]);
    expect(report.removed).toEqual([]);

    const db = f.db.prisma;
    expect(await db.activity.findFirstOrThrow({ where: { code: 'A1.6' } })).toMatchObject({ title: 'Study visit to Milan', whenText: '2026-Q2 tbc', createdInChat: true });
    expect(await db.activity.findFirstOrThrow({ where: { code: 'A1.7' } })).toMatchObject({ title: 'Closing conference', whenText: '2027-02', seq: 7 });
    expect(await db.output.findFirstOrThrow({ where: { code: 'A1.O6' } })).toMatchObject({ title: 'Chat-made report' });
    expect(await db.output.findFirstOrThrow({ where: { code: 'A1.O7' } })).toMatchObject({ title: 'Final report' });

    const a16 = await run('history A1.6');
    expect(a16).toMatch(/\(shell\) added: .*title: Study visit to Milan/);
    expect(a16).not.toContain('import');
    expect(await run('history A1.7')).toContain('import of plan.yaml (import) added: when: 2027-02, title: Closing conference');
    expect(await run('history P5')).toContain('import of plan.yaml (import) changed: when: 2025-12 tbc → 2026-01');

    const digest = await run('digest preview');
    const changed = digest.slice(digest.indexOf('Changed in the last 7 days'));
    expect(changed).toContain('P5 moved from December 2025 (tbc) to January 2026 by import of plan.yaml');
    expect(changed).toContain("A1.7 'Closing conference' (February 2027) added by import of plan.yaml");
  });

  it('finds the moved item again on the next import, and after importing an export', async () => {
    expect(await importAt(await editedPlan())).toMatchObject({ added: [], changed: [], removed: [] });
    const exported = await exportWorkPlanYaml(f.db.prisma, f.partnershipId);
    expect(await importAt(parseWorkPlan(exported), 'export.yaml')).toMatchObject({ added: [], changed: [], removed: [] });
    expect(await importAt(await editedPlan())).toMatchObject({ added: [], changed: [], removed: [] });
    expect(await f.db.prisma.activity.count({ where: { title: 'Closing conference' } })).toBe(1);
  });

  it('applies a title edited in the file to the item it moved, not to the chat item', async () => {
    const plan = await editedPlan();
    plan.actions[0]!.activities[5]!.title = 'Closing conference in Brussels';
    const report = await importAt(plan);
    expect(report).toMatchObject({ added: [], removed: [], changed: [expect.stringMatching(/^A1\.7 \(title\)$/)] });
    expect((await f.db.prisma.activity.findFirstOrThrow({ where: { code: 'A1.6' } })).title).toBe('Study visit to Milan');
    expect((await f.db.prisma.activity.findFirstOrThrow({ where: { code: 'A1.7' } })).title).toBe('Closing conference in Brussels');
  });

  it('does not remove an activity that holds steps added in chat, and says so', async () => {
    expect(await run('milestone add A1 2026-02 --parent A1.5 "Chat-made step"', A1_LEAD)).toContain('A1.5.');
    const plan = parseWorkPlan(await readFile(SHIPPED_WORKPLAN, 'utf8'), SHIPPED_WORKPLAN);
    plan.actions[0]!.activities.pop();
    for (const o of plan.actions[0]!.outputs) if (o.activity === 5) delete o.activity;
    const report = await importAt(plan);
    expect(report.removed).toContain('A1.7');
    expect(report.removed).not.toContain('A1.5');
    expect(report.kept).toEqual(['A1.5 is no longer in the file but stays: it has steps added in chat']);
    expect(await f.db.prisma.activity.count({ where: { title: 'Chat-made step' } })).toBe(1);
  });
});
