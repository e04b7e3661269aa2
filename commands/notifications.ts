import type { Prisma } from '@prisma/client';
import { z } from 'zod';
import { defineCommand } from '../src/core/command.ts';
import type { CommandContext } from '../src/core/context.ts';
import { UserError } from '../src/core/errors.ts';
import { context, list, reply, text } from '../src/core/reply.ts';
import { change } from '../src/domain/changes.ts';
import { actionOfItem } from '../src/domain/ids.ts';
import { findItem } from '../src/domain/plan.ts';
import { buildDigest } from '../src/domain/digest.ts';
import { partnershipSettings, personPreferences } from '../src/domain/settings.ts';
import { EMAIL_TOPICS } from '../src/delivery/email-topics.ts';
import { count } from '../src/core/count.ts';

export const digestPreview = defineCommand({
  name: 'digest preview',
  summary: 'Show the weekly digest as it would be posted now (secretariat)',
  examples: ['digest preview'],
  args: z.object({}),
  permission: 'secretariat',
  async handler(ctx) {
    return { ...(await buildDigest(ctx)), ephemeral: true };
  },
});

export const digestPost = defineCommand({
  name: 'digest post',
  summary: 'Post the weekly digest to the partnership channel now (secretariat)',
  examples: ['digest post'],
  args: z.object({}),
  permission: 'secretariat',
  async handler(ctx) {
    const now = ctx.clock.now();
    const payload = await buildDigest(ctx);
    // The key is per instant: a second "digest post" at the same instant (a double click, a fixed clock)
    // is the same request, not a crash on the unique key.
    const { count } = await ctx.db.outboxMessage.createMany({
      data: [
        {
          partnershipId: ctx.partnership.id,
          key: `digest-now:${ctx.partnership.id}:${now.toISOString()}`,
          kind: 'digest',
          dueAt: now,
          scope: 'partnership',
          payload: payload as unknown as Prisma.InputJsonValue,
        },
      ],
      skipDuplicates: true,
    });
    if (count === 0) return reply('Digest already queued', [text('A digest was queued at this same moment already.'), context('See "outbox" for delivery.')], { ephemeral: true });
    return reply('Digest queued', [text('The digest will be posted to the partnership channel within a minute.'), context('See "outbox" for delivery.')], { ephemeral: true });
  },
});

async function setPreferences(ctx: CommandContext, patch: Record<string, unknown>) {
  const person = ctx.actor.person!;
  const current = personPreferences(person.preferences);
  const next = { ...current, ...patch };
  await change(ctx, async (tx) => {
    await tx.person.update({ where: { id: person.id }, data: { preferences: next as Prisma.InputJsonValue } });
    return { result: null, audit: { entityType: 'person', entityId: person.id, entityCode: person.key, verb: 'preferences', before: current, after: next } };
  });
}

export const mute = defineCommand({
  name: 'notify mute',
  aliases: ['mute'],
  summary: 'Pause your deadline nudges for a number of days, or "mute off"',
  examples: ['notify mute 7', 'mute off'],
  args: z.object({ days: z.union([z.literal('off'), z.coerce.number().int().min(1).max(365)]).describe('Days to mute, or off') }),
  positional: ['days'],
  permission: 'member',
  async handler(ctx, { days }) {
    if (days === 'off') {
      await setPreferences(ctx, { muteUntil: undefined });
      return reply(undefined, [text('Nudges are on again.')], { ephemeral: true });
    }
    const until = new Date(ctx.clock.now().getTime() + days * 86_400_000);
    await setPreferences(ctx, { muteUntil: until.toISOString() });
    return reply(undefined, [text(`Nudges muted until ${until.toISOString().slice(0, 10)}. Type "mute off" to undo.`)], { ephemeral: true });
  },
});

export const daily = defineCommand({
  name: 'notify daily',
  aliases: ['daily'],
  summary: 'One message on your working mornings with what needs you that day, instead of separate nudges (on), or the nudges (off, the default)',
  examples: ['notify daily on', 'daily off'],
  args: z.object({ setting: z.enum(['on', 'off']).describe('on or off') }),
  positional: ['setting'],
  permission: 'member',
  async handler(ctx, { setting }) {
    await setPreferences(ctx, { dailySummary: setting === 'on' });
    return reply(undefined, [text(setting === 'on' ? 'You will get one summary on your working mornings, and none on days with nothing for you; no separate nudges.' : 'Your nudges come one by one again.')], { ephemeral: true });
  },
});

