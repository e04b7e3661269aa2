import type { Output, Prisma } from '@prisma/client';
import { z } from 'zod';
import { defineCommand } from '../src/core/command.ts';
import { runCommand, runCommandLine } from '../src/core/command-line.ts';
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
  FIRST_DAY,
  firstDayRounds,
  isMonthlyRound,
  monthlyQuestion,
  type Answer,
  type CheckInItem,
} from '../src/domain/checkins.ts';
import { addDays, describeFuzzyDate } from '../src/domain/fuzzy-date.ts';
import { change } from '../src/domain/changes.ts';
import { monthlyMoment, stateOfPlay } from '../src/domain/monthly-round.ts';
import { partnershipSettings } from '../src/domain/settings.ts';
import { CLOSED_ITEM, CLOSED_OUTPUT, findItem, requireAction, STATUS_LABEL } from '../src/domain/plan.ts';
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

/**
 * The items a monthly answer marks done, each checked before anything changes: an id of this Action's
 * that is still open. An output counts as done once validated, as in the first-day check-in.
 */
async function itemsToMarkDone(ctx: CommandContext, actionNumber: number, ids: string): Promise<CheckInItem[]> {
  const items: CheckInItem[] = [];
  for (const code of [...new Set(ids.split(/[\s,;]+/).filter(Boolean))]) {
    const found = await findItem(ctx, code);
    if (found.type !== 'activity' && found.type !== 'output') throw new UserError(`${code} is not an activity or an output.`);
    if (found.action.number !== actionNumber) throw new UserError(`${found.item.code} belongs to A${found.action.number}, not A${actionNumber}.`);
    if ((CLOSED_ITEM as string[]).includes(found.item.status) || (CLOSED_OUTPUT as string[]).includes(found.item.status))
      throw new UserError(`${found.item.code} is already ${STATUS_LABEL[found.item.status] ?? found.item.status}.`);
    items.push({ n: 0, type: found.type, id: found.item.id, code: found.item.code, title: found.item.title, due: '', end: '' });
  }
  return items;
}

/**
 * The monthly answer: the state of play, set by "status" as the person answering, the items they
 * ticked marked done (each by the command it stands for), and the round marked answered.
 */
async function answerStatus(ctx: CommandContext, action: { id: string; number: number }, stateOfPlay: string, doneIds: string | undefined): Promise<Reply> {
  const done = doneIds ? await itemsToMarkDone(ctx, action.number, doneIds) : [];
  const updated = await runCommand(ctx, 'status', { action: `A${action.number}`, text: stateOfPlay.trim() });
  const marked: Reply[] = [];
  for (const item of done) marked.push(...(await apply(ctx, action.number, item, 'done', undefined)));
  const [round] = await ctx.db.checkIn.findMany({ where: { actionId: action.id, round: { not: FIRST_DAY } }, orderBy: { openedAt: 'desc' }, take: 1 });
  if (round) {
    const data = { answer: 'status', answeredById: ctx.actor.person?.id ?? null, answeredBy: actorLabel(ctx.actor), answeredAt: ctx.clock.now() };
    await ctx.db.checkInAnswer.upsert({ where: { checkInId_n: { checkInId: round.id, n: 0 } }, create: { checkInId: round.id, n: 0, ...data }, update: data });
  }
  return merged(`A${action.number} check-in: state of play updated`, [updated, ...marked], 'It shows in "monitoring" and the digest. Thank you.');
}

