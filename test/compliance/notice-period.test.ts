// `policies.noticeDays`: a version that goes in force runs as in audit mode until its notice
// period has passed (decisions recorded, suppressed as `notice-period`, no case opened), and a
// run as of a later day opens the cases. The period starts whenever a version goes in force: a
// publish, an approval (not the proposal), a rollback; none of them skips it. On the embedded
// store and on PostgreSQL, through the application's own run (the act phase included).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Appraise } from '../../core/app/appraise.ts';
import { defaultConfig } from '../../core/config/config.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { publishPolicy, rollbackPolicy } from '../../core/policy/versions.ts';
import { proposePolicy, reviewProposal } from '../../core/policy/proposals.ts';
import { getNotice } from '../../core/compliance/notices/queries.ts';
import { dropSchema, freshSchemaName, postgresReachable, POSTGRES_URL } from '../store/backends.ts';

const DAY = 86_400_000;

const yaml = (threshold: number) => `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: care, title: Care review, owner: hr@example.com }
spec:
  appliesTo: { roles: [agent] }
  window: 60d
  cycle: year
  facts:
    csat: { metric: customer-feedback.csat, minSamples: 2 }
  rules:
    - id: coach
      when: { all: [{ fact: csat, operator: lessThan, value: ${threshold} }] }
      then: { outcome: coaching }
`;

