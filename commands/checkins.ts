import type { Output } from '@prisma/client';
import { z } from 'zod';
import { defineCommand } from '../src/core/command.ts';
import { runCommandLine } from '../src/core/command-line.ts';
import { localDay } from '../src/core/clock.ts';
import type { CommandContext } from '../src/core/context.ts';
import { actorLabel } from '../src/core/context.ts';
import { count } from '../src/core/count.ts';
import { UserError } from '../src/core/errors.ts';
import { context, list, reply, text, type Reply } from '../src/core/reply.ts';
import { recordAudit } from '../src/domain/audit.ts';
import {
  ANSWER_LABEL,
  CHECKIN_ANSWER_WORKING_DAYS,
  checkInItems,
  checkInQuestion,
  firstDayRounds,
  type Answer,
  type CheckInItem,
} from '../src/domain/checkins.ts';
import { describeFuzzyDate } from '../src/domain/fuzzy-date.ts';
import { requireAction } from '../src/domain/plan.ts';
import { addWorkingDays } from '../src/domain/working-days.ts';
import { applyOutputStatus } from './outputs.ts';

const dayText = (isoDay: string) => describeFuzzyDate({ kind: 'day', start: isoDay, end: isoDay, tentative: false });
const answerBy = (ctx: CommandContext, openedAt: Date) => dayText(addWorkingDays(localDay(openedAt, ctx.partnership.timeZone), CHECKIN_ANSWER_WORKING_DAYS));

/** "done", "Cancelled", "not sure", "running", or a date (the item still runs, to that date). */
function readAnswer(words: string, when: string | undefined): { answer: Answer; when?: string } {
  const said = words.trim().toLowerCase().replace(/\s+/g, ' ');
  if (said === 'done') return { answer: 'done' };
  if (['cancelled', 'canceled', 'cancel'].includes(said)) return { answer: 'cancelled' };
  if (['unsure', 'not sure', '?'].includes(said)) return { answer: 'unsure' };
  if (['running', 'still running', ''].includes(said)) {
    if (!when) throw new UserError('Still running until when?', 'Give the new date, e.g. "checkin answer A1 2 2026-03" or "... running --when 2026-03".');
    return { answer: 'running', when };
  }
  return { answer: 'running', when: words.trim() };
}

/** The commands an answer stands for, run as the person answering; an output "done" is recorded as validated. */
async function apply(ctx: CommandContext, actionNumber: number, item: CheckInItem, answer: Answer, when: string | undefined): Promise<Reply[]> {
  if (answer === 'unsure') return [];
  if (item.type === 'activity') {
    if (answer === 'done') return [await runCommandLine(ctx, `milestone done ${item.code}`)];
    if (answer === 'cancelled') return [await runCommandLine(ctx, `milestone status ${item.code} cancelled`)];
    const moved = await runCommandLine(ctx, `milestone move ${item.code} ${when}`);
    const row = await ctx.db.activity.findUnique({ where: { id: item.id }, select: { status: true } });
    return row?.status === 'in_progress' ? [moved] : [moved, await runCommandLine(ctx, `milestone status ${item.code} in_progress`)];
  }
  if (answer === 'cancelled') return [await runCommandLine(ctx, `output status ${item.code} cancelled`)];
  if (answer === 'running') return [await runCommandLine(ctx, `output move ${item.code} ${when}`)];
  const row: Output | null = await ctx.db.output.findUnique({ where: { id: item.id } });
  if (!row) throw new UserError(`${item.code} no longer exists.`);
  return [await applyOutputStatus(ctx, actionNumber, row, 'validated')];
}

/** The replies of the commands an answer ran, as one: their texts in order, every announcement kept. */
function merged(title: string, replies: Reply[], note: string): Reply {
  const announce = replies.flatMap((r) => r.announce ?? []);
  return reply(title, [...replies.flatMap((r) => r.blocks.filter((b) => b.type !== 'buttons')), context(note)], announce.length ? { announce } : {});
}

