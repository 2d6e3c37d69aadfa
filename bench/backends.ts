// The two back-ends of the benchmark: the embedded PGlite store (a folder) and PostgreSQL (a
// fresh schema `appraise_bench_<time>` in APPRAISE_BENCH_DATABASE_URL or the local test
// database, dropped afterwards, and only that schema). The main one is opened as the
// application (the server needs it); the other only imports the same organisation, for its
// rows/s, and times the compute phase of a dry run there.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { Appraise } from '../core/app/appraise.ts';
import { defaultConfig } from '../core/config/config.ts';
import { openStore, type Store } from '../core/store/store.ts';
import { migrate } from '../core/store/migrate.ts';
import type { PluginSet } from '../core/plugins/discovery.ts';
import { importEmployees } from '../core/import/import-employees.ts';
import { importRecords } from '../core/import/import-records.ts';
import { runPolicies, type RunInput } from '../core/run/run.ts';
import { writeOrganisation, recordFile, EMPLOYEES_FILE } from '../core/demo/write-files.ts';
import { RECORD_KINDS } from '../core/demo/types.ts';
import { ms } from './stats.ts';
import type { BacktestFigures } from './backtest.ts';

export type Backend = 'pglite' | 'postgres';
export const POSTGRES_URL = process.env.APPRAISE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Where PostgreSQL is: its version, or why it does not answer. */
export async function postgresAnswers(): Promise<{ version: string } | { error: string }> {
  const c = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    return { version: (await c.query<{ v: string }>(`SELECT current_setting('server_version') v`)).rows[0].v };
  } catch (e) {
    return { error: (e as Error).message || String(e) };
  } finally {
    await c.end().catch(() => {});
  }
}

export async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: POSTGRES_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
}

/**
 * The main store, opened as the application (store, plugins, the server's dependencies). On
 * PostgreSQL, `keptSchema` (from `--keep`) names a schema kept after the run for the next one;
 * otherwise a fresh schema is made and dropped.
 */
export async function openApp(backend: Backend, dir: string, keptSchema?: string): Promise<{ app: Appraise; cleanup: () => Promise<void> }> {
  const config = defaultConfig();
  if (backend === 'pglite') {
    const app = await Appraise.open({ config, dataDir: join(dir, 'store'), databaseUrl: '' });
    return { app, cleanup: () => app.close() };
  }
  const schema = keptSchema ?? `appraise_bench_${Date.now()}`;
  const app = await Appraise.open({ config, databaseUrl: POSTGRES_URL, schema });
  return {
    app,
    cleanup: async () => {
      await app.close();
      if (!keptSchema) await dropSchema(schema);
    },
  };
}

/** Generates the organisation's files; the number of records. */
export async function generate(employees: number, asOf: Date, orgDir: string): Promise<number> {
  const manifest = await writeOrganisation({ employees, seed: 1, asOf }, orgDir);
  return Object.values(manifest.counts.records as Record<string, number>).reduce((a, b) => a + b, 0);
}

/** Imports the organisation's employees and records, as `appraise import` does. */
export async function importOrganisation(store: Store, set: PluginSet, orgDir: string, rows: number): Promise<{ importMs: number; importRowsPerSecond: number }> {
  const t = performance.now();
  await importEmployees(store, { file: join(orgDir, EMPLOYEES_FILE) });
  for (const kind of RECORD_KINDS) await importRecords(store, set.recordKinds.get(kind)!, { file: join(orgDir, recordFile(kind)) });
  const importMs = performance.now() - t;
  return { importMs: ms(importMs), importRowsPerSecond: Math.round(rows / (importMs / 1000)) };
}

export type SecondBackend =
  | { backend: Backend; version?: string; importMs: number; importRowsPerSecond: number; computeMs: number; runMs: number; storeMb: number; backtest?: BacktestFigures }
  | { backend: Backend; skipped: string };

/**
 * The same organisation imported into the other back-end, in a store of its own that is
 * removed afterwards; then two dry runs (the first warms up) for the compute phase there, and
 * the backtest's figures when asked for (`backtest`, given the store).
 */
export async function secondBackend(backend: Backend, dir: string, set: PluginSet, rows: number, run: Omit<RunInput, 'trigger' | 'dryRun'>, backtest?: (store: Store) => Promise<BacktestFigures>): Promise<SecondBackend> {
  let version: string | undefined;
  if (backend === 'postgres') {
    const pgState = await postgresAnswers();
    if ('error' in pgState) return { backend, skipped: `PostgreSQL at ${POSTGRES_URL.replace(/\/\/[^@/]*@/, '//…@')} does not answer (${pgState.error})` };
    version = pgState.version;
  }
  const schema = `appraise_bench_${Date.now()}`;
  const folder = join(dir, 'second-store');
  rmSync(folder, { recursive: true, force: true });
  const store = backend === 'postgres' ? await openStore({ databaseUrl: POSTGRES_URL, schema }) : await openStore({ dataDir: folder, databaseUrl: '' });
  try {
    await migrate(store);
    const imported = await importOrganisation(store, set, join(dir, 'org'), rows);
    const storeMb = Math.round((await store.sizeBytes()) / 1024 / 1024);
    await runPolicies(store, { ...run, trigger: 'manual', dryRun: true });
    const t = performance.now();
    const r = await runPolicies(store, { ...run, trigger: 'manual', dryRun: true });
    const runMs = ms(performance.now() - t);
    return { backend, ...(version ? { version } : {}), ...imported, computeMs: r.run.timings.compute, runMs, storeMb, ...(backtest ? { backtest: await backtest(store) } : {}) };
  } finally {
    await store.close();
    if (backend === 'postgres') await dropSchema(schema);
    else rmSync(folder, { recursive: true, force: true });
  }
}