for (const backend of ['pglite', 'postgres'] as const) {
  describe(`noticeDays on ${backend}`, async () => {
    const skip = backend === 'postgres' && !(await postgresReachable());
    let app: Appraise;
    let schema: string | undefined;

    beforeAll(async () => {
      if (skip) return;
      const config = { ...defaultConfig(), policies: { dirs: ['rules'], noticeDays: 14, notice: { contact: 'People team, people@example.com' } } };
      schema = backend === 'postgres' ? freshSchemaName() : undefined;
      app = await Appraise.open(schema ? { config, databaseUrl: POSTGRES_URL, schema } : { config, dataDir: 'memory://', databaseUrl: '' });
      const recent = new Date(Date.now() - 2 * DAY).toISOString();
      let n = 0;
      for (const id of ['a1', 'a2', 'a3']) {
        await app.store.query(`INSERT INTO employees (id, name, role, hire_date, content_hash) VALUES ($1, $1, 'agent', '2020-01-01', 'x')`, [id]);
        for (const csat of [2, 3]) {
          await app.store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('customer-feedback.survey', $1, $2, $3::jsonb, $4)`, [id, recent, JSON.stringify({ csat }), `s${n++}`]);
        }
      }
    });
    afterAll(async () => {
      await app?.close();
      if (schema) await dropSchema(schema);
    });

    const publish = (threshold: number) => {
      const text = yaml(threshold);
      return publishPolicy(app.store, { policy: loadPolicyText('care.policy.yaml', text, app.registry).policy!, yaml: text, author: 'hr-ana', comment: 'new threshold', notice: app.noticeContext });
    };
    const suppressions = async (runId: number) =>
      (await app.store.query<{ reason: string; detail: string }>('SELECT reason, detail FROM suppressions WHERE run_id = $1 ORDER BY id', [runId])).rows;
    const cases = async () => Number((await app.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE policy_id = 'care'`)).rows[0].n);

    it.skipIf(skip)('a version published today opens no case: its decisions are recorded and suppressed as notice-period, with the date it is enforced from', async () => {
      const { version } = await publish(3);
      const notice = await getNotice(app.store, 'care', version.version, app.noticeContext);
      const published = Date.parse(version.publishedAt);
      expect(Date.parse(notice.enforcedFrom)).toBeGreaterThanOrEqual(published + 14 * DAY);
      expect(Date.parse(notice.enforcedFrom)).toBeLessThan(published + 15 * DAY);
      expect(notice.text).toContain('after the 14-day notice period');

      const result = await app.run({ asOf: new Date(), trigger: 'manual' });
      const care = result.run.summary.policies.find((p) => p.policyId === 'care')!;
      expect(care.fired.coaching).toBe(3);
      expect(care.mode).toBe('audit');
      expect(care.noticePeriod?.words).toMatch(/^enforced from \d{1,2} \w{3} \d{4}, after the 14-day notice period$/);
      expect(result.run.summary.act).toMatchObject({ opened: { coaching: 0, pip: 0, recognition: 0 }, suppressed: { 'notice-period': 3 } });
      expect(await cases()).toBe(0);
      const rows = await suppressions(result.run.id!);
      expect(rows.map((r) => r.reason)).toEqual(['notice-period', 'notice-period', 'notice-period']);
      expect(rows[0].detail).toContain(care.noticePeriod!.words);
      const decisions = Number((await app.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM decisions WHERE run_id = $1 AND status = 'fired'`, [result.run.id])).rows[0].n);
      expect(decisions).toBe(3);
    });

    it.skipIf(skip)('a run as of day 15 enforces the version and opens the cases', async () => {
      const asOf = new Date(Date.now() + 15 * DAY);
      const result = await app.run({ asOf, trigger: 'manual' });
      const care = result.run.summary.policies.find((p) => p.policyId === 'care')!;
      expect(care.mode).toBe('enforce');
      expect(care.noticePeriod).toBeUndefined();
      expect(result.run.summary.act).toMatchObject({ opened: { coaching: 3 } });
      expect(await cases()).toBe(3);
    });

    it.skipIf(skip)('a rollback puts a version in force again, and its notice period starts anew', async () => {
      const { version } = await rollbackPolicy(app.store, { policyId: 'care', version: 1, author: 'hr-ana', notice: app.noticeContext, load: (t) => loadPolicyText('care@v1', t, app.registry) });
      expect(version.version).toBe(2);
      await app.store.query(`INSERT INTO employees (id, name, role, hire_date, content_hash) VALUES ('a4', 'a4', 'agent', '2020-01-01', 'x')`);
      for (const [i, csat] of [2, 2].entries()) {
        await app.store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('customer-feedback.survey', 'a4', $1, $2::jsonb, $3)`, [new Date(Date.now() - DAY).toISOString(), JSON.stringify({ csat }), `r${i}`]);
      }
      const result = await app.run({ asOf: new Date(Date.now() + 2 * DAY), trigger: 'manual' });
      expect(result.run.summary.act).toMatchObject({ opened: { coaching: 0 } });
      expect((await suppressions(result.run.id!)).find((r) => r.reason === 'notice-period')).toBeDefined();
      expect(await cases()).toBe(3);
    });

    it.skipIf(skip)('an approved proposal counts its notice period from the approval, not from when it was proposed', async () => {
      const text = yaml(3.5);
      const { version } = await proposePolicy(app.store, { policy: loadPolicyText('care.policy.yaml', text, app.registry).policy!, yaml: text, author: 'hr-ana', notice: app.noticeContext });
      // Proposed long ago: approving it now must not make it enforceable at once.
      await app.store.query(`UPDATE policy_versions SET published_at = now() - interval '30 days' WHERE policy_id = 'care' AND version = $1`, [version.version]);
      const approved = await reviewProposal(app.store, { policyId: 'care', version: version.version, reviewer: 'hr-ben', note: 'checked', decision: 'approve', notice: app.noticeContext });
      const notice = await getNotice(app.store, 'care', approved.version, app.noticeContext);
      expect(Date.parse(notice.enforcedFrom)).toBeGreaterThanOrEqual(Date.parse(approved.publishedAt) + 14 * DAY);
      const result = await app.run({ asOf: new Date(Date.now() + 3 * DAY), trigger: 'manual' });
      expect(result.run.summary.policies.find((p) => p.policyId === 'care')).toMatchObject({ version: approved.version, mode: 'audit' });
      expect(result.run.summary.act).toMatchObject({ opened: { coaching: 0 } });
    });
  });
}
