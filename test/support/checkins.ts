// Tests of the usual reminders run as if the bot had followed the plan all along: each Action already
// has its first-day check-in, with nothing left in it to ask, so past-due items escalate as usual.
import type { Db } from '../../src/persistence/database.ts';

export async function followedAllAlong(db: Db): Promise<void> {
  await db.checkIn.deleteMany();
  const actions = await db.action.findMany({ select: { id: true, partnershipId: true } });
  await db.checkIn.createMany({ data: actions.map((a) => ({ partnershipId: a.partnershipId, actionId: a.id, round: 'first', openedAt: new Date(0), items: [] })) });
}
