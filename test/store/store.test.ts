// The store behaves the same on PGlite and PostgreSQL: migrations apply once, transactions
// are all-or-nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, postgresReachable } from './backends.ts';
import { migrate, migrationFiles } from '../../core/store/migrate.ts';
import type { Store } from '../../core/store/store.ts';

for (const backend of BACKENDS) {
  describe(`store on ${backend.name}`, async () => {
    const skip = backend.name === 'postgres' && !(await postgresReachable());
    let store: Store & { dispose(): Promise<void> };
    beforeAll(async () => {
      if (!skip) store = await backend.open();
    });
    afterAll(async () => {
      if (!skip) await store.dispose();
    });

    it.skipIf(skip)('applies every migration once', async () => {
      expect(await migrate(store)).toEqual([]);
      const rows = (await store.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).rows;
      expect(rows.map((r) => r.name)).toEqual(migrationFiles());
    });

    it.skipIf(skip)('rolls a failed transaction back whole', async () => {
      await expect(store.transaction(async (tx) => {
        await tx.query(`INSERT INTO employees (id, name, content_hash) VALUES ('e1', 'Ada', 'h')`);
        await tx.query(`INSERT INTO employees (id, name, content_hash) VALUES ('e1', 'Ada again', 'h')`);
      })).rejects.toThrow();
      expect((await store.query('SELECT * FROM employees')).rows).toEqual([]);
    });

    it.skipIf(skip)('commits a good one and reports its size', async () => {
      await store.transaction(async (tx) => {
        await tx.query(`INSERT INTO employees (id, name, content_hash, attributes) VALUES ($1, $2, 'h', $3::jsonb)`, ['e2', 'Grace', JSON.stringify({ gender: 'F' })]);
      });
      const rows = (await store.query<{ attributes: Record<string, string> }>('SELECT attributes FROM employees')).rows;
      expect(rows).toEqual([{ attributes: { gender: 'F' } }]);
      expect(await store.sizeBytes()).toBeGreaterThanOrEqual(0);
    });
  });
}
