// Monday to Friday: the days the scheduler counts its graces in (escalation, check-in answers).
import { addDays, isoDayToDate } from './fuzzy-date.ts';

export function addWorkingDays(isoDay: string, n: number): string {
  let d = isoDay;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    const weekday = isoDayToDate(d).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return d;
}

/** The n-th working day (1 = the first) of a month "YYYY-MM"; a month has at least 20. */
export function nthWorkingDay(month: string, n: number): string {
  return addWorkingDays(addDays(`${month}-01`, -1), n);
}
