import { describe, expect, it } from 'vitest';
import {
  addDays,
  dateToIsoDay,
  daysUntil,
  describeFuzzyDate,
  formatFuzzyDate,
  FUZZY_DATE_FORMS,
  FuzzyDateError,
  isoDayToDate,
  parseFuzzyDate,
  parseUserDate,
  timingOf,
} from '../src/domain/fuzzy-date.ts';

describe('parseFuzzyDate', () => {
  it.each([
    ['2025-12-15', 'day', '2025-12-15', '2025-12-15', false],
    ['2025-12', 'month', '2025-12-01', '2025-12-31', false],
    ['2025-10..2025-12', 'range', '2025-10-01', '2025-12-31', false],
    ['2025-10-15..2026-01-10', 'range', '2025-10-15', '2026-01-10', false],
    ['2026-Q3', 'quarter', '2026-07-01', '2026-09-30', false],
    ['2026', 'year', '2026-01-01', '2026-12-31', false],
    ['2026 tbc', 'year', '2026-01-01', '2026-12-31', true],
    ['2025-12 (TBD)', 'month', '2025-12-01', '2025-12-31', true],
    ['2024-02', 'month', '2024-02-01', '2024-02-29', false],
  ])('%s', (input, kind, start, end, tentative) => {
    expect(parseFuzzyDate(input)).toEqual({ kind, start, end, tentative });
  });

  it('keeps an unknown date as unknown and tentative', () => {
    expect(parseFuzzyDate('tbd')).toEqual({ kind: 'unknown', start: null, end: null, tentative: true });
  });

  it.each(['2025-13', '2025-02-30', 'Oct 2025', '2025-12..2025-10', '', '12/2025', '3025'])('rejects %j with the correct forms', (input) => {
    expect(() => parseFuzzyDate(input)).toThrow(FuzzyDateError);
    if (input) expect(() => parseFuzzyDate(input)).toThrow(/2025-12|plausible|ends before/);
  });

  it.each(['2025-12-15', '2025-12', '2025-10..2025-12 tbc', '2026-Q3', '2026 tbc', 'tbd', '2025-10-15..2026-01-10'])(
    'formats %s back to itself',
    (text) => {
      expect(formatFuzzyDate(parseFuzzyDate(text))).toBe(text);
    },
  );

  it('describes dates the way people write them', () => {
    expect(describeFuzzyDate(parseFuzzyDate('2025-10..2025-12 tbc'))).toBe('Oct–Dec 2025 (tbc)');
    expect(describeFuzzyDate(parseFuzzyDate('2026 tbc'))).toBe('2026, timing TBD');
    expect(describeFuzzyDate(parseFuzzyDate('2025-06'))).toBe('June 2025');
    expect(describeFuzzyDate(parseFuzzyDate('2026-Q3'))).toBe('Q3 2026');
  });
});

describe('parseUserDate', () => {
  const today = '2025-11-20'; // a Thursday
  it.each([
    ['today', '2025-11-20'],
    ['tomorrow', '2025-11-21'],
    ['next friday', '2025-11-21'],
    ['thursday', '2025-11-27'],
    ['in 2 weeks', '2025-12-04'],
    ['in 3 days', '2025-11-23'],
  ])('%s', (phrase, day) => {
    expect(parseUserDate(phrase, today)).toMatchObject({ kind: 'day', start: day, end: day });
  });
  it('keeps tbc on phrases and accepts the written forms', () => {
    expect(parseUserDate('next friday tbc', today)).toMatchObject({ start: '2025-11-21', tentative: true });
    expect(parseUserDate('2026-Q1', today)).toMatchObject({ kind: 'quarter', start: '2026-01-01' });
  });
});

describe('timingOf', () => {
  // Parsed inside each test, not in the describe body: a parser that throws fails that test instead
  // of crashing the whole file while it loads.
  const window = () => parseFuzzyDate('2025-10..2025-12');
  it('is not overdue until the window has ended', () => {
    expect(timingOf(window(), '2025-09-30', false)).toBe('upcoming');
    expect(timingOf(window(), '2025-10-02', false)).toBe('current');
    expect(timingOf(window(), '2025-12-31', false)).toBe('current');
    expect(timingOf(window(), '2026-01-01', false)).toBe('overdue');
    expect(timingOf(window(), '2026-01-01', true)).toBe('closed');
    expect(timingOf(parseFuzzyDate('tbd'), '2026-01-01', false)).toBe('undated');
  });
});

