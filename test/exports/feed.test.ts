// "calendar feed" and the HTTP handler any server can mount at /calendar/<token>.ics.
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainText } from '../../src/core/reply.ts';
import { loadConfig } from '../../src/config.ts';
import { Bot } from '../../src/core/bot.ts';
import { hashFeedToken } from '../../src/exports/feeds.ts';
import { handleCalendarFeed, registerCalendarRoutes } from '../../src/http/calendar-feed.ts';
import { createHttpServer } from '../../src/http/server.ts';
import { exportFixture, SECRETARIAT, type ExportFixture } from './harness.ts';

let f: ExportFixture;
beforeAll(async () => {
  f = await exportFixture('2025-11-20');
});
afterAll(async () => {
  await f?.db.drop();
});

async function newFeed(line: string, as = SECRETARIAT): Promise<string> {
  const reply = await f.run(line, as);
  expect(reply.error).toBeFalsy();
  expect(reply.ephemeral).toBe(true);
  const shown = reply.blocks.map((b) => (b.type === 'text' ? plainText(b.text) : '')).join('\n');
  const match = /http:\/\/localhost:8080\/calendar\/([A-Za-z0-9_-]{43})\.ics/.exec(shown);
  expect(match, shown).not.toBeNull();
  return match![1]!;
}

