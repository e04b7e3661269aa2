// The roster from chat: organisations, people, Action groups and co-leaders (secretariat and
// coordinators). Changes are audited; those to an Action group are announced in the Action's
// channels. The scheduler reads the roles every tick, so new co-leaders get nudges from the next one.
import { IANAZone } from 'luxon';
import { z } from 'zod';
import type { OrgKind } from '@prisma/client';
import { defineCommand } from '../src/core/command.ts';
import { UserError } from '../src/core/errors.ts';
import { refuse } from '../src/core/permissions.ts';
import { context, fields, reply, text } from '../src/core/reply.ts';
import { announced, change } from '../src/domain/changes.ts';
import { requireAction } from '../src/domain/plan.ts';
import { findOrganisation, findPerson, freeKey, removeOrganisation, removePerson } from '../src/domain/roster.ts';

const KIND_WORDS = ['city', 'region', 'member-state', 'eu-body', 'network', 'ngo', 'other'] as const;
const KIND: Record<(typeof KIND_WORDS)[number], OrgKind> = {
  city: 'city',
  region: 'region',
  'member-state': 'national_government',
  'eu-body': 'eu_body',
  network: 'transnational_network',
  ngo: 'ngo',
  other: 'other',
};
const orgArg = z.string().min(2).max(200).describe('An organisation: key, short name or name').meta({ complete: 'organisation' });
const personArg = z.string().min(2).max(120).describe('A person: key or name').meta({ complete: 'person' });
const country = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'a two-letter country code, e.g. FR')
  .transform((c) => c.toUpperCase())
  .optional()
  .describe('Two-letter country code, e.g. FR');
const email = z.email('an e-mail address, e.g. name@example.org').max(200).optional().describe('E-mail address');
const timeZone = z
  .string()
  .refine((tz) => IANAZone.isValidZone(tz), 'a time zone such as Europe/Warsaw')
  .optional()
  .describe('Time zone, e.g. Europe/Warsaw');
const orgName = (o: { name: string; shortName: string | null }) => o.shortName ?? o.name;

export const orgAdd = defineCommand({
  name: 'org add',
  summary: 'Add a member organisation (secretariat)',
  examples: ['org add "City of Lyon" --short Lyon --kind city --country FR'],
  args: z.object({
    name: z.string().trim().min(2).max(200).describe('Its full name'),
    short: z.string().trim().min(2).max(60).optional().describe('A short name, e.g. Lyon'),
    kind: z.enum(KIND_WORDS).default('other').describe('What it is'),
    country,
  }),
  positional: ['name'],
  restPositional: true,
  permission: 'secretariat',
  async handler(ctx, args) {
    const all = await ctx.db.organisation.findMany({ where: { partnershipId: ctx.partnership.id } });
    const clash = all.find((o) => !o.removedAt && [o.name, o.shortName].some((n) => n && [args.name, args.short].some((x) => x && n.toLowerCase() === x.toLowerCase())));
    if (clash) throw new UserError(`${clash.name} is already a member organisation.`, `Rename it with: org rename ${clash.key} "<new name>"`);
    const key = freeKey(args.short ?? args.name, new Set(all.map((o) => o.key)));
    const created = await change(ctx, async (tx) => {
      const row = await tx.organisation.create({
        data: { partnershipId: ctx.partnership.id, key, name: args.name, shortName: args.short ?? null, kind: KIND[args.kind], country: args.country ?? null },
      });
      return { result: row, audit: { entityType: 'organisation', entityId: row.id, entityCode: key, verb: 'added', after: { name: row.name, kind: args.kind, ...(row.country ? { country: row.country } : {}) } } };
    });
    return reply(`Added ${created.name}`, [
      text(`${created.name}${created.shortName ? ` (${created.shortName})` : ''} is a member organisation, key ${created.key}.`),
      context(`Add its people with: person add "<name>" --org ${created.key}; put it in an Action group with: action members A1 add ${created.key}`),
    ]);
  },
});

