// Shared by the import suites: temp files, the record kinds of the built-in plugins, a store per
// back-end emptied between tests, the `appraise` command run as a user runs it, and a test server
// for a describe block.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { discoverPlugins } from '../../core/plugins/discovery.ts';
import type { RecordKindInfo } from '../../core/plugins/manifest.ts';
import type { Store } from '../../core/store/store.ts';
import { testServer, type TestServer } from '../server/helpers.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MAPPINGS = join(ROOT, 'rules/mappings');

// The real command once core/cli/main.ts registers `import`; until then a stand-in entry that
// registers the same command module with the same exit-code handling.
export const BIN = join(ROOT, 'core/cli/appraise.mjs');

export interface TempDir {
  dir: string;
  file(name: string, text?: string): string;
  dispose(): void;
}

export function tempDir(): TempDir {
  const dir = mkdtempSync(join(tmpdir(), 'appraise-import-'));
  return {
    dir,
    file(name, text) {
      const p = join(dir, name);
      if (text !== undefined) writeFileSync(p, text);
      return p;
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

let kinds: Promise<ReadonlyMap<string, RecordKindInfo>> | undefined;
export async function recordKind(id: string): Promise<RecordKindInfo> {
  kinds ??= discoverPlugins().then((s) => s.recordKinds);
  const k = (await kinds).get(id);
  if (!k) throw new Error(`no record kind ${id}`);
  return k;
}

export async function emptyStore(store: Store): Promise<void> {
  await store.query('DELETE FROM records');
  await store.query('DELETE FROM imports');
  await store.query('DELETE FROM employees');
}

export async function addEmployees(store: Store, ids: string[]): Promise<void> {
  for (const id of ids) await store.query(`INSERT INTO employees (id, name, content_hash) VALUES ($1, $1, 'test')`, [id]);
}

export async function count(store: Store, table: 'records' | 'employees' | 'imports', where = 'true', params: unknown[] = []): Promise<number> {
  const r = await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
  return Number(r.rows[0].n);
}

/** Runs `appraise import …` in a child process; DATABASE_URL is dropped unless `env` sets it. */
export function importCli(args: string[], env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'import', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', APPRAISE_PG_SCHEMA: '', NO_COLOR: '1', ...env },
    timeout: 180_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function spawnImport(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [BIN, 'import', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', APPRAISE_PG_SCHEMA: '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The public data sets (not part of the product; tests that need them skip with a reason). */
export const SHARED_DATA = process.env.APPRAISE_SHARED_DATA ?? join(ROOT, '../shared/data');
export function sharedData(name: string): string | undefined {
  const p = join(SHARED_DATA, name);
  if (existsSync(p)) return p;
  console.warn(`SKIPPED: tests of ${name}: the data set is not at ${p} (set APPRAISE_SHARED_DATA to its folder)`);
  return undefined;
}

/**
 * The test server of test/server/helpers.ts for the enclosing describe block: started before its
 * first test, closed after its last. `post` uploads a body of a content type to it as HR.
 */
export function serverForSuite(): { t: Omit<TestServer, 'close'>; post(url: string, type: string, payload: string): Promise<LightMyRequestResponse> } {
  let started: TestServer | undefined;
  const open = (): TestServer => {
    if (!started) throw new Error('the test server is not started yet (used outside a test)');
    return started;
  };
  beforeAll(async () => {
    started = await testServer();
  });
  afterAll(async () => {
    await started?.close();
  });
  const t: Omit<TestServer, 'close'> = {
    get app() {
      return open().app;
    },
    get server() {
      return open().server;
    },
    get tokens() {
      return open().tokens;
    },
    call: (who, method, url, body) => open().call(who, method, url, body),
  };
  const post = (url: string, type: string, payload: string) =>
    t.server.inject({ method: 'POST', url, headers: { authorization: `Bearer ${t.tokens.hr}`, 'content-type': type }, payload });
  return { t, post };
}
