// Who a terminal operator acts as: `--as` in the shell names a person or an organisation, and
// without it the first secretariat member acts.
import type { Person } from '@prisma/client';
import type { Db } from '../persistence/database.ts';

/** Case, accents and spacing do not matter: "--as 'ile-de-france'" names Île-de-France. */
function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim().replace(/\s+/g, ' ');
}

/** An operator's own typing, echoed back without anything that would steer the terminal. */
function printable(s: string): string {
  const shown = s.replace(/[\p{Cc}\p{Cf}]/gu, '?');
  return shown.length > 80 ? `${shown.slice(0, 79)}…` : shown;
}

function choices(names: string[]): string {
  const sorted = [...new Set(names)].sort((a, b) => a.localeCompare(b));
  return sorted.length > 12 ? `${sorted.slice(0, 12).join(', ')}, … (${sorted.length} in all)` : sorted.join(', ');
}

export type ActingPerson = { person: Person } | { problem: string };

/**
 * `--as` names a person (key or name) or an organisation (key, name, short name or alias; its first
 * person acts), exactly: a part of a name is no name, since it could select someone with more rights.
 */
export async function findActingPerson(db: Db, partnershipId: string, who: string): Promise<ActingPerson> {
  const q = fold(who);
  const organisations = await db.organisation.findMany({
    where: { partnershipId, removedAt: null },
    select: { id: true, key: true, name: true, shortName: true, aliases: true, people: { where: { removedAt: null }, orderBy: { key: 'asc' }, take: 1 } },
  });
  if (!q) return { problem: `give a person or an organisation, e.g. one of: ${choices(organisations.map((o) => o.name))}` };
  const people = await db.person.findMany({ where: { partnershipId }, orderBy: { key: 'asc' } });
  const personHits = people.filter((p) => fold(p.key) === q || fold(p.name) === q);
  if (personHits.length === 1) return { person: personHits[0]! };
  if (personHits.length > 1) return { problem: `"${printable(who)}" is several people: ${choices(personHits.map((p) => p.key))}; give a key` };
  const orgHits = organisations.filter((o) => [o.key, o.name, o.shortName ?? '', ...o.aliases].some((n) => fold(n) === q));
  if (orgHits.length > 1) return { problem: `"${printable(who)}" is several organisations: ${choices(orgHits.map((o) => `${o.name} (${o.key})`))}; give a key` };
  const org = orgHits[0];
  if (!org) return { problem: `no person or organisation matches "${printable(who)}"` };
  const first = org.people[0];
  return first ? { person: first } : { problem: `${org.name} has no people to act as` };
}

/** The default operator: the first secretariat member (the demo secretariat on the shipped plan). */
export async function defaultShellPerson(db: Db, partnershipId: string): Promise<Person | null> {
  const role = await db.partnershipRole.findFirst({
    where: { partnershipId, role: 'secretariat', personId: { not: null } },
    include: { person: true },
    orderBy: { person: { key: 'asc' } },
  });
  return role?.person ?? null;
}