export const orgRename = defineCommand({
  name: 'org rename',
  summary: 'Rename an organisation, or change its short name (secretariat)',
  examples: ['org rename Lyon "Lyon Metropolis" --short Lyon'],
  args: z.object({
    org: orgArg,
    name: z.string().trim().min(2).max(200).optional().describe('The new full name'),
    short: z.string().trim().min(2).max(60).optional().describe('The new short name'),
  }),
  positional: ['org', 'name'],
  restPositional: true,
  permission: 'secretariat',
  async handler(ctx, args) {
    const org = await findOrganisation(ctx, args.org);
    if (!args.name && !args.short) throw new UserError('Give the new name (or --short).', `e.g. org rename ${org.key} "New name"`);
    const next = { name: args.name ?? org.name, shortName: args.short ?? org.shortName };
    if (next.name === org.name && next.shortName === org.shortName) return reply(undefined, [text(`${org.name} already has that name; nothing changed.`)], { ephemeral: true });
    await change(ctx, async (tx) => {
      await tx.organisation.update({ where: { id: org.id }, data: next });
      return { result: null, audit: { entityType: 'organisation', entityId: org.id, entityCode: org.key, verb: 'changed', before: { name: org.name, short: org.shortName ?? '—' }, after: { name: next.name, short: next.shortName ?? '—' } } };
    });
    return reply(`Renamed ${org.name}`, [text(`${org.name}${org.shortName ? ` (${org.shortName})` : ''} is now ${next.name}${next.shortName ? ` (${next.shortName})` : ''}.`)]);
  },
});

export const orgRemove = defineCommand({
  name: 'org remove',
  summary: 'Remove an organisation that leads no Action and has no people left (secretariat)',
  examples: ['org remove Lyon'],
  args: z.object({ org: orgArg }),
  positional: ['org'],
  restPositional: true,
  permission: 'secretariat',
  async handler(ctx, args) {
    const org = await findOrganisation(ctx, args.org);
    const [roles, partnershipRoles, people] = await Promise.all([
      ctx.db.actionRole.findMany({ where: { organisationId: org.id }, include: { action: { select: { number: true } } } }),
      ctx.db.partnershipRole.findMany({ where: { organisationId: org.id } }),
      ctx.db.person.findMany({ where: { organisationId: org.id, removedAt: null }, orderBy: { name: 'asc' } }),
    ]);
    const leads = roles.filter((r) => r.role === 'co_leader').map((r) => `A${r.action.number}`);
    if (leads.length) await refuse(ctx, orgRemove, `${org.name} co-leads ${leads.join(', ')}, so it cannot be removed.`, `Give the Action other co-leaders first: action coleaders ${leads[0]} <org> <org>`);
    if (partnershipRoles.length) await refuse(ctx, orgRemove, `${org.name} is a ${partnershipRoles.map((r) => r.role).join(' and ')} of the partnership, so it cannot be removed.`);
    if (people.length) {
      throw new UserError(`${org.name} still has people: ${people.map((p) => p.name).join(', ')}.`, 'Remove them first (person remove <name>), or move them: person set <name> --org <org>');
    }
    const groups = roles.map((r) => `A${r.action.number}`);
    await change(ctx, async (tx) => {
      await removeOrganisation(tx, org.id, ctx.clock.now());
      return { result: null, audit: { entityType: 'organisation', entityId: org.id, entityCode: org.key, verb: 'removed', before: { name: org.name, ...(groups.length ? { groups: groups.join(', ') } : {}) } } };
    });
    return reply(`Removed ${org.name}`, [text(`${org.name} is no longer a member organisation${groups.length ? `; it left the action groups of ${groups.join(', ')}` : ''}.`)]);
  },
});

export const personAdd = defineCommand({
  name: 'person add',
  summary: 'Add a person to an organisation (secretariat)',
  examples: ['person add "Anna Kowalska" --org Warsaw --email anna@example.org --tz Europe/Warsaw'],
  args: z.object({
    name: z.string().trim().min(2).max(120).describe('Their name'),
    org: orgArg,
    email,
    tz: timeZone,
  }),
  positional: ['name'],
  restPositional: true,
  permission: 'secretariat',
  async handler(ctx, args) {
    const org = await findOrganisation(ctx, args.org);
    const same = await ctx.db.person.findFirst({ where: { partnershipId: ctx.partnership.id, removedAt: null, organisationId: org.id, name: { equals: args.name, mode: 'insensitive' } } });
    if (same) throw new UserError(`${same.name} of ${org.name} is already on the roster (key ${same.key}).`, `Change them with: person set ${same.key} --email <address>`);
    const taken = new Set((await ctx.db.person.findMany({ where: { partnershipId: ctx.partnership.id }, select: { key: true } })).map((p) => p.key));
    const key = freeKey(args.name, taken);
    const created = await change(ctx, async (tx) => {
      const row = await tx.person.create({
        data: { partnershipId: ctx.partnership.id, key, name: args.name, organisationId: org.id, email: args.email ?? null, timeZone: args.tz ?? null, createdAt: ctx.clock.now() },
      });
      return { result: row, audit: { entityType: 'person', entityId: row.id, entityCode: key, verb: 'added', after: { name: row.name, organisation: org.name } } };
    });
    return reply(`Added ${created.name}`, [
      fields([
        ['Organisation', org.name],
        ['Key', created.key],
        ['E-mail', created.email ?? '—'],
        ['Time zone', created.timeZone ?? ctx.partnership.timeZone],
      ]),
      context(`Link their chat account with: invite ${created.key}${created.email ? ' (on Slack they are linked by their e-mail address on first use)' : ''}`),
    ]);
  },
});

