// What the Gantt chart shows, read from the database: one row per Action and per activity (steps
// optional), the plenaries, and the months to draw. Kept apart from drawing so the layout can be
// tested on plain data.
import type { Partnership } from '@prisma/client';
import { DateTime } from 'luxon';
import { UserError } from '../../core/errors.ts';
import type { Db } from '../../persistence/database.ts';
import { parseUserDate, type Timing } from '../../domain/fuzzy-date.ts';
import { effectiveTiming, runsOnNote, spanWithSteps } from '../../domain/effective-window.ts';
import { deadlineOf, inPlanOrder, whenOf } from '../../domain/plan.ts';

export type BarState = 'done' | 'overdue' | 'ongoing' | 'upcoming' | 'cancelled' | 'undated';

export interface GanttRow {
  kind: 'action' | 'activity' | 'step';
  code: string;
  title: string;
  /** Inclusive ISO days; null when the item has no date yet. */
  firstDay: string | null;
  lastDay: string | null;
  tentative: boolean;
  state: BarState;
  /** Actions only: the last day of their deadline. */
  deadline?: string | null;
  /** Shown after the bar: "a step runs on into 2026, timing TBD". */
  note?: string;
}

export interface GanttMarker {
  code: string;
  title: string;
  firstDay: string;
  lastDay: string;
  tentative: boolean;
}

export interface GanttModel {
  title: string;
  subtitle: string;
  /** First and last month drawn, `YYYY-MM`. */
  from: string;
  to: string;
  today: string;
  rows: GanttRow[];
  plenaries: GanttMarker[];
}

export interface GanttOptions {
  actionNumber?: number;
  from?: string;
  to?: string;
  steps: boolean;
  today: string;
}

// Wider than this and a month is too narrow to read at the posted size.
export const MAX_MONTHS = 60;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function stateOf(status: string, timing: Timing): BarState {
  if (status === 'cancelled') return 'cancelled';
  if (status === 'done') return 'done';
  return timing === 'current' ? 'ongoing' : timing === 'closed' ? 'done' : timing === 'undated' ? 'undated' : timing;
}

/** A month as written ("2025-01", "January 2025", "Q2 2026"): the month it starts in. */
export function checkMonth(value: string, name: string, today: string): string {
  if (MONTH.test(value)) return value;
  const start = (() => {
    try {
      return parseUserDate(value, today).start;
    } catch {
      return null;
    }
  })();
  if (!start) throw new UserError(`--${name} must be a month like 2025-01 or "January 2025", not "${value}".`);
  return start.slice(0, 7);
}

export async function ganttModel(db: Db, partnership: Partnership, options: GanttOptions): Promise<GanttModel> {
  const { today } = options;
  const actions = await db.action.findMany({
    where: { partnershipId: partnership.id, ...(options.actionNumber ? { number: options.actionNumber } : {}) },
    include: { activities: true },
    orderBy: { number: 'asc' },
  });
  if (options.actionNumber && actions.length === 0) throw new UserError(`There is no Action A${options.actionNumber}.`, 'Type "actions" to list them.');
  const plenaries = await db.meeting.findMany({
    where: { partnershipId: partnership.id, kind: 'plenary', whenStart: { not: null }, whenEnd: { not: null } },
    orderBy: [{ whenStart: 'asc' }, { seq: 'asc' }],
  });

  const rows: GanttRow[] = [];
  for (const a of actions) {
    const items = inPlanOrder(a.activities).filter((x) => options.steps || !x.parentId);
    const deadline = deadlineOf(a);
    rows.push({
      kind: 'action',
      code: `A${a.number}`,
      title: `${a.shortTitle}: ${a.title}`,
      firstDay: minOf(a.activities.map((x) => whenOf(x).start)),
      lastDay: maxOf(a.activities.map((x) => whenOf(x).end)),
      tentative: false,
      state: 'upcoming',
      deadline: deadline.end,
    });
    for (const x of items) {
      const when = whenOf(x);
      const span = spanWithSteps(x, a.activities);
      rows.push({
        kind: x.parentId ? 'step' : 'activity',
        code: x.code,
        title: x.title,
        firstDay: span.start,
        lastDay: span.end,
        tentative: when.tentative,
        state: stateOf(x.status, effectiveTiming(x, a.activities, today)),
        ...(span.runsOn ? { note: runsOnNote(span.runsOn) } : {}),
      });
    }
  }
  const markers = plenaries.map((m) => ({ code: m.code, title: m.title, ...dayRange(whenOf(m)), tentative: m.whenTentative }));

  const firstDays = [...rows.map((r) => r.firstDay), ...markers.map((m) => m.firstDay)];
  const lastDays = [...rows.flatMap((r) => [r.lastDay, r.deadline ?? null]), ...markers.map((m) => m.lastDay)];
  let from = options.from ? checkMonth(options.from, 'from', today) : (minOf(firstDays) ?? today).slice(0, 7);
  let to = options.to ? checkMonth(options.to, 'to', today) : (maxOf(lastDays) ?? today).slice(0, 7);
  if (to < from) throw new UserError(`--to ${to} is before --from ${from}.`);
  const months = monthsBetween(from, to);
  if (months > MAX_MONTHS && options.from && options.to) {
    throw new UserError(`That is ${months} months; a chart shows at most ${MAX_MONTHS}.`, 'Narrow it with --from and --to, e.g. --from 2025-01 --to 2026-12.');
  }
  // A range the asker did not give must not fail because one item lies decades away: the chart
  // shows the years around the Actions' deadlines, and the svg marks bars that lie beyond them.
  if (months > MAX_MONTHS) {
    if (options.from) to = addMonths(from, MAX_MONTHS - 1);
    else if (options.to) from = addMonths(to, 1 - MAX_MONTHS);
    else {
      const earliest = addMonths((maxOf(rows.map((r) => r.deadline ?? null)) ?? today).slice(0, 7), 1 - MAX_MONTHS);
      from = minOf(firstDays.map((d) => (d && d.slice(0, 7) >= earliest ? d : null)))?.slice(0, 7) ?? earliest;
      const latest = addMonths(from, MAX_MONTHS - 1);
      to = maxOf(lastDays.map((d) => (d && d.slice(0, 7) >= from && d.slice(0, 7) <= latest ? d : null)))?.slice(0, 7) ?? latest;
    }
  }

  const scope = options.actionNumber ? `A${options.actionNumber}` : 'all Actions';
  return {
    title: `${partnership.name} — timeline`,
    subtitle: `${scope}${options.steps ? ' with steps' : ''} · as of ${DateTime.fromISO(today).toFormat('d LLLL yyyy')}`,
    from,
    to,
    today,
    rows,
    plenaries: markers,
  };
}

function dayRange(w: { start: string | null; end: string | null }): { firstDay: string; lastDay: string } {
  return { firstDay: w.start!, lastDay: w.end! };
}

const minOf = (days: (string | null)[]) => days.filter((d): d is string => !!d).sort()[0] ?? null;
const maxOf = (days: (string | null)[]) => days.filter((d): d is string => !!d).sort().at(-1) ?? null;

/** `YYYY-MM` plus `n` months (n may be negative). */
const addMonths = (month: string, n: number) => DateTime.fromISO(`${month}-01`, { zone: 'utc' }).plus({ months: n }).toFormat('yyyy-MM');

/** Months drawn from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm) + 1;
}
