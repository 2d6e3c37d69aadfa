// PostgreSQL for the store tests: the server at APPRAISE_TEST_DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/test) when it answers; otherwise a throwaway cluster from
// Debian's packages (installed with apt-get when root), in a temp dir on a free loopback port, run
// by the postgres user when root, stopped and removed at teardown, at process exit (Ctrl-C), or,
// after a kill -9, by the next run.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import pg from 'pg';
import { aptInstall, canInstall, isRoot, ProvisionError } from './provision.ts';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const PREFIX = 'appraise-test-pg-';

/** host:port of a URL, without credentials, for messages. */
export function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || 5432}`;
  } catch {
    return 'the configured URL';
  }
}

/** Undefined when `SELECT 1` works at `url`, else why not. */
export async function probe(url: string): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  c.on('error', () => {});
  try {
    await c.connect();
    await c.query('SELECT 1');
    return undefined;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return err.code && !/^[0-9A-Z]{5}$/.test(err.code) ? err.code : err.message.split('\n')[0];
  } finally {
    await c.end().catch(() => {});
  }
}

export interface Cluster {
  url: string;
  stop(): Promise<void>;
}

/** Debian's newest /usr/lib/postgresql/N/bin, else the directory of `initdb` on PATH. */
function findBinDir(): string | undefined {
  const hasBoth = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (hasBoth(join(root, v, 'bin'))) return join(root, v, 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const initdb = join(dir, 'initdb');
    if (dir && existsSync(initdb)) {
      const real = dirname(realpathSync(initdb));
      if (hasBoth(real)) return real;
    }
  }
  return undefined;
}

/** uid/gid of the postgres user (initdb and postgres refuse to run as root). */
function postgresUser(): { uid: number; gid: number } {
  const r = spawnSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' });
  const fields = r.status === 0 ? r.stdout.trim().split(':') : [];
  if (fields.length < 4) throw new ProvisionError(`npm test runs as root and needs a 'postgres' system user to start a throwaway PostgreSQL (Debian's postgresql package creates it), or set APPRAISE_TEST_DATABASE_URL to a server that answers`);
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The process exists and is not a zombie (an exited child that Node has not reaped yet). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return alive(pid);
  }
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Stops the postmaster of `dir` (if it runs and really is that cluster's) and removes `dir`; synchronous, for exit handlers. */
function destroySync(dir: string, signal: NodeJS.Signals = 'SIGINT'): void {
  try {
    const pid = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const cmdline = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
    if (pid > 0 && cmdline.includes(dir)) {
      process.kill(pid, signal);
      for (let waited = 0; waited < 15_000 && running(pid); waited += 50) sleepSync(50);
      if (running(pid)) process.kill(pid, 'SIGKILL');
    }
  } catch {
    // no pid file, or the process is gone
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Clusters whose run was killed before it could clean up (kill -9): stopped and removed. */
function sweepStale(): void {
  const base = tmpdir();
  let entries: string[];
  try {
    entries = readdirSync(base).filter((n) => n.startsWith(PREFIX));
  } catch {
    return;
  }
  for (const name of entries) {
    const dir = join(base, name);
    try {
      const owner = Number(readFileSync(join(dir, 'owner'), 'utf8'));
      if (owner > 0 && alive(owner)) continue;
    } catch {
      // no owner file: only a leftover if it is old (a concurrent run writes it right after mkdtemp)
      try {
        if (Date.now() - statSync(dir).mtimeMs < 10 * 60_000) continue;
      } catch {
        continue;
      }
    }
    try {
      destroySync(dir, 'SIGQUIT');
      console.log(`Removed a throwaway PostgreSQL cluster left by an interrupted run (${dir})`);
    } catch {
      // another user's leftover: not ours to remove
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function utf8Locale(): string {
  const r = spawnSync('locale', ['-a'], { encoding: 'utf8' });
  return r.status === 0 && /^C\.utf-?8$/im.test(r.stdout) ? 'C.UTF-8' : 'C';
}

/** Why the store tests need a server, and every way to give them one. */
const NEEDS = (url: string) =>
  `npm test needs PostgreSQL: start one at ${where(url)}, set APPRAISE_TEST_DATABASE_URL to one that answers, install Debian's postgresql (apt-get install postgresql), or run as root so it can install it`;

/**
 * A fresh cluster in a temp dir on a free loopback port, trust authentication, a `test` database.
 * `configured` is the URL that did not answer (for messages).
 */
export async function startThrowawayCluster(configured: string, reason: string): Promise<Cluster> {
  sweepStale();
  let bin = findBinDir();
  if (!bin) {
    if (!canInstall()) throw new ProvisionError(NEEDS(configured));
    console.log(`PostgreSQL does not answer on ${where(configured)} (${reason}); installing Debian's postgresql for a throwaway cluster (about a minute)`);
    aptInstall('postgresql', `install it yourself, or set APPRAISE_TEST_DATABASE_URL to a server that answers`);
    bin = findBinDir();
    if (!bin) throw new ProvisionError(`apt-get installed postgresql but no initdb was found under /usr/lib/postgresql: set APPRAISE_TEST_DATABASE_URL to a server that answers`);
  }
  const user = isRoot() ? postgresUser() : undefined;
  const dir = mkdtempSync(join(tmpdir(), PREFIX));
  writeFileSync(join(dir, 'owner'), String(process.pid));
  // Until stop(): whatever ends this process (teardown skipped, Ctrl-C, SIGTERM) stops and removes the cluster.
  const onExit = () => destroySync(dir);
  const onHangup = () => process.exit(129);
  process.on('exit', onExit);
  process.once('SIGHUP', onHangup);
  const forget = () => {
    process.off('exit', onExit);
    process.off('SIGHUP', onHangup);
  };
  try {
    if (user) chownSync(dir, user.uid, user.gid);
    const asUser = { ...(user ?? {}), cwd: dir };
    const data = join(dir, 'data');
    const locale = utf8Locale();
    const init = spawnSync(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', `--locale=${locale}`, '--no-sync'], {
      ...asUser,
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: locale },
    });
    if (init.status !== 0) {
      process.stderr.write(`${init.stderr ?? ''}${init.error?.message ?? ''}\n`);
      throw new ProvisionError(`initdb failed (above), so npm test could not start a throwaway PostgreSQL: set APPRAISE_TEST_DATABASE_URL to a server that answers`);
    }
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      console.log(`PostgreSQL does not answer on ${where(configured)} (${reason}); starting a throwaway cluster on 127.0.0.1:${port}`);
      const log = join(dir, `postgres-${port}.log`);
      const fd = openSync(log, 'a');
      if (user) chownSync(log, user.uid, user.gid);
      const child = spawn(
        join(bin, 'postgres'),
        ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
        { ...asUser, stdio: ['ignore', fd, fd] },
      );
      closeSync(fd);
      const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
      if (await ready(child, admin)) {
        const c = new pg.Client({ connectionString: admin });
        await c.connect();
        await c.query('CREATE DATABASE test');
        await c.end();
        return {
          url: `postgres://postgres@127.0.0.1:${port}/test`,
          async stop() {
            await stopChild(child);
            rmSync(dir, { recursive: true, force: true });
            forget();
          },
        };
      }
      await stopChild(child);
      const text = readFileSync(log, 'utf8');
      if (attempt < 3 && /could not bind|already in use/i.test(text)) continue; // the port was taken meanwhile
      process.stderr.write(`${text.trimEnd().split('\n').slice(-10).join('\n')}\n`);
      throw new ProvisionError(`the throwaway PostgreSQL did not start (its log above): set APPRAISE_TEST_DATABASE_URL to a server that answers`);
    }
  } catch (e) {
    destroySync(dir);
    forget();
    throw e;
  }
}

/** Waits until the server accepts a query; false if it exits or takes more than 60 s. */
async function ready(child: ChildProcess, url: string): Promise<boolean> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    if ((await probe(url)) === undefined) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Fast shutdown (SIGINT), then immediate (SIGQUIT), then SIGKILL. */
async function stopChild(child: ChildProcess): Promise<void> {
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const wait = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (exited()) return resolve(true);
      const t = setTimeout(() => resolve(exited()), ms);
      child.once('exit', () => {
        clearTimeout(t);
        resolve(true);
      });
    });
  for (const [signal, ms] of [['SIGINT', 20_000], ['SIGQUIT', 5_000], ['SIGKILL', 5_000]] as const) {
    if (exited()) return;
    child.kill(signal);
    if (await wait(ms)) return;
  }
}

/** The URL the store tests use: the configured server if it answers, else a throwaway cluster. */
export async function provisionPostgres(): Promise<{ url: string; cluster?: Cluster }> {
  const configured = process.env.APPRAISE_TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const reason = await probe(configured);
  if (reason === undefined) {
    console.log(`Store tests use PostgreSQL at ${where(configured)}`);
    return { url: configured };
  }
  const cluster = await startThrowawayCluster(configured, reason);
  return { url: cluster.url, cluster };
}
