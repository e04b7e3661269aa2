// The planner's calendar as an operator sees it on the shipped plan: a plenary's notices each on its
// day and to its audience, what a downtime skips and says it skipped, when a notice counts as late,
// personal lead times, and the monthly "needs a date" on the first working day.
import { beforeEach, describe, expect, it } from 'vitest';
import { renderText } from '../src/delivery/plain-text.ts';
import { addDays } from '../src/domain/fuzzy-date.ts';
import { silentLogger } from '../src/core/bot.ts';
import type { PlanOptions } from '../src/scheduler/planner.ts';
import { planAll } from '../src/scheduler/scheduler.ts';
import { importWorkPlan } from '../src/workplan/import.ts';
import { parseWorkPlan } from '../src/workplan/load.ts';
import { shippedPlanForFile } from './support/database.ts';

const f = shippedPlanForFile('2025-11-24');
const db = () => f.db.prisma;
const at = f.at;
const tick = async (iso: string, options: PlanOptions = {}) => {
  at(iso);
  return planAll(f.bot, silentLogger, options);
};

const P5 = { whenKind: 'month', whenStart: new Date('2025-12-01'), whenEnd: new Date('2025-12-31'), whenTentative: true, whenText: '2025-12 tbc' } as const;

beforeEach(async () => {
  await db().outboxMessage.deleteMany();
  await db().person.updateMany({ data: { preferences: {} } });
  await db().meeting.updateMany({ where: { code: 'P5' }, data: { ...P5, startsAt: null, agendaFrozen: false, cancelledAt: null, cancelReason: null, location: null } });
  const p = await db().partnership.findFirstOrThrow();
  await db().partnership.update({ where: { id: p.id }, data: { settings: { ...(p.settings as object), longestPersonalLeadDays: 0 } } });
});

/** P5 on one day, 20 January 2026 (a Tuesday). */
const p5OnTheDay = () =>
  db().meeting.updateMany({ where: { code: 'P5' }, data: { whenKind: 'day', whenStart: new Date('2026-01-20'), whenEnd: new Date('2026-01-20'), whenTentative: false, whenText: '2026-01-20' } });

describe('a plenary on a fixed day', () => {
  it('gets its call, freeze reminder, agenda, day-before reminder and decisions follow-up, each once, on its day, to its audience', async () => {
    await p5OnTheDay();
    const p5 = await db().meeting.findFirstOrThrow({ where: { code: 'P5' } });
    const seen: string[] = [];
    for (let day = '2025-12-29'; day <= '2026-01-22'; day = addDays(day, 1)) {
      const { planned } = await tick(`${day}T09:00:00+01:00`);
      for (const p of planned.filter((n) => n.kind.startsWith('plenary-'))) {
        expect(p.key).toBe(`${p.kind}:${p5.id}:2026-01-20`);
        expect(p.late).toBe(false);
        seen.push(`${day} ${p.kind} ${p.scope}`);
      }
    }
    expect(seen).toEqual([
      '2025-12-30 plenary-call partnership', // 21 days before
      '2026-01-10 plenary-freeze secretariat', // 10 days before
      '2026-01-13 plenary-agenda partnership', // 7 days before
      '2026-01-19 plenary-daybefore partnership',
      '2026-01-21 plenary-decisions secretariat', // the day after
    ]);
  });

  it('gets no freeze reminder once its agenda is frozen, and a plenary known only by its month no day-before reminder', async () => {
    await p5OnTheDay();
    await db().meeting.updateMany({ where: { code: 'P5' }, data: { agendaFrozen: true } });
    expect((await tick('2026-01-10T09:00:00+01:00')).planned.filter((p) => p.kind === 'plenary-freeze')).toEqual([]);
    await db().meeting.updateMany({ where: { code: 'P5' }, data: { ...P5, agendaFrozen: false } });
    // P5 in December 2025: its notices count from 1 December, its decisions from 1 January.
    const kinds: string[] = [];
    for (const day of ['2025-11-10', '2025-11-21', '2025-11-24', '2025-11-30', '2026-01-01']) {
      kinds.push(...(await tick(`${day}T09:00:00+01:00`)).planned.filter((p) => p.kind.startsWith('plenary-')).map((p) => `${day} ${p.kind}`));
    }
    expect(kinds).toEqual(['2025-11-10 plenary-call', '2025-11-21 plenary-freeze', '2025-11-24 plenary-agenda', '2026-01-01 plenary-decisions']);
  });
});

