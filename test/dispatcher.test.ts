// The dispatcher's promises to an operator, one outbox row at a time: a failing platform is retried
// on a growing schedule and then given up on, visibly; a row a crashed worker claimed is sent once its
// lease runs out, never while it holds; quiet hours, closed DMs and unbound channels behave as said.
import type { OutboxMessage, Prisma } from '@prisma/client';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../src/core/bot.ts';
import type { Reply } from '../src/core/reply.ts';
import { renderText } from '../src/delivery/plain-text.ts';
import { DmUnavailable, LogTransport, PermanentFailure, type Transport } from '../src/delivery/transport.ts';
import { Dispatcher, MAX_ATTEMPTS, type DispatcherDeps } from '../src/scheduler/dispatcher.ts';
import { shippedPlanForFile } from './support/database.ts';

const f = shippedPlanForFile('2025-11-24');
const db = () => f.db.prisma;
const at = f.at;
const MINUTE = 60_000;

beforeEach(async () => {
  await db().outboxMessage.deleteMany();
  await db().channelBinding.deleteMany();
  await db().chatIdentity.deleteMany();
  await db().person.updateMany({ data: { preferences: {}, timeZone: null } });
  at('2025-11-24T10:00:00+01:00'); // a Monday, in working hours
});

class Platform implements Transport {
  readonly sent: { kind: 'dm' | 'channel'; to: string; title: string; text: string }[] = [];
  /** What the next sends throw, in turn. */
  failures: unknown[] = [];
  refuseDm = false;
  constructor(readonly platform = 'slack') {}
  async sendDm(userId: string, reply: Reply) {
    if (this.refuseDm) throw new DmUnavailable('closed DMs');
    this.take();
    this.sent.push({ kind: 'dm', to: userId, title: reply.title ?? '', text: renderText(reply) });
  }
  async postChannel(target: { channelId: string }, reply: Reply) {
    this.take();
    this.sent.push({ kind: 'channel', to: target.channelId, title: reply.title ?? '', text: renderText(reply) });
  }
  private take() {
    if (this.failures.length) throw this.failures.shift();
  }
}

const outcomes: [string, string][] = [];
const warnings: [string, Record<string, unknown> | undefined][] = [];
const logger: Logger = { info() {}, error() {}, warn: (msg, data) => warnings.push([msg, data]) };
beforeEach(() => {
  outcomes.length = 0;
  warnings.length = 0;
});

function dispatcher(transports: Transport[], workerId = 'w1', extra: Partial<DispatcherDeps> = {}) {
  return new Dispatcher({ db: db(), clock: f.clock, transports, logger, onOutcome: (kind, o) => outcomes.push([kind, o]), workerId, ...extra });
}

async function bind(scope: 'partnership' | 'secretariat' | 'action', channelId: string, actionNumber?: number, platform = 'slack') {
  const action = actionNumber ? await db().action.findFirstOrThrow({ where: { number: actionNumber } }) : null;
  await db().channelBinding.create({ data: { partnershipId: f.partnershipId, platform, workspaceId: 'T1', channelId, scope, actionId: action?.id ?? null } });
}

async function person(key: string, userId?: string, platform = 'slack') {
  const p = await db().person.findFirstOrThrow({ where: { key } });
  if (userId) await db().chatIdentity.create({ data: { personId: p.id, platform, workspaceId: 'T1', externalId: userId } });
  return p;
}

const row = (key: string, data: Partial<Prisma.OutboxMessageUncheckedCreateInput> = {}) =>
  db().outboxMessage.create({
    data: { partnershipId: f.partnershipId, key, kind: 'digest', dueAt: f.clock.now(), scope: 'partnership', payload: { title: key, blocks: [] }, ...data },
  });
const stored = (key: string): Promise<OutboxMessage> => db().outboxMessage.findUniqueOrThrow({ where: { key } });