export const dm = defineCommand({
  name: 'notify dm',
  aliases: ['dm'],
  summary: 'Receive nudges by direct message (on) or in the Action channel only (off)',
  examples: ['notify dm off', 'dm on'],
  args: z.object({ setting: z.enum(['on', 'off']).describe('on or off') }),
  positional: ['setting'],
  permission: 'member',
  async handler(ctx, { setting }) {
    await setPreferences(ctx, { dmOptOut: setting === 'off' });
    return reply(undefined, [text(setting === 'off' ? 'Your nudges will go to the Action channel instead of a direct message.' : 'Your nudges will come by direct message.')], { ephemeral: true });
  },
});

const VIA_SAYS = {
  auto: 'Notifications come by chat where you have a linked account, else by e-mail.',
  chat: 'Notifications come by chat only (or the Action channel).',
  email: 'Notifications come by e-mail (when your e-mail address is known).',
  both: 'Notifications come by chat and by e-mail.',
} as const;

export const via = defineCommand({
  name: 'notify via',
  aliases: ['via'],
  summary: 'Receive your notifications by e-mail, chat or both (auto: chat if you have a linked account, else e-mail)',
  examples: ['notify via email', 'notify via both', 'via auto'],
  args: z.object({ channel: z.enum(['email', 'chat', 'both', 'auto']).describe('email, chat, both or auto') }),
  positional: ['channel'],
  permission: 'member',
  async handler(ctx, { channel }) {
    await setPreferences(ctx, { via: channel });
    const noAddress = channel !== 'chat' && !ctx.actor.person!.email;
    return reply(undefined, [text(VIA_SAYS[channel]), ...(noAddress ? [context('You have no e-mail address yet: ask the secretariat ("person set <you> --email ...").')] : [])], { ephemeral: true });
  },
});

const TOPICS = Object.keys(EMAIL_TOPICS) as [keyof typeof EMAIL_TOPICS, ...(keyof typeof EMAIL_TOPICS)[]];

export const emailTopics = defineCommand({
  name: 'notify email',
  summary: 'Turn one kind of e-mail off or on again (what an e-mail\'s unsubscribe link does)',
  examples: ['notify email off nudges', 'notify email on plenaries'],
  args: z.object({
    setting: z.enum(['on', 'off']).describe('on or off'),
    topic: z.enum(TOPICS).describe(TOPICS.join(' or ')),
  }),
  positional: ['setting', 'topic'],
  permission: 'member',
  async handler(ctx, { setting, topic }) {
    const current = personPreferences(ctx.actor.person!.preferences).emailOff;
    const emailOff = setting === 'off' ? [...new Set([...current, topic])] : current.filter((t) => t !== topic);
    await setPreferences(ctx, { emailOff });
    return reply(undefined, [text(setting === 'off' ? `No more ${topic} by e-mail. "notify email on ${topic}" turns them back on.` : `${topic} come by e-mail again.`)], { ephemeral: true });
  },
});

export const leadtimes = defineCommand({
  name: 'notify leadtimes',
  aliases: ['leadtimes'],
  summary: 'Choose how many days before a deadline you are nudged',
  examples: ['notify leadtimes 14,7,1', 'leadtimes default'],
  args: z.object({ days: z.string().regex(/^(default|\d{1,2}(,\d{1,2})*)$/, 'a list of days like 14,7,1 or "default"').describe('e.g. 14,7,1 or default') }),
  positional: ['days'],
  permission: 'member',
  async handler(ctx, { days }) {
    const leadDays = days === 'default' ? undefined : [...new Set(days.split(',').map(Number))].sort((a, b) => b - a);
    if (leadDays?.some((d) => d > 90)) throw new UserError('Lead times are at most 90 days.');
    await setPreferences(ctx, { leadDays });
    const settings = partnershipSettings(ctx.partnership.settings);
    const longest = Math.max(...(leadDays ?? [0]));
    if (longest > settings.longestPersonalLeadDays) {
      await ctx.db.partnership.update({ where: { id: ctx.partnership.id }, data: { settings: { ...settings, longestPersonalLeadDays: longest } } });
    }
    return reply(undefined, [text(leadDays ? `You will be nudged ${leadDays.map((d) => (d === 0 ? 'on the day' : count(d, 'day'))).join(', ')} before a deadline.` : 'Back to the partnership\'s lead times.')], { ephemeral: true });
  },
});

