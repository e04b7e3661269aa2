// The calendar export against two independent iCalendar parsers (ical.js, node-ical), on the shipped plan.
import ICAL from 'ical.js';
import nodeIcal, { type VEvent } from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCalendar, escapeText, foldLine } from '../../src/exports/ics.ts';
import { attachmentText, exportFixture, SECRETARIAT, type ExportFixture } from './harness.ts';

function events(ics: string) {
  const root = new ICAL.Component(ICAL.parse(ics));
  return root.getAllSubcomponents('vevent').map((c) => ({ component: c, event: new ICAL.Event(c) }));
}

type NodeEvent = VEvent;

/** The events as node-ical reads them, by UID. */
function nodeEvents(ics: string): Map<string, NodeEvent> {
  const parsed = nodeIcal.sync.parseICS(ics);
  return new Map(Object.values(parsed).filter((c): c is NodeEvent => c?.type === 'VEVENT').map((e) => [e.uid, e]));
}

const DAY_MS = 86_400_000;

describe('iCalendar text', () => {
  it('escapes backslash, semicolon, comma and newlines, backslash first', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds at 75 octets without splitting a UTF-8 character', () => {
    const line = `SUMMARY:${'é'.repeat(100)}`;
    const folded = foldLine(line).split('\r\n');
    for (const part of folded) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.slice(1).every((p) => p.startsWith(' '))).toBe(true);
    expect(folded.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(line);
  });

  it('round-trips awkward text through a parser; all-day DTEND is exclusive', () => {
    const summary = 'Plenary; agenda, "budget" \\ items\nsecond line — ünïcödé '.repeat(3);
    const ics = buildCalendar({
      name: 'Test',
      stamp: new Date('2025-11-20T11:00:00Z'),
      events: [{ uid: 'P1@test.partnerbot', summary, firstDay: '2025-10-01', lastDay: '2025-10-31', tentative: true, cancelled: false, sequence: 3, categories: ['Plenary'] }],
    });
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const [{ event, component }] = events(ics) as [ReturnType<typeof events>[number]];
    expect(event.summary).toBe(summary);
    expect(event.startDate.isDate).toBe(true);
    expect(event.startDate.toString()).toBe('2025-10-01');
    expect(event.endDate.toString()).toBe('2025-11-01');
    expect(component.getFirstPropertyValue('status')).toBe('TENTATIVE');
    expect(event.sequence).toBe(3);
  });
});