describe('a platform that keeps failing', () => {
  it('is retried after 30 s, 2, 10, 30 and 60 minutes, then the row is marked failed and never tried again', async () => {
    await bind('partnership', 'C-ALL');
    await row('flaky');
    const slack = new Platform();
    slack.failures = Array.from({ length: 10 }, () => new Error('platform_error 503'));
    const waits = [30_000, 2 * MINUTE, 10 * MINUTE, 30 * MINUTE, 60 * MINUTE];
    for (const [i, wait] of waits.entries()) {
      expect(await dispatcher([slack]).dispatchDue()).toEqual([{ key: 'flaky', kind: 'digest', to: 'partnership', outcome: 'retry', error: 'platform_error 503' }]);
      const r = await stored('flaky');
      expect(r).toMatchObject({ status: 'pending', attempts: i + 1, lastError: 'platform_error 503', claimedBy: null, claimedUntil: null });
      expect(r.nextAttemptAt!.getTime() - f.clock.now().getTime()).toBe(wait);
      f.clock.advance(wait - 1);
      expect(await dispatcher([slack]).dispatchDue()).toEqual([]); // still backing off
      f.clock.advance(1);
    }
    expect((await dispatcher([slack]).dispatchDue())[0]).toMatchObject({ outcome: 'failed', error: 'platform_error 503' });
    expect(await stored('flaky')).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, lastError: 'platform_error 503' });
    expect(MAX_ATTEMPTS).toBe(6);
    f.clock.advance(24 * 60 * MINUTE);
    expect(await dispatcher([slack]).dispatchDue()).toEqual([]);
    expect(slack.sent).toEqual([]);
    expect(outcomes).toEqual([...waits.map(() => ['digest', 'retry']), ['digest', 'failed']]);
    expect(warnings.map(([msg, data]) => [msg, data?.attempts])).toEqual([...waits.map((_, i) => ['notification will be retried', i + 1]), ['notification failed', 6]]);
    expect(warnings[0]![1]).toEqual({ key: 'flaky', attempts: 1, error: 'platform_error 503' });
  });

  it('keeps the first 500 characters of a long error, and the text of a thrown non-Error', async () => {
    await bind('partnership', 'C-ALL');
    await row('long');
    const slack = new Platform();
    const long = `platform_error ${'x'.repeat(1000)}`;
    slack.failures = [new Error(long), 'socket hang up'];
    expect((await dispatcher([slack]).dispatchDue())[0]).toMatchObject({ outcome: 'retry', error: long });
    expect((await stored('long')).lastError).toBe(long.slice(0, 500));
    f.clock.advance(30_000);
    expect((await dispatcher([slack]).dispatchDue())[0]).toMatchObject({ outcome: 'retry', error: 'socket hang up' });
    expect((await stored('long')).lastError).toBe('socket hang up');
    f.clock.advance(2 * MINUTE);
    expect((await dispatcher([slack]).dispatchDue())[0]).toEqual({ key: 'long', kind: 'digest', to: 'partnership channel', outcome: 'sent', via: 'slack:channel' });
    expect(await stored('long')).toMatchObject({ status: 'sent', attempts: 3, lastError: null, sentAt: f.clock.now(), deliveredVia: 'slack:channel', claimedBy: null, claimedUntil: null });
  });

  it('is not retried when nothing could ever deliver the row: no linked account and no bound channel', async () => {
    const cor = await person('demo-cor');
    await row('nowhere', { kind: 'nudge', scope: null, personId: cor.id, actionNumber: 2 });
    const [d] = await dispatcher([new Platform()]).dispatchDue();
    expect(d).toEqual({ key: 'nowhere', kind: 'nudge', to: cor.id, outcome: 'failed', error: `${cor.name} has no linked chat account and A2 has no bound channel` });
    expect(await stored('nowhere')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(outcomes).toEqual([['nudge', 'failed']]);
    expect(warnings.map(([m]) => m)).toEqual(['notification failed']);
  });
});

