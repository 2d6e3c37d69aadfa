// The server back-end: PostgreSQL through a `pg` pool, for several processes sharing the work.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { localLocks } from './local-locks.ts';
import { redactUrl, type Queryable, type QueryResult, type Release, type Store } from './store.ts';

// Timestamps and dates come back as ISO strings / Date like PGlite's; bigint ids as numbers
// (identity columns stay far below 2^53 here).
pg.types.setTypeParser(20, (v: string) => Number(v));

export async function openPostgres(url: string, schema?: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  if (schema) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
    // Two processes starting together on a new schema (a server and its worker) both create it:
    // IF NOT EXISTS does not stop PostgreSQL's catalog from refusing the second one with a
    // duplicate key (23505) or duplicate schema (42P06). Either way the schema now exists.
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch((e: { code?: string }) => {
      if (e.code !== '23505' && e.code !== '42P06') throw e;
    });
    pool.on('connect', (client) => {
      void client.query(`SET search_path TO ${schema}`);
    });
  }
  const run = async <T>(client: pg.Pool | pg.PoolClient, sql: string, params: unknown[] = []): Promise<QueryResult<T>> => {
    const r = await client.query(sql, params as unknown[]);
    return { rows: r.rows as T[], affectedRows: r.rowCount ?? undefined };
  };
  // COPY … FROM STDIN through pg-copy-streams: the rows stream to the server in its text format.
  const copyRows = async (client: pg.PoolClient, table: string, columns: readonly string[], data: string): Promise<void> => {
    await pipeline(Readable.from([Buffer.from(data)]), client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
  };
  // Every connection must see the schema before its first query.
  const withClient = async <T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
    const c = await pool.connect();
    try {
      if (schema) await c.query(`SET search_path TO ${schema}`);
      return await fn(c);
    } finally {
      c.release();
    }
  };
  const redacted = redactUrl(url);
  // Session advisory locks live on one connection of their own, outside the pool, so they last
  // as long as this process and vanish with it. PostgreSQL's locks are re-entrant within a
  // session, so this process's own holders are kept apart by a local table first. Keys carry
  // the schema: tests share one database in schemas of their own.
  const mine = localLocks();
  const self = {};
  let lockSession: Promise<pg.Client> | undefined;
  const session = () => (lockSession ??= (async () => {
    const c = new pg.Client({ connectionString: url });
    c.on('error', () => {});
    await c.connect();
    return c;
  })());
  const lockKey = (key: string) => `${schema ?? 'public'}:${key}`;
  const tryLock = async (key: string): Promise<Release | undefined> => {
    if (!mine.tryLock(key, self)) return undefined;
    try {
      const c = await session();
      const got = (await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [lockKey(key)])).rows[0].ok;
      if (!got) {
        mine.unlock(key, self);
        return undefined;
      }
    } catch (e) {
      mine.unlock(key, self);
      throw e;
    }
    return async () => {
      mine.unlock(key, self);
      const c = await session();
      await c.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey(key)]).catch(() => {});
    };
  };
  return {
    kind: 'postgres',
    location: schema ? `${redacted} (schema ${schema})` : redacted,
    query: <T>(sql: string, params?: unknown[]) => withClient((c) => run<T>(c, sql, params)),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) =>
      withClient(async (c) => {
        await c.query('BEGIN');
        try {
          const out = await fn({ query: <U>(sql: string, params?: unknown[]) => run<U>(c, sql, params), copyRows: (table, columns, data) => copyRows(c, table, columns, data) });
          await c.query('COMMIT');
          return out;
        } catch (e) {
          await c.query('ROLLBACK').catch(() => {});
          throw e;
        }
      }),
    exec: async (sql) => {
      await withClient((c) => c.query(sql));
    },
    sizeBytes: async () => {
      const r = await withClient((c) => c.query('SELECT pg_database_size(current_database())::bigint AS n'));
      return Number(r.rows[0].n);
    },
    checkpoint: async () => {
      /* the server manages its own WAL */
    },
    tryLock,
    close: async () => {
      if (lockSession) await (await lockSession.catch(() => undefined))?.end().catch(() => {});
      await pool.end();
    },
  };
}
