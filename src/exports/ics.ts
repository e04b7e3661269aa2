// RFC 5545 text: the one format Outlook, Google Calendar and Apple Calendar all subscribe to. Kept
// free of database types so it can be checked against a real parser on hand-made events.
import { addDays } from '../domain/fuzzy-date.ts';

export interface CalendarEvent {
  /** Stable across exports, so a re-fetched feed updates an event instead of duplicating it. */
  uid: string;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  /** First day (ISO), for an all-day event. */
  firstDay: string;
  /** Last day covered, inclusive (ISO); DTEND is the day after. */
  lastDay: string;
  /** An exact start fixed by the secretariat; replaces the all-day window. */
  startsAt?: Date;
  tentative: boolean;
  cancelled: boolean;
  /** Grows with every change, so clients replace their copy. */
  sequence: number;
  categories: string[];
}

export interface CalendarInput {
  name: string;
  /** Stamped on every event: when this copy was produced (the injected clock). */
  stamp: Date;
  events: CalendarEvent[];
}

const ENCODER = new TextEncoder();

/** TEXT values (RFC 5545 §3.3.11): backslash first, so escapes are not escaped twice. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line at 75 octets without splitting a UTF-8 sequence (§3.1). */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = ENCODER.encode(char).length;
    // Continuation lines start with a space, which counts towards their 75 octets.
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const basicDate = (isoDay: string) => isoDay.replace(/-/g, '');
const basicUtc = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

function eventLines(e: CalendarEvent, stamp: Date): string[] {
  const lines = ['BEGIN:VEVENT', `UID:${e.uid}`, `DTSTAMP:${basicUtc(stamp)}`];
  if (e.startsAt) lines.push(`DTSTART:${basicUtc(e.startsAt)}`);
  else lines.push(`DTSTART;VALUE=DATE:${basicDate(e.firstDay)}`, `DTEND;VALUE=DATE:${basicDate(addDays(e.lastDay, 1))}`);
  lines.push(`SEQUENCE:${e.sequence}`, `SUMMARY:${escapeText(e.summary)}`);
  if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
  if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
  // URL is not a TEXT value and cannot be escaped: a link that is not a plain web address is left out.
  if (e.url && /^https?:\/\/[^\s"<>\\]+$/.test(e.url)) lines.push(`URL:${e.url}`);
  if (e.categories.length) lines.push(`CATEGORIES:${e.categories.map(escapeText).join(',')}`);
  lines.push(`STATUS:${e.cancelled ? 'CANCELLED' : e.tentative ? 'TENTATIVE' : 'CONFIRMED'}`);
  // Windows such as "October 2025" must not block anyone's free/busy time.
  lines.push('TRANSP:TRANSPARENT', 'END:VEVENT');
  return lines;
}

export function buildCalendar(input: CalendarInput): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//partnerbot//calendar export//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(input.name)}`,
    // Subscribed clients poll at their own pace; these ask for twice a day where honoured.
    'REFRESH-INTERVAL;VALUE=DURATION:PT12H',
    'X-PUBLISHED-TTL:PT12H',
    ...input.events.flatMap((e) => eventLines(e, input.stamp)),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
