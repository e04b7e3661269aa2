// How the dispatcher reaches a platform. Adapters provide one each; with none configured the
// notifications go to the log (the shell, `partnerbot tick`), so nothing is ever silently dropped.
import { plainText, type Reply } from '../core/reply.ts';
import type { ChannelTarget } from '../domain/channels.ts';
import { renderText } from './plain-text.ts';

/** The user cannot be sent a direct message (privacy settings, no shared server...). */
export class DmUnavailable extends Error {}

/**
 * The platform refused the message for good (an e-mail address that does not exist: SMTP 5xx): the
 * outbox row is marked failed at once, for the secretariat's list, instead of being retried. Any
 * other error is taken as transient and retried with backoff.
 */
export class PermanentFailure extends Error {}

/** What the outbox knows of a message besides its content: e-mail threads and signs links with it. */
export interface OutboxEnvelope {
  /** The outbox row's id: what a bounce names (e-mail's envelope sender carries it). */
  id: string;
  key: string;
  kind: string;
  partnershipId: string;
}

/** A person as a platform that reaches people by address (e-mail) needs them. */
export interface AddressedPerson {
  id: string;
  name: string;
  email: string | null;
}

export interface Transport {
  platform: string;
  sendDm(userId: string, reply: Reply): Promise<void>;
  postChannel(target: ChannelTarget, reply: Reply, envelope?: OutboxEnvelope): Promise<void>;
  /**
   * A platform that reaches people by their address rather than a linked chat account (e-mail):
   * used for people with no reachable chat account, or who chose it with "notify via".
   */
  sendToPerson?(person: AddressedPerson, reply: Reply, envelope: OutboxEnvelope): Promise<void>;
  /** Where this platform takes the weekly digest besides bound channels (e-mail: the partnership's list). */
  readonly digestTarget?: ChannelTarget;
}

/** Prints each notification as text with where it was meant to go. */
export class LogTransport {
  readonly lines: string[] = [];
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  deliver(to: string, reply: Reply): void {
    const line = `→ ${to}\n${renderText(reply).replace(/^/gm, '  ')}`;
    this.lines.push(line);
    this.write(line);
  }
}

export function summary(reply: Reply): string {
  return reply.title ?? (reply.blocks[0]?.type === 'text' ? plainText(reply.blocks[0].text) : '');
}