describe('after a downtime', () => {
  it('says which plenary notices it skipped as no longer useful, and forgets those older than a week', async () => {
    await p5OnTheDay();
    // Down from 12 January to the morning after the plenary.
    const { planned, stale } = await tick('2026-01-21T10:00:00+01:00');
    const p5 = await db().meeting.findFirstOrThrow({ where: { code: 'P5' } });
    expect(planned.filter((p) => p.kind.startsWith('plenary-')).map((p) => [p.kind, p.late])).toEqual([['plenary-decisions', false]]);
    // The agenda post of 13 January is more than a week old: forgotten, not reported.
    expect(stale.filter((s) => s.key.includes(p5.id))).toEqual([{ key: `plenary-daybefore:${p5.id}:2026-01-20`, reason: 'P5 daybefore notice no longer useful' }]);
    // Its decisions follow-up is still posted a week after its moment, and then quietly forgotten.
    const decisions = (r: Awaited<ReturnType<typeof tick>>) => r.planned.filter((p) => p.kind === 'plenary-decisions');
    await db().outboxMessage.deleteMany();
    expect(decisions(await tick('2026-01-28T09:00:00+01:00'))).toHaveLength(1);
    await db().outboxMessage.deleteMany();
    const forgotten = await tick('2026-01-28T09:01:00+01:00');
    expect(decisions(forgotten)).toEqual([]);
    expect(forgotten.stale.filter((s) => s.key.includes(p5.id))).toEqual([]);
  });

  it('says which nudges fell due while it was down, for a week', async () => {
    // A1.3 falls due on 31 December 2025.
    const a13 = await db().activity.findFirstOrThrow({ where: { code: 'A1.3' } });
    const nudges = (r: Awaited<ReturnType<typeof tick>>) => r.stale.filter((s) => s.key.startsWith(`nudge:${a13.id}:`));
    const soon = await tick('2026-01-02T10:00:00+01:00');
    expect(nudges(soon).length).toBeGreaterThan(0);
    for (const s of nudges(soon)) {
      expect(s.key).toMatch(new RegExp(`^nudge:${a13.id}:2025-12-31:0:`));
      expect(s.reason).toMatch(/^nudge to .+: A1\.3 is already past its due day$/);
    }
    expect(soon.planned.filter((p) => p.key.startsWith(`nudge:${a13.id}:`))).toEqual([]);
    expect(nudges(await tick('2025-12-31T08:59:00+01:00'))).toEqual([]);
    expect(nudges(await tick('2026-01-07T09:00:00+01:00')).length).toBeGreaterThan(0);
    expect(nudges(await tick('2026-01-07T09:01:00+01:00'))).toEqual([]);
  });

  it('says which window starts it missed because the window is over, for a week', async () => {
    const a14 = await db().activity.findFirstOrThrow({ where: { code: 'A1.4' } });
    const starts = (r: Awaited<ReturnType<typeof tick>>) => r.stale.filter((s) => s.key.startsWith(`start:${a14.id}:2026-01-01:`));
    const announced = (r: Awaited<ReturnType<typeof tick>>) => r.planned.filter((p) => p.kind === 'window-start' && p.key.includes(a14.id));
    try {
      // A window of three days, 1 to 3 January 2026, whose start was due on 1 January at 09:00.
      await db().activity.update({ where: { id: a14.id }, data: { whenKind: 'range', whenStart: new Date('2026-01-01'), whenEnd: new Date('2026-01-03'), whenText: '2026-01-01..2026-01-03' } });
      const over = await tick('2026-01-05T09:30:00+01:00');
      expect(announced(over)).toEqual([]);
      expect(starts(over).length).toBeGreaterThan(0);
      expect(starts(over).every((s) => /^start notice to .+: A1\.4 started too long ago$/.test(s.reason))).toBe(true);
      expect(starts(await tick('2026-01-08T09:00:00+01:00')).length).toBeGreaterThan(0);
      expect(starts(await tick('2026-01-08T09:01:00+01:00'))).toEqual([]);
      const inTime = await tick('2026-01-03T09:30:00+01:00');
      expect(starts(inTime)).toEqual([]);
      expect(announced(inTime).length).toBeGreaterThan(0);
      expect(announced(inTime).every((p) => p.late)).toBe(true);
    } finally {
      await db().activity.update({ where: { id: a14.id }, data: { whenKind: a14.whenKind, whenStart: a14.whenStart, whenEnd: a14.whenEnd, whenText: a14.whenText } });
    }
  });

  it('posts a missed digest for twelve hours, then says once that it skipped it', async () => {
    const p = await db().partnership.findFirstOrThrow();
    const key = `digest:${p.id}:2025-11-24`;
    expect((await tick('2025-11-24T21:00:00+01:00')).planned.filter((n) => n.kind === 'digest').map((n) => [n.key, n.late])).toEqual([[key, true]]);
    await db().outboxMessage.deleteMany();
    const skipped = await tick('2025-11-24T21:01:00+01:00');
    expect(skipped.planned.filter((n) => n.kind === 'digest')).toEqual([]);
    expect(skipped.stale).toContainEqual({ key, reason: 'weekly digest missed by more than 12 hours' });
    expect((await tick('2025-11-24T21:03:00+01:00')).stale.filter((s) => s.key === key)).toEqual([]);
    // On Sunday evening the digest in question is still last Monday's, long gone; Monday's comes at 09:00.
    expect((await tick('2025-11-30T21:00:00+01:00')).planned.filter((n) => n.kind === 'digest')).toEqual([]);
    expect((await tick('2025-12-01T08:59:00+01:00')).planned.filter((n) => n.kind === 'digest')).toEqual([]);
    expect((await tick('2025-12-01T09:00:00+01:00')).planned.filter((n) => n.kind === 'digest').map((n) => n.key)).toEqual([`digest:${p.id}:2025-12-01`]);
  });
});

describe('a notice', () => {
  it('counts as late when written more than an hour after its moment', async () => {
    f.clock.set(new Date('2025-11-24T09:00:00.000Z')); // 10:00 in Brussels, the digest was due at 09:00
    expect((await planAll(f.bot)).planned.find((n) => n.kind === 'digest')!.late).toBe(false);
    await db().outboxMessage.deleteMany();
    f.clock.set(new Date('2025-11-24T09:00:00.001Z'));
    expect((await planAll(f.bot)).planned.find((n) => n.kind === 'digest')!.late).toBe(true);
  });

  it('reaches a co-leader at the lead time they chose, even further ahead than anyone else looks', async () => {
    // A2.O1 falls due on 30 November 2025; the partnership's leads are 14, 7, 1 and 0 days.
    const cor = await db().person.findFirstOrThrow({ where: { key: 'demo-cor' } });
    const output = await db().output.findFirstOrThrow({ where: { code: 'A2.O1' } });
    const asCor = { platform: 'shell', workspaceId: 'local', userId: 'cor', displayName: 'cor', trustedPersonId: cor.id } as const;
    expect((await f.bot.handle({ ...asCor, text: 'notify leadtimes 20,3' })).error).toBeFalsy();
    const toCor = (r: Awaited<ReturnType<typeof tick>>) => r.planned.filter((p) => p.kind === 'nudge' && p.personId === cor.id && p.key.includes(output.id)).map((p) => p.key);
    expect(toCor(await tick('2025-11-09T09:00:00+01:00'))).toEqual([]);
    expect(toCor(await tick('2025-11-10T09:00:00+01:00'))).toEqual([`nudge:${output.id}:2025-11-30:20:${cor.id}`]);
    // Not at the partnership's 14 or 7 days: at their own 3.
    expect(toCor(await tick('2025-11-16T09:00:00+01:00'))).toEqual([]);
    expect(toCor(await tick('2025-11-23T09:00:00+01:00'))).toEqual([]);
    expect(toCor(await tick('2025-11-27T09:00:00+01:00'))).toEqual([`nudge:${output.id}:2025-11-30:3:${cor.id}`]);
  });
});

