// Announcements (a change told to the Action's channels) as every adapter posts them. One a platform
// refused after its retries is not dropped: it becomes a failed outbox row, listed by "notify outbox
// --failed" and sent again by "--retry" to the channel that refused it, and only there: the scope's
// other channels have it already.
import { randomUUID } from 'node:crypto';
import type { Prisma } from '@prisma/client';
import type { Bot, Invocation } from '../core/bot.ts';
import type { Announcement, Reply } from '../core/reply.ts';
import { channelsFor, type ChannelTarget } from '../domain/channels.ts';
import type { Db } from '../persistence/database.ts';

/**
 * Posts a reply's announcements to the channels of `platform` bound for them, except those `skip`
 * names. One unreachable channel (the bot removed from it) does not stop the others, nor is it
 * forgotten.
 */
export async function announce(
  bot: Bot,
  inv: Pick<Invocation, 'platform' | 'workspaceId' | 'channelId'>,
  reply: Reply,
  platform: string,
  post: (target: ChannelTarget, message: Reply) => Promise<void>,
  skip: (target: ChannelTarget) => boolean,
): Promise<void> {
  if (!reply.announce?.length) return;
  const partnership = await bot.partnershipFor(inv);
  for (const a of reply.announce) {
    for (const target of await channelsFor(bot.db, partnership.id, a.scope, a.actionNumber, platform)) {
      if (skip(target)) continue;
      await post(target, a.message).catch((e: unknown) => recordUndelivered(bot.db, partnership.id, a, target, e, bot.deps.clock.now()));
    }
  }
}

export async function recordUndelivered(db: Db, partnershipId: string, a: Announcement, target: ChannelTarget, error: unknown, now: Date): Promise<void> {
  await db.outboxMessage.create({
    data: {
      partnershipId,
      key: `announcement:${randomUUID()}`,
      kind: 'announcement',
      dueAt: now,
      scope: a.scope,
      actionNumber: a.actionNumber ?? null,
      target: { platform: target.platform, workspaceId: target.workspaceId, channelId: target.channelId },
      payload: a.message as unknown as Prisma.InputJsonValue,
      status: 'failed',
      attempts: 1,
      lastError: `${target.platform} channel ${target.channelId}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500),
    },
  });
}
