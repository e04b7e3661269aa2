// The scheduler at chosen instants on the shipped plan: what it decides, and how it delivers.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderText } from '../src/delivery/plain-text.ts';
import { parseInstant } from '../src/core/clock.ts';
import { plainText, type Reply } from '../src/core/reply.ts';
import { Dispatcher, MAX_ATTEMPTS } from '../src/scheduler/dispatcher.ts';
import { addDays, dateToIsoDay } from '../src/domain/fuzzy-date.ts';
import type { Db } from '../src/persistence/database.ts';
import { insertOutboxRows, type OutboxRow } from '../src/persistence/outbox-insert.ts';
import { addWorkingDays, Planner, type PlanResult } from '../src/scheduler/planner.ts';
import { planAll, Scheduler } from '../src/scheduler/scheduler.ts';
import { DmUnavailable, LogTransport, type Transport } from '../src/delivery/transport.ts';
import { shippedPlanFixture, type Fixture } from './support/database.ts';
import { followedAllAlong } from './support/checkins.ts';

let f: Fixture;
beforeAll(async () => {
  f = await shippedPlanFixture('2025-11-24');
});
afterAll(async () => {
  await f?.db.drop();
});

const firstText = (reply: Reply) => (reply.blocks[0]?.type === 'text' ? plainText(reply.blocks[0].text) : '');
const at = (iso: string) => f.clock.set(parseInstant(iso, 'Europe/Brussels'));
const db = () => f.db.prisma;

async function reset() {
  await db().outboxMessage.deleteMany();
  await db().checkIn.deleteMany();
  await db().channelBinding.deleteMany();
  await db().chatIdentity.deleteMany();
  await db().person.updateMany({ data: { preferences: {} } });
  await db().partnership.updateMany({ data: { nudgesPaused: false } });
}

class RecordingTransport implements Transport {
  readonly sent: { kind: 'dm' | 'channel'; to: string; title: string; text: string }[] = [];
  failNext = 0;
  refuseDm = new Set<string>();
  constructor(readonly platform = 'slack') {}
  async sendDm(userId: string, reply: Reply) {
    if (this.refuseDm.has(userId)) throw new DmUnavailable('closed DMs');
    this.take();
    this.sent.push({ kind: 'dm', to: userId, title: reply.title ?? '', text: renderText(reply) });
  }
  async postChannel(target: { channelId: string }, reply: Reply) {
    this.take();
    this.sent.push({ kind: 'channel', to: target.channelId, title: reply.title ?? '', text: renderText(reply) });
  }
  private take() {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('platform_error 503');
    }
  }
}

function dispatcher(transports: Transport[], workerId = 'test') {
  return new Dispatcher({ db: db(), clock: f.clock, transports, log: new LogTransport(() => {}), workerId });
}

async function bind(scope: 'partnership' | 'secretariat' | 'action', channelId: string, actionNumber?: number) {
  const p = await db().partnership.findFirstOrThrow();
  const action = actionNumber ? await db().action.findFirstOrThrow({ where: { number: actionNumber } }) : null;
  await db().channelBinding.create({ data: { partnershipId: p.id, platform: 'slack', workspaceId: 'T1', channelId, scope, actionId: action?.id ?? null } });
}

async function link(key: string, userId: string) {
  const person = await db().person.findFirstOrThrow({ where: { key } });
  await db().chatIdentity.create({ data: { personId: person.id, platform: 'slack', workspaceId: 'T1', externalId: userId } });
  return person;
}

beforeEach(reset);