export const checkinAnswer = defineCommand({
  name: 'checkin answer',
  summary: 'Answer a check-in: an item is done, cancelled, still running to a new date, or you are not sure',
  help: 'Runs the command the answer stands for (milestone done, milestone status, milestone move, output status, output move; for "status", the status command) as you, so it is audited as that change. "Not sure" hands the item to the secretariat.',
  examples: ['checkin answer A1 1 done', 'checkin answer A1 2 2026-03', 'checkin answer A2 3 cancelled', 'checkin answer A2 4 unsure', 'checkin answer A1 status "Second exchange held in Milan; report being drafted"', 'checkin answer A1 status "Report drafted" --done "A1.2 A1.O1"'],
  args: z.object({
    action: z.string().describe('The Action asked, e.g. A1').meta({ complete: 'action' }),
    item: z.string().regex(/^(\d{1,3}|status)$/i, 'an item number, or "status"').describe('The number of the item in the check-in, or "status" for the monthly state of play'),
    answer: z.string().max(500).default('').describe('done, cancelled, unsure, running, or the new date of an item still running; after "status": the state of play'),
    when: z.string().max(100).optional().describe('The new date of an item still running, e.g. 2026-03'),
    text: z.string().max(500).optional().describe('The new state of play (after "status")'),
    done: z.string().max(500).optional().describe('After "status": the ids of items now done, e.g. "A1.2 A1.O3"'),
  }),
  positional: ['action', 'item', 'answer'],
  restPositional: true,
  permission: { actionLead: (a) => a.action },
  async handler(ctx, args) {
    const action = await requireAction(ctx, args.action);
    if (args.item.toLowerCase() === 'status') return answerStatus(ctx, action, args.text ?? args.answer, args.done);
    const [round] = (await firstDayRounds(ctx, [action.number])).filter((r) => checkInItems(r).length > 0);
    if (!round) throw new UserError(`A${action.number} has no check-in to answer.`, 'Type "checkin" for your open check-ins.');
    const items = checkInItems(round);
    const item = items.find((i) => i.n === Number(args.item));
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
  help: 'Also: checkin answer, checkin status, checkin send, checkin settings (type "help checkin answer").',
  examples: ['checkin'],
  args: z.object({}),
  permission: 'member',
  async handler(ctx) {
    const everyAction = ctx.roles.secretariat || ctx.roles.coordinator;
    const rounds = await firstDayRounds(ctx, everyAction ? undefined : ctx.roles.coLeads);
    const open = rounds
      .map((r) => ({ round: r, waiting: checkInItems(r).filter((i) => !r.answers.some((a) => a.n === i.n)) }))
      .filter((r) => r.waiting.length > 0);
    const monthly = await unansweredMonthly(ctx, everyAction ? undefined : ctx.roles.coLeads);
    if (!open.length && !monthly.length) return reply(undefined, [text('No open check-ins.')], { ephemeral: true });
    const blocks = [
      ...(await Promise.all(monthly.map(async (r) => monthlyQuestion(await stateOfPlay(ctx, r), false).blocks))).flat(),
      ...open.flatMap(({ round, waiting }) => checkInQuestion(round.action.number, waiting, answerBy(ctx, round.openedAt)).blocks),
    ];
    const actions = [...new Set([...monthly.map((r) => r.action.number), ...open.map((o) => o.round.action.number)])].sort((a, b) => a - b);
    return reply(`Open check-ins: ${actions.map((n) => `A${n}`).join(', ')}`, blocks, { ephemeral: true });
  },
});

/** Each Action's latest monthly round, when nobody answered it yet. */
async function unansweredMonthly(ctx: CommandContext, numbers: number[] | undefined) {
  const rounds = await ctx.db.checkIn.findMany({
    where: { partnershipId: ctx.partnership.id, round: { not: FIRST_DAY }, ...(numbers ? { action: { number: { in: numbers } } } : {}) },
    include: { answers: { where: { n: 0 } }, action: { select: { number: true } } },
    orderBy: { openedAt: 'desc' },
  });
  const latest = new Map<number, (typeof rounds)[number]>();
  for (const r of rounds) if (!latest.has(r.action.number)) latest.set(r.action.number, r);
  return [...latest.values()].filter((r) => !r.answers.length).sort((a, b) => a.action.number - b.action.number);
}

export const checkinStatus = defineCommand({
  name: 'checkin status',
  summary: 'Who answered the check-ins, per Action',
  examples: ['checkin status'],
  args: z.object({}),
  permission: 'anyone',
  async handler(ctx) {
    const rounds = (await firstDayRounds(ctx)).filter((r) => checkInItems(r).length > 0);
    const monthly = await monthlyStatusLines(ctx);
    if (!rounds.length && !monthly.length) return reply(undefined, [text('No check-ins have been sent.')], { ephemeral: true });
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
    return reply('Check-ins', [...(monthly.length ? [list(monthly, 'State of play (the latest monthly check-in)')] : []), ...blocks], { ephemeral: true });
  },
});

export const checkinSend = defineCommand({
  name: 'checkin send',
  summary: 'Ask an Action\'s co-leaders for their state of play now, instead of waiting for the monthly check-in',
  examples: ['checkin send A1'],
  args: z.object({ action: z.string().describe('The Action, e.g. A1').meta({ complete: 'action' }) }),
  positional: ['action'],
  permission: 'secretariat',
  async handler(ctx, args) {
    const action = await requireAction(ctx, args.action);
    const now = ctx.clock.now();
    // Named by its instant: a double click is the same round (unique per Action and round), a later send a new one.
    await ctx.db.checkIn.createMany({ data: [{ partnershipId: ctx.partnership.id, actionId: action.id, round: `sent ${now.toISOString()}`, openedAt: now, items: [] }], skipDuplicates: true });
    await recordAudit(ctx, { entityType: 'action', entityId: action.id, entityCode: `A${action.number}`, verb: 'check-in sent' });
    return reply(undefined, [text(`A${action.number}'s co-leaders are asked for their state of play within a minute (the next scheduler tick).`), context('Who answered: "checkin status".')], { ephemeral: true });
  },
});

export const checkinSettings = defineCommand({
  name: 'checkin settings',
  summary: 'When the monthly check-in goes out: the working day of the month and the time (partnership time zone)',
  examples: ['checkin settings --day 1 --time 10:00', 'checkin settings --day 3'],
  args: z.object({
    day: z.number().int().min(1).max(20).optional().describe('The working day of the month, 1 = the first'),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time like 10:00').optional().describe('The local time, e.g. 10:00'),
  }),
  permission: 'secretariat',
  async handler(ctx, { day, time }) {
    const before = partnershipSettings(ctx.partnership.settings);
    const after = { ...before, ...(day !== undefined ? { checkinDay: day } : {}), ...(time !== undefined ? { checkinTime: time } : {}) };
    if (day !== undefined || time !== undefined) {
      await change(ctx, async (tx) => {
        await tx.partnership.update({ where: { id: ctx.partnership.id }, data: { settings: after as Prisma.InputJsonValue } });
        return {
          result: null,
          audit: { entityType: 'partnership', entityId: ctx.partnership.id, entityCode: ctx.partnership.slug, verb: 'check-in settings', before: { day: before.checkinDay, time: before.checkinTime }, after: { day: after.checkinDay, time: after.checkinTime } },
        };
      });
    }
    const next = nextMonthly(ctx, after);
    return reply(undefined, [text(`The monthly check-in goes out on working day ${after.checkinDay} of each month at ${after.checkinTime} (${ctx.partnership.timeZone}); next: ${next}.`)], { ephemeral: true });
  },
});

function nextMonthly(ctx: CommandContext, s: ReturnType<typeof partnershipSettings>): string {
  const now = ctx.clock.now();
  let month = ctx.today().slice(0, 7);
  if (monthlyMoment(month, s, ctx.partnership.timeZone) <= now) month = addDays(`${month}-28`, 7).slice(0, 7);
  const at = monthlyMoment(month, s, ctx.partnership.timeZone);
  return `${dayText(localDay(at, ctx.partnership.timeZone))} ${s.checkinTime}`;
}

/** Each Action's latest monthly check-in: answered by whom and when, or waiting since when. */
export async function monthlyStatusLines(ctx: CommandContext): Promise<string[]> {
  const rounds = await ctx.db.checkIn.findMany({
    where: { partnershipId: ctx.partnership.id, round: { not: FIRST_DAY } },
    include: { answers: true, action: { select: { number: true } } },
    orderBy: { openedAt: 'desc' },
  });
  const latest = new Map<number, (typeof rounds)[number]>();
  for (const r of rounds) if (isMonthlyRound(r.round) && !latest.has(r.action.number)) latest.set(r.action.number, r);
  const zone = ctx.partnership.timeZone;
  return [...latest.values()]
    .sort((a, b) => a.action.number - b.action.number)
    .map((r) => {
      const answer = r.answers.find((a) => a.n === 0);
      return `A${r.action.number}: ${answer ? `state of play updated by ${answer.answeredBy} on ${dayText(localDay(answer.answeredAt, zone))}` : `no answer yet (asked ${dayText(localDay(r.openedAt, zone))})`}`;
    });
}
