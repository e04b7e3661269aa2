import { z } from 'zod';
import type { Meeting } from '@prisma/client';
import { defineCommand } from '../src/core/command.ts';
import type { CommandContext } from '../src/core/context.ts';
import { UserError } from '../src/core/errors.ts';
import { context, list, reply, text } from '../src/core/reply.ts';
import { refuse } from '../src/core/permissions.ts';
import { change } from '../src/domain/changes.ts';
import { describeFuzzyDate } from '../src/domain/fuzzy-date.ts';

import { findItem, nextPlenary, requireAction, whenOf } from '../src/domain/plan.ts';
import { count } from '../src/core/count.ts';

export const FORMAT: Record<string, string> = { in_person: 'in person', online: 'online', hybrid: 'hybrid' };
const plenaryArg = z.string().optional().describe('A plenary, e.g. P4 (default: the next one)').meta({ complete: 'meeting' });

export function meetingLine(m: Meeting): string {
  const format = m.format ? ` (${FORMAT[m.format]})` : '';
  const where = m.location ? `, ${m.location}` : '';
  const cancelled = m.cancelledAt ? ` · CANCELLED${m.cancelReason ? `: ${m.cancelReason}` : ''}` : '';
  return `${m.code} ${m.title}${format} — ${describeFuzzyDate(whenOf(m))}${where}${cancelled}`;
}

async function targetMeeting(ctx: CommandContext, code: string | undefined): Promise<Meeting> {
  if (code) {
    const found = await findItem(ctx, code);
    if (found.type !== 'meeting') throw new UserError(`${code} is not a meeting.`, 'Plenaries are P1, P2, ...');
    return found.item;
  }
  const next = await nextPlenary(ctx);
  if (!next) throw new UserError('No plenary is planned from today on.', 'Type "plenary list" to see past plenaries.');
  return next;
}

async function agendaReply(ctx: CommandContext, m: Meeting, title?: string) {
  const items = await ctx.db.agendaItem.findMany({ where: { meetingId: m.id }, orderBy: { position: 'asc' }, include: { action: true } });
  const total = items.reduce((sum, i) => sum + (i.minutes ?? 0), 0);
  return reply(title ?? `Agenda of ${m.code} ${m.title}`, [
    text(meetingLine(m)),
    list(
      items.length
        ? items.map((i) => `${i.position}. ${i.title}${i.minutes ? ` (${i.minutes} min)` : ''}${i.action ? ` [A${i.action.number}]` : ''}${i.presenter ? ` — ${i.presenter}` : ''}`)
        : ['No items yet. Add one: agenda add "<item>" --minutes 15'],
    ),
    context(`${count(items.length, 'item')}${total ? `, ${total} minutes` : ''}${m.agendaFrozen ? ' · agenda frozen' : ''}`),
  ]);
}

export const agendaShow = defineCommand({
  name: 'agenda show',
  summary: 'The agenda of the next plenary (or of the one given)',
  examples: ['agenda show', 'agenda show --plenary P6'],
  args: z.object({ plenary: plenaryArg }),
  permission: 'anyone',
  async handler(ctx, { plenary: code }) {
    return agendaReply(ctx, await targetMeeting(ctx, code));
  },
});

export const agendaAdd = defineCommand({
  name: 'agenda add',
  summary: 'Propose an item for the next plenary\'s agenda',
  examples: ['agenda add "Results of the self-assessment" --minutes 20 --action A3', 'agenda add Update from the EIN meeting'],
  args: z.object({
    item: z.string().min(3).max(200).describe('The agenda item'),
    minutes: z.number().int().min(1).max(480).optional().describe('How long it needs'),
    action: z.string().optional().describe('The Action it concerns, e.g. A3').meta({ complete: 'action' }),
    presenter: z.string().max(100).optional().describe('Who presents it'),
    plenary: plenaryArg,
  }),
  positional: ['item'],
  restPositional: true,
  permission: 'member',
  async handler(ctx, args) {
    const m = await targetMeeting(ctx, args.plenary);
    if (m.cancelledAt) throw new UserError(`${m.code} is cancelled.`, 'Type "plenary list" for the others.');
    // Freezing stops proposals, not the secretariat, who still fits in what the chair needs.
    const staff = ctx.roles.secretariat || ctx.roles.coordinator;
    if (m.agendaFrozen && !staff) throw new UserError(`The agenda of ${m.code} is frozen.`, 'Ask the secretariat to add the item.');
    const action = args.action ? await requireAction(ctx, args.action) : null;
    const created = await change(ctx, async (tx) => {
      const last = await tx.agendaItem.aggregate({ where: { meetingId: m.id }, _max: { position: true } });
      const row = await tx.agendaItem.create({
        data: {
          meetingId: m.id,
          position: (last._max.position ?? 0) + 1,
          title: args.item,
          minutes: args.minutes ?? null,
          presenter: args.presenter ?? ctx.actor.person?.name ?? null,
          actionId: action?.id ?? null,
          submittedById: ctx.actor.person?.id ?? null,
        },
      });
      return { result: row, audit: { entityType: 'agenda item', entityId: row.id, entityCode: m.code, verb: 'added', after: { position: row.position, title: row.title } } };
    });
    return agendaReply(ctx, m, `Added item ${created.position} to ${m.code}`);
  },
});

async function requireAgendaItem(ctx: CommandContext, m: Meeting, position: number) {
  const item = await ctx.db.agendaItem.findFirst({ where: { meetingId: m.id, position } });
  if (!item) throw new UserError(`${m.code} has no agenda item ${position}.`, 'Type "agenda show" to see the numbers.');
  return item;
}

