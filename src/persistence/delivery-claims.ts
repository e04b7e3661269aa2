// Exactly one process runs a chat delivery: Slack re-sends a request it saw no 200 for within 3 s, a
// load balancer may hand copies to two replicas, a user may click a button twice. The first to insert
// the delivery's row wins; the others find it there and do nothing.
//
// Times are the database's own clock: every replica shares it, and a simulated `--now` (tests, demos)
// must neither expire a real delivery nor keep one forever. Stored as UTC wall time, as Prisma stores
// a DateTime.
import type { Db } from './database.ts';

/** How long a delivery id is remembered: Slack's retries come within minutes, Discord's sooner. */
export const DELIVERY_MEMORY_MS = 24 * 60 * 60 * 1000;

const UTC_NOW = `(now() AT TIME ZONE 'UTC')`;

/**
 * Claims `key` for this process; false when another claim of it is younger than `withinMs`. One
 * statement: under concurrent claims PostgreSQL lets exactly one insert (or renew) the row, and the
 * others see it and update nothing.
 */
export async function claimDelivery(db: Db, platform: string, key: string, withinMs = DELIVERY_MEMORY_MS): Promise<boolean> {
  const claimed = await db.$executeRawUnsafe(
    `INSERT INTO "DeliveryClaim" ("platform", "key", "claimedAt") VALUES ($1, $2, ${UTC_NOW})
     ON CONFLICT ("platform", "key") DO UPDATE SET "claimedAt" = EXCLUDED."claimedAt"
     WHERE "DeliveryClaim"."claimedAt" <= ${UTC_NOW} - make_interval(secs => $3::double precision / 1000)`,
    platform,
    key,
    withinMs,
  );
  return claimed === 1;
}

/** Gives a claim up, so that a retry of a delivery that failed on our side runs after all. */
export async function releaseDelivery(db: Db, platform: string, key: string): Promise<void> {
  await db.deliveryClaim.deleteMany({ where: { platform, key } });
}

/** Forgets deliveries older than DELIVERY_MEMORY_MS; gives how many. */
export async function pruneDeliveryClaims(db: Db): Promise<number> {
  return db.$executeRawUnsafe(
    `DELETE FROM "DeliveryClaim" WHERE "claimedAt" < ${UTC_NOW} - make_interval(secs => $1::double precision / 1000)`,
    DELIVERY_MEMORY_MS,
  );
}
