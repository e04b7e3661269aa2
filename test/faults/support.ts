// Shared by the fault tests: a Bot that records what it logs (so an unexpected error shows its cause
// in the failure), and a digest of everything but the audit log, to prove a refusal or a failed
// import changed nothing.
import { Bot, type Invocation, type Logger } from '../../src/core/bot.ts';
import type { Clock } from '../../src/core/clock.ts';
import { renderText } from '../../src/delivery/plain-text.ts';
import { registry } from '../../src/app.ts';
import type { Db } from '../../src/persistence/database.ts';
import type { Reply } from '../../src/core/reply.ts';

export const GENERIC_ERROR = /Something went wrong on our side/;

export function recordingBot(db: Db, clock: Clock, defaultPartnership?: string): { bot: Bot; errors: string[] } {
  const errors: string[] = [];
  const logger: Logger = { info() {}, warn() {}, error: (msg, data) => void errors.push(`${msg} ${JSON.stringify(data)}`) };
  return { bot: new Bot({ db, clock, registry, logger, ...(defaultPartnership ? { defaultPartnership } : {}) }), errors };
}

export async function runAs(bot: Bot, inv: Invocation): Promise<{ reply: Reply; out: string }> {
  const reply = await bot.handle(inv);
  return { reply, out: renderText(reply) };
}

const TABLES = [
  'Partnership', 'Organisation', 'Person', 'ChatIdentity', 'PartnershipRole', 'Action', 'ActionRole', 'Activity', 'Output',
  'Target', 'Meeting', 'AgendaItem', 'Decision', 'ChannelBinding', 'WorkspaceBinding', 'InviteCode', 'OutboxMessage', 'CalendarFeed',
];

/** A digest of every row of every table except the audit log: equal digests, equal contents. */
export async function snapshot(db: Db): Promise<Record<string, string>> {
  // One query instead of a findMany per table: the authorization matrix takes two per command.
  const sql = TABLES.map(
    (t) => `SELECT '${t}' AS t, count(*)::int || ':' || md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) AS digest FROM "${t}" x`,
  ).join(' UNION ALL ');
  const rows = await db.$queryRawUnsafe<{ t: string; digest: string }[]>(sql);
  return Object.fromEntries(rows.map((r) => [r.t, r.digest]));
}

/** Row counts of every table, the audit log included: cheap enough to take around every import. */
export async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, n] of Object.entries({
    partnership: db.partnership.count(), organisation: db.organisation.count(), person: db.person.count(),
    partnershipRole: db.partnershipRole.count(), action: db.action.count(), actionRole: db.actionRole.count(),
    activity: db.activity.count(), output: db.output.count(), target: db.target.count(), meeting: db.meeting.count(),
    auditEntry: db.auditEntry.count(),
  })) out[name] = await n;
  return out;
}
