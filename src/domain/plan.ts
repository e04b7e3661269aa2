// Reading the plan: Actions, their activities and outputs, and where each item stands today.
import type { Action, Activity, Meeting, Output, OutputStatus, ItemStatus } from '@prisma/client';
import { DateTime } from 'luxon';
import type { CommandContext } from '../core/context.ts';
import { UserError } from '../core/errors.ts';
import { dateToIsoDay, describeFuzzyDate, timingOf, type FuzzyDate, type Timing, type WhenKind } from './fuzzy-date.ts';
import { parseActionRef, parseRef } from './ids.ts';
import { callStored, revive } from '../persistence/stored-reads.ts';

export type WhenRow = { whenKind: WhenKind; whenStart: Date | null; whenEnd: Date | null; whenTentative: boolean };

const day = (d: Date | null) => (d ? dateToIsoDay(d) : null);

export function whenOf(row: WhenRow): FuzzyDate {
  return { kind: row.whenKind, start: day(row.whenStart), end: day(row.whenEnd), tentative: row.whenTentative };
}

export function deadlineOf(a: Pick<Action, 'deadlineKind' | 'deadlineStart' | 'deadlineEnd' | 'deadlineTentative'>): FuzzyDate {
  return { kind: a.deadlineKind, start: day(a.deadlineStart), end: day(a.deadlineEnd), tentative: a.deadlineTentative };
}

export const CLOSED_ITEM: ItemStatus[] = ['done', 'cancelled'];
export const CLOSED_OUTPUT: OutputStatus[] = ['validated', 'disseminated', 'cancelled'];

export function outputTiming(o: Output, today: string): Timing {
  return timingOf(whenOf(o), today, CLOSED_OUTPUT.includes(o.status));
}

export const STATUS_LABEL: Record<string, string> = {
  planned: 'planned',
  in_progress: 'in progress',
  done: 'done',
  delayed: 'delayed',
  cancelled: 'cancelled',
  drafting: 'drafting',
  in_review: 'in review',
  validated: 'validated',
  disseminated: 'disseminated',
};

const TIMING_LABEL: Record<Timing, string> = {
  overdue: 'OVERDUE',
  current: 'ongoing',
  upcoming: 'upcoming',
  undated: 'needs a date',
  closed: '',
};

/** Governance levels as the work plan writes them: "EU, national, regional". */
export const governanceText = (levels: string[]) => levels.map((l) => (l === 'eu' ? 'EU' : l)).join(', ');

/** "A1.2 Second Virtual Exchange — Oct–Dec 2025 · planned · ongoing" */
export function itemLine(code: string, title: string, when: FuzzyDate, status: string, timing: Timing): string {
  const parts = [describeFuzzyDate(when), STATUS_LABEL[status] ?? status, TIMING_LABEL[timing]].filter(Boolean);
  return `${code} ${title} — ${parts.join(' · ')}`;
}

export async function requireAction(ctx: CommandContext, ref: string) {
  const number = parseActionRef(ref);
  const action = await ctx.db.action.findUnique({
    where: { partnershipId_number: { partnershipId: ctx.partnership.id, number } },
    include: { roles: { include: { organisation: true, person: true }, orderBy: { id: 'asc' } } },
  });
  if (!action) {
    const count = await ctx.db.action.count({ where: { partnershipId: ctx.partnership.id } });
    throw new UserError(`There is no Action A${number}.`, count ? `Actions are A1 to A${count}; type "actions" to list them.` : 'No Actions are set up yet.');
  }
  return action;
}

/** The co-leader roles of an Action with just what their names need (a Prisma `include`). */
export const CO_LEADER_ROLES = {
  where: { role: 'co_leader' },
  // Ids grow with creation: the order the work plan names the co-leaders in.
  orderBy: { id: 'asc' },
  select: { role: true, organisation: { select: { name: true, shortName: true } }, person: { select: { name: true } } },
} as const;

