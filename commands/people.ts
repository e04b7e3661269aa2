import { z } from 'zod';
import { defineCommand } from '../src/core/command.ts';
import type { CommandContext } from '../src/core/context.ts';
import { UserError } from '../src/core/errors.ts';
import { context, fields, list, reply, text } from '../src/core/reply.ts';
import { myWork, personCard } from '../src/domain/my-work.ts';
import { runningBlocks } from './due.ts';
import { addDays, describeFuzzyDate } from '../src/domain/fuzzy-date.ts';
import { requireAction, whenOf } from '../src/domain/plan.ts';
import { HOW_TO_LINK } from '../src/core/permissions.ts';
import { absencesBetween, awayText } from '../src/domain/absences.ts';

const KIND: Record<string, string> = {
  city: 'city',
  region: 'region',
  national_government: 'national government',
  transnational_network: 'transnational network',
  eu_body: 'EU body',
  ngo: 'NGO / think-tank / university',
  expert_group: 'expert group',
  secretariat: 'secretariat',
  other: 'other',
};

/** Leave shown beside people: what runs now or starts within this many days. */
const AWAY_SHOWN_DAYS = 14;

/** "Away" under a list of organisations: their people on leave now or soon. */
async function awayBlock(ctx: CommandContext, mine: (a: { organisationId: string | null }) => boolean) {
  const today = ctx.today();
  const away = (await absencesBetween(ctx.db, ctx.partnership.id, today, addDays(today, AWAY_SHOWN_DAYS))).filter(mine);
  return away.length ? [list(away.map((a) => `${a.personName} — ${awayText(a, ctx)}`), 'Away')] : [];
}

export const members = defineCommand({
  name: 'members',
  summary: 'The member organisations of the partnership, or of one Action group',
  examples: ['members', 'members A2'],
  args: z.object({ action: z.string().optional().describe('An Action, e.g. A2').meta({ complete: 'action' }) }),
  positional: ['action'],
  permission: 'anyone',
  async handler(ctx, { action }) {
    if (action) {
      const a = await requireAction(ctx, action);
      const leaders = a.roles.filter((r) => r.role === 'co_leader' && r.organisation).map((r) => r.organisation!.name);
      const group = a.roles.filter((r) => r.role === 'member' && r.organisation).map((r) => r.organisation!.name).sort();
      const orgIds = new Set(a.roles.flatMap((r) => (r.organisationId ? [r.organisationId] : [])));
      return reply(`A${a.number} action group`, [list(leaders, 'Co-leaders'), list(group, `Members (${group.length})`), ...(await awayBlock(ctx, (x) => x.organisationId !== null && orgIds.has(x.organisationId)))]);
    }
    const orgs = await ctx.db.organisation.findMany({ where: { partnershipId: ctx.partnership.id, removedAt: null, kind: { not: 'secretariat' } }, orderBy: { name: 'asc' } });
    const byKind = new Map<string, string[]>();
    for (const o of orgs) byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), `${o.name}${o.country ? ` (${o.country})` : ''}`]);
    return reply(`${orgs.length} member organisations`, [...[...byKind].map(([kind, names]) => list(names, KIND[kind] ?? kind)), ...(await awayBlock(ctx, () => true))]);
  },
});