describe('what a tick decides', () => {
  it('on Monday 24 Nov 2025 09:00, the first tick: the digest, the week\'s nudges, check-ins instead of escalations, the P5 agenda', async () => {
    at('2025-11-24T09:00:00+01:00');
    const { planned } = await planAll(f.bot);
    const kinds = planned.reduce<Record<string, number>>((acc, p) => ({ ...acc, [p.kind]: (acc[p.kind] ?? 0) + 1 }), {});
    expect(kinds.digest).toBe(1);
    expect(kinds['plenary-agenda']).toBe(1);
    // A2's outputs and activities ending 30 Nov: the 7-day nudge to the people of CoR and CEB.
    const a2 = planned.filter((p) => p.kind === 'nudge' && firstText(p.payload).includes('A2.O1'));
    expect(a2).toHaveLength(4);
    expect(a2.every((p) => p.actionNumber === 2 && p.personId)).toBe(true);
    // Items that ended before the bot started and that nobody touched are asked about, not escalated.
    expect(planned.filter((p) => p.kind === 'escalation')).toEqual([]);
    expect(planned.filter((p) => p.kind === 'checkin-summary').map((p) => p.payload.title)).toEqual(['Check-ins sent to A1–A4']);
    expect(planned.find((p) => p.kind === 'digest')!.payload.blocks.map((b) => b.type)).toContain('list');
  });

  it('writes each planned notification as it was planned', async () => {
    at('2025-11-24T09:00:00+01:00');
    const { planned } = await planAll(f.bot);
    const rows = await db().outboxMessage.findMany();
    expect(rows).toHaveLength(planned.length);
    for (const p of planned) {
      const row = rows.find((r) => r.key === p.key)!;
      expect(row).toMatchObject({ kind: p.kind, dueAt: p.dueAt, late: p.late, status: 'pending', personId: p.personId ?? null, scope: p.scope ?? null, actionNumber: p.actionNumber ?? null, attempts: 0 });
      expect(row.payload).toEqual(JSON.parse(JSON.stringify(p.payload)));
      expect(row.createdAt).toEqual(f.clock.now());
    }
  });

  it('names the latest overdue items in the digest and counts the rest', async () => {
    // Monday 3 May 2027: most of the 2025-2027 plan has fallen due, nothing is marked done.
    at('2027-05-03T09:00:00+02:00');
    const digest = (await planAll(f.bot)).planned.find((p) => p.kind === 'digest')!.payload;
    const overdueList = digest.blocks.find((b) => b.type === 'list' && b.title?.startsWith('Overdue'));
    if (overdueList?.type !== 'list') throw new Error('no overdue list in the digest');
    const today = new Date('2027-05-03T00:00:00Z');
    const total = (await db().activity.count({ where: { whenEnd: { lt: today }, status: { notIn: ['done', 'cancelled'] } } })) +
      (await db().output.count({ where: { whenEnd: { lt: today }, status: { notIn: ['validated', 'disseminated', 'cancelled'] } } }));
    expect(total).toBeGreaterThan(20);
    expect(overdueList.title).toBe(`Overdue (${total})`);
    const lines = overdueList.items.map((i) => plainText(i));
    expect(lines).toHaveLength(16);
    expect(lines[15]).toBe(`… and ${total - 15} more that fell due earlier ("due" lists them all)`);
    // The fifteen shown are the latest to fall due, oldest first.
    const ends = await Promise.all(lines.slice(0, 15).map(async (l) => {
      const code = l.split(' ')[0]!;
      const row = (await db().activity.findFirst({ where: { code } })) ?? (await db().output.findFirstOrThrow({ where: { code } }));
      return row.whenEnd!.getTime();
    }));
    expect(ends).toEqual([...ends].sort((a, b) => a - b));
  });

  it('creates each notification once, however often it ticks', async () => {
    at('2025-11-24T09:00:00+01:00');
    const first = await planAll(f.bot);
    expect(first.planned.length).toBeGreaterThan(10);
    expect((await planAll(f.bot)).planned).toEqual([]);
    at('2025-11-24T09:05:00+01:00');
    expect((await planAll(f.bot)).planned).toEqual([]);
    expect(await db().outboxMessage.count()).toBe(first.planned.length);
  });

  it('after a week of downtime sends only the latest lead, marked late, and skips the stale', async () => {
    // A1.3 falls due on 31 Dec 2025: 14 days before is 17 Dec, 7 days before is 24 Dec.
    at('2025-12-25T10:00:00+01:00');
    const { planned, stale } = await planAll(f.bot);
    const a13 = planned.filter((p) => p.kind === 'nudge' && p.key.includes(':2025-12-31:') && firstText(p.payload).includes('A1.3'));
    expect(a13.length).toBeGreaterThan(0);
    expect(a13.every((p) => p.key.split(':')[3] === '7' && p.late)).toBe(true);
    // The digest of Monday 22 Dec was missed by more than 12 hours: skipped, not posted.
    expect(planned.some((p) => p.kind === 'digest')).toBe(false);
    expect(stale.some((s) => s.reason.includes('digest'))).toBe(false);
    at('2025-12-22T20:00:00+01:00');
    await db().outboxMessage.deleteMany();
    expect((await planAll(f.bot)).planned.filter((p) => p.kind === 'digest')).toHaveLength(1);
  });

  it('follows the digest through the change to summer time', async () => {
    at('2026-03-23T09:00:00+01:00');
    expect((await planAll(f.bot)).planned.find((p) => p.kind === 'digest')!.dueAt.toISOString()).toBe('2026-03-23T08:00:00.000Z');
    at('2026-03-30T08:59:00+02:00');
    expect((await planAll(f.bot)).planned.filter((p) => p.kind === 'digest')).toEqual([]);
    at('2026-03-30T09:00:00+02:00');
    expect((await planAll(f.bot)).planned.find((p) => p.kind === 'digest')!.dueAt.toISOString()).toBe('2026-03-30T07:00:00.000Z');
  });

  it('announces the start of a fuzzy window and asks monthly for dates of undated items', async () => {
    at('2026-01-05T09:30:00+01:00');
    const { planned } = await planAll(f.bot);
    const starts = planned.filter((p) => p.kind === 'window-start').map((p) => p.payload.title);
    expect(starts).toContain('A1.4 starts now'); // recommendations, January–May 2026
    const undated = planned.filter((p) => p.kind === 'needs-date');
    expect(undated.map((p) => p.payload.title)).toContain('A1: 3 items need a date'); // A1.5, A1.O4 and the undated study visit A1.O5
    expect(new Set(undated.map((p) => p.scope))).toEqual(new Set(['action', 'secretariat']));
  });

  it('respects muted people and a paused partnership', async () => {
    const muted = await db().person.findFirstOrThrow({ where: { key: 'demo-cor' } });
    await db().person.update({ where: { id: muted.id }, data: { preferences: { muteUntil: '2025-12-31T00:00:00Z' } } });
    at('2025-11-24T09:00:00+01:00');
    await planAll(f.bot);
    const rows = await db().outboxMessage.findMany({ where: { personId: muted.id } });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.status === 'skipped' && r.lastError === 'muted')).toBe(true);

    await reset();
    await db().partnership.updateMany({ data: { nudgesPaused: true } });
    const paused = await planAll(f.bot);
    expect(paused.planned.filter((p) => ['nudge', 'escalation', 'window-start', 'needs-date'].includes(p.kind))).toEqual([]);
    expect(paused.planned.filter((p) => p.kind === 'digest')).toHaveLength(1);
  });

  it('counts working days for escalation', () => {
    expect(addWorkingDays('2025-10-31', 3)).toBe('2025-11-05'); // Friday + 3 working days
  });
});

