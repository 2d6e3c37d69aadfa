// A reusable harness for source tests (this part's test plugin, and the Zendesk and Salesforce
// connectors' fixture servers): a fresh store (a PGlite data folder, or a fresh PostgreSQL
// schema) with a config naming the sources to test, and the real CLI to sync them, spawned as a
// user runs it, so that a test can kill it midway.
//
//   const h = await sourceHarness({ backend: 'pglite', sources: { zendesk: { source: 'zendesk.support',
//     settings: { baseUrl: vendor.url, email: 'a@b.c' }, credentials: { token: { env: 'ZD_TOKEN' } } } },
//     env: { ZD_TOKEN: 'secret-…' } });
//   await h.syncCli('zendesk')           → { code, stdout, stderr }
//   await h.killSyncWhen('zendesk', () => vendor.requested(1))   // SIGKILL once the 2nd page is asked for
//   await h.snapshot()                   → { records, employees } to compare with an uninterrupted sync
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { migrate } from '../../core/store/migrate.ts';
import { openStore, type Store } from '../../core/store/store.ts';
import { freshPostgresStore, POSTGRES_URL, postgresReachable } from '../store/backends.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'core/cli/appraise.mjs');
/** The folder of the test source plugin (testvendor). */
export const TEST_SOURCE_PLUGINS = join(ROOT, 'test/fixtures/source-plugins');

export interface HarnessSource {
  source: string;
  schedule?: string;
  enabled?: boolean;
  settings?: Record<string, unknown>;
  credentials?: Record<string, { env: string } | { secret: string }>;
  limits?: { maxRetries?: number; maxWaitSeconds?: number; timeoutMs?: number };
}

export interface HarnessOptions {
  backend: 'pglite' | 'postgres';
  sources: Record<string, HarnessSource>;
  /** The environment of every command (credentials by `{ env }`). */
  env?: Record<string, string>;
  /** Plugin folders besides the built-in ones (default: the test source plugin's). */
  pluginDirs?: string[];
  /** Employees on file before the first sync. */
  employees?: Array<{ id: string; name: string; email?: string }>;
  /** More of the config (plugins.trusted, secrets …), merged in. */
  config?: Record<string, unknown>;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Snapshot {
  records: Array<Record<string, unknown>>;
  employees: Array<Record<string, unknown>>;
}

export interface SourceHarness {
  dir: string;
  /** The embedded store's folder (PGlite), given to every command with --data-dir; undefined on PostgreSQL. */
  dataDir: string | undefined;
  configFile: string;
  /** The environment the commands run with (store selection, credentials). */
  env: Record<string, string>;
  /**
   * `npx appraise <args>` with this config and store. Asynchronous: the vendor server a test runs
   * lives in the test's own process and must keep answering while the command runs.
   */
  cli(args: string[]): Promise<CliResult>;
  /** `npx appraise sources sync <name> [--full]`. */
  syncCli(name: string, extra?: string[]): Promise<CliResult>;
  /** The same, as a child process (output piped) the test may kill. */
  spawnSync(name: string, extra?: string[]): ChildProcess & { output(): { stdout: string; stderr: string }; exited: Promise<number | null> };
  /** Starts a sync, waits for `when` (e.g. the vendor got the request of the 2nd page), kills it with SIGKILL. */
  killSyncWhen(name: string, when: () => Promise<void>): Promise<{ stdout: string; stderr: string }>;
  /** Runs SQL against the store (between commands on PGlite: the CLI owns the folder while it runs). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** The records and employees as a user would compare them (no generated ids, no times of writing). */
  snapshot(): Promise<Snapshot>;
  dispose(): Promise<void>;
}

export async function sourceHarness(o: HarnessOptions): Promise<SourceHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'appraise-sources-'));
  const configFile = join(dir, 'appraise.config.yaml');
  const dataDir = join(dir, 'store');
  writeFileSync(configFile, stringify({
    ...o.config,
    plugins: { dirs: o.pluginDirs ?? [TEST_SOURCE_PLUGINS], ...(o.config?.plugins as object | undefined) },
    sources: o.sources,
  }));
  let pg: (Store & { dispose(): Promise<void>; schema: string }) | undefined;
  const env: Record<string, string> = { DATABASE_URL: '', APPRAISE_PG_SCHEMA: '', APPRAISE_DATA_DIR: '', NO_COLOR: '1', ...o.env };
  if (o.backend === 'postgres') {
    if (!(await postgresReachable())) throw new Error(`PostgreSQL at ${POSTGRES_URL} does not answer`);
    pg = await freshPostgresStore();
    Object.assign(env, { DATABASE_URL: POSTGRES_URL, APPRAISE_PG_SCHEMA: pg.schema });
  }
  const withStore = async <T>(fn: (s: Store) => Promise<T>): Promise<T> => {
    if (pg) return fn(pg);
    const store = await openStore({ dataDir, databaseUrl: '' });
    try {
      await migrate(store);
      return await fn(store);
    } finally {
      await store.close();
    }
  };
  const query = <T>(sql: string, params: unknown[] = []) => withStore(async (s) => (await s.query<T>(sql, params)).rows);
  if (o.employees?.length) {
    await withStore(async (s) => {
      for (const e of o.employees!) await s.query(`INSERT INTO employees (id, name, email, content_hash) VALUES ($1, $2, $3, 'test')`, [e.id, e.name, e.email ?? null]);
    });
  }
  // The embedded store is named as a user names it, with --data-dir after the command.
  const args = (a: string[]) => ['--config', configFile, ...a, ...(!pg && a[0] === 'sources' ? ['--data-dir', dataDir] : [])];
  const processEnv = () => ({ ...process.env, ...env });
  const spawnCli = (a: string[]) => {
    const child = spawn(process.execPath, [BIN, ...args(a)], { cwd: dir, env: processEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return Object.assign(child, { output: () => ({ stdout, stderr }), exited });
  };
  const cli = async (a: string[]): Promise<CliResult> => {
    const child = spawnCli(a);
    const code = await child.exited;
    return { code: code ?? -1, ...child.output() };
  };
  const spawnOne = (name: string, extra: string[] = []) => spawnCli(['sources', 'sync', name, ...extra]);
  return {
    dir,
    dataDir: pg ? undefined : dataDir,
    configFile,
    env,
    cli,
    syncCli: (name, extra = []) => cli(['sources', 'sync', name, ...extra]),
    spawnSync: spawnOne,
    async killSyncWhen(name, when) {
      const child = spawnOne(name);
      const ended = child.exited.then((code) => {
        throw new Error(`the sync ended (exit ${code}) before it could be killed: ${JSON.stringify(child.output())}`);
      });
      await Promise.race([when(), ended]);
      ended.catch(() => {});
      child.kill('SIGKILL');
      await child.exited;
      return child.output();
    },
    query,
    snapshot: () => withStore(async (s) => ({
      records: (await s.query(`SELECT kind, employee_id, occurred_at, payload, source, external_id FROM records ORDER BY kind, external_id`)).rows.map((r) => ({ ...r, occurred_at: new Date(r.occurred_at as string).toISOString() })),
      employees: (await s.query(`SELECT id, name, email, role, team, attributes, source FROM employees ORDER BY id`)).rows,
    })),
    async dispose() {
      await pg?.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
