// Opens the database: the embedded PostgreSQL (PGlite, on disk — see embedded.ts — or in memory) by
// default, a PostgreSQL server through node-postgres when DATABASE_URL is set. Both run the same schema
// and migrations.
import { setFlagsFromString } from 'node:v8';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
import type pg from 'pg';
import type { OwnerInfo } from './data-dir-lock.ts';
import { migrate, pgRunner, upToDate, type SqlRunner } from './migrate.ts';
import { createPool, migrationClient, type PoolSettings } from './pg-pool.ts';

export type Db = PrismaClient;

export interface Database {
  prisma: PrismaClient;
  kind: 'embedded' | 'postgres';
  sql: SqlRunner;
  close(): Promise<void>;
}

/**
 * The SQL runner behind each client openDatabase made: for the few bulk statements where Prisma's
 * per-parameter work costs more than the database does (see outbox-insert.ts). A transaction's
 * client has none: what runs in a transaction must go through it.
 */
const runners = new WeakMap<object, SqlRunner>();

export function sqlRunnerOf(db: Db): SqlRunner | undefined {
  return runners.get(db);
}

export type DatabaseTarget = { url: string; pool?: PoolSettings } | { dataDir: string } | { memory: true };

/**
 * A connection that breaks while checked out (server restart, pg_terminate_backend) goes back to the
 * pool as broken, to be discarded. Prisma's driver adapter returns a transaction's connection only
 * once its ROLLBACK succeeds, which never happens on a dead connection: without this, every such
 * transaction leaks a connection, and after `max` of them every query waits forever.
 */
function releaseBrokenConnections(pool: pg.Pool): void {
  const listeners = new WeakMap<pg.PoolClient, (err: Error) => void>();
  pool.on('acquire', (client) => {
    const onError = (err: Error) => {
      // pg-pool assigns `release` after emitting 'acquire': look it up only once it is needed.
      const release = client.release;
      client.release = () => {};
      release(err);
    };
    listeners.set(client, onError);
    client.once('error', onError);
  });
  pool.on('release', (_err, client) => {
    const onError = listeners.get(client);
    if (onError) client.off('error', onError);
  });
}

/**
 * A Prisma client straight on a PGlite instance: in-memory databases, and building a new one on disk.
 * The embedded database's modules are loaded only when it is used: a server's process never needs them.
 */
async function pgliteClientMaker(): Promise<(lite: PGlite) => PrismaClient> {
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  return (lite) => pgliteClient(lite, PrismaPGlite);
}

function pgliteClient(lite: PGlite, PrismaPGlite: typeof import('pglite-prisma-adapter').PrismaPGlite): PrismaClient {
  // pglite-prisma-adapter's typings pin an older @prisma/driver-adapter-utils; the runtime contract is
  // the one Prisma 6.19 expects (exercised by every test).
  const adapter = new PrismaPGlite(lite) as unknown as ConstructorParameters<typeof PrismaClient>[0] extends infer O
    ? O extends { adapter?: infer A } ? A : never
    : never;
  return new PrismaClient({ adapter });
}

export interface OpenOptions {
  migrate?: boolean;
  /**
   * The process runs one job and exits (a shell, an import, a tick), so WebAssembly is compiled once,
   * without V8's optimising tier: see shortLived().
   */
  shortLived?: boolean;
  /** Fills a database this call creates; on disk, before the new database becomes visible. */
  seed?: (prisma: PrismaClient) => Promise<void>;
  /** Told when this process takes the embedded directory over from a process that died holding it. */
  onTakeover?: (previous: OwnerInfo) => void;
  /** Told when closing the embedded database waits for other processes still using it through this one. */
  onWaitForOthers?: (connections: number) => void;
}

/**
 * PGlite (a 10 MB WebAssembly module) and Prisma's query compiler run as WebAssembly. V8 compiles it
 * twice: at once with its baseline compiler (Liftoff), then again, optimised, in background jobs, and
 * the main thread waits for those jobs soon after the module starts: the next turn of the event loop
 * came 250-500 ms late on a 2-CPU machine, half of the embedded database's whole open time.
 * A long-running bot gains from the optimised code; a process that answers a few commands and exits
 * never does, so it keeps the baseline code. Set before either module is compiled, and process-wide.
 */
function shortLived(): void {
  setFlagsFromString('--liftoff-only');
}

export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  if (options.shortLived) shortLived();
  if ('url' in target) {
    const pool = createPool(target.url, target.pool);
    releaseBrokenConnections(pool);
    const runner = pgRunner(pool);
    if (options.migrate !== false && !(await upToDate(runner))) {
      // Migration statements and their bookkeeping must share one session (BEGIN/COMMIT, the advisory lock).
      const client = migrationClient(target.url, target.pool);
      client.on('error', () => {});
      try {
        await client.connect();
        await migrate(pgRunner(client));
      } finally {
        await client.end().catch(() => {});
      }
    }
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    runners.set(prisma, runner);
    return {
      prisma,
      kind: 'postgres',
      sql: runner,
      close: async () => {
        await prisma.$disconnect();
        await pool.end().catch(() => {});
      },
    };
  }
  const [{ PGlite }, { liteRunner, openEmbedded }, liteClient] = await Promise.all([import('@electric-sql/pglite'), import('./embedded.ts'), pgliteClientMaker()]);
  if ('dataDir' in target) {
    const handle = await openEmbedded(target.dataDir, {
      migrate: options.migrate !== false,
      ...(options.seed ? { seed: options.seed } : {}),
      ...(options.onTakeover ? { onTakeover: options.onTakeover } : {}),
      ...(options.onWaitForOthers ? { onWaitForOthers: options.onWaitForOthers } : {}),
      makePrisma: (source) => {
        if ('lite' in source) return liteClient(source.lite);
        releaseBrokenConnections(source.pool);
        return new PrismaClient({ adapter: new PrismaPg(source.pool) });
      },
    });
    runners.set(handle.prisma, handle.sql);
    return { prisma: handle.prisma, kind: 'embedded', sql: handle.sql, close: handle.close };
  }
  const lite = new PGlite();
  await lite.waitReady;
  const runner = liteRunner(lite);
  if (options.migrate !== false) await migrate(runner);
  const prisma = liteClient(lite);
  runners.set(prisma, runner);
  return {
    prisma,
    kind: 'embedded',
    sql: runner,
    close: async () => {
      await prisma.$disconnect();
      await lite.close();
    },
  };
}
