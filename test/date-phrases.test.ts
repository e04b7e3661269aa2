// Dates as people write them, in every date argument: read day-first, with the work plan's fuzzy
// forms (quarters, thirds, ranges, tbc) on top of chrono-node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseUserDate, type FuzzyDate } from '../src/domain/fuzzy-date.ts';
import { checkMonth } from '../src/exports/gantt/model.ts';
import { shippedPlanFixture, type Fixture } from './support/database.ts';
import { runAs } from './support/run-as.ts';

const TODAY = '2025-11-20';
const read = (text: string): Omit<FuzzyDate, 'tentative'> & { tentative?: boolean } => parseUserDate(text, TODAY);

describe('dates as written', () => {
  it.each([
    ['March 2026', 'month', '2026-03-01', '2026-03-31'],
    ['Mar 2026', 'month', '2026-03-01', '2026-03-31'],
    ['Q2 2026', 'quarter', '2026-04-01', '2026-06-30'],
    ['2nd quarter 2026', 'quarter', '2026-04-01', '2026-06-30'],
    ['second quarter of 2026', 'quarter', '2026-04-01', '2026-06-30'],
    ['15/03/2026', 'day', '2026-03-15', '2026-03-15'],
    ['15 March 2026', 'day', '2026-03-15', '2026-03-15'],
    ['03/04/2026', 'day', '2026-04-03', '2026-04-03'],
    ['mid-May 2026', 'range', '2026-05-11', '2026-05-20'],
    ['end of June', 'day', '2026-06-30', '2026-06-30'],
    ['early 2026', 'range', '2026-01-01', '2026-04-30'],
    ['late 2026', 'range', '2026-09-01', '2026-12-31'],
    ['March-May 2026', 'range', '2026-03-01', '2026-05-31'],
    ['Oct 2025 to Feb 2026', 'range', '2025-10-01', '2026-02-28'],
    ['2026 - 2027', 'range', '2026-01-01', '2027-12-31'],
  ])('reads "%s"', (text, kind, start, end) => {
    expect(read(text)).toEqual({ kind, start, end, tentative: false });
  });

  it('keeps tbc on a written date, and the canonical and relative forms as before', () => {
    expect(read('March 2026 tbc')).toEqual({ kind: 'month', start: '2026-03-01', end: '2026-03-31', tentative: true });
    expect(read('2026-Q3')).toMatchObject({ kind: 'quarter', start: '2026-07-01' });
    expect(read('next friday')).toMatchObject({ kind: 'day', start: '2025-11-21' });
  });

  it('refuses what is not a date, naming the forms it reads', () => {
    for (const text of ['soonish', '31/02/2026', 'mid-Smarch 2026', 'March 2026 or so']) {
      expect(() => read(text)).toThrow(/not a date I understand; use .*March 2026, 15\/03\/2026 \(day first\)/);
    }
  });

  it('reads a Gantt chart month as written', () => {
    expect(checkMonth('January 2026', 'from', TODAY)).toBe('2026-01');
    expect(checkMonth('Q2 2026', 'to', TODAY)).toBe('2026-04');
    expect(() => checkMonth('someday', 'to', TODAY)).toThrow('--to must be a month like 2025-01 or "January 2025", not "someday".');
  });
});

describe('in commands', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await shippedPlanFixture(TODAY);
  });
  afterAll(async () => {
    await f?.db.drop();
  });
  const run = async (line: string, as = 'demo-ashoka-hello-europe') => (await runAs(f, line, as)).out;

  it('takes an unquoted written date before the title, and shows the date it understood', async () => {
    expect(await run(`milestone add A1 March 2026 Partner's meeting`)).toMatch(/A1\.\d+ Partner's meeting — March 2026/);
    expect(await run('milestone add A1 mid-May 2026 tbc Study visit to Milan')).toMatch(/Study visit to Milan — 11 May 2026 – 20 May 2026 \(tbc\)/);
    expect(await run('milestone add A1 2026-Q2 tbc Peer review')).toMatch(/Peer review — Q2 2026 \(tbc\)/);
    expect(await run('milestone move A1.5 03/04/2026')).toContain('→ 3 Apr 2026');
    expect(await run('milestone move A1.4 end of June')).toContain('→ 30 Jun 2026');
    expect(await run('output add A1 report 2nd quarter 2026 Interim report')).toContain("Interim report (report) — Q2 2026");
  });
});
