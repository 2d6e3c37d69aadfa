// Every record keeps when Appraise learned it (migration 010): new records the time they are
// written, records stored before the migration their import's time, on both back-ends.
import { describe, expect, it } from 'vitest';
import { BACKENDS, storeForSuite } from './backends.ts';
import { migrate } from '../../core/store/migrate.ts';
import { ensureRecordLayouts } from '../../core/records/typed-tables.ts';

const KIND = { id: 'p.ticket', localId: 'ticket', title: 'Ticket', schema: { type: 'object', properties: { openedAt: { type: 'string', format: 'date-time' } } }, plugin: 'p' };

for (const backend of BACKENDS) {
  describe(`records.learned_at (${backend.name})`, async () => {
    const suite = await storeForSuite(backend);

    it.skipIf(suite.skip)('is the time of writing for a new record', async () => {
      const before = Date.now();
      await suite.store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('p.ticket', 'e1', '2016-01-01T00:00:00Z', '{}', 'new')`);
      const { rows } = await suite.store.query<{ learned_at: Date | string }>(`SELECT learned_at FROM records WHERE external_id = 'new'`);
      expect(new Date(rows[0].learned_at).getTime()).toBeGreaterThanOrEqual(before - 1000); // the clocks of two processes
    });

    it.skipIf(suite.skip)("is the import's time for records stored before the migration, and typed storage is untouched", async () => {
      const s = suite.store;
      await ensureRecordLayouts(s, [KIND]);
      const imp = await s.query<{ id: string }>(`INSERT INTO imports (target, kind, file, file_hash, started_at, finished_at) VALUES ('records', 'p.ticket', 'old.csv', 'h', '2020-05-01T10:00:00Z', '2020-05-01T10:00:07Z') RETURNING id`);
      await s.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id, import_id) VALUES ('p.ticket', 'e1', '2016-01-01T00:00:00Z', '{"openedAt": "2016-01-01T00:00:00Z"}', 'old', $1)`, [imp.rows[0].id]);
      // The store as it was before migration 010, then migrated.
      await s.query('ALTER TABLE records DROP COLUMN learned_at');
      await s.query(`DELETE FROM schema_migrations WHERE name = '010_record_learned_at.sql'`);
      expect(await migrate(s)).toEqual(['010_record_learned_at.sql']);
      const { rows } = await s.query<{ external_id: string; learned_at: Date | string }>(`SELECT external_id, learned_at FROM records ORDER BY external_id`);
      expect(new Date(rows.find((r) => r.external_id === 'old')!.learned_at).toISOString()).toBe('2020-05-01T10:00:07.000Z');
      expect(new Date(rows.find((r) => r.external_id === 'new')!.learned_at).getTime()).toBeGreaterThan(Date.parse('2026-01-01'));
      const typed = await s.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${(await s.query<{ table_name: string }>(`SELECT table_name FROM record_layouts WHERE kind = 'p.ticket'`)).rows[0].table_name}`);
      expect(typed.rows[0].n).toBe(2);
    });
  });
}