type CoLeaderRole = { role: string; organisation: { name: string; shortName: string | null } | null; person: { name: string } | null };

export type ActionSummary = Pick<Action, 'number' | 'shortTitle' | 'title' | 'deadlineKind' | 'deadlineStart' | 'deadlineEnd' | 'deadlineTentative'> & { roles: CoLeaderRole[] };

/** Every Action of the partnership, by number, with its deadline and its co-leaders (as CO_LEADER_ROLES). */
export async function actionList(ctx: Pick<CommandContext, 'db' | 'partnership'>): Promise<ActionSummary[]> {
  const rows = await callStored<Record<string, unknown>[]>(ctx.db, 'partnerbot_action_list($1::text)', [ctx.partnership.id]);
  return rows.map((row) => revive<ActionSummary>('Action', row));
}

export function coLeaderNames(action: { roles: CoLeaderRole[] }): string[] {
  return action.roles
    .filter((r) => r.role === 'co_leader')
    .map((r) => r.organisation?.shortName ?? r.organisation?.name ?? r.person?.name ?? '?');
}

export type FoundItem =
  | { type: 'activity'; action: Action; item: Activity }
  | { type: 'output'; action: Action; item: Output }
  | { type: 'meeting'; item: Meeting }
  | { type: 'action'; action: Action };

export async function findItem(ctx: CommandContext, ref: string): Promise<FoundItem> {
  const parsed = parseRef(ref);
  if (parsed.type === 'meeting') {
    const item = await ctx.db.meeting.findUnique({ where: { partnershipId_code: { partnershipId: ctx.partnership.id, code: parsed.code } } });
    if (!item) throw new UserError(`There is no meeting ${parsed.code}.`, 'Type "plenary list" to see the plenaries.');
    return { type: 'meeting', item };
  }
  const action = await requireAction(ctx, `A${parsed.action}`);
  if (parsed.type === 'action') return { type: 'action', action };
  if (parsed.type === 'activity') {
    const item = await ctx.db.activity.findUnique({ where: { actionId_code: { actionId: action.id, code: parsed.code } } });
    if (!item) throw new UserError(`A${parsed.action} has no activity ${parsed.code}.`, `Type "timeline A${parsed.action}" to see its activities.`);
    return { type: 'activity', action, item };
  }
  const item = await ctx.db.output.findUnique({ where: { actionId_code: { actionId: action.id, code: parsed.code } } });
  if (!item) throw new UserError(`A${parsed.action} has no output ${parsed.code}.`, `Type "action A${parsed.action}" to see its outputs.`);
  return { type: 'output', action, item };
}

/** Activities of an Action in plan order: each activity followed by its steps. */
export function inPlanOrder(activities: Activity[]): Activity[] {
  const top = activities.filter((a) => !a.parentId).sort((a, b) => a.seq - b.seq);
  return top.flatMap((a) => [a, ...activities.filter((s) => s.parentId === a.id).sort((x, y) => x.seq - y.seq)]);
}

/** When a meeting is: its start time in the partnership's zone once fixed, else the plan's date. */
export function describeMeetingTime(m: Pick<Meeting, 'startsAt'> & WhenRow, timeZone: string): string {
  if (!m.startsAt) return describeFuzzyDate(whenOf(m));
  return `${DateTime.fromJSDate(m.startsAt, { zone: timeZone }).toFormat("d LLL yyyy 'at' HH:mm")}${m.whenTentative ? ' (tbc)' : ''}`;
}

/** The plenary that is next at `today`: the first not cancelled whose window has not ended. */
/** The next plenary not cancelled whose window has not ended (stored read partnerbot_next_plenary). */
export async function nextPlenary(ctx: Pick<CommandContext, 'db' | 'partnership' | 'today'>): Promise<Meeting | null> {
  return revive<Meeting>('Meeting', await callStored<Record<string, unknown> | null>(ctx.db, 'partnerbot_next_plenary($1::text, $2::date)', [ctx.partnership.id, ctx.today()]));
}