describe('a row claimed by a worker that crashed', () => {
  it('is left alone for the five minutes of its lease, then sent once by another worker', async () => {
    await bind('partnership', 'C-ALL');
    await row('orphan');
    const claimed = await dispatcher([]).claim(10);
    expect(claimed.map((r) => [r.key, r.claimedBy, r.claimedUntil!.getTime() - f.clock.now().getTime()])).toEqual([['orphan', 'w1', 5 * MINUTE]]);
    const slack = new Platform();
    f.clock.advance(5 * MINUTE);
    expect(await dispatcher([slack], 'w2').dispatchDue()).toEqual([]);
    f.clock.advance(1);
    expect(await dispatcher([slack], 'w2').dispatchDue()).toEqual([expect.objectContaining({ key: 'orphan', outcome: 'sent' })]);
    expect(slack.sent.map((s) => s.to)).toEqual(['C-ALL']);
    expect(await dispatcher([slack], 'w3').dispatchDue()).toEqual([]);
  });

  it('is not marked by the crashed worker when it comes back late: the row stays as the one that sent it left it', async () => {
    await bind('partnership', 'C-ALL');
    await row('slow');
    let release!: () => void;
    const stuck = new Platform();
    stuck.postChannel = () => new Promise<void>((resolve) => (release = resolve));
    const first = dispatcher([stuck], 'w1').dispatchDue();
    await new Promise((r) => setTimeout(r, 200));
    f.clock.advance(6 * MINUTE);
    const slack = new Platform();
    slack.failures = [new Error('platform_error 503')];
    expect((await dispatcher([slack], 'w2').dispatchDue())[0]).toMatchObject({ outcome: 'retry' });
    release();
    await first;
    expect(await stored('slow')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'platform_error 503' });
  });

  it('is not mistaken for due: a row due later, or backing off, is not claimed', async () => {
    await row('later', { dueAt: new Date(f.clock.now().getTime() + 1) });
    await row('backoff', { nextAttemptAt: new Date(f.clock.now().getTime() + 1) });
    await row('done', { status: 'sent' });
    expect(await dispatcher([]).claim(10)).toEqual([]);
    f.clock.advance(1);
    expect((await dispatcher([]).claim(10)).map((r) => r.key).sort()).toEqual(['backoff', 'later']);
  });
});

describe('batches and stopping', () => {
  it('delivers everything due in batches, oldest first, and claims nothing once stopped', async () => {
    await bind('partnership', 'C-ALL');
    for (let i = 0; i < 5; i++) await row(`b${i}`, { dueAt: new Date(f.clock.now().getTime() - i * MINUTE) });
    const slack = new Platform();
    const keys = (await dispatcher([slack]).dispatchDue(2)).map((d) => d.key);
    // Within a batch the order is the database's; the batches go oldest first.
    expect([keys.slice(0, 2).sort(), keys.slice(2, 4).sort(), keys.slice(4)]).toEqual([['b3', 'b4'], ['b1', 'b2'], ['b0']]);
    await row('after-stop');
    const stopped = dispatcher([slack]);
    stopped.stop();
    expect(await stopped.dispatchDue()).toEqual([]);
    expect((await stored('after-stop')).status).toBe('pending');
  });
});

