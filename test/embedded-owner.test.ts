// The embedded database has exactly one owner process; every other partnerbot process on the machine
// works through it. Real processes on one data directory, as people run them in two terminals.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import { amcheck } from '@electric-sql/pglite/contrib/amcheck';
import { afterAll, describe, expect, it } from 'vitest';

const root = mkdtempSync(join(tmpdir(), 'partnerbot-owner-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const newDataDir = () => join(root, `data${++dirs}`);

function env(dataDir: string): NodeJS.ProcessEnv {
  const { DATABASE_URL: _server, PARTNERBOT_PARTNERSHIP: _p, ...rest } = process.env;
  return { ...rest, PARTNERBOT_DATA_DIR: dataDir };
}

function partnerbot(dataDir: string, args: string[], input = '') {
  return spawnSync(process.execPath, ['bin/partnerbot.mjs', ...args], { input, encoding: 'utf8', env: env(dataDir), timeout: 90_000 });
}

/** An interactive-like shell that keeps the directory open until told to quit. */
async function owner(dataDir: string): Promise<ChildProcessWithoutNullStreams & { output: () => string }> {
  const child = spawn(process.execPath, ['bin/partnerbot.mjs', 'shell', '--now', '2025-11-20'], { env: env(dataDir) });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  // The owner is ready once it answers a command.
  child.stdin.write('me\n');
  for (let i = 0; i < 600 && !out.includes('Roles:'); i++) await sleep(100);
  expect(out).toContain('Roles:');
  return Object.assign(child, { output: () => out });
}

async function quit(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  child.stdin.end('quit\n');
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

// Embedded-only: the run against the PostgreSQL server (DATABASE_URL) has nothing to add here.
describe.skipIf(Boolean(process.env.DATABASE_URL))('one owner for the embedded database', { timeout: 240_000 }, () => {
  it('a second shell, an import and a tick beside a running shell all keep their changes', async () => {
    const dataDir = newDataDir();
    const first = await owner(dataDir);
    const lock = JSON.parse(readFileSync(join(dataDir, 'partnerbot.lock'), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(first.pid);

    const second = partnerbot(dataDir, ['shell', '--now', '2025-11-20'], 'status A2 "State of play from the second terminal"\ndecision add P6 "Decided in the second terminal"\n');
    expect(second.status).toBe(0);
    expect(second.stdout).not.toContain('✗');
    const exported = partnerbot(dataDir, ['export']);
    expect(exported.status).toBe(0);
    expect(exported.stdout).toContain('State of play from the second terminal');
    const tick = partnerbot(dataDir, ['tick', '--now', '2025-11-24T09:00:00+01:00']);
    const created = Number(/(\d+) notifications created/.exec(tick.stdout)?.[1]);
    expect(created).toBeGreaterThan(10);

    // The running shell sees the other processes' work at once.
    first.stdin.write('action A2\n');
    for (let i = 0; i < 300 && !first.output().includes('second terminal'); i++) await sleep(100);
    expect(first.output()).toContain('State of play from the second terminal');
    expect(await quit(first)).toBe(0);
    expect(existsSync(join(dataDir, 'partnerbot.lock'))).toBe(false);

    const after = partnerbot(dataDir, ['shell', '--now', '2025-11-20'], 'actions\naction A2\ndecision list P6\n');
    expect(after.stdout).toMatch(/A2 Education/);
    expect(after.stdout).toContain('State of play from the second terminal');
    expect(after.stdout).toContain('Decided in the second terminal');
    // The outbox rows the tick wrote survived: the same instant creates nothing again.
    expect(partnerbot(dataDir, ['tick', '--now', '2025-11-24T09:00:00+01:00']).stdout).toContain('0 notifications created');
  });

  it('two shells adding 60 agenda items each and two ticks, at once: all 120 items and every notification stored, indexes intact', async () => {
    const dataDir = newDataDir();
    expect(partnerbot(dataDir, ['migrate']).status).toBe(0);
    expect(partnerbot(dataDir, ['shell'], 'me\n').status).toBe(0);
    const adds = (who: string) => Array.from({ length: 60 }, (_, i) => `agenda add "Item ${i} from ${who}" --plenary P6\n`).join('');
    const run = (args: string[], input: string) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['bin/partnerbot.mjs', ...args], { env: env(dataDir) });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.stdin.end(input);
        child.once('exit', (code) => resolve({ code, out }));
      });
    const results = await Promise.all([
      run(['shell', '--now', '2025-11-20'], adds('left')),
      run(['shell', '--now', '2025-11-20'], adds('right')),
      run(['tick', '--now', '2025-11-24T09:00:00+01:00'], ''),
      run(['tick', '--now', '2025-12-01T09:00:00+01:00'], ''),
    ]);
    for (const r of results) expect(r.code, r.out.slice(-500)).toBe(0);
    const acknowledged = results.slice(0, 2).reduce((n, r) => n + (r.out.match(/Added item \d+ to P6/g)?.length ?? 0), 0);
    expect(acknowledged).toBe(120);
    const notified = results.slice(2).reduce((n, r) => n + Number(/(\d+) notifications created/.exec(r.out)?.[1]), 0);
    expect(notified).toBeGreaterThan(20);

    const lite = new PGlite(join(dataDir, 'pgdata'), { extensions: { amcheck } });
    try {
      const { rows } = await lite.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AgendaItem" WHERE title LIKE 'Item % from %'`);
      expect(rows[0]!.n).toBe(120);
      const outbox = await lite.query<{ n: number }>(`SELECT count(*)::int AS n FROM "OutboxMessage"`);
      expect(outbox.rows[0]!.n).toBe(notified);
      await lite.exec('CREATE EXTENSION IF NOT EXISTS amcheck');
      const indexes = await lite.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.amname = 'btree' AND n.nspname = 'public'`,
      );
      expect(indexes.rows.length).toBeGreaterThan(10);
      for (const { name } of indexes.rows) await lite.query(`SELECT bt_index_check($1::regclass, true)`, [`"${name}"`]);
    } finally {
      await lite.close();
    }
  });

  it('after kill -9 of the owner, the next process takes the directory over with the data intact', async () => {
    const dataDir = newDataDir();
    const first = await owner(dataDir);
    const change = partnerbot(dataDir, ['shell'], 'status A3 "Written just before the owner died"\n');
    expect(change.stdout).toContain('Written just before the owner died');
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    expect(existsSync(join(dataDir, 'partnerbot.lock'))).toBe(true);

    const next = partnerbot(dataDir, ['shell'], 'action A3\n');
    expect(next.status).toBe(0);
    expect(next.stderr).toMatch(new RegExp(`Took over .*: the partnerbot that held it \\(pid ${first.pid}, started .*\\) is no longer running`));
    expect(next.stdout).toContain('Written just before the owner died');
  });

  it('a first start killed while it builds the database leaves nothing half-made behind', async () => {
    for (const delay of [0, 800]) {
      const dataDir = newDataDir();
      const child = spawn(process.execPath, ['bin/partnerbot.mjs', 'shell'], { env: env(dataDir) });
      child.stdin.end('me\n');
      // Kill it while the new database is being built (its draft directory exists).
      for (let i = 0; i < 600 && !(existsSync(dataDir) && readdirSync(dataDir).some((n) => n.startsWith('pgdata.creating-'))); i++) await sleep(25);
      await sleep(delay);
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      expect(existsSync(join(dataDir, 'pgdata')), `killed ${delay} ms into creation`).toBe(false);

      const again = partnerbot(dataDir, ['shell', '--now', '2025-11-20'], 'actions\n');
      expect(again.status, again.stderr).toBe(0);
      expect(again.stderr).toContain('First start: imported the work plan');
      expect(again.stdout).toContain('A4 Funding');
      expect(readdirSync(dataDir).filter((n) => n.startsWith('pgdata.creating-'))).toEqual([]);
    }
  });
});
