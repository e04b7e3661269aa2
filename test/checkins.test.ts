// The first-day check-in on the shipped plan, started on Monday 24 Nov 2025: items past due and
// untouched are asked about once per Action, answers are the commands they stand for, and only what
// nobody settles within 5 working days is escalated.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../src/core/reply.ts';
import { renderText } from '../src/delivery/plain-text.ts';
import { checkInItems } from '../src/domain/checkins.ts';
import { dateToIsoDay } from '../src/domain/fuzzy-date.ts';
import { Planner } from '../src/scheduler/planner.ts';
import { planAll } from '../src/scheduler/scheduler.ts';
import { shippedPlanForFile } from './support/database.ts';

const f = shippedPlanForFile('2025-11-24');
const db = () => f.db.prisma;
const at = f.at;
const FIRST_TICK = '2025-11-24T09:00:00+01:00';
/** Five working days after Monday 24 Nov 2025. */
const ANSWER_BY = '2025-12-01';

/** The people of an Action's first co-leader organisation, and someone who co-leads nothing there. */
async function coLeaderOf(actionNumber: number) {
  const role = await db().actionRole.findFirstOrThrow({
    where: { role: 'co_leader', action: { number: actionNumber }, organisationId: { not: null } },
    include: { organisation: { include: { people: { orderBy: { key: 'asc' } } } } },
  });
  return role.organisation!.people[0]!;
}

async function run(line: string, personId: string): Promise<{ reply: Reply; out: string }> {
  const reply = await f.bot.handle({ platform: 'shell', workspaceId: 'local', userId: personId, displayName: personId, text: line, trustedPersonId: personId });
  return { reply, out: renderText(reply) };
}

const itemCode = (id: string) => db().activity.findUnique({ where: { id } }).then(async (a) => a?.code ?? (await db().output.findUniqueOrThrow({ where: { id } })).code);

async function escalatedCodes(iso: string): Promise<string[]> {
  at(iso);
  const { planned } = await planAll(f.bot);
  return Promise.all(planned.filter((p) => p.kind === 'escalation').map((p) => itemCode(p.key.split(':')[1]!)));
}

/** Puts an activity back as the import left it, for the next test. */
async function restore(code: string, fields: Record<string, unknown>) {
  await db().activity.updateMany({ where: { code }, data: fields });
  const ids = (await db().activity.findMany({ where: { code }, select: { id: true } })).map((a) => a.id);
  await db().auditEntry.deleteMany({ where: { entityId: { in: ids } } });
}

// An answer is a touch: each test starts from the plan as imported, nobody having answered anything.
beforeEach(async () => {
  await db().outboxMessage.deleteMany();
  await db().checkIn.deleteMany();
  await db().auditEntry.deleteMany();
});