describe('to a person', () => {
  it('in quiet hours waits for the start of their next working day, in their own time zone', async () => {
    const cor = await person('demo-cor', 'U-COR');
    const slack = new Platform();
    const deferredTo = async (localNow: string, prefs: object = {}) => {
      await db().outboxMessage.deleteMany();
      await db().person.update({ where: { id: cor.id }, data: { preferences: prefs } });
      at(localNow);
      await row('q', { kind: 'nudge', scope: null, personId: cor.id, actionNumber: 2 });
      const [d] = await dispatcher([slack]).dispatchDue();
      if (d!.outcome !== 'deferred') return d!.outcome;
      expect(d).toEqual({ key: 'q', kind: 'nudge', to: cor.name, outcome: 'deferred' });
      const r = await stored('q');
      expect(r).toMatchObject({ status: 'pending', claimedBy: null, claimedUntil: null, attempts: 0 });
      return r.nextAttemptAt!.toISOString();
    };
    expect(await deferredTo('2025-11-24T07:59:00+01:00')).toBe('2025-11-24T07:00:00.000Z'); // Monday early: 08:00 that day
    expect(await deferredTo('2025-11-24T08:00:00+01:00')).toBe('sent');
    expect(await deferredTo('2025-11-24T18:59:00+01:00')).toBe('sent');
    expect(await deferredTo('2025-11-24T19:00:00+01:00')).toBe('2025-11-25T07:00:00.000Z'); // Monday evening: Tuesday 08:00
    expect(await deferredTo('2025-11-28T19:30:00+01:00')).toBe('2025-12-01T07:00:00.000Z'); // Friday evening: Monday
    expect(await deferredTo('2025-11-29T12:00:00+01:00')).toBe('2025-12-01T07:00:00.000Z'); // Saturday
    // Their own hours and days: 10 to 16, Tuesday to Saturday.
    const own = { quietHours: { start: 10, end: 16 }, workingDays: [2, 3, 4, 5, 6] };
    expect(await deferredTo('2025-11-24T12:00:00+01:00', own)).toBe('2025-11-25T09:00:00.000Z');
    expect(await deferredTo('2025-11-29T12:00:00+01:00', own)).toBe('sent');
    expect(await deferredTo('2025-11-29T16:00:00+01:00', own)).toBe('2025-12-02T09:00:00.000Z');
    expect(outcomes.filter(([, o]) => o === 'sent')).toHaveLength(3);
  });

  it('who opted out of DMs gets them in the Action channel; with no chat platform at all, the log shows them', async () => {
    const cor = await person('demo-cor', 'U-COR');
    await db().person.update({ where: { id: cor.id }, data: { preferences: { dmOptOut: true } } });
    await bind('action', 'C-A2', 2);
    await row('opt-out', { kind: 'nudge', scope: null, personId: cor.id, actionNumber: 2 });
    const slack = new Platform();
    expect(await dispatcher([slack]).dispatchDue()).toEqual([{ key: 'opt-out', kind: 'nudge', to: cor.name, outcome: 'sent', via: 'slack:channel' }]);
    expect(slack.sent.map((s) => [s.kind, s.to])).toEqual([['channel', 'C-A2']]);
    // An opt-out is not a closed DM: no note about closed DMs.
    expect(slack.sent[0]!.text).not.toContain('does not accept direct messages');

    const log = new LogTransport(() => {});
    await row('logged', { kind: 'nudge', scope: null, personId: cor.id, actionNumber: 2 });
    await row('logged-channel', { scope: 'action', actionNumber: 3 });
    const byKey = (ds: { key: string }[]) => [...ds].sort((a, b) => a.key.localeCompare(b.key));
    expect(byKey(await dispatcher([], 'w1', { log }).dispatchDue())).toEqual([
      { key: 'logged', kind: 'nudge', to: cor.name, outcome: 'sent', via: 'log' },
      { key: 'logged-channel', kind: 'digest', to: 'A3 channel', outcome: 'sent', via: 'log' },
    ]);
    expect(log.lines.map((l) => l.split('\n')[0]).sort()).toEqual(['→ A3 channel (no chat platform configured: log)', `→ ${cor.name} (DM, no chat platform configured: log)`]);
  });

  it('whose DMs are closed on Discord is told in the channel how to open them there', async () => {
    const ceb = await person('demo-ceb', 'D-CEB', 'discord');
    await bind('action', 'D-A2', 2, 'discord');
    await row('closed', { kind: 'nudge', scope: null, personId: ceb.id, actionNumber: 2 });
    const discord = new Platform('discord');
    discord.refuseDm = true;
    expect((await dispatcher([discord]).dispatchDue())[0]).toMatchObject({ outcome: 'sent', via: 'discord:channel' });
    expect(discord.sent[0]!.text).toContain(
      `This is here because ${ceb.name} does not accept direct messages from the bot. Their nudges will come to this channel until they do (Discord: the server's Privacy Settings, "Direct Messages").`,
    );
  });

  it('on two platforms gets it on each, and the late ones count as late', async () => {
    const cor = await person('demo-cor', 'U-COR');
    await db().chatIdentity.create({ data: { personId: cor.id, platform: 'discord', workspaceId: 'G1', externalId: 'D-COR' } });
    await row('both', { kind: 'nudge', scope: null, personId: cor.id, actionNumber: 2, late: true });
    const [slack, discord] = [new Platform(), new Platform('discord')];
    expect(await dispatcher([slack, discord]).dispatchDue()).toEqual([{ key: 'both', kind: 'nudge', to: cor.name, outcome: 'sent', via: 'slack:dm,discord:dm' }]);
    expect([...slack.sent, ...discord.sent].map((s) => s.to)).toEqual(['U-COR', 'D-COR']);
    expect(outcomes).toEqual([['nudge', 'late']]);
  });
});