describe('"needs a date"', () => {
  it('is asked on the first working day of each month at the send hour', async () => {
    const undated = async (iso: string) => (await tick(iso)).planned.filter((p) => p.kind === 'needs-date').map((p) => p.key.split(':')[0] + ':' + p.key.split(':')[2]);
    // 1 February 2026 is a Sunday.
    expect(await undated('2026-02-01T12:00:00+01:00')).toEqual([]);
    expect(await undated('2026-02-02T08:59:00+01:00')).toEqual([]);
    const asked = await undated('2026-02-02T09:00:00+01:00');
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set(['undated:2026-02', 'undated-secretariat:2026-02']));
    // 1 April 2026 is a Wednesday.
    expect((await undated('2026-04-01T09:00:00+02:00')).length).toBeGreaterThan(0);
  });
});

describe('plenary invitations by e-mail', () => {
  const byAddress = { byAddress: true };
  const agendaDay = '2026-01-13T09:00:00+01:00'; // a week before P5 on 20 January
  const p5 = () => db().meeting.findFirstOrThrow({ where: { code: 'P5' } });
  const ofKind = (r: Awaited<ReturnType<typeof tick>>, kind: string) => r.planned.filter((p) => p.kind === kind);
  const markSent = (kind: string) => db().outboxMessage.updateMany({ where: { kind }, data: { status: 'sent' } });

  it('come with the agenda, once the day is fixed, to each member who reads e-mail: no address, chat chosen or reachable, or plenaries unsubscribed leave one out', async () => {
    const person = (key: string) => db().person.findFirstOrThrow({ where: { key } });
    const [chatter, linked, both, unsubscribed, removed, noAddress] = await Promise.all(
      ['demo-cor', 'demo-ceb', 'demo-bologna', 'demo-helsinki', 'demo-malta', 'demo-prato'].map(person),
    );
    await db().person.update({ where: { id: chatter!.id }, data: { preferences: { via: 'chat' } } });
    await db().person.update({ where: { id: both!.id }, data: { preferences: { via: 'both' } } });
    await db().person.update({ where: { id: unsubscribed!.id }, data: { preferences: { emailOff: ['plenaries'] } } });
    await db().person.update({ where: { id: removed!.id }, data: { removedAt: new Date('2025-11-01T00:00:00Z') } });
    await db().person.update({ where: { id: noAddress!.id }, data: { email: null } });
    for (const p of [linked!, both!]) await db().chatIdentity.create({ data: { personId: p.id, platform: 'slack', workspaceId: 'T1', externalId: `U-${p.key}` } });
    try {
      // Known only by its month: no invitation, which would be a month-long event in their calendars.
      expect(ofKind(await tick('2025-11-24T09:00:00+01:00', byAddress), 'plenary-invite')).toEqual([]);
      await db().outboxMessage.deleteMany();
      await p5OnTheDay();
      const m = await p5();
      // Without a platform that reaches people by address, the agenda goes to the channels alone.
      expect(ofKind(await tick(agendaDay), 'plenary-invite')).toEqual([]);
      await db().outboxMessage.deleteMany();
      const planned = await tick(agendaDay, byAddress);
      const [agenda] = ofKind(planned, 'plenary-agenda');
      const invites = ofKind(planned, 'plenary-invite');
      const left = new Set([chatter, linked, unsubscribed, removed, noAddress].map((p) => p!.id));
      const everyone = await db().person.findMany({ where: { partnershipId: f.partnershipId }, orderBy: { key: 'asc' } });
      const expected = everyone.filter((p) => !left.has(p.id));
      expect(expected.map((p) => p.id)).toContain(both!.id);
      expect(invites.map((i) => [i.key, i.personId])).toEqual(expected.map((p) => [`plenary-invite:${m.id}:2026-01-20:${p.id}`, p.id]));
      for (const invite of invites) {
        expect(invite).toMatchObject({ dueAt: agenda!.dueAt, late: false, payload: { title: agenda!.payload.title, blocks: agenda!.payload.blocks } });
        expect(invite.payload.invitation).toMatchObject({ method: 'REQUEST', uid: 'P5@inclusion-of-migrants.partnerbot', sequence: m.revision, firstDay: '2026-01-20' });
      }
      // Once each, however often it ticks.
      expect(ofKind(await tick(agendaDay, byAddress), 'plenary-invite')).toEqual([]);
    } finally {
      await db().chatIdentity.deleteMany();
      await db().person.update({ where: { id: removed!.id }, data: { removedAt: null } });
      await db().person.update({ where: { id: noAddress!.id }, data: { email: noAddress!.email } });
    }
  });

  it('a plenary moved after its invitations reaches, at once and once per change, everyone whose calendar holds it', async () => {
    await p5OnTheDay();
    const invites = ofKind(await tick(agendaDay, byAddress), 'plenary-invite');
    expect(invites.length).toBeGreaterThan(2);
    // One invitation is still waiting to go out: its holder gets the new version with it, not an update.
    const [waiting, ...held] = invites;
    await markSent('plenary-invite');
    await db().outboxMessage.update({ where: { key: waiting!.key }, data: { status: 'pending' } });
    expect(ofKind(await tick('2026-01-14T10:00:00+01:00', byAddress), 'plenary-update')).toEqual([]);

    // The database raises a plenary's calendar revision whenever its time or place changes.
    const before = (await p5()).revision;
    await db().meeting.updateMany({ where: { code: 'P5' }, data: { startsAt: new Date('2026-01-20T13:00:00Z'), location: 'Brussels, room 2' } });
    const m = await p5();
    expect(m.revision).toBeGreaterThan(before);
    const now = '2026-01-14T10:17:00+01:00';
    const updates = ofKind(await tick(now, byAddress), 'plenary-update');
    expect(updates.map((u) => [u.key, u.personId]).sort()).toEqual(held.map((i) => [`plenary-update:${m.id}:${m.revision}:${i.personId}`, i.personId]).sort());
    for (const u of updates) {
      expect(u).toMatchObject({ dueAt: new Date('2026-01-14T09:17:00Z'), late: false, payload: { title: 'Changed: P5 Online plenary' } });
      expect(u.payload.invitation).toMatchObject({ method: 'REQUEST', uid: 'P5@inclusion-of-migrants.partnerbot', sequence: m.revision });
    }
    expect(renderText(updates[0]!.payload)).toContain("P5 Online plenary is now 20 Jan 2026 at 14:00, Brussels, room 2. Your calendar's copy is updated with this message.");
    expect(ofKind(await tick(now, byAddress), 'plenary-update')).toEqual([]);

    // Once the updates went out, the next change is sent again, and nothing when nothing changed.
    await markSent('plenary-update');
    expect(ofKind(await tick('2026-01-15T10:00:00+01:00', byAddress), 'plenary-update')).toEqual([]);
    await db().meeting.updateMany({ where: { code: 'P5' }, data: { location: null } });
    const { revision } = await p5();
    const again = ofKind(await tick('2026-01-15T10:00:00+01:00', byAddress), 'plenary-update');
    expect(again.map((u) => u.key).sort()).toEqual(held.map((i) => `plenary-update:${m.id}:${revision}:${i.personId}`).sort());
    expect(renderText(again[0]!.payload)).toContain('P5 Online plenary is now 20 Jan 2026 at 14:00. Your');

    // Without e-mail nobody holds an invitation to update; a plenary already over is left alone.
    await db().meeting.updateMany({ where: { code: 'P5' }, data: { location: 'Brussels, room 3' } });
    expect(ofKind(await tick('2026-01-16T10:00:00+01:00'), 'plenary-update')).toEqual([]);
    expect(ofKind(await tick('2026-01-21T10:00:00+01:00', byAddress), 'plenary-update')).toEqual([]);
  });

  it('a plenary cancelled after its invitations sends each holder its cancellation once, for a week', async () => {
    await p5OnTheDay();
    const invites = ofKind(await tick(agendaDay, byAddress), 'plenary-invite');
    const [waiting, ...held] = invites;
    await markSent('plenary-invite');
    await db().outboxMessage.update({ where: { key: waiting!.key }, data: { status: 'pending' } });
    const cancelledAt = new Date('2026-01-14T09:00:00Z');
    await db().meeting.updateMany({ where: { code: 'P5' }, data: { cancelledAt, cancelReason: 'no quorum', location: 'nowhere' } });
    const m = await p5();
    // Not before the moment it was cancelled.
    expect(ofKind(await tick('2026-01-14T09:59:00+01:00', byAddress), 'plenary-cancel')).toEqual([]);
    const planned = await tick('2026-01-14T12:00:00+01:00', byAddress);
    const cancels = ofKind(planned, 'plenary-cancel');
    expect(cancels.map((c) => [c.key, c.personId]).sort()).toEqual(held.map((i) => [`plenary-cancel:${m.id}:2026-01-14T09:00:00.000Z:${i.personId}`, i.personId]).sort());
    for (const c of cancels) {
      expect(c).toMatchObject({ dueAt: cancelledAt, late: true, payload: { title: 'Cancelled: P5 Online plenary' } });
      expect(c.payload.invitation).toMatchObject({ method: 'CANCEL', uid: 'P5@inclusion-of-migrants.partnerbot' });
      expect(renderText(c.payload)).toContain('P5 Online plenary is cancelled: no quorum');
    }
    // A cancelled plenary gets no update, whatever its revision, and no more agenda notices.
    expect(ofKind(planned, 'plenary-update')).toEqual([]);
    expect(planned.planned.filter((p) => p.kind.startsWith('plenary-') && p.kind !== 'plenary-cancel')).toEqual([]);
    expect(ofKind(await tick('2026-01-15T12:00:00+01:00', byAddress), 'plenary-cancel')).toEqual([]);

    // Without a reason; and after a week, nobody is told any more.
    await db().outboxMessage.deleteMany({ where: { kind: 'plenary-cancel' } });
    await db().meeting.updateMany({ where: { code: 'P5' }, data: { cancelReason: null } });
    const plain = ofKind(await tick('2026-01-21T10:00:00+01:00', byAddress), 'plenary-cancel');
    expect(plain).toHaveLength(held.length);
    expect(renderText(plain[0]!.payload)).toContain('P5 Online plenary is cancelled.');
    await db().outboxMessage.deleteMany({ where: { kind: 'plenary-cancel' } });
    expect(ofKind(await tick('2026-01-21T10:01:00+01:00', byAddress), 'plenary-cancel')).toEqual([]);
    expect(ofKind(await tick('2026-01-21T10:00:00+01:00'), 'plenary-cancel')).toEqual([]);
  });
});

