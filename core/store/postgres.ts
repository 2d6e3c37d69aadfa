// The server back-end: PostgreSQL through a `pg` pool, for several processes sharing the work.
import pg from 'pg';
import type { Queryable, QueryResult, Store } from './store.ts';

// Timestamps and dates come back as ISO strings / Date like PGlite's; bigint ids as numbers
// (identity columns stay far below 2^53 here).
pg.types.setTypeParser(20, (v: string) => Number(v));

export async function openPostgres(url: string, schema?: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  if (schema) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    pool.on('connect', (client) => {
      void client.query(`SET search_path TO ${schema}`);
    });
  }
  const run = async <T>(client: pg.Pool | pg.PoolClient, sql: string, params: unknown[] = []): Promise<QueryResult<T>> => {
    const r = await client.query(sql, params as unknown[]);
    return { rows: r.rows as T[], affectedRows: r.rowCount ?? undefined };
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
  const redacted = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  return {
    kind: 'postgres',
    location: schema ? `${redacted} (schema ${schema})` : redacted,
    query: <T>(sql: string, params?: unknown[]) => withClient((c) => run<T>(c, sql, params)),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) =>
      withClient(async (c) => {
        await c.query('BEGIN');
        try {
          const out = await fn({ query: <U>(sql: string, params?: unknown[]) => run<U>(c, sql, params) });
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
    close: () => pool.end(),
  };
}
