// One owner per embedded store folder. PGlite keeps the database in the memory of the process
// that opened it, so two processes on one folder each write their own copy and one of them
// silently loses. The owner holds a lock in the folder (proper-lockfile: an atomic mkdir) and
// describes itself in owner.json (pid, command, where it shares the store); any other process
// reads that to go through the owner, or to wait for it. A lock whose process is gone (kill -9,
// a crash, a reboot) is stale and taken over at once.
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';

export interface OwnerInfo {
  pid: number;
  host: string;
  /** The process's start time as the kernel counts it (Linux), so a reused pid is not mistaken for the owner. */
  startTicks?: string;
  command: string;
  startedAt: string;
  /** The local socket other processes reach the store through; absent while the owner keeps it to itself. */
  socket?: string;
  /** The admin API the owner serves, if any (for messages). */
  url?: string;
}

export interface Ownership {
  info: OwnerInfo;
  /** Records where the store is shared (or that it no longer is). */
  update(change: Partial<Pick<OwnerInfo, 'socket' | 'url'>>): void;
  release(): Promise<void>;
}

const LOCK = 'owner.lock';
const INFO = 'owner.json';
/**
 * proper-lockfile's own staleness (an mtime not refreshed for this long) never decides here:
 * PGlite's work blocks the event loop for seconds at a time, which would look stale. Whether the
 * owner's process still exists decides.
 */
const NEVER_STALE_MS = 7 * 24 * 3600_000;

export function ownerFile(dataDir: string): string {
  return join(dataDir, INFO);
}

/** The kernel's start time of a process (field 22 of /proc/<pid>/stat), where there is one. */
function startTicksOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the process an owner file describes is still running (on this machine). */
export function ownerAlive(o: OwnerInfo): boolean {
  if (o.host !== hostname()) return true; // cannot tell; never take over another machine's lock
  try {
    process.kill(o.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const now = startTicksOf(o.pid);
  return !(o.startTicks && now && now !== o.startTicks);
}

export function readOwner(dataDir: string): OwnerInfo | undefined {
  try {
    return JSON.parse(readFileSync(ownerFile(dataDir), 'utf8')) as OwnerInfo;
  } catch {
    return undefined;
  }
}

function writeOwner(dataDir: string, info: OwnerInfo): void {
  // Only the owner's user may read where the store is shared.
  writeFileSync(ownerFile(dataDir), JSON.stringify(info, null, 2), { mode: 0o600 });
  chmodSync(ownerFile(dataDir), 0o600);
}

async function tryLock(dataDir: string): Promise<(() => Promise<void>) | undefined> {
  try {
    // proper-lockfile keeps its locks by this name: each lock needs its own (owner.lock here).
    return await lockfile.lock(join(dataDir, 'owner'), {
      realpath: false,
      retries: 0,
      stale: NEVER_STALE_MS,
      // The lock is only ever given up by release() or by the process ending.
      onCompromised: () => {},
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOCKED') return undefined;
    throw e;
  }
}

/**
 * Takes the folder for this process, or says who has it. A stale lock (its process gone) is
 * removed under a second, short-lived lock, so two processes arriving together cannot both
 * take it over.
 */
export async function acquireOwnership(dataDir: string, command: string): Promise<Ownership | { owner: OwnerInfo }> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // The folder holds people's performance data and the socket it is shared on: the owner's user only.
  try {
    chmodSync(dataDir, 0o700);
  } catch {
    // not ours to change (a folder of another user's that we may write): leave it
  }
  const info: OwnerInfo = { pid: process.pid, host: hostname(), startTicks: startTicksOf(process.pid), command, startedAt: new Date().toISOString() };
  let release = await tryLock(dataDir);
  if (!release) {
    const releaseTakeover = await lockfile.lock(join(dataDir, 'takeover'), { realpath: false, retries: { retries: 20, minTimeout: 50, maxTimeout: 200 }, stale: 10_000, onCompromised: () => {} });
    try {
      const owner = readOwner(dataDir);
      if (owner && ownerAlive(owner)) return { owner };
      // No owner file yet: an owner between its lock and its first write. Give it a moment.
      if (!owner) {
        await new Promise((r) => setTimeout(r, 200));
        const late = readOwner(dataDir);
        if (late && ownerAlive(late)) return { owner: late };
      }
      rmSync(join(dataDir, LOCK), { recursive: true, force: true });
      release = await tryLock(dataDir);
      if (!release) {
        const again = readOwner(dataDir);
        return { owner: again ?? { ...info, pid: 0, command: 'another process' } };
      }
      writeOwner(dataDir, info);
    } finally {
      await releaseTakeover();
    }
  } else {
    writeOwner(dataDir, info);
  }
  const held = release;
  return {
    info,
    update(change) {
      Object.assign(info, change);
      for (const k of Object.keys(change) as Array<keyof typeof change>) if (change[k] === undefined) delete info[k];
      writeOwner(dataDir, info);
    },
    async release() {
      rmSync(ownerFile(dataDir), { force: true });
      await held().catch(() => {});
    },
  };
}

/** "appraise serve (pid 123, since 10:02, http://127.0.0.1:3000)" for messages. */
export function describeOwner(o: OwnerInfo): string {
  const since = o.startedAt ? `, since ${o.startedAt.replace('T', ' ').slice(0, 16)} UTC` : '';
  return `\`${o.command}\` (pid ${o.pid}${o.host !== hostname() ? ` on ${o.host}` : ''}${since}${o.url ? `, serving ${o.url}` : ''})`;
}