describe('the weekly digest', () => {
  it('is written once for the bound channels and once for each list a platform takes it to', async () => {
    const list = (channelId: string) => ({ platform: 'email', workspaceId: 'list', channelId });
    const planned = await tick('2025-11-24T09:00:00+01:00', { digestTargets: [list('a@lists.example.org'), list('b@lists.example.org')] });
    const key = `digest:${f.partnershipId}:2025-11-24`;
    const digests = planned.planned.filter((p) => p.kind === 'digest');
    expect(digests.map((d) => [d.key, d.target, d.scope, d.dueAt.toISOString()])).toEqual([
      [key, undefined, 'partnership', '2025-11-24T08:00:00.000Z'],
      [`${key}:email:a@lists.example.org`, list('a@lists.example.org'), 'partnership', '2025-11-24T08:00:00.000Z'],
      [`${key}:email:b@lists.example.org`, list('b@lists.example.org'), 'partnership', '2025-11-24T08:00:00.000Z'],
    ]);
    expect(digests[1]!.payload).toEqual(digests[0]!.payload);
    expect((await db().outboxMessage.findUniqueOrThrow({ where: { key: `${key}:email:a@lists.example.org` } })).target).toEqual(list('a@lists.example.org'));
  });
});

describe('an activity whose open steps run past its own window', () => {
  it('is nudged by the last day of its steps, and the nudge shows the window stretched to it', async () => {
    // A3.1 is dated 2025; its last open step, A3.1.3, runs March to April 2026.
    const a31 = await db().activity.findFirstOrThrow({ where: { code: 'A3.1' } });
    const nudges = async (iso: string) => (await tick(iso)).planned.filter((p) => p.kind === 'nudge' && p.key.startsWith(`nudge:${a31.id}:`));
    expect(await nudges('2025-12-24T09:00:00+01:00')).toEqual([]);
    const due = await nudges('2026-04-23T09:00:00+02:00');
    expect(due.length).toBeGreaterThan(0);
    for (const n of due) {
      expect(n.key).toMatch(new RegExp(`^nudge:${a31.id}:2026-04-30:7:`));
      expect(n.payload.title).toBe('A3.1 is due in 7 days');
      expect(renderText(n.payload)).toContain('A3.1 Institutional Self Assessment (A3) is due in 7 days: Jan 2025 – Apr 2026.');
    }
    // An item without steps keeps its own window in the text: A1.3, "December 2025", is not a range of days.
    await db().outboxMessage.deleteMany();
    const a13 = (await tick('2025-12-24T09:00:00+01:00')).planned.find((p) => p.kind === 'nudge' && p.payload.title === 'A1.3 is due in 7 days');
    expect(renderText(a13!.payload)).toMatch(/ \(A1\) is due in 7 days: December 2025\.\n/);
  });
});

