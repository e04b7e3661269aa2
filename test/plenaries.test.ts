// Plenaries run from chat: shown one by one, set, confirmed, cancelled and added by the secretariat,
// audited, announced once, and followed by the calendar and the scheduler's notices.
import ICAL from 'ical.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { renderText } from '../src/delivery/plain-text.ts';
import type { Invocation } from '../src/core/bot.ts';
import { parseInstant } from '../src/core/clock.ts';
import type { Reply } from '../src/core/reply.ts';
import { planAll } from '../src/scheduler/scheduler.ts';
import { shippedPlanForFile } from './support/database.ts';
import { runAs } from './support/run-as.ts';

const f = shippedPlanForFile('2025-11-20');

const SECRETARIAT = 'demo-secretariat';
const MEMBER = 'demo-milan';
const db = () => f.db.prisma;
const at = (iso: string) => f.clock.set(parseInstant(iso, 'Europe/Brussels'));

const run = (line: string, as?: string, extra: Partial<Invocation> = {}) => runAs(f, line, as, extra);

function calendarEvent(reply: Reply, code: string) {
  const ics = new TextDecoder().decode(reply.attachments![0]!.data);
  const root = new ICAL.Component(ICAL.parse(ics));
  const component = root.getAllSubcomponents('vevent').find((c) => String(c.getFirstPropertyValue('uid')).startsWith(`${code}@`))!;
  return { component, event: new ICAL.Event(component), ics };
}

/** Puts P5 back as the work plan has it: December 2025, tbc, online, no time. */
async function resetP5() {
  await db().meeting.updateMany({
    where: { code: 'P5' },
    data: { startsAt: null, durationMinutes: null, cancelledAt: null, cancelReason: null, location: null, link: null, whenTentative: true, whenKind: 'month', whenStart: new Date('2025-12-01'), whenEnd: new Date('2025-12-31'), whenText: '2025-12 tbc' },
  });
  await db().outboxMessage.deleteMany();
  at('2025-11-20');
}
beforeEach(resetP5);