describe('delivery', () => {
  it('DMs linked people, falls back to the Action channel, posts scopes to bound channels', async () => {
    at('2025-11-24T09:00:00+01:00');
    await bind('partnership', 'C-ALL');
    await bind('secretariat', 'C-SEC');
    await bind('action', 'C-A2', 2);
    await link('demo-cor', 'U-COR');
    await link('demo-ceb', 'U-CEB');
    const slack = new RecordingTransport();
    slack.refuseDm.add('U-CEB');
    await planAll(f.bot);
    const deliveries = await dispatcher([slack]).dispatchDue();
    // Unlinked A2 co-leaders get their nudges in the A2 channel; nobody is left out.
    expect(deliveries.filter((d) => d.kind === 'nudge').every((d) => d.outcome === 'sent')).toBe(true);
    expect(slack.sent.filter((s) => s.to === 'U-COR').length).toBeGreaterThan(0);
    expect(slack.sent.filter((s) => s.to === 'C-A2').length).toBeGreaterThan(0); // U-CEB refused DMs
    expect(slack.sent.filter((s) => s.to === 'C-ALL').map((s) => s.title)).toEqual(expect.arrayContaining(['Weekly digest — 2025-11-24', 'Agenda: P5 Online plenary']));
    expect(slack.sent.filter((s) => s.to === 'C-SEC').map((s) => s.title)).toContain('Check-ins sent to A1–A4');
    // A1, A3 and A4 have no bound channel: their notices (A3's: its check-in) are not dropped but failed, visible in the outbox.
    const failed = await db().outboxMessage.findMany({ where: { status: 'failed' } });
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => /no action channel is bound \(use "channel bind A[134]"\)|has no linked chat account and A[134] has no bound channel/.test(r.lastError ?? ''))).toBe(true);
    const secretariat = { platform: 'shell', workspaceId: 'local', userId: 'sec', displayName: 'sec', trustedPersonId: (await db().person.findFirstOrThrow({ where: { key: 'demo-secretariat' } })).id } as const;
    const shown = await f.bot.handle({ ...secretariat, text: 'outbox --failed' });
    expect(firstText(shown)).toMatch(/\d+ failed/);
    // Nothing is sent twice.
    expect(await dispatcher([slack]).dispatchDue()).toEqual([]);
  });

  it('says once in the Action channel that a co-leader does not accept DMs, and again only after DMs worked', async () => {
    at('2025-11-24T09:00:00+01:00');
    await bind('action', 'C-A2', 2);
    const ceb = await link('demo-ceb', 'U-CEB');
    const slack = new RecordingTransport();
    slack.refuseDm.add('U-CEB');
    await planAll(f.bot);
    await dispatcher([slack]).dispatchDue();
    const note = /This is here because .+ does not accept direct messages from the bot/;
    // Her nudges, which open with her name (the monthly "needs a date" list names her too, among others).
    const forCeb = slack.sent.filter((s) => s.to === 'C-A2' && s.text.includes(`\n@${ceb.name}, `));
    expect(forCeb.length).toBeGreaterThan(1);
    expect(forCeb.filter((s) => note.test(s.text))).toHaveLength(1);
    expect(note.test(forCeb[0]!.text)).toBe(true);
    const noted = async () => ((await db().person.findUniqueOrThrow({ where: { id: ceb.id } })).preferences as { dmClosedNoted?: Record<string, string> }).dmClosedNoted ?? {};
    expect(Object.keys(await noted())).toEqual(['slack']);

    // A preference changed meanwhile keeps the note, and the note keeps the preference.
    const asCeb = { platform: 'slack', workspaceId: 'T1', userId: 'U-CEB', displayName: 'ceb' } as const;
    expect((await f.bot.handle({ ...asCeb, text: 'notify leadtimes 10,3' })).error).toBeFalsy();
    expect(Object.keys(await noted())).toEqual(['slack']);

    const nudge = (key: string) =>
      db().outboxMessage.create({ data: { partnershipId: ceb.partnershipId, key, kind: 'nudge', dueAt: f.clock.now(), personId: ceb.id, actionNumber: 2, payload: { title: key, blocks: [] } } });
    slack.refuseDm.delete('U-CEB');
    await nudge('dm-open');
    await dispatcher([slack]).dispatchDue();
    expect(slack.sent.at(-1)).toMatchObject({ kind: 'dm', to: 'U-CEB', title: 'dm-open' });
    expect(await noted()).toEqual({});
    expect((await db().person.findUniqueOrThrow({ where: { id: ceb.id } })).preferences).toMatchObject({ leadDays: [10, 3] });

    slack.refuseDm.add('U-CEB');
    await nudge('dm-closed-again');
    await dispatcher([slack]).dispatchDue();
    expect(slack.sent.at(-1)).toMatchObject({ kind: 'channel', to: 'C-A2', title: 'dm-closed-again' });
    expect(note.test(slack.sent.at(-1)!.text)).toBe(true);
  });

  it('waits for working hours before a DM', async () => {
    at('2025-11-22T10:00:00+01:00'); // Saturday
    await link('demo-cor', 'U-COR');
    const p = await db().partnership.findFirstOrThrow();
    const person = await db().person.findFirstOrThrow({ where: { key: 'demo-cor' } });
    await db().outboxMessage.create({ data: { partnershipId: p.id, key: 'k1', kind: 'nudge', dueAt: f.clock.now(), personId: person.id, actionNumber: 2, payload: { title: 'Hi', blocks: [] } } });
    const slack = new RecordingTransport();
    expect((await dispatcher([slack]).dispatchDue())[0]).toMatchObject({ outcome: 'deferred' });
    expect((await db().outboxMessage.findFirstOrThrow({ where: { key: 'k1' } })).nextAttemptAt!.toISOString()).toBe('2025-11-24T07:00:00.000Z');
    at('2025-11-24T08:00:00+01:00');
    expect(await dispatcher([slack]).dispatchDue()).toEqual([expect.objectContaining({ outcome: 'sent', via: 'slack:dm' })]);
  });

  it('reads working hours in each person\'s own time zone', async () => {
    at('2025-11-24T07:30:00+01:00'); // 07:30 in Brussels, 08:30 in Helsinki, 06:30 in Lisbon
    const p = await db().partnership.findFirstOrThrow();
    const people = await Promise.all(
      [['demo-helsinki', 'Europe/Helsinki', 'U-HEL'], ['demo-university-of-coimbra', 'Europe/Lisbon', 'U-LIS']].map(async ([key, zone, user]) => {
        const person = await link(key!, user!);
        await db().person.update({ where: { id: person.id }, data: { timeZone: zone! } });
        await db().outboxMessage.create({ data: { partnershipId: p.id, key: `tz-${key}`, kind: 'nudge', dueAt: f.clock.now(), personId: person.id, actionNumber: 1, payload: { title: 'Hi', blocks: [] } } });
        return person;
      }),
    );
    const slack = new RecordingTransport();
    const results = await dispatcher([slack]).dispatchDue();
    expect(results.find((r) => r.to === people[0]!.name)).toMatchObject({ outcome: 'sent' });
    expect(results.find((r) => r.to === people[1]!.name)).toMatchObject({ outcome: 'deferred' });
    expect((await db().outboxMessage.findFirstOrThrow({ where: { key: 'tz-demo-university-of-coimbra' } })).nextAttemptAt!.toISOString()).toBe('2025-11-24T08:00:00.000Z');
  });

  it('retries a failing platform with backoff, then marks the row failed', async () => {
    at('2025-11-24T10:00:00+01:00');
    await bind('partnership', 'C-ALL');
    const p = await db().partnership.findFirstOrThrow();
    await db().outboxMessage.create({ data: { partnershipId: p.id, key: 'k2', kind: 'digest', dueAt: f.clock.now(), scope: 'partnership', payload: { title: 'Digest', blocks: [] } } });
    const slack = new RecordingTransport();
    slack.failNext = 1;
    expect((await dispatcher([slack]).dispatchDue())[0]).toMatchObject({ outcome: 'retry', error: 'platform_error 503' });
    expect(await dispatcher([slack]).dispatchDue()).toEqual([]); // backing off
    f.clock.advance(31_000);
    expect((await dispatcher([slack]).dispatchDue())[0]).toMatchObject({ outcome: 'sent' });
    expect(slack.sent).toHaveLength(1);

    await db().outboxMessage.create({ data: { partnershipId: p.id, key: 'k3', kind: 'digest', dueAt: f.clock.now(), scope: 'partnership', payload: { title: 'Digest', blocks: [] } } });
    slack.failNext = 100;
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await dispatcher([slack]).dispatchDue();
      f.clock.advance(2 * 60 * 60 * 1000);
    }
    expect(await db().outboxMessage.findFirstOrThrow({ where: { key: 'k3' } })).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
  });

  it('two dispatchers on one database never send the same row twice', async () => {
    at('2025-11-24T09:00:00+01:00');
    await bind('partnership', 'C-ALL');
    await bind('secretariat', 'C-SEC');
    await bind('action', 'C-A2', 2);
    await planAll(f.bot);
    const slack = new RecordingTransport();
    const [a, b] = await Promise.all([dispatcher([slack], 'one').dispatchDue(1), dispatcher([slack], 'two').dispatchDue(1)]);
    const sentKeys = [...a, ...b].filter((d) => d.outcome === 'sent').map((d) => d.key);
    expect(new Set(sentKeys).size).toBe(sentKeys.length);
    expect(await db().outboxMessage.count({ where: { status: 'pending' } })).toBe(0);
  });

  it('a whole tick through the Scheduler', async () => {
    at('2025-11-24T09:00:00+01:00');
    const log = new LogTransport(() => {});
    const scheduler = new Scheduler(f.bot, new Dispatcher({ db: db(), clock: f.clock, transports: [], log, workerId: 'w' }));
    const result = await scheduler.tick();
    expect(result.deliveries.filter((d) => d.outcome === 'sent').length).toBe(result.planned.length);
    expect(log.lines.some((l) => l.includes('Weekly digest — 2025-11-24'))).toBe(true);
    expect((await scheduler.tick()).deliveries).toEqual([]);
  });
});

