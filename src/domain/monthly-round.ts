// What a monthly state-of-play check-in is about, shared by the scheduler that sends it and the
// commands that show and schedule it: when this month's round falls, and what it shows.
import { DateTime } from 'luxon';
import { localDay } from '../core/clock.ts';
import type { CommandContext } from '../core/context.ts';
import { FIRST_DAY, type StateOfPlay } from './checkins.ts';
import { effectiveEnd, openStepEnds } from './effective-window.ts';
import { dateToIsoDay, describeFuzzyDate, isoDayToDate } from './fuzzy-date.ts';
import { CLOSED_ITEM, CLOSED_OUTPUT, STATUS_LABEL, whenOf } from './plan.ts';
import { nthWorkingDay } from './working-days.ts';
import type { PartnershipSettings } from './settings.ts';

/** The instant of this month's check-in, in the partnership's time zone. */
export function monthlyMoment(month: string, s: Pick<PartnershipSettings, 'checkinDay' | 'checkinTime'>, zone: string): Date {
  return DateTime.fromISO(`${nthWorkingDay(month, s.checkinDay)}T${s.checkinTime}`, { zone }).toJSDate();
}

/** What a monthly question shows for a round: the Action's state of play and what fell due since the previous round. */
export async function stateOfPlay(ctx: CommandContext, round: { actionId: string; openedAt: Date }): Promise<StateOfPlay> {
  const action = await ctx.db.action.findUniqueOrThrow({ where: { id: round.actionId } });
  const previous = await ctx.db.checkIn.findFirst({
    where: { actionId: round.actionId, round: { not: FIRST_DAY }, openedAt: { lt: round.openedAt } },
    orderBy: { openedAt: 'desc' },
  });
  const zone = ctx.partnership.timeZone;
  const to = localDay(round.openedAt, zone);
  // Without an earlier check-in: the month before this one.
  const from = previous ? localDay(previous.openedAt, zone) : DateTime.fromISO(to).minus({ months: 1 }).toISODate()!;
  const window = { actionId: round.actionId, whenEnd: { gte: isoDayToDate(from), lt: isoDayToDate(to) } };
  const [activities, outputs] = await Promise.all([
    ctx.db.activity.findMany({ where: window, orderBy: [{ whenEnd: 'asc' }, { code: 'asc' }] }),
    ctx.db.output.findMany({ where: window, orderBy: [{ whenEnd: 'asc' }, { code: 'asc' }] }),
  ]);
  // An activity whose open steps run on has not fallen due (effective-window.ts).
  const stepEnds = await openStepEnds(ctx.db, activities.filter((a) => !a.parentId).map((a) => a.id));
  const due = [...activities.filter((a) => effectiveEnd(dateToIsoDay(a.whenEnd!), stepEnds.get(a.id)) < to), ...outputs].sort((a, b) => a.whenEnd!.getTime() - b.whenEnd!.getTime());
  const fellDue = due.map((i) => `${i.code} ${i.title} — ${describeFuzzyDate(whenOf(i))} · ${STATUS_LABEL[i.status] ?? i.status}`);
  const open = (i: (typeof due)[number]) => !(CLOSED_ITEM as readonly string[]).includes(i.status) && !(CLOSED_OUTPUT as readonly string[]).includes(i.status);
  return {
    actionNumber: action.number,
    shortTitle: action.shortTitle,
    text: action.statePlay,
    setBy: action.statePlaySetAt ? action.statePlaySetBy : null,
    setOn: action.statePlaySetAt ? describeFuzzyDate({ kind: 'day', start: dateToIsoDay(action.statePlaySetAt), end: dateToIsoDay(action.statePlaySetAt), tentative: false }) : null,
    fellDue,
    openFellDue: due.filter(open).map((i) => ({ code: i.code, title: i.title })),
  };
}
