// The empty, migrated embedded store, made once and copied into each new store, the way
// PostgreSQL copies template1 for CREATE DATABASE. A new PGlite database otherwise runs initdb
// in WebAssembly: 2–8 s and ~400 MB of WebAssembly memory that is never given back, where
// copying the template's files takes about 0.3 s and opening them no more than opening any store.
//
// It is built at `npm install` (the `prepare` script runs build-template.ts) into
// dist/store-template/<key>/ (a data folder) and <key>.tar (the same as a tarball), where the key
// hashes the PGlite version and the migrations, so a template never outlives the schema it holds.
// Without one, a new store runs initdb as before.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

/** The template as a data folder (copied into a new store folder) and as a tarball (loaded into an in-memory store). */
export const templatePaths = (): { folder: string; tarball: string } => ({ folder: join(DIR, templateKey()), tarball: join(DIR, `${templateKey()}.tar`) });

const enabled = () => process.env.APPRAISE_STORE_TEMPLATE !== 'off';

/** The template's tarball for an in-memory store, or undefined when none was built. */
export function templateTarball(): Blob | undefined {
  if (!enabled()) return undefined;
  try {
    return new Blob([readFileSync(templatePaths().tarball)]);
  } catch {
    return undefined;
  }
}

/**
 * Makes `dir` (a new store folder) a copy of the template's data folder: a file copy of a
 * cleanly shut down database, as a file-system backup is. False when there is no template.
 */
export function copyTemplateInto(dir: string): boolean {
  const { folder } = templatePaths();
  if (!enabled() || !existsSync(join(folder, 'PG_VERSION'))) return false;
  cpSync(folder, dir, { recursive: true });
  return true;
}

/** Builds the template unless it exists; removes templates of other keys. Returns its folder. */
export async function buildStoreTemplate(): Promise<string> {
  const { folder, tarball } = templatePaths();
  if (existsSync(join(folder, 'PG_VERSION')) && existsSync(tarball)) return folder;
  // Imported here: a command that only reads a template never loads more than it needs.
  const { PGlite } = await import('@electric-sql/pglite');
  const { wrapPglite } = await import('./pglite.ts');
  const { localLocks } = await import('./local-locks.ts');
  // Built beside its final name and renamed into place, so a reader never sees half of it.
  const tmp = `${folder}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const db = await PGlite.create(tmp);
  try {
    await migrate(wrapPglite(db, tmp, localLocks()));
    await db.query('CHECKPOINT');
    writeFileSync(`${tarball}.${process.pid}.tmp`, Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer()));
  } finally {
    await db.close();
  }
  rmSync(folder, { recursive: true, force: true });
  renameSync(tmp, folder);
  renameSync(`${tarball}.${process.pid}.tmp`, tarball);
  for (const other of readdirSync(DIR)) {
    const path = join(DIR, other);
    if (path !== folder && path !== tarball && !other.endsWith('.tmp')) rmSync(path, { recursive: true, force: true });
  }
  return folder;
}
