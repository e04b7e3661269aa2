// An activity's effective window spans its steps. The plan dates "Institutional Self Assessment" 2025
// while its steps run to April 2026: the activity is not late while one of them still runs, so
// overdue, nudges and escalation go by the last day of its open steps, and the Gantt bar covers them.
// A tentative step ("Capacity building elements developed: 2026 (tbd)") is a guess, not a plan: it
// still keeps the activity from being called overdue, but the bar and `due` show the activity's own
// window (and its firm steps), with a note that a step runs on into 2026.
import type { Activity, Prisma } from '@prisma/client';
import { inBatches } from '../persistence/batches.ts';
import type { Db } from '../persistence/database.ts';
import { dateToIsoDay, describeFuzzyDate, isoDayToDate, timingOf, type FuzzyDate, type Timing } from './fuzzy-date.ts';
import { CLOSED_ITEM, whenOf, type WhenRow } from './plan.ts';

type Row = WhenRow & Pick<Activity, 'id' | 'parentId' | 'status'>;

/** Where an activity stands, its window stretched to the last day of its open steps among `all`. */
export function effectiveTiming(a: Row, all: Row[], today: string): Timing {
  const own = whenOf(a);
  const end = latest([own.end, ...openSteps(a, all).map((s) => whenOf(s).end)]);
  return timingOf({ ...own, end }, today, CLOSED_ITEM.includes(a.status));
}

/**
 * The first and last day a Gantt bar covers: the activity and its firm steps that are not cancelled;
 * `runsOn`, an open tentative step that ends later.
 */
export function spanWithSteps(a: Row, all: Row[]): { start: string | null; end: string | null; runsOn: FuzzyDate | null } {
  const steps = all.filter((s) => s.parentId === a.id && s.status !== 'cancelled');
  const rows = [a, ...steps.filter((s) => !s.whenTentative)].map(whenOf);
  const end = latest(rows.map((w) => w.end));
  return { start: earliest(rows.map((w) => w.start)), end, runsOn: runsOnPast(steps.filter((s) => !CLOSED_ITEM.includes(s.status)).map(whenOf), end) };
}

/** The latest tentative window among `steps` that ends after `end`, or null. */
export function runsOnPast(steps: FuzzyDate[], end: string | null): FuzzyDate | null {
  const later = steps.filter((w) => w.tentative && w.end && (!end || w.end > end)).sort((x, y) => x.end!.localeCompare(y.end!));
  return later.at(-1) ?? null;
}

/** "a step runs on into 2026, timing TBD": what a view says of a tentative step past the window it shows. */
export const runsOnNote = (w: FuzzyDate) => `a step runs on into ${describeFuzzyDate(w)}`;

const openSteps = (a: Row, all: Row[]) => all.filter((s) => s.parentId === a.id && !CLOSED_ITEM.includes(s.status));

/** Per activity id, the last day of its open steps (only activities that have dated open steps). */
export async function openStepEnds(db: Pick<Db, 'activity'>, activityIds: string[]): Promise<Map<string, string>> {
  const groups = await inBatches(activityIds, (batch) =>
    db.activity.groupBy({
      by: ['parentId'],
      where: { parentId: { in: batch }, status: { notIn: CLOSED_ITEM }, whenEnd: { not: null } },
      _max: { whenEnd: true },
    }),
  );
  return new Map(groups.flatMap((g) => (g.parentId && g._max.whenEnd ? [[g.parentId, dateToIsoDay(g._max.whenEnd)] as const] : [])));
}

/** Activities with an open step whose last day lies in [from, to]: their effective end does. */
export function openStepEndingBetween(from: string, to: string): Prisma.ActivityWhereInput {
  return { steps: { some: { status: { notIn: CLOSED_ITEM }, whenEnd: { gte: isoDayToDate(from), lte: isoDayToDate(to) } } } };
}

/** The later of an activity's own last day and its open steps' (from openStepEnds). */
export function effectiveEnd(ownEnd: string, stepEnd: string | undefined): string {
  return stepEnd && stepEnd > ownEnd ? stepEnd : ownEnd;
}

const earliest = (days: (string | null)[]) => days.filter((d): d is string => !!d).sort()[0] ?? null;
const latest = (days: (string | null)[]) => days.filter((d): d is string => !!d).sort().at(-1) ?? null;
