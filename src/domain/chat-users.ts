// Who a chat user is, for what reaches an adapter without a workspace (a Discord direct message).
import type { Db } from '../persistence/database.ts';

/** The workspace where the user most recently linked their account on this platform, if any. */
export async function linkedWorkspace(db: Db, platform: string, externalId: string): Promise<string | undefined> {
  const identity = await db.chatIdentity.findFirst({ where: { platform, externalId }, orderBy: { linkedAt: 'desc' } });
  return identity?.workspaceId;
}
