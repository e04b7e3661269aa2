// Work-plan dates are rarely exact: "October-December 2025", "2026, precise timing TBD", "tbc".
// A FuzzyDate keeps the precision it was given and the first and last calendar day it covers, so
// "due" and "overdue" can be computed without inventing a day nobody agreed on.
import { DateTime } from 'luxon';
import { readDatePhrase } from './date-phrases.ts';

export type WhenKind = 'day' | 'month' | 'range' | 'quarter' | 'year' | 'unknown';

export interface FuzzyDate {
  kind: WhenKind;
  /** First day covered, ISO `YYYY-MM-DD`; null when unknown. */
  start: string | null;
  /** Last day covered (inclusive), ISO `YYYY-MM-DD`; null when unknown. */
  end: string | null;
  tentative: boolean;
}

export class FuzzyDateError extends Error {}

export const FUZZY_DATE_FORMS =
  '2025-12-15, 2025-12, 2025-10..2025-12, 2026-Q3, 2026 or tbd (each may end in "tbc"), ' +
  'or as written: March 2026, 15/03/2026 (day first), Q2 2026, mid-May 2026, end of June, next friday, in 2 weeks';

const TENTATIVE_SUFFIX = /\s*(?:\(?\s*(?:tbc|tbd|to be confirmed|\?)\s*\)?)\s*$/i;
const UNKNOWN = /^(?:tbd|tba|tbc|unknown|unscheduled|-)$/i;
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

function iso(d: DateTime): string {
  return d.toISODate()!;
}

function parseDay(text: string): DateTime | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const d = DateTime.fromObject({ year: +m[1]!, month: +m[2]!, day: +m[3]! }, { zone: 'utc' });
  return d.isValid ? d : null;
}

function parseMonth(text: string): DateTime | null {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  if (!m) return null;
  const d = DateTime.fromObject({ year: +m[1]!, month: +m[2]! }, { zone: 'utc' });
  return d.isValid ? d : null;
}

/** One endpoint of a range: a day or a month, giving its first and last day. */
function parseEndpoint(text: string): { start: DateTime; end: DateTime } | null {
  const day = parseDay(text);
  if (day) return { start: day, end: day };
  const month = parseMonth(text);
  if (month) return { start: month, end: month.endOf('month') };
  return null;
}

function checkYear(year: number, original: string): void {
  if (year < 1900 || year > 2200) throw new FuzzyDateError(`"${original}" is not a plausible year`);
}

/** Parses the canonical written forms (no relative phrases). */
export function parseFuzzyDate(input: string): FuzzyDate {
  const original = String(input).trim();
  if (!original) throw new FuzzyDateError(`a date is required; use ${FUZZY_DATE_FORMS}`);
  let text = original;
  let tentative = false;
  if (UNKNOWN.test(text)) return { kind: 'unknown', start: null, end: null, tentative: true };
  if (TENTATIVE_SUFFIX.test(text)) {
    tentative = true;
    text = text.replace(TENTATIVE_SUFFIX, '').trim();
  }
  let m: RegExpExecArray | null;
  const day = parseDay(text);
  if (day) {
    checkYear(day.year, original);
    return { kind: 'day', start: iso(day), end: iso(day), tentative };
  }
  const month = parseMonth(text);
  if (month) {
    checkYear(month.year, original);
    return { kind: 'month', start: iso(month), end: iso(month.endOf('month')), tentative };
  }
  if ((m = /^(.+?)\s*\.\.\s*(.+)$/.exec(text))) {
    const from = parseEndpoint(m[1]!);
    const to = parseEndpoint(m[2]!);
    if (!from || !to) throw new FuzzyDateError(`"${original}" is not a range; write it as 2025-10..2025-12`);
    checkYear(from.start.year, original);
    checkYear(to.end.year, original);
    if (to.end < from.start) throw new FuzzyDateError(`"${original}" ends before it starts`);
    return { kind: 'range', start: iso(from.start), end: iso(to.end), tentative };
  }
  if ((m = /^(\d{4})-?Q([1-4])$/i.exec(text))) {
    checkYear(+m[1]!, original);
    const start = DateTime.fromObject({ year: +m[1]!, month: (+m[2]! - 1) * 3 + 1 }, { zone: 'utc' });
    return { kind: 'quarter', start: iso(start), end: iso(start.endOf('quarter')), tentative };
  }
  if ((m = /^(\d{4})$/.exec(text))) {
    checkYear(+m[1]!, original);
    const start = DateTime.fromObject({ year: +m[1]! }, { zone: 'utc' });
    return { kind: 'year', start: iso(start), end: iso(start.endOf('year')), tentative };
  }
  throw new FuzzyDateError(`"${original}" is not a date I understand; use ${FUZZY_DATE_FORMS}`);
}

/**
 * Parses what a person types: the canonical forms, or a relative phrase resolved against `today`
 * (an ISO day in the partnership's time zone).
 */
