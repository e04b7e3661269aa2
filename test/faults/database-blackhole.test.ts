// The network between the bot and its PostgreSQL server goes silent (packets dropped, no reset) and
// comes back: queries fail with a clear error within seconds instead of hanging, the pool does not
// fill up with dead connections, and the bot works again within seconds of the link returning.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseProbe } from '../../src/http/health.ts';
import { openDatabase, type Database } from '../../src/persistence/database.ts';
import { POOL_SIZE } from '../../src/persistence/pg-pool.ts';
import { BlackholeProxy } from '../support/blackhole-proxy.ts';
import { freshDatabase, type TestDatabase } from '../support/database.ts';

const SERVER = process.env.DATABASE_URL;
let direct: TestDatabase;
let proxy: BlackholeProxy;
let db: Database;

const settings = { connectTimeoutMs: 1000, acquireTimeoutMs: 2000, statementTimeoutMs: 1000, keepAliveMs: 1000 };

beforeAll(async () => {
  if (!SERVER) return;
  direct = await freshDatabase();
  const url = new URL(direct.url!);
  proxy = new BlackholeProxy({ host: url.hostname, port: Number(url.port || 5432) });
  await proxy.start();
  db = await openDatabase({ url: proxy.via(direct.url!), pool: settings }, { migrate: false });
});
afterAll(async () => {
  if (proxy) proxy.paused = false;
  await db?.close();
  await proxy?.close();
  await direct?.drop();
});

/** How a call ends and how long it took. */
async function timed(run: () => Promise<unknown>): Promise<{ ms: number; error?: string }> {
  const started = performance.now();
  try {
    await run();
    return { ms: performance.now() - started };
  } catch (e) {
    return { ms: performance.now() - started, error: e instanceof Error ? e.message : String(e) };
  }
}

describe.skipIf(!SERVER)('the link to the database server black-holes traffic', { timeout: 60_000 }, () => {
  it('queries, transactions and a burst bigger than the pool fail clearly within seconds; all work again within seconds of the link returning', async () => {
    // Some connections open and idle in the pool, as in a running bot.
    await Promise.all(Array.from({ length: 4 }, () => db.prisma.$queryRaw`SELECT 1 FROM pg_sleep(0.05)`));
    proxy.paused = true;

    const query = await timed(() => db.prisma.partnership.count());
    expect(query.error).toMatch(/the database did not answer within 2000 ms/);
    expect(query.ms).toBeLessThan(4000);

    const transaction = await timed(() => db.prisma.$transaction(async (tx) => tx.partnership.create({ data: { slug: 'lost', name: 'Lost' } })));
    expect(transaction.error).toBeDefined();
    expect(transaction.ms).toBeLessThan(6000);

    // More callers than connections: every one is told, none waits for the link to come back.
    const burst = await Promise.all(Array.from({ length: POOL_SIZE + 5 }, () => timed(() => db.prisma.$queryRaw`SELECT 1`)));
    for (const r of burst) {
      expect(r.error).toMatch(/did not answer|timeout|terminated/i);
      expect(r.ms).toBeLessThan(8000);
    }

    proxy.paused = false;
    const back = performance.now();
    // Every connection of the pool gets used: none of them may be one left over from the outage.
    await Promise.all(Array.from({ length: POOL_SIZE }, () => db.prisma.$queryRaw`SELECT 1 FROM pg_sleep(0.05)`));
    for (let i = 0; i < 20; i++) expect(await db.prisma.partnership.count({ where: { slug: 'lost' } })).toBe(0);
    await expect(databaseProbe(db.prisma)()).resolves.toBe(true);
    expect(performance.now() - back).toBeLessThan(5000);
  });
});