describe('plenary commands', () => {
  it('"plenary P5" shows that plenary; "plenary list" and "plenary" still answer', async () => {
    const { reply, out } = await run('plenary P5');
    expect(reply.error).toBeFalsy();
    expect(out).toContain('== Plenary P5 ==');
    expect(out).toMatch(/Status: to be confirmed \(tbc\)/);
    expect((await run('plenary p7')).out).toContain('P7 Online plenary');
    expect((await run('plenary list')).out).toContain('P9 Online plenary');
    expect((await run('plenary')).out).toContain('Next plenary: P5');
    const bad = await run('plenary P99');
    expect(bad.reply.error).toBe(true);
    expect(bad.out).toContain('There is no meeting P99.');
  });

  it('the secretariat sets date, time, length, venue and link: saved, audited, announced once to the partnership', async () => {
    const { reply, out } = await run('plenary set P5 --date 2025-12-10 --time 10:00 --duration 90m --venue "Brussels, CoR JDE 52" --link https://meet.example.org/p5', SECRETARIAT);
    expect(reply.error).toBeFalsy();
    expect(out).toContain('when: December 2025 (tbc) → 10 Dec 2025 at 10:00 (tbc)');
    expect(reply.announce).toHaveLength(1);
    expect(reply.announce![0]).toMatchObject({ scope: 'partnership' });
    const p5 = await db().meeting.findFirstOrThrow({ where: { code: 'P5' } });
    expect(p5.startsAt!.toISOString()).toBe('2025-12-10T09:00:00.000Z');
    expect(p5).toMatchObject({ durationMinutes: 90, location: 'Brussels, CoR JDE 52', link: 'https://meet.example.org/p5', whenKind: 'day', whenTentative: true });
    const audit = await db().auditEntry.findFirstOrThrow({ where: { entityCode: 'P5', verb: 'changed' }, orderBy: { at: 'desc' } });
    expect(audit.before).toMatchObject({ when: 'December 2025 (tbc)', venue: '—' });
    expect(audit.after).toMatchObject({ duration: '1 h 30 min', venue: 'Brussels, CoR JDE 52' });
    // The same values again change nothing and announce nothing.
    const again = await run('plenary set P5 --venue "Brussels, CoR JDE 52"', SECRETARIAT);
    expect(again.out).toContain('nothing changed');
    expect(again.reply.announce).toBeUndefined();
  });

  it('a time moves with the plenary to a new day, and is refused without a single day', async () => {
    await run('plenary set P5 --date 2025-12-10 --time 14:30', SECRETARIAT);
    await run('plenary set P5 --date 2025-12-12', SECRETARIAT);
    expect((await db().meeting.findFirstOrThrow({ where: { code: 'P5' } })).startsAt!.toISOString()).toBe('2025-12-12T13:30:00.000Z');
    const window = await run('plenary set P5 --date 2026-01', SECRETARIAT);
    expect(window.out).toContain('The start time was dropped');
    expect((await db().meeting.findFirstOrThrow({ where: { code: 'P5' } })).startsAt).toBeNull();
    const refused = await run('plenary set P5 --time 10:00', SECRETARIAT);
    expect(refused.reply.error).toBe(true);
    expect(refused.out).toContain('A start time needs a single day');
  });

  it('refuses bad values with one line each and changes nothing', async () => {
    for (const [line, message] of [
      ['plenary set P5 --time 25:00', '"25:00" is not a time of day.'],
      ['plenary set P5 --date 2025-12-10 --time 10:00 --duration 3 days', 'Unexpected "days"'],
      ['plenary set P5 --date 2025-12-10 --time 10:00 --duration 20h', 'lasts 15 minutes to 12 hours'],
      ['plenary set P5 --link javascript:alert(1)', 'is not a web link'],
      ['plenary set P5 --format outdoors', 'format:'],
      ['plenary set P5 --date 1999-01', "outside this partnership's plan"],
      ['plenary set A1 --venue x', 'A1 is not a plenary.'],
    ] as const) {
      const { reply, out } = await run(line, SECRETARIAT);
      expect(reply.error, line).toBe(true);
      expect(out, line).toContain(message);
    }
    const p5 = await db().meeting.findFirstOrThrow({ where: { code: 'P5' } });
    expect(p5).toMatchObject({ startsAt: null, location: null, link: null, whenText: '2025-12 tbc' });
  });

  it('only the secretariat and coordinators change plenaries; the refusal is audited', async () => {
    const { reply, out } = await run('plenary set P5 --date 2025-12-10', MEMBER);
    expect(reply.error).toBe(true);
    expect(out).toContain('Only the secretariat or the coordinators can use "plenary set"');
    expect(await db().auditEntry.count({ where: { entityCode: 'plenary set', verb: 'refused' } })).toBe(1);
    expect((await run('plenary set P5 --date 2025-12-10', 'demo-dg-home')).reply.error).toBeFalsy();
  });

  it('confirm drops "tbc"; cancel keeps it listed, out of "next", refused for agenda items; confirm reinstates', async () => {
    const confirmed = await run('plenary confirm P5', SECRETARIAT);
    expect(confirmed.reply.announce![0]).toMatchObject({ scope: 'partnership' });
    expect((await db().meeting.findFirstOrThrow({ where: { code: 'P5' } })).whenTentative).toBe(false);
    expect((await run('plenary P5')).out).toMatch(/Status: confirmed/);

    const cancelled = await run('plenary cancel P5 Merged with P6 in March', SECRETARIAT);
    expect(cancelled.out).toContain('is cancelled: Merged with P6 in March');
    expect(cancelled.reply.announce).toHaveLength(1);
    expect((await run('plenary list')).out).toContain('P5 Online plenary (online) — December 2025 · CANCELLED: Merged with P6 in March');
    expect((await run('plenary')).out).toContain('Next plenary: P6');
    expect((await run('agenda add "An item" --plenary P5', MEMBER)).out).toContain('P5 is cancelled.');
    expect((await run('plenary set P5 --venue Rome', SECRETARIAT)).out).toContain('Reinstate it first with: plenary confirm P5');

    expect((await run('plenary confirm P5', SECRETARIAT)).out).toContain('P5 Online plenary reinstated');
    expect((await run('plenary')).out).toContain('Next plenary: P5');
  });

  it('adds a plenary with the next code, in the partnership\'s date range', async () => {
    const { reply, out } = await run('plenary add 2027-03 in-person --venue "Brussels, CoR JDE 52"', SECRETARIAT);
    expect(reply.error).toBeFalsy();
    expect(out).toContain('Added P10');
    expect(out).toContain('P10 In-person plenary (in person) — March 2027, Brussels, CoR JDE 52');
    expect(reply.announce![0]).toMatchObject({ scope: 'partnership' });
    expect(await db().auditEntry.count({ where: { entityCode: 'P10', verb: 'added' } })).toBe(1);
    expect((await run('plenary add 2040-01 online', SECRETARIAT)).out).toContain("outside this partnership's plan");
    expect((await run('plenary add tbd online', SECRETARIAT)).out).toContain('A plenary needs at least a month');
  });

  it('takes Discord\'s typed options through the same command', async () => {
    const { reply } = await run('', SECRETARIAT, { command: { name: 'plenary set', options: { plenary: 'P5', format: 'hybrid', venue: 'Vienna' } } });
    expect(reply.error).toBeFalsy();
    // Its generic title follows the format, so lists do not read "Online plenary (hybrid)".
    expect(await db().meeting.findFirstOrThrow({ where: { code: 'P5' } })).toMatchObject({ format: 'hybrid', location: 'Vienna', title: 'Hybrid plenary' });
  });
});

