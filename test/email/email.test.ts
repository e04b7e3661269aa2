// The e-mail channel against a real SMTP server: what arrives (parsed by mailparser, the invitation by
// ical.js and node-ical), the signed links followed over HTTP, and how the relay's answers (4xx, 5xx,
// a connection cut mid-DATA) end in the outbox.
import ICAL from 'ical.js';
import nodeIcal, { type VEvent } from 'node-ical';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmailTransport, type EmailTransport } from '../../adapters/email/index.ts';
import { parseInstant } from '../../src/core/clock.ts';
import { registerActionLinkRoutes } from '../../src/http/action-links.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import { Dispatcher } from '../../src/scheduler/dispatcher.ts';
import { LogTransport, type Transport } from '../../src/delivery/transport.ts';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { personPreferences } from '../../src/domain/settings.ts';
import { shippedPlanFixture, type Fixture } from '../support/database.ts';
import { importWorkPlan } from '../../src/workplan/import.ts';
import { parseWorkPlan } from '../../src/workplan/load.ts';
import { startSmtpSink, type Received, type SmtpSink } from './smtp-sink.ts';

const SECRET = 'test-link-secret-0123456789abcdef0123456789';
const FROM = 'partnerbot@partnership.example.org';
const LIST = 'members@partnership.example.org';

let f: Fixture;
let sink: SmtpSink;
let http: HttpServer;
let base: string;
let email: EmailTransport;
let scheduler: Scheduler;
let dispatcher: Dispatcher;

const db = () => f.db.prisma;
const at = (iso: string) => f.clock.set(parseInstant(iso, 'Europe/Brussels'));

beforeAll(async () => {
  f = await shippedPlanFixture('2025-11-24T09:00');
  sink = await startSmtpSink();
  http = createHttpServer({ port: 0, host: '127.0.0.1' });
  registerActionLinkRoutes(http, { bot: f.bot, clock: f.clock, secret: SECRET });
  base = `http://127.0.0.1:${(await http.listen()).port}`;
  email = createEmailTransport({ smtpUrl: `smtp://127.0.0.1:${sink.port}`, from: FROM, digestTo: LIST, publicUrl: base, linkSecret: async () => SECRET, db: db(), clock: f.clock });
  dispatcher = new Dispatcher({ db: db(), clock: f.clock, transports: [email], log: new LogTransport(() => {}), workerId: 'email-test' });
  scheduler = new Scheduler(f.bot, dispatcher);
}, 120_000);

afterAll(async () => {
  email?.close();
  await http?.close();
  await sink?.close();
  await f?.db.drop();
});

beforeEach(() => {
  sink.received.length = 0;
  sink.script.length = 0;
});

const as = async (personKey: string, text: string) => {
  const person = await db().person.findFirstOrThrow({ where: { key: personKey } });
  return f.bot.handle({ platform: 'shell', workspaceId: 'local', userId: person.key, displayName: person.name, text, trustedPersonId: person.id });
};
const header = (r: Received, name: string) => r.mail.headers.get(name);
/** The raw header, unfolded (mailparser turns List-* headers into an object of its own). */
const rawHeader = (r: Received, name: string) => r.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ').match(new RegExp(`^${name}: (.*)$`, 'mi'))?.[1];
const linksIn = (r: Received) => Object.fromEntries([...(r.mail.text ?? '').matchAll(/^(.+?): (http:\/\/\S+)$/gm)].map((m) => [m[1]!, m[2]!]));