describe('dates as the bot shows and saves them', () => {
  it('shows an item whose window starts today as running now, not upcoming', () => {
    expect(timingOf(parseFuzzyDate('2025-10..2025-12'), '2025-10-01', false)).toBe('current');
    expect(timingOf(parseFuzzyDate('2025-10-01'), '2025-10-01', false)).toBe('current');
    expect(timingOf(parseFuzzyDate('2025-10-01'), '2025-10-02', false)).toBe('overdue');
    expect(timingOf(parseFuzzyDate('2026 tbc'), '2025-12-31', false)).toBe('upcoming');
  });

  it.each([
    ['2025-10-01..2025-12-15', '2025-10-01..2025-12-15'],
    ['2025-10-02..2025-12-31', '2025-10-02..2025-12-31'],
    ['2025-10-01..2025-12-31', '2025-10..2025-12'],
    ['2024-02..2024-02', '2024-02..2024-02'],
    ['2025-10..2025-11-30 tbc', '2025-10..2025-11 tbc'],
  ])('saves the range %s as %s, which reads back as the same days', (input, saved) => {
    const parsed = parseFuzzyDate(input);
    expect(formatFuzzyDate(parsed)).toBe(saved);
    expect(parseFuzzyDate(formatFuzzyDate(parsed))).toEqual(parsed);
  });

  it.each(['2025-10..junk', 'junk..2025-12', '2025-10 .. 2025-13', '2025-13..2025-12'])('says clearly that %j is not a range', (input) => {
    expect(() => parseFuzzyDate(input)).toThrow(FuzzyDateError);
    expect(() => parseFuzzyDate(input)).toThrow(`"${input}" is not a range; write it as 2025-10..2025-12`);
  });

  it('names the input and the forms it accepts when it does not understand a date', () => {
    expect(() => parseFuzzyDate('Oct 2025')).toThrow(`"Oct 2025" is not a date I understand; use ${FUZZY_DATE_FORMS}`);
    expect(() => parseFuzzyDate('   ')).toThrow(`a date is required; use ${FUZZY_DATE_FORMS}`);
    expect(() => parseFuzzyDate('2025-12..2025-10')).toThrow('"2025-12..2025-10" ends before it starts');
    expect(() => parseFuzzyDate('2025-12-31..2025-12-30')).toThrow('ends before it starts');
    expect(parseFuzzyDate('2025-12-31..2025-12-31')).toEqual({ kind: 'range', start: '2025-12-31', end: '2025-12-31', tentative: false });
  });

  it.each([
    ['1899', false],
    ['1900', true],
    ['2200', true],
    ['2201', false],
    ['1899-12', false],
    ['2201-01-01', false],
    ['1899-Q4', false],
    ['1899-12..2025-01', false],
    ['2025-01..2201-01', false],
  ])('accepts %s as a plausible year: %s', (input, ok) => {
    if (ok) expect(() => parseFuzzyDate(input)).not.toThrow();
    else expect(() => parseFuzzyDate(input)).toThrow(`"${input}" is not a plausible year`);
  });

  it.each([
    ['2026Q3', '2026-07-01', '2026-09-30'],
    ['2026-q1', '2026-01-01', '2026-03-31'],
    ['2026-Q4', '2026-10-01', '2026-12-31'],
    ['2026-Q2', '2026-04-01', '2026-06-30'],
  ])('reads the quarter %s', (input, start, end) => {
    expect(parseFuzzyDate(input)).toEqual({ kind: 'quarter', start, end, tentative: false });
  });

  it.each(['2026-Q5', '2026-Q0', 'x2026-Q1', '2026-Q1x', '12026', '202', '2025-1-05', '2025-12-5', 'x2025-12', '2025-12x', '2025-12-15x'])(
    'rejects %j',
    (input) => {
      expect(() => parseFuzzyDate(input)).toThrow(FuzzyDateError);
    },
  );

  it.each([
    ['2026 (tbc)', true],
    ['2026 TBD', true],
    ['2026 (to be confirmed)', true],
    ['2026?', true],
    ['2026 ( tbc )', true],
    ['  2026  ', false],
  ])('reads %j as tentative: %s', (input, tentative) => {
    expect(parseFuzzyDate(input)).toEqual({ kind: 'year', start: '2026-01-01', end: '2026-12-31', tentative });
  });

  it.each(['tbd', 'TBA', 'tbc', 'unknown', 'Unscheduled', '-', ' tbd '])('keeps %j as an unknown date', (input) => {
    expect(parseFuzzyDate(input)).toEqual({ kind: 'unknown', start: null, end: null, tentative: true });
  });

  it('rejects words that merely contain an unknown-date marker', () => {
    expect(() => parseFuzzyDate('tbd soon')).toThrow(FuzzyDateError);
    expect(() => parseFuzzyDate('xtbd')).toThrow(FuzzyDateError);
  });

  it('formats every kind back to what the parser reads', () => {
    expect(formatFuzzyDate(parseFuzzyDate('2026-Q4 tbc'))).toBe('2026-Q4 tbc');
    expect(formatFuzzyDate(parseFuzzyDate('2026-Q1'))).toBe('2026-Q1');
    expect(formatFuzzyDate(parseFuzzyDate('2025-12 tbc'))).toBe('2025-12 tbc');
    expect(formatFuzzyDate(parseFuzzyDate('2025-12-15 tbc'))).toBe('2025-12-15 tbc');
    expect(formatFuzzyDate(parseFuzzyDate('2026'))).toBe('2026');
    expect(formatFuzzyDate({ kind: 'day', start: null, end: null, tentative: false })).toBe('tbd');
    expect(formatFuzzyDate({ kind: 'day', start: '2025-01-01', end: null, tentative: false })).toBe('tbd');
  });

  it.each([
    ['2025-12-15', '15 Dec 2025'],
    ['2025-12-15 tbc', '15 Dec 2025 (tbc)'],
    ['2025-06 tbc', 'June 2025 (tbc)'],
    ['2026-Q3 tbc', 'Q3 2026 (tbc)'],
    ['2026', '2026'],
    ['2025-10..2025-12', 'Oct–Dec 2025'],
    ['2025-11..2026-02 tbc', 'Nov 2025 – Feb 2026 (tbc)'],
    ['2025-10-15..2026-01-10', '15 Oct 2025 – 10 Jan 2026'],
    ['2025-10-15..2025-10-20 tbc', '15 Oct 2025 – 20 Oct 2025 (tbc)'],
    ['tbd', 'date TBD'],
  ])('describes %s as "%s"', (input, shown) => {
    expect(describeFuzzyDate(parseFuzzyDate(input))).toBe(shown);
  });

  it('names every month, in full and shortened', () => {
    const months = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`);
    expect(months.map((m) => describeFuzzyDate(parseFuzzyDate(m)))).toEqual(
      ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'].map((name) => `${name} 2026`),
    );
    expect(months.map((m) => describeFuzzyDate(parseFuzzyDate(`${m}-09`)))).toEqual(
      ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((name) => `9 ${name} 2026`),
    );
  });

  it('describes a date with a missing end as TBD', () => {
    expect(describeFuzzyDate({ kind: 'month', start: '2025-06-01', end: null, tentative: false })).toBe('date TBD');
    expect(timingOf({ kind: 'month', start: '2025-06-01', end: null, tentative: false }, '2025-06-02', false)).toBe('undated');
    expect(timingOf({ kind: 'month', start: null, end: '2025-06-30', tentative: false }, '2025-06-02', false)).toBe('undated');
  });
});

describe('what people type', () => {
  const thursday = '2025-11-20';
  const day = (start: string, tentative = false) => ({ kind: 'day', start, end: start, tentative });

  it.each([
    ['today', '2025-11-20'],
    ['Tomorrow', '2025-11-21'],
    ['  tomorrow  ', '2025-11-21'],
    ['in 1 day', '2025-11-21'],
    ['in 1 week', '2025-11-27'],
    ['in 2 months', '2026-01-20'],
    ['in  10  days', '2025-11-30'],
    ['monday', '2025-11-24'],
    ['next sunday', '2025-11-23'],
    ['next thursday', '2025-11-27'],
    ['wednesday', '2025-11-26'],
    ['next week', '2025-11-24'],
  ])('saves %j as the firm day %s', (phrase, start) => {
    expect(parseUserDate(phrase, thursday)).toEqual(day(start));
  });

  it('saves "next month" as that whole month, and "next week" from a Sunday as the next day', () => {
    expect(parseUserDate('next month', thursday)).toEqual({ kind: 'month', start: '2025-12-01', end: '2025-12-31', tentative: false });
    expect(parseUserDate('next month tbc', '2026-01-31')).toEqual({ kind: 'month', start: '2026-02-01', end: '2026-02-28', tentative: true });
    expect(parseUserDate('next week', '2025-11-23')).toEqual(day('2025-11-24'));
    expect(parseUserDate('next week', '2025-11-24')).toEqual(day('2025-12-01'));
  });

  it('keeps "tbc" on phrases, and not on a date merely unknown', () => {
    expect(parseUserDate('tomorrow tbc', thursday)).toEqual(day('2025-11-21', true));
    expect(parseUserDate('today (tbc)', thursday)).toEqual(day('2025-11-20', true));
    expect(parseUserDate('tbd', thursday)).toEqual({ kind: 'unknown', start: null, end: null, tentative: true });
    expect(parseUserDate('2026-03 tbc', thursday)).toEqual({ kind: 'month', start: '2026-03-01', end: '2026-03-31', tentative: true });
  });

  it('reads spelled-out and long relative phrases forward from today', () => {
    expect(parseUserDate('in two weeks', thursday)).toEqual(day('2025-12-04'));
    expect(parseUserDate('in 1000 days', thursday)).toEqual(day('2028-08-16'));
  });

  it.each(['in 2 years', 'next fortnight', 'tomorrowish', 'xmonday', 'last friday', 'yesterday', '3 days ago'])(
    'says clearly that %j is not a date',
    (phrase) => {
      expect(() => parseUserDate(phrase, thursday)).toThrow(FuzzyDateError);
      expect(() => parseUserDate(phrase, thursday)).toThrow('is not a date I understand');
    },
  );
});

describe('calendar-day arithmetic', () => {
  it('counts whole days and moves by days across months and years', () => {
    expect(daysUntil('2025-12-01', '2025-11-20')).toBe(11);
    expect(daysUntil('2025-11-20', '2025-12-01')).toBe(-11);
    expect(daysUntil('2025-03-31', '2025-03-29')).toBe(2);
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(isoDayToDate('2025-11-20').toISOString()).toBe('2025-11-20T00:00:00.000Z');
    expect(dateToIsoDay(new Date('2025-11-20T23:59:59Z'))).toBe('2025-11-20');
  });
});

describe('input that only looks like a date', () => {
  it.each(['2025-10..2025-12\nx', 'tbc 2026', '2026 tbcx', 'in 2 weeksx', 'xin 2 weeks', 'fridayx', 'next fridays'])('rejects %j', (input) => {
    expect(() => parseUserDate(input, '2025-11-20')).toThrow(FuzzyDateError);
  });

  it('names the phrases it accepts', () => {
    expect(() => parseFuzzyDate('soonish')).toThrow('or as written: March 2026, 15/03/2026 (day first), Q2 2026, mid-May 2026, end of June, next friday, in 2 weeks');
  });

  it.each([
    ['monday', '2025-11-24'],
    ['tuesday', '2025-11-25'],
    ['wednesday', '2025-11-26'],
    ['thursday', '2025-11-27'],
    ['friday', '2025-11-21'],
    ['saturday', '2025-11-22'],
    ['next  sunday', '2025-11-23'],
  ])('reads %j as the next such day', (phrase, day) => {
    expect(parseUserDate(phrase, '2025-11-20')).toMatchObject({ start: day, end: day });
  });
});
