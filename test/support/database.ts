// Each test file gets its own fresh database: an in-memory embedded PostgreSQL by default, or — when
// DATABASE_URL is set — a new database created on that server and dropped afterwards.
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, expect } from 'vitest';
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

const withDatabase = (serverUrl: string, name: string) => {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

/**
 * `serverUrl` null: embedded, in memory; a URL: a new database on that server, empty or a copy of
 * `template`.
 */
export async function freshDatabase(serverUrl: string | null = process.env.DATABASE_URL ?? null, template?: string): Promise<TestDatabase> {
  if (!serverUrl) {
    const db = await openDatabase({ memory: true });
    return { ...db, drop: () => db.close() };
  }
  const name = `partnerbot_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  await admin.end();
  const url = withDatabase(serverUrl, name);
  const db = await openDatabase({ url });
  return {
    ...db,
    url,
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

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TEMPLATE_LOCK = 72_616_106; // arbitrary, constant: "partnerbot test templates"

/** Changes whenever the schema, the shipped plan or the code that imports it may have changed. */
async function shippedPlanVersion(): Promise<string> {
  const hash = createHash('sha256').update(await readFile(SHIPPED_WORKPLAN));
  for (const dir of ['prisma/migrations', 'src']) {
    const files = (await readdir(`${ROOT}/${dir}`, { recursive: true })).filter((f) => /\.(sql|ts)$/.test(f)).sort();
    for (const f of files) hash.update(f).update(await readFile(`${ROOT}/${dir}/${f}`));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * On a server, the shipped plan is imported once into a template database that each test file
 * copies in a fraction of a second (importing it takes seconds; mutation testing does it per mutant).
 * Templates are named by version, so concurrent runs of different code never share one.
 */
async function shippedPlanTemplate(serverUrl: string): Promise<string> {
  const name = `partnerbot_tpl_${await shippedPlanVersion()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    const existing = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount === 0) {
      const building = `${name}_building`;
      await admin.query(`DROP DATABASE IF EXISTS ${building}`);
      await admin.query(`CREATE DATABASE ${building}`);
      const db = await openDatabase({ url: withDatabase(serverUrl, building) });
      try {
        await importWorkPlan(db.prisma, await loadWorkPlan(SHIPPED_WORKPLAN));
      } finally {
        await db.close();
      }
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    }
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    await admin.end();
  }
  return name;
}

/** A database holding the shipped work plan, a bot over it, and a clock set to `at`. */
export async function shippedPlanFixture(at = '2025-11-20'): Promise<Fixture> {
  const serverUrl = process.env.DATABASE_URL ?? null;
  let db: TestDatabase;
  let partnershipId: string;
  if (serverUrl) {
    db = await freshDatabase(serverUrl, await shippedPlanTemplate(serverUrl));
    partnershipId = (await db.prisma.partnership.findFirstOrThrow()).id;
  } else {
    db = await freshDatabase(null);
    partnershipId = (await importWorkPlan(db.prisma, await loadWorkPlan(SHIPPED_WORKPLAN))).partnershipId;
  }
  const clock = new ManualClock(parseInstant(at, 'Europe/Brussels'));
  return { db, bot: createBot({ db: db.prisma, clock }), clock, partnershipId };
}

/**
 * The shipped plan for a whole test file: opened before its first test, dropped after its last. The
 * fixture's fields read the one opened; `at` sets its clock to a Brussels local time.
 */
export function shippedPlanForFile(day: string): Fixture & { at(iso: string): void } {
  let f: Fixture | undefined;
  beforeAll(async () => {
    f = await shippedPlanFixture(day);
  });
  afterAll(async () => {
    await f?.db.drop();
  });
  const opened = () => f ?? expect.fail('the shipped plan is opened in beforeAll');
  return {
    get db() { return opened().db; },
    get bot() { return opened().bot; },
    get clock() { return opened().clock; },
    get partnershipId() { return opened().partnershipId; },
    at: (iso) => opened().clock.set(parseInstant(iso, 'Europe/Brussels')),
  };
}
