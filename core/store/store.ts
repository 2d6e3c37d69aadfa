// One small interface over the two back-ends: embedded PGlite (the default, nothing to
// install) and PostgreSQL (`DATABASE_URL`). Both speak the same SQL; the code above this
// module never knows which one it has, nor whether an embedded store is its own or reached
// through the process that owns it (ownership.ts).
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppraiseError } from '../diagnostics/diagnostic.ts';

export interface QueryResult<T> {
  rows: T[];
  affectedRows?: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /**
   * `COPY table (columns) FROM` the rows in `data`, PostgreSQL's text format (tab-separated,
   * `\N` for NULL, see copyText): the fastest way in for many rows. Absent where the back-end
   * cannot (callers then insert).
   */
  copyRows?(table: string, columns: readonly string[], data: string): Promise<void>;
}

/** Gives a lock back. */
export type Release = () => Promise<void>;

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
  /**
   * A lock held for as long as this process lives or until released, across every process on
   * the store (PostgreSQL's session advisory locks; the owner's lock table for an embedded
   * store). Undefined when someone else holds it. A process that dies releases its locks.
   */
  tryLock(key: string): Promise<Release | undefined>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** PGlite data folder; default `.appraise` (or APPRAISE_DATA_DIR). */
  dataDir?: string;
  /** PostgreSQL connection string; default DATABASE_URL. Wins over dataDir. */
  databaseUrl?: string;
  /** PostgreSQL schema to use (tests use a fresh one per run); default APPRAISE_PG_SCHEMA. */
  schema?: string;
  /**
   * Serve the embedded store to other Appraise processes on this machine while this one owns
   * it (`serve`, `start`, `worker`). Without it the owner keeps the store to itself until it
   * closes, and others wait for it.
   */
  share?: boolean;
  /** What this process is, in the words other processes will show (`appraise serve`). */
  command?: string;
  /** How long to wait for an owner that keeps the store to itself (default 60 s, or APPRAISE_STORE_WAIT_MS). */
  waitMs?: number;
  /** Told once when this process has to wait for another one. */
  onWait?: (message: string) => void;
  log?: (message: string) => void;
  /** A new embedded store as initdb makes it, without the migrated template (tests of old stores). */
  bare?: boolean;
}

export const DEFAULT_DATA_DIR = '.appraise';

/** A connection string fit to show: its password replaced by ***. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** The command line of this process, for other processes' messages. */
export function thisCommand(): string {
  const script = process.argv[1] ?? '';
  // The command and its first words, without options' values (a folder, a token, a note).
  const args = process.argv.slice(2).filter((a, i, all) => !a.startsWith('-') && !all[i - 1]?.startsWith('--')).slice(0, 3).join(' ');
  return /[\\/]appraise(\.mjs)?$/.test(script) ? `appraise ${args}`.trim() : `node ${script.split('/').slice(-2).join('/')}`;
}

export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const url = options.databaseUrl ?? process.env.DATABASE_URL;
  if (url) {
    const { openPostgres } = await import('./postgres.ts');
    // A command run as a child process (a test killing an import midway) is pointed at a fresh
    // schema through the environment, as it is pointed at the database.
    return openPostgres(url, options.schema ?? (process.env.APPRAISE_PG_SCHEMA || undefined));
  }
  const dataDir = options.dataDir ?? process.env.APPRAISE_DATA_DIR ?? DEFAULT_DATA_DIR;
  const { openPglite } = await import('./pglite.ts');
  if (dataDir === 'memory://') return openPglite(dataDir, undefined, { bare: options.bare });
  const { openOwnedOrShared } = await import('./open-embedded.ts');
  return openOwnedOrShared(resolve(dataDir), options);
}

/** An error from the file system around the store folder, as one line a person can act on. */
export function storeFolderError(dataDir: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new AppraiseError('APPRAISE_STORE_PERMISSION_DENIED', `This user may not write the store folder ${dataDir} (${code}). Run as the user who owns it, fix its permissions, or choose another folder with --data-dir.`, { dataDir });
  }
  // mkdir answers EEXIST when the folder is a file, ENOTDIR when a folder above it is one.
  const file = code === 'EEXIST' || code === 'ENOTDIR' ? fileInTheWay(dataDir) : undefined;
  if (file && file === resolve(dataDir)) {
    return new AppraiseError('APPRAISE_STORE_FOLDER_INVALID', `The store folder ${dataDir} is a file, not a folder (${code}). Choose a folder with --data-dir, or move the file away.`, { dataDir });
  }
  if (file) {
    return new AppraiseError('APPRAISE_STORE_FOLDER_INVALID', `The store folder ${dataDir} cannot be made: ${file} is a file, not a folder (${code}). Choose another folder with --data-dir, or move the file away.`, { dataDir });
  }
  return e as Error;
}

/** The first path from `path` upwards that exists and is not a folder. */
function fileInTheWay(path: string): string | undefined {
  const chain: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    chain.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const p of chain) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      return undefined;
    }
    if (!isDir) return p;
  }
  return undefined;
}

/** A value in COPY's text format: backslash, tab, newline and carriage return escaped; null is \N. */
export function copyText(value: string | null): string {
  if (value === null) return '\\N';
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : value;
}
