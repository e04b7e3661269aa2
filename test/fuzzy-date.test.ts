import { describe, expect, it } from 'vitest';
import {
  describeFuzzyDate,
  formatFuzzyDate,
  FuzzyDateError,
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
  const window = parseFuzzyDate('2025-10..2025-12');
  it('is not overdue until the window has ended', () => {
    expect(timingOf(window, '2025-09-30', false)).toBe('upcoming');
    expect(timingOf(window, '2025-10-02', false)).toBe('current');
    expect(timingOf(window, '2025-12-31', false)).toBe('current');
    expect(timingOf(window, '2026-01-01', false)).toBe('overdue');
    expect(timingOf(window, '2026-01-01', true)).toBe('closed');
    expect(timingOf(parseFuzzyDate('tbd'), '2026-01-01', false)).toBe('undated');
  });
});