describe('to a channel', () => {
  it('a row that names its channel goes there alone, while that channel is still bound to its scope', async () => {
    await bind('partnership', 'C-ALL');
    await bind('partnership', 'C-OTHER');
    const target = { platform: 'slack', workspaceId: 'T1', channelId: 'C-OTHER' };
    await row('aimed', { target });
    const slack = new Platform();
    expect(await dispatcher([slack, new Platform('discord')]).dispatchDue()).toEqual([
      { key: 'aimed', kind: 'digest', to: 'slack channel C-OTHER', outcome: 'sent', via: 'slack:channel' },
    ]);
    expect(slack.sent.map((s) => s.to)).toEqual(['C-OTHER']);

    await db().channelBinding.deleteMany({ where: { channelId: 'C-OTHER' } });
    await row('unbound', { target });
    await row('same-id-elsewhere', { target: { ...target, workspaceId: 'T2', channelId: 'C-ALL' } });
    await row('no-discord', { target: { platform: 'discord', workspaceId: 'G1', channelId: 'D-ALL' } });
    await row('secretariat-list', { scope: 'secretariat', target: { ...target, channelId: 'C-ALL' } });
    const results = await dispatcher([slack]).dispatchDue();
    expect(results.map((d) => [d.key, d.outcome, d.error]).sort()).toEqual([
      ['no-discord', 'failed', 'discord channel D-ALL: discord is not configured here'],
      ['same-id-elsewhere', 'failed', 'slack channel C-ALL is no longer bound to the partnership channel list'],
      ['secretariat-list', 'failed', 'slack channel C-ALL is no longer bound to the secretariat channel list'],
      ['unbound', 'failed', 'slack channel C-OTHER is no longer bound to the partnership channel list'],
    ]);
    expect(slack.sent).toHaveLength(1);
  });

  it('an Action row with no bound channel fails at once, saying how to bind one', async () => {
    await bind('action', 'C-A2', 2);
    await row('a1', { scope: 'action', actionNumber: 1 });
    expect(await dispatcher([new Platform()]).dispatchDue()).toEqual([
      { key: 'a1', kind: 'digest', to: 'action', outcome: 'failed', error: 'no action channel is bound (use "channel bind A1")' },
    ]);
    await row('sec', { scope: 'secretariat' });
    expect((await dispatcher([new Platform()]).dispatchDue())[0]!.error).toBe('no secretariat channel is bound (use "channel bind secretariat")');
  });
});

/** A platform that reaches people by address and takes the digest for its list (e-mail), recording what it sends. */
class Mail implements Transport {
  readonly platform = 'email';
  readonly digestTarget = { platform: 'email', workspaceId: 'list', channelId: 'members@lists.example.org' };
  readonly mailed: { to: string; title: string; envelope: unknown }[] = [];
  readonly posted: { to: string; title: string; envelope: unknown }[] = [];
  async sendDm(): Promise<void> {
    throw new Error('e-mail has no DMs');
  }
  async postChannel(target: { channelId: string }, reply: Reply, envelope?: unknown) {
    this.posted.push({ to: target.channelId, title: reply.title ?? '', envelope });
  }
  async sendToPerson(p: { email: string | null }, reply: Reply, envelope: unknown) {
    this.mailed.push({ to: p.email!, title: reply.title ?? '', envelope });
  }
}