export const personSet = defineCommand({
  name: 'person set',
  summary: 'Change a person\'s e-mail, time zone, organisation or name (secretariat)',
  examples: ['person set "Anna Kowalska" --email anna.k@example.org', 'person set demo-warsaw --tz Europe/Warsaw --org Warsaw'],
  args: z.object({
    person: personArg,
    email,
    tz: timeZone,
    org: orgArg.optional(),
    name: z.string().trim().min(2).max(120).optional().describe('Their name'),
  }),
  positional: ['person'],
  restPositional: true,
  permission: 'secretariat',
  async handler(ctx, args) {
    const person = await findPerson(ctx, args.person);
    const org = args.org ? await findOrganisation(ctx, args.org) : null;
    const next = {
      email: args.email ?? person.email,
      timeZone: args.tz ?? person.timeZone,
      organisationId: org?.id ?? person.organisationId,
      name: args.name ?? person.name,
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== person[k]);
    if (!changed.length) return reply(undefined, [text(`${person.name} already has those details; nothing changed.`)], { ephemeral: true });
    const orgNames = new Map((await ctx.db.organisation.findMany({ where: { id: { in: [person.organisationId, next.organisationId].filter((x): x is string => !!x) } } })).map((o) => [o.id, o.name]));
    const shown = (v: typeof next, k: keyof typeof next) => (k === 'organisationId' ? (v[k] ? orgNames.get(v[k]!) : null) : v[k]) ?? '—';
    const label = (k: keyof typeof next) => (k === 'organisationId' ? 'organisation' : k === 'timeZone' ? 'time zone' : k === 'email' ? 'e-mail' : k);
    await change(ctx, async (tx) => {
      await tx.person.update({ where: { id: person.id }, data: next });
      return {
        result: null,
        audit: {
          entityType: 'person',
          entityId: person.id,
          entityCode: person.key,
          verb: 'changed',
          before: Object.fromEntries(changed.map((k) => [label(k), shown(person, k)])),
          after: Object.fromEntries(changed.map((k) => [label(k), shown(next, k)])),
        },
      };
    });
    return reply(`Changed ${next.name}`, [text(changed.map((k) => `${label(k)}: ${shown(person, k)} → ${shown(next, k)}`).join('; ') + '.')]);
  },
});

export const personRemove = defineCommand({
  name: 'person remove',
  summary: 'Take a person off the roster; their history stays (secretariat)',
  examples: ['person remove "Anna Kowalska"'],
  args: z.object({ person: personArg }),
  positional: ['person'],
  restPositional: true,
  permission: 'secretariat',
  async handler(ctx, args) {
    const person = await findPerson(ctx, args.person);
    if (person.id === ctx.actor.person?.id) throw new UserError('You cannot remove yourself.', 'Ask another member of the secretariat.');
    const now = ctx.clock.now();
    await change(ctx, async (tx) => {
      await removePerson(tx, person.id, now);
      return { result: null, audit: { entityType: 'person', entityId: person.id, entityCode: person.key, verb: 'removed', before: { name: person.name } } };
    });
    return reply(`Removed ${person.name}`, [text(`${person.name} is no longer on the roster: no more nudges, and their chat accounts are unlinked.`), context('The audit log keeps what they did; agenda items and decisions still name them.')]);
  },
});

