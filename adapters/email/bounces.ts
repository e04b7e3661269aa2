// Bounces: a relay accepts a message and, later, the recipient's server refuses it; the refusal comes
// back as a delivery status notification (RFC 3464) to the envelope sender. Each message's envelope
// sender is the bounce address with its outbox row's id (VERP: bounces+<id>@domain), so the bot, which
// receives mail for that address on its own SMTP port, marks exactly that row failed, and
// "notify outbox --failed" lists it with the remote server's words. Anything else sent there (an
// out-of-office, a delay notice) changes nothing.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Logger } from '../../src/core/bot.ts';
import type { Db } from '../../src/persistence/database.ts';

/** bounces@example.org and row id cmx1… → bounces+cmx1…@example.org */
export function bounceAddressFor(address: string, rowId: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}+${rowId}${address.slice(at)}`;
}

/** The outbox row id a VERP address carries, or undefined when it is not one of ours. */
export function rowIdOf(address: string, recipient: string): string | undefined {
  const at = address.lastIndexOf('@');
  const [local, domain] = [address.slice(0, at).toLowerCase(), address.slice(at + 1).toLowerCase()];
  const m = /^(.+)\+([a-z0-9]{1,40})@(.+)$/i.exec(recipient);
  return m && m[1]!.toLowerCase() === local && m[3]!.toLowerCase() === domain ? m[2] : undefined;
}

/**
 * The permanent failure a DSN reports, in words, or undefined when it is no DSN or reports no failure
 * (RFC 3464: a message/delivery-status part whose recipient fields say "Action: failed").
 */
export function failureOf(mail: ParsedMail): string | undefined {
  const status = mail.attachments.find((a) => a.contentType.toLowerCase() === 'message/delivery-status');
  if (!status) return undefined;
  const fields = status.content.toString('utf8').replace(/\r?\n[ \t]+/g, ' ');
  if (!/^Action:\s*failed\s*$/im.test(fields)) return undefined;
  const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(fields)?.[1]?.trim();
  const recipient = field('Final-Recipient')?.replace(/^rfc822;\s*/i, '');
  const why = field('Diagnostic-Code')?.replace(/^smtp;\s*/i, '') ?? field('Status') ?? 'refused';
  return `bounced${recipient ? ` by ${recipient}'s server` : ''}: ${why}`.replace(/[\p{Cc}]+/gu, ' ').slice(0, 500);
}

export interface BounceReceiver {
  port: number;
  close(): Promise<void>;
}

/** Receives mail for the bounce address on `host:port`; refuses any other recipient. */
export async function startBounceReceiver(options: { host: string; port: number; address: string; db: Db; logger: Logger }): Promise<BounceReceiver> {
  const { db, logger, address } = options;
  const server = new SMTPServer({
    // Only the relay talks to it, on a private address, and it only ever records a failure.
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    size: 1024 * 1024,
    onRcptTo(rcpt, _session, callback) {
      if (rowIdOf(address, rcpt.address)) return callback();
      callback(Object.assign(new Error('No such mailbox here'), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      // keepDeliveryStatus: by default mailparser folds the status part into the text body.
      simpleParser(stream, { keepDeliveryStatus: true })
        .then(async (mail) => {
          const why = failureOf(mail);
          if (!why) return;
          for (const rcpt of session.envelope.rcptTo) {
            const id = rowIdOf(address, rcpt.address)!;
            // Only a row the relay took (sent): a bounce never revives or rewrites anything else.
            const { count } = await db.outboxMessage.updateMany({ where: { id, status: 'sent' }, data: { status: 'failed', lastError: why } });
            logger.warn('e-mail bounced', { id, recorded: count === 1 });
          }
        })
        .then(() => callback(), callback);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
