// The scheduler's way into e-mail: nodemailer over the organisation's SMTP relay. A person's message
// carries signed links for its buttons and a one-click unsubscribe (RFC 8058); the digest goes to the
// partnership's list. The relay's 5xx is final (the outbox row fails and is listed); a 4xx or a broken
// connection is thrown as it is, and the dispatcher retries it with its backoff.
import { createHash } from 'node:crypto';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type { Clock } from '../../src/core/clock.ts';
import type { Reply } from '../../src/core/reply.ts';
import { LINK_LIFETIME_MS, signLink } from '../../src/delivery/action-links.ts';
import { PermanentFailure, type AddressedPerson, type OutboxEnvelope, type Transport } from '../../src/delivery/transport.ts';
import type { ChannelTarget } from '../../src/domain/channels.ts';
import { ACTION_LINK_PATH } from '../../src/http/action-links.ts';
import type { Db } from '../../src/persistence/database.ts';
import { EMAIL_TOPICS, emailTopic } from '../../src/delivery/email-topics.ts';
import { invitationIcs } from './invitation.ts';
import { bounceAddressFor } from './bounces.ts';
import { oneLine, renderEmail, type RenderedLink } from './render.ts';

export interface EmailSettings {
  smtpUrl: string;
  from: string;
  digestTo?: string;
  /** Bounces go to this address with the outbox row's id added (bounces+<id>@domain); see bounces.ts. */
  bounceAddress?: string;
  publicUrl: string;
  /** The action-link signing key (read from the database on first use when not configured). */
  linkSecret: () => Promise<string>;
  db: Db;
  clock: Clock;
}

export interface EmailTransport extends Transport {
  close(): void;
}

/** The digest's target for the outbox: the list address, on the "email" platform. */
export const digestTargetFor = (address: string): ChannelTarget => ({ platform: 'email', workspaceId: 'list', channelId: address });

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost)$/i;

/**
 * smtp:// on port 587 (or as given) upgrades with STARTTLS and refuses to go on without it, except to a
 * relay on this machine; smtps:// speaks TLS from the first byte (port 465).
 */
export function smtpOptions(smtpUrl: string) {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTLS: !secure && !LOOPBACK.test(url.hostname),
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  };
}

