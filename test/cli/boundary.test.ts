// Where the command line meets the world (issue 14, "No stack traces"): each failure a user can
// meet at the CLI's boundary — a PostgreSQL server that does not answer or lacks the database,
// a busy port, a reader that closes the pipe, a store folder this user may not use or that is a
// file — is run through the real `appraise` command and ends in exactly one line,
// `error APPRAISE_<CODE> what happened. What to do.`, exit 1 (2 for usage), and never a Node
// stack trace. An unknown failure is one line too, with its stack in a private log file.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure } from '../../core/cli/boundary.ts';
import { migrate } from '../../core/store/migrate.ts';
import { openStore } from '../../core/store/store.ts';
import { POSTGRES_URL, postgresReachable } from '../store/backends.ts';
import { ROOT } from './run-cli.ts';

const BIN = fileURLToPath(new URL('../../core/cli/appraise.mjs', import.meta.url));
// The test folder is open to other users (0755) so that a command run as `nobody` can reach
// the store folders inside it; each store folder keeps its own mode (0700).
const dir = mkdtempSync(join(tmpdir(), 'appraise-boundary-'));
chmodSync(dir, 0o755);
const store = join(dir, 'store');
const CASES = 3000;
const EVENTS = 2000;
const CASE = 27;

beforeAll(async () => {
  // Output longer than a pipe holds (64 KiB), so that the command is still writing when its
  // reader goes away: `cases --format json` (~220 KB) and the timeline of case 27 (~140 KB).
  const s = await openStore({ dataDir: store, databaseUrl: '' });
  try {
    await migrate(s);
    await s.query(`INSERT INTO employees (id, name, content_hash) SELECT 'E' || g, 'Employee ' || g, 'x' FROM generate_series(1, ${CASES}) g`);
    await s.query(
      `INSERT INTO cases (type, status, employee_id, policy_id, policy_version, rule_id, period, explanation, workflows)
       SELECT 'coaching', 'open', 'E' || g, 'p', 1, 'rule-' || g, '2026-Q4', '{}'::jsonb, '[]'::jsonb FROM generate_series(1, ${CASES}) g`,
    );
    await s.query(
      `INSERT INTO case_events (case_id, actor, event, note) SELECT $1, 'hr', 'note', 'check-in note number ' || g FROM generate_series(1, ${EVENTS}) g`,
      [CASE],
    );
  } finally {
    await s.close();
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `appraise` in a child process without blocking this one (a test's own listener must
 * keep answering). `as` runs it as another user; `onStdout` sees each chunk of its output.
 */
function run(args: string[], options: { env?: Record<string, string>; as?: string[]; onStdout?: (chunk: Buffer, child: ReturnType<typeof spawn>) => void } = {}): Promise<Result> {
  const [cmd, ...pre] = options.as ?? [];
  const child = spawn(cmd ?? process.execPath, [...pre, ...(cmd ? [process.execPath] : []), BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', NO_COLOR: '1', APPRAISE_STORE_WAIT_MS: '5000', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    options.onStdout?.(chunk, child);
  });
  child.stdout!.on('error', () => {});
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

/** No trace of a Node stack or crash banner. */
function expectNoStack(text: string): void {
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toContain('node:internal');
  expect(text).not.toMatch(/Node\.js v\d+/);
  expect(text).not.toMatch(/^\s*\^\s*$/m);
}

/** Exactly one line on stderr, `error CODE …`, that `says` what happened and what to do. */
function expectOneLine(r: Result, exit: number, code: string, says: RegExp[]): string {
  expectNoStack(r.stderr);
  expect(r.stderr, r.stderr).toMatch(new RegExp(`^error ${code} [^\\n]+\\n$`));
  for (const s of says) expect(r.stderr).toMatch(s);
  expect(r.code, r.stderr).toBe(exit);
  return r.stderr.trimEnd();
}

function listen(handler?: (socket: Socket) => void): Promise<Server & { port: number }> {
  const server = createServer(handler ?? (() => {}));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(Object.assign(server, { port: (server.address() as { port: number }).port })));
  });
}
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('DATABASE_URL: a PostgreSQL server that cannot be used', () => {
  it('a database that does not exist: APPRAISE_STORE_DATABASE_MISSING, with createdb', async () => {
    if (!(await postgresReachable())) return; // skipped with the reason printed by postgresReachable
    const url = new URL(POSTGRES_URL);
    const name = `appraise_no_such_db_${randomBytes(4).toString('hex')}`;
    url.pathname = `/${name}`;
    url.search = '';
    const r = await run(['cases'], { env: { DATABASE_URL: url.toString() } });
    expectOneLine(r, 1, 'APPRAISE_STORE_DATABASE_MISSING', [new RegExp(`Database "${name}" does not exist`), /Create it \(createdb <name>\) or correct DATABASE_URL\./]);
    expect(r.stdout).toBe('');
  }, 60_000);

  it('a closed port (ECONNREFUSED): APPRAISE_STORE_UNREACHABLE, with what to start or correct', async () => {
    const server = await listen();
    const port = server.port;
    await close(server); // the port was free a moment ago and nothing listens on it now
    const r = await run(['cases'], { env: { DATABASE_URL: `postgres://postgres:s3cret@127.0.0.1:${port}/appraise` } });
    const line = expectOneLine(r, 1, 'APPRAISE_STORE_UNREACHABLE', [/does not answer \(ECONNREFUSED\)/, /Start it, or correct the host and port in DATABASE_URL\./]);
    expect(line).toContain(`127.0.0.1:${port}`);
    expect(line).not.toContain('s3cret'); // the password is not shown
    expect(r.stdout).toBe('');
  }, 60_000);

  // Something other than PostgreSQL on the port, or a server going down: it closes the
  // connection (pg: "Connection terminated unexpectedly") or resets it (ECONNRESET).
  for (const [how, hangUp, says] of [
    ['closes', (socket: Socket) => socket.end(), /without answering \(Connection terminated unexpectedly\)/],
    ['resets', (socket: Socket) => socket.resetAndDestroy(), /without answering \(ECONNRESET\)/],
  ] as const) {
    it(`a port where something else answers and ${how} the connection: APPRAISE_STORE_UNREACHABLE`, async () => {
      const server = await listen((socket) => socket.once('data', () => hangUp(socket)));
      try {
        const r = await run(['cases'], { env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${server.port}/appraise` } });
        expectOneLine(r, 1, 'APPRAISE_STORE_UNREACHABLE', [/closed the connection without answering/, says, /Check that PostgreSQL is running at that host and port/]);
      } finally {
        await close(server);
      }
    }, 60_000);
  }

  it('a DATABASE_URL that is not a URL: APPRAISE_STORE_UNREACHABLE, with the shape expected', async () => {
    const r = await run(['cases'], { env: { DATABASE_URL: 'postgres://postgres:s3cret@127.0.0.1:99999/appraise' } });
    const line = expectOneLine(r, 1, 'APPRAISE_STORE_UNREACHABLE', [/is not a URL that names a PostgreSQL server/, /postgres:\/\/user:password@host:5432\/database/]);
    expect(line).not.toContain('s3cret');
  }, 60_000);
});

describe('serve on a busy port', () => {
  it('APPRAISE_SERVER_PORT_IN_USE, naming the port and --port', async () => {
    const server = await listen();
    try {
      const r = await run(['serve', '--port', String(server.port), '--host', '127.0.0.1', '--no-worker', '--data-dir', join(dir, 'serve-store')]);
      expectOneLine(r, 1, 'APPRAISE_SERVER_PORT_IN_USE', [new RegExp(`Port ${server.port} on 127\\.0\\.0\\.1 is taken by another program`), /choose another port with --port or PORT\./]);
      expectNoStack(r.stdout);
    } finally {
      await close(server);
    }
  }, 120_000);
});

describe('a reader that closes the pipe early (EPIPE)', () => {
  it('`cases --format json` whose reader goes away after the first chunk: no stack, exit 0', async () => {
    let chunks = 0;
    const r = await run(['cases', '--limit', '500', '--format', 'json', '--data-dir', store], {
      onStdout: (_chunk, child) => {
        if (++chunks === 1) child.stdout!.destroy();
      },
    });
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0); // closing the pipe is the reader's choice, not a failure
    expect(r.stdout.startsWith('{\n  "cases": [')).toBe(true);
    expect(r.stdout.length).toBeLessThan(150_000); // the command was cut off, not finished (~220 KB)
  }, 60_000);

  it('`case 27 | head -2` in a shell: two lines, nothing on stderr, exit 0 under pipefail', async () => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" case ${CASE} --data-dir "${store}" | head -2`], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: '', NO_COLOR: '1' },
      timeout: 90_000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^Case #${CASE}: coaching, open\\nEmployee E${CASE} `));
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(r.status).toBe(0);
  }, 60_000);

  it('the store cut off by the closed pipe opens again at once (its lock was not left behind)', async () => {
    const r = await run(['cases', '--limit', '1', '--data-dir', store]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`1 of ${CASES} case(s).`);
  }, 60_000);
});

describe('a store folder this user may not use, or that is not a folder', () => {
  /**
   * How to run as a user who is not the folder's owner. As root, chmod stops nobody, so the
   * command runs as `nobody` (setpriv, else runuser) on the root-owned store (mode 0700).
   * Otherwise the folder is made unreadable to this user.
   */
  function asOtherUser(): { as?: string[]; target: string; skip?: string; undo?: () => void } {
    if (process.getuid?.() !== 0) {
      const target = join(dir, 'locked');
      mkdirSync(target, { mode: 0o700, recursive: true });
      chmodSync(target, 0o000);
      return { target, undo: () => chmodSync(target, 0o700) };
    }
    const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
    const nobody = spawnSync('id', ['-u', 'nobody']).status === 0;
    if (nobody && has('setpriv')) return { as: ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'], target: store };
    if (nobody && has('runuser')) return { as: ['runuser', '-u', 'nobody', '--'], target: store };
    return { target: store, skip: 'running as root without setpriv or runuser and a `nobody` user, so no user is refused the folder' };
  }

  it('permission denied on the data folder: APPRAISE_STORE_PERMISSION_DENIED, with what to do', async (ctx) => {
    const other = asOtherUser();
    if (other.skip) {
      console.warn(`SKIPPED: permission denied on the store folder: ${other.skip}`);
      ctx.skip();
    }
    expect(statSync(other.target).mode & 0o777).toBe(other.undo ? 0o000 : 0o700);
    try {
      const r = await run(['cases', '--data-dir', other.target], {
        as: other.as,
        // tsx keeps its cache in the temp folder, per user; HOME is one the other user may use.
        env: { HOME: dir },
      });
      expectOneLine(r, 1, 'APPRAISE_STORE_PERMISSION_DENIED', [
        new RegExp(`This user may not write the store folder ${other.target} \\((EACCES|EPERM)\\)`),
        /Run as the user who owns it, fix its permissions, or choose another folder with --data-dir\./,
      ]);
      expect(r.stdout).toBe('');
    } finally {
      other.undo?.();
    }
  }, 60_000);

  it('--data-dir naming a file: APPRAISE_STORE_FOLDER_INVALID', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder\n');
    const r = await run(['cases', '--data-dir', file]);
    expectOneLine(r, 1, 'APPRAISE_STORE_FOLDER_INVALID', [new RegExp(`The store folder ${file} is a file, not a folder`), /Choose a folder with --data-dir, or move the file away\./]);
    expect(readFileSync(file, 'utf8')).toBe('not a folder\n');
  }, 60_000);

  it('--data-dir under a file (ENOTDIR): APPRAISE_STORE_FOLDER_INVALID, naming the file in the way', async () => {
    const file = join(dir, 'a-file-above');
    writeFileSync(file, '');
    const r = await run(['cases', '--data-dir', join(file, 'store', 'deeper')]);
    expectOneLine(r, 1, 'APPRAISE_STORE_FOLDER_INVALID', [new RegExp(`cannot be made: ${file} is a file, not a folder \\(ENOTDIR\\)`), /Choose another folder with --data-dir/]);
  }, 60_000);
});

describe('a failure Appraise does not know', () => {
  it('is one line naming a log file that holds the stack, readable by this user only', () => {
    const e = new Error('boom: the frobnicator\nsecond line of the message');
    const f = describeFailure(e);
    expect(f.code).toBe('APPRAISE_UNEXPECTED');
    expect(f.exit).toBe(1);
    expect(f.message).not.toContain('\n');
    expect(f.message).toMatch(/^Boom: the frobnicator\. This is a failure Appraise does not know yet; details are in \S+\. Please report it\.$/);
    const log = /details are in (\S+\.log)\./.exec(f.message)?.[1];
    expect(log).toBeDefined();
    try {
      expect(existsSync(log!)).toBe(true);
      expect(statSync(log!).mode & 0o777).toBe(0o600);
      const text = readFileSync(log!, 'utf8');
      expect(text).toContain('boom: the frobnicator');
      expect(text).toContain('second line of the message');
      expect(text).toMatch(/\n\s+at .*boundary\.test\.ts/); // the stack is in the file, not on the terminal
    } finally {
      rmSync(log!, { force: true });
    }
  });

  it('a thrown non-Error is one line too', () => {
    const f = describeFailure('just a string');
    expect(f.code).toBe('APPRAISE_UNEXPECTED');
    expect(f.message).toMatch(/^Just a string\. This is a failure/);
    const log = /details are in (\S+\.log)\./.exec(f.message)?.[1];
    if (log) rmSync(log, { force: true });
  });

  it('a usage error exits 2; a coded error keeps its code and exits 1', async () => {
    const { AppraiseError } = await import('../../core/diagnostics/diagnostic.ts');
    expect(describeFailure(new AppraiseError('APPRAISE_USAGE', 'wrong'))).toMatchObject({ code: 'APPRAISE_USAGE', exit: 2 });
    expect(describeFailure(new AppraiseError('APPRAISE_STORE_BUSY', 'busy'))).toMatchObject({ code: 'APPRAISE_STORE_BUSY', exit: 1 });
  });
});
