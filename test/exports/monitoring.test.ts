// The monitoring table as CSV (quoting, formula neutralisation) and Markdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell, neutraliseFormula } from '../../src/exports/monitoring.ts';
import { attachmentText, exportFixture, SECRETARIAT, type ExportFixture } from './harness.ts';

describe('CSV cells', () => {
  it('quotes commas, semicolons, quotes and line breaks, doubling quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('a; b')).toBe('"a; b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded ')).toBe('" padded "');
  });

  it('neutralises cells a spreadsheet would run as a formula', () => {
    for (const evil of ['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\t=1']) expect(neutraliseFormula(evil)).toBe(`'${evil}`);
    expect(neutraliseFormula('A1 ok')).toBe('A1 ok');
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
  });
});

describe('monitoring export', () => {
  let f: ExportFixture;
  beforeAll(async () => {
    f = await exportFixture('2025-11-20');
  });
  afterAll(async () => {
    await f?.db.drop();
  });

  it('CSV: a header and one row per Action, CRLF, a hostile state of play neutralised', async () => {
    expect((await f.run('status A1 "=HYPERLINK(\\"http://evil\\",\\"click\\")"', SECRETARIAT)).error).toBeFalsy();
    const reply = await f.run('monitoring export --format csv');
    expect(reply.attachments?.[0]).toMatchObject({ filename: 'monitoring-2025-11-20.csv', contentType: 'text/csv; charset=utf-8' });
    const csv = attachmentText(reply).replace(/^\uFEFF/, '');
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('Action,Co-leaders,Governance level,Deadline,State of play,Progress');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain('"\'=HYPERLINK(');
    expect(lines[3]).toMatch(/^"A3 Combating migration disinformation, hate speech and discrimination",AER and Flanders Region,/);
    expect(csv).not.toMatch(/,=/);
  });

  it('Markdown: a table with the section-4 columns, pipes in text escaped', async () => {
    await f.run('status A2 "half | done"', SECRETARIAT);
    const md = attachmentText(await f.run('monitoring export'));
    expect(md).toContain('| Action | Co-leaders | Governance level | Deadline | State of play | Progress |');
    const rows = md.split('\n').filter((l) => /^\| A\d/.test(l));
    expect(rows).toHaveLength(4);
    expect(rows[1]).toContain('half \\| done');
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length).toBe(8);
  });
});