describe('by e-mail', () => {
  const nudgeFor = (key: string, personId: string, kind = 'nudge') => row(key, { kind, scope: null, personId, actionNumber: 2 });
  const prefer = (id: string, preferences: object) => db().person.update({ where: { id }, data: { preferences } });

  it('reaches a person with no chat account at their address, and one with an account in chat, unless they chose e-mail or both', async () => {
    const cor = await person('demo-cor');
    const ceb = await person('demo-ceb', 'U-CEB');
    const [mail, slack] = [new Mail(), new Platform()];
    const corRow = await nudgeFor('to-cor', cor.id);
    await nudgeFor('to-ceb', ceb.id);
    const sorted = (ds: Awaited<ReturnType<Dispatcher['dispatchDue']>>) => [...ds].sort((a, b) => a.key.localeCompare(b.key));
    expect(sorted(await dispatcher([slack, mail]).dispatchDue())).toEqual([
      { key: 'to-ceb', kind: 'nudge', to: ceb.name, outcome: 'sent', via: 'slack:dm' },
      { key: 'to-cor', kind: 'nudge', to: cor.name, outcome: 'sent', via: 'email' },
    ]);
    // The message names its outbox row, so that a bounce or a reply can find it.
    expect(mail.mailed).toEqual([{ to: cor.email, title: 'to-cor', envelope: { id: corRow.id, key: 'to-cor', kind: 'nudge', partnershipId: f.partnershipId } }]);
    expect(slack.sent.map((s) => s.to)).toEqual(['U-CEB']);
    expect(await stored('to-cor')).toMatchObject({ status: 'sent', deliveredVia: 'email' });

    // "notify via email": e-mail only, though a DM would reach them; "both": each, once.
    mail.mailed.length = 0;
    slack.sent.length = 0;
    await prefer(ceb.id, { via: 'email' });
    await nudgeFor('ceb-email', ceb.id);
    expect(await dispatcher([slack, mail]).dispatchDue()).toEqual([{ key: 'ceb-email', kind: 'nudge', to: ceb.name, outcome: 'sent', via: 'email' }]);
    await prefer(ceb.id, { via: 'both' });
    await nudgeFor('ceb-both', ceb.id);
    expect(await dispatcher([slack, mail]).dispatchDue()).toEqual([{ key: 'ceb-both', kind: 'nudge', to: ceb.name, outcome: 'sent', via: 'email,slack:dm' }]);
    expect(mail.mailed.map((m) => m.title)).toEqual(['ceb-email', 'ceb-both']);
    expect(slack.sent.map((s) => [s.to, s.title])).toEqual([['U-CEB', 'ceb-both']]);
  });

  it('reaches by e-mail who opted out of DMs; "notify via chat" never e-mails, and then the Action channel or nothing', async () => {
    const ceb = await person('demo-ceb', 'U-CEB');
    const [mail, slack] = [new Mail(), new Platform()];
    await prefer(ceb.id, { dmOptOut: true });
    await nudgeFor('opted-out', ceb.id);
    expect(await dispatcher([slack, mail]).dispatchDue()).toEqual([{ key: 'opted-out', kind: 'nudge', to: ceb.name, outcome: 'sent', via: 'email' }]);

    const cor = await person('demo-cor');
    await prefer(cor.id, { via: 'chat' });
    await nudgeFor('chat-only', cor.id);
    expect(await dispatcher([slack, mail]).dispatchDue()).toEqual([
      { key: 'chat-only', kind: 'nudge', to: cor.id, outcome: 'failed', error: `${cor.name} has no linked chat account and A2 has no bound channel` },
    ]);
    await bind('action', 'C-A2', 2);
    await nudgeFor('chat-channel', cor.id);
    expect(await dispatcher([slack, mail]).dispatchDue()).toEqual([{ key: 'chat-channel', kind: 'nudge', to: cor.name, outcome: 'sent', via: 'slack:channel' }]);
    expect(mail.mailed.map((m) => m.title)).toEqual(['opted-out']);
    expect(slack.sent.map((s) => [s.to, s.title])).toEqual([['C-A2', 'chat-channel']]);
  });

  it('sends no e-mail on a topic the person unsubscribed from, nor to one with no address, and says why it failed', async () => {
    const cor = await person('demo-cor');
    const mail = new Mail();
    await prefer(cor.id, { emailOff: ['nudges'] });
    await nudgeFor('unsubscribed', cor.id);
    await nudgeFor('window', cor.id, 'window-start');
    // Unsubscribing from nudges leaves the plenary invitations coming.
    await nudgeFor('invite', cor.id, 'plenary-invite');
    const results = await dispatcher([new Platform(), mail]).dispatchDue();
    expect(results.map((d) => [d.key, d.outcome, d.error]).sort()).toEqual([
      ['invite', 'sent', undefined],
      ['unsubscribed', 'failed', `${cor.name} has no linked chat account (unsubscribed from these e-mails) and A2 has no bound channel`],
      ['window', 'failed', `${cor.name} has no linked chat account (unsubscribed from these e-mails) and A2 has no bound channel`],
    ]);
    expect(mail.mailed.map((m) => m.title)).toEqual(['invite']);

    await db().person.update({ where: { id: cor.id }, data: { email: null, preferences: {} } });
    try {
      await nudgeFor('no-address', cor.id);
      expect((await dispatcher([new Platform(), mail]).dispatchDue())[0]!.error).toBe(`${cor.name} has no linked chat account, no e-mail address and A2 has no bound channel`);
    } finally {
      await db().person.update({ where: { id: cor.id }, data: { email: cor.email } });
    }
  });

  it('posts the digest\'s copy for the list to the list, not to a bound channel, and tells the planner what e-mail adds', async () => {
    await bind('partnership', 'C-ALL');
    const [mail, slack] = [new Mail(), new Platform()];
    const listRow = await row('digest-list', { target: mail.digestTarget });
    expect(await dispatcher([slack, mail]).dispatchDue()).toEqual([
      { key: 'digest-list', kind: 'digest', to: 'members@lists.example.org', outcome: 'sent', via: 'email:list' },
    ]);
    expect(mail.posted).toEqual([{ to: 'members@lists.example.org', title: 'digest-list', envelope: { id: listRow.id, key: 'digest-list', kind: 'digest', partnershipId: f.partnershipId } }]);
    expect(slack.sent).toEqual([]);
    // Another list than this platform's own is no list of it: the row must name a bound channel.
    await row('other-list', { target: { ...mail.digestTarget, channelId: 'other@lists.example.org' } });
    expect((await dispatcher([slack, mail]).dispatchDue())[0]).toMatchObject({ outcome: 'failed', error: 'email channel other@lists.example.org is no longer bound to the partnership channel list' });

    expect(dispatcher([slack, mail]).planOptions()).toEqual({ digestTargets: [mail.digestTarget], byAddress: true });
    expect(dispatcher([slack]).planOptions()).toEqual({ digestTargets: [], byAddress: false });
  });
});

