// The socket server that shares the embedded database between processes: clients take turns by whole
// transactions, a client that vanishes mid-transaction leaves nothing behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveEmbedded, type EmbeddedServer } from '../../src/persistence/embedded-server.ts';

let dir: string;
let lite: PGlite;
let server: EmbeddedServer;
const pools: pg.Pool[] = [];
const pool = (max = 4) => {
  const p = new pg.Pool({ host: dir, user: 'postgres', database: 'postgres', max });
  pools.push(p);
  return p;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'partnerbot-sock-'));
  lite = new PGlite();
  await lite.exec('CREATE TABLE t (id serial PRIMARY KEY, who text NOT NULL, n int NOT NULL)');
  server = await serveEmbedded(lite, join(dir, '.s.PGSQL.5432'));
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end().catch(() => {})));
  await server.close();
  await lite.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the embedded database served on a socket', () => {
  it('runs interleaved transactions of several clients each as a whole', async () => {
    const work = async (p: pg.Pool, who: string) => {
      for (let i = 0; i < 25; i++) {
        const c = await p.connect();
        try {
          await c.query('BEGIN');
          // Read, then write from what was read: interleaving inside a transaction would duplicate n.
          const { rows } = await c.query<{ next: number }>('SELECT coalesce(max(n), 0) + 1 AS next FROM t');
          await c.query('INSERT INTO t (who, n) VALUES ($1, $2)', [who, rows[0]!.next]);
          await c.query('COMMIT');
        } finally {
          c.release();
        }
      }
    };
    const a = pool();
    const b = pool();
    await Promise.all([work(a, 'a'), work(b, 'b'), work(a, 'c'), work(b, 'd')]);
    const { rows } = await a.query<{ total: number; distinct: number }>('SELECT count(*)::int AS total, count(DISTINCT n)::int AS distinct FROM t');
    expect(rows[0]).toEqual({ total: 100, distinct: 100 });
  });

  it('rolls back the transaction of a client that disconnects in the middle, and serves the next one', async () => {
    const p = pool();
    const c = await p.connect();
    await c.query('BEGIN');
    await c.query(`INSERT INTO t (who, n) VALUES ('vanished', -1)`);
    c.release(new Error('gone'));
    const other = pool(1);
    const { rows } = await other.query<{ n: number }>(`SELECT count(*)::int AS n FROM t WHERE who = 'vanished'`);
    expect(rows[0]!.n).toBe(0);
    expect(lite.isInTransaction()).toBe(false);
  });

  it('keeps serving after a client ends its session (Terminate is not passed to the shared session)', async () => {
    const c = new pg.Client({ host: dir, user: 'postgres', database: 'postgres' });
    await c.connect();
    await c.query('SELECT 1');
    await c.end();
    const { rows } = await pool(1).query<{ one: number }>('SELECT 1 AS one');
    expect(rows[0]!.one).toBe(1);
  });

  it('answers an SSL request with "no" at once, instead of leaving the client waiting', async () => {
    const c = new pg.Client({ host: dir, user: 'postgres', database: 'postgres', ssl: { rejectUnauthorized: false } });
    await expect(c.connect()).rejects.toThrow(/does not support SSL/);
  });
});
