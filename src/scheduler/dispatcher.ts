// Delivers outbox rows. Rows are claimed with FOR UPDATE SKIP LOCKED and a lease, so several
// replicas never send the same row; a row is marked sent only after delivery, so a crash re-sends it
// once the lease expires (at-least-once: the worst case is one duplicate per row in flight at a crash).
import type { ChannelScope, ChatIdentity, OutboxMessage, Person } from '@prisma/client';
import { DateTime } from 'luxon';
import type { Logger } from '../core/bot.ts';
import { silentLogger } from '../core/bot.ts';
import type { Clock } from '../core/clock.ts';
import { context, type Reply } from '../core/reply.ts';
import { channelsFor, type ChannelTarget } from '../domain/channels.ts';
import type { Db } from '../persistence/database.ts';
import { personPreferences } from '../domain/settings.ts';
import { emailTopic } from '../delivery/email-topics.ts';
import type { PlanOptions } from './planner.ts';
import { DmUnavailable, LogTransport, PermanentFailure, type OutboxEnvelope, type Transport } from '../delivery/transport.ts';

/** What the planner adds for these transports: the digest's lists, invitations by e-mail. */
export function planOptionsFor(transports: readonly Transport[]): PlanOptions {
  return {
    digestTargets: transports.flatMap((t) => (t.digestTarget ? [t.digestTarget] : [])),
    byAddress: transports.some((t) => t.sendToPerson),
  };
}

const LEASE_MS = 5 * 60 * 1000;
export const MAX_ATTEMPTS = 6;
const BACKOFF_MS = [30_000, 2 * 60_000, 10 * 60_000, 30 * 60_000, 60 * 60_000];

export interface DispatcherDeps {
  db: Db;
  clock: Clock;
  transports: Transport[];
  log?: LogTransport;
  logger?: Logger;
  workerId: string;
  /** Called once per row that reached an end state (metrics). */
  onOutcome?: (kind: string, outcome: 'sent' | 'failed' | 'late' | 'retry') => void;
}

export interface Delivery {
  key: string;
  kind: string;
  to: string;
  outcome: 'sent' | 'retry' | 'failed' | 'deferred';
  via?: string;
  error?: string;
}

class Undeliverable extends Error {}

export class Dispatcher {
  private readonly log: LogTransport;
  private readonly logger: Logger;
  private stopping = false;

  constructor(private readonly deps: DispatcherDeps) {
    this.log = deps.log ?? new LogTransport();
    this.logger = deps.logger ?? silentLogger;
  }

  /** What the planner adds for these platforms: the digest's lists, invitations by e-mail. */
  planOptions(): PlanOptions {
    return planOptionsFor(this.deps.transports);
  }

  /** Stops claiming new rows; rows already claimed are finished. */
  stop(): void {
    this.stopping = true;
  }