describe('closed DMs and channels, more', () => {
  it('a DM that fails for another reason than closed DMs is retried, not posted to the channel', async () => {
    const ceb = await person('demo-ceb', 'U-CEB');
    await bind('action', 'C-A2', 2);
    await row('dm-503', { kind: 'nudge', scope: null, personId: ceb.id, actionNumber: 2 });
    const slack = new Platform();
    slack.failures = [new Error('platform_error 503')];
    expect(await dispatcher([slack]).dispatchDue()).toEqual([{ key: 'dm-503', kind: 'nudge', to: ceb.id, outcome: 'retry', error: 'platform_error 503' }]);
    expect(slack.sent).toEqual([]);
    expect((await db().person.findUniqueOrThrow({ where: { id: ceb.id } })).preferences).toEqual({});
  });

  it('tells the channel about closed DMs the first time it can post there, not when nothing was posted, nor for an opt-out', async () => {
    const ceb = await person('demo-ceb', 'U-CEB');
    const slack = new Platform();
    slack.refuseDm = true;
    const noted = async () => (await db().person.findUniqueOrThrow({ where: { id: ceb.id } })).preferences;
    await row('nowhere', { kind: 'nudge', scope: null, personId: ceb.id, actionNumber: 2 });
    expect((await dispatcher([slack]).dispatchDue())[0]).toMatchObject({ outcome: 'failed' });
    expect(await noted()).toEqual({});

    await bind('action', 'C-A2', 2);
    await row('first-post', { kind: 'nudge', scope: null, personId: ceb.id, actionNumber: 2 });
    await dispatcher([slack]).dispatchDue();
    expect(slack.sent.map((s) => [s.to, s.text.includes('does not accept direct messages')])).toEqual([['C-A2', true]]);
    expect(await noted()).toEqual({ dmClosedNoted: { slack: f.clock.now().toISOString() } });

    // Opting out of DMs is a choice, not closed DMs: nothing to note.
    await db().person.update({ where: { id: ceb.id }, data: { preferences: { dmOptOut: true } } });
    await row('opted-out', { kind: 'nudge', scope: null, personId: ceb.id, actionNumber: 2 });
    await dispatcher([slack]).dispatchDue();
    expect(slack.sent.at(-1)).toMatchObject({ to: 'C-A2', title: 'opted-out' });
    expect(await noted()).toEqual({ dmOptOut: true });
  });

  it('a row with no scope goes to the partnership channels, on every chat platform bound', async () => {
    await bind('partnership', 'C-ALL');
    await bind('partnership', 'D-ALL', undefined, 'discord');
    const [slack, discord] = [new Platform(), new Platform('discord')];
    await row('no-scope', { scope: null });
    expect(await dispatcher([slack, discord]).dispatchDue()).toEqual([
      { key: 'no-scope', kind: 'digest', to: 'partnership channel', outcome: 'sent', via: 'slack:channel,discord:channel' },
    ]);
    expect([...slack.sent, ...discord.sent].map((s) => s.to)).toEqual(['C-ALL', 'D-ALL']);
    await db().channelBinding.deleteMany();
    await row('no-scope-unbound', { scope: null });
    expect(await dispatcher([slack, discord]).dispatchDue()).toEqual([
      { key: 'no-scope-unbound', kind: 'digest', to: '?', outcome: 'failed', error: 'no partnership channel is bound (use "channel bind partnership")' },
    ]);
  });

  it('an Action row that names its channel goes there while it is bound to that Action', async () => {
    await bind('action', 'C-A2', 2);
    await bind('action', 'C-A3', 3);
    const slack = new Platform();
    await row('a2-aimed', { scope: 'action', actionNumber: 2, target: { platform: 'slack', workspaceId: 'T1', channelId: 'C-A2' } });
    await row('a2-at-a3', { scope: 'action', actionNumber: 2, target: { platform: 'slack', workspaceId: 'T1', channelId: 'C-A3' } });
    const results = await dispatcher([slack]).dispatchDue();
    expect(results.map((d) => [d.key, d.outcome, d.error]).sort()).toEqual([
      ['a2-aimed', 'sent', undefined],
      ['a2-at-a3', 'failed', 'slack channel C-A3 is no longer bound to the A2 channel list'],
    ]);
    expect(slack.sent.map((s) => s.to)).toEqual(['C-A2']);
  });

  it('a person who works no day at all does not stall delivery: their message waits, a week at a time', async () => {
    const cor = await person('demo-cor', 'U-COR');
    await db().person.update({ where: { id: cor.id }, data: { preferences: { workingDays: [] } } });
    await row('never', { kind: 'nudge', scope: null, personId: cor.id, actionNumber: 2 });
    expect(await dispatcher([new Platform()]).dispatchDue()).toEqual([{ key: 'never', kind: 'nudge', to: cor.name, outcome: 'deferred' }]);
    // Monday 24 November, 10:00: from 08:00 the next morning, eight days on.
    expect((await stored('never')).nextAttemptAt!.toISOString()).toBe('2025-12-03T07:00:00.000Z');
  });
});

