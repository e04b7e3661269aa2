// The core's single entry point: an adapter hands over who typed what where, and gets a Reply.
// Everything between — partnership and identity lookup, parsing, permissions, errors — happens here,
// once, for every platform.
import { DEFAULT_PUBLIC_URL } from '../config.ts';
import type { Partnership } from '@prisma/client';
import type { Db } from '../persistence/database.ts';
import type { Clock } from './clock.ts';
import { coerce, parseArgs, type CommandDef } from './command.ts';
import { actorLabel, makeToday, NO_ROLES, type Actor, type CommandContext, type Platform } from './context.ts';
import { findAsker, type AskerWhere } from './asker.ts';
import { Refusal, UserError } from './errors.ts';
import { checkPermission } from './permissions.ts';
import { controlCharacterIn, normaliseLineEnds, stripControlCharacters } from './control-characters.ts';
import { recordAudit } from '../domain/audit.ts';
import { claimDelivery, releaseDelivery } from '../persistence/delivery-claims.ts';
import type { CommandRegistry } from './registry.ts';
import { errorReply, type Reply } from './reply.ts';
import { tokenize } from './tokenize.ts';

export interface Invocation {
  platform: Platform;
  workspaceId: string;
  userId: string;
  displayName: string;
  channelId?: string;
  /** A typed line, e.g. `due --days 30` (a leading "/partner" is ignored). */
  text?: string;
  /** Already-structured options (Discord slash commands); validated by the same schema. */
  command?: { name: string; options: Record<string, unknown> };
  /** Local adapters only (the shell): the operator said who they are with `--as`. */
  trustedPersonId?: string;
  /**
   * The partnership the caller acts in, known without a binding: a signed e-mail link names its
   * person, and so their partnership (a database may hold several, with the same item ids).
   */
  trustedPartnershipId?: string;
  /**
   * The platform's id for this delivery (Slack's trigger_id or event_id, Discord's interaction id). A
   * retry, or a copy delivered to another replica, carries the same id and runs nothing.
   */
  deliveryId?: string;
  /**
   * A button press: which button, on which message. The same user pressing it again within
   * DOUBLE_PRESS_MS is a double click (a new delivery id, the same intent), and only the first runs.
   */
  pressed?: string;
}

/** Longer than a double click or an impatient second press while Slack's 3 s ack window runs. */
export const DOUBLE_PRESS_MS = 3000;

export interface Logger {
  /** Detail for PARTNERBOT_LOG_LEVEL=debug; optional so that a test's recording logger may skip it. */
  debug?(msg: string, data?: Record<string, unknown>): void;
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export interface BotDeps {
  db: Db;
  clock: Clock;
  registry: CommandRegistry;
  /** Partnership used when no channel or workspace binding says otherwise. */
  defaultPartnership?: string;
  /** Where calendar apps reach the HTTP server (PARTNERBOT_PUBLIC_URL); DEFAULT_PUBLIC_URL if unset. */
  publicUrl?: string;
  logger?: Logger;
  /** Told about every command once it is answered (metrics); must not throw. */
  onCommand?: (event: { command: string; platform: Platform; outcome: 'ok' | 'user_error' | 'refused' | 'error'; ms: number }) => void;
}

export class Bot {
  /**
   * The partnership of each invocation, read once per request: Bot.handle and the announcements
   * after it (and an adapter's own lookups) ask with the same invocation object.
   */
  private readonly partnerships = new WeakMap<object, Promise<Partnership>>();

  constructor(readonly deps: BotDeps) {}

  get clock(): Clock {
    return this.deps.clock;
  }

  get db(): Db {
    return this.deps.db;
  }

