// Leave and delegation: "away" from chat, and the scheduler sending a nudge of someone away to their
// delegate, else to a colleague, else on their return; escalations and the digest name who is away.
import { beforeEach, describe, expect, it } from 'vitest';
import { renderText } from '../src/delivery/plain-text.ts';
import { parseInstant } from '../src/core/clock.ts';
import { planAll } from '../src/scheduler/scheduler.ts';
import { shippedPlanForFile } from './support/database.ts';
import { runAs } from './support/run-as.ts';
import { followedAllAlong } from './support/checkins.ts';

const f = shippedPlanForFile('2025-11-20');

const SECRETARIAT = 'demo-secretariat';
const db = () => f.db.prisma;
const at = (iso: string) => f.clock.set(parseInstant(iso, 'Europe/Brussels'));
const ids = new Map<string, string>();
const id = async (key: string) => ids.get(key) ?? ids.set(key, (await db().person.findFirstOrThrow({ where: { key } })).id).get(key)!;

const run = (line: string, as: string) => runAs(f, line, as);

beforeEach(async () => {
  await db().absence.deleteMany();
  await db().outboxMessage.deleteMany();
  at('2025-11-20');
});

/**
 * A2's activities and outputs that fall due on 30 Nov 2025 in the shipped plan (A2.2 no longer does:
 * its window runs on while its 2026 step is open).
 */
const ITEMS = 2;

/** The A2 nudges a tick plans (A2's items fall due on 30 Nov 2025), by person key. */
async function a2Nudges(iso: string) {
  at(iso);
  const { planned } = await planAll(f.bot);
  const people = new Map((await db().person.findMany()).map((p) => [p.id, p.key]));
  return planned.filter((p) => p.kind === 'nudge' && p.actionNumber === 2 && p.key.includes(':2025-11-30:')).map((p) => ({ ...p, who: people.get(p.personId!)! }));
}

describe('away from chat', () => {
  it('sets and ends one\'s own leave; shown by away, me, whois and members; audited', async () => {
    const set = await run('away 2025-11-24..2025-12-05 --delegate demo-cor-2', 'demo-cor');
    expect(set.reply.error).toBeFalsy();
    expect(set.out).toContain('You are away 24 Nov 2025 – 5 Dec 2025: Nikos Papadakis receives your reminders meanwhile.');
    at('2025-11-25');
    expect((await run('me', 'demo-cor')).out).toContain('Away: away until 5 Dec 2025 (delegate: Nikos Papadakis)');
    expect((await run('whois Beatriz', 'demo-milan')).out).toContain('Beatriz Almeida (demo) — European Committee of the Regions — away until 5 Dec 2025');
    expect((await run('members A2', 'demo-milan')).out).toMatch(/Away:\n\s+• Beatriz Almeida — away until 5 Dec 2025/);
    expect((await run('away', 'demo-milan')).out).toContain('Beatriz Almeida — away until 5 Dec 2025 (delegate: Nikos Papadakis)');

    const off = await run('away off', 'demo-cor');
    expect(off.out).toContain('You are no longer marked away');
    const row = await db().absence.findFirstOrThrow({ where: { personId: await id('demo-cor') } });
    expect(row.lastDay.toISOString().slice(0, 10)).toBe('2025-11-24');
    expect((await run('me', 'demo-cor')).out).not.toContain('Away:');
    const audit = await db().auditEntry.findMany({ where: { entityCode: 'demo-cor', verb: 'changed' }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.after)).toEqual([{ away: 'away 24 Nov 2025 – 5 Dec 2025 (delegate: Nikos Papadakis)' }, { away: 'back' }]);
  });

  it('refuses bad leave in one line; only the secretariat sets it for others', async () => {
    for (const [line, message] of [
      ['away 2025-01..2025-02', 'is over already'],
      ['away 2025-12..2027-03', 'longer than a year'],
      ['away someday', 'is not a date'],
      ['away 2025-12 --delegate demo-cor', 'cannot stand in for yourself'],
      ['away 2025-12 --delegate nobody-at-all', 'No person matches "nobody-at-all".'],
      ['away 2025-12 --for demo-flanders', 'Only the secretariat or the coordinators can set leave for someone else.'],
      ['away off', 'not marked away; nothing changed'],
    ] as const) {
      const { out } = await run(line, 'demo-cor');
      expect(out, line).toContain(message);
    }
    expect(await db().absence.count()).toBe(0);
    const forOther = await run('away 2025-12-22..2026-01-02 --for demo-flanders', SECRETARIAT);
    expect(forOther.out).toContain('marked away');
    expect(await db().absence.count({ where: { personId: await id('demo-flanders') } })).toBe(1);
  });

  it('new leave replaces the leave it overlaps', async () => {
    await run('away 2025-12-01..2025-12-10', 'demo-cor');
    const changed = await run('away 2025-12-05..2025-12-20', 'demo-cor');
    expect(changed.out).toContain('This replaces: away 1 Dec 2025 – 10 Dec 2025.');
    const rows = await db().absence.findMany({ where: { personId: await id('demo-cor') } });
    expect(rows.map((r) => [r.firstDay.toISOString().slice(0, 10), r.lastDay.toISOString().slice(0, 10)])).toEqual([['2025-12-05', '2025-12-20']]);
  });
});

