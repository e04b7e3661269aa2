import { z } from 'zod';
import { defineCommand } from '../src/core/command.ts';
import { UserError } from '../src/core/errors.ts';
import { buttons, context, reply, text, type Reply } from '../src/core/reply.ts';
import { announced, change } from '../src/domain/changes.ts';
import { describeFuzzyDate, FuzzyDateError, parseUserDate, formatFuzzyDate, type FuzzyDate } from '../src/domain/fuzzy-date.ts';
import { actionOfItem, activityCode } from '../src/domain/ids.ts';
import { findItem, requireAction, STATUS_LABEL, whenOf } from '../src/domain/plan.ts';
import { checkPlanDate } from '../src/domain/plan-life.ts';
import { ITEM_STATUSES } from '../src/workplan/format.ts';
import { whenColumnsFor } from '../src/workplan/columns.ts';
import type { Action, Activity, Output } from '@prisma/client';
import type { CommandContext } from '../src/core/context.ts';

const itemArg = z.string().describe('An activity or step, e.g. A1.2').meta({ complete: 'activity' });

/** Words a date typed without quotes may take: "mid-May 2026 tbc" is three. */
const MAX_DATE_WORDS = 5;

/**
 * The date and title of something being added. Typed without quotes, "March 2026 Partner's meeting"
 * arrives as when "March" and title "2026 Partner's meeting", and "2026-Q2 tbc Study visit" with
 * "tbc" in the title: the date is the longest run of leading words that reads as one.
 */
export function whenAndTitle(ctx: CommandContext, whenText: string, title: string): { when: FuzzyDate; title: string } {
  const words = title.split(' ');
  for (let n = Math.min(MAX_DATE_WORDS - 1, words.length - 1); n > 0; n--) {
    try {
      return { when: parseUserDate([whenText, ...words.slice(0, n)].join(' '), ctx.today()), title: words.slice(n).join(' ') };
    } catch (e) {
      if (!(e instanceof FuzzyDateError)) throw e;
    }
  }
  return { when: userDate(ctx, whenText), title };
}

export function userDate(ctx: CommandContext, input: string, tentative?: boolean): FuzzyDate {
  try {
    const d = parseUserDate(input, ctx.today());
    return tentative === undefined ? d : { ...d, tentative };
  } catch (e) {
    if (e instanceof FuzzyDateError) throw new UserError(e.message);
    throw e;
  }
}

/** The asker's reply with a warning under it (not the announcement: the channel needs no nagging). */
export function withWarning(message: Reply, warning: string | null): Reply {
  return warning ? { ...message, blocks: [...message.blocks, context(warning)] } : message;
}

async function requireActivity(ctx: CommandContext, id: string) {
  const found = await findItem(ctx, id);
  if (found.type !== 'activity') throw new UserError(`${id.toUpperCase()} is not an activity.`, 'Activities look like A1.2; outputs (A1.O2) have "output" commands.');
  return found;
}

export const milestoneAdd = defineCommand({
  name: 'milestone add',
  summary: 'Add an activity or milestone to an Action (or a step under an activity)',
  examples: ['milestone add A2 2026-03 "Webinar on the mapping"', 'milestone add A1 2026-Q2 tbc Study visit to Milan', 'milestone add A1 2026-02 --parent A1.4 "First draft"'],
  args: z.object({
    action: z.string().describe('The Action, e.g. A2').meta({ complete: 'action' }),
    when: z.string().describe('When: 2026-03-15, 2026-03, 2026-01..2026-03, 2026-Q2, 2026 (add "tbc" if tentative)'),
    title: z.string().min(3).max(300).describe('What it is'),
    parent: z.string().optional().describe('Add as a step of this activity, e.g. A1.4').meta({ complete: 'activity' }),
  }),
  positional: ['action', 'when', 'title'],
  restPositional: true,
  permission: { actionLead: (a) => a.action },
  async handler(ctx, args) {
    const { when, title } = whenAndTitle(ctx, args.when, args.title);
    const action = await requireAction(ctx, args.action);
    const parent = args.parent ? (await requireActivity(ctx, args.parent)).item : null;
    if (parent && parent.actionId !== action.id) throw new UserError(`${args.parent} belongs to another Action.`);
    if (parent?.parentId) throw new UserError(`${parent.code} is already a step; steps cannot have steps.`);
    const warning = await checkPlanDate(ctx, action, when);
    const created = await change(ctx, async (tx) => {
      const siblings = await tx.activity.aggregate({ where: { actionId: action.id, parentId: parent?.id ?? null }, _max: { seq: true } });
      const seq = (siblings._max.seq ?? 0) + 1;
      const parentSeq = parent ? parent.seq : undefined;
      const row = await tx.activity.create({
        data: {
          actionId: action.id,
          parentId: parent?.id ?? null,
          seq,
          code: activityCode(action.number, seq, parentSeq),
          title,
          ...whenColumnsFor(when),
          createdInChat: true,
        },
      });
      return { result: row, audit: { entityType: 'activity', entityId: row.id, entityCode: row.code, verb: 'added', after: { title, when: formatFuzzyDate(when) } } };
    });
    return withWarning(announced(ctx, action.number, `Added ${created.code}`, `${created.code} ${title} — ${describeFuzzyDate(when)}`), warning);
  },
});

