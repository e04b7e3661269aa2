// Everything the adapter sends on its own initiative through the Web API: channel posts, DMs,
// announcements, the App Home and modals. A call that still fails after the client's retries is
// logged once, with Slack's error and never the token, and then reported to the caller.
import type { types, webApi } from '@slack/bolt';
import type { Bot, Invocation, Logger } from '../../src/core/bot.ts';
import type { Reply } from '../../src/core/reply.ts';
import { channelsFor, type ChannelTarget } from '../../src/domain/channels.ts';
import { errorMessage } from './logger.ts';
import { renderHome, renderReply } from './render.ts';

const NAME_TTL_MS = 10 * 60 * 1000;

export class Outbound {
  private readonly names = new Map<string, { name: string; until: number }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly bot: Bot,
    private readonly logger: Logger,
  ) {}

  async call<T>(method: string, run: () => Promise<T>, about: Record<string, unknown> = {}): Promise<T> {
    try {
      return await run();
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
  }

  async sendDm(userId: string, reply: Reply): Promise<{ channelId: string }> {
    const opened = await this.call('conversations.open', () => this.client.conversations.open({ users: userId }), { user: userId });
    const channel = opened.channel?.id;
    if (!channel) throw new Error(`conversations.open gave no channel for ${userId}`);
    await this.postMessage(channel, reply);
    return { channelId: channel };
  }

  /** Posts a reply's announcements to the Slack channels bound for them, in this workspace only. */
  async announce(inv: Invocation, reply: Reply): Promise<void> {
    if (!reply.announce?.length) return;
    const partnership = await this.bot.partnershipFor(inv);
    for (const a of reply.announce) {
      const targets = await channelsFor(this.bot.db, partnership.id, a.scope, a.actionNumber, 'slack');
      for (const target of targets.filter((t) => t.workspaceId === inv.workspaceId)) {
        // One unreachable channel (bot removed from it) must not stop the others.
        await this.postMessage(target, a.message).catch(() => {});
      }
    }
  }

  async publishHome(userId: string, replies: Reply[]): Promise<void> {
    await this.call('views.publish', () => this.client.views.publish({ user_id: userId, view: renderHome(replies) }), { user: userId });
  }

  async openModal(triggerId: string, view: types.ModalView): Promise<void> {
    await this.call('views.open', () => this.client.views.open({ trigger_id: triggerId, view }));
  }

  /** The name people know a user by; Slack's payload name is only a fallback (it is the handle). */
  async displayName(userId: string, fallback: string): Promise<string> {
    const cached = this.names.get(userId);
    if (cached && cached.until > Date.now()) return cached.name;
    try {
      const { user } = await this.client.users.info({ user: userId });
      const name = user?.profile?.display_name || user?.real_name || user?.name || fallback;
      this.names.set(userId, { name, until: Date.now() + NAME_TTL_MS });
      return name;
    } catch (e) {
      this.logger.warn('slack users.info failed', { user: userId, error: errorMessage(e) });
      return fallback;
    }
  }
}