export const actionMembers = defineCommand({
  name: 'action members',
  summary: 'Add an organisation to an Action group, or remove it (secretariat)',
  examples: ['action members A2 add Lyon', 'action members A2 remove "City of Lyon"'],
  args: z.object({
    action: z.string().describe('The Action, e.g. A2').meta({ complete: 'action' }),
    change: z.enum(['add', 'remove']).describe('add or remove'),
    org: orgArg,
  }),
  positional: ['action', 'change', 'org'],
  restPositional: true,
  permission: 'secretariat',
  async handler(ctx, args) {
    const action = await requireAction(ctx, args.action);
    const org = await findOrganisation(ctx, args.org);
    const role = action.roles.find((r) => r.organisationId === org.id);
    if (args.change === 'add') {
      if (role) throw new UserError(`${org.name} is already ${role.role === 'co_leader' ? 'a co-leader' : 'a member'} of A${action.number}.`);
      await change(ctx, async (tx) => {
        await tx.actionRole.create({ data: { actionId: action.id, role: 'member', organisationId: org.id } });
        return { result: null, audit: { entityType: 'action', entityId: action.id, entityCode: `A${action.number}`, verb: 'changed', after: { member: `${org.name} joined` } } };
      });
      return announced(ctx, action.number, `${orgName(org)} joins A${action.number}`, `${org.name} is now a member of the A${action.number} ${action.shortTitle} action group.`);
    }
    if (!role) throw new UserError(`${org.name} is not in the A${action.number} action group.`, `Type "members A${action.number}" for the group.`);
    if (role.role === 'co_leader') throw new UserError(`${org.name} co-leads A${action.number}.`, `Change the co-leaders first: action coleaders A${action.number} <org> <org>`);
    await change(ctx, async (tx) => {
      await tx.actionRole.delete({ where: { id: role.id } });
      return { result: null, audit: { entityType: 'action', entityId: action.id, entityCode: `A${action.number}`, verb: 'changed', before: { member: org.name }, after: { member: `${org.name} left` } } };
    });
    return announced(ctx, action.number, `${orgName(org)} leaves A${action.number}`, `${org.name} is no longer in the A${action.number} ${action.shortTitle} action group.`);
  },
});

export const actionColeaders = defineCommand({
  name: 'action coleaders',
  summary: 'Set the co-leader organisations of an Action (secretariat)',
  help: 'Former co-leaders stay in the action group as members. Nudges go to the new co-leaders from the next tick.',
  examples: ['action coleaders A2 CoR CEB', 'action coleaders A1 "Ashoka Hello Europe" Flanders Lyon'],
  args: z.object({
    action: z.string().describe('The Action, e.g. A2').meta({ complete: 'action' }),
    first: orgArg,
    second: orgArg.optional(),
    third: orgArg.optional(),
    fourth: orgArg.optional(),
  }),
  positional: ['action', 'first', 'second', 'third', 'fourth'],
  permission: 'secretariat',
  async handler(ctx, args) {
    const action = await requireAction(ctx, args.action);
    const refs = [args.first, args.second, args.third, args.fourth].filter((r): r is string => !!r);
    const orgs = await Promise.all(refs.map((r) => findOrganisation(ctx, r)));
    if (new Set(orgs.map((o) => o.id)).size !== orgs.length) throw new UserError('An organisation is named twice.');
    const leaders = action.roles.filter((r) => r.role === 'co_leader' && r.organisation);
    const before = leaders.map((r) => r.organisation!.name);
    const after = orgs.map((o) => o.name);
    if (before.length === after.length && after.every((n) => before.includes(n))) {
      return reply(undefined, [text(`A${action.number} is already co-led by ${after.join(' & ')}; nothing changed.`)], { ephemeral: true });
    }
    const wanted = new Set(orgs.map((o) => o.id));
    await change(ctx, async (tx) => {
      for (const r of leaders) if (!wanted.has(r.organisationId!)) await tx.actionRole.update({ where: { id: r.id }, data: { role: 'member' } });
      for (const o of orgs) {
        const existing = action.roles.find((r) => r.organisationId === o.id);
        if (existing?.role === 'co_leader') continue;
        if (existing) await tx.actionRole.update({ where: { id: existing.id }, data: { role: 'co_leader' } });
        else await tx.actionRole.create({ data: { actionId: action.id, role: 'co_leader', organisationId: o.id } });
      }
      return { result: null, audit: { entityType: 'action', entityId: action.id, entityCode: `A${action.number}`, verb: 'changed', before: { 'co-leaders': before.join(' & ') }, after: { 'co-leaders': after.join(' & ') } } };
    });
    return announced(ctx, action.number, `A${action.number} has new co-leaders`, `A${action.number} ${action.shortTitle} is now co-led by ${after.join(' & ')} (before: ${before.join(' & ') || 'none'}).`);
  },
});