describe('the first tick on a plan adopted half-way', () => {
  it('asks each Action\'s co-leaders once, tells the secretariat once, and escalates nothing', async () => {
    at(FIRST_TICK);
    const { planned } = await planAll(f.bot);
    expect(planned.filter((p) => p.kind === 'escalation')).toEqual([]);
    const checkins = planned.filter((p) => p.kind === 'checkin');
    // One message per co-leader person of each Action, nothing per item.
    const leaders = await db().actionRole.findMany({ where: { role: 'co_leader' }, include: { organisation: { include: { people: true } }, action: true } });
    const expected = leaders.flatMap((r) => (r.organisation?.people ?? []).map((p) => `${r.action.number}:${p.id}`));
    expect(checkins.map((c) => `${c.actionNumber}:${c.personId}`).sort()).toEqual([...new Set(expected)].sort());
    const a4 = checkins.find((c) => c.actionNumber === 4)!;
    expect(a4.payload.title).toBe('A4 check-in: 4 items to confirm');
    expect(renderText(a4.payload)).toContain('4. A4.3 Study visit — due October 2025');
    expect(renderText(a4.payload)).toContain('Type "notify daily on".');
    const [summary] = planned.filter((p) => p.kind === 'checkin-summary');
    expect(summary).toMatchObject({ scope: 'secretariat' });
    expect(renderText(summary!.payload)).toContain('Check-ins sent to A1–A4, 17 items to confirm.');
    // A restart, or the next tick, asks nothing again.
    expect((await planAll(f.bot)).planned).toEqual([]);
  });

  it('leaves out what someone already updated in chat, which escalates as usual', async () => {
    const lead = await coLeaderOf(4);
    at('2025-11-21T10:00:00+01:00');
    expect((await run('milestone status A4.3 delayed', lead.id)).reply.error).toBeFalsy();
    try {
      const a4 = await db().action.findFirstOrThrow({ where: { number: 4 } });
      expect(await escalatedCodes(FIRST_TICK)).toEqual(['A4.3']);
      const round = await db().checkIn.findFirstOrThrow({ where: { actionId: a4.id } });
      expect(checkInItems(round).map((i) => i.code)).toEqual(['A4.2.1', 'A4.2.2', 'A4.2.3']);
    } finally {
      await restore('A4.3', { status: 'planned' });
    }
  });

  it('asks whoever stands in for a co-leader on leave instead, and not the co-leader again on return', async () => {
    const lead = await coLeaderOf(4);
    const delegate = await db().person.findFirstOrThrow({ where: { organisationId: { not: lead.organisationId }, removedAt: null }, orderBy: { key: 'asc' } });
    at('2025-11-21T10:00:00+01:00');
    expect((await run(`away 2025-11-24..2025-11-26 --delegate ${delegate.key}`, lead.id)).reply.error).toBeFalsy();
    try {
      const askedInA4 = async (iso: string) => {
        at(iso);
        return (await planAll(f.bot)).planned.filter((p) => p.kind === 'checkin' && p.actionNumber === 4).map((p) => p.personId);
      };
      const first = await askedInA4(FIRST_TICK);
      expect(first).toContain(delegate.id);
      expect(first).not.toContain(lead.id);
      // Back before the answers are due: the delegate was asked in their place, so nothing more.
      expect(await askedInA4('2025-11-27T09:00:00+01:00')).toEqual([]);
    } finally {
      await db().absence.deleteMany();
    }
  });

  it('writes one round per Action when two replicas tick at once, and each notice once', async () => {
    at(FIRST_TICK);
    const ctx = f.bot.systemContext(await db().partnership.findFirstOrThrow());
    const [one, two] = await Promise.all([new Planner(ctx).plan(), new Planner(ctx).plan()]);
    const keys = [...one.created, ...two.created].filter((p) => p.kind.startsWith('checkin')).map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(await db().checkIn.count()).toBe(4);
    expect(await db().outboxMessage.count({ where: { kind: 'checkin-summary' } })).toBe(1);
  });
});