describe('calendar command', () => {
  let f: ExportFixture;
  beforeAll(async () => {
    f = await exportFixture('2025-11-20');
  });
  afterAll(async () => {
    await f?.db.drop();
  });

  it('exports every plenary, milestone and output as a parseable event with stable UIDs', async () => {
    const first = await f.run('calendar');
    expect(first.error).toBeFalsy();
    expect(first.attachments?.[0]).toMatchObject({ filename: 'inclusion-of-migrants-all.ics', contentType: 'text/calendar' });
    const ics = attachmentText(first);
    expect(ics.split('\r\n').every((l) => Buffer.byteLength(l, 'utf8') <= 75)).toBe(true);
    const parsed = events(ics);
    expect(parsed.length).toBeGreaterThan(30);
    for (const { event } of parsed) {
      expect(event.uid).toMatch(/^[A-Z0-9.]+(\.start|\.end)?@inclusion-of-migrants\.partnerbot$/);
      expect(event.startDate.isDate).toBe(true);
      expect(event.endDate.compare(event.startDate)).toBe(1);
      expect(event.summary.length).toBeGreaterThan(3);
    }
    const uids = parsed.map((p) => p.event.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const code of ['P2', 'P5', 'A1.2', 'A1.O1.start', 'A1.O1.end']) expect(uids).toContain(`${code}@inclusion-of-migrants.partnerbot`);

    f.clock.advance(3600_000);
    const again = events(attachmentText(await f.run('calendar')));
    expect(again.map((p) => p.event.uid)).toEqual(uids);
    expect(again[0]!.component.getFirstPropertyValue('dtstamp')!.toString()).toBe('2025-11-20T12:00:00Z');
  });

  it('marks tbc items TENTATIVE, and a plenary window as a whole-month all-day event', async () => {
    const parsed = events(attachmentText(await f.run('calendar')));
    const p5 = parsed.find((p) => p.event.uid.startsWith('P5@'))!;
    expect(p5.component.getFirstPropertyValue('status')).toBe('TENTATIVE');
    expect([p5.event.startDate.toString(), p5.event.endDate.toString()]).toEqual(['2025-12-01', '2026-01-01']);
    const p6 = parsed.find((p) => p.event.uid.startsWith('P6@'))!;
    expect(p6.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
  });

  it('starts SEQUENCE at 0 and raises it by one per change a calendar shows, not for a snooze', async () => {
    const sequenceOf = async (code: string) =>
      events(attachmentText(await f.run('calendar A1'))).find((p) => p.event.uid.startsWith(`${code}@`))!;
    expect((await sequenceOf('A1.2')).event.sequence).toBe(0);
    expect((await f.run('milestone status A1.2 cancelled', SECRETARIAT)).error).toBeFalsy();
    const cancelled = await sequenceOf('A1.2');
    expect(cancelled.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(cancelled.event.sequence).toBe(1);
    expect((await f.run('snooze A1.2', SECRETARIAT)).error).toBeFalsy();
    expect((await sequenceOf('A1.2')).event.sequence).toBe(1);
    expect((await f.run('milestone status A1.2 planned', SECRETARIAT)).error).toBeFalsy();
    expect((await sequenceOf('A1.2')).event.sequence).toBe(2);
  });

  it('keeps the reply\'s promise: no event longer than a quarter; a long window is its first and last day', async () => {
    const reply = await f.run('calendar');
    expect(JSON.stringify(reply.blocks)).toMatch(/longer than a quarter is shown as the day it starts and the day it ends/);
    const parsed = events(attachmentText(reply));
    for (const { event } of parsed) {
      const days = event.endDate.toJSDate().getTime() - event.startDate.toJSDate().getTime();
      expect(days / DAY_MS, event.uid).toBeLessThanOrEqual(92);
    }
    const a33 = await f.db.prisma.activity.findFirstOrThrow({ where: { code: 'A3.3' } });
    const start = parsed.find((p) => p.event.uid.startsWith('A3.3.start@'))!;
    const end = parsed.find((p) => p.event.uid.startsWith('A3.3.end@'))!;
    expect(start.event.startDate.toString()).toBe(a33.whenStart!.toISOString().slice(0, 10));
    expect(end.event.startDate.toString()).toBe(a33.whenEnd!.toISOString().slice(0, 10));
    expect([start.event.summary, end.event.summary]).toEqual([expect.stringMatching(/A3\.3 .* — starts$/), expect.stringMatching(/A3\.3 .* — ends$/)]);
    expect(parsed.some((p) => p.event.uid.startsWith('A3.3@'))).toBe(false);
  });

  it('gives a meeting at a set time an end, its zone (TZID with VTIMEZONE) and busy time', async () => {
    // 3 March 2026, 14:00 in Brussels (CET, UTC+1).
    await f.db.prisma.meeting.updateMany({ where: { code: 'P6' }, data: { startsAt: new Date('2026-03-03T13:00:00Z') } });
    const ics = attachmentText(await f.run('calendar'));
    expect(ics).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/Brussels');
    expect(ics).toContain('DTSTART;TZID=Europe/Brussels:20260303T140000');
    expect(ics).toContain('DTEND;TZID=Europe/Brussels:20260303T160000');
    const p6 = events(ics).find((p) => p.event.uid.startsWith('P6@'))!;
    expect(p6.event.startDate.toJSDate().toISOString()).toBe('2026-03-03T13:00:00.000Z');
    expect(p6.event.endDate.toJSDate().toISOString()).toBe('2026-03-03T15:00:00.000Z');
    expect(p6.component.getFirstPropertyValue('transp')).toBe('OPAQUE');
    const other = nodeEvents(ics).get(p6.event.uid)!;
    expect([other.start.toISOString(), other.end!.toISOString()]).toEqual(['2026-03-03T13:00:00.000Z', '2026-03-03T15:00:00.000Z']);
    expect(other.start.tz).toBe('Europe/Brussels');
    expect(other.transparency).toBe('OPAQUE');
  });

  it('is read the same by a second, independent parser (node-ical), with no METHOD lacking an ORGANIZER', async () => {
    const ics = attachmentText(await f.run('calendar'));
    // METHOD makes the file an iTIP message, which RFC 5546 requires to name an ORGANIZER.
    expect(ics.includes('\r\nMETHOD:') && !ics.includes('\r\nORGANIZER')).toBe(false);
    const first = events(ics);
    const second = nodeEvents(ics);
    expect([...second.keys()].sort()).toEqual(first.map((p) => p.event.uid).sort());
    for (const { event, component } of first) {
      const other = second.get(event.uid)!;
      expect(other.summary).toBe(event.summary);
      expect(Number(other.sequence)).toBe(event.sequence);
      expect(other.status).toBe(component.getFirstPropertyValue('status'));
      if (event.startDate.isDate) {
        expect(other.datetype).toBe('date');
        const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
        expect([day(other.start), day(other.end!)]).toEqual([event.startDate.toString(), event.endDate.toString()]);
      } else {
        expect(other.start.getTime()).toBe(event.startDate.toJSDate().getTime());
      }
    }
  });

  it('limits "calendar A2" to that Action, and keeps the plenaries', async () => {
    const uids = events(attachmentText(await f.run('calendar A2'))).map((p) => p.event.uid);
    expect(uids.some((u) => u.startsWith('A2.'))).toBe(true);
    expect(uids.some((u) => /^A[134]\./.test(u))).toBe(false);
    expect(uids).toContain('P5@inclusion-of-migrants.partnerbot');
  });

  it('"calendar mine" needs a linked person and covers their Actions', async () => {
    expect((await f.run('calendar mine')).error).toBe(true);
    const uids = events(attachmentText(await f.run('calendar mine', 'demo-aer'))).map((p) => p.event.uid);
    expect(uids.some((u) => u.startsWith('A3.'))).toBe(true);
    expect(uids.some((u) => /^A[24]\./.test(u))).toBe(false);
  });
});