describe('the calendar follows', () => {
  it('a timed plenary ends after its duration (default 2 h); each change raises SEQUENCE', async () => {
    const before = calendarEvent((await run('calendar')).reply, 'P5');
    await run('plenary set P5 --date 2025-12-10 --time 10:00', SECRETARIAT);
    const timed = calendarEvent((await run('calendar')).reply, 'P5');
    expect(timed.ics).toContain('DTSTART;TZID=Europe/Brussels:20251210T100000');
    expect(timed.ics).toContain('DTEND;TZID=Europe/Brussels:20251210T120000');
    await run('plenary set P5 --duration 1h30', SECRETARIAT);
    const shorter = calendarEvent((await run('calendar')).reply, 'P5');
    expect(shorter.ics).toContain('DTEND;TZID=Europe/Brussels:20251210T113000');
    expect(shorter.event.endDate.toJSDate().getTime() - shorter.event.startDate.toJSDate().getTime()).toBe(90 * 60_000);
    expect(shorter.event.sequence).toBe(timed.event.sequence + 1);
    expect(timed.event.sequence).toBeGreaterThan(before.event.sequence);
    await run('plenary cancel P5 "No quorum"', SECRETARIAT);
    const cancelled = calendarEvent((await run('calendar')).reply, 'P5');
    expect(cancelled.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(cancelled.event.sequence).toBe(shorter.event.sequence + 1);
    expect(cancelled.event.description).toContain('Cancelled: No quorum.');
  });
});

describe('the scheduler follows', () => {
  const plenaryNotices = async () => (await planAll(f.bot)).planned.filter((p) => p.kind.startsWith('plenary-') && p.key.includes(':'));

  it('moving the date moves the agenda call, freeze reminder and agenda posts with it', async () => {
    await run('plenary set P5 --date 2026-01-20 --time 10:00', SECRETARIAT);
    // 21 days before 20 January: the call for agenda items, for the new day only.
    at('2025-12-30T09:30:00+01:00');
    const call = await plenaryNotices();
    expect(call.map((p) => p.kind)).toEqual(['plenary-call']);
    expect(call[0]!.key).toContain(':2026-01-20');
    at('2026-01-10T09:30:00+01:00');
    expect((await plenaryNotices()).map((p) => p.kind)).toEqual(['plenary-freeze']);
    at('2026-01-13T09:30:00+01:00');
    const agenda = await plenaryNotices();
    expect(agenda.map((p) => p.kind)).toEqual(['plenary-agenda']);
    expect(renderText(agenda[0]!.payload)).toContain('20 Jan 2026 at 10:00');
  });

  it('a cancelled plenary gets no more notices', async () => {
    await run('plenary set P5 --date 2026-01-20', SECRETARIAT);
    await run('plenary cancel P5 "Moved to P6"', SECRETARIAT);
    at('2025-12-30T09:30:00+01:00');
    expect(await plenaryNotices()).toEqual([]);
  });
});
