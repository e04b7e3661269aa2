// Dates as people write them: "March 2026", "15/03/2026", "15 March 2026", "end of June", read by
// chrono-node's British English parser (day first, as in Europe: "03/04/2026" is 3 April), with the
// work plan's fuzzy forms on top: quarters ("Q2 2026", "2nd quarter 2026"), thirds of a year or a
// month ("early 2026", "mid-May 2026") and ranges ("March-May 2026", "Oct 2025 to Feb 2026").
// Only the English locale: the package's index loads every language (hundreds of modules at start-up).
import { GB } from 'chrono-node/en';
import { DateTime } from 'luxon';
import type { FuzzyDate } from './fuzzy-date.ts';

const iso = (d: DateTime) => d.toISODate()!;
const utc = (year: number, month = 1, day = 1) => DateTime.fromObject({ year, month, day }, { zone: 'utc' });
const fits = (year: number) => year >= 1900 && year <= 2200;

/** The first and last day of a whole year, month or day as chrono read it; null if it read more or less. */
function chronoSpan(text: string, today: string): { start: DateTime; end: DateTime; kind: 'day' | 'month' } | null {
  const instant = DateTime.fromISO(`${today}T12:00:00`, { zone: 'utc' }).toJSDate();
  const [result, ...more] = GB.parse(text, { instant, timezone: 'UTC' }, { forwardDate: true });
  // A phrase chrono only partly read ("mid-May 2026" read as "May 2026") must not pass for a date.
  if (!result || more.length || result.index !== 0 || result.text.length !== text.length || result.end) return null;
  const c = result.start;
  const year = c.get('year')!;
  const month = c.get('month')!;
  if (!fits(year)) return null;
  if (c.isCertain('day') || c.isCertain('weekday')) {
    const day = utc(year, month, c.get('day')!);
    return { start: day, end: day, kind: 'day' };
  }
  if (c.isCertain('month')) {
    const first = utc(year, month);
    return { start: first, end: first.endOf('month'), kind: 'month' };
  }
  return null;
}

const ORDINAL_QUARTER: Record<string, number> = { first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4, last: 4 };

/** "Q2 2026", "2026 Q2", "2nd quarter 2026", "second quarter of 2026". */
function quarter(text: string): FuzzyDate | null {
  const m = /^(?:q([1-4])\s*(\d{4})|(\d{4})\s*q([1-4])|(first|second|third|fourth|last|1st|2nd|3rd|4th)\s+quarter\s+(?:of\s+)?(\d{4}))$/.exec(text);
  if (!m) return null;
  const q = Number(m[1] ?? m[4] ?? ORDINAL_QUARTER[m[5]!]);
  const year = Number(m[2] ?? m[3] ?? m[6]);
  if (!fits(year)) return null;
  const start = utc(year, (q - 1) * 3 + 1);
  return { kind: 'quarter', start: iso(start), end: iso(start.endOf('quarter')), tentative: false };
}

/** "early 2026" (January-April), "mid 2026" (May-August), "late 2026" (September-December); the same thirds of a month. */
function third(text: string, today: string): FuzzyDate | null {
  const m = /^(early|beginning of|start of|mid|middle of|late|end of)[\s-]+(.+)$/.exec(text);
  if (!m) return null;
  const part = /^(early|beginning|start)/.test(m[1]!) ? 0 : /^mid/.test(m[1]!) ? 1 : 2;
  if (/^\d{4}$/.test(m[2]!)) {
    const year = Number(m[2]);
    if (!fits(year)) return null;
    // "end of 2026" is its last month, as "end of June" is its last day.
    if (m[1] === 'end of') return { kind: 'month', start: `${year}-12-01`, end: `${year}-12-31`, tentative: false };
    const start = utc(year, part * 4 + 1);
    return { kind: 'range', start: iso(start), end: iso(start.plus({ months: 3 }).endOf('month')), tentative: false };
  }
  const month = chronoSpan(m[2]!, today);
  if (!month || month.kind !== 'month') return null;
  if (m[1] === 'end of') return { kind: 'day', start: iso(month.end), end: iso(month.end), tentative: false };
  const start = month.start.plus({ days: part * 10 });
  const end = part === 2 ? month.end : start.plus({ days: 9 });
  return { kind: 'range', start: iso(start), end: iso(end), tentative: false };
}

/** "March-May 2026", "March to May 2026", "Oct 2025 - Feb 2026", "15/03/2026 to 20/03/2026", "2026 - 2027". */
function range(text: string, today: string): FuzzyDate | null {
  const years = /^(\d{4})\s*(?:[-–—]|to)\s*(\d{4})$/.exec(text);
  if (years) {
    const [from, to] = [Number(years[1]), Number(years[2])];
    if (!fits(from) || !fits(to) || to < from) return null;
    return { kind: 'range', start: `${from}-01-01`, end: `${to}-12-31`, tentative: false };
  }
  const m = /^(.+?)\s*(?:\s(?:to|until|till)\s|[-–—]|\.\.)\s*(.+)$/.exec(text);
  if (!m) return null;
  const to = chronoSpan(m[2]!, today);
  if (!to) return null;
  // "March-May 2026": the first end takes the year of the second.
  const from = chronoSpan(/\d{4}/.test(m[1]!) ? m[1]! : `${m[1]} ${to.start.year}`, today) ?? chronoSpan(m[1]!, today);
  if (!from || to.end < from.start) return null;
  return { kind: 'range', start: iso(from.start), end: iso(to.end), tentative: false };
}

/**
 * Reads what a person wrote for a date (lower case, without "tbc"), `today` being the partnership's
 * ISO day for phrases without a year; null when it is not a date.
 */
export function readDatePhrase(text: string, today: string): FuzzyDate | null {
  const phrase = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (!phrase) return null;
  const fuzzy = quarter(phrase) ?? third(phrase, today);
  if (fuzzy) return fuzzy;
  // Dates are set forward: chrono, told to read forward, takes "last friday" for the coming one.
  if (/\b(last|previous|past|ago|yesterday)\b/.test(phrase)) return null;
  const span = chronoSpan(phrase, today);
  if (span) return { kind: span.kind, start: iso(span.start), end: iso(span.end), tentative: false };
  return range(phrase, today);
}
