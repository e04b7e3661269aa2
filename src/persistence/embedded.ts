// The embedded database on disk, with exactly one owner process. The first partnerbot process to open
// PARTNERBOT_DATA_DIR locks it (data-dir-lock.ts), opens PGlite and serves it on a Unix socket
// (embedded-server.ts); every later process on the machine connects to that socket, so a shell, a tick
// or an import beside a running bot just works and no two processes ever write the same files.
//
// A new database is built in a sibling directory and renamed into place only once it is migrated and
// seeded, so a first start killed half-way leaves either nothing or a complete database.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import type { PrismaClient } from '@prisma/client';
import pg from 'pg';
import { LOCK_FILE, tryLockDataDir, type DataDirLock, type OwnerInfo } from './data-dir-lock.ts';
import { serveEmbedded } from './embedded-server.ts';
import { DatabaseOpenError } from './errors.ts';
import { checkMigrations, migrate, pgRunner, upToDate, type SqlRunner } from './migrate.ts';

/** The PostgreSQL major version inside this PGlite build: a directory of another one cannot be opened. */
export const EMBEDDED_PG_MAJOR = '17';
const PGDATA = 'pgdata';
const CREATING = 'pgdata.creating-';
const SOCKET_NAME = '.s.PGSQL.5432';
/** Unix socket paths are limited to 107 bytes; past that the socket lives in a short private directory. */
const MAX_SOCKET_PATH = 100;
/** How long a second process waits for the owner's socket (the owner may be creating the database). */
const CONNECT_WAIT_MS = 60_000;

export interface EmbeddedOptions {
  migrate: boolean;
  /** Fills a newly created database (in its temporary directory, before it is renamed into place). */
  seed?: (prisma: PrismaClient) => Promise<void>;
  /** Told when this process takes the directory over from a process that died holding it. */
  onTakeover?: (previous: OwnerInfo) => void;
  /** Told when closing waits for other processes still using this process's database. */
  onWaitForOthers?: (connections: number) => void;
  makePrisma: (source: { lite: PGlite } | { pool: pg.Pool }) => PrismaClient;
}

export interface EmbeddedHandle {
  prisma: PrismaClient;
  sql: SqlRunner;
  close(): Promise<void>;
}

function errnoCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

function describeOwner(dir: string, owner: OwnerInfo): string {
  const started = Number.isNaN(Date.parse(owner.startedAt)) ? 'at an unknown time' : new Date(owner.startedAt).toTimeString().slice(0, 5);
  return `${dir} is in use by partnerbot (pid ${owner.pid}${owner.host ? ` on ${owner.host}` : ''}, started ${started})`;
}

async function socketDir(dataDir: string): Promise<string> {
  const dir = resolve(dataDir);
  if (Buffer.byteLength(join(dir, SOCKET_NAME)) <= MAX_SOCKET_PATH) return dir;
  const id = createHash('sha256').update(await realpath(dir)).digest('hex').slice(0, 16);
  const short = join(tmpdir(), `partnerbot-${id}`);
  await mkdir(short, { recursive: true, mode: 0o700 });
  return short;
}

export function liteRunner(lite: PGlite): SqlRunner {
  return {
    exec: async (sql) => {
      await lite.exec(sql);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await lite.query<T>(sql, params)).rows,
  };
}

/** The directory must be a directory, and either a partnerbot database or empty of anything else. */
async function existingDatabase(dataDir: string): Promise<string | null> {
  const entries = await readdir(dataDir);
  // Databases made before the lock existed keep their files at the top of the directory.
  if (entries.includes('PG_VERSION')) return dataDir;
  if (entries.includes(PGDATA)) return join(dataDir, PGDATA);
  const ours = (name: string) => name.startsWith(LOCK_FILE) || name === SOCKET_NAME || name.startsWith(CREATING);
  const foreign = entries.filter((name) => !ours(name));
  if (foreign.length)
    throw new DatabaseOpenError(
      `PARTNERBOT_DATA_DIR=${dataDir} is not a partnerbot database (it holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}): set it to a new or empty directory.`,
    );
  return null;
}

