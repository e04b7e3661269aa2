// The time of day and length of a meeting as a secretariat types them ("10:00", "2h", "90m").
import { DateTime } from 'luxon';
import { UserError } from '../core/errors.ts';

/** How long a meeting at a set time lasts when nobody said: two hours. */
export const DEFAULT_MEETING_MINUTES = 120;
export const MIN_MINUTES = 15;
export const MAX_MINUTES = 12 * 60;

export function parseTimeOfDay(input: string): { hour: number; minute: number } {
  const m = /^([01]?\d|2[0-3])[:.h]([0-5]\d)$/.exec(input.trim());
  if (!m) throw new UserError(`"${input}" is not a time of day.`, 'Use 24-hour time, e.g. 10:00 or 14:30.');
  return { hour: +m[1]!, minute: +m[2]! };
}

/** "2h", "90m", "1h30", "1.5h", "2 hours", "45 min" → minutes. */
export function parseDuration(input: string): number {
  const text = input.trim().toLowerCase();
  let minutes: number | null = null;
  let m: RegExpExecArray | null;
  if ((m = /^(\d+(?:\.\d+)?)\s*(?:h|hours?)$/.exec(text))) minutes = Math.round(+m[1]! * 60);
  else if ((m = /^(\d+)\s*h\s*(\d{1,2})\s*(?:m|min)?$/.exec(text))) minutes = +m[1]! * 60 + +m[2]!;
  else if ((m = /^(\d+)\s*(?:m|min|mins|minutes?)$/.exec(text))) minutes = +m[1]!;
  if (minutes === null) throw new UserError(`"${input}" is not a duration.`, 'Use e.g. 2h, 90m or 1h30.');
  if (minutes < MIN_MINUTES || minutes > MAX_MINUTES) {
    throw new UserError(`A meeting at a set time lasts ${MIN_MINUTES} minutes to ${MAX_MINUTES / 60} hours, not ${input}.`, 'A plenary over several days takes a date range: --date 2026-03-10..2026-03-11');
  }
  return minutes;
}

export function describeDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h && m ? `${h} h ${m} min` : h ? `${h} h` : `${m} min`;
}

/** The instant `hour:minute` on `isoDay` in `zone`. */
export function instantOn(isoDay: string, time: { hour: number; minute: number }, zone: string): Date {
  return DateTime.fromISO(isoDay, { zone }).set({ hour: time.hour, minute: time.minute, second: 0, millisecond: 0 }).toJSDate();
}

/** The local time of day of an instant in `zone`. */
export function timeOfDay(at: Date, zone: string): { hour: number; minute: number } {
  const d = DateTime.fromJSDate(at, { zone });
  return { hour: d.hour, minute: d.minute };
}
