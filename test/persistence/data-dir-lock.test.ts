// The embedded directory's lock on its own: who wins, what a stale lock is, what is never taken over.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, tryLockDataDir } from '../../src/persistence/data-dir-lock.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'partnerbot-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lockPath = () => join(dir, LOCK_FILE);
const at = new Date('2026-11-28T10:02:00Z');
/** A pid that surely ran on this host and is gone now. */
const deadPid = () => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
const writeLock = (owner: object | string) => writeFileSync(lockPath(), typeof owner === 'string' ? owner : `${JSON.stringify(owner)}\n`);

describe('the data directory lock', () => {
  it('is taken by the first process, and names its pid, host and start time', async () => {
    const attempt = await tryLockDataDir(dir, () => at);
    expect(attempt.owned).toBe(true);
    expect(JSON.parse(readFileSync(lockPath(), 'utf8'))).toEqual({ pid: process.pid, host: hostname(), startedAt: at.toISOString() });
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
  });

  it('is not taken while its owner runs; the answer names the owner', async () => {
    const owner = { pid: process.ppid, host: hostname(), startedAt: at.toISOString() };
    writeLock(owner);
    const attempt = await tryLockDataDir(dir);
    expect(attempt).toEqual({ owned: false, owner });
    expect(JSON.parse(readFileSync(lockPath(), 'utf8'))).toEqual(owner);
  });

  it('is taken over from a process of this host that is gone, saying from whom', async () => {
    const gone = { pid: deadPid(), host: hostname(), startedAt: at.toISOString() };
    writeLock(gone);
    const attempt = await tryLockDataDir(dir);
    expect(attempt).toMatchObject({ owned: true, tookOverFrom: gone });
    expect(JSON.parse(readFileSync(lockPath(), 'utf8')).pid).toBe(process.pid);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
  });

  it('is never taken over from another host, whose processes cannot be seen from here', async () => {
    const elsewhere = { pid: deadPid(), host: `${hostname()}-other`, startedAt: at.toISOString() };
    writeLock(elsewhere);
    expect(await tryLockDataDir(dir)).toEqual({ owned: false, owner: elsewhere });
  });

  it('is taken over when it cannot be read as a lock (left empty by a crash)', async () => {
    writeLock('');
    expect((await tryLockDataDir(dir)).owned).toBe(true);
  });

  it('is released only by its owner: a lock somebody else holds by then stays', async () => {
    const attempt = await tryLockDataDir(dir);
    if (!attempt.owned) throw new Error('expected the lock');
    expect(await attempt.lock.stillOwned()).toBe(true);
    const other = { pid: process.ppid, host: hostname(), startedAt: at.toISOString() };
    writeLock(other);
    expect(await attempt.lock.stillOwned()).toBe(false);
    await attempt.lock.release();
    expect(JSON.parse(readFileSync(lockPath(), 'utf8'))).toEqual(other);
  });

  it('is gone after its owner releases it, and can be taken again', async () => {
    const first = await tryLockDataDir(dir);
    if (!first.owned) throw new Error('expected the lock');
    await first.lock.release();
    expect(readdirSync(dir)).toEqual([]);
    expect((await tryLockDataDir(dir)).owned).toBe(true);
  });
});
