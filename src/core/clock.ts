// Time is injected: the scheduler, "due" and "overdue" are computed at whatever instant a test, a demo
// (`--now`) or the real world says it is.
import { DateTime } from 'luxon';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()) };
}

/** A clock that can be moved, for tests and simulations. */
export class ManualClock implements Clock {
  constructor(private at: Date) {}
  now(): Date {
    return new Date(this.at.getTime());
  }
  set(at: Date): void {
    this.at = at;
  }
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

/** Parses `--now`: an ISO date (midday in `zone`, so a calendar day never slips) or an ISO date-time. */
export function parseInstant(text: string, zone: string): Date {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const d = dateOnly
    ? DateTime.fromISO(`${text}T12:00:00`, { zone })
    : DateTime.fromISO(text, { zone, setZone: false });
  if (!d.isValid) throw new Error(`"${text}" is not an ISO date or date-time (e.g. 2025-11-20 or 2025-11-24T09:00:00+01:00)`);
  return d.toJSDate();
}

/** The calendar day it is at `at` in `zone`, as ISO `YYYY-MM-DD`. */
export function localDay(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toISODate()!;
}
