// One small interface over the two back-ends: embedded PGlite (the default, nothing to
// install) and PostgreSQL (`DATABASE_URL`). Both speak the same SQL; the code above this
// module never knows which one it has.

export interface QueryResult<T> {
  rows: T[];
  affectedRows?: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
}

export interface Store extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Where the data is: a folder or a redacted URL. */
  readonly location: string;
  /** Runs `fn` in one transaction: all of it is committed, or none of it. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs several statements (migrations). */
  exec(sql: string): Promise<void>;
  /** Bytes used on disk (data directory, or the database). */
  sizeBytes(): Promise<number>;
  /** Flushes the write-ahead log so the data directory does not grow without bound. */
  checkpoint(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** PGlite data folder; default `.appraise` (or APPRAISE_DATA_DIR). */
  dataDir?: string;
  /** PostgreSQL connection string; default DATABASE_URL. Wins over dataDir. */
  databaseUrl?: string;
  /** PostgreSQL schema to use (tests use a fresh one per run); default APPRAISE_PG_SCHEMA. */
  schema?: string;
}

export const DEFAULT_DATA_DIR = '.appraise';

export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const url = options.databaseUrl ?? process.env.DATABASE_URL;
  if (url) {
    const { openPostgres } = await import('./postgres.ts');
    // A command run as a child process (a test killing an import midway) is pointed at a fresh
    // schema through the environment, as it is pointed at the database.
    return openPostgres(url, options.schema ?? (process.env.APPRAISE_PG_SCHEMA || undefined));
  }
  const { openPglite } = await import('./pglite.ts');
  return openPglite(options.dataDir ?? process.env.APPRAISE_DATA_DIR ?? DEFAULT_DATA_DIR);
}
