// Issue 12: re-importing the work plan next to roster changes made in chat. Organisations, people,
// coordinators, people's roles and Action groups get the items' three-way merge: the file wins where
// it changed since the last import, a chat change is kept otherwise, and the report says what it kept.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SHIPPED_WORKPLAN } from '../src/config.ts';
import { importWorkPlan } from '../src/workplan/import.ts';
import { parseWorkPlan } from '../src/workplan/load.ts';
import type { WorkPlan } from '../src/workplan/format.ts';
import { shippedPlanForFile } from './support/database.ts';
import { runAs } from './support/run-as.ts';

const f = shippedPlanForFile('2025-11-20');

const db = () => f.db.prisma;
const shipped = async () => parseWorkPlan(await readFile(SHIPPED_WORKPLAN, 'utf8'), SHIPPED_WORKPLAN);
const importAt = (plan: WorkPlan) => importWorkPlan(db(), plan, { file: '/srv/plans/plan.yaml', now: f.clock.now() });

async function run(line: string, as = 'demo-secretariat'): Promise<string> {
  const { reply, out } = await runAs(f, line, as);
  expect(reply.error, `${line}: ${out}`).toBeFalsy();
  return out;
}

/** Action group n as org key → "co_leader" | "member". */
async function group(n: number): Promise<Record<string, string>> {
  const roles = await db().actionRole.findMany({ where: { action: { number: n }, personId: null }, include: { organisation: true } });
  return Object.fromEntries(roles.map((r) => [r.organisation!.key, r.role]));
}

const removed = async (key: string) => (await db().organisation.findFirstOrThrow({ where: { key } })).removedAt !== null;
const personRemoved = async (key: string) => (await db().person.findFirstOrThrow({ where: { key } })).removedAt !== null;

