// How the dispatcher reaches a platform. Adapters provide one each; with none configured the
// notifications go to the log (the shell, `partnerbot tick`), so nothing is ever silently dropped.
import { plainText, type Reply } from '../core/reply.ts';
import type { ChannelTarget } from '../domain/channels.ts';
import { renderText } from './plain-text.ts';

/** The user cannot be sent a direct message (privacy settings, no shared server...). */
export class DmUnavailable extends Error {}

export interface Transport {
  platform: string;
  sendDm(userId: string, reply: Reply): Promise<void>;
  postChannel(target: ChannelTarget, reply: Reply): Promise<void>;
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