describe('answers', () => {
  it('Done marks the item done as its co-leader, audited, and it never escalates', async () => {
    at(FIRST_TICK);
    await planAll(f.bot);
    const lead = await coLeaderOf(4);
    at('2025-11-25T10:00:00+01:00');
    try {
      const { reply, out } = await run('checkin answer A4 4 done', lead.id);
      expect(reply.error).toBeFalsy();
      expect(out).toContain('A4.3 Study visit: planned → done');
      expect(reply.announce?.[0]).toMatchObject({ scope: 'action', actionNumber: 4 });
      const a43 = await db().activity.findFirstOrThrow({ where: { code: 'A4.3' } });
      expect(a43.status).toBe('done');
      const audit = await db().auditEntry.findMany({ where: { entityId: a43.id }, orderBy: { verb: 'asc' } });
      expect(audit.map((a) => [a.verb, a.actorId, a.platform])).toEqual([
        ['check-in answer', lead.id, 'shell'],
        ['status', lead.id, 'shell'],
      ]);
      expect(await escalatedCodes(`${ANSWER_BY}T09:00:00+01:00`)).not.toContain('A4.3');
      expect(await escalatedCodes('2025-12-15T09:00:00+01:00')).not.toContain('A4.3');
      const status = renderText((await run('checkin status', lead.id)).reply);
      expect(status).toContain(`4. A4.3 — done, by ${lead.name} on 25 Nov 2025`);
    } finally {
      await restore('A4.3', { status: 'planned' });
    }
  });

  it('an unanswered item escalates 5 working days after the check-in, once', async () => {
    at(FIRST_TICK);
    await planAll(f.bot);
    expect(await escalatedCodes(`${ANSWER_BY}T08:59:00+01:00`)).toEqual([]);
    const codes = await escalatedCodes(`${ANSWER_BY}T09:00:00+01:00`);
    expect(codes.sort()).toEqual(['A1.1', 'A2.1', 'A2.1.1', 'A2.1.2', 'A2.1.3', 'A2.1.4', 'A2.2.1', 'A2.2.2', 'A2.2.3', 'A2.2.4', 'A2.O4', 'A3.1.1', 'A3.O1', 'A4.2.1', 'A4.2.2', 'A4.2.3', 'A4.3']);
    const a43 = (await db().outboxMessage.findMany({ where: { kind: 'escalation' } })).find((r) => renderText(r.payload as unknown as Reply).includes('A4.3'))!;
    expect(renderText(a43.payload as unknown as Reply)).toContain('Asked in the check-in of 24 Nov 2025, nobody has answered.');
    expect(await escalatedCodes(`${ANSWER_BY}T10:00:00+01:00`)).toEqual([]);
  });

  it('a snoozed item waits for the end of its snooze', async () => {
    at(FIRST_TICK);
    await planAll(f.bot);
    const lead = await coLeaderOf(4);
    at('2025-11-28T10:00:00+01:00');
    try {
      expect((await run('snooze A4.3 --days 7', lead.id)).reply.error).toBeFalsy();
      expect(await escalatedCodes(`${ANSWER_BY}T09:00:00+01:00`)).not.toContain('A4.3');
      expect(await escalatedCodes('2025-12-05T10:01:00+01:00')).toContain('A4.3');
    } finally {
      await restore('A4.3', { snoozedUntil: null });
    }
  });

  it('Not sure hands the item to the secretariat at the next tick', async () => {
    at(FIRST_TICK);
    await planAll(f.bot);
    const lead = await coLeaderOf(4);
    at('2025-11-25T10:00:00+01:00');
    const { out } = await run('checkin answer A4 1 not sure', lead.id);
    expect(out).toContain('The secretariat will follow it up.');
    const [escalation] = (await planAll(f.bot)).planned.filter((p) => p.kind === 'escalation');
    expect(renderText(escalation!.payload)).toContain(`${lead.name} answered "not sure"`);
    expect(await itemCode(escalation!.key.split(':')[1]!)).toBe('A4.2.1');
  });

  it('a new date moves the item and marks it in progress; it escalates only if that date passes too', async () => {
    at(FIRST_TICK);
    await planAll(f.bot);
    const lead = await coLeaderOf(4);
    const before = await db().activity.findFirstOrThrow({ where: { code: 'A4.2.3' } });
    at('2025-11-25T10:00:00+01:00');
    try {
      const { reply, out } = await run('checkin answer A4 3 2026-01', lead.id);
      expect(reply.error).toBeFalsy();
      expect(out).toContain('October 2025 → January 2026');
      const after = await db().activity.findUniqueOrThrow({ where: { id: before.id } });
      expect([after.status, dateToIsoDay(after.whenEnd!)]).toEqual(['in_progress', '2026-01-31']);
      expect(await escalatedCodes(`${ANSWER_BY}T09:00:00+01:00`)).not.toContain('A4.2.3');
      // The button's form: the new date from the modal, as --when.
      expect((await run('checkin answer A4 3 running --when 2026-02', lead.id)).out).toContain('January 2026 → February 2026');
      expect(await escalatedCodes('2026-03-05T09:00:00+01:00')).toContain('A4.2.3');
    } finally {
      await restore('A4.2.3', { status: before.status, whenKind: before.whenKind, whenStart: before.whenStart, whenEnd: before.whenEnd, whenText: before.whenText });
    }
  });

  it('an output answered done is validated, audited as "output status" is', async () => {
    at(FIRST_TICK);
    await planAll(f.bot);
    const lead = await coLeaderOf(3);
    const output = await db().output.findFirstOrThrow({ where: { code: 'A3.O1' } });
    try {
      const { out } = await run('checkin answer A3 2 done', lead.id);
      expect(out).toContain('A3.O1 Self-assessment questionnaire: planned → validated');
      expect(await db().auditEntry.count({ where: { entityId: output.id, verb: 'status', actorId: lead.id } })).toBe(1);
    } finally {
      await db().output.update({ where: { id: output.id }, data: { status: 'planned', statusSetBy: null, statusSetAt: null } });
      await db().auditEntry.deleteMany({ where: { entityId: output.id } });
    }
  });

  it('refuses someone who does not co-lead the Action, and a number the check-in does not have', async () => {
    at(FIRST_TICK);
    await planAll(f.bot);
    const a1Lead = await coLeaderOf(1);
    const a4Leads = await db().actionRole.findMany({ where: { role: 'co_leader', action: { number: 4 } } });
    expect(a4Leads.some((r) => r.organisationId === a1Lead.organisationId)).toBe(false);
    const refused = await run('checkin answer A4 1 done', a1Lead.id);
    expect(refused.reply.error).toBe(true);
    expect(refused.out).toContain('Only the co-leaders of A4');
    expect((await db().activity.findFirstOrThrow({ where: { code: 'A4.2.1' } })).status).toBe('planned');
    expect((await run('checkin answer A1 9 done', a1Lead.id)).out).toContain("A1's check-in has items 1 to 1, not 9.");
  });

  it('"checkin" lists what is still open for the asker\'s Actions', async () => {
    at(FIRST_TICK);
    await planAll(f.bot);
    const lead = await coLeaderOf(3);
    const { reply } = await run('checkin', lead.id);
    expect(reply.title).toMatch(/^Open check-ins: .*A3/);
    const commands = reply.blocks.flatMap((b) => (b.type === 'buttons' ? b.buttons.map((x) => x.command) : []));
    expect(commands).toContain('checkin answer A3 2 done');
  });
});

