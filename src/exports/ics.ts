// RFC 5545 text: the one format Outlook, Google Calendar and Apple Calendar all subscribe to. Kept
// free of database types so it can be checked against real parsers on hand-made events.
//
// Written by hand rather than with a generator: escaping and folding are a few lines, and the one
// piece that needs data, the VTIMEZONE of the partnership's zone, comes from @touch4it/ical-timezones.
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { DateTime } from 'luxon';
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
  /**
   * A meeting at a fixed time: replaces the all-day window and blocks the time as busy. It is written
   * in `zone`'s local time (TZID), so clients follow that zone's daylight-saving rules.
   */
  time?: { start: Date; end: Date; zone: string };
  tentative: boolean;
  cancelled: boolean;
  /** 0 at creation, one more with every change a calendar shows, so clients replace their copy. */
  sequence: number;
  categories: string[];
  /** An invitation's sender and recipients (RFC 5546 iTIP, RFC 6047 iMIP); feeds have neither. */
  organizer?: CalendarAddress;
  attendees?: CalendarAddress[];
}

export interface CalendarAddress {
  name: string;
  email: string;
}

export interface CalendarInput {
  name: string;
  /** An iTIP message (an e-mailed invitation or its cancellation); a feed or a download has none. */
  method?: 'REQUEST' | 'CANCEL';
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

/** CN is a quoted parameter value: it cannot hold a double quote or control characters (§3.2). */
const address = (property: 'ORGANIZER' | 'ATTENDEE', a: CalendarAddress, extra = '') =>
  `${property};CN="${a.name.replace(/["\p{Cc}]/gu, '')}"${extra}:mailto:${a.email}`;

const basicDate = (isoDay: string) => isoDay.replace(/-/g, '');
const basicUtc = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** DATE-TIME in the zone's local time with its TZID, or in UTC when the calendar has no VTIMEZONE for it. */
function dateTime(name: 'DTSTART' | 'DTEND', at: Date, zone: string, zones: Map<string, string[]>): string {
  if (!zones.has(zone)) return `${name}:${basicUtc(at)}`;
  return `${name};TZID=${zone}:${DateTime.fromJSDate(at, { zone }).toFormat("yyyyMMdd'T'HHmmss")}`;
}

function eventLines(e: CalendarEvent, stamp: Date, zones: Map<string, string[]>): string[] {
  const lines = ['BEGIN:VEVENT', `UID:${e.uid}`, `DTSTAMP:${basicUtc(stamp)}`];
  if (e.time) lines.push(dateTime('DTSTART', e.time.start, e.time.zone, zones), dateTime('DTEND', e.time.end, e.time.zone, zones));
  else lines.push(`DTSTART;VALUE=DATE:${basicDate(e.firstDay)}`, `DTEND;VALUE=DATE:${basicDate(addDays(e.lastDay, 1))}`);
  lines.push(`SEQUENCE:${e.sequence}`, `SUMMARY:${escapeText(e.summary)}`);
  if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
  if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
  // URL is not a TEXT value and cannot be escaped: a link that is not a plain web address is left out.
  if (e.url && /^https?:\/\/[^\s"<>\\]+$/.test(e.url)) lines.push(`URL:${e.url}`);
  if (e.categories.length) lines.push(`CATEGORIES:${e.categories.map(escapeText).join(',')}`);
  if (e.organizer) lines.push(address('ORGANIZER', e.organizer));
  for (const a of e.attendees ?? []) lines.push(address('ATTENDEE', a, ';ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE'));
  lines.push(`STATUS:${e.cancelled ? 'CANCELLED' : e.tentative ? 'TENTATIVE' : 'CONFIRMED'}`);
  // A meeting at a set time takes the time; windows such as "October 2025" must not block anyone's
  // free/busy time.
  lines.push(`TRANSP:${e.time ? 'OPAQUE' : 'TRANSPARENT'}`, 'END:VEVENT');
  return lines;
}

/** The zone's VTIMEZONE as content lines, or undefined for a zone the tz database does not name. */
function vtimezone(zone: string): string[] | undefined {
  const component = getVtimezoneComponent(zone);
  return component?.split(/\r?\n/).filter((l) => l.trim() !== '');
}

export function buildCalendar(input: CalendarInput): string {
  const zones = new Map<string, string[]>();
  for (const e of input.events) {
    const component = e.time && !zones.has(e.time.zone) ? vtimezone(e.time.zone) : undefined;
    if (component) zones.set(e.time!.zone, component);
  }
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//partnerbot//calendar export//EN',
    'CALSCALE:GREGORIAN',
    // No METHOD for a feed: METHOD:PUBLISH makes this an iTIP message, which needs an ORGANIZER the
    // partnership does not have; a plain calendar is what subscriptions and imports expect. An
    // e-mailed invitation is one, with the bot's address as organizer.
    ...(input.method ? [`METHOD:${input.method}`] : []),
    `X-WR-CALNAME:${escapeText(input.name)}`,
    // Subscribed clients poll at their own pace; these ask for twice a day where honoured.
    'REFRESH-INTERVAL;VALUE=DURATION:PT12H',
    'X-PUBLISHED-TTL:PT12H',
    ...[...zones.values()].flat(),
    ...input.events.flatMap((e) => eventLines(e, input.stamp, zones)),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
