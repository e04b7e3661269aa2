// Several copies of the bot on one PostgreSQL server: separate processes, real row locks.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './support/database.ts';

const server = Boolean(process.env.DATABASE_URL);
let db: TestDatabase;
let partnershipId: string;
const dir = mkdtempSync(join(tmpdir(), 'partnerbot-dispatch-'));
const NOW = '2025-11-24T09:00:00.000Z';

beforeAll(async () => {
  if (!server) return;
  db = await freshDatabase();
  const p = await db.prisma.partnership.create({ data: { slug: 'p', name: 'P' } });
  partnershipId = p.id;
  await db.prisma.channelBinding.create({ data: { partnershipId, platform: 'file', workspaceId: 'W', channelId: 'C', scope: 'partnership' } });
});
afterAll(async () => {
  await db?.drop();
});

async function seed(n: number) {
  await db.prisma.outboxMessage.deleteMany();
  await db.prisma.outboxMessage.createMany({
    data: Array.from({ length: n }, (_, i) => ({ partnershipId, key: `m${i}`, kind: 'test', dueAt: new Date(NOW), scope: 'partnership' as const, payload: { title: `m${i}`, blocks: [] } })),
  });
}

function worker(id: string, out: string, delayMs: number, now = NOW): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'test/support/dispatch-worker.ts', db.url!, id, out, String(delayMs), now], { stdio: 'inherit' });
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => child.once('exit', () => resolve()));
const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

describe.skipIf(!server)('dispatchers in separate processes (PostgreSQL)', () => {
  beforeEach(() => seed(0));

  it('two processes deliver every message exactly once', async () => {
    await seed(120);
    const out = join(dir, 'two.txt');
    const a = worker('a', out, 2);
    const b = worker('b', out, 2);
    await Promise.all([exited(a), exited(b)]);
    const got = lines(out);
    expect(got).toHaveLength(120);
    expect(new Set(got).size).toBe(120);
    expect(await db.prisma.outboxMessage.count({ where: { status: 'sent' } })).toBe(120);
    const via = await db.prisma.outboxMessage.groupBy({ by: ['claimedBy'], _count: true });
    expect(via).toEqual([{ claimedBy: null, _count: 120 }]);
  }, 60_000);

  it('a SIGKILL in the middle of a fan-out loses nothing; the restart sends the rest', async () => {
    await seed(60);
    const out = join(dir, 'kill.txt');
    const victim = worker('victim', out, 40);
    const deadline = Date.now() + 30_000;
    while (lines(out).length < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    victim.kill('SIGKILL');
    await exited(victim);
    const before = lines(out).length;
    expect(before).toBeLessThan(60);
    // After the lease of the killed worker's claim has run out (5 minutes), a new process takes over.
    const later = new Date(Date.parse(NOW) + 6 * 60_000).toISOString();
    await exited(worker('restart', out, 1, later));
    const got = lines(out);
    expect(new Set(got).size).toBe(60);
    // At most the one message in flight at the kill is delivered twice.
    expect(got.length - 60).toBeLessThanOrEqual(1);
    expect(await db.prisma.outboxMessage.count({ where: { status: 'sent' } })).toBe(60);
  }, 90_000);
});