describe('nudges while someone is away', () => {
  it('without leave: the 7-day nudge on 24 Nov goes to the people of CoR and CEB', async () => {
    const nudges = await a2Nudges('2025-11-24T09:00:00+01:00');
    expect(ITEMS).toBe(new Set(nudges.map((n) => n.key.split(':')[1])).size);
    for (const who of ['demo-ceb', 'demo-ceb-2', 'demo-cor', 'demo-cor-2']) expect(nudges.filter((n) => n.who === who), who).toHaveLength(ITEMS);
    expect(nudges).toHaveLength(4 * ITEMS);
  });

  it('goes to the delegate, under the delegate\'s key, saying for whom; not to the one away', async () => {
    await run('away 2025-11-22..2025-11-25 --delegate demo-flanders', 'demo-cor');
    const nudges = await a2Nudges('2025-11-24T09:00:00+01:00');
    expect(nudges.some((n) => n.who === 'demo-cor')).toBe(false);
    const forCor = nudges.filter((n) => n.who === 'demo-flanders');
    expect(forCor).toHaveLength(ITEMS);
    expect(forCor[0]!.key).toMatch(new RegExp(`^nudge:.+:2025-11-30:7:${await id('demo-flanders')}$`));
    expect(renderText(forCor[0]!.payload)).toContain('You receive this for Beatriz Almeida, away until 25 Nov 2025.');
    // Back on the 26th: that nudge was handled by the delegate, so it is not sent again; the next lead is hers.
    expect((await a2Nudges('2025-11-26T09:30:00+01:00')).some((n) => n.who === 'demo-cor')).toBe(false);
    expect((await a2Nudges('2025-11-29T09:30:00+01:00')).filter((n) => n.who === 'demo-cor').map((n) => n.key.split(':')[3])).toEqual(Array(ITEMS).fill('1'));
  });

  it('reads leave days where the person is: from midnight in Auckland, while it is still the 24th in Brussels', async () => {
    expect((await run('person set demo-cor --tz Pacific/Auckland', SECRETARIAT)).reply.error).toBeFalsy();
    try {
      await run('away 2025-11-25..2025-11-28 --delegate demo-flanders', 'demo-cor');
      // 22:30 on the 24th in Auckland: not away yet.
      const before = await a2Nudges('2025-11-24T10:30:00+01:00');
      expect(before.filter((n) => n.who === 'demo-cor')).toHaveLength(ITEMS);
      expect(before.some((n) => n.who === 'demo-flanders')).toBe(false);
      await db().outboxMessage.deleteMany();
      // 00:30 on the 25th in Auckland, 12:30 on the 24th in Brussels: away, the delegate has it.
      const after = await a2Nudges('2025-11-24T12:30:00+01:00');
      expect(after.some((n) => n.who === 'demo-cor')).toBe(false);
      expect(after.filter((n) => n.who === 'demo-flanders')).toHaveLength(ITEMS);
      expect(renderText(after.find((n) => n.who === 'demo-flanders')!.payload)).toContain('away until 28 Nov 2025');
      // What people read says the same: it is the 25th where the person on leave is, so it has begun.
      const name = (await db().person.findUniqueOrThrow({ where: { id: await id('demo-cor') } })).name;
      for (const [line, as] of [['me', 'demo-cor'], ['away', SECRETARIAT], [`whois ${name}`, SECRETARIAT], ['members', SECRETARIAT]] as const) {
        expect((await run(line, as)).out, line).toContain(`away until 28 Nov 2025`);
      }
      // "away" reads the days the same way: at 01:00 on the 21st in Auckland, the 20th is over for them.
      at('2025-11-20T13:00:00+01:00');
      expect((await run('away 2025-11-20', 'demo-cor')).out).toContain('20 Nov 2025 is over already.');
    } finally {
      await db().person.update({ where: { id: await id('demo-cor') }, data: { timeZone: null } });
    }
  });

  it('with no delegate goes to a colleague of the same organisation', async () => {
    await run('away 2025-11-22..2025-11-28', 'demo-ceb');
    const nudges = await a2Nudges('2025-11-24T09:00:00+01:00');
    expect(nudges.some((n) => n.who === 'demo-ceb')).toBe(false);
    expect(nudges.filter((n) => n.who === 'demo-ceb-2')).toHaveLength(ITEMS);
  });

  it('with nobody to stand in waits, and is sent on return, marked late, while still useful', async () => {
    await run('away 2025-11-23..2025-11-26', 'demo-ceb');
    await run('away 2025-11-23..2025-11-26', 'demo-ceb-2');
    expect((await a2Nudges('2025-11-24T09:00:00+01:00')).filter((n) => n.who.startsWith('demo-ceb'))).toEqual([]);
    const onReturn = (await a2Nudges('2025-11-27T09:30:00+01:00')).filter((n) => n.who.startsWith('demo-ceb'));
    expect(onReturn).toHaveLength(2 * ITEMS);
    expect(onReturn.every((n) => n.late && n.key.includes(':2025-11-30:7:'))).toBe(true);
    // Away past the due day: nothing is left to send on return (the planner's stale rule).
    await db().absence.deleteMany();
    await db().outboxMessage.deleteMany();
    await run('away 2025-11-23..2025-12-01', 'demo-ceb');
    await run('away 2025-11-23..2025-12-01', 'demo-ceb-2');
    expect((await a2Nudges('2025-12-02T09:30:00+01:00')).filter((n) => n.who.startsWith('demo-ceb'))).toEqual([]);
  });

  it('escalations name who is away; the digest lists leave in the next 14 days', async () => {
    const a4 = await db().actionRole.findFirstOrThrow({ where: { role: 'co_leader', action: { number: 4 } }, include: { organisation: { include: { people: { orderBy: { key: 'asc' } } } } } });
    const lead = a4.organisation!.people[0]!;
    await run(`away 2025-11-20..2025-12-03 --for ${lead.key}`, SECRETARIAT);
    await run('away 2025-12-01..2025-12-12 --delegate demo-cor-2', 'demo-cor');
    at('2025-11-24T09:00:00+01:00');
    await followedAllAlong(db());
    const { planned } = await planAll(f.bot);
    const escalation = planned.find((p) => p.kind === 'escalation' && p.payload.title === 'Overdue: A4.3')!;
    expect(renderText(escalation.payload)).toContain(`Away: ${lead.name} is away until 3 Dec 2025.`);
    const digest = renderText(planned.find((p) => p.kind === 'digest')!.payload);
    expect(digest).toMatch(new RegExp(`Away in the next 14 days:\\n\\s+• ${lead.name} — away until 3 Dec 2025\\n\\s+• Beatriz Almeida — away 1 Dec 2025 – 12 Dec 2025 \\(delegate: Nikos Papadakis\\)`));
  });

  it('a person taken off the roster gets no nudges', async () => {
    await run('person remove demo-cor-2', SECRETARIAT);
    expect((await a2Nudges('2025-11-24T09:00:00+01:00')).some((n) => n.who === 'demo-cor-2')).toBe(false);
  });
});
