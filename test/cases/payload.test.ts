// A workflow receives the same payload whether its delivery was queued one at a time (casePayload
// read into JavaScript, then enqueue) or many at once with the payload built by the store
// (enqueueCaseDeliveries, as the act phase does): dates, nulls, a case without an employee
// record, params and explanations of every JSON kind. On both back-ends.
import { describe, expect, it } from 'vitest';
import { casePayload } from '../../core/cases/payload.ts';
import { enqueue, enqueueCaseDeliveries } from '../../core/workflows/outbox.ts';
import { BACKENDS, storeForSuite } from '../store/backends.ts';

for (const backend of BACKENDS) {
  describe(`case payloads on ${backend.name}`, async () => {
    const suite = await storeForSuite(backend, async (store) => {
      await store.query(`INSERT INTO employees (id, name, email, role, team, department, location, manager_id, content_hash) VALUES ('full', 'Zoë "Q" Ünal', 'z@example.com', 'agent', 't1', 'support', 'Lisbon', 'm1', 'x'), ('bare', 'Bare', NULL, NULL, NULL, NULL, NULL, NULL, 'x')`);
    });

    it.skipIf(suite.skip)('is the same, built by the store for many cases, as read case by case', async () => {
      const store = suite.store;
      const cases: Array<[string, string, string, string, string | null, string | null, string]> = [
        // employee, type, status, params, due_at, next_checkin_at, opened_at
        ['full', 'pip', 'active', JSON.stringify({ goals: ['a', 'b'], weeks: 8, ratio: 0.1 + 0.2, big: 1e21, nested: { x: null, y: [true, false] } }), '2026-06-30T23:59:59.999Z', '2026-05-01T09:30:00.123456Z', '2026-04-01T00:00:00.000Z'],
        ['bare', 'coaching', 'open', '{}', null, null, '2026-04-01T12:34:56.789123Z'],
        ['gone', 'recognition', 'open', JSON.stringify({ text: 'line\nbreak\t"quoted" \\ back ✓' }), null, '2026-01-01T00:00:00Z', '1999-12-31T23:59:59.5Z'],
      ];
      const ids: number[] = [];
      for (const [i, [employee, type, status, params, due, next, opened]] of cases.entries()) {
        const r = await store.query<{ id: number }>(
          `INSERT INTO cases (type, status, employee_id, policy_id, policy_version, rule_id, period, params, explanation, due_at, next_checkin_at, opened_at)
           VALUES ($1, $2, $3, 'p', 2, $4, '2026-Q2', $5::jsonb, $6::jsonb, $7, $8, $9) RETURNING id`,
          [type, status, employee, `rule-${i}`, params, JSON.stringify({ ruleId: `rule-${i}`, conditions: { kind: 'all', children: [{ value: 3.25 + i, unit: 'score' }] } }), due, next, opened],
        );
        ids.push(Number(r.rows[0].id));
      }
      await store.transaction(async (tx) => {
        for (const id of ids) await enqueue(tx, [{ caseId: id, workflow: 'one', event: 'case.opened', payload: await casePayload(tx, id, 'case.opened') }]);
        expect(await enqueueCaseDeliveries(tx, ids.map((id) => ({ caseId: id, workflow: 'many', event: 'case.opened' })))).toBe(ids.length);
        // a key already queued is not queued twice
        expect(await enqueueCaseDeliveries(tx, [{ caseId: ids[0], workflow: 'many', event: 'case.opened' }])).toBe(0);
      });
      const rows = (await store.query<{ case_id: number; workflow: string; payload: unknown; config: unknown; idempotency_key: string }>(`SELECT case_id, workflow, payload, config, idempotency_key FROM outbox WHERE case_id = ANY($1::bigint[]) ORDER BY id`, [ids])).rows;
      expect(rows.map((r) => r.workflow)).toEqual([...ids.map(() => 'one'), ...ids.map(() => 'many')]);
      for (const id of ids) {
        const [one, many] = [rows.find((r) => Number(r.case_id) === id && r.workflow === 'one')!, rows.find((r) => Number(r.case_id) === id && r.workflow === 'many')!];
        expect(many.payload).toEqual(one.payload);
        expect(many.config).toEqual(one.config);
        expect(many.idempotency_key).toBe(`case-${id}:case.opened:many`);
      }
      const first = rows[0].payload as { case: { dueAt: string; nextCheckInAt: string }; employee: { name: string } };
      expect(first.case).toMatchObject({ dueAt: '2026-06-30T23:59:59.999Z', nextCheckInAt: '2026-05-01T09:30:00.123Z' });
      expect(first.employee.name).toBe('Zoë "Q" Ünal');
    });
  });
}