export function parseUserDate(input: string, today: string): FuzzyDate {
  const text = input.trim().toLowerCase();
  const tentative = TENTATIVE_SUFFIX.test(text) && !UNKNOWN.test(text);
  const phrase = tentative ? text.replace(TENTATIVE_SUFFIX, '').trim() : text;
  const base = DateTime.fromISO(today, { zone: 'utc' });
  const dayResult = (d: DateTime): FuzzyDate => ({ kind: 'day', start: iso(d), end: iso(d), tentative });
  if (phrase === 'today') return dayResult(base);
  if (phrase === 'tomorrow') return dayResult(base.plus({ days: 1 }));
  let m: RegExpExecArray | null;
  if ((m = /^in\s+(\d{1,3})\s+(day|week|month)s?$/.exec(phrase))) {
    const unit = `${m[2]}s` as 'days' | 'weeks' | 'months';
    return dayResult(base.plus({ [unit]: +m[1]! }));
  }
  if ((m = /^(next\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/.exec(phrase))) {
    const target = WEEKDAYS.indexOf(m[2]!) + 1;
    let ahead = (target - base.weekday + 7) % 7;
    if (ahead === 0) ahead = 7;
    return dayResult(base.plus({ days: ahead }));
  }
  if (phrase === 'next week') return dayResult(base.plus({ weeks: 1 }).startOf('week'));
  if (phrase === 'next month') {
    const start = base.plus({ months: 1 }).startOf('month');
    return { kind: 'month', start: iso(start), end: iso(start.endOf('month')), tentative };
  }
  try {
    return parseFuzzyDate(input);
  } catch (e) {
    const written = readDatePhrase(phrase, today);
    if (written) return { ...written, tentative };
    throw e;
  }
}

/** The canonical written form; parseFuzzyDate(formatFuzzyDate(x)) equals x. */
export function formatFuzzyDate(d: FuzzyDate): string {
  const suffix = d.tentative ? ' tbc' : '';
  if (d.kind === 'unknown' || !d.start || !d.end) return 'tbd';
  switch (d.kind) {
    case 'day':
      return d.start + suffix;
    case 'month':
      return d.start.slice(0, 7) + suffix;
    case 'quarter':
      // Stryker disable next-line ArithmeticOperator: month + 1 gives the same quarter for every quarter's first month
      return `${d.start.slice(0, 4)}-Q${Math.floor((+d.start.slice(5, 7) - 1) / 3) + 1}${suffix}`;
    case 'year':
      return d.start.slice(0, 4) + suffix;
    case 'range': {
      const wholeMonths = d.start.endsWith('-01') && lastDayOfMonth(d.end) === d.end;
      const a = wholeMonths ? d.start.slice(0, 7) : d.start;
      const b = wholeMonths ? d.end.slice(0, 7) : d.end;
      return `${a}..${b}${suffix}`;
    }
  }
}

// English whatever the machine's locale: every other word the bot writes is English. A table, not a
// date library: `due` and the digest describe hundreds of dates per message.
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const monthName = (isoDay: string) => MONTHS[+isoDay.slice(5, 7) - 1]!;
const shortMonth = (isoDay: string) => monthName(isoDay).slice(0, 3);

/** "5 Mar 2026". */
const dayText = (isoDay: string) => `${+isoDay.slice(8, 10)} ${shortMonth(isoDay)} ${isoDay.slice(0, 4)}`;

/** How a person reads it: "June 2025", "Oct–Dec 2025 (tbc)", "2026 (timing TBD)". */
export function describeFuzzyDate(d: FuzzyDate): string {
  if (d.kind === 'unknown' || !d.start || !d.end) return 'date TBD';
  const tbc = d.tentative ? ' (tbc)' : '';
  const year = d.start.slice(0, 4);
  switch (d.kind) {
    case 'day':
      return dayText(d.start) + tbc;
    case 'month':
      return `${monthName(d.start)} ${year}${tbc}`;
    case 'quarter':
      return `${formatFuzzyDate({ ...d, tentative: false }).slice(5)} ${year}${tbc}`;
    case 'year':
      return d.tentative ? `${year}, timing TBD` : year;
    case 'range': {
      const endYear = d.end.slice(0, 4);
      const formal = formatFuzzyDate({ ...d, tentative: false });
      if (formal.length > 16) {
        return `${dayText(d.start)} – ${dayText(d.end)}${tbc}`;
      }
      return year === endYear
        ? `${shortMonth(d.start)}–${shortMonth(d.end)} ${year}${tbc}`
        : `${shortMonth(d.start)} ${year} – ${shortMonth(d.end)} ${endYear}${tbc}`;
    }
  }
}

export type Timing = 'overdue' | 'current' | 'upcoming' | 'undated' | 'closed';

/**
 * Where an open item stands on `today` (ISO day in the partnership's zone). A window is overdue only
 * after its last day: "October-December 2025" is not late on 2 October.
 */
export function timingOf(d: FuzzyDate, today: string, closed: boolean): Timing {
  if (closed) return 'closed';
  if (!d.start || !d.end) return 'undated';
  if (d.end < today) return 'overdue';
  if (d.start <= today) return 'current';
  return 'upcoming';
}

// Calendar days as UTC midnights: no time zone, no DST, and plain arithmetic (the scheduler does this
// thousands of times a tick, where a date library is measurably slow).
const DAY_MS = 86_400_000;
const utcMidnight = (isoDay: string) => Date.parse(`${isoDay}T00:00:00Z`);

/** A calendar day as the UTC midnight a `@db.Date` column holds, and back. */
export const isoDayToDate = (isoDay: string): Date => new Date(utcMidnight(isoDay));
export const dateToIsoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** Whole days from `today` to the item's last day (negative when past). */
export function daysUntil(isoDay: string, today: string): number {
  return Math.round((utcMidnight(isoDay) - utcMidnight(today)) / DAY_MS);
}

/** The last day of the month `isoDay` falls in. */
function lastDayOfMonth(isoDay: string): string {
  return new Date(Date.UTC(+isoDay.slice(0, 4), +isoDay.slice(5, 7), 0)).toISOString().slice(0, 10);
}

export function addDays(isoDay: string, days: number): string {
  return new Date(utcMidnight(isoDay) + days * DAY_MS).toISOString().slice(0, 10);
}