export const whois = defineCommand({
  name: 'whois',
  summary: 'Look up an organisation or a person: their Actions and roles',
  examples: ['whois Flanders', 'whois CEB'],
  args: z.object({ name: z.string().min(2).max(100).describe('Part of a name, short name or alias').meta({ complete: 'organisation' }) }),
  positional: ['name'],
  restPositional: true,
  permission: 'anyone',
  async handler(ctx, { name }) {
    const q = name.trim();
    const orgs = await ctx.db.organisation.findMany({
      where: {
        partnershipId: ctx.partnership.id,
        removedAt: null,
        OR: [{ name: { contains: q, mode: 'insensitive' } }, { shortName: { equals: q, mode: 'insensitive' } }, { key: q.toLowerCase() }, { aliases: { has: q } }],
      },
      include: { actionRoles: { include: { action: true } }, roles: true, people: { where: { removedAt: null } } },
      take: 5,
    });
    const people = await ctx.db.person.findMany({
      where: { partnershipId: ctx.partnership.id, removedAt: null, name: { contains: q, mode: 'insensitive' } },
      include: { organisation: true },
      take: 5,
    });
    if (!orgs.length && !people.length) throw new UserError(`No organisation or person matches "${q}".`, 'Type "members" for the list.');
    const today = ctx.today();
    const away = new Map((await absencesBetween(ctx.db, ctx.partnership.id, today, addDays(today, AWAY_SHOWN_DAYS))).map((a) => [a.personId, awayText(a, ctx)]));
    const blocks = orgs.map((o) =>
      fields([
        ['Organisation', `${o.name}${o.shortName ? ` (${o.shortName})` : ''}`],
        ['Kind', `${KIND[o.kind]}${o.country ? `, ${o.country}` : ''}`],
        ['Roles', [...o.roles.map((r) => r.role), ...o.actionRoles.map((r) => `${r.role === 'co_leader' ? 'co-leader' : 'member'} of A${r.action.number}`)].join(', ') || 'member'],
        ['People', o.people.map((p) => p.name + (p.demo ? ' (demo)' : '') + (away.has(p.id) ? ` — ${away.get(p.id)}` : '')).join(', ') || '—'],
      ]),
    );
    if (people.length) blocks.push(fields(people.map((p) => ['Person', `${p.name}${p.demo ? ' (demo)' : ''} — ${p.organisation?.name ?? 'no organisation'}${away.has(p.id) ? ` — ${away.get(p.id)}` : ''}`] as [string, string])));
    return reply(`Who is "${q}"`, blocks);
  },
});

/** "me" names the first deadlines; "due --mine" has them all. */
const ME_SHOWN = 10;

export const me = defineCommand({
  name: 'me',
  summary: 'Your organisation, roles, Actions and deadlines',
  examples: ['me'],
  args: z.object({}),
  permission: 'anyone',
  async handler(ctx) {
    const person = ctx.actor.person;
    if (!person) return reply('You are not linked yet', [text(`You can read everything, but to change anything you need to be linked to a member of ${ctx.partnership.name}.`), context(HOW_TO_LINK)], { ephemeral: true });
    const { coordinator, secretariat, coLeads, memberOf } = ctx.roles;
    const roles = [coordinator && 'coordinator', secretariat && 'secretariat', ...coLeads.map((n) => `co-leader of A${n}`), ...memberOf.filter((n) => !coLeads.includes(n)).map((n) => `member of A${n}`)].filter(Boolean);
    const [work, card] = await Promise.all([myWork(ctx, 30), personCard(ctx, person, AWAY_SHOWN_DAYS)]);
    const plenary = card.nextPlenary;
    const away = card.absence && awayText(card.absence, ctx);
    const { items } = work;
    const deadlines = items.slice(0, ME_SHOWN).map((i) => `${i.code} ${i.title} — ${describeFuzzyDate(i.when)} (${i.bucket})`);
    if (items.length > ME_SHOWN) deadlines.push(`… and ${items.length - ME_SHOWN} more: type "due --mine"`);
    return reply(`${person.name}${person.demo ? ' (demo)' : ''}`, [
      fields([
        ['Organisation', card.organisation ?? '—'],
        ['Roles', roles.join(', ') || 'member of the partnership'],
        ['Time zone', person.timeZone ?? ctx.partnership.timeZone],
        ...(away ? [['Away', away] as [string, string]] : []),
      ]),
      list(deadlines.length ? deadlines : ['Nothing due in the next 30 days.'], work.scope === 'partnership' ? `The partnership's deadlines (${items.length})` : 'My deadlines'),
      ...runningBlocks(work),
      fields([['Next plenary', plenary ? `${plenary.code} ${plenary.title} — ${describeFuzzyDate(whenOf(plenary))}` : 'none planned']]),
    ], { ephemeral: true });
  },
});
