// Who is on leave when, and who stands in for them. Days are calendar days where the person is (their
// own time zone, else the partnership's), both ends included: leave "2025-12-20..2026-01-06" of
// someone in Auckland starts when the 20th starts in Auckland.
import { localDay } from '../core/clock.ts';
import type { CommandContext } from '../core/context.ts';
import type { Db } from '../persistence/database.ts';
import { callStored } from '../persistence/stored-reads.ts';
import { describeFuzzyDate } from './fuzzy-date.ts';

export interface Absence {
  id: string;
  personId: string;
  personName: string;
  organisationId: string | null;
  /** The person's own time zone, which their leave days are in; null: the partnership's. */
  timeZone: string | null;
  firstDay: string;
  lastDay: string;
  delegate: { id: string; name: string } | null;
}

/** Absences of current members that touch the days `from`..`to`, earliest first (stored read partnerbot_absences). */
export function absencesBetween(db: Db, partnershipId: string, from: string, to: string): Promise<Absence[]> {
  return callStored<Absence[]>(db, 'partnerbot_absences($1::text, $2::date, $3::date)', [partnershipId, from, to]);
}

export const covers = (a: Pick<Absence, 'firstDay' | 'lastDay'>, day: string) => a.firstDay <= day && day <= a.lastDay;

/** The calendar day it is at `at` for the person on leave, where they are. */
export const personalDay = (a: Pick<Absence, 'timeZone'>, at: Date, partnershipZone: string) => localDay(at, a.timeZone ?? partnershipZone);

const dayText = (isoDay: string) => describeFuzzyDate({ kind: 'day', start: isoDay, end: isoDay, tentative: false });

/** Where "now" is read for leave: the clock, and the partnership's zone for people without one of their own. */
export type LeaveClock = Pick<CommandContext, 'clock' | 'partnership'>;

/**
 * "away until 6 Jan 2026 (delegate: Jan Novak)", or "away 20 Dec 2025 – 6 Jan 2026" for one ahead:
 * worded on the day it is now where the person on leave is.
 */
export function awayText(a: Absence, at: LeaveClock, withDelegate = true): string {
  const today = personalDay(a, at.clock.now(), at.partnership.timeZone);
  const span = a.firstDay <= today ? `away until ${dayText(a.lastDay)}` : `away ${dayText(a.firstDay)} – ${dayText(a.lastDay)}`;
  return `${span}${withDelegate && a.delegate ? ` (delegate: ${a.delegate.name})` : ''}`;
}