export function createEmailTransport(settings: EmailSettings): EmailTransport {
  const mailer: Transporter = nodemailer.createTransport(smtpOptions(settings.smtpUrl));
  const domain = settings.from.split('@')[1]!;
  const names = new Map<string, string>();
  const partnershipName = async (id: string) => {
    let name = names.get(id);
    if (!name) {
      name = oneLine((await settings.db.partnership.findUnique({ where: { id } }))?.name ?? 'partnerbot');
      names.set(id, name);
    }
    return name;
  };
  // Stable per notification: a retry after a crash carries the same Message-ID, so the recipient's
  // client can tell a duplicate.
  const messageId = (key: string) => `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${domain}>`;
  const url = (purpose: string, token: string) => `${settings.publicUrl}${ACTION_LINK_PATH}/${purpose}/${token}`;
  // The envelope sender names the outbox row, so a bounce arriving days later says which one failed.
  const bounceEnvelope = (envelope: OutboxEnvelope, to: string) =>
    settings.bounceAddress ? { envelope: { from: bounceAddressFor(settings.bounceAddress, envelope.id), to } } : {};

  async function send(mail: SendMailOptions): Promise<void> {
    try {
      await mailer.sendMail(mail);
    } catch (e) {
      const code = (e as { responseCode?: number }).responseCode;
      const message = oneLine(e instanceof Error ? e.message : String(e));
      if (code !== undefined && code >= 500 && code < 600) throw new PermanentFailure(`the mail relay refused it: ${message}`);
      throw new Error(`the mail relay did not take it: ${message}`);
    }
  }

  function common(reply: Reply, envelope: OutboxEnvelope, from: string): SendMailOptions {
    const thread = reply.about ? `<item-${reply.about.id}@${domain}>` : undefined;
    return {
      from: { name: from, address: settings.from },
      messageId: messageId(envelope.key),
      ...(thread ? { inReplyTo: thread, references: [thread] } : {}),
      headers: {
        // Not a person writing: out-of-office and auto-replies stay away (RFC 3834; Exchange's own header).
        'Auto-Submitted': 'auto-generated',
        'X-Auto-Response-Suppress': 'All',
      },
    };
  }

  return {
    platform: 'email',
    ...(settings.digestTo ? { digestTarget: digestTargetFor(settings.digestTo) } : {}),
    async sendDm() {
      throw new PermanentFailure('e-mail has no chat accounts');
    },

    async postChannel(target, reply, envelope) {
      if (!settings.digestTo || target.channelId !== settings.digestTo || !envelope) throw new PermanentFailure(`e-mail posts only to the digest list (PARTNERBOT_DIGEST_TO)`);
      const from = await partnershipName(envelope.partnershipId);
      const rendered = renderEmail(reply, { links: [], footer: [`Sent by partnerbot for the ${from} to its list.`] });
      const base = common(reply, envelope, from);
      await send({ ...base, to: settings.digestTo, ...bounceEnvelope(envelope, settings.digestTo), ...rendered, headers: { ...(base.headers as Record<string, string>), Precedence: 'list' } });
    },

    async sendToPerson(person: AddressedPerson, reply, envelope) {
      if (!person.email) throw new PermanentFailure(`${person.name} has no e-mail address`);
      const secret = await settings.linkSecret();
      const now = settings.clock.now();
      const expiresAt = now.getTime() + LINK_LIFETIME_MS;
      const links: RenderedLink[] = reply.blocks.flatMap((b) =>
        b.type !== 'buttons'
          ? []
          : b.buttons.map((button) => ({
              label: button.label,
              primary: button.style === 'primary',
              url: url(
                'act',
                signLink(secret, {
                  purpose: 'act',
                  personId: person.id,
                  command: button.command,
                  label: button.label,
                  expiresAt,
                  // The form on the link's page asks for them; a prefilled text stays out of the URL,
                  // which it could make too long for some mail clients.
                  ...(button.inputs?.length ? { inputs: button.inputs.map(({ name, label, kind }) => ({ name, label, kind })) } : {}),
                }).token,
              ),
            })),
      );
      const topic = emailTopic(envelope.kind);
      const unsubscribeUrl =
        topic in EMAIL_TOPICS
          ? url('unsubscribe', signLink(secret, { purpose: 'unsubscribe', personId: person.id, command: `notify email off ${topic}`, label: `Unsubscribe from ${topic}`, expiresAt: null }).token)
          : undefined;
      const from = await partnershipName(envelope.partnershipId);
      const rendered = renderEmail(reply, {
        links,
        footer: [
          `Sent by partnerbot for the ${from} to ${oneLine(person.name)}.`,
          ...(links.length ? ['Each link works once, for 14 days, and shows what it will do before doing it.'] : []),
          'To get these in chat instead, type "notify via chat" there.',
        ],
        ...(unsubscribeUrl ? { unsubscribeUrl } : {}),
      });
      const base = common(reply, envelope, from);
      const recipient = { name: oneLine(person.name), address: person.email };
      await send({
        ...base,
        to: recipient,
        ...bounceEnvelope(envelope, person.email),
        ...rendered,
        ...(unsubscribeUrl ? { list: { unsubscribe: unsubscribeUrl } } : {}),
        headers: { ...(base.headers as Record<string, string>), ...(unsubscribeUrl ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}) },
        ...(reply.invitation
          ? {
              icalEvent: {
                method: reply.invitation.method,
                filename: 'invitation.ics',
                content: invitationIcs(reply.invitation, { name: from, email: settings.from }, [{ name: recipient.name, email: person.email }], now),
              },
            }
          : {}),
      });
    },

    close: () => mailer.close(),
  };
}
