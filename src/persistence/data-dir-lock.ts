// One owner process per embedded data directory. Two processes opening the same PGlite files each
// keep their own copy in memory and overwrite each other's writes: whole Actions vanished that way.
// The owner holds `partnerbot.lock` (pid, host, start time), created with O_EXCL; every other
// partnerbot process on the machine becomes a client of the owner's socket instead.
//
// The lock is taken over only when it names a process of this host that no longer runs (kill -9, a
// crash, a power cut). Takeover renames the stale file away first, and only the process whose rename
// moved exactly the stale content goes on, so two processes starting after a crash cannot both win.
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'partnerbot.lock';

export interface OwnerInfo {
  pid: number;
  host: string;
  startedAt: string;
}

export type LockAttempt =
  | { owned: true; lock: DataDirLock; tookOverFrom?: OwnerInfo }
  | { owned: false; owner: OwnerInfo };

export interface DataDirLock {
  /** Whether the lock file still names this process (it is checked before anything is opened). */
  stillOwned(): Promise<boolean>;
  release(): Promise<void>;
}

// Stryker disable BlockStatement: an empty catch returns undefined, which every caller takes as null ("not a lock")
function parseOwner(text: string): OwnerInfo | null {
  try {
    const o = JSON.parse(text) as Partial<OwnerInfo>;
    return typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.startedAt === 'string' ? { pid: o.pid, host: o.host, startedAt: o.startedAt } : null;
  } catch {
    return null;
  }
}
// Stryker restore BlockStatement

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock files this process wrote and holds: a lock naming our pid that is not one of them is a predecessor's. */
const heldHere = new Set<string>();

/**
 * A lock left by a process that is gone. One from another host (a shared disk) is never presumed dead.
 * A lock naming this very pid that this process did not write was left by an earlier process that had
 * the same pid: a container restarted after a crash runs as pid 1 again, on the same hostname.
 */
function isStale(owner: OwnerInfo | null, host: string, path: string): boolean {
  if (!owner) return true;
  if (owner.host !== host) return false;
  return owner.pid === process.pid ? !heldHere.has(path) : !isRunning(owner.pid);
}

async function readOwner(path: string): Promise<{ text: string; owner: OwnerInfo | null } | null> {
  try {
    const text = await readFile(path, 'utf8');
    return { text, owner: parseOwner(text) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Creates `path` with `content` only if it does not exist; it never exists half-written. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  const draft = `${path}.${process.pid}.draft`;
  // Stryker disable next-line ObjectLiteral: under the usual umask (022) the default mode is 0644 too; tests run in worker threads, which cannot set the umask
  await writeFile(draft, content, { mode: 0o644 });
  try {
    await link(draft, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await unlink(draft).catch(() => {});
  }
}

/** Moves a stale lock away, if it is still the one we read. */
async function removeStale(path: string, staleText: string): Promise<void> {
  const aside = `${path}.stale-${process.pid}-${Date.now()}`;
  try {
    await rename(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // somebody else moved it
    throw e;
  }
  const moved = await readFile(aside, 'utf8');
  if (moved !== staleText) {
    // We moved a fresh lock somebody made in the meantime: put it back (unless yet another exists).
    await link(aside, path).catch(() => {});
  }
  await unlink(aside);
}

/**
 * Tries to become the owner of `dir` (which must exist). Never waits: the caller decides whether to
 * connect to the owner or to try again.
 */
export async function tryLockDataDir(dir: string, now: () => Date = () => new Date()): Promise<LockAttempt> {
  const path = join(dir, LOCK_FILE);
  const host = hostname();
  const mine: OwnerInfo = { pid: process.pid, host, startedAt: now().toISOString() };
  const content = `${JSON.stringify(mine)}\n`;
  let tookOverFrom: OwnerInfo | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await createExclusive(path, content)) {
      heldHere.add(path);
      const lock: DataDirLock = {
        stillOwned: async () => (await readOwner(path))?.text === content,
        release: async () => {
          heldHere.delete(path);
          if ((await readOwner(path))?.text === content) await unlink(path).catch(() => {});
        },
      };
      return { owned: true, lock, ...(tookOverFrom ? { tookOverFrom } : {}) };
    }
    const current = await readOwner(path);
    if (!current) continue;
    if (!isStale(current.owner, host, path)) return { owned: false, owner: current.owner! };
    tookOverFrom = current.owner ?? { pid: 0, host: 'unknown', startedAt: 'unknown' };
    await removeStale(path, current.text);
  }
  const current = await readOwner(path);
  return { owned: false, owner: current?.owner ?? { pid: 0, host: 'unknown', startedAt: 'unknown' } };
}