async function ensureDirectory(dataDir: string): Promise<void> {
  try {
    if (!(await stat(dataDir)).isDirectory()) throw new DatabaseOpenError(`PARTNERBOT_DATA_DIR=${dataDir} is a file, not a directory: set it to a directory (it is created if missing).`);
  } catch (e) {
    if (e instanceof DatabaseOpenError) throw e;
    if (errnoCode(e) !== 'ENOENT') throw new DatabaseOpenError(`PARTNERBOT_DATA_DIR=${dataDir} cannot be read (${errnoCode(e) ?? (e as Error).message}).`);
    try {
      await mkdir(dataDir, { recursive: true });
    } catch (e2) {
      throw new DatabaseOpenError(`PARTNERBOT_DATA_DIR=${dataDir} cannot be created (${errnoCode(e2) ?? (e2 as Error).message}): check the path and its permissions.`);
    }
  }
}

async function checkVersion(pgdir: string): Promise<void> {
  const version = (await readFile(join(pgdir, 'PG_VERSION'), 'utf8').catch(() => '')).trim();
  if (version && version !== EMBEDDED_PG_MAJOR)
    throw new DatabaseOpenError(
      `The embedded database in ${pgdir} was written by PostgreSQL ${version}; this partnerbot embeds PostgreSQL ${EMBEDDED_PG_MAJOR}. Open it with the partnerbot version that made it and run "partnerbot export", then import that file here.`,
    );
}

async function openLite(pgdir: string): Promise<PGlite> {
  try {
    const lite = new PGlite(pgdir);
    await lite.waitReady;
    return lite;
  } catch (e) {
    const cause = e instanceof Error ? e.message.split('\n')[0] : typeof e === 'object' ? JSON.stringify(e) : String(e);
    throw new DatabaseOpenError(
      `The embedded database in ${pgdir} cannot be opened (${cause}). It is damaged or was not written by partnerbot: move the directory aside to start afresh from the work plan, or restore a backup ("partnerbot export" files import with "partnerbot import").`,
    );
  }
}

/** Builds a migrated (and seeded) database beside the final place, then renames it in. */
async function create(dataDir: string, options: EmbeddedOptions): Promise<string> {
  const final = join(dataDir, PGDATA);
  const draft = join(dataDir, `${CREATING}${process.pid}`);
  await rm(draft, { recursive: true, force: true });
  try {
    const lite = await openLite(draft);
    try {
      await migrate(liteRunner(lite));
      if (options.seed) {
        const prisma = options.makePrisma({ lite });
        try {
          await options.seed(prisma);
        } finally {
          await prisma.$disconnect();
        }
      }
    } finally {
      await lite.close();
    }
  } catch (e) {
    await rm(draft, { recursive: true, force: true });
    throw e;
  }
  await rename(draft, final);
  return final;
}

/** Whether something answers on the socket (the owner, or this process itself). */
function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/**
 * This process's way to the database: through the socket, served by whichever process owns the
 * directory. When nobody does (the owner finished, or died), the next connection makes this process
 * the owner, so a shell outlives the bot it was started beside.
 */
class Endpoint {
  private served: { close(onWait?: (n: number) => void): Promise<void> } | null = null;
  private taking: Promise<OwnerInfo | undefined> | null = null;

  constructor(
    private readonly dataDir: string,
    readonly socketDir: string,
    private readonly options: EmbeddedOptions,
  ) {}

  get owner(): boolean {
    return this.served !== null;
  }

  private get socketPath(): string {
    return join(this.socketDir, SOCKET_NAME);
  }