  async handle(invocation: Invocation): Promise<Reply> {
    const inv = { ...invocation, displayName: stripControlCharacters(invocation.displayName) };
    const logger = this.deps.logger ?? silentLogger;
    const started = performance.now();
    let command = 'unknown';
    const done = (outcome: 'ok' | 'user_error' | 'refused' | 'error', reply: Reply): Reply => {
      const ms = performance.now() - started;
      this.deps.onCommand?.({ command, platform: inv.platform, outcome, ms });
      logger.debug?.('command answered', { platform: inv.platform, user: inv.userId, command, outcome, ms: Math.round(ms) });
      return reply;
    };
    const claimed: string[] = [];
    // Parsing needs no database. A line that parses has who asks and where read while its delivery is
    // claimed (one round trip instead of two in a row; a duplicate drops it unread). One that does
    // not is still claimed first, so a retried delivery stays silent.
    let parsed: ReturnType<Bot['parse']> | undefined;
    let unparsable: unknown;
    try {
      parsed = this.parse(inv, (name) => (command = name));
    } catch (e) {
      unparsable = e;
    }
    const context = parsed && this.context(inv, invocation);
    context?.catch(() => {});
    try {
      for (const { key, withinMs } of claimKeys(inv)) {
        if (!(await claimDelivery(this.deps.db, inv.platform, key, withinMs))) {
          logger.info('duplicate delivery ignored', { platform: inv.platform, user: inv.userId, delivery: key });
          return { blocks: [], duplicate: true };
        }
        claimed.push(key);
      }
      if (!parsed || !context) throw unparsable;
      const { def, args } = parsed;
      const ctx = await context;
      await checkPermission(ctx, def, args);
      return done('ok', await def.handler(ctx, args as never));
    } catch (e) {
      if (e instanceof UserError) {
        if (e instanceof Refusal) logger.info('refused', { platform: inv.platform, user: inv.userId, reason: e.message });
        return done(e instanceof Refusal ? 'refused' : 'user_error', errorReply(e.message, e.hint));
      }
      logger.error('command failed', { platform: inv.platform, command, error: e });
      // The answer says nothing was changed: a retry of this delivery, or another press, may try again.
      for (const key of claimed) {
        await releaseDelivery(this.deps.db, inv.platform, key).catch((err: unknown) =>
          logger.warn('delivery claim not released', { platform: inv.platform, delivery: key, error: err instanceof Error ? err.message : String(err) }),
        );
      }
      return done('error', errorReply('Something went wrong on our side; nothing was changed. Please try again in a moment.'));
    }
  }

  /** `recognised` hears the command's name before its arguments are checked: bad arguments to a known command count under its name. */
  parse(inv: Invocation, recognised: (name: string) => void = () => {}): { def: CommandDef; args: Record<string, unknown> } {
    const { registry } = this.deps;
    if (inv.command) {
      const def = registry.get(inv.command.name);
      if (!def) throw new UserError(`Unknown command "${inv.command.name}".`, 'Type "help" for all commands.');
      recognised(def.name);
      const options = Object.fromEntries(
        Object.entries(inv.command.options).map(([name, value]) => [name, typeof value === 'string' ? plainText(value, `--${name}`) : value]),
      );
      return { def, args: coerce(def, options) };
    }
    let tokens = tokenize(plainText(inv.text ?? '', 'The command'));
    if (tokens[0]?.toLowerCase() === '/partner') tokens = tokens.slice(1);
    if (tokens.length === 0) tokens = ['help'];
    const { def, rest } = registry.match(tokens);
    recognised(def.name);
    return { def, args: parseArgs(def, rest) };
  }

  /** `asked` is the invocation as the adapter handed it over, under which its partnership is remembered. */
  async context(inv: Invocation, asked: object = inv): Promise<CommandContext> {
    const asker = await findAsker(this.deps.db, this.askerWhere(inv));
    const partnership = asker.partnership ?? (await this.noPartnership());
    this.partnerships.set(asked, Promise.resolve(partnership));
    const actor: Actor = {
      platform: inv.platform,
      workspaceId: inv.workspaceId,
      userId: inv.userId,
      displayName: inv.displayName,
      person: asker.person,
    };
    return {
      ...this.contextFor(partnership, actor, asker.roles),
      ...(inv.channelId ? { channelId: inv.channelId } : {}),
    };
  }

  private askerWhere(inv: Pick<Invocation, 'platform' | 'workspaceId' | 'channelId' | 'trustedPartnershipId' | 'trustedPersonId'> & { userId?: string }): AskerWhere {
    return { ...inv, defaultSlug: this.deps.defaultPartnership };
  }

  private contextFor(partnership: Partnership, actor: Actor, roles: CommandContext['roles']): CommandContext {
    return {
      db: this.deps.db,
      clock: this.deps.clock,
      registry: this.deps.registry,
      partnership,
      actor,
      roles,
      today: makeToday(this.deps.clock, partnership),
      publicUrl: this.deps.publicUrl ?? DEFAULT_PUBLIC_URL,
    };
  }