async function setPaused(ctx: CommandContext, paused: boolean) {
  await change(ctx, async (tx) => {
    await tx.partnership.update({ where: { id: ctx.partnership.id }, data: { nudgesPaused: paused } });
    return { result: null, audit: { entityType: 'partnership', entityId: ctx.partnership.id, entityCode: ctx.partnership.slug, verb: paused ? 'nudges paused' : 'nudges resumed' } };
  });
  return reply(undefined, [text(paused ? 'All nudges are paused. Plenary notices and the digest still go out.' : 'Nudges resumed.')]);
}

export const nudgesPause = defineCommand({
  name: 'notify pause',
  aliases: ['nudges pause'],
  summary: 'Pause all deadline nudges of the partnership (secretariat)',
  examples: ['notify pause'],
  args: z.object({}),
  permission: 'secretariat',
  handler: (ctx) => setPaused(ctx, true),
});

export const nudgesResume = defineCommand({
  name: 'notify resume',
  aliases: ['nudges resume'],
  summary: 'Resume the deadline nudges of the partnership (secretariat)',
  examples: ['notify resume'],
  args: z.object({}),
  permission: 'secretariat',
  handler: (ctx) => setPaused(ctx, false),
});

export const outbox = defineCommand({
  name: 'notify outbox',
  aliases: ['outbox'],
  summary: 'Notifications waiting, failed or recently sent (secretariat)',
  examples: ['notify outbox', 'outbox --failed', 'outbox --retry'],
  args: z.object({
    failed: z.boolean().default(false).describe('Only failed notifications'),
    retry: z.boolean().default(false).describe('Send the failed notifications again'),
  }),
  permission: 'secretariat',
  async handler(ctx, { failed, retry }) {
    const partnershipId = ctx.partnership.id;
    if (retry) {
      const { count } = await ctx.db.outboxMessage.updateMany({ where: { partnershipId, status: 'failed' }, data: { status: 'pending', attempts: 0, nextAttemptAt: null } });
      return reply(undefined, [text(`${count} failed notification${count === 1 ? '' : 's'} will be sent again.`)], { ephemeral: true });
    }
    const [rows, counts] = await Promise.all([
      ctx.db.outboxMessage.findMany({ where: { partnershipId, ...(failed ? { status: 'failed' } : {}) }, orderBy: { dueAt: 'desc' }, take: 20 }),
      ctx.db.outboxMessage.groupBy({ by: ['status'], where: { partnershipId }, _count: true }),
    ]);
    const title = (r: (typeof rows)[number]) => ((r.payload as { title?: string }).title ?? r.kind);
    return reply('Outbox', [
      text(counts.map((c) => `${c._count} ${c.status}`).join(' · ') || 'empty'),
      list(rows.length ? rows.map((r) => `${r.dueAt.toISOString().slice(0, 16).replace('T', ' ')} ${r.status}${r.late ? ' (late)' : ''} — ${title(r)}${r.deliveredVia ? ` via ${r.deliveredVia}` : ''}${r.lastError ? ` — ${r.lastError}` : ''}`) : ['Nothing.']),
    ], { ephemeral: true });
  },
});

export const snooze = defineCommand({
  name: 'snooze',
  summary: 'Silence the nudges of one activity or output for a few days',
  examples: ['snooze A1.2', 'snooze A2.O1 --days 7'],
  args: z.object({
    id: z.string().describe('An activity or output, e.g. A1.2').meta({ complete: 'item' }),
    days: z.number().int().min(1).max(60).default(3).describe('How many days (default 3)'),
  }),
  positional: ['id'],
  permission: { actionLead: (a) => actionOfItem(a.id) },
  async handler(ctx, { id, days }) {
    const found = await findItem(ctx, id);
    if (found.type !== 'activity' && found.type !== 'output') throw new UserError(`${id} is not an activity or output.`);
    const until = new Date(ctx.clock.now().getTime() + days * 86_400_000);
    await change(ctx, async (tx) => {
      if (found.type === 'activity') await tx.activity.update({ where: { id: found.item.id }, data: { snoozedUntil: until } });
      else await tx.output.update({ where: { id: found.item.id }, data: { snoozedUntil: until } });
      return { result: null, audit: { entityType: found.type, entityId: found.item.id, entityCode: found.item.code, verb: 'snoozed', after: { until: until.toISOString().slice(0, 10) } } };
    });
    return reply(undefined, [text(`${found.item.code} nudges snoozed until ${until.toISOString().slice(0, 10)}.`)]);
  },
});
