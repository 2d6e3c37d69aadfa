// A new embedded store is a copy of the migrated template made at install: it must hold exactly
// what migrating a new database makes (tables, columns, indexes, constraints, applied migrations),
// and be a store of its own (what one copy writes, another does not see).
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../core/store/store.ts';
import { migrate, migrationFiles } from '../../core/store/migrate.ts';
import { buildStoreTemplate } from '../../core/store/template.ts';

const dir = mkdtempSync(join(tmpdir(), 'appraise-template-'));
const stores: Store[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(o: { dataDir: string; bare?: boolean }): Promise<Store> {
  const store = await openStore({ ...o, databaseUrl: '' });
  stores.push(store);
  return store;
}

/** The schema as a person comparing two databases would list it. */
async function schemaOf(store: Store): Promise<unknown> {
  const q = async (sql: string) => (await store.query(sql)).rows;
  return {
    columns: await q(`SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`),
    indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`),
    constraints: await q(`SELECT conrelid::regclass::text AS t, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`),
    functions: await q(`SELECT proname, pg_get_functiondef(oid) AS def FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1`),
    triggers: await q(`SELECT tgrelid::regclass::text AS t, tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2`),
  };
}

describe('the migrated store template', () => {
  it('gives a new store exactly the schema that migrating a new database gives, with nothing left to migrate', async () => {
    await buildStoreTemplate();
    const migrated = await open({ dataDir: 'memory://', bare: true });
    expect(await migrate(migrated)).toEqual(migrationFiles());
    const copied = await open({ dataDir: join(dir, 'copied') });
    expect(await migrate(copied)).toEqual([]);
    expect(await schemaOf(copied)).toEqual(await schemaOf(migrated));
    expect((await copied.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).rows.map((r) => r.name)).toEqual(migrationFiles());
  });

  it('makes stores that share nothing: what one writes the next new store does not hold, and a reopened store keeps its own rows', async () => {
    const first = await open({ dataDir: join(dir, 'first') });
    await first.query(`INSERT INTO employees (id, name, content_hash) VALUES ('e1', 'Ana Souza', 'x')`);
    const second = await open({ dataDir: join(dir, 'second') });
    expect((await second.query('SELECT id FROM employees')).rows).toEqual([]);
    await first.close();
    stores.splice(stores.indexOf(first), 1);
    const again = await open({ dataDir: join(dir, 'first') });
    expect((await again.query('SELECT id, name FROM employees')).rows).toEqual([{ id: 'e1', name: 'Ana Souza' }]);
  });
});