describe('calendar feeds', () => {
  it('stores only the hash of the token, and serves the calendar at its path', async () => {
    const token = await newFeed('calendar feed A2');
    const stored = await f.db.prisma.calendarFeed.findMany();
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored.map((s) => s.tokenHash)).toContain(hashFeedToken(token));

    const res = await handleCalendarFeed(f.db.prisma, `${token}.ics`, f.clock);
    expect(res.status).toBe(200);
    expect(res.headers['Content-Type']).toBe('text/calendar; charset=utf-8');
    const uids = new ICAL.Component(ICAL.parse(res.body)).getAllSubcomponents('vevent').map((c) => String(c.getFirstPropertyValue('uid')));
    expect(uids.some((u) => u.startsWith('A2.'))).toBe(true);
    expect(uids.some((u) => u.startsWith('A1.'))).toBe(false);
  });

  it('is served over HTTP at the URL the command gives, as a calendar client polls it', async () => {
    const token = await newFeed('calendar feed A1');
    const http = createHttpServer({ port: 0, host: '127.0.0.1' });
    registerCalendarRoutes(http, f.db.prisma, f.clock);
    const { port } = await http.listen();
    try {
      const res = await fetch(`http://127.0.0.1:${port}/calendar/${token}.ics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
      const cal = new ICAL.Component(ICAL.parse(await res.text()));
      expect(cal.getAllSubcomponents('vevent').length).toBeGreaterThan(5);
      expect((await fetch(`http://127.0.0.1:${port}/calendar/${'x'.repeat(43)}.ics`)).status).toBe(404);
    } finally {
      await http.close();
    }
  });

  it('answers 404 for unknown, malformed and revoked tokens alike', async () => {
    const token = await newFeed('calendar feed');
    expect((await handleCalendarFeed(f.db.prisma, token, f.clock)).status).toBe(200);
    expect((await handleCalendarFeed(f.db.prisma, 'A'.repeat(43), f.clock)).status).toBe(404);
    expect((await handleCalendarFeed(f.db.prisma, '../../etc/passwd', f.clock)).status).toBe(404);
    await f.db.prisma.calendarFeed.update({ where: { tokenHash: hashFeedToken(token) }, data: { revokedAt: f.clock.now() } });
    const revoked = await handleCalendarFeed(f.db.prisma, token, f.clock);
    expect(revoked.status).toBe(404);
    expect(revoked.body).not.toContain('BEGIN:VCALENDAR');
  });

  it('a "mine" feed follows the person; feeds need a linked person', async () => {
    const token = await newFeed('calendar feed mine', 'demo-aer');
    const body = (await handleCalendarFeed(f.db.prisma, token, f.clock)).body;
    expect(body).toMatch(/UID:A3\./);
    expect(body).not.toMatch(/UID:A[24]\./);
    expect((await f.run('calendar feed')).error).toBe(true);
  });

  it('lists a member\'s own feeds, which only they turn off, with the button the list gives', async () => {
    const token = await newFeed('calendar feed mine', 'demo-aer');
    const feed = await f.db.prisma.calendarFeed.findUniqueOrThrow({ where: { tokenHash: hashFeedToken(token) } });
    const aer = await f.db.prisma.person.findFirstOrThrow({ where: { key: 'demo-aer' } });
    expect(feed.createdById).toBe(aer.id);

    const list = await f.run('calendar feeds', 'demo-aer');
    expect(list.ephemeral).toBe(true);
    const button = list.blocks.flatMap((b) => (b.type === 'buttons' ? b.buttons : [])).find((b) => b.command === `calendar revoke ${feed.id}`);
    expect(button?.label).toBe('Turn off');
    expect((await f.run('calendar feeds', 'demo-milan')).blocks.some((b) => b.type === 'text' && plainText(b.text).includes(feed.id))).toBe(false);

    // Someone else cannot turn it off: refused, audited, the feed still served.
    const refused = await f.run(button!.command, 'demo-milan');
    expect(refused.error).toBe(true);
    expect(plainText(refused.blocks.flatMap((b) => (b.type === 'text' ? b.text : [])))).toContain('Only the person who made a calendar feed');
    expect((await handleCalendarFeed(f.db.prisma, token, f.clock)).status).toBe(200);
    expect(await f.db.prisma.auditEntry.count({ where: { verb: 'refused', entityCode: 'calendar revoke' } })).toBeGreaterThan(0);

    const done = await f.run(button!.command, 'demo-aer');
    expect(done.error).toBeFalsy();
    expect(done.title).toBe('Calendar feed turned off');
    expect((await handleCalendarFeed(f.db.prisma, token, f.clock)).status).toBe(404);
    expect(await f.db.prisma.auditEntry.count({ where: { entityId: feed.id, verb: 'revoked' } })).toBe(1);
    expect((await f.run(button!.command, 'demo-aer')).title).toBe('Already off');
    expect((await f.run('calendar feeds', 'demo-aer')).blocks.some((b) => b.type === 'text' && plainText(b.text).includes(feed.id))).toBe(false);

    const unknown = await f.run('calendar revoke no-such-feed', 'demo-aer');
    expect(unknown.error).toBe(true);
    expect(plainText(unknown.blocks.flatMap((b) => (b.type === 'text' ? b.text : [])))).toContain('There is no calendar feed "no-such-feed"');
  });

  it('the secretariat sees every feed, with who made it, and can turn any off', async () => {
    const token = await newFeed('calendar feed A3', 'demo-aer');
    const feed = await f.db.prisma.calendarFeed.findUniqueOrThrow({ where: { tokenHash: hashFeedToken(token) } });
    const list = await f.run('calendar feeds', SECRETARIAT);
    const line = list.blocks.map((b) => (b.type === 'text' ? plainText(b.text) : '')).find((t) => t.includes(feed.id));
    expect(line).toMatch(/^A3 .+ — made \d+ \w+ \d{4}, by .+ \(/);
    expect((await f.run(`calendar revoke ${feed.id}`, SECRETARIAT)).error).toBeFalsy();
    expect((await handleCalendarFeed(f.db.prisma, token, f.clock)).status).toBe(404);
  });

  it('the feed creation is audited', async () => {
    const entries = await f.db.prisma.auditEntry.findMany({ where: { entityType: 'calendar feed' } });
    expect(entries.length).toBeGreaterThanOrEqual(3);
  });

  it('takes its base URL from PARTNERBOT_PUBLIC_URL and rejects a non-http one', async () => {
    expect(loadConfig({ PARTNERBOT_PUBLIC_URL: 'https://bot.example.org/' }).PARTNERBOT_PUBLIC_URL).toBe('https://bot.example.org');
    expect(loadConfig({}).PARTNERBOT_PUBLIC_URL).toBe('http://localhost:8080');
    expect(() => loadConfig({ PARTNERBOT_PUBLIC_URL: 'javascript:alert(1)' })).toThrow(/PARTNERBOT_PUBLIC_URL/);
    const bot = new Bot({ ...f.bot.deps, publicUrl: loadConfig({ PARTNERBOT_PUBLIC_URL: 'https://bot.example.org/' }).PARTNERBOT_PUBLIC_URL });
    const person = await f.db.prisma.person.findFirstOrThrow({ where: { key: SECRETARIAT } });
    const reply = await bot.handle({ platform: 'shell', workspaceId: 'local', userId: `person:${person.key}`, displayName: person.name, text: 'calendar feed', trustedPersonId: person.id });
    const shown = reply.blocks.map((b) => (b.type === 'text' ? plainText(b.text) : '')).join('\n');
    expect(shown).toMatch(/https:\/\/bot\.example\.org\/calendar\/[A-Za-z0-9_-]{43}\.ics/);
  });
});
