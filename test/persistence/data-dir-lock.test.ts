// The embedded directory's lock on its own: who wins, what a stale lock is, what is never taken over.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LOCK_FILE, tryLockDataDir } from '../../src/persistence/data-dir-lock.ts';

type FsStep = 'link' | 'readFile' | 'rename';
/**
 * What happens in the instant before the lock makes one of its file system steps: another process
 * acting on the same directory, or the disk failing (the hook throws).
 */
let before: ((step: FsStep) => void) | undefined;
vi.mock('node:fs/promises', async (original) => {
  const fs = await original<typeof import('node:fs/promises')>();
  const hooked =
    <A extends unknown[], R>(step: FsStep, op: (...args: A) => Promise<R>) =>
    async (...args: A) => {
      before?.(step);
      return op(...args);
    };
  return { ...fs, link: hooked('link', fs.link), readFile: hooked('readFile', fs.readFile), rename: hooked('rename', fs.rename) };
});
/** Runs `act` once, before the first `step` to come. */
const once = (step: FsStep, act: () => void) => {
  before = (s) => {
    if (s !== step) return;
    before = undefined;
    act();
  };
};
const fault = (code: string) => Object.assign(new Error(`${code}: injected`), { code });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'partnerbot-lock-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  before = undefined;
  rmSync(dir, { recursive: true, force: true });
});

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
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
  });

  it('is not taken from a process that runs under another user (the system refuses to signal it)', async () => {
    const owner = { pid: deadPid(), host: hostname(), startedAt: at.toISOString() };
    writeLock(owner);
    vi.spyOn(process, 'kill').mockImplementation(() => {
      throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
    });
    expect(await tryLockDataDir(dir)).toEqual({ owned: false, owner });
  });

  it('names only the owner in its answer, whatever else the file holds', async () => {
    const owner = { pid: process.ppid, host: hostname(), startedAt: at.toISOString() };
    writeLock({ ...owner, note: 'written by a later version' });
    expect(await tryLockDataDir(dir)).toEqual({ owned: false, owner });
  });

  it('is taken over from a process of this host that is gone, saying from whom', async () => {
    const gone = { pid: deadPid(), host: hostname(), startedAt: at.toISOString() };
    writeLock(gone);
    const attempt = await tryLockDataDir(dir);
    expect(attempt).toMatchObject({ owned: true, tookOverFrom: gone });
    expect(JSON.parse(readFileSync(lockPath(), 'utf8')).pid).toBe(process.pid);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
  });

  it('is taken over from an earlier process that had this same pid (a container restarted after a crash runs as pid 1 again)', async () => {
    const predecessor = { pid: process.pid, host: hostname(), startedAt: '2025-01-01T00:00:00.000Z' };
    writeLock(predecessor);
    expect(await tryLockDataDir(dir, () => at)).toMatchObject({ owned: true, tookOverFrom: predecessor });
    expect(JSON.parse(readFileSync(lockPath(), 'utf8')).startedAt).toBe(at.toISOString());
  });

  it('is not taken twice by the process that holds it, and is free again once it lets go', async () => {
    const first = await tryLockDataDir(dir, () => at);
    const mine = JSON.parse(readFileSync(lockPath(), 'utf8'));
    expect(await tryLockDataDir(dir)).toEqual({ owned: false, owner: mine });
    if (first.owned) await first.lock.release();
    expect((await tryLockDataDir(dir)).owned).toBe(true);
  });

  it('is never taken over from another host, whose processes cannot be seen from here', async () => {
    const elsewhere = { pid: deadPid(), host: `${hostname()}-other`, startedAt: at.toISOString() };
    writeLock(elsewhere);
    expect(await tryLockDataDir(dir)).toEqual({ owned: false, owner: elsewhere });
  });

  it('is taken over when it cannot be read as a lock (left empty by a crash), from an unknown owner', async () => {
    writeLock('');
    const unknown = { pid: 0, host: 'unknown', startedAt: 'unknown' };
    expect(await tryLockDataDir(dir)).toMatchObject({ owned: true, tookOverFrom: unknown });
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    for (const garbled of [
      { pid: String(process.ppid), host: hostname(), startedAt: at.toISOString() },
      { pid: process.ppid, host: 7, startedAt: at.toISOString() },
      { pid: process.ppid, host: hostname(), startedAt: 1 },
    ]) {
      writeLock(garbled);
      expect(await tryLockDataDir(dir)).toMatchObject({ owned: true, tookOverFrom: unknown });
    }
  });

  it('is an error, never presumed stale, when the lock file cannot be read', async () => {
    mkdirSync(lockPath());
    await expect(tryLockDataDir(dir)).rejects.toMatchObject({ code: 'EISDIR' });
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
  });

  it('is an error when the directory does not exist', async () => {
    await expect(tryLockDataDir(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
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

describe('two processes taking over the same stale lock', () => {
  it('the one that finds the stale lock already moved aside takes the directory', async () => {
    const gone = { pid: deadPid(), host: hostname(), startedAt: at.toISOString() };
    writeLock(gone);
    // The other one moved it aside and has not made its own lock yet.
    once('rename', () => rmSync(lockPath()));
    expect(await tryLockDataDir(dir, () => at)).toMatchObject({ owned: true, tookOverFrom: gone });
    expect(JSON.parse(readFileSync(lockPath(), 'utf8'))).toEqual({ pid: process.pid, host: hostname(), startedAt: at.toISOString() });
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
  });

  it('the one that finds a fresh lock where the stale one was puts it back and leaves the directory to its owner', async () => {
    writeLock({ pid: deadPid(), host: hostname(), startedAt: at.toISOString() });
    // The other one won the takeover in between: its fresh lock now stands where the stale one was.
    const winner = { pid: process.ppid, host: hostname(), startedAt: new Date().toISOString() };
    once('rename', () => writeLock(winner));
    expect(await tryLockDataDir(dir)).toEqual({ owned: false, owner: winner });
    expect(JSON.parse(readFileSync(lockPath(), 'utf8'))).toEqual(winner);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
  });

  it('the one that finds the lock gone when it looks at it (its owner just released it) takes it, taking over from nobody', async () => {
    let moment = 0;
    before = (step) => {
      // Another process holds the lock as this one tries to create it, and releases it as this one reads it.
      if (step === 'link' && moment === 0) writeLock({ pid: process.ppid, host: hostname(), startedAt: at.toISOString() });
      if (step === 'readFile' && moment === 1) rmSync(lockPath());
      if (step === 'link' || step === 'readFile') moment++;
    };
    const attempt = await tryLockDataDir(dir);
    expect(attempt.owned).toBe(true);
    expect(attempt).not.toHaveProperty('tookOverFrom');
    expect(JSON.parse(readFileSync(lockPath(), 'utf8')).pid).toBe(process.pid);
  });

  it('gives up after five tries when the lock keeps changing under it, instead of trying forever', async () => {
    writeLock('garbled 0');
    let renames = 0;
    before = (step) => {
      if (step !== 'rename') return;
      renames++;
      // Every time, somebody else has left another unreadable lock; at the last, it is gone.
      if (renames < 5) writeLock(`garbled ${renames}`);
      else rmSync(lockPath());
    };
    expect(await tryLockDataDir(dir)).toEqual({ owned: false, owner: { pid: 0, host: 'unknown', startedAt: 'unknown' } });
    expect(renames).toBe(5);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the lock file on a failing disk', () => {
  it('an error creating the lock is an error, not "somebody else has it", and leaves no draft behind', async () => {
    once('link', () => {
      throw fault('EIO');
    });
    await expect(tryLockDataDir(dir)).rejects.toMatchObject({ code: 'EIO' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an error moving a stale lock aside is an error, and the stale lock stays for the next try', async () => {
    const gone = { pid: deadPid(), host: hostname(), startedAt: at.toISOString() };
    writeLock(gone);
    once('rename', () => {
      throw fault('EACCES');
    });
    await expect(tryLockDataDir(dir)).rejects.toMatchObject({ code: 'EACCES' });
    expect(JSON.parse(readFileSync(lockPath(), 'utf8'))).toEqual(gone);
    expect((await tryLockDataDir(dir)).owned).toBe(true);
  });
});

describe('the lock file itself', () => {
  it('deleted by hand, is no longer owned, and releasing it then is no error', async () => {
    const attempt = await tryLockDataDir(dir);
    if (!attempt.owned) throw new Error('expected the lock');
    rmSync(lockPath());
    expect(await attempt.lock.stillOwned()).toBe(false);
    await attempt.lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });
});
