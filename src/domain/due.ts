// What is due: overdue items first, then what falls due or starts within the window, then windows
// running now. A fuzzy window counts as due on its last day, so "October-December 2025" is due by
// 31 December and is "ongoing" until then.
import type { CommandContext } from '../core/context.ts';
import { callStored, revive } from '../persistence/stored-reads.ts';
import { effectiveEnd, openStepEndingBetween, runsOnPast } from './effective-window.ts';
import { compareCodes } from './ids.ts';
import { addDays, isoDayToDate, type FuzzyDate } from './fuzzy-date.ts';
import { CLOSED_ITEM, CLOSED_OUTPUT, whenOf, type WhenRow } from './plan.ts';

export type DueBucket = 'overdue' | 'due' | 'starting' | 'ongoing';

export interface DueItem {
  bucket: DueBucket;
  code: string;
  title: string;
  kind: 'activity' | 'output';
  status: string;
  when: FuzzyDate;
  actionNumber: number;
  /** An activity whose firm open steps run past its own window: the last day of those steps. */
  stepsUntil?: string;
  /** An open tentative step that runs on past what `when` and `stepsUntil` show. */
  runsOn?: FuzzyDate;
}

export interface DueQuery {
  days: number;
  actionNumbers?: number[];
  /**
   * Only what falls due or starts within the window: nothing overdue (the digest shows the latest of
   * that apart, see latestOverdue) and no window that is merely running.
   */
  soonOnly?: boolean;
}

const BUCKET_ORDER: DueBucket[] = ['overdue', 'due', 'starting', 'ongoing'];

const withAction = { action: { select: { number: true } } } as const;

type ItemRow = WhenRow & { code: string; title: string; status: string; action: { number: number } };

/** An activity or output that may be due; a top-level activity brings its open, dated steps' windows. */
export type DueRow = ItemRow & { openSteps?: WhenRow[] };

export interface DueRows {
  activities: DueRow[];
  outputs: DueRow[];
}

function toItem(row: ItemRow, kind: DueItem['kind'], bucket: DueBucket): DueItem {
  return { bucket, code: row.code, title: row.title, kind, status: row.status, when: whenOf(row), actionNumber: row.action.number };
}

export type DueRowsJson = { activities: Record<string, unknown>[]; outputs: Record<string, unknown>[] };

/** partnerbot_due_rows's arguments; partnerbot_partnership_work takes them first too. */
export function dueRowsArgs(ctx: CommandContext, q: DueQuery): unknown[] {
  const today = ctx.today();
  return [ctx.partnership.id, q.actionNumbers ?? null, today, addDays(today, q.days), q.soonOnly ?? false, CLOSED_ITEM, CLOSED_OUTPUT];
}

/** The rows as the stored read gives them, with their dates as Prisma gives them. */
export function readDueRows(found: DueRowsJson): DueRows {
  const row = (model: 'Activity' | 'Output') => (json: Record<string, unknown>) => {
    const { openSteps, ...item } = revive<ItemRow & { openSteps: Record<string, unknown>[] | null }>(model, json);
    return openSteps ? { ...item, openSteps: openSteps.map((step) => revive<WhenRow>('Activity', step)) } : item;
  };
  return { activities: found.activities.map(row('Activity')), outputs: found.outputs.map(row('Output')) };
}

/** The open, dated items the query can be about, as they are stored (stored read partnerbot_due_rows). */
export async function dueRows(ctx: CommandContext, q: DueQuery): Promise<DueRows> {
  const call = 'partnerbot_due_rows($1::text, $2::int[], $3::date, $4::date, $5::boolean, $6::text[], $7::text[])';
  return readDueRows(await callStored<DueRowsJson>(ctx.db, call, dueRowsArgs(ctx, q)));
}

export async function dueItems(ctx: CommandContext, q: DueQuery): Promise<DueItem[]> {
  return dueItemsFrom(await dueRows(ctx, q), ctx.today(), q);
}

/** What is due on `today` among `rows` (read for the same day and query), in the order `due` lists it. */
export function dueItemsFrom({ activities, outputs }: DueRows, today: string, q: DueQuery): DueItem[] {
  const horizon = addDays(today, q.days);
  const classify = (when: FuzzyDate): DueBucket | null => {
    if (!when.start || !when.end) return null;
    if (when.end < today) return 'overdue';
    if (when.end <= horizon) return 'due';
    if (when.start > today) return 'starting';
    return 'ongoing';
  };
  const items: DueItem[] = [];
  const add = (item: DueItem) => {
    if (!(q.soonOnly && (item.bucket === 'overdue' || item.bucket === 'ongoing'))) items.push(item);
  };
  for (const row of activities) {
    const when = whenOf(row);
    const steps = (row.openSteps ?? []).map(whenOf);
    const lastOf = (ws: FuzzyDate[]) => ws.map((w) => w.end!).sort().at(-1);
    // Any open step keeps it from being overdue; only firm ones move the day it is shown due by.
    const end = when.end && effectiveEnd(when.end, lastOf(steps));
    const firmEnd = when.end && effectiveEnd(when.end, lastOf(steps.filter((w) => !w.tentative)));
    const runsOn = runsOnPast(steps, firmEnd);
    const bucket = classify({ ...when, end });
    if (bucket) add({ ...toItem(row, 'activity', bucket), ...(firmEnd !== when.end ? { stepsUntil: firmEnd! } : {}), ...(runsOn ? { runsOn } : {}) });
  }
  for (const row of outputs) {
    const bucket = classify(whenOf(row));
    if (bucket) add(toItem(row, 'output', bucket));
  }
  return items.sort(
    (x, y) =>
      BUCKET_ORDER.indexOf(x.bucket) - BUCKET_ORDER.indexOf(y.bucket) ||
      (x.stepsUntil ?? x.when.end ?? '').localeCompare(y.stepsUntil ?? y.when.end ?? '') ||
      compareCodes(x.code, y.code),
  );
}

/**
 * The `limit` items that fell overdue most recently (oldest first), and how many are overdue in all.
 * A plan that has let hundreds of items lapse should not turn the weekly digest into hundreds of lines.
 */
export async function latestOverdue(ctx: CommandContext, limit: number): Promise<{ items: DueItem[]; total: number }> {
  const overdue = { action: { partnershipId: ctx.partnership.id }, whenEnd: { lt: isoDayToDate(ctx.today()) } };
  const activity = { ...overdue, status: { notIn: CLOSED_ITEM }, NOT: openStepEndingBetween(ctx.today(), '9999-12-31') };
  const output = { ...overdue, status: { notIn: CLOSED_OUTPUT } };
  const latest = { orderBy: [{ whenEnd: 'desc' as const }, { code: 'asc' as const }], take: limit, include: withAction };
  const [activities, outputs, activityCount, outputCount] = await Promise.all([
    ctx.db.activity.findMany({ where: activity, ...latest }),
    ctx.db.output.findMany({ where: output, ...latest }),
    ctx.db.activity.count({ where: activity }),
    ctx.db.output.count({ where: output }),
  ]);
  const byEnd = (x: DueItem, y: DueItem) => (x.when.end ?? '').localeCompare(y.when.end ?? '') || compareCodes(x.code, y.code);
  const items = [...activities.map((a) => toItem(a, 'activity', 'overdue')), ...outputs.map((o) => toItem(o, 'output', 'overdue'))]
    .sort((x, y) => byEnd(y, x))
    .slice(0, limit)
    .sort(byEnd);
  return { items, total: activityCount + outputCount };
}
