// Finding organisations and people by what a secretariat types: a key, a short name, an alias or a
// (part of a) name, with one clear error when nothing or several match.
import type { Organisation, Person } from '@prisma/client';
import type { CommandContext } from '../core/context.ts';
import type { Db } from '../persistence/database.ts';
import { UserError } from '../core/errors.ts';

type Lookup = Pick<CommandContext, 'db' | 'partnership'>;

export async function findOrganisation(ctx: Lookup, ref: string): Promise<Organisation> {
  const q = ref.trim();
  const all = await ctx.db.organisation.findMany({ where: { partnershipId: ctx.partnership.id, removedAt: null } });
  const lower = q.toLowerCase();
  const exact = all.filter(
    (o) => o.key === lower || o.name.toLowerCase() === lower || o.shortName?.toLowerCase() === lower || o.aliases.some((a) => a.toLowerCase() === lower),
  );
  const matches = exact.length ? exact : all.filter((o) => o.name.toLowerCase().includes(lower));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new UserError(`No organisation matches "${q}".`, 'Type "members" for the list, or add it with: org add "<name>"');
  throw new UserError(`"${q}" matches several organisations: ${matches.slice(0, 5).map((o) => o.shortName ?? o.name).join(', ')}.`, 'Use its short name or key.');
}

/** A current member of the partnership (not one removed with "person remove"). */
export async function findPerson(ctx: Lookup, ref: string): Promise<Person> {
  const q = ref.trim();
  const people = await ctx.db.person.findMany({
    where: { partnershipId: ctx.partnership.id, removedAt: null, OR: [{ key: q.toLowerCase() }, { name: { contains: q, mode: 'insensitive' } }] },
    take: 6,
  });
  const exact = people.filter((p) => p.key === q.toLowerCase() || p.name.toLowerCase() === q.toLowerCase());
  const matches = exact.length ? exact : people;
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new UserError(`No person matches "${q}".`, 'Use their key (e.g. demo-flanders) or part of their name; "whois <name>" looks them up.');
  throw new UserError(`"${q}" matches several people: ${matches.slice(0, 5).map((p) => `${p.name} (${p.key})`).join(', ')}.`, 'Use the key.');
}

/** "City of Lyon" → "city-of-lyon"; the work-plan file's key form, with a number added when taken. */
export function freeKey(name: string, taken: Set<string>): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'item';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

type Tx = Pick<Db, 'person' | 'chatIdentity' | 'inviteCode' | 'calendarFeed' | 'outboxMessage' | 'absence' | 'organisation' | 'actionRole' | 'partnershipRole'>;

/**
 * Takes a person off the roster, from chat or from a work plan that marks them removed: their chat
 * accounts stop acting for them, their invitations and calendar feeds stop working, and nothing still
 * waiting is sent to them; the row stays, so the audit trail, agenda items and decisions still name them.
 */
export async function removePerson(tx: Tx, personId: string, now: Date): Promise<void> {
  await tx.person.update({ where: { id: personId }, data: { removedAt: now } });
  await tx.chatIdentity.deleteMany({ where: { personId } });
  await tx.inviteCode.deleteMany({ where: { personId, usedAt: null } });
  await tx.calendarFeed.updateMany({ where: { personId, revokedAt: null }, data: { revokedAt: now } });
  await tx.outboxMessage.updateMany({ where: { personId, status: 'pending' }, data: { status: 'skipped', lastError: 'person removed' } });
  await tx.absence.updateMany({ where: { delegateId: personId }, data: { delegateId: null } });
}

/** Takes an organisation off the roster: it leaves every Action group and role; the row stays (see removedAt). */
export async function removeOrganisation(tx: Tx, organisationId: string, now: Date): Promise<void> {
  await tx.actionRole.deleteMany({ where: { organisationId } });
  await tx.partnershipRole.deleteMany({ where: { organisationId } });
  await tx.organisation.update({ where: { id: organisationId }, data: { removedAt: now } });
}
