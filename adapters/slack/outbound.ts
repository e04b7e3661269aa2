// Everything the adapter sends on its own initiative through the Web API: channel posts, DMs,
// announcements, the App Home and modals. A call that still fails after the client's retries (and
// our waits for Retry-After) is logged once, with Slack's error and never the token, and then
// reported to the caller.
import { webApi, type types } from '@slack/bolt';
import type { Bot, Logger } from '../../src/core/bot.ts';
import type { Reply } from '../../src/core/reply.ts';
import type { ChannelTarget } from '../../src/domain/channels.ts';
import { errorMessage } from './logger.ts';
import { renderHome, renderReply } from './render.ts';

const NAME_TTL_MS = 10 * 60 * 1000;
/** How many 429s one call waits out before it fails (and the outbox retries it later). */
const RATE_LIMIT_WAITS = 10;
/** A Retry-After longer than this fails the call at once rather than hold the sender. */
const LONGEST_WAIT_S = 120;

function retryAfterSeconds(e: unknown): number | undefined {
  const err = e as { code?: string; retryAfter?: number };
  return err?.code === webApi.ErrorCode.RateLimitedError && typeof err.retryAfter === 'number' ? err.retryAfter : undefined;
}

/** Runs a Web API call, waiting exactly as long as each 429's Retry-After asks, and no longer. */
async function honouringRetryAfter<T>(run: () => Promise<T>): Promise<T> {
  for (let waits = 0; ; waits++) {
    try {
      return await run();
    } catch (e) {
      const seconds = retryAfterSeconds(e);
      if (seconds === undefined || seconds > LONGEST_WAIT_S || waits >= RATE_LIMIT_WAITS) throw e;
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    }
  }
}

export class Outbound {
  private readonly names = new Map<string, { name: string; email?: string; until: number }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly bot: Bot,
    private readonly logger: Logger,
  ) {}

  async call<T>(method: string, run: () => Promise<T>, about: Record<string, unknown> = {}): Promise<T> {
    try {
      return await honouringRetryAfter(run);
    } catch (e) {
      this.logger.error('slack call failed', { method, ...about, error: errorMessage(e) });
      throw e;
    }
  }

  async postMessage(target: string | ChannelTarget, reply: Reply): Promise<void> {
    const channel = typeof target === 'string' ? target : target.channelId;
    for (const message of renderReply(reply)) {
      await this.call('chat.postMessage', () => this.client.chat.postMessage({ channel, ...message }), { channel });
    }
    await this.uploadAttachments(channel, reply);
  }

  /**
   * Uploads a reply's attachments (a Gantt PNG, an .ics, a CSV) into the channel with Slack's
   * external upload flow (files.getUploadURLExternal, the upload, files.completeUploadExternal).
   */
  async uploadAttachments(channelId: string, reply: Reply): Promise<void> {
    if (!reply.attachments?.length) return;
    await this.call(
      'files.uploadV2',
      () =>
        this.client.files.uploadV2({
          channel_id: channelId,
          file_uploads: reply.attachments!.map((a) => ({ file: Buffer.from(a.data), filename: a.filename, title: a.filename })),
        }),
      { channel: channelId },
    );
  }

  async sendDm(userId: string, reply: Reply): Promise<{ channelId: string }> {
    const opened = await this.call('conversations.open', () => this.client.conversations.open({ users: userId }), { user: userId });
    const channel = opened.channel?.id;
    if (!channel) throw new Error(`conversations.open gave no channel for ${userId}`);
    await this.postMessage(channel, reply);
    return { channelId: channel };
  }

  async publishHome(userId: string, replies: Reply[]): Promise<void> {
    await this.call('views.publish', () => this.client.views.publish({ user_id: userId, view: renderHome(replies) }), { user: userId });
  }

  async openModal(triggerId: string, view: types.ModalView): Promise<void> {
    await this.call('views.open', () => this.client.views.open({ trigger_id: triggerId, view }));
  }

  /** The name people know a user by; Slack's payload name is only a fallback (it is the handle). */
  async displayName(userId: string, fallback: string): Promise<string> {
    return (await this.profile(userId))?.name ?? fallback;
  }

  /** The user's e-mail address, when the app has users:read.email (else undefined). */
  async email(userId: string): Promise<string | undefined> {
    return (await this.profile(userId))?.email;
  }

  private async profile(userId: string): Promise<{ name: string; email?: string } | undefined> {
    const cached = this.names.get(userId);
    const now = this.bot.deps.clock.now().getTime();
    if (cached && cached.until > now) return cached;
    try {
      const { user } = await honouringRetryAfter(() => this.client.users.info({ user: userId }));
      const name = user?.profile?.display_name || user?.real_name || user?.name;
      if (!name) return undefined;
      const entry = { name, ...(user?.profile?.email ? { email: user.profile.email } : {}), until: now + NAME_TTL_MS };
      this.names.set(userId, entry);
      return entry;
    } catch (e) {
      this.logger.warn('slack users.info failed', { user: userId, error: errorMessage(e) });
      return undefined;
    }
  }
}