  /** Resolves once the socket answers; becomes the owner if the directory is free. */
  async ready(): Promise<void> {
    const deadline = Date.now() + CONNECT_WAIT_MS;
    let holder: OwnerInfo | undefined;
    for (;;) {
      if (this.served || (await answers(this.socketPath))) return;
      this.taking ??= this.tryToServe().finally(() => (this.taking = null));
      holder = (await this.taking) ?? holder;
      if (this.served) return;
      if (Date.now() > deadline)
        throw new DatabaseOpenError(
          `${describeOwner(this.dataDir, holder ?? { pid: 0, host: '', startedAt: '' })} and it does not answer on its socket. Stop it, or set DATABASE_URL to share a PostgreSQL server.`,
        );
      await sleep(200);
    }
  }

  /** Serves the directory if its lock is free; otherwise returns who holds it. */
  private async tryToServe(): Promise<OwnerInfo | undefined> {
    const attempt = await tryLockDataDir(this.dataDir);
    if (!attempt.owned) return attempt.owner;
    if (attempt.tookOverFrom) this.options.onTakeover?.(attempt.tookOverFrom);
    this.served = await serve(this.dataDir, this.socketPath, attempt.lock, this.options);
    return undefined;
  }

  async close(onWait?: (n: number) => void): Promise<void> {
    await this.taking?.catch(() => {});
    await this.served?.close(onWait);
    this.served = null;
  }
}

/** Opens the directory's database as its owner and serves it; close() undoes all of it, lock last. */
async function serve(dataDir: string, socketPath: string, lock: DataDirLock, options: EmbeddedOptions): Promise<{ close(onWait?: (n: number) => void): Promise<void> }> {
  let lite: PGlite | undefined;
  try {
    // Whatever a killed first start left half-built is garbage: only the owner ever builds.
    for (const name of await readdir(dataDir)) if (name.startsWith(CREATING)) await rm(join(dataDir, name), { recursive: true, force: true });
    const pgdir = (await existingDatabase(dataDir)) ?? (await create(dataDir, options));
    await checkVersion(pgdir);
    if (!(await lock.stillOwned())) throw new DatabaseOpenError(`${dataDir}: another partnerbot process took the lock while this one started; start again.`);
    lite = await openLite(pgdir);
    const runner = liteRunner(lite);
    if (options.migrate && !(await upToDate(runner))) await migrate(runner);
    const server = await serveEmbedded(lite, socketPath);
    const opened = lite;
    return {
      close: async (onWait) => {
        await server.close(onWait);
        await opened.close();
        await lock.release();
      },
    };
  } catch (e) {
    await lite?.close().catch(() => {});
    await lock.release();
    throw e;
  }
}

export async function openEmbedded(dataDir: string, options: EmbeddedOptions): Promise<EmbeddedHandle> {
  await ensureDirectory(dataDir);
  const endpoint = new Endpoint(dataDir, await socketDir(dataDir), options);
  // Every connection of the pool first makes sure the socket is served (by this process if need be).
  // pg-pool calls connect(callback); its typings do not cover overriding it, hence the casts.
  class EndpointClient extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super(config);
      const connect = super.connect.bind(this) as () => Promise<unknown>;
      (this as { connect: unknown }).connect = (callback?: (err: Error | null) => void) => {
        const connected = endpoint.ready().then(connect);
        if (!callback) return connected;
        connected.then(() => callback(null), callback);
        return undefined;
      };
    }
  }
  // Idle connections close quickly: an owner that has finished its own work waits only for connections.
  const pool = new pg.Pool({ Client: EndpointClient, host: endpoint.socketDir, user: 'postgres', database: 'postgres', max: 4, idleTimeoutMillis: 1_000 });
  pool.on('error', () => {});
  const sql = pgRunner(pool);
  const closeAll = async () => {
    await pool.end().catch(() => {});
    await endpoint.close(options.onWaitForOthers);
  };
  try {
    await endpoint.ready();
    // A process that found another owner uses a schema it did not migrate: it must be this version's.
    if (!endpoint.owner) await checkMigrations(sql);
  } catch (e) {
    await closeAll();
    throw e;
  }
  const prisma = options.makePrisma({ pool });
  return {
    prisma,
    sql,
    close: async () => {
      await prisma.$disconnect();
      await closeAll();
    },
  };
}
