// Check-ins: the bot asks an Action's co-leaders about items, and an answer is the command they would
// have typed. The first-day check-in lists what was past due, untouched in chat, when the bot first
// looked at the Action (a plan adopted half-way through): asking once beats escalating each item.
import type { CheckIn, CheckInAnswer } from '@prisma/client';
import { z } from 'zod';
import { count } from '../core/count.ts';
import type { CommandContext } from '../core/context.ts';
import { buttons, context, list, reply, text, type Button, type Mention, type Reply } from '../core/reply.ts';

/** The round name of the first-day check-in (one per Action). */
export const FIRST_DAY = 'first';
/** Working days co-leaders have to answer before an item goes to the normal escalation. */
export const CHECKIN_ANSWER_WORKING_DAYS = 5;

export const ANSWERS = ['done', 'running', 'cancelled', 'unsure'] as const;
export type Answer = (typeof ANSWERS)[number];

export const ANSWER_LABEL: Record<Answer, string> = { done: 'done', running: 'still running', cancelled: 'cancelled', unsure: 'not sure' };

const itemSchema = z.object({
  n: z.number().int(),
  type: z.enum(['activity', 'output']),
  id: z.string(),
  code: z.string(),
  title: z.string(),
  /** How the plan dated it when asked ("May 2025"). */
  due: z.string(),
  /** Its last day when asked: a later date (answered "still running") makes it a new item for the escalation. */
  end: z.string(),
});
export type CheckInItem = z.infer<typeof itemSchema>;

export function checkInItems(round: Pick<CheckIn, 'items'>): CheckInItem[] {
  return z.array(itemSchema).parse(round.items);
}

export type RoundWithAnswers = CheckIn & { answers: CheckInAnswer[] };

/** Whether an answer settles the item for the check-in ("not sure" hands it to the secretariat). */
export const settles = (a: CheckInAnswer | undefined): boolean => !!a && a.answer !== 'unsure';

/** "A1–A4", "A1, A3": the Actions of a summary, in order. */
export function actionRange(numbers: number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const consecutive = sorted.every((n, i) => i === 0 || n === sorted[i - 1]! + 1);
  if (sorted.length > 2 && consecutive) return `A${sorted[0]}–A${sorted.at(-1)}`;
  return sorted.map((n) => `A${n}`).join(', ');
}

/** The four answers to one item, as buttons: each runs "checkin answer", the same line one can type. */
export function answerButtons(actionNumber: number, item: CheckInItem): Button[] {
  const line = `checkin answer A${actionNumber} ${item.n}`;
  return [
    { label: `${item.code} done`, command: `${line} done`, style: 'primary' },
    { label: `${item.code} still running`, command: `${line} running`, inputs: [{ name: 'when', label: 'New date', kind: 'date' }] },
    { label: `${item.code} cancelled`, command: `${line} cancelled`, style: 'danger' },
    { label: `${item.code} not sure`, command: `${line} unsure` },
  ];
}

/**
 * The question for one Action: its numbered items (those still unanswered, when asked again) with
 * the four answers each, and how to answer in a terminal.
 */
export function checkInQuestion(actionNumber: number, items: CheckInItem[], answerBy: string, who?: Mention): Reply {
  return reply(`A${actionNumber} check-in: ${count(items.length, 'item')} to confirm`, [
    text(
      ...(who ? [who, ', the'] : ['The']),
      ` plan still shows ${items.length === 1 ? 'this item of' : 'these items of'} A${actionNumber} as open, though ${items.length === 1 ? 'it was' : 'they were'} due before the bot started following it, and nobody has updated ${items.length === 1 ? 'it' : 'them'} since. Where ${items.length === 1 ? 'does it' : 'do they'} stand?`,
    ),
    list(items.map((i) => `${i.n}. ${i.code} ${i.title} — due ${i.due}`)),
    buttons(...items.flatMap((i) => answerButtons(actionNumber, i))),
    context(
      `In a terminal: checkin answer A${actionNumber} <number> done | cancelled | unsure | <new date>. Items without an answer go to the secretariat on ${answerBy}.`,
    ),
    context('Rather one message each working morning than separate reminders? Type "notify daily on".'),
  ]);
}

/** The open first-day rounds of the Actions `numbers` (all of them when undefined), oldest first. */
export async function firstDayRounds(ctx: CommandContext, numbers?: number[]) {
  return ctx.db.checkIn.findMany({
    where: { partnershipId: ctx.partnership.id, round: FIRST_DAY, ...(numbers ? { action: { number: { in: numbers } } } : {}) },
    include: { answers: true, action: { select: { number: true } } },
    orderBy: { openedAt: 'asc' },
  });
}

/** The longest state of play "status" takes. */
export const STATE_OF_PLAY_MAX = 500;

/** Working days after a monthly check-in before its co-leaders are reminded. */
export const MONTHLY_REMINDER_WORKING_DAYS = 3;

/** Monthly rounds are named by their month ("2025-12"), one sent by hand by its instant. */
export const isMonthlyRound = (round: string) => round !== FIRST_DAY;

export interface StateOfPlay {
  actionNumber: number;
  shortTitle: string;
  text: string | null;
  setBy: string | null;
  setOn: string | null;
  /** Items whose last day fell since the previous check-in: "A1.2 Second Virtual Exchange — Oct–Dec 2025 · planned". */
  fellDue: string[];
  /** Those of them still open, which the answer may mark done. */
  openFellDue: { code: string; title: string }[];
}

/** The monthly question: the state of play as the monitoring table has it, what fell due, one Update button. */
export function monthlyQuestion(s: StateOfPlay, reminder: boolean, who?: Mention): Reply {
  const a = `A${s.actionNumber}`;
  return reply(`${reminder ? 'Reminder: ' : ''}${a} check-in: state of play`, [
    text(...(who ? [who, ', how'] : ['How']), ` is ${a} ${s.shortTitle} doing? The monitoring table says:`),
    text(s.text ?? 'No state of play yet.'),
    ...(s.setBy && s.setOn ? [context(`updated by ${s.setBy} on ${s.setOn}`)] : []),
    ...(s.fellDue.length ? [list(s.fellDue, `Fell due since the last check-in (${s.fellDue.length})`)] : [context('Nothing fell due since the last check-in.')]),
    buttons({
      label: 'Update',
      command: `checkin answer ${a} status`,
      style: 'primary',
      inputs: [
        { name: 'text', label: 'State of play', kind: 'text', ...(s.text ? { initial: s.text.slice(0, STATE_OF_PLAY_MAX) } : {}) },
        ...(s.openFellDue.length
          ? [{ name: 'done', label: 'Now done (tick, or type their ids)', kind: 'choices' as const, options: s.openFellDue.map((i) => ({ value: i.code, label: `${i.code} ${i.title}` })) }]
          : []),
      ],
    }),
    context(`In a terminal: checkin answer ${a} status "<state of play>"${s.openFellDue.length ? ` --done "${s.openFellDue.map((i) => i.code).join(' ')}"` : ''}.`),
  ]);
}
