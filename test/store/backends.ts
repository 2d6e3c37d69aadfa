// One suite, both store back-ends (as hono runs one router suite against every router): a
// fresh in-memory PGlite, and a real PostgreSQL server in a fresh schema that is dropped after.
// PostgreSQL is the one the global setup provisioned (test/setup/postgres.ts: the machine's server or
// APPRAISE_TEST_DATABASE_URL when it answers, else a throwaway cluster), so it always answers; run
// without that setup, it is APPRAISE_TEST_DATABASE_URL or the machine's server, and its absence
// fails in CI and elsewhere skips those tests with a visible reason.
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import type {} from '../setup/provision.ts'; // the provided context's type
import { randomBytes } from 'node:crypto';
import { openStore, type Store } from '../../core/store/store.ts';
import { migrate } from '../../core/store/migrate.ts';

export const POSTGRES_URL =
  inject('appraiseTestDatabaseUrl') ?? process.env.APPRAISE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let reachable: Promise<boolean> | undefined;
export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const c = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
    try {
      await c.connect();
      await c.query('SELECT 1');
      return true;
    } catch (e) {
      if (process.env.CI) throw new Error(`PostgreSQL at ${POSTGRES_URL} does not answer in CI: ${(e as Error).message}`);
      console.warn(`SKIPPED: PostgreSQL store tests, no server at ${POSTGRES_URL} (${(e as Error).message})`);
      return false;
    } finally {
      await c.end().catch(() => {});
    }
  })();
  return reachable;
}

export interface Backend {
  name: 'pglite' | 'postgres';
  /** A new, migrated, empty store that nobody else uses. */
  open(): Promise<Store & { dispose(): Promise<void>; schema?: string }>;
}

export function freshSchemaName(): string {
  return `appraise_test_${randomBytes(6).toString('hex')}`;
}

export const BACKENDS: Backend[] = [
  {
    name: 'pglite',
    async open() {
      const store = await openStore({ dataDir: 'memory://', databaseUrl: '' });
      await migrate(store);
      return Object.assign(store, { dispose: () => store.close() });
    },
  },
  { name: 'postgres', open: freshPostgresStore },
];

/** Drops a schema this run created (never one it did not). */
export async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: POSTGRES_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
}

/** A new, migrated store in a fresh PostgreSQL schema; `dispose` closes it and drops that schema. */
export async function freshPostgresStore(): Promise<Store & { dispose(): Promise<void>; schema: string }> {
  const schema = freshSchemaName();
  const store = await openStore({ databaseUrl: POSTGRES_URL, schema });
  await migrate(store);
  return Object.assign(store, {
    schema,
    async dispose() {
      await store.close();
      await dropSchema(schema);
    },
  });
}

export interface SuiteStore {
  /** PostgreSQL does not answer (outside CI): the suite's tests skip with a visible reason. */
  skip: boolean;
  /** The suite's fresh store, open from before its first test until after its last. */
  readonly store: Store & { dispose(): Promise<void>; schema?: string };
}

/** A fresh store of `backend` for the enclosing describe block, set up once by `setUp`. */
export async function storeForSuite(backend: Backend, setUp?: (store: Store) => Promise<void>): Promise<SuiteStore> {
  const skip = backend.name === 'postgres' && !(await postgresReachable());
  let store: (Store & { dispose(): Promise<void>; schema?: string }) | undefined;
  beforeAll(async () => {
    if (skip) return;
    store = await backend.open();
    await setUp?.(store);
  });
  afterAll(async () => {
    await store?.dispose();
  });
  return {
    skip,
    get store() {
      if (!store) throw new Error('the suite store is not open (skipped, or used outside a test)');
      return store;
    },
  };
}
