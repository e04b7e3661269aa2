// A bounce that comes days after the relay took the message: the envelope sender names the outbox row
// (bounces+<id>@domain), and a delivery status notification sent back to it marks that row failed.
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailTransport, type EmailTransport } from '../../adapters/email/index.ts';
import { startBounceReceiver, type BounceReceiver } from '../../adapters/email/bounces.ts';
import { silentLogger } from '../../src/core/bot.ts';
import { renderText } from '../../src/delivery/plain-text.ts';
import { LogTransport } from '../../src/delivery/transport.ts';
import { Dispatcher } from '../../src/scheduler/dispatcher.ts';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { shippedPlanFixture, type Fixture } from '../support/database.ts';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';

const FROM = 'partnerbot@partnership.example.org';
const BOUNCES = 'bounces@partnership.example.org';

let f: Fixture;
let sink: SmtpSink;
let email: EmailTransport;
let receiver: BounceReceiver;

beforeAll(async () => {
  f = await shippedPlanFixture('2025-11-24T09:00');
  sink = await startSmtpSink();
  email = createEmailTransport({ smtpUrl: `smtp://127.0.0.1:${sink.port}`, from: FROM, bounceAddress: BOUNCES, publicUrl: 'https://bot.example.org', linkSecret: async () => 'x'.repeat(32), db: f.db.prisma, clock: f.clock });
  const dispatcher = new Dispatcher({ db: f.db.prisma, clock: f.clock, transports: [email], log: new LogTransport(() => {}), workerId: 'bounce-test' });
  await new Scheduler(f.bot, dispatcher).tick();
  receiver = await startBounceReceiver({ host: '127.0.0.1', port: 0, address: BOUNCES, db: f.db.prisma, logger: silentLogger });
}, 120_000);

afterAll(async () => {
  email?.close();
  await receiver?.close();
  await sink?.close();
  await f?.db.drop();
});

/** What a recipient's server sends back (RFC 3464), to the envelope sender of the message it refused. */
const dsn = (recipient: string, action = 'failed') =>
  [
    'From: Mail Delivery System <MAILER-DAEMON@mx.city.example>',
    `Subject: Undelivered Mail Returned to Sender`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain',
    '',
    'Your message could not be delivered.',
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.city.example',
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    `Action: ${action}`,
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 <mailbox unknown>',
    '',
    '--b1--',
    '',
  ].join('\r\n');

async function sendTo(rcpt: string, raw: string): Promise<void> {
  const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: receiver.port, secure: false, ignoreTLS: true });
  try {
    await mailer.sendMail({ envelope: { from: 'mailer-daemon@mx.city.example', to: rcpt }, raw });
  } finally {
    mailer.close();
  }
}

describe('bounces', () => {
  it('every message names its outbox row in its envelope sender', async () => {
    const sent = await f.db.prisma.outboxMessage.findMany({ where: { status: 'sent', deliveredVia: 'email' } });
    expect(sent.length).toBeGreaterThan(0);
    const expected = sent.map((r) => `bounces+${r.id}@partnership.example.org`).sort();
    expect(sink.received.map((r) => r.from).sort()).toEqual(expected);
  });

  it('a failure report marks that row failed, with the remote server\'s words, listed for the secretariat', async () => {
    const [row, other] = await f.db.prisma.outboxMessage.findMany({ where: { status: 'sent', deliveredVia: 'email', personId: { not: null } }, orderBy: { key: 'asc' }, take: 2 });
    const person = await f.db.prisma.person.findUniqueOrThrow({ where: { id: row!.personId! } });
    await sendTo(`bounces+${row!.id}@partnership.example.org`, dsn(person.email!));
    expect(await f.db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: row!.id } })).toMatchObject({
      status: 'failed',
      lastError: `bounced by ${person.email}'s server: 550 5.1.1 <mailbox unknown>`,
    });
    expect((await f.db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: other!.id } })).status).toBe('sent');
    const secretariat = await f.db.prisma.person.findFirstOrThrow({ where: { key: 'demo-secretariat' } });
    const listed = await f.bot.handle({ platform: 'shell', workspaceId: 'local', userId: secretariat.key, displayName: secretariat.name, text: 'notify outbox --failed', trustedPersonId: secretariat.id });
    expect(renderText(listed)).toContain('550 5.1.1');
  });

  it('a delay notice or an out-of-office changes nothing, and mail for any other address is refused', async () => {
    const [row] = await f.db.prisma.outboxMessage.findMany({ where: { status: 'sent', deliveredVia: 'email' }, orderBy: { key: 'desc' }, take: 1 });
    await sendTo(`bounces+${row!.id}@partnership.example.org`, dsn('someone@city.example', 'delayed'));
    await sendTo(`bounces+${row!.id}@partnership.example.org`, 'From: a@city.example\r\nSubject: Out of office\r\n\r\nBack on Monday.\r\n');
    expect((await f.db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: row!.id } })).status).toBe('sent');
    await expect(sendTo('postmaster@partnership.example.org', dsn('x@city.example'))).rejects.toMatchObject({ responseCode: 550 });
    await expect(sendTo(`other+${row!.id}@partnership.example.org`, dsn('x@city.example'))).rejects.toMatchObject({ responseCode: 550 });
  });
});
