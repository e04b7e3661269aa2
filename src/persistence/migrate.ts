// Applies prisma/migrations at start-up, on the embedded database and on a PostgreSQL server alike.
// Rows go into Prisma's own `_prisma_migrations` table, so `prisma migrate deploy` and this runner
// agree on what is applied; an advisory lock lets several replicas start at once safely.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageFile } from '../package-files.ts';
import { DatabaseOpenError } from './errors.ts';

export const MIGRATIONS_DIR = packageFile('prisma/migrations');

/** The least a raw connection must do: run a multi-statement script, and a parameterised query. */
export interface SqlRunner {
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** A runner over node-postgres: a pool, or one client for work that must share a session. */
export function pgRunner(db: { query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }> }): SqlRunner {
  return {
    exec: async (sql) => {
      await db.query(sql);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows as T[],
  };
}

const LOCK_KEY = 72_616_105; // arbitrary, constant: "partnerbot migrations"

export async function listMigrations(dir = MIGRATIONS_DIR): Promise<{ name: string; sql: string; checksum: string }[]> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

const APPLIED = 'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';

/** A newer partnerbot's tables and columns would be misread by this one: refuse rather than guess. */
function refuseUnknown(applied: Iterable<string>, known: Set<string>): void {
  const unknown = [...applied].filter((name) => !known.has(name)).sort();
  if (unknown.length)
    throw new DatabaseOpenError(`The database was upgraded by a newer partnerbot (migration ${unknown.at(-1)} is unknown to this version): upgrade partnerbot.`);
}

/**
 * For a process that uses a database another process migrates (a client of the embedded database's
 * owner): the schema must be exactly the one this version knows.
 */
export async function checkMigrations(db: SqlRunner, dir = MIGRATIONS_DIR): Promise<void> {
  const known = (await listMigrations(dir)).map((m) => m.name);
  const applied = new Set((await db.query<{ migration_name: string }>(APPLIED)).map((r) => r.migration_name));
  refuseUnknown(applied, new Set(known));
  const missing = known.filter((name) => !applied.has(name));
  if (missing.length)
    throw new DatabaseOpenError(
      `The partnerbot that owns this database runs an older version (migration ${missing[0]} is not applied yet): stop it, then start this version, which upgrades the database.`,
    );
}

/**
 * Whether every migration is applied and none unknown, asked without the lock: applied migrations
 * are never taken back, so a yes needs no lock, and spares a start-up the migration session. A no
 * (or no table yet) sends the caller to migrate(), which decides under the lock.
 */
export async function upToDate(db: SqlRunner, dir = MIGRATIONS_DIR): Promise<boolean> {
  const [known, applied] = await Promise.all([listMigrations(dir), db.query<{ migration_name: string }>(APPLIED).catch(() => undefined)]);
  if (!applied) return false;
  const names = new Set(applied.map((r) => r.migration_name));
  return names.size === known.length && known.every((m) => names.has(m.name));
}

export async function migrate(db: SqlRunner, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await listMigrations(dir);
  await db.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
  try {
    await db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const done = new Set((await db.query<{ migration_name: string }>(APPLIED)).map((r) => r.migration_name));
    refuseUnknown(done, new Set(migrations.map((m) => m.name)));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      await db.exec('BEGIN');
      try {
        await db.exec(m.sql);
        await db.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ($1, $2, $3, now(), 1)',
          [randomUUID(), m.checksum, m.name],
        );
        await db.exec('COMMIT');
      } catch (e) {
        await db.exec('ROLLBACK');
        throw new Error(`migration ${m.name} failed: ${(e as Error).message}`);
      }
      applied.push(m.name);
    }
    return applied;
  } finally {
    await db.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
  }
}