describe('by e-mail, more', () => {
  it('e-mails who has a chat account only on a platform not configured here; an address refused for good fails at once', async () => {
    const cor = await person('demo-cor', 'D-COR', 'discord');
    const [mail, slack] = [new Mail(), new Platform()];
    await row('discord-only', { kind: 'nudge', scope: null, personId: cor.id, actionNumber: 2 });
    expect(await dispatcher([slack, mail]).dispatchDue()).toEqual([{ key: 'discord-only', kind: 'nudge', to: cor.name, outcome: 'sent', via: 'email' }]);

    mail.sendToPerson = async () => {
      throw new PermanentFailure('550 no such mailbox');
    };
    await row('refused', { kind: 'nudge', scope: null, personId: cor.id, actionNumber: 2 });
    expect(await dispatcher([slack, mail]).dispatchDue()).toEqual([{ key: 'refused', kind: 'nudge', to: cor.id, outcome: 'failed', error: '550 no such mailbox' }]);
    expect(await stored('refused')).toMatchObject({ status: 'failed', attempts: 1, lastError: '550 no such mailbox' });
    expect(warnings.at(-1)![0]).toBe('notification failed');
  });

  it('takes a digest row to its list only when the row names that very list: platform, workspace and address', async () => {
    await bind('partnership', 'C-ALL');
    const [mail, slack] = [new Mail(), new Platform()];
    await row('other-workspace', { target: { ...mail.digestTarget, workspaceId: 'elsewhere' } });
    await row('other-platform', { target: { ...mail.digestTarget, platform: 'slack' } });
    expect((await dispatcher([slack, mail]).dispatchDue()).map((d) => [d.key, d.outcome, d.error]).sort()).toEqual([
      ['other-platform', 'failed', 'slack channel members@lists.example.org is no longer bound to the partnership channel list'],
      ['other-workspace', 'failed', 'email channel members@lists.example.org is no longer bound to the partnership channel list'],
    ]);
    expect(mail.posted).toEqual([]);
    expect(slack.sent).toEqual([]);
  });
});
