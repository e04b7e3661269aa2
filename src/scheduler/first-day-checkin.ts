// The first-day check-in. The first tick that sees an Action writes its round: the items past due
// and untouched in chat (no audit entry but the import's). Instead of escalating each of them, it asks
// the co-leaders once, tells the secretariat once, and escalates only what nobody settled within
// CHECKIN_ANSWER_WORKING_DAYS working days. The round is written with ON CONFLICT DO NOTHING on
// (Action, round) and read back, so replicas and restarts share one round and its numbering.
import type { Prisma } from '@prisma/client';
import { localDay } from '../core/clock.ts';
import type { CommandContext } from '../core/context.ts';
import type { Mention } from '../core/reply.ts';
import { CHECKIN_ANSWER_WORKING_DAYS, checkInItems, checkInQuestion, FIRST_DAY, firstDayRounds, settles, type CheckInItem } from '../domain/checkins.ts';
import { effectiveEnd, openStepEnds } from '../domain/effective-window.ts';
import { dateToIsoDay, describeFuzzyDate } from '../domain/fuzzy-date.ts';
import { compareCodes } from '../domain/ids.ts';
import { inBatches } from '../persistence/batches.ts';
import { CLOSED_ITEM, CLOSED_OUTPUT, whenOf, type WhenRow } from '../domain/plan.ts';
import { addWorkingDays } from '../domain/working-days.ts';
import { checkInSummary, unansweredEscalation, type NoticeItem } from './messages.ts';
import type { Candidate, Recipient } from './planner.ts';

/** A round is spoken about for this long after it opens: the question within a week, the reminder after. */
export const CHECKIN_ROUND_LIFE_DAYS = 14;

export interface CheckInPlanning {
  /** `hour`:00 of a day in the partnership's time zone, as the planner schedules everything. */
  at(isoDay: string): Date;
  coLeaders(actionIds: string[]): Promise<Map<string, Recipient[]>>;
  coordinators(): Promise<Mention[]>;
  toPerson(r: Recipient, key: string, kind: string, dueAt: Date, actionNumber: number, payload: Candidate['payload'], now: Date): Candidate;
  /**
   * Who is asked instead of co-leader `r` for a round opened on `openedDay`: `r`, or who stands in for
   * them while they are away, or nobody now (away with no stand-in: asked on return, if still open;
   * or a stand-in was asked while they were away).
   */
  askable(r: Recipient, openedDay: string): Promise<Recipient | null>;
}

/** The co-leaders to ask, each once: someone standing in for a co-leader may be a co-leader too. */
export async function whomToAsk(p: CheckInPlanning, leaders: Recipient[], openedDay: string): Promise<Recipient[]> {
  const asked = new Map<string, Recipient>();
  for (const r of leaders) {
    const to = await p.askable(r, openedDay);
    if (to && !asked.has(to.person.id)) asked.set(to.person.id, to);
  }
  return [...asked.values()];
}

/** Audit entries from these sources are not someone touching an item in chat. */
const NOT_A_TOUCH = ['import', 'scheduler'];

const ITEM_SELECT = { id: true, actionId: true, code: true, title: true, status: true, whenKind: true, whenStart: true, whenEnd: true, whenTentative: true, snoozedUntil: true } as const;

interface Row extends WhenRow {
  id: string;
  actionId: string;
  code: string;
  title: string;
  status: string;
  snoozedUntil: Date | null;
  parentId?: string | null;
}

/** Open items of these Actions (or with these ids) and their last day, steps included. */
async function openItems(ctx: CommandContext, where: { actionIds?: string[]; ids?: string[] }): Promise<{ row: Row; type: 'activity' | 'output'; end: string }[]> {
  const filter = where.ids ? { id: { in: where.ids } } : { actionId: { in: where.actionIds! } };
  const [activities, outputs] = await Promise.all([
    ctx.db.activity.findMany({ where: { ...filter, status: { notIn: CLOSED_ITEM }, whenEnd: { not: null } }, select: { ...ITEM_SELECT, parentId: true } }),
    ctx.db.output.findMany({ where: { ...filter, status: { notIn: CLOSED_OUTPUT }, whenEnd: { not: null } }, select: ITEM_SELECT }),
  ]);
  const stepEnds = await openStepEnds(ctx.db, activities.filter((a) => !a.parentId).map((a) => a.id));
  return [
    ...activities.map((row) => ({ row, type: 'activity' as const, end: effectiveEnd(dateToIsoDay(row.whenEnd!), stepEnds.get(row.id)) })),
    ...outputs.map((row) => ({ row, type: 'output' as const, end: dateToIsoDay(row.whenEnd!) })),
  ];
}

