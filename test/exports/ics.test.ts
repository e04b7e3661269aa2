// The calendar export against a real iCalendar parser (ical.js), on the shipped plan.
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCalendar, escapeText, foldLine } from '../../src/exports/ics.ts';
import { attachmentText, exportFixture, SECRETARIAT, type ExportFixture } from './harness.ts';

function events(ics: string) {
  const root = new ICAL.Component(ICAL.parse(ics));
  return root.getAllSubcomponents('vevent').map((c) => ({ component: c, event: new ICAL.Event(c) }));
}

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
      expect(event.uid).toMatch(/^[A-Z0-9.]+@inclusion-of-migrants\.partnerbot$/);
      expect(event.startDate.isDate).toBe(true);
      expect(event.endDate.compare(event.startDate)).toBe(1);
      expect(event.summary.length).toBeGreaterThan(3);
    }
    const uids = parsed.map((p) => p.event.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const code of ['P2', 'P5', 'A1.2', 'A1.O1']) expect(uids).toContain(`${code}@inclusion-of-migrants.partnerbot`);

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

  it('a change raises SEQUENCE; a cancelled milestone becomes STATUS:CANCELLED under the same UID', async () => {
    // updatedAt is the database's wall clock: age it, so the change cannot fall in the same second.
    await f.db.prisma.activity.updateMany({ where: { code: 'A1.2' }, data: { updatedAt: new Date('2025-01-01T00:00:00Z') } });
    const before = events(attachmentText(await f.run('calendar A1'))).find((p) => p.event.uid.startsWith('A1.2@'))!;
    expect((await f.run('milestone status A1.2 cancelled', SECRETARIAT)).error).toBeFalsy();
    const after = events(attachmentText(await f.run('calendar A1'))).find((p) => p.event.uid.startsWith('A1.2@'))!;
    expect(after.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(after.event.sequence).toBeGreaterThan(before.event.sequence);
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