  async claim(limit: number): Promise<OutboxMessage[]> {
    const now = this.deps.clock.now();
    return this.deps.db.$queryRawUnsafe<OutboxMessage[]>(
      `UPDATE "OutboxMessage" SET "claimedBy" = $1, "claimedUntil" = $2
       WHERE id IN (
         SELECT id FROM "OutboxMessage"
         WHERE status = 'pending' AND "dueAt" <= $3
           AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= $3)
           AND ("claimedUntil" IS NULL OR "claimedUntil" < $3)
         ORDER BY "dueAt", id
         LIMIT $4
         FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      this.deps.workerId,
      new Date(now.getTime() + LEASE_MS),
      now,
      limit,
    );
  }

  /** Delivers everything due, in batches, until nothing is left or stop() is called. */
  async dispatchDue(batch = 25): Promise<Delivery[]> {
    const results: Delivery[] = [];
    while (!this.stopping) {
      const rows = await this.claim(batch);
      if (rows.length === 0) break;
      for (const row of rows) results.push(await this.deliverOne(row));
      if (rows.length < batch) break;
    }
    return results;
  }

  private async deliverOne(row: OutboxMessage): Promise<Delivery> {
    const { db, clock } = this.deps;
    const reply = row.payload as unknown as Reply;
    const base = { key: row.key, kind: row.kind };
    const release = { claimedBy: null, claimedUntil: null };
    try {
      const person = row.personId ? await db.person.findUnique({ where: { id: row.personId }, include: { identities: true, partnership: true } }) : null;
      if (person) {
        const wait = this.quietUntil(person, person.partnership.timeZone);
        if (wait) {
          await db.outboxMessage.update({ where: { id: row.id }, data: { ...release, nextAttemptAt: wait } });
          return { ...base, to: person.name, outcome: 'deferred' };
        }
      }
      const { to, via } = person ? await this.toPerson(row, person, reply) : await this.toChannels(row, reply);
      await db.outboxMessage.updateMany({
        where: { id: row.id, claimedBy: this.deps.workerId },
        data: { ...release, status: 'sent', sentAt: clock.now(), deliveredVia: via, attempts: { increment: 1 }, lastError: null },
      });
      this.deps.onOutcome?.(row.kind, row.late ? 'late' : 'sent');
      return { ...base, to, outcome: 'sent', via };
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      const attempts = row.attempts + 1;
      const final = e instanceof Undeliverable || e instanceof PermanentFailure || attempts >= MAX_ATTEMPTS;
      await db.outboxMessage.updateMany({
        where: { id: row.id, claimedBy: this.deps.workerId },
        data: {
          ...release,
          attempts,
          lastError: error.slice(0, 500),
          ...(final ? { status: 'failed' } : { nextAttemptAt: new Date(clock.now().getTime() + BACKOFF_MS[Math.min(attempts - 1, BACKOFF_MS.length - 1)]!) }),
        },
      });
      this.logger.warn(final ? 'notification failed' : 'notification will be retried', { key: row.key, attempts, error });
      this.deps.onOutcome?.(row.kind, final ? 'failed' : 'retry');
      return { ...base, to: row.personId ?? row.scope ?? '?', outcome: final ? 'failed' : 'retry', error };
    }
  }

  /** Outside the person's working days and hours, the next moment inside them; null when now is fine. */
  private quietUntil(person: Person, partnershipZone: string): Date | null {
    const prefs = personPreferences(person.preferences);
    const zone = person.timeZone ?? partnershipZone;
    const local = DateTime.fromJSDate(this.deps.clock.now(), { zone });
    const inHours = (d: DateTime) => prefs.workingDays.includes(d.weekday) && d.hour >= prefs.quietHours.start && d.hour < prefs.quietHours.end;
    if (inHours(local)) return null;
    let next = local.set({ hour: prefs.quietHours.start, minute: 0, second: 0, millisecond: 0 });
    if (next <= local) next = next.plus({ days: 1 });
    for (let i = 0; i < 8 && !prefs.workingDays.includes(next.weekday); i++) next = next.plus({ days: 1 });
    return next.toJSDate();
  }

  /** Transports that reach people by address (e-mail) and those that need a chat account. */
  private split(): { mail: Transport | undefined; chat: Transport[] } {
    return { mail: this.deps.transports.find((t) => t.sendToPerson), chat: this.deps.transports.filter((t) => !t.sendToPerson) };
  }

  private async toPerson(row: OutboxMessage, person: Person & { identities: ChatIdentity[] }, reply: Reply): Promise<{ to: string; via: string }> {
    const prefs = personPreferences(person.preferences);
    if (this.deps.transports.length === 0) {
      this.log.deliver(`${person.name} (DM, no chat platform configured: log)`, reply);
      return { to: person.name, via: 'log' };
    }
    const { mail, chat } = this.split();
    const unsubscribed = prefs.emailOff.includes(emailTopic(row.kind));
    const mailable = Boolean(mail && person.email && !unsubscribed);
    const chatReachable = !prefs.dmOptOut && chat.some((t) => person.identities.some((i) => i.platform === t.platform));
    const byMail = mailable && (prefs.via === 'email' || prefs.via === 'both' || (prefs.via === 'auto' && !chatReachable));
    const vias: string[] = [];
    if (byMail) {
      await mail!.sendToPerson!(person, reply, envelopeOf(row));
      vias.push(`${mail!.platform}`);
    }
    if (!byMail || prefs.via === 'both') vias.push(...(await this.toChat(chat, row, person, prefs, reply)));
    if (!vias.length) {
      const address = !mail ? '' : !person.email ? ', no e-mail address' : unsubscribed ? ' (unsubscribed from these e-mails)' : '';
      throw new Undeliverable(`${person.name} has no linked chat account${address} and A${row.actionNumber ?? '?'} has no bound channel`);
    }
    return { to: person.name, via: vias.join(',') };
  }

  /** A DM on each chat platform where the person has an account, else their Action's channel there. */
  private async toChat(chat: Transport[], row: OutboxMessage, person: Person & { identities: ChatIdentity[] }, prefs: ReturnType<typeof personPreferences>, reply: Reply): Promise<string[]> {
    const vias: string[] = [];
    for (const t of chat) {
      const identity = person.identities.find((i) => i.platform === t.platform);
      let dmClosed = false;
      if (identity && !prefs.dmOptOut) {
        try {
          await t.sendDm(identity.externalId, reply);
          vias.push(`${t.platform}:dm`);
          if (prefs.dmClosedNoted[t.platform]) await this.noteDmClosed(person.id, t.platform, null);
          continue;
        } catch (e) {
          if (!(e instanceof DmUnavailable)) throw e;
          dmClosed = true;
        }
      }
      // No DM possible: the Action's channel, where the co-leader will see it. The first time it is
      // because their DMs are closed, the channel post says so: otherwise they never learn why.
      const noteNow = dmClosed && !prefs.dmClosedNoted[t.platform];
      const posted = await this.postToBound(t, row, 'action', noteNow ? withDmClosedNote(reply, person.name, t.platform) : reply);
      if (posted) vias.push(`${t.platform}:channel`);
      if (posted && noteNow) await this.noteDmClosed(person.id, t.platform, this.deps.clock.now().toISOString());
    }
    return vias;
  }

  private async toChannels(row: OutboxMessage, reply: Reply): Promise<{ to: string; via: string }> {
    const scope = row.scope ?? 'partnership';
    const to = scope === 'action' ? `A${row.actionNumber} channel` : `${scope} channel`;
    const target = row.target as unknown as ChannelTarget | null;
    // The digest's copy for a platform's own list (e-mail): not a bound channel, so not checked as one.
    const list = target && this.deps.transports.find((t) => t.digestTarget && sameTarget(t.digestTarget, target));
    if (list) {
      await list.postChannel(target, reply, envelopeOf(row));
      return { to: target.channelId, via: `${list.platform}:list` };
    }
    const { chat } = this.split();
    if (chat.length === 0) {
      this.log.deliver(`${to} (no chat platform configured: log)`, reply);
      return { to, via: 'log' };
    }
    if (target) return this.toTarget(row, scope, target, reply);
    const vias: string[] = [];
    for (const t of chat) {
      if (await this.postToBound(t, row, scope, reply)) vias.push(`${t.platform}:channel`);
    }
    if (!vias.length) throw new Undeliverable(`no ${scope} channel is bound (use "channel bind ${scope === 'action' ? `A${row.actionNumber}` : scope}")`);
    return { to, via: vias.join(',') };
  }

  /** The one channel a row names, as long as it is still bound to the row's scope. */
  private async toTarget(row: OutboxMessage, scope: ChannelScope, target: ChannelTarget, reply: Reply): Promise<{ to: string; via: string }> {
    const to = `${target.platform} channel ${target.channelId}`;
    const transport = this.deps.transports.find((t) => t.platform === target.platform);
    if (!transport) throw new Undeliverable(`${to}: ${target.platform} is not configured here`);
    const bound = await channelsFor(this.deps.db, row.partnershipId, scope, row.actionNumber ?? undefined, target.platform);
    const channel = bound.find((c) => c.workspaceId === target.workspaceId && c.channelId === target.channelId);
    if (!channel) throw new Undeliverable(`${to} is no longer bound to the ${scope === 'action' ? `A${row.actionNumber}` : scope} channel list`);
    await transport.postChannel(channel, reply);
    return { to, via: `${target.platform}:channel` };
  }

  /**
   * Sets or clears one platform's entry of dmClosedNoted in place, so that a preference the person
   * changes at the same moment is not overwritten.
   */
  private async noteDmClosed(personId: string, platform: string, at: string | null): Promise<void> {
    if (at) {
      await this.deps.db.$executeRaw`UPDATE "Person" SET "preferences" = jsonb_set(jsonb_set("preferences", '{dmClosedNoted}', COALESCE("preferences"->'dmClosedNoted', '{}'::jsonb)), ARRAY['dmClosedNoted', ${platform}], to_jsonb(${at}::text)) WHERE "id" = ${personId}`;
    } else {
      await this.deps.db.$executeRaw`UPDATE "Person" SET "preferences" = "preferences" #- ARRAY['dmClosedNoted', ${platform}] WHERE "id" = ${personId}`;
    }
  }

  /** Posts to every channel of the platform bound to the scope; whether there was any. */
  private async postToBound(t: Transport, row: OutboxMessage, scope: ChannelScope, reply: Reply): Promise<boolean> {
    const channels = await channelsFor(this.deps.db, row.partnershipId, scope, row.actionNumber ?? undefined, t.platform);
    for (const c of channels) await t.postChannel(c, reply);
    return channels.length > 0;
  }
}

const envelopeOf = (row: OutboxMessage): OutboxEnvelope => ({ id: row.id, key: row.key, kind: row.kind, partnershipId: row.partnershipId });

const sameTarget = (a: ChannelTarget, b: ChannelTarget) => a.platform === b.platform && a.workspaceId === b.workspaceId && a.channelId === b.channelId;

function withDmClosedNote(reply: Reply, name: string, platform: string): Reply {
  const how = platform === 'discord' ? ' (Discord: the server\'s Privacy Settings, "Direct Messages")' : '';
  const note = `This is here because ${name} does not accept direct messages from the bot. Their nudges will come to this channel until they do${how}.`;
  return { ...reply, blocks: [...reply.blocks, context(note)] };
}
