import { z } from 'zod';
import { defineCommand } from '../src/core/command.ts';
import { UserError } from '../src/core/errors.ts';
import { buttons, context, reply, text, type Reply } from '../src/core/reply.ts';
import type { Output } from '@prisma/client';
import { announced, change } from '../src/domain/changes.ts';
import { describeFuzzyDate, formatFuzzyDate } from '../src/domain/fuzzy-date.ts';
import { actionOfItem, outputCode } from '../src/domain/ids.ts';
import { findItem, requireAction, STATUS_LABEL, whenOf } from '../src/domain/plan.ts';
import { OUTPUT_KINDS, OUTPUT_STATUSES } from '../src/workplan/format.ts';
import { whenColumnsFor } from '../src/workplan/columns.ts';
import type { CommandContext } from '../src/core/context.ts';
import { moveItem, whenAndTitle, withWarning } from './milestones.ts';
import { checkPlanDate } from '../src/domain/plan-life.ts';
import { STATE_OF_PLAY_MAX } from '../src/domain/checkins.ts';

const outputArg = z.string().describe('An output, e.g. A1.O2').meta({ complete: 'output' });

async function requireOutput(ctx: CommandContext, id: string) {
  const found = await findItem(ctx, id);
  if (found.type !== 'output') throw new UserError(`${id.toUpperCase()} is not an output.`, 'Outputs look like A1.O2.');
  return found;
}

/** The lifecycle: each status may move to the next ones, or back one step for rework. */
const NEXT: Record<string, string[]> = {
  planned: ['drafting', 'cancelled'],
  drafting: ['in_review', 'planned', 'cancelled'],
  in_review: ['validated', 'drafting', 'cancelled'],
  validated: ['disseminated', 'in_review', 'cancelled'],
  disseminated: ['validated'],
  cancelled: ['planned'],
};

export const outputAdd = defineCommand({
  name: 'output add',
  summary: 'Add an output (deliverable) to an Action',
  examples: ['output add A2 report 2026-06 "Mapping report"', 'output add A1 webinar 2026-Q3 tbc Dissemination webinar'],
  args: z.object({
    action: z.string().describe('The Action, e.g. A2').meta({ complete: 'action' }),
    kind: z.enum(OUTPUT_KINDS).describe('report, recommendations, guidelines, questionnaire, mapping, ...'),
    when: z.string().describe('Due window, e.g. 2026-06 or 2026-Q3 (add "tbc" if tentative)'),
    title: z.string().min(3).max(300).describe('What it is'),
  }),
  positional: ['action', 'kind', 'when', 'title'],
  restPositional: true,
  permission: { actionLead: (a) => a.action },
  async handler(ctx, args) {
    const { when, title } = whenAndTitle(ctx, args.when, args.title);
    const action = await requireAction(ctx, args.action);
    const warning = await checkPlanDate(ctx, action, when);
    const created = await change(ctx, async (tx) => {
      const last = await tx.output.aggregate({ where: { actionId: action.id }, _max: { seq: true } });
      const seq = (last._max.seq ?? 0) + 1;
      const row = await tx.output.create({
        data: { actionId: action.id, seq, code: outputCode(action.number, seq), title, kind: args.kind, ...whenColumnsFor(when), createdInChat: true },
      });
      return { result: row, audit: { entityType: 'output', entityId: row.id, entityCode: row.code, verb: 'added', after: { title, kind: args.kind, when: formatFuzzyDate(when) } } };
    });
    return withWarning(announced(ctx, action.number, `Added ${created.code}`, `${created.code} ${title} (${args.kind.replace('_', ' ')}) — ${describeFuzzyDate(when)}`), warning);
  },
});

export const outputStatus = defineCommand({
  name: 'output status',
  summary: 'Move an output along planned → drafting → in review → validated → disseminated',
  examples: ['output status A1.O2 drafting', 'output status A2.O1 in_review'],
  args: z.object({ id: outputArg, status: z.enum(OUTPUT_STATUSES).describe('planned, drafting, in_review, validated, disseminated or cancelled') }),
  positional: ['id', 'status'],
  permission: { actionLead: (a) => actionOfItem(a.id) },
  async handler(ctx, { id, status }) {
    const { action, item } = await requireOutput(ctx, id);
    if (item.status === status) return reply(undefined, [text(`${item.code} is already ${STATUS_LABEL[status]}.`)], { ephemeral: true });
    if (!NEXT[item.status]!.includes(status)) {
      throw new UserError(
        `${item.code} is ${STATUS_LABEL[item.status]}; it cannot go to ${STATUS_LABEL[status]} directly.`,
        `From ${STATUS_LABEL[item.status]} it can go to: ${NEXT[item.status]!.map((s) => STATUS_LABEL[s]).join(', ')}.`,
      );
    }
    return applyOutputStatus(ctx, action.number, item, status);
  },
});

/**
 * Sets an output's status, audited and announced as "output status" does. The lifecycle is checked by
 * the caller: a check-in answer ("this output is done") may record what already happened outside it.
 */