export const milestoneMove = defineCommand({
  name: 'milestone move',
  summary: 'Change the date of an activity or step',
  examples: ['milestone move A1.2 2026-01', 'milestone move A3.1.2 2026-02..2026-04 tbc', 'milestone move A1.5 "next friday"'],
  args: z.object({
    id: itemArg,
    when: z.string().describe('The new date, e.g. 2026-01 or 2026-02..2026-04 tbc'),
    tentative: z.boolean().optional().describe('Mark the new date as tentative (tbc)'),
  }),
  positional: ['id', 'when'],
  restPositional: true,
  permission: { actionLead: (a) => actionOfItem(a.id) },
  async handler(ctx, { id, when: whenText, tentative }) {
    return moveItem(ctx, 'activity', await requireActivity(ctx, id), whenText, tentative);
  },
});

/** Moves an activity, step or output to a new date: audited, announced in its Action, its snooze dropped. */
export async function moveItem(
  ctx: CommandContext,
  type: 'activity' | 'output',
  { action, item }: { action: Action; item: Activity | Output },
  whenText: string,
  tentative: boolean | undefined,
): Promise<Reply> {
  const when = userDate(ctx, whenText, tentative);
  const before = whenOf(item);
  if (formatFuzzyDate(before) === formatFuzzyDate(when)) {
    return reply(undefined, [text(`${item.code} is already ${describeFuzzyDate(when)}; nothing changed.`)], { ephemeral: true });
  }
  const warning = await checkPlanDate(ctx, action, when);
  await change(ctx, async (tx) => {
    const data = { ...whenColumnsFor(when), snoozedUntil: null };
    if (type === 'activity') await tx.activity.update({ where: { id: item.id }, data });
    else await tx.output.update({ where: { id: item.id }, data });
    return {
      result: null,
      audit: { entityType: type, entityId: item.id, entityCode: item.code, verb: 'moved', before: { when: formatFuzzyDate(before) }, after: { when: formatFuzzyDate(when) } },
    };
  });
  return withWarning(announced(ctx, action.number, `Moved ${item.code}`, `${item.code} ${item.title}: ${describeFuzzyDate(before)} → ${describeFuzzyDate(when)}`), warning);
}

async function setStatus(ctx: CommandContext, id: string, status: (typeof ITEM_STATUSES)[number]) {
  const { action, item } = await requireActivity(ctx, id);
  if (item.status === status) {
    return reply(undefined, [text(`${item.code} is already ${STATUS_LABEL[status]}.`)], { ephemeral: true });
  }
  await change(ctx, async (tx) => {
    await tx.activity.update({ where: { id: item.id }, data: { status } });
    return { result: null, audit: { entityType: 'activity', entityId: item.id, entityCode: item.code, verb: 'status', before: { status: item.status }, after: { status } } };
  });
  const message = announced(ctx, action.number, `${item.code} is ${STATUS_LABEL[status]}`, `${item.code} ${item.title}: ${STATUS_LABEL[item.status]} → ${STATUS_LABEL[status]}`);
  if (status !== 'done') message.blocks.push(buttons({ label: 'Mark done', command: `milestone done ${item.code}`, style: 'primary' }));
  return message;
}

export const milestoneStatus = defineCommand({
  name: 'milestone status',
  summary: 'Set the status of an activity or step',
  examples: ['milestone status A1.2 in_progress', 'milestone status A4.3 delayed'],
  args: z.object({ id: itemArg, status: z.enum(ITEM_STATUSES).describe('planned, in_progress, done, delayed or cancelled') }),
  positional: ['id', 'status'],
  permission: { actionLead: (a) => actionOfItem(a.id) },
  handler: (ctx, { id, status }) => setStatus(ctx, id, status),
});

export const milestoneDone = defineCommand({
  name: 'milestone done',
  summary: 'Mark an activity or step done',
  examples: ['milestone done A1.1'],
  args: z.object({ id: itemArg }),
  positional: ['id'],
  permission: { actionLead: (a) => actionOfItem(a.id) },
  handler: (ctx, { id }) => setStatus(ctx, id, 'done'),
});

export const milestoneShow = defineCommand({
  name: 'milestone show',
  summary: 'Show one activity with its steps and the buttons to act on it',
  examples: ['milestone show A1.2'],
  args: z.object({ id: itemArg }),
  positional: ['id'],
  permission: 'anyone',
  async handler(ctx, { id }) {
    const { item } = await requireActivity(ctx, id);
    const steps = await ctx.db.activity.findMany({ where: { parentId: item.id }, orderBy: { seq: 'asc' } });
    return reply(`${item.code} ${item.title}`, [
      text(`${describeFuzzyDate(whenOf(item))} · ${STATUS_LABEL[item.status]}`),
      ...(item.description ? [text(item.description)] : []),
      ...(steps.length ? [text(steps.map((s) => `${s.code} ${s.title} — ${describeFuzzyDate(whenOf(s))} · ${STATUS_LABEL[s.status]}`).join('\n'))] : []),
      ...(item.notes ? [context(item.notes)] : []),
      buttons(
        { label: 'Mark done', command: `milestone done ${item.code}`, style: 'primary' },
        { label: 'Move date', command: `milestone move ${item.code}`, inputs: [{ name: 'when', label: 'New date', kind: 'date' }, { name: 'tentative', label: 'Tentative (tbc)', kind: 'boolean' }] },
      ),
    ]);
  },
});
