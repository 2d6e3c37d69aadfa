// A backtest over four quarters of the seeded organisation: each quarter's counts match a
// separate preview at that quarter's end, each has its four-fifths report, the API answers the
// same, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicyText } from '../../core/policy/load.ts';
import { publishPolicy } from '../../core/policy/versions.ts';
import { backtestDraft, cycleBoundaries, type BacktestOptions } from '../../core/run/backtest.ts';
import { simulateDraft } from '../../core/run/simulate.ts';
import { fairnessFor } from '../../core/server/fairness.ts';
import type { Store } from '../../core/store/store.ts';
import { policyYaml, testServer, type TestServer } from '../server/helpers.ts';

let t: TestServer;
const deps = () => ({ registry: t.app.registry, metrics: t.app.plugins.metrics, host: t.app.host });
const draft = (threshold: number) => loadPolicyText('fair-test.policy.yaml', policyYaml(threshold), t.app.registry).policy!;
const fairness: BacktestOptions['fairness'] = (p, s) => fairnessFor(t.app.config, p, s);
const range = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-10-01T00:00:00Z') };

/** Rows of every table a run, a case or a publish writes to. */
async function writtenRows(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['runs', 'decisions', 'cases', 'case_events', 'outbox', 'audit_log', 'policy_versions']) {
    out[table] = Number((await store.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  }
  return out;
}

/**
 * Beyond the seeded March surveys: w6 dips to 2 in June (a PIP only under the draft's < 3.0),
 * m3 scores 5 in September, and one survey dated just after 1 Oct falls after Q3's end and must not count.
 */
async function seedQuarters(store: Store): Promise<void> {
  for (const [id, csat, at, ext] of [['w6', 2, '2026-06-20T10:00:00Z', 'bt1'], ['m3', 5, '2026-09-20T10:00:00Z', 'bt2'], ['m4', 1, '2026-10-01T00:00:00.001Z', 'bt3']] as const) {
    await store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('customer-feedback.survey', $1, $2, $3::jsonb, $4)`, [id, at, JSON.stringify({ csat }), ext]);
  }
}

beforeAll(async () => {
  t = await testServer({}, { tokens: ['hr', 'manager'] });
  await seedQuarters(t.app.store);
}, 60_000);
afterAll(async () => {
  await t.close();
});

describe('backtest', () => {
  it('replays four quarter ends, each matching a preview at that instant, with a fairness report, writing nothing', async () => {
    const before = await writtenRows(t.app.store);
    const r = await backtestDraft(t.app.store, deps(), draft(3.0), { ...range, fairness });
    expect(r).toMatchObject({ policyId: 'fair-test', draftVersion: null, comparedVersion: 1, cycle: 'quarter', view: { view: 'as-of', words: expect.stringMatching(/^As of each cycle's end: only what had happened by then/) } });
    expect(r.cycles.map((c) => [c.cycle, c.asOf])).toEqual([
      ['2025-Q4', '2026-01-01T00:00:00.000Z'], ['2026-Q1', '2026-04-01T00:00:00.000Z'], ['2026-Q2', '2026-07-01T00:00:00.000Z'], ['2026-Q3', '2026-10-01T00:00:00.000Z'],
    ]);
    for (const c of r.cycles) {
      const sim = await simulateDraft(t.app.store, deps(), draft(3.0), new Date(c.asOf));
      expect(c.counts).toEqual({ draft: sim.counts.draft, compared: sim.counts.published });
      expect(c.undecided).toEqual({ draft: sim.undecided.draft, compared: sim.undecided.published });
      expect(c.newly.pip.map((p) => p.employeeId)).toEqual(sim.newlyAffected.filter((e) => e.outcomes.includes('pip')).map((e) => e.employeeId));
      expect(c.fairness).toEqual(fairnessFor(t.app.config, sim.population, sim.selected));
    }
    const [q4, q1, q2, q3] = r.cycles;
    // Before any survey, everyone in scope is undecided under both.
    expect(q4.counts.draft).toEqual({ recognition: 0, coaching: 0, pip: 0 });
    expect(q4.undecided).toEqual({ draft: 20, compared: 20 });
    // Q1: the March surveys; the draft's < 3.0 adds five PIPs, and flags women's PIP rate.
    expect(q1.counts).toEqual({ draft: { recognition: 4, coaching: 0, pip: 7 }, compared: { recognition: 4, coaching: 0, pip: 2 } });
    expect(q1.newly.pip).toEqual(['m2', 'w2', 'w3', 'w4', 'w5'].map((id) => ({ employeeId: id, name: `Agent ${id}` })));
    expect(q1.noLonger).toEqual({ recognition: [], coaching: [], pip: [] });
    expect(q1.fairness.flags.map((f) => [f.outcome, f.attribute, f.group])).toEqual([['pip', 'gender', 'F']]);
    // Q2: only w6's June survey is in the 30-day window.
    expect(q2.counts).toEqual({ draft: { recognition: 0, coaching: 0, pip: 1 }, compared: { recognition: 0, coaching: 0, pip: 0 } });
    expect(q2.newly.pip).toEqual([{ employeeId: 'w6', name: 'Agent w6' }]);
    expect(q2.undecided).toEqual({ draft: 19, compared: 19 });
    // Q3: m3's recognition under both; m4's survey on 1 Oct is after the quarter's end.
    expect(q3.counts).toEqual({ draft: { recognition: 1, coaching: 0, pip: 0 }, compared: { recognition: 1, coaching: 0, pip: 0 } });
    expect(q3.undecided.draft).toBe(19);
    expect(await writtenRows(t.app.store)).toEqual(before);
  }, 60_000);

  it('refuses a reversed range, one without a boundary, and more than 12 cycles, with a code', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return [(e as { code: string }).code, (e as Error).message];
      }
      return undefined;
    };
    expect(code(() => cycleBoundaries(range.to, range.from, 'quarter'))).toEqual(['APPRAISE_BACKTEST_RANGE', expect.stringMatching(/reversed/)]);
    expect(code(() => cycleBoundaries(new Date('2026-01-02Z'), new Date('2026-03-31Z'), 'quarter'))).toEqual(['APPRAISE_BACKTEST_RANGE', expect.stringMatching(/No quarter ends/)]);
    expect(code(() => cycleBoundaries(new Date('2025-01-01Z'), new Date('2026-02-01Z'), 'month'))).toEqual(['APPRAISE_BACKTEST_RANGE', expect.stringMatching(/more than 12 month boundaries/)]);
    expect(cycleBoundaries(new Date('2026-11-25Z'), new Date('2026-12-14Z'), 'week').map((d) => d.toISOString().slice(0, 10))).toEqual(['2026-11-30', '2026-12-07', '2026-12-14']);
  });

  it('the API answers the same JSON for hr, refuses managers, and turns a bad range into a coded 400', async () => {
    const body = { yaml: policyYaml(3.0), from: '2026-01-01', to: '2026-10-01' };
    const r = await t.call('hr', 'POST', '/api/policies/fair-test/backtest', body);
    expect(r.statusCode).toBe(200);
    const api = JSON.parse(r.body);
    const direct = await backtestDraft(t.app.store, deps(), draft(3.0), { ...range, fairness });
    expect(api.cycles).toEqual(JSON.parse(JSON.stringify(direct.cycles)));
    expect((await t.call('manager', 'POST', '/api/policies/fair-test/backtest', body)).statusCode).toBe(403);
    const wide = await t.call('hr', 'POST', '/api/policies/fair-test/backtest', { ...body, cycle: 'month', from: '2025-01-01' });
    expect(wide.statusCode).toBe(400);
    expect(JSON.parse(wide.body).error.code).toBe('APPRAISE_BACKTEST_RANGE');
    expect((await t.call('hr', 'POST', '/api/policies/fair-test/backtest', { ...body, against: 9 })).statusCode).toBe(404);
  }, 60_000);

  it('compares with a named version; without text the latest published version is the draft', async () => {
    const yaml = policyYaml(3.0);
    await publishPolicy(t.app.store, { policy: draft(3.0), yaml, author: 'hr', comment: 'tighter' });
    const latest = JSON.parse((await t.call('hr', 'POST', '/api/policies/fair-test/backtest', { from: '2026-04-01', to: '2026-04-01' })).body);
    expect(latest).toMatchObject({ draftVersion: 2, comparedVersion: 2 });
    expect(latest.cycles[0].newly.pip).toEqual([]);
    const v1 = JSON.parse((await t.call('hr', 'POST', '/api/policies/fair-test/backtest', { from: '2026-04-01', to: '2026-04-01', against: 1 })).body);
    expect(v1).toMatchObject({ draftVersion: 2, comparedVersion: 1 });
    expect(v1.cycles[0].newly.pip.map((p: { employeeId: string }) => p.employeeId)).toEqual(['m2', 'w2', 'w3', 'w4', 'w5']);
  }, 60_000);
});

describe('backtest on PostgreSQL', () => {
  it('gives the same quarters as on the embedded store, and writes nothing', async () => {
    const pg = await testServer({}, { backend: 'postgres', tokens: ['hr'] });
    try {
      await seedQuarters(pg.app.store);
      const before = await writtenRows(pg.app.store);
      const body = { yaml: policyYaml(3.0), from: '2026-01-01', to: '2026-10-01' };
      const onPg = JSON.parse((await pg.call('hr', 'POST', '/api/policies/fair-test/backtest', body)).body);
      const embedded = JSON.parse((await t.call('hr', 'POST', '/api/policies/fair-test/backtest', { ...body, against: 1 })).body);
      expect(onPg.cycles).toEqual(embedded.cycles);
      expect(await writtenRows(pg.app.store)).toEqual(before);
    } finally {
      await pg.close();
    }
  }, 60_000);
});