describe('a plenary whose notices all fall in the last week', () => {
  it('after a downtime until its day, gets only its day-before reminder, late, and says the call, freeze and agenda are no longer useful', async () => {
    await p5OnTheDay();
    const p = await db().partnership.findFirstOrThrow();
    const settings = p.settings as object;
    // Call three days before, freeze reminder two, agenda one: all within the catch-up week.
    await db().partnership.update({ where: { id: p.id }, data: { settings: { ...settings, agendaCallDays: 3, agendaFreezeReminderDays: 2, agendaPostDays: 1 } } });
    try {
      const m = await db().meeting.findFirstOrThrow({ where: { code: 'P5' } });
      const { planned, stale } = await tick('2026-01-20T09:00:00+01:00');
      expect(planned.filter((n) => n.kind.startsWith('plenary-')).map((n) => [n.kind, n.late])).toEqual([['plenary-daybefore', true]]);
      expect(stale.filter((s) => s.key.includes(m.id)).map((s) => s.reason)).toEqual([
        'P5 call notice no longer useful',
        'P5 freeze notice no longer useful',
        'P5 agenda notice no longer useful',
      ]);
    } finally {
      await db().partnership.update({ where: { id: p.id }, data: { settings } });
    }
  });
});

describe('a plenary\'s other notices', () => {
  it('still come once its agenda is frozen; a plenary known by its month is never said to have missed a day-before reminder', async () => {
    await p5OnTheDay();
    await db().meeting.updateMany({ where: { code: 'P5' }, data: { agendaFrozen: true } });
    const kinds = async (iso: string) => (await tick(iso)).planned.filter((p) => p.kind.startsWith('plenary-')).map((p) => p.kind);
    expect(await kinds('2026-01-13T09:00:00+01:00')).toEqual(['plenary-agenda']);
    expect(await kinds('2026-01-19T09:00:00+01:00')).toEqual(['plenary-daybefore']);

    // P5 in December 2025: 30 November would be the day before its first day.
    await db().meeting.updateMany({ where: { code: 'P5' }, data: { ...P5, agendaFrozen: false } });
    const m = await db().meeting.findFirstOrThrow({ where: { code: 'P5' } });
    for (const day of ['2025-11-30', '2025-12-01', '2025-12-02']) {
      const { planned, stale } = await tick(`${day}T09:00:00+01:00`);
      expect(planned.filter((p) => p.kind === 'plenary-daybefore')).toEqual([]);
      expect(stale.filter((s) => s.key.startsWith(`plenary-daybefore:${m.id}:`))).toEqual([]);
    }
  });
});