export const checkinAnswer = defineCommand({
  name: 'checkin answer',
  summary: 'Answer a check-in: an item is done, cancelled, still running to a new date, or you are not sure',
  help: 'Runs the command the answer stands for (milestone done, milestone status, milestone move, output status, output move) as you, so it is audited as that change. "Not sure" hands the item to the secretariat.',
  examples: ['checkin answer A1 1 done', 'checkin answer A1 2 2026-03', 'checkin answer A2 3 cancelled', 'checkin answer A2 4 unsure'],
  args: z.object({
    action: z.string().describe('The Action asked, e.g. A1').meta({ complete: 'action' }),
    item: z.number().int().min(1).max(999).describe('The number of the item in the check-in'),
    answer: z.string().max(100).default('').describe('done, cancelled, unsure, running, or the new date of an item still running'),
    when: z.string().max(100).optional().describe('The new date of an item still running, e.g. 2026-03'),
  }),
  positional: ['action', 'item', 'answer'],
  restPositional: true,
  permission: { actionLead: (a) => a.action },
  async handler(ctx, args) {
    const action = await requireAction(ctx, args.action);
    const [round] = (await firstDayRounds(ctx, [action.number])).filter((r) => checkInItems(r).length > 0);
    if (!round) throw new UserError(`A${action.number} has no check-in to answer.`, 'Type "checkin" for your open check-ins.');
    const items = checkInItems(round);
    const item = items.find((i) => i.n === args.item);
    if (!item) throw new UserError(`A${action.number}'s check-in has items 1 to ${items.length}, not ${args.item}.`, `Type "checkin" to see them.`);
    const { answer, when } = readAnswer(args.answer, args.when);
    const replies = await apply(ctx, action.number, item, answer, when);
    const now = ctx.clock.now();
    const by = actorLabel(ctx.actor);
    await ctx.db.$transaction(async (tx) => {
      const data = { answer, answeredById: ctx.actor.person?.id ?? null, answeredBy: by, answeredAt: now };
      await tx.checkInAnswer.upsert({ where: { checkInId_n: { checkInId: round.id, n: item.n } }, create: { checkInId: round.id, n: item.n, ...data }, update: data });
      await recordAudit(ctx, { entityType: item.type, entityId: item.id, entityCode: item.code, verb: 'check-in answer', after: { answer: ANSWER_LABEL[answer], ...(when ? { when } : {}) } }, tx);
    });
    const left = items.filter((i) => i.n !== item.n && !round.answers.some((a) => a.n === i.n)).length;
    const note =
      (answer === 'unsure' ? 'The secretariat will follow it up. ' : '') +
      (left ? `${count(left, 'item')} of A${action.number}'s check-in still to answer ("checkin").` : `A${action.number}'s check-in is complete. Thank you.`);
    return merged(`A${action.number} check-in: ${item.code} ${ANSWER_LABEL[answer]}`, replies, note);
  },
});

export const checkinShow = defineCommand({
  name: 'checkin',
  summary: 'Your open check-ins: the items the bot asks your Actions about, with the buttons to answer',
  examples: ['checkin'],
  args: z.object({}),
  permission: 'member',
  async handler(ctx) {
    const everyAction = ctx.roles.secretariat || ctx.roles.coordinator;
    const rounds = await firstDayRounds(ctx, everyAction ? undefined : ctx.roles.coLeads);
    const open = rounds
      .map((r) => ({ round: r, waiting: checkInItems(r).filter((i) => !r.answers.some((a) => a.n === i.n)) }))
      .filter((r) => r.waiting.length > 0);
    if (!open.length) return reply(undefined, [text('No open check-ins.')], { ephemeral: true });
    const blocks = open.flatMap(({ round, waiting }) => checkInQuestion(round.action.number, waiting, answerBy(ctx, round.openedAt)).blocks);
    return reply(`Open check-ins: ${open.map((o) => `A${o.round.action.number}`).join(', ')}`, blocks, { ephemeral: true });
  },
});

export const checkinStatus = defineCommand({
  name: 'checkin status',
  summary: 'Who answered the check-ins, per Action',
  examples: ['checkin status'],
  args: z.object({}),
  permission: 'anyone',
  async handler(ctx) {
    const rounds = (await firstDayRounds(ctx)).filter((r) => checkInItems(r).length > 0);
    if (!rounds.length) return reply(undefined, [text('No check-ins have been sent.')], { ephemeral: true });
    const blocks = rounds.flatMap((r) => {
      const items = checkInItems(r);
      const answers = new Map(r.answers.map((a) => [a.n, a]));
      const opened = dayText(localDay(r.openedAt, ctx.partnership.timeZone));
      return [
        list(
          items.map((i) => {
            const a = answers.get(i.n);
            return `${i.n}. ${i.code} — ${a ? `${ANSWER_LABEL[a.answer as Answer] ?? a.answer}, by ${a.answeredBy} on ${dayText(localDay(a.answeredAt, ctx.partnership.timeZone))}` : 'waiting'}`;
          }),
          `A${r.action.number}, asked ${opened}: ${answers.size} of ${count(items.length, 'item')} answered` +
            (answers.size < items.length ? `; unanswered ones go to the secretariat on ${answerBy(ctx, r.openedAt)}` : ''),
        ),
      ];
    });
    return reply('Check-ins', blocks, { ephemeral: true });
  },
});
