// One inbound message, from any platform, to its end: run it through Bot.handle, show the asker the
// reply, then post the announcements it carries. An adapter only says how a reply is shown where it
// was asked and how a message is posted to one of its channels.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Bot, Invocation, Logger } from '../core/bot.ts';
import type { Reply } from '../core/reply.ts';
import type { ChannelTarget } from '../domain/channels.ts';
import { announce } from './announce.ts';

/** How an adapter reaches its channels: where a change's announcements go. */
export interface ChannelPoster {
  platform: string;
  logger: Logger;
  /** Posts to one channel; a rejection leaves that announcement for "notify outbox --retry". */
  post(target: ChannelTarget, message: Reply): Promise<void>;
  /** Channels this invocation's announcements leave out (another workspace's, the one already showing the answer). */
  skip(target: ChannelTarget, inv: Invocation, reply: Reply): boolean;
  /** An error as the log may show it (a platform's may carry credentials); its message otherwise. */
  describeError?(e: unknown): string;
}

/** How the reply reaches the asker. */
export interface Answer {
  show(reply: Reply): Promise<void>;
  /**
   * For a platform that drops a request not acknowledged in time (Discord: 3 s): when the command
   * is still running after `ms`, `acknowledge` is awaited before the reply is shown.
   */
  acknowledgeAfter?: { ms: number; acknowledge(): Promise<void> };
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Runs an invocation, shows the reply, then posts its announcements. The change is already made by
 * then, so the channels hear of it even if the asker's answer could not be shown. A duplicate
 * delivery (a retry of one already run) shows and posts nothing.
 */
export async function converse(bot: Bot, inv: Invocation, answer: Answer, channels: ChannelPoster): Promise<void> {
  const { logger, platform } = channels;
  const message = channels.describeError ?? errorMessage;
  const failed = (e: unknown) => logger.error(`${platform} answer failed`, { user: inv.userId, error: message(e) });
  const pending = bot.handle(inv);
  let answerable = true;
  if (answer.acknowledgeAfter) {
    const early = await Promise.race([pending, sleep(answer.acknowledgeAfter.ms, undefined, { ref: false })]);
    if (!early) answerable = await answer.acknowledgeAfter.acknowledge().then(() => true, (e: unknown) => (failed(e), false));
  }
  const reply = await pending;
  if (reply.duplicate) return;
  if (answerable) await answer.show(reply).catch(failed);
  await announce(bot, inv, reply, platform, (target, m) => channels.post(target, m), (target) => channels.skip(target, inv, reply)).catch((e: unknown) =>
    logger.error(`${platform} announcement failed`, { error: message(e) }),
  );
}