describe('on the day', () => {
  it('an item due today is "due today" at the send hour; a window that starts today is announced then, on time, and for a week after', async () => {
    // A1.3 falls due on 31 December 2025.
    const a13 = await db().activity.findFirstOrThrow({ where: { code: 'A1.3' } });
    const dueToday = (await tick('2025-12-31T09:00:00+01:00')).planned.filter((p) => p.kind === 'nudge' && p.key.startsWith(`nudge:${a13.id}:2025-12-31:0:`));
    expect(dueToday.length).toBeGreaterThan(0);
    expect(dueToday.every((p) => p.payload.title === 'A1.3 is due today' && !p.late)).toBe(true);

    // A1.4, January to May 2026, starts on 1 January.
    const a14 = await db().activity.findFirstOrThrow({ where: { code: 'A1.4' } });
    const starts = (r: Awaited<ReturnType<typeof tick>>) => r.planned.filter((p) => p.kind === 'window-start' && p.key.startsWith(`start:${a14.id}:2026-01-01:`));
    const missed = (r: Awaited<ReturnType<typeof tick>>) => r.stale.filter((s) => s.key.startsWith(`start:${a14.id}:2026-01-01:`));
    const onTime = starts(await tick('2026-01-01T09:00:00+01:00'));
    expect(onTime.length).toBeGreaterThan(0);
    expect(onTime.every((p) => p.payload.title === 'A1.4 starts now' && !p.late && p.dueAt.toISOString() === '2026-01-01T08:00:00.000Z')).toBe(true);
    await db().outboxMessage.deleteMany();
    const weekLater = await tick('2026-01-08T09:00:00+01:00');
    expect(starts(weekLater).length).toBe(onTime.length);
    expect(missed(weekLater)).toEqual([]);
    await db().outboxMessage.deleteMany();
    const tooLate = await tick('2026-01-09T09:00:00+01:00');
    // More than a week after the start, and so after its moment: quietly forgotten.
    expect(starts(tooLate)).toEqual([]);
    expect(missed(tooLate)).toEqual([]);
  });

  it('an item that has one day, not a window, gets no "starts now"', async () => {
    const a14 = await db().activity.findFirstOrThrow({ where: { code: 'A1.4' } });
    try {
      await db().activity.update({ where: { id: a14.id }, data: { whenKind: 'day', whenStart: new Date('2026-01-05'), whenEnd: new Date('2026-01-05'), whenText: '2026-01-05' } });
      const { planned, stale } = await tick('2026-01-05T09:00:00+01:00');
      expect(planned.filter((p) => p.key.includes(a14.id)).map((p) => p.kind)).toContain('nudge');
      expect(planned.filter((p) => p.kind === 'window-start' && p.key.includes(a14.id))).toEqual([]);
      expect(stale.filter((s) => s.key.includes(a14.id))).toEqual([]);
    } finally {
      await db().activity.update({ where: { id: a14.id }, data: { whenKind: a14.whenKind, whenStart: a14.whenStart, whenEnd: a14.whenEnd, whenText: a14.whenText } });
    }
  });
});

describe('"needs a date", more', () => {
  it('is asked on a month\'s first day when that is a Friday, naming the Action\'s co-leaders', async () => {
    // 1 May 2026 is a Friday.
    const { planned } = await tick('2026-05-01T09:00:00+02:00');
    const a1 = planned.filter((p) => p.kind === 'needs-date' && p.actionNumber === 1);
    expect(a1.map((p) => p.scope).sort()).toEqual(['action', 'secretariat']);
    const action = await db().action.findFirstOrThrow({ where: { number: 1 } });
    const roles = await db().actionRole.findMany({ where: { actionId: action.id, role: 'co_leader' }, include: { organisation: { include: { people: { where: { removedAt: null } } } } } });
    const names = roles.flatMap((r) => r.organisation?.people ?? []).map((p) => p.name);
    expect(names.length).toBeGreaterThan(0);
    const shown = renderText(a1[0]!.payload);
    expect(shown).toMatch(/For @.+\. Set one with "milestone move <id> <date>"\./);
    for (const name of names) expect(shown).toContain(`@${name}`);
  });
});

describe('a co-leader on leave', () => {
  it('has their nudge sent to their delegate, who is told for whom; with nobody to stand in, it waits', async () => {
    const person = (key: string) => db().person.findFirstOrThrow({ where: { key } });
    const [cor, cor2, milan] = await Promise.all(['demo-cor', 'demo-cor-2', 'demo-milan'].map(person));
    const output = await db().output.findFirstOrThrow({ where: { code: 'A2.O1' } });
    const nudges = async () => (await tick('2025-11-24T09:00:00+01:00')).planned.filter((p) => p.kind === 'nudge' && p.key.startsWith(`nudge:${output.id}:2025-11-30:7:`));
    const away = (p: { id: string }, delegateId: string | null) =>
      db().absence.create({ data: { partnershipId: f.partnershipId, personId: p.id, firstDay: new Date('2025-11-20'), lastDay: new Date('2025-12-05'), delegateId } });
    try {
      await away(cor!, milan!.id);
      const sent = await nudges();
      expect(sent.map((n) => n.personId)).not.toContain(cor!.id);
      const forCor = sent.filter((n) => n.personId === milan!.id);
      expect(forCor).toHaveLength(1);
      expect(renderText(forCor[0]!.payload)).toContain(`@${milan!.name}, A2.O1 Good practices mapping report (A2) is due in 6 days: Jun–Nov 2025.\n  (You receive this for ${cor!.name}, away until 5 Dec 2025.)`);
      expect(renderText(sent.find((n) => n.personId === cor2!.id)!.payload)).not.toContain('away');

      // Away with no delegate, and their colleague away too: nobody is nudged in their place.
      await db().absence.deleteMany();
      await db().outboxMessage.deleteMany();
      await away(cor!, null);
      await away(cor2!, null);
      const none = await nudges();
      expect(none.map((n) => n.personId)).not.toContain(cor!.id);
      expect(none.map((n) => n.personId)).not.toContain(cor2!.id);
      expect(none.length).toBeGreaterThan(0); // the other co-leaders of A2
    } finally {
      await db().absence.deleteMany();
    }
  });
});

