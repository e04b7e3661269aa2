// Which plan items become calendar events, and how. Shared by the `calendar` command and the
// subscribable feed, so a downloaded file and a subscription never disagree.
import type { Meeting, Partnership } from '@prisma/client';
import type { Invitation } from '../core/reply.ts';
import type { Db } from '../persistence/database.ts';
import { describeFuzzyDate, type FuzzyDate } from '../domain/fuzzy-date.ts';
import { CLOSED_OUTPUT, STATUS_LABEL, whenOf } from '../domain/plan.ts';
import { DEFAULT_MEETING_MINUTES } from '../domain/meeting-time.ts';
import type { CalendarEvent } from './ics.ts';

export interface CalendarScope {
  /** Only these Actions' milestones, outputs and meetings; plenaries always. Undefined: everything. */
  actionNumbers?: number[];
  /** Shown as the calendar's name, e.g. "A1" or "my Actions". */
  label?: string;
}


/** The longest window shown as one event: a quarter (92 days at most). */
const MAX_WINDOW_DAYS = 92;
const DAY_MS = 86_400_000;
const daysIn = (span: { firstDay: string; lastDay: string }) => (Date.parse(span.lastDay) - Date.parse(span.firstDay)) / DAY_MS + 1;

const MEETING_LABEL: Record<string, string> = {
  plenary: 'Plenary',
  action_group: 'Action group meeting',
  virtual_exchange: 'Virtual exchange',
  webinar: 'Webinar',
  study_visit: 'Study visit',
  urban_academy: 'Urban Academy',
  other: 'Meeting',
};

/**
 * A year ("2026, timing TBD") or an unknown date would paint a whole year or nothing: such items are
 * left to the timeline. Longer windows are split by `windowEvents`.
 */
function placeable(when: FuzzyDate): { firstDay: string; lastDay: string } | null {
  if (!when.start || !when.end || when.kind === 'year' || when.kind === 'unknown') return null;
  return { firstDay: when.start, lastDay: when.end };
}

const lines = (...parts: (string | null | undefined)[]) => parts.filter(Boolean).join('\n');

/**
 * A window of a quarter or less is one all-day event. A longer one (A3.3 runs for two years) would
 * cover every day of the calendar, so it becomes its two milestones: the day it starts and the day
 * it ends, each with its own UID.
 */
function windowEvents(event: CalendarEvent): CalendarEvent[] {
  if (daysIn(event) <= MAX_WINDOW_DAYS) return [event];
  const [uid, host] = event.uid.split('@') as [string, string];
  return [
    { ...event, uid: `${uid}.start@${host}`, summary: `${event.summary} — starts`, lastDay: event.firstDay },
    { ...event, uid: `${uid}.end@${host}`, summary: `${event.summary} — ends`, firstDay: event.lastDay },
  ];
}

/** A meeting as one event (before a long window is split), or null when it has no placeable date. */
export function meetingEvent(m: Meeting & { action: { number: number } | null }, partnership: Partnership): CalendarEvent | null {
  const host = `${partnership.slug}.partnerbot`;
  const when = whenOf(m);
  const span = placeable(when);
  if (!span && !m.startsAt) return null;
  const kind = MEETING_LABEL[m.kind] ?? 'Meeting';
  return {
    uid: `${m.code}@${host}`,
    summary: `${m.code} ${m.title}${m.format ? ` (${m.format.replace('_', ' ')})` : ''}`,
    description: lines(
      `${kind} of the ${partnership.name}${m.action ? `, Action A${m.action.number}` : ''}.`,
      `When: ${describeFuzzyDate(when)}${m.startsAt || when.kind === 'day' ? '' : ' — the exact day is not fixed yet'}.`,
      m.cancelledAt ? `Cancelled${m.cancelReason ? `: ${m.cancelReason}` : ''}.` : null,
      m.notes,
    ),
    ...(m.location ? { location: m.location } : m.format === 'online' ? { location: 'Online' } : {}),
    ...(m.link ? { url: m.link } : {}),
    firstDay: span?.firstDay ?? m.startsAt!.toISOString().slice(0, 10),
    lastDay: span?.lastDay ?? m.startsAt!.toISOString().slice(0, 10),
    ...(m.startsAt
      ? { time: { start: m.startsAt, end: new Date(m.startsAt.getTime() + (m.durationMinutes ?? DEFAULT_MEETING_MINUTES) * 60_000), zone: partnership.timeZone } }
      : {}),
    tentative: when.tentative,
    cancelled: m.cancelledAt !== null,
    sequence: m.revision,
    categories: [kind],
  };
}