describe('re-importing the plan next to roster changes made in chat', () => {
  it('keeps co-leaders, members, removals, renames and contact details changed in chat, and says so', async () => {
    await run('action coleaders A2 CoR Bologna');
    await run('action members A3 add Milan');
    await run('action members A1 remove Warsaw');
    await run('person remove demo-mareena');
    await run('org remove Mareena');
    await run('org rename Prato "City of Prato"');
    await run('person set demo-flanders --email flanders@example.org --tz Europe/Warsaw');
    await run('person remove demo-portugal');
    const before = { a1: await group(1), a2: await group(2), a3: await group(3), a4: await group(4) };
    expect(before.a2).toMatchObject({ cor: 'co_leader', bologna: 'co_leader', ceb: 'member' });

    const report = await importAt(await shipped());
    expect(report).toMatchObject({ added: [], changed: [], removed: [] });
    expect({ a1: await group(1), a2: await group(2), a3: await group(3), a4: await group(4) }).toEqual(before);
    expect(await removed('mareena')).toBe(true);
    expect(await personRemoved('demo-mareena')).toBe(true);
    expect(await personRemoved('demo-portugal')).toBe(true);
    expect(await db().organisation.findFirstOrThrow({ where: { key: 'prato' } })).toMatchObject({ name: 'City of Prato' });
    expect(await db().person.findFirstOrThrow({ where: { key: 'demo-flanders' } })).toMatchObject({ email: 'flanders@example.org', timeZone: 'Europe/Warsaw' });
    expect(report.kept).toEqual(
      expect.arrayContaining([
        'A2: bologna stays a co-leader, as changed in chat: the file has not changed it since the last import',
        'A2: ceb stays a member, as changed in chat: the file has not changed it since the last import',
        'A3: milan stays a member, as changed in chat: the file has not changed it since the last import',
        'A1: warsaw stays out of the action group, as changed in chat: the file has not changed it since the last import',
        'A1: mareena is not put back in the action group: the organisation was removed in chat',
        'organisation mareena stays removed: it was removed in chat, and the file has not changed it since the last import',
        'person demo-mareena stays removed: it was removed in chat, and the file has not changed it since the last import',
        'organisation prato keeps the name set in chat: the file has not changed it since the last import',
        'person demo-flanders keeps the e-mail, time zone set in chat: the file has not changed it since the last import',
      ]),
    );
    // Still so on the next import, and from the start-up path's import without a file name.
    expect(await importWorkPlan(db(), await shipped())).toMatchObject({ added: [], changed: [], removed: [] });
    expect(await group(2)).toEqual(before.a2);
  });

  it('keeps someone removed in chat when the last import predates `removed` in the format', async () => {
    const row = await db().person.findFirstOrThrow({ where: { key: 'demo-helsinki' } });
    const { removed: _, ...legacy } = row.source as Record<string, unknown>;
    await db().person.update({ where: { id: row.id }, data: { source: legacy as object } });
    await run('person remove demo-helsinki');
    const report = await importAt(await shipped());
    expect(report.changed).toEqual([]);
    expect(await personRemoved('demo-helsinki')).toBe(true);
  });

  it('applies what the file changed since the last import, over a chat change where both changed', async () => {
    const plan = await shipped();
    const a2 = plan.actions[1]!;
    a2.coLeaders = ['cor', 'sardinia'];
    a2.members = a2.members.filter((k) => k !== 'sardinia');
    plan.people.find((p) => p.key === 'demo-flanders')!.email = 'region@flanders.example';
    plan.organisations.find((o) => o.key === 'prato')!.name = 'Comune di Prato';
    const report = await importAt(plan);
    // The file moved CEB out and Sardinia up; Bologna, made co-leader in chat, the file never named.
    expect(await group(2)).toMatchObject({ cor: 'co_leader', sardinia: 'co_leader', bologna: 'co_leader' });
    expect((await group(2)).ceb).toBeUndefined();
    expect(report.changed).toEqual(expect.arrayContaining(['A2 action group (2)', 'person demo-flanders (email)', 'organisation prato (name)']));
    expect(await db().person.findFirstOrThrow({ where: { key: 'demo-flanders' } })).toMatchObject({ email: 'region@flanders.example', timeZone: 'Europe/Warsaw' });
    expect(await db().organisation.findFirstOrThrow({ where: { key: 'prato' } })).toMatchObject({ name: 'Comune di Prato' });
  });

  it('takes off the roster whom the file drops, and brings back a removed organisation only when the file newly lists it', async () => {
    const plan = await shipped();
    const dropped = {
      ...plan,
      organisations: plan.organisations.filter((o) => o.key !== 'mareena'),
      people: plan.people.filter((p) => !['demo-mareena', 'demo-warsaw'].includes(p.key)),
      actions: plan.actions.map((a) => ({ ...a, members: a.members.filter((k) => k !== 'mareena') })),
    };
    const warsaw = await db().person.findFirstOrThrow({ where: { key: 'demo-warsaw' } });
    await db().chatIdentity.create({ data: { personId: warsaw.id, platform: 'slack', workspaceId: 'T1', externalId: 'U-WARSAW' } });
    const first = await importAt(dropped);
    expect(first.removed).toEqual(['person demo-warsaw']);
    // Kept as a removed row (history names them), unlinked like "person remove" does.
    expect(await personRemoved('demo-warsaw')).toBe(true);
    expect(await db().chatIdentity.count({ where: { personId: warsaw.id } })).toBe(0);

    const back = await importAt(plan);
    expect(back.changed).toEqual(expect.arrayContaining(['organisation mareena (removed)', 'person demo-mareena (removed)', 'person demo-warsaw (removed)']));
    expect(await removed('mareena')).toBe(false);
    expect(await personRemoved('demo-warsaw')).toBe(false);
    expect(await group(1)).toMatchObject({ mareena: 'member' });
  });

  it('a file that marks an organisation removed takes it out of every group; refuses one still leading an Action', async () => {
    const plan = await shipped();
    const cut = { ...plan, organisations: plan.organisations.map((o) => (o.key === 'malta' ? { ...o, removed: true } : o)), actions: plan.actions.map((a) => ({ ...a, members: a.members.filter((k) => k !== 'malta') })) };
    const report = await importAt(cut);
    expect(report.changed).toContain('organisation malta (removed)');
    expect(await removed('malta')).toBe(true);
    expect(await db().actionRole.count({ where: { organisation: { key: 'malta' } } })).toBe(0);
    const yaml = (await readFile(SHIPPED_WORKPLAN, 'utf8')).replace(/(key: ceb\n(?:\s+\w+: .*\n)*?\s+kind: \w+)/, '$1\n    removed: true');
    expect(() => parseWorkPlan(yaml, 'plan.yaml')).toThrow(/coLeaders\[1\]: organisation "ceb" is marked removed/);
  });
});
