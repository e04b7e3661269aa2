// Finding organisations and people by what a secretariat types: a key, a short name, an alias or a
// (part of a) name, with one clear error when nothing or several match.
import type { Organisation, Person } from '@prisma/client';
import type { CommandContext } from '../core/context.ts';
import { UserError } from '../core/errors.ts';

type Lookup = Pick<CommandContext, 'db' | 'partnership'>;

export async function findOrganisation(ctx: Lookup, ref: string): Promise<Organisation> {
  const q = ref.trim();
  const all = await ctx.db.organisation.findMany({ where: { partnershipId: ctx.partnership.id } });
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