describe('the monthly state-of-play check-in', () => {
  const MONTHLY = '2025-12-01T10:00:00+01:00';
  const monthly = <P extends { kind: string }>(planned: P[]) => planned.filter((p) => p.kind === 'checkin-monthly');
  const secretariat = () => db().person.findFirstOrThrow({ where: { key: 'demo-secretariat' } });

  it('goes out on the first working day at 10:00, once per Action and month, across replicas and restarts', async () => {
    at('2025-12-01T09:59:00+01:00');
    expect(monthly((await planAll(f.bot)).planned)).toEqual([]);
    at(MONTHLY);
    const ctx = f.bot.systemContext(await db().partnership.findFirstOrThrow());
    const [one, two] = await Promise.all([new Planner(ctx).plan(), new Planner(ctx).plan()]);
    const sent = monthly([...one.created, ...two.created]);
    const leaders = await db().actionRole.findMany({ where: { role: 'co_leader' }, include: { organisation: { include: { people: true } }, action: true } });
    expect(sent.map((p) => `${p.actionNumber}:${p.personId}`).sort()).toEqual(
      [...new Set(leaders.flatMap((r) => (r.organisation?.people ?? []).map((p) => `${r.action.number}:${p.id}`)))].sort(),
    );
    expect(await db().checkIn.count({ where: { round: '2025-12' } })).toBe(4);
    const a2 = sent.find((p) => p.actionNumber === 2)!;
    expect(renderText(a2.payload)).toContain('The monitoring table says:\nPlanning the first and second activities');
    // A2.2's own window ended in November, but its steps run on: it has not fallen due.
    expect(renderText(a2.payload)).toMatch(/Fell due since the last check-in \(2\):\n\s+• A2\.2\.5 .+\n\s+• A2\.O1 /);
    expect(a2.payload.blocks.find((b) => b.type === 'buttons')).toEqual({
      type: 'buttons',
      buttons: [
        {
          label: 'Update',
          command: 'checkin answer A2 status',
          style: 'primary',
          inputs: [
            { name: 'text', label: 'State of play', kind: 'text', initial: 'Planning the first and second activities' },
            { name: 'done', label: 'Now done (tick, or type their ids)', kind: 'choices', options: [expect.objectContaining({ value: 'A2.2.5' }), expect.objectContaining({ value: 'A2.O1' })] },
          ],
        },
      ],
    });
    at('2025-12-01T10:05:00+01:00');
    expect(monthly((await planAll(f.bot)).planned)).toEqual([]);
    at('2025-12-15T10:00:00+01:00');
    expect(monthly((await planAll(f.bot)).planned)).toEqual([]);
  });

  it('its answer is the state of play in "monitoring", with who and when; the others are reminded after 3 working days', async () => {
    at(MONTHLY);
    await planAll(f.bot);
    const lead = await coLeaderOf(1);
    const a1 = await db().action.findFirstOrThrow({ where: { number: 1 } });
    at('2025-12-02T11:00:00+01:00');
    try {
      expect((await run('checkin', lead.id)).out).toContain('How is A1 Labour doing?');
      const { reply } = await run('checkin answer A1 status "Second exchange prepared with Milan; report drafting"', lead.id);
      expect(reply.error).toBeFalsy();
      expect((await run('checkin', lead.id)).out).not.toContain('How is A1 Labour doing?');
      expect((await run('monitoring', lead.id)).out).toContain(`State of play: Second exchange prepared with Milan; report drafting (updated by ${lead.name} on 2 Dec 2025)`);
      expect(await db().auditEntry.count({ where: { entityId: a1.id, verb: 'state of play', actorId: lead.id } })).toBe(1);
      expect((await run('checkin status', lead.id)).out).toContain(`A1: state of play updated by ${lead.name} on 2 Dec 2025`);
      at('2025-12-04T08:59:00+01:00');
      expect((await planAll(f.bot)).planned.filter((p) => p.kind === 'checkin-reminder')).toEqual([]);
      at('2025-12-04T09:00:00+01:00');
      const reminders = (await planAll(f.bot)).planned.filter((p) => p.kind === 'checkin-reminder');
      expect([...new Set(reminders.map((p) => p.actionNumber))].sort()).toEqual([2, 3, 4]);
      expect(reminders[0]!.payload.title).toMatch(/^Reminder: A\d check-in: state of play$/);
      // The Monday digest shows who has not answered, and each Action's last update.
      at('2025-12-08T09:00:00+01:00');
      const digest = renderText((await planAll(f.bot)).planned.find((p) => p.kind === 'digest')!.payload);
      expect(digest).toMatch(/State of play:\n\s+• A1: last updated 2 Dec 2025\n\s+• A2: not updated since the work plan; check-in of 1 Dec 2025 not answered\n/);
    } finally {
      await db().action.update({ where: { id: a1.id }, data: { statePlay: a1.statePlay, statePlaySetBy: a1.statePlaySetBy, statePlaySetAt: a1.statePlaySetAt } });
    }
  });

  it('its answer may mark items done, each by the command it stands for; an id not of the Action changes nothing', async () => {
    at(MONTHLY);
    const { planned } = await planAll(f.bot);
    const offered = (n: number) =>
      planned
        .find((p) => p.kind === 'checkin-monthly' && p.actionNumber === n)!
        .payload.blocks.flatMap((b) => (b.type === 'buttons' ? b.buttons : []))
        .find((b) => b.label === 'Update')!
        .inputs!.find((i) => i.name === 'done')?.options?.map((o) => o.value);
    expect(offered(2)).toEqual(['A2.2.5', 'A2.O1']);
    expect(offered(1)).toBeUndefined();
    const lead = await coLeaderOf(2);
    const a2 = await db().action.findFirstOrThrow({ where: { number: 2 } });
    at('2025-12-02T11:00:00+01:00');
    try {
      const refused = await run('checkin answer A2 status "Mapping drafted" --done "A2.2.5 A1.2"', lead.id);
      expect(refused.out).toContain('A1.2 belongs to A1, not A2.');
      expect((await db().action.findUniqueOrThrow({ where: { id: a2.id } })).statePlay).toBe(a2.statePlay);
      expect((await db().activity.findFirstOrThrow({ where: { code: 'A2.2.5' } })).status).toBe('planned');

      const { reply, out } = await run('checkin answer A2 status "Mapping drafted" --done "A2.2.5, A2.O1"', lead.id);
      expect(reply.error).toBeFalsy();
      expect(out).toContain('A2.2.5');
      expect((await db().activity.findFirstOrThrow({ where: { code: 'A2.2.5' } })).status).toBe('done');
      expect((await db().output.findFirstOrThrow({ where: { code: 'A2.O1' } })).status).toBe('validated');
      expect((await db().auditEntry.findMany({ where: { actorId: lead.id, entityCode: { in: ['A2.2.5', 'A2.O1'] } } })).length).toBe(2);
    } finally {
      await restore('A2.2.5', { status: 'planned' });
      await db().output.updateMany({ where: { code: 'A2.O1' }, data: { status: 'planned' } });
      await db().action.update({ where: { id: a2.id }, data: { statePlay: a2.statePlay, statePlaySetBy: a2.statePlaySetBy, statePlaySetAt: a2.statePlaySetAt } });
    }
  });

  it('the secretariat sets its day and time, and can ask one Action now', async () => {
    const sec = await secretariat();
    const p = await db().partnership.findFirstOrThrow();
    at('2025-12-20T10:00:00+01:00');
    try {
      const { out } = await run('checkin settings --day 3 --time 11:30', sec.id);
      expect(out).toContain('working day 3 of each month at 11:30 (Europe/Brussels); next: 5 Jan 2026 11:30');
      expect((await run('checkin settings --day 3', (await coLeaderOf(1)).id)).reply.error).toBe(true);
      at('2026-01-05T11:29:00+01:00');
      expect(monthly((await planAll(f.bot)).planned)).toEqual([]);
      at('2026-01-05T11:30:00+01:00');
      expect(new Set(monthly((await planAll(f.bot)).planned).map((m) => m.actionNumber))).toEqual(new Set([1, 2, 3, 4]));

      at('2026-01-20T15:00:00+01:00');
      expect((await run('checkin send A3', sec.id)).reply.error).toBeFalsy();
      expect(new Set(monthly((await planAll(f.bot)).planned).map((m) => m.actionNumber))).toEqual(new Set([3]));
    } finally {
      await db().partnership.update({ where: { id: p.id }, data: { settings: p.settings ?? {} } });
    }
  });
});

