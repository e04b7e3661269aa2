// The PostgreSQL server drops the bot's connections while it runs (what a server restart or a
// failover does to it). Commands during the outage get the generic "try again" reply, never a crash;
// once the server accepts connections again the bot carries on by itself; nothing it acknowledged is
// lost. Needs a real server (DATABASE_URL): the embedded database has no connections to drop. The
// server itself is never restarted: its backends for this test's database are terminated instead.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot, Invocation } from '../../src/core/bot.ts';
import { SHIPPED_WORKPLAN } from '../../src/config.ts';
import { databaseProbe } from '../../src/http/health.ts';
import { importWorkPlan } from '../../src/workplan/import.ts';
import { parseWorkPlan } from '../../src/workplan/load.ts';
import { shippedPlanFixture, type Fixture } from '../support/database.ts';
import { GENERIC_ERROR, recordingBot, runAs } from './support.ts';

const SERVER = process.env.DATABASE_URL;

let f: Fixture;
let bot: Bot;
let admin: pg.Client;
let dbName = '';
let secretariatId = '';

beforeAll(async () => {
  if (!SERVER) return;
  f = await shippedPlanFixture('2025-11-20');
  ({ bot } = recordingBot(f.db.prisma, f.clock));
  secretariatId = (await f.db.prisma.person.findFirstOrThrow({ where: { key: 'demo-secretariat' } })).id;
  dbName = (await f.db.prisma.$queryRaw<{ name: string }[]>`SELECT current_database()::text AS name`)[0]!.name;
  admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
});
afterAll(async () => {
  if (!SERVER) return;
  await admin?.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`).catch(() => {});
  // A pool that leaked its connections never finishes closing: give up on it and drop the database
  // from here, so a failing run does not leave databases behind on the server.
  await Promise.race([f?.db.drop(), new Promise((r) => setTimeout(r, 5000))]);
  await admin?.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin?.end();
});

const say = (text: string): Invocation => ({ platform: 'shell', workspaceId: 'local', userId: 's', displayName: 's', text, trustedPersonId: secretariatId });

async function terminateBackends(): Promise<number> {
  const { rowCount } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);
  return rowCount ?? 0;
}

/**
 * Waits until a backend of this database is inside a transaction, or until `settled` says the work
 * already ended (under load, an import can draw a pooled connection the last cut killed and fail
 * before it opens one: a clear failure, which is what an outage should give).
 */
async function transactionOpen(what: string, settled: () => boolean): Promise<void> {
  for (const until = Date.now() + 5000; Date.now() < until; ) {
    if (settled()) return;
    const { rows } = await admin.query('SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND xact_start IS NOT NULL AND pid <> pg_backend_pid()', [dbName]);
    if (rows.length) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${what}: no transaction started within 5 s; the connection pool is stuck (leaked connections)`);
}

/** Fails the test, instead of hanging it, when `promise` does not settle in time. */
async function within<T>(promise: Promise<T>, what: string, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no outcome within ${ms} ms; the connection pool is stuck (leaked connections)`)), ms);
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

const answer = (line: string) => within(runAs(bot, say(line)), `"${line}"`);

/** Runs `line` until it succeeds; every failure on the way must be the generic, retryable reply. */
async function untilAnswered(line: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { reply, out } = await answer(line);
    if (!reply.error) return;
    expect(out).toMatch(GENERIC_ERROR);
    if (Date.now() > until) throw new Error(`"${line}" still failing after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function agendaTitles(): Promise<string[]> {
  return (await f.db.prisma.agendaItem.findMany({ select: { title: true } })).map((i) => i.title);
}

describe.skipIf(!SERVER)('the database server drops every connection while the bot runs', () => {
  it('a command right after the drop is answered (reconnected) or told to retry; the next one works', async () => {
    expect((await runAs(bot, say('agenda add "Before the drop"'))).reply.error).toBeFalsy();
    expect(await terminateBackends()).toBeGreaterThan(0);
    const during = await runAs(bot, say('agenda add "Right after the drop"'));
    if (during.reply.error) expect(during.out).toMatch(GENERIC_ERROR);
    await untilAnswered('agenda add "After the drop"');
    const titles = await agendaTitles();
    expect(titles).toEqual(expect.arrayContaining(['Before the drop', 'After the drop']));
    if (!during.reply.error) expect(titles).toContain('Right after the drop');
  });

  it('while the server refuses connections, commands and readiness fail clearly; afterwards the bot recovers by itself', async () => {
    const ready = databaseProbe(f.db.prisma);
    await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
    try {
      await terminateBackends();
      const { reply, out } = await runAs(bot, say('status A1 "Written during the outage"'));
      expect(reply.error).toBe(true);
      expect(out).toMatch(GENERIC_ERROR);
      await expect(ready()).rejects.toThrow();
    } finally {
      await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
    }
    await untilAnswered('status A1 "Written after the outage"');
    expect(await ready()).toBe(true);
    const a1 = await f.db.prisma.action.findFirstOrThrow({ where: { number: 1 } });
    expect(a1.statePlay).toBe('Written after the outage');
  });

  it('under repeated drops during a stream of changes, every acknowledged change is kept', async () => {
    const acknowledged: string[] = [];
    let failures = 0;
    let stop = false;
    const killer = (async () => {
      while (!stop) {
        await new Promise((r) => setTimeout(r, 250));
        await terminateBackends();
      }
    })();
    try {
      for (let i = 0; i < 30; i++) {
        const title = `Stream item ${i}`;
        const { reply, out } = await answer(`agenda add "${title}"`);
        if (reply.error) {
          expect(out).toMatch(GENERIC_ERROR);
          failures++;
        } else acknowledged.push(title);
      }
    } finally {
      stop = true;
      await killer;
    }
    expect(acknowledged.length).toBeGreaterThan(0);
    await untilAnswered('actions');
    expect(await agendaTitles()).toEqual(expect.arrayContaining(acknowledged));
    console.info(`database-outage: ${acknowledged.length} acknowledged, ${failures} told to retry`);
  });

  it('imports cut off mid-transaction, more often than the pool has connections: nothing half-written, no hang', async () => {
    // Each cut-off transaction must give its connection back to the pool; if it does not, after ten
    // (the pool size) every later query waits for a connection forever. The import is a long
    // transaction, so the cut reliably lands inside it.
    const plan = parseWorkPlan(readFileSync(SHIPPED_WORKPLAN, 'utf8').replace('slug: inclusion-of-migrants', 'slug: cut-off'));
    const before = await f.db.prisma.partnership.count();
    for (let i = 0; i < 12; i++) {
      let settled = false;
      const outcome = importWorkPlan(f.db.prisma, plan).then(
        () => 'imported',
        () => 'failed',
      ).finally(() => (settled = true));
      await transactionOpen(`cut-off import ${i + 1}`, () => settled);
      await terminateBackends();
      expect(await within(outcome, `cut-off import ${i + 1}`)).toBe('failed');
    }
    await untilAnswered('actions');
    expect(await f.db.prisma.partnership.count()).toBe(before);
  });
});