export const agendaRemove = defineCommand({
  name: 'agenda remove',
  summary: 'Remove an agenda item (yours, or any if you are the secretariat)',
  examples: ['agenda remove 3', 'agenda remove 2 --plenary P6'],
  args: z.object({ number: z.number().int().min(1).max(999).describe('The item number on the agenda'), plenary: plenaryArg }),
  positional: ['number'],
  permission: 'member',
  who: 'whoever proposed the item, the secretariat or the coordinators',
  async handler(ctx, { number, plenary: code }) {
    const m = await targetMeeting(ctx, code);
    const item = await requireAgendaItem(ctx, m, number);
    const staff = ctx.roles.secretariat || ctx.roles.coordinator;
    if (!staff && item.submittedById !== ctx.actor.person?.id) await refuse(ctx, agendaRemove, 'Only the secretariat, or whoever proposed it, can remove an agenda item.');
    if (!staff && m.agendaFrozen) throw new UserError(`The agenda of ${m.code} is frozen.`, 'Ask the secretariat.');
    await change(ctx, async (tx) => {
      await tx.agendaItem.delete({ where: { id: item.id } });
      await tx.agendaItem.updateMany({ where: { meetingId: m.id, position: { gt: number } }, data: { position: { decrement: 1 } } });
      return { result: null, audit: { entityType: 'agenda item', entityId: item.id, entityCode: m.code, verb: 'removed', before: { position: item.position, title: item.title } } };
    });
    return agendaReply(ctx, m, `Removed item ${number} from ${m.code}`);
  },
});

export const agendaOrder = defineCommand({
  name: 'agenda order',
  summary: 'Move an agenda item to another position',
  examples: ['agenda order 4 1'],
  args: z.object({
    number: z.number().int().min(1).max(999).describe('The item to move'),
    position: z.number().int().min(1).max(999).describe('Its new position'),
    plenary: plenaryArg,
  }),
  positional: ['number', 'position'],
  permission: 'secretariat',
  async handler(ctx, { number, position, plenary: code }) {
    const m = await targetMeeting(ctx, code);
    const item = await requireAgendaItem(ctx, m, number);
    const items = await ctx.db.agendaItem.findMany({ where: { meetingId: m.id }, orderBy: { position: 'asc' } });
    const target = Math.min(position, items.length);
    const reordered = items.filter((i) => i.id !== item.id);
    reordered.splice(target - 1, 0, item);
    await change(ctx, async (tx) => {
      for (const [i, row] of reordered.entries()) {
        if (row.position !== i + 1) await tx.agendaItem.update({ where: { id: row.id }, data: { position: i + 1 } });
      }
      return { result: null, audit: { entityType: 'agenda item', entityId: item.id, entityCode: m.code, verb: 'reordered', before: { position: number }, after: { position: target } } };
    });
    return agendaReply(ctx, m, `Moved item ${number} to position ${target}`);
  },
});

export const agendaFreeze = defineCommand({
  name: 'agenda freeze',
  summary: 'Freeze (or reopen) the agenda of a plenary',
  examples: ['agenda freeze', 'agenda freeze --plenary P6 --open'],
  args: z.object({ plenary: plenaryArg, open: z.boolean().default(false).describe('Reopen a frozen agenda') }),
  permission: 'secretariat',
  async handler(ctx, { plenary: code, open }) {
    const m = await targetMeeting(ctx, code);
    await change(ctx, async (tx) => {
      await tx.meeting.update({ where: { id: m.id }, data: { agendaFrozen: !open } });
      return { result: null, audit: { entityType: 'meeting', entityId: m.id, entityCode: m.code, verb: open ? 'agenda reopened' : 'agenda frozen' } };
    });
    return agendaReply(ctx, { ...m, agendaFrozen: !open }, open ? `Agenda of ${m.code} reopened` : `Agenda of ${m.code} frozen`);
  },
});


export const decisionAdd = defineCommand({
  name: 'decision add',
  summary: 'Record a decision or minutes of a meeting (secretariat)',
  examples: ['decision add P5 "Action 3 questionnaire validated; dissemination starts in January"'],
  args: z.object({
    meeting: z.string().describe('The meeting, e.g. P5').meta({ complete: 'meeting' }),
    text: z.string().min(3).max(2000).describe('The decision'),
  }),
  positional: ['meeting', 'text'],
  restPositional: true,
  permission: 'secretariat',
  async handler(ctx, args) {
    const m = await targetMeeting(ctx, args.meeting);
    await change(ctx, async (tx) => {
      const row = await tx.decision.create({ data: { meetingId: m.id, text: args.text, recordedBy: ctx.actor.person?.name ?? null, createdAt: ctx.clock.now() } });
      return { result: row, audit: { entityType: 'decision', entityId: row.id, entityCode: m.code, verb: 'decision recorded', after: { text: args.text } } };
    });
    return decisionsReply(ctx, m, `Decision recorded for ${m.code}`);
  },
});

export const decisionList = defineCommand({
  name: 'decision list',
  summary: 'The decisions recorded for a meeting',
  examples: ['decision list P5'],
  args: z.object({ meeting: z.string().describe('The meeting, e.g. P5').meta({ complete: 'meeting' }) }),
  positional: ['meeting'],
  permission: 'anyone',
  async handler(ctx, { meeting }) {
    const m = await targetMeeting(ctx, meeting);
    return decisionsReply(ctx, m, `Decisions of ${m.code} ${m.title}`);
  },
});

async function decisionsReply(ctx: CommandContext, m: Meeting, title: string) {
  const rows = await ctx.db.decision.findMany({ where: { meetingId: m.id }, orderBy: { createdAt: 'asc' } });
  return reply(title, [text(meetingLine(m)), list(rows.length ? rows.map((d, i) => `${i + 1}. ${d.text}`) : ['No decisions recorded yet.'])]);
}