describe('the personal daily summary', () => {
  it('replaces the day\'s nudges of who opts in with one message on their working mornings, and none on days with nothing', async () => {
    const lead = await coLeaderOf(2);
    const leaderOrgs = (await db().actionRole.findMany({ where: { role: 'co_leader' } })).map((r) => r.organisationId);
    const idle = await db().person.findFirstOrThrow({ where: { removedAt: null, organisationId: { notIn: leaderOrgs.filter((o): o is string => !!o) } } });
    try {
      expect((await run('notify daily on', lead.id)).out).toContain('one summary on your working mornings');
      expect((await run('notify daily on', idle.id)).reply.error).toBeFalsy();
      at('2025-11-24T07:59:00+01:00');
      expect((await planAll(f.bot)).planned.filter((p) => p.kind === 'daily-summary')).toEqual([]);
      at(FIRST_TICK);
      const { planned } = await planAll(f.bot);
      const summaries = planned.filter((p) => p.kind === 'daily-summary');
      expect(summaries.map((p) => p.personId)).toEqual([lead.id]);
      const shown = renderText(summaries[0]!.payload);
      expect(shown).toMatch(/Today:\n\s+• A2\.2\.5 .+: due in 6 days\n\s+• A2\.O1 .+: due in 6 days/);
      expect(shown).toContain('A2: 10 items to confirm ("checkin")');
      // Her nudges are kept, skipped, so they are never sent later; the other co-leaders' go out.
      const nudges = await db().outboxMessage.findMany({ where: { kind: 'nudge' } });
      expect(nudges.filter((n) => n.personId === lead.id).map((n) => [n.status, n.lastError])).toEqual([
        ['skipped', 'in the daily summary'],
        ['skipped', 'in the daily summary'],
      ]);
      expect(nudges.filter((n) => n.personId !== lead.id).every((n) => n.status === 'pending')).toBe(true);
      expect((await planAll(f.bot)).planned).toEqual([]);
      at('2025-11-29T10:00:00+01:00'); // Saturday
      expect((await planAll(f.bot)).planned.filter((p) => p.kind === 'daily-summary')).toEqual([]);
      expect((await run('daily off', lead.id)).reply.error).toBeFalsy();
      at('2025-12-01T09:00:00+01:00');
      expect((await planAll(f.bot)).planned.filter((p) => p.kind === 'daily-summary')).toEqual([]);
    } finally {
      await db().person.updateMany({ where: { id: { in: [lead.id, idle.id] } }, data: { preferences: {} } });
    }
  });

  it('tells who presents at a plenary of the coming week, even someone who co-leads nothing', async () => {
    const leaderOrgs = (await db().actionRole.findMany({ where: { role: 'co_leader' } })).map((r) => r.organisationId);
    const speaker = await db().person.findFirstOrThrow({ where: { removedAt: null, organisationId: { notIn: leaderOrgs.filter((o): o is string => !!o) } } });
    const p5 = await db().meeting.findFirstOrThrow({ where: { code: 'P5' } });
    at('2025-11-25T10:00:00+01:00');
    expect((await run('plenary set P5 --date 2025-12-10', (await db().person.findFirstOrThrow({ where: { key: 'demo-secretariat' } })).id)).reply.error).toBeFalsy();
    const item = await db().agendaItem.create({ data: { meetingId: p5.id, position: 1, title: 'Housing first in Lisbon', presenter: speaker.name, minutes: 15 } });
    try {
      expect((await run('notify daily on', speaker.id)).reply.error).toBeFalsy();
      const summaryOn = async (iso: string) => {
        at(iso);
        return (await planAll(f.bot)).planned.filter((p) => p.kind === 'daily-summary' && p.personId === speaker.id).map((p) => renderText(p.payload));
      };
      // More than a week before: nothing needs them yet.
      expect(await summaryOn('2025-12-02T09:00:00+01:00')).toEqual([]);
      const [shown] = await summaryOn('2025-12-03T09:00:00+01:00');
      expect(shown).not.toContain('milestone done');
      expect(shown).toMatch(/Plenary agenda:\n\s+• P5 10 Dec 2025 \(tbc\): you present item 1, “Housing first in Lisbon” \(15 min\)/);
      // After the plenary, nothing.
      expect(await summaryOn('2025-12-11T09:00:00+01:00')).toEqual([]);
    } finally {
      await db().agendaItem.delete({ where: { id: item.id } });
      await db().person.updateMany({ where: { id: speaker.id }, data: { preferences: {} } });
    }
  });
});
