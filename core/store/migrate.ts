// Plain SQL migration files, applied in order at start-up and by `npx appraise migrate`. An
// advisory lock makes several processes starting together apply each file exactly once.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Store } from './store.ts';

const DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const LOCK = 4_242_001;

export function migrationFiles(): string[] {
  return readdirSync(DIR).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort();
}

/** Applies the migrations not applied yet; returns their names. */
export async function migrate(store: Store): Promise<string[]> {
  return store.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK]);
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
    const applied: string[] = [];
    for (const f of migrationFiles()) {
      if (done.has(f)) continue;
      // Statements one by one: PGlite's transaction handle runs single statements.
      for (const statement of splitStatements(readFileSync(DIR + f, 'utf8'))) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [f]);
      applied.push(f);
    }
    return applied;
  });
}

/** Splits a migration on `;` at line ends, ignoring `--` comments (no functions with bodies here). */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .map((l) => l.replace(/--.*$/, ''))
    .join('\n')
    .split(/;\s*\n|;\s*$/)
    .map((s) => s.trim())
    .filter(Boolean);
}
