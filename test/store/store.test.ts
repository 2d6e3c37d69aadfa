// The suite.store behaves the same on PGlite and PostgreSQL: migrations apply once, transactions
// are all-or-nothing.
import { describe, expect, it } from 'vitest';
import { BACKENDS, storeForSuite } from './backends.ts';
import { migrate, migrationFiles } from '../../core/store/migrate.ts';

for (const backend of BACKENDS) {
  describe(`store on ${backend.name}`, async () => {
    const suite = await storeForSuite(backend);
    const skip = suite.skip;

    it.skipIf(skip)('applies every migration once', async () => {
      expect(await migrate(suite.store)).toEqual([]);
      const rows = (await suite.store.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).rows;
      expect(rows.map((r) => r.name)).toEqual(migrationFiles());
    });

    it.skipIf(skip)('rolls a failed transaction back whole', async () => {
      await expect(suite.store.transaction(async (tx) => {
        await tx.query(`INSERT INTO employees (id, name, content_hash) VALUES ('e1', 'Ada', 'h')`);
        await tx.query(`INSERT INTO employees (id, name, content_hash) VALUES ('e1', 'Ada again', 'h')`);
      })).rejects.toThrow();
      expect((await suite.store.query('SELECT * FROM employees')).rows).toEqual([]);
    });

    it.skipIf(skip)('commits a good one and reports its size', async () => {
      await suite.store.transaction(async (tx) => {
        await tx.query(`INSERT INTO employees (id, name, content_hash, attributes) VALUES ($1, $2, 'h', $3::jsonb)`, ['e2', 'Grace', JSON.stringify({ gender: 'F' })]);
      });
      const rows = (await suite.store.query<{ attributes: Record<string, string> }>('SELECT attributes FROM employees')).rows;
      expect(rows).toEqual([{ attributes: { gender: 'F' } }]);
      expect(await suite.store.sizeBytes()).toBeGreaterThanOrEqual(0);
    });
  });
}