  /**
   * Links a chat user to the person with this e-mail address, where the platform vouches for it
   * (Slack's users:read.email). Does nothing when the user is already linked or the address matches
   * nobody, or several people, in the partnership. Returns whether it linked.
   */
  async linkByEmail(inv: Pick<Invocation, 'platform' | 'workspaceId' | 'userId' | 'displayName' | 'channelId'>, email: string): Promise<boolean> {
    const { db } = this.deps;
    const where = { platform_workspaceId_externalId: { platform: inv.platform, workspaceId: inv.workspaceId, externalId: inv.userId } };
    if (await db.chatIdentity.findUnique({ where })) return false;
    const partnership = await this.partnershipFor(inv).catch(() => null);
    if (!partnership) return false;
    const people = await db.person.findMany({ where: { partnershipId: partnership.id, removedAt: null, email: { equals: email.trim(), mode: 'insensitive' } }, take: 2 });
    if (people.length !== 1) return false;
    const person = people[0]!;
    const displayName = stripControlCharacters(inv.displayName);
    await db.$transaction(async (tx) => {
      await tx.chatIdentity.create({ data: { personId: person.id, platform: inv.platform, workspaceId: inv.workspaceId, externalId: inv.userId, displayName } });
      await recordAudit(
        { ...this.systemContext(partnership), actor: { platform: inv.platform, workspaceId: inv.workspaceId, userId: inv.userId, displayName, person } },
        { entityType: 'person', entityId: person.id, entityCode: person.key, verb: 'linked by e-mail', after: { platform: inv.platform, userId: inv.userId } },
        tx,
      );
    });
    (this.deps.logger ?? silentLogger).info('linked by e-mail', { platform: inv.platform, user: inv.userId, person: person.key });
    return true;
  }

  /** The context the scheduler acts in: no person, read access, audit label "partnerbot". */
  systemContext(partnership: Partnership): CommandContext {
    return this.contextFor(partnership, { platform: 'scheduler', workspaceId: 'scheduler', userId: 'partnerbot', displayName: 'partnerbot', person: null }, NO_ROLES);
  }

  partnershipFor(inv: Pick<Invocation, 'platform' | 'workspaceId' | 'channelId' | 'trustedPartnershipId'>, asked: object = inv): Promise<Partnership> {
    let found = this.partnerships.get(asked);
    if (!found) {
      found = this.findPartnership(inv);
      this.partnerships.set(asked, found);
    }
    return found;
  }

  private async findPartnership(inv: Pick<Invocation, 'platform' | 'workspaceId' | 'channelId' | 'trustedPartnershipId'>): Promise<Partnership> {
    return (await findAsker(this.deps.db, this.askerWhere(inv))).partnership ?? this.noPartnership();
  }

  /** Why nothing names a partnership here: the database holds none, or several and none is bound. */
  private async noPartnership(): Promise<never> {
    if ((await this.deps.db.partnership.count()) === 0) throw new UserError('No partnership is set up yet.', 'Import a work plan first: partnerbot import <file.yaml>');
    throw new UserError(
      'This workspace is not bound to a partnership.',
      'Set PARTNERBOT_PARTNERSHIP, or bind a channel with "channel bind partnership".',
    );
  }
}

/** The claims that make this invocation run once: its delivery, and for a button, the press. */
function claimKeys(inv: Invocation): { key: string; withinMs?: number }[] {
  const keys: { key: string; withinMs?: number }[] = [];
  if (inv.deliveryId) keys.push({ key: inv.deliveryId });
  if (inv.pressed) keys.push({ key: `press ${inv.workspaceId} ${inv.userId} ${inv.pressed}`, withinMs: DOUBLE_PRESS_MS });
  return keys;
}

/**
 * Typed text and option values, every adapter's, refused when they hold a control character: what
 * is stored is replayed into terminals and chats later. Line ends from other systems become "\n".
 */
function plainText(text: string, what: string): string {
  const normal = normaliseLineEnds(text);
  const found = controlCharacterIn(normal);
  if (found) throw new UserError(`${what} contains a control character (${found}), which I do not store.`, 'Only plain text, line breaks and tabs: paste it without formatting codes.');
  return normal;
}

export { actorLabel };
