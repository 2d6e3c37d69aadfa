// The empty, migrated embedded store, made once and copied into each new store, the way
// PostgreSQL copies template1 for CREATE DATABASE. A new PGlite database otherwise runs initdb
// in WebAssembly: 2–8 s and ~400 MB of WebAssembly memory that is never given back, where
// loading this tarball takes about 1 s and no more memory than opening a store.
//
// It is built at `npm install` (the `prepare` script runs build-template.ts) into
// dist/store-template/<key>.tar, where the key hashes the PGlite version and the migrations, so
// a template never outlives the schema it holds. Without one, a new store runs initdb as before.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate, migrationFiles } from './migrate.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIR = join(ROOT, 'dist', 'store-template');
const MIGRATIONS = fileURLToPath(new URL('./migrations/', import.meta.url));

let cachedKey: string | undefined;

function templateKey(): string {
  if (cachedKey) return cachedKey;
  const hash = createHash('sha256');
  // The package's own package.json is not exported; its entry module sits in dist/ under it.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pkg = JSON.parse(readFileSync(join(entry.slice(0, entry.lastIndexOf('/dist/')), 'package.json'), 'utf8')) as { version: string };
  hash.update(`pglite ${pkg.version}\n`);
  for (const f of migrationFiles()) hash.update(`${f}\n`).update(readFileSync(MIGRATIONS + f));
  cachedKey = hash.digest('hex').slice(0, 16);
  return cachedKey;
}

export const templateFile = (): string => join(DIR, `${templateKey()}.tar`);

/** The template for this PGlite and these migrations, or undefined when none was built. */
export function storeTemplate(): Blob | undefined {
  if (process.env.APPRAISE_STORE_TEMPLATE === 'off') return undefined;
  try {
    return new Blob([readFileSync(templateFile())]);
  } catch {
    return undefined;
  }
}

/** Builds the template unless it exists; removes templates of other keys. Returns its path. */
export async function buildStoreTemplate(): Promise<string> {
  const file = templateFile();
  if (existsSync(file)) return file;
  // Imported here: a command that only reads a template never loads more than it needs.
  const { PGlite } = await import('@electric-sql/pglite');
  const { wrapPglite } = await import('./pglite.ts');
  const { localLocks } = await import('./local-locks.ts');
  const db = await PGlite.create();
  try {
    await migrate(wrapPglite(db, 'memory://', localLocks()));
    await db.query('CHECKPOINT');
    const tar = await db.dumpDataDir('none');
    mkdirSync(DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await tar.arrayBuffer()));
    renameSync(tmp, file);
  } finally {
    await db.close();
  }
  for (const other of readdirSync(DIR)) if (join(DIR, other) !== file && !other.endsWith('.tmp')) rmSync(join(DIR, other), { force: true });
  return file;
}

