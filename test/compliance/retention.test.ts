// The retention purge on the small organisation, on PGlite and PostgreSQL: what is past its
// period goes (records, decisions no kept case came from, audit entries, decision-log files of
// old days), closed old cases are pseudonymised, the rest stays, a dry run counts the same, and
// runs and reports work afterwards. A period under the six-month floor is refused where it is
// written.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configFromText } from '../../core/config/config.ts';
import { purgeExpired } from '../../core/compliance/retention/purge.ts';
import { testServer, AS_OF, type TestServer } from '../server/helpers.ts';

const NOW = new Date('2026-12-05T12:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'appraise-retention-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the retention period of decision logs', () => {
  it('is never under six months, and the error points at the setting', () => {
    const { config, diagnostics } = configFromText(join(dir, 'appraise.config.yaml'), 'compliance:\n  retention:\n    records: 1095d\n    decisions: 30d\n');
    expect(config).toBeUndefined();
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'APPRAISE_RETENTION_TOO_SHORT', line: 4, column: 16 })]);
    expect(diagnostics[0].message).toMatch(/shorter than six months \(183d\).*Set it to 183d or more/);
  });
});

describe.each(['pglite', 'postgres'] as const)('the retention purge on %s', (backend) => {
  let t: TestServer;
  afterAll(() => t?.close());

  it('deletes and pseudonymises what expired, in batches, keeps the rest, and runs and reports still work', async () => {
    t = await testServer({}, { backend, tokens: ['hr'] });
    const s = t.app.store;
    await t.app.run({ trigger: 'manual', asOf: new Date(AS_OF) });
    // A second run in the same quarter: its decisions open no case (one per rule and quarter).
    await t.app.run({ trigger: 'manual', asOf: new Date(new Date(AS_OF).getTime() + 86_400_000) });
    // Three surveys from 2022 beside the organisation's own (2026).
    for (const [i, id] of ['w1', 'w2', 'm1'].entries()) {
      await s.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('customer-feedback.survey', $1, '2022-03-0${i + 1}T10:00:00Z', '{"csat": 4}', $2)`, [id, `old-${i}`]);
    }
    const records = Number((await s.query<{ n: number }>('SELECT count(*)::int AS n FROM records')).rows[0].n);
    // The run's decisions made in 2024; one of its cases closed then too.
    await s.query(`UPDATE decisions SET created_at = '2024-01-10T00:00:00Z'`);
    const decisions = Number((await s.query<{ n: number }>('SELECT count(*)::int AS n FROM decisions')).rows[0].n);
    const fromCases = Number((await s.query<{ n: number }>('SELECT count(DISTINCT decision_id)::int AS n FROM cases WHERE decision_id IS NOT NULL')).rows[0].n);
    expect(fromCases).toBeGreaterThan(0);
    expect(decisions).toBeGreaterThan(fromCases);
    const closed = (await s.query<{ id: number; employee_id: string }>(`UPDATE cases SET status = 'closed', closed_at = '2024-02-01T00:00:00Z' WHERE id = (SELECT min(id) FROM cases) RETURNING id, employee_id`)).rows[0];
    await s.query(`INSERT INTO case_events (case_id, actor, event, note) VALUES ($1, 'mgr-a', 'note', 'talked about the slow weeks')`, [closed.id]);
    await s.query(`INSERT INTO audit_log (at, actor, action, target) VALUES ('2020-05-01T00:00:00Z', 'x', 'old.entry', 'store'), ('2020-05-02T00:00:00Z', 'x', 'old.entry', 'store')`);
    const logs = join(dir, `logs-${backend}`);
    mkdirSync(logs, { recursive: true });
    for (const day of ['2025-01-01', '2026-06-30', '2026-11-30']) writeFileSync(join(logs, `decisions-${day}.ndjson`), '{}\n');
    const config = {
      ...t.app.config,
      baseDir: dir,
      compliance: { decisionLogs: { dir: `logs-${backend}` }, retention: { records: '1095d', decisions: '365d', cases: '365d', audit: '730d', decisionLogFiles: '183d', batchSize: 100 } },
    };

    const dry = await purgeExpired(s, config, { now: NOW, actor: 'dpo', dryRun: true });
    const r = await purgeExpired(s, config, { now: NOW, actor: 'dpo' });
    expect(r.deleted).toEqual({ records: 3, decisions: decisions - fromCases, audit: 2, decisionLogFiles: 1 });
    expect(r.pseudonymised).toEqual({ cases: 1 });
    expect(r.keptForCases).toBe(fromCases);
    expect({ ...dry, dryRun: false, batches: r.batches }).toEqual(r);

    expect(Number((await s.query<{ n: number }>('SELECT count(*)::int AS n FROM records')).rows[0].n)).toBe(records - 3);
    expect(Number((await s.query<{ n: number }>(`SELECT count(*)::int AS n FROM records WHERE external_id LIKE 'old-%'`)).rows[0].n)).toBe(0);
    expect(Number((await s.query<{ n: number }>('SELECT count(*)::int AS n FROM decisions')).rows[0].n)).toBe(fromCases);
    const after = (await s.query<{ employee_id: string; status: string }>('SELECT employee_id, status FROM cases WHERE id = $1', [closed.id])).rows[0];
    expect(after).toEqual({ employee_id: `expired-case-${closed.id}`, status: 'closed' });
    expect((await s.query<{ note: string }>(`SELECT note FROM case_events WHERE case_id = $1 AND note IS NOT NULL`, [closed.id])).rows.every((e) => e.note === '[expired]')).toBe(true);
    expect(readdirSync(logs).sort()).toEqual(['decisions-2026-06-30.ndjson', 'decisions-2026-11-30.ndjson']);
    const audit = (await s.query<{ actor: string; data: { deleted: { records: number } } }>(`SELECT actor, data FROM audit_log WHERE action = 'retention.purge'`)).rows;
    expect(audit).toEqual([{ actor: 'dpo', data: expect.objectContaining({ deleted: expect.objectContaining({ records: 3 }) }) }]);
    // A second purge finds nothing more.
    const again = await purgeExpired(s, config, { now: NOW, actor: 'dpo' });
    expect(again.deleted).toEqual({ records: 0, decisions: 0, audit: 0, decisionLogFiles: 0 });
    expect(again.pseudonymised.cases).toBe(0);

    const run = await t.app.run({ trigger: 'manual', asOf: new Date('2026-04-02T00:00:00Z') });
    expect(run.run.status).toBe('completed');
    expect((await t.call('hr', 'GET', '/api/dashboard')).statusCode).toBe(200);
    expect((await t.call('hr', 'GET', `/api/cases/${closed.id}`)).statusCode).toBeLessThan(500);
  }, 120_000);
});