/** Writes the first-day round of every Action that has none yet (an empty one when nothing is past due). */
async function openRounds(ctx: CommandContext, now: Date): Promise<void> {
  const actions = await ctx.db.action.findMany({
    where: { partnershipId: ctx.partnership.id, checkIns: { none: { round: FIRST_DAY } } },
    select: { id: true },
  });
  if (!actions.length) return;
  const today = ctx.today();
  const pastDue = (await openItems(ctx, { actionIds: actions.map((a) => a.id) })).filter((i) => i.end < today);
  const touched = new Set(
    (
      await inBatches(
        pastDue.map((i) => i.row.id),
        (ids) => ctx.db.auditEntry.findMany({ where: { partnershipId: ctx.partnership.id, entityId: { in: ids }, platform: { notIn: NOT_A_TOUCH } }, select: { entityId: true }, distinct: ['entityId'] }),
      )
    ).map((a) => a.entityId),
  );
  const asked = pastDue
    .filter((i) => !touched.has(i.row.id))
    .sort((a, b) => a.end.localeCompare(b.end) || compareCodes(a.row.code, b.row.code));
  await ctx.db.checkIn.createMany({
    data: actions.map((a) => ({
      partnershipId: ctx.partnership.id,
      actionId: a.id,
      round: FIRST_DAY,
      openedAt: now,
      items: asked
        .filter((i) => i.row.actionId === a.id)
        .map((i, index): CheckInItem => ({ n: index + 1, type: i.type, id: i.row.id, code: i.row.code, title: i.row.title, due: describeFuzzyDate(whenOf(i.row)), end: i.end })) as Prisma.InputJsonValue,
    })),
    skipDuplicates: true,
  });
}

const dayText = (isoDay: string) => describeFuzzyDate({ kind: 'day', start: isoDay, end: isoDay, tentative: false });

/**
 * Adds the check-in notices due at `now` to `out`, and returns the items whose escalation the check-in
 * owns (as `id:last day`): the planner does not escalate those by its usual rule.
 */
export async function firstDayCheckIns(ctx: CommandContext, now: Date, p: CheckInPlanning, out: Candidate[]): Promise<Set<string>> {
  await openRounds(ctx, now);
  const today = ctx.today();
  const open = (await firstDayRounds(ctx)).map((r) => ({ ...r, asked: checkInItems(r) })).filter((r) => r.asked.length > 0);
  if (!open.length) return new Set();
  const leaders = await p.coLeaders(open.map((r) => r.actionId));
  // An Action whose co-leaders name nobody has nobody to ask: its items escalate by the usual rule.
  const rounds = open.filter((r) => leaders.get(r.actionId)?.length);
  const owned = new Set(rounds.flatMap((r) => r.asked.map((i) => `${i.id}:${i.end}`)));
  const summaries = new Map<string, typeof rounds>();
  const dueForEscalation: { round: (typeof rounds)[number]; item: CheckInItem; moment: Date; unsure?: string }[] = [];
  for (const round of rounds) {
    const openedDay = localDay(round.openedAt, ctx.partnership.timeZone);
    const answerBy = addWorkingDays(openedDay, CHECKIN_ANSWER_WORKING_DAYS);
    const answers = new Map(round.answers.map((a) => [a.n, a]));
    const unanswered = round.asked.filter((i) => !answers.has(i.n));
    // Co-leaders who join before the answers are due are asked too, about what is still unanswered.
    if (today < answerBy && unanswered.length) {
      for (const r of await whomToAsk(p, leaders.get(round.actionId) ?? [], openedDay)) {
        const key = `checkin:${round.id}:${r.person.id}`;
        out.push(p.toPerson(r, key, 'checkin', round.openedAt, round.action.number, () => checkInQuestion(round.action.number, unanswered, dayText(answerBy), r.mention), now));
      }
      summaries.set(openedDay, [...(summaries.get(openedDay) ?? []), round]);
    }
    for (const item of round.asked) {
      const answer = answers.get(item.n);
      if (settles(answer)) continue;
      const moment = answer ? answer.answeredAt : p.at(answerBy);
      if (moment <= now) dueForEscalation.push({ round, item, moment, ...(answer ? { unsure: answer.answeredBy } : {}) });
    }
  }
  for (const [openedDay, sameDay] of summaries) {
    const answerBy = dayText(addWorkingDays(openedDay, CHECKIN_ANSWER_WORKING_DAYS));
    out.push({
      key: `checkin-summary:${ctx.partnership.id}:${openedDay}`,
      kind: 'checkin-summary',
      dueAt: sameDay[0]!.openedAt,
      scope: 'secretariat',
      payload: () => checkInSummary(sameDay.map((r) => ({ actionNumber: r.action.number, items: r.asked.length, people: (leaders.get(r.actionId) ?? []).map((l) => l.person.name) })), answerBy),
    });
  }
  if (!dueForEscalation.length) return owned;
  // Only items still open, on the day they were asked about: one moved to a later date has left the check-in.
  const current = new Map((await openItems(ctx, { ids: dueForEscalation.map((d) => d.item.id) })).map((i) => [i.row.id, i]));
  const coordinators = await p.coordinators();
  for (const { round, item, moment, unsure } of dueForEscalation) {
    const still = current.get(item.id);
    if (!still || still.end !== item.end || still.end >= today || (still.row.snoozedUntil && still.row.snoozedUntil > now)) continue;
    const notice: NoticeItem = { id: item.id, code: still.row.code, title: still.row.title, kind: item.type, when: whenOf(still.row), actionNumber: round.action.number };
    const people = [...coordinators, ...(leaders.get(round.actionId) ?? []).map((r) => r.mention)];
    out.push({
      key: `escalate:${item.id}:${item.end}`,
      kind: 'escalation',
      dueAt: moment,
      scope: 'secretariat',
      payload: () => unansweredEscalation(notice, dayText(localDay(round.openedAt, ctx.partnership.timeZone)), unsure, people),
    });
  }
  return owned;
}