describe('a Monday morning tick', () => {
  let nudges: Received[];

  it('e-mails the digest to the list and the nudges to co-leaders with no chat account, once', async () => {
    at('2025-11-24T09:00');
    const first = await scheduler.tick();
    const digest = sink.received.filter((r) => r.to.includes(LIST));
    expect(digest).toHaveLength(1);
    expect(digest[0]!.mail.subject).toMatch(/digest/i);
    nudges = sink.received.filter((r) => r.mail.subject?.match(/ is due /));
    expect(nudges.length).toBeGreaterThan(0);
    const coLeaders = await db().person.findMany({ where: { organisation: { actionRoles: { some: { role: 'co_leader' } } } }, select: { email: true } });
    for (const n of nudges) expect(coLeaders.map((p) => p.email)).toContain(n.to[0]);
    expect(first.deliveries.filter((d) => d.outcome !== 'sent')).toEqual([]);
    const before = sink.received.length;
    const second = await scheduler.tick();
    expect(second.planned).toEqual([]);
    expect(sink.received.length).toBe(before);
  });

  it('renders a nudge: a subject that says what to do, both parts, unsubscribe and threading headers', async () => {
    const n = nudges.find((r) => linksIn(r)['Mark done'])!;
    expect(n.mail.subject).toMatch(/^A\d\.\S+ is due in \d+ days — \S/);
    expect(n.mail.text).toContain('Mark done: http://');
    expect(n.mail.html).toContain('Mark done</a>');
    expect(n.mail.html).toContain('color-scheme');
    expect(n.mail.html).not.toMatch(/<img/);
    expect(rawHeader(n, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(rawHeader(n, 'List-Unsubscribe')).toMatch(new RegExp(`^<${base}/email/unsubscribe/[\\w-]+\\.[\\w-]+>$`));
    expect(header(n, 'auto-submitted')).toBe('auto-generated');
    expect(n.mail.messageId).toMatch(/^<[0-9a-f]{32}@partnership\.example\.org>$/);
    expect(n.mail.inReplyTo).toMatch(/^<item-\S+@partnership\.example\.org>$/);
    expect(n.mail.references).toBe(n.mail.inReplyTo);
    expect(n.mail.from?.value[0]?.address).toBe(FROM);
  });

  it('a week of nudges about one item is one thread: a later nudge refers to the same root', async () => {
    const n = nudges[0]!;
    const code = n.mail.subject!.split(' ')[0]!;
    const item = await db().activity.findFirst({ where: { code } }) ?? await db().output.findFirstOrThrow({ where: { code } });
    expect(n.mail.inReplyTo).toBe(`<item-${item.id}@partnership.example.org>`);
  });

  it('a link shows on GET and changes nothing, does it on POST as the person (audited, platform "email"), once', async () => {
    const n = nudges.find((r) => linksIn(r)['Mark done'])!;
    const code = n.mail.subject!.split(' ')[0]!;
    const url = linksIn(n)['Mark done']!;
    const shown = await fetch(url);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain(`milestone done ${code}`);
    expect((await db().activity.findFirstOrThrow({ where: { code } })).status).not.toBe('done');

    const done = await fetch(url, { method: 'POST' });
    expect(done.status).toBe(200);
    expect((await db().activity.findFirstOrThrow({ where: { code } })).status).toBe('done');
    const person = await db().person.findFirstOrThrow({ where: { email: n.to[0] } });
    const audit = await db().auditEntry.findFirstOrThrow({ where: { entityCode: code }, orderBy: { at: 'desc' } });
    expect(audit).toMatchObject({ platform: 'email', actorId: person.id });

    const again = await fetch(url, { method: 'POST' });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('used already');
    expect((await fetch(url)).status).toBe(410);
    expect(await db().auditEntry.count({ where: { entityCode: code, platform: 'email' } })).toBe(1);
  });

  it('a link that needs a value asks for it on its page, and runs with it on POST; an empty form changes nothing and leaves the link usable', async () => {
    const n = nudges.filter((r) => linksIn(r)['Move date']).at(-1)!;
    const code = n.mail.subject!.split(' ')[0]!;
    const url = linksIn(n)['Move date']!;
    const find = async () => (await db().activity.findFirst({ where: { code } })) ?? (await db().output.findFirstOrThrow({ where: { code } }));
    const before = await find();
    const page = await (await fetch(url)).text();
    expect(page).toContain('<input id="f-when" name="when" type="date" required>');
    expect(page).toContain('name="tentative" type="checkbox"');

    const form = (fields: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const empty = await fetch(url, form({ when: ' ' }));
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('New date: please fill it in.');
    expect((await find()).whenEnd).toEqual(before.whenEnd);

    // A value that looks like another option stays a value, refused by the date parser, not obeyed.
    const sneaky = await fetch(url, form({ when: '--help', tentative: 'true' }));
    expect(sneaky.status).toBe(422);
    expect((await find()).whenEnd).toEqual(before.whenEnd);
  });

  it('a value the command refuses changes nothing and leaves the link usable: corrected, it runs, once', async () => {
    const n = nudges.filter((r) => linksIn(r)['Move date']).at(-3)!;
    const code = n.mail.subject!.split(' ')[0]!;
    const url = linksIn(n)['Move date']!;
    const find = async () => (await db().activity.findFirst({ where: { code } })) ?? (await db().output.findFirstOrThrow({ where: { code } }));
    const before = await find();
    const post = (when: string) => fetch(url, { method: 'POST', body: new URLSearchParams({ when }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

    const wrong = await post('the thirty-first of Smarch');
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('the link still works');
    expect((await find()).whenEnd).toEqual(before.whenEnd);

    const corrected = await post('2026-04-30');
    expect(corrected.status).toBe(200);
    expect((await find()).whenEnd?.toISOString().slice(0, 10)).toBe('2026-04-30');
    expect((await post('2026-05-31')).status).toBe(410);
    expect((await find()).whenEnd?.toISOString().slice(0, 10)).toBe('2026-04-30');
  });

  it('a value link moves the item as the person, audited with platform "email"', async () => {
    const n = nudges.filter((r) => linksIn(r)['Move date']).at(-2)!;
    const code = n.mail.subject!.split(' ')[0]!;
    const url = linksIn(n)['Move date']!;
    const personId = JSON.parse(Buffer.from(url.split('/').pop()!.split('.')[0]!, 'base64url').toString()).p as string;
    const moved = await fetch(url, { method: 'POST', body: 'when=2026-03-15&tentative=true', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(moved.status).toBe(200);
    const item = (await db().activity.findFirst({ where: { code } })) ?? (await db().output.findFirstOrThrow({ where: { code } }));
    expect(item.whenStart?.toISOString().slice(0, 10)).toBe('2026-03-15');
    expect(item.whenTentative).toBe(true);
    // Co-leaders of one Action get the same nudge: the audit names the one whose link it was.
    expect(await db().auditEntry.count({ where: { entityCode: code, platform: 'email', actorId: personId } })).toBeGreaterThan(0);
  });

  it('acts in its person\'s partnership when the database holds another one with the same ids', async () => {
    const other = await importWorkPlan(db(), parseWorkPlan(`
partnership: { slug: other-partnership, name: Another Partnership, timeZone: Europe/Brussels }
organisations: [{ key: lisbon, name: Lisbon, kind: city, country: PT }]
actions:
  - { number: 1, shortTitle: Housing, title: Housing, objective: Homes, governanceLevels: [local], deadline: "2027-03", coLeaders: [lisbon], activities: [{ title: Mapping, when: "2025-11" }, { title: Visits, when: "2025-12" }, { title: Report, when: "2026-01" }] }
  - { number: 2, shortTitle: Schools, title: Schools, objective: Schools, governanceLevels: [local], deadline: "2027-03", coLeaders: [lisbon], activities: [{ title: Mapping, when: "2025-11" }, { title: Visits, when: "2025-12" }, { title: Report, when: "2026-01" }] }
`));
    try {
      const n = nudges.filter((r) => linksIn(r)['Mark done']).at(-1)!;
      const code = n.mail.subject!.split(' ')[0]!;
      const done = await fetch(linksIn(n)['Mark done']!, { method: 'POST' });
      expect(done.status).toBe(200);
      const item = (await db().activity.findFirst({ where: { code, action: { partnershipId: f.partnershipId } } })) ?? (await db().output.findFirstOrThrow({ where: { code, action: { partnershipId: f.partnershipId } } }));
      expect(['done', 'validated']).toContain(item.status);
      expect(await db().activity.count({ where: { action: { partnershipId: other.partnershipId }, status: 'done' } })).toBe(0);
    } finally {
      await db().partnership.delete({ where: { id: other.partnershipId } });
    }
  });

  it('a forged link is refused (403) and an expired one (410); neither changes anything', async () => {
    const n = nudges.find((r) => linksIn(r)['Snooze 3 days'])!;
    const code = n.mail.subject!.split(' ')[0]!;
    const url = linksIn(n)['Snooze 3 days']!;
    const [payload, signature] = url.split('/').pop()!.split('.') as [string, string];
    // Another command in the same envelope, the old signature: what someone tampering would try.
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const tampered = Buffer.from(JSON.stringify({ ...claims, c: 'org remove dg-home' })).toString('base64url');
    for (const forged of [`${base}/email/act/${tampered}.${signature}`, `${base}/email/act/${payload}.${signature.slice(0, -2)}AA`, `${base}/email/act/nonsense`]) {
      expect((await fetch(forged, { method: 'POST' })).status).toBe(403);
    }
    const snoozedBefore = (await db().activity.findFirst({ where: { code } }) ?? await db().output.findFirstOrThrow({ where: { code } })).snoozedUntil;
    at('2025-12-09T09:00');
    try {
      const expired = await fetch(url, { method: 'POST' });
      expect(expired.status).toBe(410);
      expect(await expired.text()).toContain('expired');
    } finally {
      at('2025-11-24T09:00');
    }
    const snoozedAfter = (await db().activity.findFirst({ where: { code } }) ?? await db().output.findFirstOrThrow({ where: { code } })).snoozedUntil;
    expect(snoozedAfter).toEqual(snoozedBefore);
    expect(await db().organisation.count({ where: { key: 'dg-home' } })).toBe(1);
  });

  it('one-click unsubscribe (RFC 8058) turns nudges off for that person only', async () => {
    const n = nudges[0]!;
    const url = rawHeader(n, 'List-Unsubscribe')!.slice(1, -1);
    const res = await fetch(url, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(200);
    const person = await db().person.findFirstOrThrow({ where: { email: n.to[0] } });
    expect(personPreferences(person.preferences).emailOff).toEqual(['nudges']);
    expect(await db().person.count({ where: { preferences: { path: ['emailOff'], array_contains: 'nudges' } } })).toBe(1);
    // Their next nudge is not e-mailed, and with no chat account it is listed for the secretariat, not dropped.
    const key = `nudge:after-unsubscribe:${person.id}`;
    await db().outboxMessage.create({ data: { partnershipId: f.partnershipId, key, kind: 'nudge', dueAt: f.clock.now(), personId: person.id, actionNumber: 1, payload: { title: 'A1.2 is due in 6 days', blocks: [] } } });
    const sent = sink.received.length;
    await dispatcher.dispatchDue();
    expect(sink.received.length).toBe(sent);
    expect(await db().outboxMessage.findUniqueOrThrow({ where: { key } })).toMatchObject({ status: 'failed', lastError: expect.stringContaining('unsubscribed from these e-mails') });
    await db().outboxMessage.delete({ where: { key } });
  });
});

describe('the relay answers', () => {
  async function queueNudge(title: string) {
    const person = await db().person.findFirstOrThrow({ where: { key: 'demo-milan' } });
    await db().person.update({ where: { id: person.id }, data: { preferences: {} } });
    const key = `nudge:test:${Math.random()}`;
    await db().outboxMessage.create({
      data: {
        partnershipId: f.partnershipId,
        key,
        kind: 'nudge',
        dueAt: f.clock.now(),
        personId: person.id,
        actionNumber: 1,
        payload: { title: 'A1.2 is due in 6 days', about: { id: 'x1', code: 'A1.2', title }, blocks: [{ type: 'text', text: [`${title} <b>bold</b>`] }] },
      },
    });
    return key;
  }
  const row = (key: string) => db().outboxMessage.findUniqueOrThrow({ where: { key } });
  const later = (minutes: number) => f.clock.set(new Date(f.clock.now().getTime() + minutes * 60_000));

  beforeEach(() => at('2025-11-25T10:00'));

  it('450 then 250: retried with backoff, delivered exactly once', async () => {
    const key = await queueNudge('Busy mailbox');
    sink.script.push(450);
    expect((await dispatcher.dispatchDue()).map((d) => d.outcome)).toEqual(['retry']);
    expect((await row(key)).lastError).toMatch(/450/);
    later(1);
    expect((await dispatcher.dispatchDue()).map((d) => d.outcome)).toEqual(['sent']);
    expect(sink.received).toHaveLength(1);
    expect((await row(key)).deliveredVia).toBe('email');
  });

  it('550: the row fails at once and "notify outbox --failed" lists it', async () => {
    const key = await queueNudge('Unknown mailbox');
    sink.script.push(550);
    expect((await dispatcher.dispatchDue()).map((d) => d.outcome)).toEqual(['failed']);
    expect(await row(key)).toMatchObject({ status: 'failed', attempts: 1 });
    const listed = await as('demo-secretariat', 'notify outbox --failed');
    expect(JSON.stringify(listed)).toContain('No such user here');
    await db().outboxMessage.delete({ where: { key } });
  });

  it('a connection cut in the middle of DATA is retried, and arrives once', async () => {
    const key = await queueNudge('Network cut');
    sink.script.push('drop-mid-data');
    expect((await dispatcher.dispatchDue()).map((d) => d.outcome)).toEqual(['retry']);
    expect(sink.received).toHaveLength(0);
    later(1);
    expect((await dispatcher.dispatchDue()).map((d) => d.outcome)).toEqual(['sent']);
    expect(sink.received).toHaveLength(1);
    expect((await row(key)).status).toBe('sent');
  });

  it('a title with line breaks cannot add headers, and markup in it stays text', async () => {
    await queueNudge('Evil\r\nBcc: victim@example.org\r\n\r\n<script>alert(1)</script>');
    await dispatcher.dispatchDue();
    const [r] = sink.received;
    expect(r!.to).toEqual(['chiara.bellini@example.org']);
    expect(r!.mail.headers.has('bcc')).toBe(false);
    expect(r!.mail.subject).toBe('A1.2 is due in 6 days — Evil Bcc: victim@example.org <script>alert(1)</script>');
    expect(r!.mail.html).not.toContain('<script>');
    expect(r!.mail.html).toContain('&lt;b&gt;bold&lt;/b&gt;');
  });
});

describe('who gets e-mail ("notify via")', () => {
  const dms: string[] = [];
  const slack: Transport = {
    platform: 'slack',
    sendDm: async (userId) => void dms.push(userId),
    postChannel: async () => {},
  };

  async function deliver(via: string | null) {
    dms.length = 0;
    sink.received.length = 0;
    const person = await db().person.findFirstOrThrow({ where: { key: 'demo-bologna' } });
    await db().chatIdentity.deleteMany({ where: { personId: person.id } });
    if (via !== null) {
      await db().chatIdentity.create({ data: { personId: person.id, platform: 'slack', workspaceId: 'T1', externalId: 'U-BOLOGNA' } });
      await db().person.update({ where: { id: person.id }, data: { preferences: via === 'auto' ? {} : { via } } });
    }
    await db().outboxMessage.create({
      data: { partnershipId: f.partnershipId, key: `nudge:via:${Math.random()}`, kind: 'nudge', dueAt: f.clock.now(), personId: person.id, actionNumber: 1, payload: { title: 'A1.2 is due in 6 days', blocks: [] } },
    });
    const both = new Dispatcher({ db: db(), clock: f.clock, transports: [slack, email], log: new LogTransport(() => {}), workerId: 'via-test' });
    const [delivery] = await both.dispatchDue();
    return { via: delivery!.via, dms: [...dms], mails: sink.received.map((r) => r.to[0]) };
  }

  beforeEach(() => at('2025-11-26T10:00'));

  it('auto: chat for a person with a chat account, e-mail for one without; email and both as chosen', async () => {
    expect(await deliver('auto')).toEqual({ via: 'slack:dm', dms: ['U-BOLOGNA'], mails: [] });
    expect(await deliver(null)).toEqual({ via: 'email', dms: [], mails: ['lorenzo.fabbri@example.org'] });
    expect(await deliver('email')).toEqual({ via: 'email', dms: [], mails: ['lorenzo.fabbri@example.org'] });
    expect(await deliver('both')).toEqual({ via: 'email,slack:dm', dms: ['U-BOLOGNA'], mails: ['lorenzo.fabbri@example.org'] });
    expect(await deliver('chat')).toEqual({ via: 'slack:dm', dms: ['U-BOLOGNA'], mails: [] });
  });

  it('"notify via" and "notify email" set the preferences the dispatcher reads, audited', async () => {
    expect((await as('demo-bologna', 'notify via both')).error).toBeFalsy();
    expect((await as('demo-bologna', 'notify email off plenaries')).error).toBeFalsy();
    const prefs = personPreferences((await db().person.findFirstOrThrow({ where: { key: 'demo-bologna' } })).preferences);
    expect(prefs).toMatchObject({ via: 'both', emailOff: ['plenaries'] });
    const audited = await db().auditEntry.findMany({ where: { entityCode: 'demo-bologna', verb: 'preferences' }, orderBy: { at: 'asc' } });
    expect(audited.map((a) => (a.after as { via?: string }).via)).toContain('both');
    expect((await as('demo-bologna', 'notify via pigeon')).error).toBe(true);
    await as('demo-bologna', 'notify via auto');
    await as('demo-bologna', 'notify email on plenaries');
  });
});

describe('plenary invitations', () => {
  it('the agenda comes with METHOD:REQUEST (the feed\'s UID and SEQUENCE), a move with the new time at once, and a cancellation with METHOD:CANCEL', async () => {
    at('2025-11-25T10:00');
    expect((await as('demo-secretariat', 'plenary set P5 --date 2025-12-10 --time 10:00')).error).toBeFalsy();
    await db().outboxMessage.deleteMany({ where: { status: 'pending' } });
    at('2025-12-03T09:00');
    await scheduler.tick();
    const invites = sink.received.filter((r) => r.mail.subject?.startsWith('Agenda: P5'));
    expect(invites.length).toBeGreaterThan(5);
    const invite = invites[0]!;
    const ics = invite.mail.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.content.toString('utf8');
    const cal = new ICAL.Component(ICAL.parse(ics));
    expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
    const event = cal.getFirstSubcomponent('vevent')!;
    const meeting = await db().meeting.findFirstOrThrow({ where: { code: 'P5' } });
    expect(event.getFirstPropertyValue('uid')).toBe('P5@inclusion-of-migrants.partnerbot');
    expect(event.getFirstPropertyValue('sequence')).toBe(meeting.revision);
    expect(event.getFirstPropertyValue('organizer')).toBe(`mailto:${FROM}`);
    expect(event.getAllProperties('attendee').map((p) => p.getFirstValue())).toEqual([`mailto:${invite.to[0]}`]);
    const parsed = Object.values(nodeIcal.sync.parseICS(ics)).find((c) => c?.type === 'VEVENT') as VEvent;
    expect(parsed.start.toISOString()).toBe('2025-12-10T09:00:00.000Z');

    // Moved: every calendar holding it gets the new time at the next tick, once, same UID, higher SEQUENCE.
    sink.received.length = 0;
    expect((await as('demo-secretariat', 'plenary set P5 --time 14:00')).error).toBeFalsy();
    await scheduler.tick();
    const updates = sink.received.filter((r) => r.mail.subject?.startsWith('Changed: P5'));
    expect(updates.map((r) => r.to[0]).sort()).toEqual(invites.map((r) => r.to[0]).sort());
    const updateIcs = updates[0]!.mail.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.content.toString('utf8');
    const updateCal = new ICAL.Component(ICAL.parse(updateIcs));
    expect(updateCal.getFirstPropertyValue('method')).toBe('REQUEST');
    const updated = updateCal.getFirstSubcomponent('vevent')!;
    expect(updated.getFirstPropertyValue('uid')).toBe('P5@inclusion-of-migrants.partnerbot');
    expect(Number(updated.getFirstPropertyValue('sequence'))).toBeGreaterThan(Number(event.getFirstPropertyValue('sequence')));
    const moved = Object.values(nodeIcal.sync.parseICS(updateIcs)).find((c) => c?.type === 'VEVENT') as VEvent;
    expect(moved.start.toISOString()).toBe('2025-12-10T13:00:00.000Z');
    await scheduler.tick();
    expect(sink.received.filter((r) => r.mail.subject?.startsWith('Changed: P5'))).toHaveLength(updates.length);

    sink.received.length = 0;
    expect((await as('demo-secretariat', 'plenary cancel P5 "no quorum"')).error).toBeFalsy();
    await scheduler.tick();
    const cancels = sink.received.filter((r) => r.mail.subject?.startsWith('Cancelled: P5'));
    expect(cancels.map((r) => r.to[0]).sort()).toEqual(invites.map((r) => r.to[0]).sort());
    const cancelIcs = cancels[0]!.mail.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.content.toString('utf8');
    const cancelCal = new ICAL.Component(ICAL.parse(cancelIcs));
    expect(cancelCal.getFirstPropertyValue('method')).toBe('CANCEL');
    const cancelled = cancelCal.getFirstSubcomponent('vevent')!;
    expect(cancelled.getFirstPropertyValue('uid')).toBe('P5@inclusion-of-migrants.partnerbot');
    expect(cancelled.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(Number(cancelled.getFirstPropertyValue('sequence'))).toBeGreaterThan(Number(event.getFirstPropertyValue('sequence')));
    await scheduler.tick();
    expect(sink.received.filter((r) => r.mail.subject?.startsWith('Cancelled: P5'))).toHaveLength(cancels.length);
  });
});
