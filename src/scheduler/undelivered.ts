// An announcement a platform refused after its retries is not dropped: it becomes a failed outbox row,
// listed by "notify outbox --failed" and sent again by "--retry" to the channel that refused it, and
// only there: the scope's other channels have it already.
import { randomUUID } from 'node:crypto';
import type { Prisma } from '@prisma/client';
import type { Announcement } from '../core/reply.ts';
import type { ChannelTarget } from '../domain/channels.ts';
import type { Db } from '../persistence/database.ts';

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
