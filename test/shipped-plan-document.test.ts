// The shipped plan against the Work Plan document it transcribes (workplans/source/): activity
// windows (section 2.x.9), outputs, co-leaders (2.x.8) and plenaries (Annex 2), so the plan cannot
// drift from the document unnoticed. Where the plan deliberately departs, the test says how.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SHIPPED_WORKPLAN } from '../src/config.ts';
import { parseFuzzyDate, parseUserDate, type FuzzyDate } from '../src/domain/fuzzy-date.ts';
import { loadWorkPlan } from '../src/workplan/load.ts';

const DOCUMENT = readFileSync(new URL('../workplans/source/inclusion-of-migrants-work-plan-2024-2027.txt', import.meta.url), 'utf8');
const lines = DOCUMENT.split('\n');
const plan = await loadWorkPlan(SHIPPED_WORKPLAN);

/** The lines of a numbered section, up to the next heading of the same depth. */
function section(number: string): string[] {
  const start = lines.findIndex((l) => l.startsWith(`${number} `));
  expect(start, `section ${number}`).toBeGreaterThan(-1);
  const end = lines.findIndex((l, i) => i > start && /^\d+\.\d+\.\d+ /.test(l));
  return lines.slice(start + 1, end);
}

/** A window as the document writes it: "October - December 2025", "2026, precise timing TBD", "2026 - 2027". */
function documentWindow(text: string): FuzzyDate {
  // Footnote marks follow the full stop: "TBD.31".
  const bare = text.replace(/\.\d{1,2}$/, '').replace(/\.$/, '');
  const tbd = /,\s*precise timing tbd$/i.exec(bare);
  const when = parseUserDate(tbd ? bare.slice(0, tbd.index) : bare, '2025-05-01');
  return tbd ? { ...when, tentative: true } : when;
}

const window = (w: FuzzyDate) => ({ start: w.start, end: w.end, tentative: w.tentative });

describe('the shipped plan follows the Work Plan document', () => {
  it.each([1, 2, 3, 4])('Action %i: each activity of section 2.x.9, with its window', (number) => {
    const action = plan.actions.find((a) => a.number === number)!;
    const deadline = parseFuzzyDate(action.deadline);
    const headings = section(`2.${number + 3}.9`)
      // Activities start a line; their steps are indented or bulleted.
      .map((l) => /^([A-Z][^:•]+?):\s*(.+)$/.exec(l.trimEnd()))
      .filter((m): m is RegExpExecArray => m !== null);
    expect(headings.map((m) => m[1])).toEqual(action.activities.map((a) => a.title));
    for (const [, title, text] of headings) {
      const activity = action.activities.find((a) => a.title === title)!;
      const written = documentWindow(text!);
      const shipped = parseFuzzyDate(activity.when);
      if (written.end! > deadline.end!) {
        // Past the phase's end: capped at the Action deadline, the document's words kept in notes.
        expect(window(shipped), title).toEqual({ ...window(written), end: deadline.end });
        expect(activity.notes, title).toContain(`${title}: ${text!.replace(/\s+/g, ' ')}`);
      } else {
        expect(window(shipped), title).toEqual(window(written));
      }
    }
  });

  it('every output is named in the document, lies within its activity (and steps) and the deadline, and none has an invented date', () => {
    const flat = DOCUMENT.replace(/\s+/g, ' ').toLowerCase();
    for (const action of plan.actions) {
      const deadline = parseFuzzyDate(action.deadline);
      for (const output of action.outputs) {
        expect(flat, output.title).toContain(output.title.toLowerCase());
        const when = parseFuzzyDate(output.when);
        if (when.kind === 'unknown') continue;
        expect(when.end! <= deadline.end!, output.title).toBe(true);
        if (!output.activity) continue;
        const activity = action.activities[output.activity - 1]!;
        const days = [activity.when, ...(activity.steps ?? []).map((s) => s.when)].map(parseFuzzyDate);
        expect(when.start! >= days.map((d) => d.start!).sort()[0]!, output.title).toBe(true);
        expect(when.end! <= days.map((d) => d.end!).sort().at(-1)!, output.title).toBe(true);
      }
    }
    // "The members will also consider the possibility of holding a study visit": no date given.
    expect(plan.actions[0]!.outputs.find((o) => o.title === 'Study visit (TBC)')!.when).toBe('tbd');
  });

  it.each([1, 2, 3, 4])('Action %i: the co-leaders of section 2.x.8', (number) => {
    const line = section(`2.${number + 3}.8`).find((l) => l.startsWith('Action co-leaders:'))!;
    const names = line.replace('Action co-leaders:', '').split(/,| and /).map((n) => n.trim().toLowerCase());
    const action = plan.actions.find((a) => a.number === number)!;
    const shipped = action.coLeaders.map((key) => plan.organisations.find((o) => o.key === key)!);
    expect(names.map((n) => shipped.find((o) => [o.name, o.shortName, ...(o.aliases ?? [])].some((x) => x?.toLowerCase() === n))?.key)).toEqual(action.coLeaders);
  });

  it('the plenaries: 5 December 2024 in Brussels, then the months and formats of the Annex 2 row', () => {
    const plenaries = plan.meetings.filter((m) => m.kind === 'plenary');
    expect(DOCUMENT).toContain('in-person plenary meeting of the Partnership on 5th December 2024 in Brussels');
    expect(plenaries[0]).toMatchObject({ when: '2024-12-05', format: 'in_person', location: 'Brussels' });
    const row = lines.find((l) => l.startsWith('1\tPlenary meeting'))!.split('\t');
    // Columns: number, row name, then January 2025 to December 2026.
    const annex = row.flatMap((cell, i) => {
      if (i < 2 || !cell.trim()) return [];
      const month = `${2025 + Math.floor((i - 2) / 12)}-${String(((i - 2) % 12) + 1).padStart(2, '0')}`;
      const text = cell.replace(/\s+/g, '');
      return [{ when: `${month}${/tbc$/.test(text) ? ' tbc' : ''}`, format: /^Inperson/i.test(text) ? 'in_person' : 'online' }];
    });
    expect(annex).toHaveLength(8);
    expect(plenaries.slice(1).map((m) => ({ when: m.when, format: m.format }))).toEqual(annex);
  });

  it('the governance levels of the section 4 monitoring table', () => {
    expect(plan.actions.map((a) => a.governanceLevels)).toEqual([
      ['local', 'regional', 'national'],
      ['local', 'regional'],
      ['local', 'regional', 'national'],
      ['eu', 'national', 'regional'],
    ]);
  });
});
