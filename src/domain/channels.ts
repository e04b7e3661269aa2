// Which chat channels a message for an Action, the partnership or the secretariat goes to.
import type { ChannelScope } from '@prisma/client';
import type { Db } from '../persistence/database.ts';

export interface ChannelTarget {
  platform: string;
  workspaceId: string;
  channelId: string;
}

export async function channelsFor(
  db: Db,
  partnershipId: string,
  scope: ChannelScope,
  actionNumber?: number,
  platform?: string,
): Promise<ChannelTarget[]> {
  const rows = await db.channelBinding.findMany({
    where: {
      partnershipId,
      scope,
      ...(platform ? { platform } : {}),
      ...(scope === 'action' ? { action: { number: actionNumber ?? -1 } } : {}),
    },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((r) => ({ platform: r.platform, workspaceId: r.workspaceId, channelId: r.channelId }));
}
