// The embedded back-end: PGlite (PostgreSQL compiled to WebAssembly) in a data folder.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { localLocks, type LocalLocks } from './local-locks.ts';
import { copyTemplateInto, templateTarball } from './template.ts';
import type { Queryable, QueryResult, Store } from './store.ts';

/**
 * `locks` is the store's lock table, shared with the processes it is served to (share.ts). A new
 * store starts as a copy of the migrated template (template.ts) unless `bare` asks for what
 * initdb makes, as a store of an earlier release began.
 */
export async function openPglite(dataDir: string, locks: LocalLocks = localLocks(), o: { bare?: boolean } = {}): Promise<Store> {
  const dir = dataDir === 'memory://' ? dataDir : resolve(dataDir);
  if (dir !== 'memory://') mkdirSync(dir, { recursive: true });
  let db: PGlite;
  if (dir === 'memory://') {
    const template = o.bare ? undefined : templateTarball();
    db = await PGlite.create(template ? { loadDataDir: template } : {});
  } else {
    if (!o.bare && !existsSync(join(dir, 'PG_VERSION'))) copyTemplateInto(dir);
    db = await PGlite.create(dir);
  }
  return wrapPglite(db, dir, locks);
}

/** The Store over an open PGlite database. */
export function wrapPglite(db: PGlite, dir: string, locks: LocalLocks): Store {
  const wrap = (q: { query: PGlite['query'] }): Queryable => ({
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const r = await q.query<T>(sql, params);
      return { rows: r.rows, affectedRows: r.affectedRows };
    },
    // PGlite reads COPY's input from a blob it names /dev/blob.
    async copyRows(table, columns, data) {
      await q.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], { blob: new Blob([data]) });
    },
  });
  const base = wrap(db);
  const self = {};
  return {
    kind: 'pglite',
    location: dir,
    query: base.query,
    copyRows: base.copyRows,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    exec: async (sql) => {
      await db.exec(sql);
    },
    sizeBytes: async () => (dir === 'memory://' ? 0 : folderSize(dir)),
    checkpoint: async () => {
      await db.query('CHECKPOINT');
    },
    tryLock: async (key) => (locks.tryLock(key, self) ? async () => locks.unlock(key, self) : undefined),
    close: () => db.close(),
  };
}

function folderSize(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    total += s.isDirectory() ? folderSize(p) : s.size;
  }
  return total;
}
