// What is due: overdue items first, then what falls due or starts within the window, then windows
// running now. A fuzzy window counts as due on its last day, so "October-December 2025" is due by
// 31 December and is "ongoing" until then.
import type { Prisma } from '@prisma/client';
import type { CommandContext } from '../core/context.ts';
import { addDays, isoDayToDate, type FuzzyDate } from './fuzzy-date.ts';
import { CLOSED_ITEM, CLOSED_OUTPUT, whenOf } from './plan.ts';

export type DueBucket = 'overdue' | 'due' | 'starting' | 'ongoing';

export interface DueItem {
  bucket: DueBucket;
  code: string;
  title: string;
  kind: 'activity' | 'output';
  status: string;
  when: FuzzyDate;
  actionNumber: number;
}

export interface DueQuery {
  days: number;
  actionNumbers?: number[];
}

const BUCKET_ORDER: DueBucket[] = ['overdue', 'due', 'starting', 'ongoing'];

export async function dueItems(ctx: CommandContext, q: DueQuery): Promise<DueItem[]> {
  const today = ctx.today();
  const horizon = addDays(today, q.days);
  const horizonDate = isoDayToDate(horizon);
  const actionFilter: Prisma.ActionWhereInput = {
    partnershipId: ctx.partnership.id,
    ...(q.actionNumbers ? { number: { in: q.actionNumbers } } : {}),
  };
  // Only rows that can matter: dated, open, and not starting after the horizon.
  const window = { whenEnd: { not: null }, whenStart: { lte: horizonDate } };
  const [activities, outputs] = await Promise.all([
    ctx.db.activity.findMany({
      where: { action: actionFilter, status: { notIn: CLOSED_ITEM }, ...window },
      include: { action: { select: { number: true } } },
    }),
    ctx.db.output.findMany({
      where: { action: actionFilter, status: { notIn: CLOSED_OUTPUT }, ...window },
      include: { action: { select: { number: true } } },
    }),
  ]);
  const items: DueItem[] = [];
  const classify = (when: FuzzyDate): DueBucket | null => {
    if (!when.start || !when.end) return null;
    if (when.end < today) return 'overdue';
    if (when.end <= horizon) return 'due';
    if (when.start > today) return 'starting';
    return 'ongoing';
  };
  for (const a of activities) {
    const when = whenOf(a);
    const bucket = classify(when);
    if (bucket) items.push({ bucket, code: a.code, title: a.title, kind: 'activity', status: a.status, when, actionNumber: a.action.number });
  }
  for (const o of outputs) {
    const when = whenOf(o);
    const bucket = classify(when);
    if (bucket) items.push({ bucket, code: o.code, title: o.title, kind: 'output', status: o.status, when, actionNumber: o.action.number });
  }
  return items.sort(
    (x, y) =>
      BUCKET_ORDER.indexOf(x.bucket) - BUCKET_ORDER.indexOf(y.bucket) ||
      (x.when.end ?? '').localeCompare(y.when.end ?? '') ||
      x.code.localeCompare(y.code, 'en', { numeric: true }),
  );
}