/** A meeting as an e-mailed invitation (or its cancellation), with the feed's UID and SEQUENCE. */
export function meetingInvitation(m: Meeting & { action: { number: number } | null }, partnership: Partnership, method: Invitation['method']): Invitation | null {
  const event = meetingEvent(m, partnership);
  if (!event) return null;
  const { uid, sequence, summary, description, location, url, firstDay, lastDay, time, tentative } = event;
  return {
    method,
    uid,
    sequence,
    summary,
    ...(description ? { description } : {}),
    ...(location ? { location } : {}),
    ...(url ? { url } : {}),
    firstDay,
    lastDay,
    ...(time ? { time: { start: time.start.toISOString(), end: time.end.toISOString(), zone: time.zone } } : {}),
    tentative,
  };
}

export async function calendarEvents(db: Db, partnership: Partnership, scope: CalendarScope): Promise<CalendarEvent[]> {
  const host = `${partnership.slug}.partnerbot`;
  const actionFilter = scope.actionNumbers ? { number: { in: scope.actionNumbers } } : {};
  const [actions, meetings] = await Promise.all([
    db.action.findMany({
      where: { partnershipId: partnership.id, ...actionFilter },
      include: { activities: true, outputs: true },
      orderBy: { number: 'asc' },
    }),
    db.meeting.findMany({
      where: {
        partnershipId: partnership.id,
        ...(scope.actionNumbers
          ? { OR: [{ kind: 'plenary' }, { actionId: null }, { action: { number: { in: scope.actionNumbers } } }] }
          : {}),
      },
      include: { action: { select: { number: true } } },
      orderBy: [{ whenStart: 'asc' }, { seq: 'asc' }],
    }),
  ]);
  const events: CalendarEvent[] = [];

  for (const m of meetings) {
    const event = meetingEvent(m, partnership);
    if (event) events.push(...(event.time ? [event] : windowEvents(event)));
  }

  for (const a of actions) {
    const action = `A${a.number} ${a.shortTitle}`;
    for (const x of a.activities) {
      const when = whenOf(x);
      const span = placeable(when);
      if (!span) continue;
      events.push(...windowEvents({
        uid: `${x.code}@${host}`,
        summary: `${x.status === 'done' ? '✓ ' : ''}${x.code} ${x.title}`,
        description: lines(`${action} · ${x.parentId ? 'step' : 'activity'} · ${STATUS_LABEL[x.status] ?? x.status}`, `When: ${describeFuzzyDate(when)}`, x.description, x.notes),
        ...span,
        tentative: when.tentative,
        cancelled: x.status === 'cancelled',
        sequence: x.revision,
        categories: [action, 'Milestone'],
      }));
    }
    for (const o of a.outputs) {
      const when = whenOf(o);
      const span = placeable(when);
      if (!span) continue;
      events.push(...windowEvents({
        uid: `${o.code}@${host}`,
        summary: `${CLOSED_OUTPUT.includes(o.status) && o.status !== 'cancelled' ? '✓ ' : ''}${o.code} Output: ${o.title}`,
        description: lines(`${action} · output (${o.kind.replace('_', ' ')}) · ${STATUS_LABEL[o.status] ?? o.status}`, `When: ${describeFuzzyDate(when)}`, o.link, o.notes),
        ...(o.link ? { url: o.link } : {}),
        ...span,
        tentative: when.tentative,
        cancelled: o.status === 'cancelled',
        sequence: o.revision,
        categories: [action, 'Output'],
      }));
    }
  }
  return events;
}

export function calendarName(partnership: Partnership, scope: CalendarScope): string {
  return scope.label ? `${partnership.name} — ${scope.label}` : partnership.name;
}
