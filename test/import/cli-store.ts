// A store for tests that run the real `appraise import` and then look at what it wrote: a fresh
// PostgreSQL schema named through the environment when the server answers (fast, and readable
// while the command runs), else a PGlite data folder opened after the command has exited.
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { migrate } from '../../core/store/migrate.ts';
import { openStore, type Store } from '../../core/store/store.ts';
import { freshPostgresStore, POSTGRES_URL, postgresReachable } from '../store/backends.ts';
import { importCli, tempDir, type TempDir } from './helpers.ts';

export interface CliStore {
  /** Runs `appraise import …` on this store. */
  run(args: string[]): { code: number; stdout: string; stderr: string };
  /** Rows of a table, read after the command has exited. */
  count(table: 'employees' | 'records' | 'imports', where?: string): Promise<number>;
  /** One value from the store, as a query gives it. */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  dispose(): Promise<void>;
}

export async function cliStore(dir: string): Promise<CliStore> {
  if (await postgresReachable()) {
    const store = await freshPostgresStore();
    const env = { DATABASE_URL: POSTGRES_URL, APPRAISE_PG_SCHEMA: store.schema };
    return {
      run: (args) => importCli(args, env),
      count: async (table, where = 'true') => Number((await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`)).rows[0].n),
      query: async (sql, params = []) => (await store.query(sql, params)).rows as never,
      dispose: () => store.dispose(),
    };
  }
  const dataDir = join(dir, 'cli-store');
  const withStore = async <T>(fn: (s: Store) => Promise<T>): Promise<T> => {
    const store = await openStore({ dataDir, databaseUrl: '' });
    try {
      await migrate(store);
      return await fn(store);
    } finally {
      await store.close();
    }
  };
  return {
    run: (args) => importCli([...args, '--data-dir', dataDir]),
    count: (table, where = 'true') => withStore(async (s) => Number((await s.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`)).rows[0].n)),
    query: (sql, params = []) => withStore(async (s) => (await s.query(sql, params)).rows as never),
    dispose: async () => {},
  };
}

/**
 * A temp folder and a CLI store in it for the enclosing file or describe block: the store is made
 * before its first test and disposed, with the folder, after its last.
 */
export function cliStoreForSuite(): {
  tmp: TempDir;
  cli: Omit<CliStore, 'dispose'>;
} {
  const tmp = tempDir();
  let store: CliStore | undefined;
  const open = (): CliStore => {
    if (!store) throw new Error('the CLI store is not made yet (used outside a test)');
    return store;
  };
  beforeAll(async () => {
    store = await cliStore(tmp.dir);
  });
  afterAll(async () => {
    await store?.dispose();
    tmp.dispose();
  });
  return {
    tmp,
    cli: {
      run: (args) => open().run(args),
      count: (table, where) => open().count(table, where),
      query: <T>(sql: string, params?: unknown[]) => open().query<T>(sql, params),
    },
  };
}