describe('two partnerships in one database', () => {
  it('each tick keeps every notice, recipient and name within its own partnership', async () => {
    const other = await importWorkPlan(db(), parseWorkPlan(`
partnership: { slug: other-partnership, name: Another Partnership, timeZone: Europe/Brussels }
organisations: [{ key: lisbon, name: Lisbon, kind: city, country: PT }]
coordinators: [lisbon]
people:
  - { key: lisbon-ana, name: Ana Harbourside, organisation: lisbon, email: ana@lisbon.example.org }
  - { key: lisbon-rui, name: Rui Quayside, organisation: lisbon, email: rui@lisbon.example.org, roles: [secretariat] }
actions:
  - { number: 1, shortTitle: Harbours, title: Harbours, objective: Harbours, governanceLevels: [local], deadline: "2027-03", coLeaders: [lisbon], activities: [{ title: Harbour mapping, when: "2025-11" }, { title: Harbour visits, when: "2025-11-24..2026-02-27" }, { title: Harbour report, when: "tbd" }, { title: Harbour study, when: "2025-06", steps: [{ title: Harbour study step, when: "2025-11" }] }] }
meetings:
  - { kind: plenary, title: Harbour plenary, when: "2026-01-20", format: online }
`));
    const byAddress = { byAddress: true };
    try {
      await p5OnTheDay();
      for (const day of ['2025-11-24T09:00:00+01:00', '2025-12-01T09:00:00+01:00', '2025-12-03T09:00:00+01:00', '2026-01-13T09:00:00+01:00']) await tick(day, byAddress);
      await db().outboxMessage.updateMany({ where: { kind: 'plenary-invite' }, data: { status: 'sent' } });
      await db().meeting.updateMany({ where: { kind: 'plenary', whenStart: new Date('2026-01-20') }, data: { location: 'elsewhere' } });
      await tick('2026-01-14T09:00:00+01:00', byAddress);
      await db().outboxMessage.updateMany({ where: { kind: 'plenary-update' }, data: { status: 'sent' } });
      await db().meeting.updateMany({ where: { kind: 'plenary', whenStart: new Date('2026-01-20') }, data: { cancelledAt: new Date('2026-01-15T08:00:00Z') } });
      await tick('2026-01-15T10:00:00+01:00', byAddress);

      const owner = new Map<string, string>();
      for (const a of await db().action.findMany({ include: { activities: true, outputs: true } })) {
        owner.set(a.id, a.partnershipId);
        for (const x of [...a.activities, ...a.outputs]) owner.set(x.id, a.partnershipId);
      }
      for (const m of await db().meeting.findMany()) owner.set(m.id, m.partnershipId);
      for (const p of await db().person.findMany()) owner.set(p.id, p.partnershipId);
      const rows = await db().outboxMessage.findMany();
      const kinds = (pid: string) => new Set(rows.filter((r) => r.partnershipId === pid).map((r) => r.kind));
      // Both partnerships had their nudges, escalations, "needs a date", invitations, updates and cancellations.
      for (const pid of [f.partnershipId, other.partnershipId]) {
        for (const kind of ['nudge', 'window-start', 'escalation', 'needs-date', 'plenary-agenda', 'plenary-invite', 'plenary-update', 'plenary-cancel']) expect([pid === f.partnershipId ? 'ours' : 'other', kind, kinds(pid).has(kind)]).toEqual([pid === f.partnershipId ? 'ours' : 'other', kind, true]);
      }
      for (const r of rows) {
        for (const part of [...r.key.split(':'), r.personId]) if (part && owner.has(part)) expect([r.key, owner.get(part)]).toEqual([r.key, r.partnershipId]);
        if (r.partnershipId === f.partnershipId) expect(JSON.stringify(r.payload)).not.toMatch(/Harbour|Ana |Rui |Lisbon/);
      }
    } finally {
      await db().partnership.delete({ where: { id: other.partnershipId } });
    }
  });
});

describe('someone taken off the roster', () => {
  it('is nudged no more, whether they co-lead through their organisation or in person', async () => {
    const person = (key: string) => db().person.findFirstOrThrow({ where: { key } });
    const [cor, milan] = await Promise.all(['demo-cor', 'demo-milan'].map(person));
    const a2 = await db().action.findFirstOrThrow({ where: { number: 2 } });
    const role = await db().actionRole.create({ data: { actionId: a2.id, role: 'co_leader', personId: milan!.id } });
    const nudged = async () => new Set((await tick('2025-11-24T09:00:00+01:00')).planned.filter((p) => p.kind === 'nudge' && p.actionNumber === 2).map((p) => p.personId));
    try {
      const before = await nudged();
      expect(before.has(cor!.id) && before.has(milan!.id)).toBe(true);
      await db().outboxMessage.deleteMany();
      await db().person.updateMany({ where: { id: { in: [cor!.id, milan!.id] } }, data: { removedAt: new Date('2025-11-20T00:00:00Z') } });
      const after = await nudged();
      expect(after.size).toBeGreaterThan(0);
      expect(after.has(cor!.id) || after.has(milan!.id)).toBe(false);
    } finally {
      await db().person.updateMany({ where: { id: { in: [cor!.id, milan!.id] } }, data: { removedAt: null } });
      await db().actionRole.delete({ where: { id: role.id } });
    }
  });
});

