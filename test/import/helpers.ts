// Shared by the import suites: temp files, the record kinds of the built-in plugins, a store per
// back-end emptied between tests, and the `appraise` command run as a user runs it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverPlugins } from '../../core/plugins/discovery.ts';
import type { RecordKindInfo } from '../../core/plugins/manifest.ts';
import type { Store } from '../../core/store/store.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MAPPINGS = join(ROOT, 'rules/mappings');

// The real command once core/cli/main.ts registers `import`; until then a stand-in entry that
// registers the same command module with the same exit-code handling.
export const BIN = join(ROOT, 'core/cli/appraise.mjs');

export function tempDir(): { dir: string; file(name: string, text?: string): string; dispose(): void } {
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
