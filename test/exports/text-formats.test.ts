// The file formats the bot writes from user text, without a database: iCalendar lines (escaping,
// folding, which fields appear) and the monitoring table as CSV and Markdown.
import { describe, expect, it } from 'vitest';
import { buildCalendar, escapeText, foldLine, type CalendarEvent } from '../../src/exports/ics.ts';
import { csvCell, MONITORING_COLUMNS, toCsv, toMarkdown, type MonitoringRow } from '../../src/exports/monitoring.ts';

const event = (extra: Partial<CalendarEvent> = {}): CalendarEvent => ({
  uid: 'A1.2@inclusion-of-migrants.partnerbot',
  summary: 'A1.2 Second Virtual Exchange',
  firstDay: '2025-10-01',
  lastDay: '2025-12-31',
  tentative: false,
  cancelled: false,
  sequence: 0,
  categories: [],
  ...extra,
});

const calendarLines = (events: CalendarEvent[], name = 'Partnership') =>
  buildCalendar({ name, stamp: new Date('2025-11-20T11:00:00.123Z'), events }).split('\r\n');

describe('iCalendar', () => {
  it('writes the calendar header, one all-day event and the end, each line ended by CRLF', () => {
    const ics = buildCalendar({ name: 'Inclusion; all, Actions', stamp: new Date('2025-11-20T11:00:00.123Z'), events: [event()] });
    expect(ics).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//partnerbot//calendar export//EN',
        'CALSCALE:GREGORIAN',
        'X-WR-CALNAME:Inclusion\\; all\\, Actions',
        'REFRESH-INTERVAL;VALUE=DURATION:PT12H',
        'X-PUBLISHED-TTL:PT12H',
        'BEGIN:VEVENT',
        'UID:A1.2@inclusion-of-migrants.partnerbot',
        'DTSTAMP:20251120T110000Z',
        'DTSTART;VALUE=DATE:20251001',
        'DTEND;VALUE=DATE:20260101',
        'SEQUENCE:0',
        'SUMMARY:A1.2 Second Virtual Exchange',
        'STATUS:CONFIRMED',
        'TRANSP:TRANSPARENT',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
  });

  it('writes a set time instead of the all-day window, busy, in its zone, and every optional field escaped', () => {
    const lines = calendarLines([
      event({
        time: { start: new Date('2025-12-10T09:30:00Z'), end: new Date('2025-12-10T11:30:00Z'), zone: 'Europe/Brussels' },
        description: 'Agenda:\n1. budget; 2. dates, places',
        location: 'Brussels, CoR',
        url: 'https://example.org/p5?a=1&b=2',
        categories: ['Plenary', 'A1, A2'],
        sequence: 4,
        tentative: true,
      }),
    ]);
    expect(lines).toContain('DTSTART;TZID=Europe/Brussels:20251210T103000');
    expect(lines).toContain('DTEND;TZID=Europe/Brussels:20251210T123000');
    expect(lines).toContain('TRANSP:OPAQUE');
    expect(lines).toContain('BEGIN:VTIMEZONE');
    expect(lines).toContain('SEQUENCE:4');
    expect(lines).toContain('DESCRIPTION:Agenda:\\n1. budget\\; 2. dates\\, places');
    expect(lines).toContain('LOCATION:Brussels\\, CoR');
    expect(lines).toContain('URL:https://example.org/p5?a=1&b=2');
    expect(lines).toContain('CATEGORIES:Plenary,A1\\, A2');
    expect(lines).toContain('STATUS:TENTATIVE');
  });

  it('carries no empty line (a VTIMEZONE ends with a line break), and a zone without a VTIMEZONE is written in UTC', () => {
    const timed = (zone: string) => event({ time: { start: new Date('2025-12-10T09:30:00Z'), end: new Date('2025-12-10T11:30:00Z'), zone } });
    const brussels = calendarLines([timed('Europe/Brussels')]);
    expect(brussels.at(-1)).toBe('');
    expect(brussels.slice(0, -1)).not.toContain('');
    const unknown = calendarLines([timed('Mars/Olympus_Mons')]);
    expect(unknown).toContain('DTSTART:20251210T093000Z');
    expect(unknown).toContain('DTEND:20251210T113000Z');
    expect(unknown).not.toContain('BEGIN:VTIMEZONE');
  });

  it('is an invitation when e-mailed: METHOD, the organizer and each attendee, names that cannot break the line', () => {
    const invitation = buildCalendar({
      name: 'P5',
      stamp: new Date('2025-11-20T11:00:00.123Z'),
      method: 'REQUEST',
      events: [event({ organizer: { name: 'Partnership "Bot"', email: 'bot@example.org' }, attendees: [{ name: 'Ann\x07 Lee', email: 'ann@example.org' }, { name: 'Bo', email: 'bo@example.org' }] })],
    })
      // Unfolded: an attendee's line is longer than 75 octets.
      .replace(/\r\n /g, '')
      .split('\r\n');
    expect(invitation).toContain('METHOD:REQUEST');
    expect(invitation).toContain('ORGANIZER;CN="Partnership Bot":mailto:bot@example.org');
    expect(invitation).toContain('ATTENDEE;CN="Ann Lee";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:ann@example.org');
    expect(invitation).toContain('ATTENDEE;CN="Bo";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:bo@example.org');
    // A feed is no iTIP message: no METHOD and nobody invited.
    expect(calendarLines([event()]).filter((l) => /^(METHOD|ORGANIZER|ATTENDEE)/.test(l))).toEqual([]);
  });

  it('keeps a plain http link too', () => {
    expect(calendarLines([event({ url: 'http://example.org/p5' })])).toContain('URL:http://example.org/p5');
  });

  it('marks a cancelled event cancelled even when tentative', () => {
    expect(calendarLines([event({ cancelled: true, tentative: true })])).toContain('STATUS:CANCELLED');
  });

  it.each(['javascript:alert(1)', 'https://x.test/a b', 'https://x.test/"q"', 'https://x.test/<a>', 'https://x.test/a\\b', 'ftp://x.test', 'xhttps://x.test', 'https://'])(
    'leaves out the link %j, which is not a plain web address',
    (url) => {
      expect(calendarLines([event({ url })]).some((l) => l.startsWith('URL'))).toBe(false);
    },
  );

  it('escapes backslash first, then semicolons, commas and every kind of line break', () => {
    expect(escapeText('a\\;b')).toBe('a\\\\\\;b');
    expect(escapeText('one\rtwo\r\nthree\nfour')).toBe('one\\ntwo\\nthree\\nfour');
    expect(escapeText('a;b;c,d,e')).toBe('a\\;b\\;c\\,d\\,e');
  });

  it('folds at exactly 75 octets, continuation lines at 74 after their space', () => {
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
    expect(foldLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x`);
    expect(foldLine('x'.repeat(75 + 74 + 1))).toBe(`${'x'.repeat(75)}\r\n ${'x'.repeat(74)}\r\n x`);
    // A two-octet character that would straddle the 75th octet moves to the next line whole.
    expect(foldLine(`${'x'.repeat(74)}é`)).toBe(`${'x'.repeat(74)}\r\n é`);
    expect(foldLine('')).toBe('');
  });
});

describe('monitoring table', () => {
  const row = (cells: Partial<MonitoringRow>): MonitoringRow => ({
    Action: 'A1 Labour',
    'Co-leaders': 'Flanders',
    'Governance level': 'local',
    Deadline: 'March 2027',
    'State of play': '',
    Progress: '0/1 activities done',
    ...cells,
  });

  it('writes CSV with a byte-order mark, CRLF line ends, and every hostile cell quoted or neutralised', () => {
    const csv = toCsv([row({ 'State of play': '=HYPERLINK("http://x","y")', 'Co-leaders': 'A, B' }), row({ Action: ' padded', Progress: 'two\nlines' })]);
    expect(csv).toBe(
      '\uFEFF' +
        [
          MONITORING_COLUMNS.join(','),
          'A1 Labour,"A, B",local,March 2027,"\'=HYPERLINK(""http://x"",""y"")",0/1 activities done',
          '" padded",Flanders,local,March 2027,,"two\nlines"',
          '',
        ].join('\r\n'),
    );
  });

  it.each([
    ['plain', 'plain'],
    ['a\rb', '"a\rb"'],
    ['trailing ', '"trailing "'],
    ['\tindented', "'\tindented"],
    ['\r=1', '"\'\r=1"'],
    ['a-b', 'a-b'],
    ['1+1', '1+1'],
  ])('writes the CSV cell %j as %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('writes Markdown whose user text can break neither the table nor into HTML', () => {
    const md = toMarkdown('Monitoring', [row({ 'State of play': 'a | b\r\n*c* _d_ `e` [f](g) <b>h</b> \\ i', Progress: '   ' })]);
    expect(md).toBe(
      [
        '# Monitoring',
        '',
        `| ${MONITORING_COLUMNS.join(' | ')} |`,
        `|${MONITORING_COLUMNS.map(() => ' --- ').join('|')}|`,
        '| A1 Labour | Flanders | local | March 2027 | a \\| b \\*c\\* \\_d\\_ \\`e\\` \\[f\\](g) \\<b\\>h\\</b\\> \\\\ i | — |',
        '',
      ].join('\n'),
    );
  });
});
