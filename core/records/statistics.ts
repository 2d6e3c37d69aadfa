// Planner statistics after an import. PGlite has no autovacuum, so without this a store
// imported into after its typed tables were made keeps the statistics of empty tables, and the
// planner estimates a window of 400,000 tickets at 1,500 rows (sorts spill to disk, joins go
// wrong). PostgreSQL's autovacuum gets there within a minute or so; the first dashboard after
// an import comes sooner. The threshold is autovacuum's default: 50 rows + 10% of the table.
import type { Store } from '../store/store.ts';
import { quoteIdent } from './layout.ts';
import { storedLayouts } from './typed-tables.ts';

export async function refreshStatistics(store: Store, kind: string, inserted: number): Promise<void> {
  if (inserted === 0) return;
  const table = (await storedLayouts(store)).get(kind)?.table;
  for (const name of table ? ['records', table] : ['records']) {
    const { rows } = await store.query<{ n: number }>(`SELECT greatest(reltuples, 0)::float8 AS n FROM pg_class WHERE oid = $1::regclass`, [quoteIdent(name)]);
    if (inserted > 50 + 0.1 * Number(rows[0]?.n ?? 0)) await store.query(`ANALYZE ${quoteIdent(name)}`);
  }
}