export async function applyOutputStatus(ctx: CommandContext, actionNumber: number, item: Output, status: (typeof OUTPUT_STATUSES)[number]): Promise<Reply> {
  if (item.status === status) return reply(undefined, [text(`${item.code} is already ${STATUS_LABEL[status]}.`)], { ephemeral: true });
  const by = ctx.actor.person?.name ?? ctx.actor.displayName;
  await change(ctx, async (tx) => {
    await tx.output.update({ where: { id: item.id }, data: { status, statusSetBy: by, statusSetAt: ctx.clock.now() } });
    return { result: null, audit: { entityType: 'output', entityId: item.id, entityCode: item.code, verb: 'status', before: { status: item.status }, after: { status } } };
  });
  return announced(ctx, actionNumber, `${item.code} is ${STATUS_LABEL[status]}`, `${item.code} ${item.title}: ${STATUS_LABEL[item.status]} → ${STATUS_LABEL[status]}`);
}

export const outputMove = defineCommand({
  name: 'output move',
  summary: 'Change the due date of an output',
  examples: ['output move A1.O2 2026-03', 'output move A2.O4 2026-Q1 tbc'],
  args: z.object({
    id: outputArg,
    when: z.string().describe('The new due date, e.g. 2026-03 or 2026-01..2026-03 tbc'),
    tentative: z.boolean().optional().describe('Mark the new date as tentative (tbc)'),
  }),
  positional: ['id', 'when'],
  restPositional: true,
  permission: { actionLead: (a) => actionOfItem(a.id) },
  async handler(ctx, { id, when: whenText, tentative }) {
    return moveItem(ctx, 'output', await requireOutput(ctx, id), whenText, tentative);
  },
});

export const outputLink = defineCommand({
  name: 'output link',
  summary: 'Attach the link to an output\'s document',
  examples: ['output link A1.O2 https://example.org/report.pdf'],
  args: z.object({ id: outputArg, url: z.url({ protocol: /^https?$/ }).max(500).describe('An http(s) link to the document') }),
  positional: ['id', 'url'],
  permission: { actionLead: (a) => actionOfItem(a.id) },
  async handler(ctx, { id, url }) {
    const { action, item } = await requireOutput(ctx, id);
    await change(ctx, async (tx) => {
      await tx.output.update({ where: { id: item.id }, data: { link: url } });
      return { result: null, audit: { entityType: 'output', entityId: item.id, entityCode: item.code, verb: 'link', before: { link: item.link }, after: { link: url } } };
    });
    return announced(ctx, action.number, `${item.code} has a document`, `${item.code} ${item.title}: ${url}`);
  },
});

export const outputShow = defineCommand({
  name: 'output show',
  summary: 'Show one output with the buttons to move it on',
  examples: ['output show A1.O2'],
  args: z.object({ id: outputArg }),
  positional: ['id'],
  permission: 'anyone',
  async handler(ctx, { id }) {
    const { item } = await requireOutput(ctx, id);
    return reply(`${item.code} ${item.title}`, [
      text(`${item.kind.replace('_', ' ')} · due ${describeFuzzyDate(whenOf(item))} · ${STATUS_LABEL[item.status]}`),
      ...(item.link ? [text(item.link)] : []),
      ...(item.statusSetAt ? [context(`status set by ${item.statusSetBy ?? '?'} on ${item.statusSetAt.toISOString().slice(0, 10)}`)] : []),
      ...(item.notes ? [context(item.notes)] : []),
      ...(NEXT[item.status]!.length
        ? [buttons(...NEXT[item.status]!.slice(0, 3).map((s) => ({ label: `Set ${STATUS_LABEL[s]}`, command: `output status ${item.code} ${s}`, ...(s === 'cancelled' ? { style: 'danger' as const } : {}) })))]
        : []),
    ]);
  },
});

export const statePlay = defineCommand({
  name: 'status',
  summary: 'Set the state of play of an Action (the monitoring line)',
  examples: ['status A1 "Second virtual exchange being prepared with Milan"'],
  args: z.object({
    action: z.string().describe('The Action, e.g. A1').meta({ complete: 'action' }),
    text: z.string().min(3).max(STATE_OF_PLAY_MAX).describe('The new state of play'),
  }),
  positional: ['action', 'text'],
  restPositional: true,
  permission: { actionLead: (a) => a.action },
  async handler(ctx, args) {
    const action = await requireAction(ctx, args.action);
    const by = ctx.actor.person?.name ?? ctx.actor.displayName;
    await change(ctx, async (tx) => {
      await tx.action.update({ where: { id: action.id }, data: { statePlay: args.text, statePlaySetBy: by, statePlaySetAt: ctx.clock.now() } });
      return { result: null, audit: { entityType: 'action', entityId: action.id, entityCode: `A${action.number}`, verb: 'state of play', before: { statePlay: action.statePlay }, after: { statePlay: args.text } } };
    });
    return announced(ctx, action.number, `A${action.number} state of play`, args.text);
  },
});