describe('quiet items and the outbox key', () => {
  it('keeps a snoozed item quiet until its snooze ends, and nudges the others meanwhile', async () => {
    const output = await db().output.findFirstOrThrow({ where: { code: 'A2.O1' } });
    const ofIt = (r: { planned: { key: string; kind: string }[] }) => r.planned.filter((p) => p.key.includes(output.id));
    try {
      await db().output.update({ where: { id: output.id }, data: { snoozedUntil: new Date('2025-11-27T00:00:00Z') } });
      at('2025-11-24T09:00:00+01:00');
      const snoozed = await planAll(f.bot);
      expect(ofIt(snoozed)).toEqual([]);
      expect(snoozed.planned.some((p) => p.kind === 'nudge')).toBe(true);
      at('2025-11-29T09:00:00+01:00');
      expect(ofIt(await planAll(f.bot)).filter((p) => p.kind === 'nudge').length).toBeGreaterThan(0);
      // A snooze that has already ended silences nothing.
      await reset();
      await db().output.update({ where: { id: output.id }, data: { snoozedUntil: new Date('2025-11-24T07:59:00Z') } });
      at('2025-11-24T09:00:00+01:00');
      expect(ofIt(await planAll(f.bot)).filter((p) => p.kind === 'nudge').length).toBeGreaterThan(0);
    } finally {
      await db().output.update({ where: { id: output.id }, data: { snoozedUntil: null } });
    }
  });

  it('escalates an open item once its working-day grace has passed, and not when it is more than 30 days late', async () => {
    const item = await db().activity.findFirstOrThrow({ where: { code: 'A4.3' } });
    const end = dateToIsoDay(item.whenEnd!);
    const escalateDay = addWorkingDays(end, 3);
    const escalations = async (iso: string) => {
      await reset();
      await followedAllAlong(db());
      at(iso);
      return (await planAll(f.bot)).planned.filter((p) => p.kind === 'escalation' && p.key === `escalate:${item.id}:${end}`);
    };
    expect(await escalations(`${escalateDay}T08:59:00+01:00`)).toEqual([]);
    const [escalation] = await escalations(`${escalateDay}T09:00:00+01:00`);
    expect(escalation).toMatchObject({ scope: 'secretariat', late: false, dueAt: f.clock.now() });
    const shown = renderText(escalation!.payload);
    expect(shown).toContain('A4.3');
    // It names the coordinators and the co-leaders, who can act on it.
    const coordinators = await db().partnershipRole.findMany({ where: { role: 'coordinator' }, include: { organisation: { include: { people: true } }, person: true } });
    const names = coordinators.flatMap((r) => (r.person ? [r.person] : (r.organisation?.people ?? []))).map((p) => p.name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(shown).toContain(`@${name}`);
    expect(await escalations(`${addDays(end, 30)}T09:00:00+01:00`)).toHaveLength(1);
    expect(await escalations(`${addDays(end, 31)}T09:00:00+01:00`)).toEqual([]);
  });

  it('when another replica writes the same notices first, claims none of them as its own', async () => {
    at('2025-11-24T09:00:00+01:00');
    const ctx = f.bot.systemContext(await db().partnership.findFirstOrThrow());
    let other: PlanResult | undefined;
    // This replica looks for existing keys, then the other replica's whole tick runs before it writes.
    const racingDb = new Proxy(ctx.db, {
      get(target, prop) {
        if (prop === 'outboxMessage') {
          return {
            findMany: async (args: Parameters<typeof target.outboxMessage.findMany>[0]) => {
              const seen = await target.outboxMessage.findMany(args);
              other ??= await new Planner(ctx).plan();
              return seen;
            },
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const mine = await new Planner({ ...ctx, db: racingDb }).plan();
    expect(other!.created.length).toBeGreaterThan(10);
    expect(mine.created).toEqual([]);
    expect(await db().outboxMessage.count()).toBe(other!.created.length);
  });

  const row = (key: string, extra: Partial<OutboxRow> = {}): OutboxRow => ({
    partnershipId: f.partnershipId,
    key,
    kind: 'nudge',
    dueAt: new Date('2025-11-24T08:00:00.000Z'),
    late: false,
    personId: null,
    scope: 'secretariat',
    actionNumber: null,
    payload: { title: key, blocks: [] },
    status: 'pending',
    lastError: null,
    ...extra,
  });

  it('a second insert of the same key in one process sends once, and never brings a sent notice back', async () => {
    const createdAt = new Date('2025-11-24T08:00:00.000Z');
    expect(await insertOutboxRows(db(), [row('k:1')], createdAt)).toEqual(new Set(['k:1']));
    await bind('secretariat', 'C-SEC');
    const slack = new RecordingTransport();
    expect(await dispatcher([slack]).dispatchDue()).toHaveLength(1);
    // The same key again, with another message, beside a new one: only the new one is written.
    const again = await insertOutboxRows(db(), [row('k:1', { payload: { title: 'changed', blocks: [] } }), row('k:2')], createdAt);
    expect(again).toEqual(new Set(['k:2']));
    const first = await db().outboxMessage.findUniqueOrThrow({ where: { key: 'k:1' } });
    expect(first).toMatchObject({ status: 'sent', payload: { title: 'k:1', blocks: [] } });
    await dispatcher([slack]).dispatchDue();
    expect(slack.sent.map((m) => m.title)).toEqual(['k:1', 'k:2']);
    expect(await insertOutboxRows(db(), [], createdAt)).toEqual(new Set());
  });

  it('stores every column as planned, with ids in plan order', async () => {
    const person = await db().person.findFirstOrThrow();
    const createdAt = new Date('2025-11-24T08:00:00.123Z');
    const rows = Array.from({ length: 12 }, (_, i) =>
      row(`order:${String.fromCharCode(122 - i)}`, { dueAt: new Date(Date.UTC(2025, 10, 24, 8, 0, 0, i)) }),
    );
    rows[0] = row(rows[0]!.key, { personId: person.id, scope: null, actionNumber: 2, late: true, status: 'skipped', lastError: 'muted', kind: 'window-start' });
    await insertOutboxRows(db(), rows, createdAt);
    const stored = await db().outboxMessage.findMany({ orderBy: { id: 'asc' } });
    expect(stored.map((r) => r.key)).toEqual(rows.map((r) => r.key));
    expect(stored[0]).toMatchObject({ personId: person.id, scope: null, actionNumber: 2, late: true, status: 'skipped', lastError: 'muted', kind: 'window-start', createdAt });
    expect(stored[11]).toMatchObject({ personId: null, scope: 'secretariat', actionNumber: null, late: false, status: 'pending', lastError: null, dueAt: rows[11]!.dueAt, createdAt });
  });

  it('writes nothing when the transaction around it is rolled back (tick --dry-run)', async () => {
    await expect(
      db().$transaction(async (tx) => {
        expect(await insertOutboxRows(tx as unknown as Db, [row('dry:1')], new Date())).toEqual(new Set(['dry:1']));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await db().outboxMessage.count()).toBe(0);
  });
});

describe('an escalation', () => {
  it('names each co-leader once, even one named both in person and through their organisation, and says who of them is away', async () => {
    const item = await db().activity.findFirstOrThrow({ where: { code: 'A4.3' }, include: { action: true } });
    const end = dateToIsoDay(item.whenEnd!);
    const escalateDay = addWorkingDays(end, 3);
    const roles = await db().actionRole.findMany({ where: { actionId: item.actionId, role: 'co_leader' }, include: { organisation: { include: { people: true } } } });
    const coLeaders = roles.flatMap((r) => r.organisation?.people ?? []).filter((p) => !p.removedAt);
    expect(coLeaders.length).toBeGreaterThan(1);
    const [away, twice] = coLeaders;
    const extra = await db().actionRole.create({ data: { actionId: item.actionId, role: 'co_leader', personId: twice!.id } });
    const absence = await db().absence.create({ data: { partnershipId: f.partnershipId, personId: away!.id, firstDay: new Date(`${end}T00:00:00Z`), lastDay: new Date('2026-12-31T00:00:00Z') } });
    try {
      await followedAllAlong(db());
      at(`${escalateDay}T09:00:00+01:00`);
      const [escalation] = (await planAll(f.bot)).planned.filter((p) => p.key === `escalate:${item.id}:${end}`);
      const shown = renderText(escalation!.payload);
      for (const p of coLeaders) expect(shown.split(`@${p.name}`)).toHaveLength(2);
      expect(shown).toContain(`Away: ${away!.name} is away until 31 Dec 2026.`);
      // The coordinators are named, not the secretariat (who get the escalation in their channel anyway).
      const secretariat = await db().partnershipRole.findMany({ where: { role: 'secretariat' }, include: { person: true } });
      expect(secretariat.length).toBeGreaterThan(0);
      for (const r of secretariat) expect(shown).not.toContain(`@${r.person!.name}`);
    } finally {
      await db().absence.delete({ where: { id: absence.id } });
      await db().actionRole.delete({ where: { id: extra.id } });
    }
  });
});

describe('a person\'s own settings', () => {
  it('a mute that has ended silences nothing; who reads the daily summary finds the day\'s nudges there, not one by one', async () => {
    const cor = await db().person.findFirstOrThrow({ where: { key: 'demo-cor' } });
    const mine = async () => db().outboxMessage.findMany({ where: { personId: cor.id }, orderBy: { key: 'asc' } });
    await db().person.update({ where: { id: cor.id }, data: { preferences: { muteUntil: '2025-11-24T08:00:00.000Z' } } });
    at('2025-11-24T09:00:00+01:00'); // the very moment the mute ends
    await planAll(f.bot);
    const nudges = (await mine()).filter((r) => r.kind === 'nudge');
    expect(nudges.length).toBeGreaterThan(0);
    expect(nudges.every((r) => r.status === 'pending' && r.lastError === null)).toBe(true);

    await reset();
    await db().person.update({ where: { id: cor.id }, data: { preferences: { dailySummary: true } } });
    await planAll(f.bot);
    const rows = await mine();
    const skipped = rows.filter((r) => r.kind === 'nudge');
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((r) => r.status === 'skipped' && r.lastError === 'in the daily summary')).toBe(true);
    // The summary itself, and what is not a nudge, still go.
    expect(rows.filter((r) => r.kind === 'daily-summary').map((r) => r.status)).toEqual(['pending']);
    expect(rows.filter((r) => r.kind !== 'nudge').every((r) => r.status === 'pending')).toBe(true);

    // A window's start is a nudge too, a check-in is not; a mute wins over the summary.
    await reset();
    await db().person.update({ where: { id: cor.id }, data: { preferences: { dailySummary: true } } });
    at('2026-01-05T09:30:00+01:00');
    await planAll(f.bot);
    const january = await mine();
    expect(january.filter((r) => r.kind === 'window-start').length).toBeGreaterThan(0);
    expect(january.filter((r) => r.kind === 'window-start').every((r) => r.status === 'skipped' && r.lastError === 'in the daily summary')).toBe(true);
    expect(january.filter((r) => r.kind.startsWith('checkin')).length).toBeGreaterThan(0);
    expect(january.filter((r) => r.kind.startsWith('checkin')).every((r) => r.status === 'pending')).toBe(true);
    await reset();
    await db().person.update({ where: { id: cor.id }, data: { preferences: { dailySummary: true, muteUntil: '2026-12-31T00:00:00Z' } } });
    await planAll(f.bot);
    expect(new Set((await mine()).map((r) => r.lastError))).toEqual(new Set(['muted']));
    console.log((await mine()).map((r) => [r.kind, r.status, r.lastError]));
  });
});

describe('a quiet tick', () => {
  it('of a paused partnership on a day with no digest and no plenary notice writes nothing and delivers nothing', async () => {
    await db().partnership.updateMany({ data: { nudgesPaused: true } });
    at('2025-11-20T12:00:00+01:00'); // a Thursday
    const log = new LogTransport(() => {});
    const result = await new Scheduler(f.bot, new Dispatcher({ db: db(), clock: f.clock, transports: [], log, workerId: 'w' })).tick();
    expect(result).toEqual({ planned: [], stale: [], deliveries: [] });
    expect(await db().outboxMessage.count()).toBe(0);
    expect(log.lines).toEqual([]);
  });
});

describe('a nudge to a linked co-leader', () => {
  it('mentions them by their account on each platform, so that the platform notifies them', async () => {
    const cor = await link('demo-cor', 'UCOR1');
    await db().chatIdentity.create({ data: { personId: cor.id, platform: 'discord', workspaceId: 'G1', externalId: '4242' } });
    at('2025-11-24T09:00:00+01:00');
    const toCor = (await planAll(f.bot)).planned.filter((p) => p.kind === 'nudge' && p.personId === cor.id);
    expect(toCor.length).toBeGreaterThan(0);
    for (const n of toCor) {
      const first = n.payload.blocks[0];
      expect(first?.type === 'text' && first.text[0]).toEqual({ kind: 'mention', name: cor.name, ids: { slack: 'UCOR1', discord: '4242' } });
    }
  });
});