describe('a first-day check-in while a co-leader is away', () => {
  it('asks whoever stands in for them instead, once', async () => {
    const person = (key: string) => db().person.findFirstOrThrow({ where: { key } });
    const [cor, cor2, milan] = await Promise.all(['demo-cor', 'demo-cor-2', 'demo-milan'].map(person));
    const asked = async () => (await tick('2025-11-24T09:00:00+01:00')).planned.filter((p) => p.kind === 'checkin').map((p) => [p.actionNumber, p.personId]);
    try {
      await db().checkIn.deleteMany();
      const usual = await asked();
      expect(usual).toContainEqual([2, cor!.id]);
      expect(usual.filter(([, id]) => id === milan!.id)).toEqual([]);
      await db().checkIn.deleteMany();
      await db().outboxMessage.deleteMany();
      await db().absence.create({ data: { partnershipId: f.partnershipId, personId: cor!.id, firstDay: new Date('2025-11-20'), lastDay: new Date('2025-12-05'), delegateId: milan!.id } });
      const away = await asked();
      expect(away.filter(([, id]) => id === cor!.id)).toEqual([]);
      expect(away.filter(([, id]) => id === milan!.id)).toEqual([[2, milan!.id]]);
      expect(away).toHaveLength(usual.length);

      // Away with nobody to stand in (their colleague away too): asked on return, not now.
      await db().absence.deleteMany();
      await db().checkIn.deleteMany();
      await db().outboxMessage.deleteMany();
      for (const p of [cor!, cor2!]) await db().absence.create({ data: { partnershipId: f.partnershipId, personId: p.id, firstDay: new Date('2025-11-20'), lastDay: new Date('2025-12-05') } });
      const nobody = await asked();
      expect(nobody.filter(([, id]) => id === cor!.id || id === cor2!.id)).toEqual([]);
      expect(nobody).toHaveLength(usual.length - 2);
    } finally {
      await db().absence.deleteMany();
      await db().checkIn.deleteMany();
    }
  });
});

describe('a missed digest, minute by minute', () => {
  it('is said skipped exactly once by a bot that ticks every minute', async () => {
    const key = `digest:${f.partnershipId}:2025-11-24`;
    const said: string[] = [];
    for (const minute of ['21:00', '21:01', '21:02', '21:03']) {
      const { stale } = await tick(`2025-11-24T${minute}:00+01:00`);
      if (stale.some((s) => s.key === key)) said.push(minute);
    }
    expect(said).toEqual(['21:01']);
  });
});

describe('plenary invitations by e-mail, more', () => {
  it('do not come with the call for agenda items nor with the freeze reminder, only with the agenda', async () => {
    await p5OnTheDay();
    const byAddress = { byAddress: true };
    const planned = async (iso: string) => (await tick(iso, byAddress)).planned.map((p) => p.kind).filter((k) => k.startsWith('plenary-'));
    expect(await planned('2025-12-30T09:00:00+01:00')).toEqual(['plenary-call']);
    expect(await planned('2026-01-10T09:00:00+01:00')).toEqual(['plenary-freeze']);
    expect(new Set(await planned('2026-01-13T09:00:00+01:00'))).toEqual(new Set(['plenary-agenda', 'plenary-invite']));
  });
});

describe('a co-leader back from leave, or away when a window starts', () => {
  it('gets no nudge their stand-in had; a window\'s start goes to the delegate, saying for whom, or to nobody', async () => {
    const person = (key: string) => db().person.findFirstOrThrow({ where: { key } });
    const [cor, cor2, milan] = await Promise.all(['demo-cor', 'demo-cor-2', 'demo-milan'].map(person));
    const output = await db().output.findFirstOrThrow({ where: { code: 'A2.O1' } });
    const nudges = async () => (await tick('2025-11-24T09:00:00+01:00')).planned.filter((p) => p.kind === 'nudge' && p.key.startsWith(`nudge:${output.id}:2025-11-30:7:`));
    try {
      // Back from leave: the nudge that fell due while they were away went to their stand-in then.
      await db().absence.create({ data: { partnershipId: f.partnershipId, personId: cor!.id, firstDay: new Date('2025-11-10'), lastDay: new Date('2025-11-23'), delegateId: milan!.id } });
      const back = await nudges();
      expect(back.map((n) => n.personId)).not.toContain(cor!.id);
      expect(back.map((n) => n.personId)).toContain(cor2!.id);

      // The start of a window too: to the delegate, saying for whom; to nobody when nobody can stand in.
      await db().absence.deleteMany();
      await db().outboxMessage.deleteMany();
      const a14 = await db().activity.findFirstOrThrow({ where: { code: 'A1.4' } });
      const a1 = await db().action.findFirstOrThrow({ where: { number: 1 }, include: { roles: { where: { role: 'co_leader' }, include: { organisation: { include: { people: { orderBy: { key: 'asc' } } } } } } } });
      const [first, second] = a1.roles.map((r) => r.organisation!.people);
      const january = { firstDay: new Date('2026-01-01'), lastDay: new Date('2026-01-31') };
      await db().absence.create({ data: { partnershipId: f.partnershipId, personId: first![0]!.id, ...january, delegateId: milan!.id } });
      for (const p of second!) await db().absence.create({ data: { partnershipId: f.partnershipId, personId: p.id, ...january } });
      const starts = (await tick('2026-01-05T09:30:00+01:00')).planned.filter((p) => p.kind === 'window-start' && p.key.startsWith(`start:${a14.id}:`));
      expect(new Set(starts.map((s) => s.personId))).toEqual(new Set([milan!.id, ...first!.slice(1).map((p) => p.id)]));
      expect(renderText(starts.find((s) => s.personId === milan!.id)!.payload)).toContain(`@${milan!.name}, A1.4 Development of recommendations based on good practices (A1) starts now: Jan–May 2026.\n  (You receive this for ${first![0]!.name}, away until 31 Jan 2026.)`);
      expect(renderText(starts.find((s) => s.personId !== milan!.id)!.payload)).not.toContain('You receive this for');
    } finally {
      await db().absence.deleteMany();
    }
  });
});
