// Each test file gets its own fresh database: an in-memory embedded PostgreSQL by default, or — when
// DATABASE_URL is set — a new database created on that server and dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createBot } from '../../src/app.ts';
import type { Bot } from '../../src/core/bot.ts';
import { ManualClock, parseInstant } from '../../src/core/clock.ts';
import { openDatabase, type Database } from '../../src/persistence/database.ts';
import { SHIPPED_WORKPLAN } from '../../src/config.ts';
import { loadWorkPlan } from '../../src/workplan/load.ts';
import { importWorkPlan } from '../../src/workplan/import.ts';

export interface TestDatabase extends Database {
  /** The server URL of this test database (PostgreSQL only), for other processes to share it. */
  url?: string;
  drop(): Promise<void>;
}

/** `serverUrl` null: embedded, in memory; a URL: a new database on that server. */
export async function freshDatabase(serverUrl: string | null = process.env.DATABASE_URL ?? null): Promise<TestDatabase> {
  if (!serverUrl) {
    const db = await openDatabase({ memory: true });
    return { ...db, drop: () => db.close() };
  }
  const name = `partnerbot_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
  return {
    ...db,
    url: url.toString(),
    drop: async () => {
      await db.close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

export interface Fixture {
  db: TestDatabase;
  bot: Bot;
  clock: ManualClock;
  partnershipId: string;
}

/** A database holding the shipped work plan, a bot over it, and a clock set to `at`. */
export async function shippedPlanFixture(at = '2025-11-20'): Promise<Fixture> {
  const db = await freshDatabase();
  const report = await importWorkPlan(db.prisma, await loadWorkPlan(SHIPPED_WORKPLAN));
  const clock = new ManualClock(parseInstant(at, 'Europe/Brussels'));
  return { db, bot: createBot({ db: db.prisma, clock }), clock, partnershipId: report.partnershipId };
}
