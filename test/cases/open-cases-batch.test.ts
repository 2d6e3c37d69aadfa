// The set-based act phase opens exactly what the per-case act phase opened, row for row: the same
// cases (ids in the same order), events, supersessions, deliveries with their payloads,
// suppressions with their reasons, and the same summary. Two fresh stores get the same state
// and the same decisions of many employees, with every check mixed in and decisions that
// depend on each other within a run (a PIP in force opened by another policy, a cooldown started
// by a case of the same run, duplicates, two PIPs of one policy); one store acts with
// core/cases/open-cases.ts, the other with the per-case reference (per-case-reference.ts).
// Then runs again (nothing new), and a quarter later (cooldowns from the first run). On both
// back-ends. Also: two calls at once open nothing twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCases, type ActOptions, type ActSummary } from '../../core/cases/open-cases.ts';
import type { Policy } from '../../core/policy/types.ts';
import type { Decision } from '../../core/run/decide.ts';
import { insertDecisions, startRun } from '../../core/run/persist.ts';
import type { Queryable, Store } from '../../core/store/store.ts';
import { BACKENDS, postgresReachable } from '../store/backends.ts';
import { openCasesPerCase } from './per-case-reference.ts';

type Outcome = Decision['outcome'];
type TestStore = Store & { dispose(): Promise<void> };

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RuleSpec {
  id: string;
  outcome: Outcome;
  cooldown?: string;
  approval?: 'required' | 'none';
  workflows?: string[];
}

const policy = (id: string, mode: 'enforce' | 'audit', rules: RuleSpec[]): Policy =>
  ({
    apiVersion: 'appraise/v1', kind: 'ReviewPolicy', metadata: { id, title: id, owner: 'hr' },
    spec: {
      appliesTo: {}, mode, hitPolicy: 'collect',
      rules: rules.map((r) => ({ id: r.id, when: { all: [] }, then: { outcome: r.outcome, ...(r.workflows ? { workflows: r.workflows } : {}) }, ...(r.cooldown ? { cooldown: r.cooldown } : {}), ...(r.approval ? { approval: r.approval } : {}) })),
    },
  }) as unknown as Policy;

const POLICIES = new Map<string, Policy>([
  ['alpha', policy('alpha', 'enforce', [
    { id: 'pip', outcome: 'pip', workflows: ['hook.a'] },
    { id: 'pip-now', outcome: 'pip', approval: 'none' },
    { id: 'coach', outcome: 'coaching', cooldown: '90d', workflows: ['hook.a', 'hook.b'] },
    { id: 'coach-again', outcome: 'coaching' },
    { id: 'star', outcome: 'recognition', cooldown: '30d' },
  ])],
  ['beta', policy('beta', 'enforce', [
    { id: 'pip', outcome: 'pip', approval: 'none', workflows: ['hook.hr', 'hook.b'] },
    { id: 'coach', outcome: 'coaching', cooldown: '120d' },
    { id: 'star', outcome: 'recognition' },
  ])],
  ['gamma', policy('gamma', 'audit', [
    { id: 'coach', outcome: 'coaching' },
    { id: 'pip', outcome: 'pip' },
  ])],
]);
const RULES: Array<{ policyId: string } & RuleSpec> = [
  ...[...POLICIES].flatMap(([policyId, p]) => p.spec.rules.map((r) => ({ policyId, id: r.id, outcome: r.then.outcome as Outcome }))),
  { policyId: 'ghost', id: 'coach', outcome: 'coaching' }, // a policy the act is not given: skipped
];
const DEFAULTS: ActOptions['defaultWorkflows'] = { pip: ['hook.hr'], coaching: [], recognition: ['hook.a'] };
const EMPLOYEES = Array.from({ length: 90 }, (_, i) => `e${String(i).padStart(3, '0')}`);

const Q2 = new Date('2026-04-10T00:00:00Z');
const Q3 = new Date('2026-07-05T00:00:00Z');
const days = (d: number, from = Q2) => new Date(from.getTime() - d * 86_400_000).toISOString();

/** The same state in every store: employees, earlier cases of every kind, exemptions. */
async function seed(store: Queryable): Promise<void> {
  const rnd = prng(7);
  for (const [i, e] of EMPLOYEES.entries()) {
    // one employee without a directory entry: its payloads carry nulls
    if (i !== 5) await store.query(`INSERT INTO employees (id, name, email, team, department, manager_id, content_hash) VALUES ($1, $2, $3, $4, 'support', 'm1', 'x')`, [e, `Name ${e}`, `${e}@example.com`, `team-${i % 4}`]);
  }
  let n = 0;
  const insertCase = (c: { type: Outcome; status: string; employeeId: string; policyId: string; ruleId: string; period: string; openedAt: string }) =>
    store.query(
      `INSERT INTO cases (type, status, employee_id, policy_id, policy_version, rule_id, period, explanation, opened_at) VALUES ($1, $2, $3, $4, 1, $5, $6, $7::jsonb, $8)`,
      [c.type, c.status, c.employeeId, c.policyId, c.ruleId, c.period, JSON.stringify({ seeded: n++ }), c.openedAt],
    );
  for (const e of EMPLOYEES) {
    const r = rnd();
    // open or scheduled coaching a PIP of the same policy supersedes (at most one per policy)
    if (r < 0.3) await insertCase({ type: 'coaching', status: rnd() < 0.7 ? 'open' : 'scheduled', employeeId: e, policyId: rnd() < 0.6 ? 'alpha' : 'beta', ruleId: 'coach-again', period: '2025-Q4', openedAt: days(150 + Math.floor(rnd() * 20)) });
    else if (r < 0.4) await insertCase({ type: 'coaching', status: 'completed', employeeId: e, policyId: 'alpha', ruleId: 'coach-again', period: '2025-Q4', openedAt: days(160) });
    // a case of this very period already (idempotency)
    if (rnd() < 0.12) await insertCase({ type: 'coaching', status: 'open', employeeId: e, policyId: 'alpha', ruleId: 'coach', period: '2026-Q2', openedAt: days(2) });
    if (rnd() < 0.08) await insertCase({ type: 'recognition', status: 'acknowledged', employeeId: e, policyId: 'beta', ruleId: 'star', period: '2026-Q2', openedAt: days(3) });
    // cooldowns: within (alpha.coach 90d, beta.coach 120d, alpha.star 30d) or just outside
    const c = rnd();
    if (c < 0.15) await insertCase({ type: 'coaching', status: 'completed', employeeId: e, policyId: 'alpha', ruleId: 'coach', period: '2026-Q1', openedAt: days(40 + Math.floor(rnd() * 40)) });
    else if (c < 0.22) await insertCase({ type: 'coaching', status: 'completed', employeeId: e, policyId: 'alpha', ruleId: 'coach', period: '2025-Q4', openedAt: days(91) });
    else if (c < 0.32) await insertCase({ type: 'coaching', status: 'cancelled', employeeId: e, policyId: 'beta', ruleId: 'coach', period: '2025-Q4', openedAt: days(100 + Math.floor(rnd() * 40)) });
    if (rnd() < 0.1) await insertCase({ type: 'recognition', status: 'acknowledged', employeeId: e, policyId: 'alpha', ruleId: 'star', period: '2026-Q1', openedAt: days(10 + Math.floor(rnd() * 30)) });
    // PIPs: in force (any policy counts), or proposed / over (they do not)
    const p = rnd();
    if (p < 0.1) await insertCase({ type: 'pip', status: ['active', 'approved', 'paused', 'extended'][Math.floor(rnd() * 4)], employeeId: e, policyId: rnd() < 0.5 ? 'alpha' : 'beta', ruleId: 'pip', period: '2026-Q1', openedAt: days(50) });
    else if (p < 0.18) await insertCase({ type: 'pip', status: rnd() < 0.5 ? 'proposed' : 'succeeded', employeeId: e, policyId: 'alpha', ruleId: 'pip', period: '2025-Q3', openedAt: days(200) });
    // exemptions: in force, expired, revoked, not yet started; of a policy, an outcome, or both
    const x = rnd();
    const exemption = (policyId: string | null, outcome: Outcome | null, startsAt: string, until: string, reason: string, revoked = false) =>
      store.query(`INSERT INTO exemptions (employee_id, policy_id, outcome, reason, starts_at, until, created_by, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, 'hr', $7)`, [e, policyId, outcome, reason, startsAt, until, revoked ? days(1) : null]);
    if (x < 0.06) await exemption('alpha', null, days(30), days(-30), 'leave of absence');
    else if (x < 0.12) await exemption(null, 'coaching', days(30), days(-45), 'accommodation');
    else if (x < 0.16) await exemption('beta', 'pip', days(30), days(-20), 'under review');
    else if (x < 0.2) await exemption('alpha', null, days(60), days(1), 'expired leave');
    else if (x < 0.23) await exemption(null, 'pip', days(30), days(-30), 'revoked', true);
    else if (x < 0.26) await exemption('beta', null, days(-5), days(-60), 'starts later');
    else if (x < 0.3) {
      // two in force: the one that ends last is named
      await exemption(null, 'coaching', days(30), days(-10), 'short');
      await exemption('alpha', null, days(30), days(-70), 'long');
    }
  }
}

/** A run's decisions: many fired, some not, in a shuffled order, with deliberate interplay. */
function decisionsFor(period: string, seedNo: number): Decision[] {
  const rnd = prng(seedNo);
  const out: Decision[] = [];
  const decision = (e: string, policyId: string, ruleId: string, outcome: Outcome, status: Decision['status'] = 'fired', p = period): Decision => ({
    employeeId: e, policyId, policyVersion: policyId === 'beta' ? 3 : 1, period: p, ruleId, outcome, status,
    params: outcome === 'coaching' ? { sessions: 1 + Math.floor(rnd() * 3), note: `for ${e}` } : {},
    explanation: { ruleId, priority: 1, outcome, status: 'fired', counted: true, reason: `${ruleId} held for ${e}`, conditions: { kind: 'all', result: 'pass', children: [{ kind: 'fact', operator: 'lessThan', left: { fact: 'csat', value: Math.round(rnd() * 500) / 100, status: 'ok', samples: 12 }, threshold: 3.5, result: 'pass' }] } } as unknown as Decision['explanation'],
  });
  for (const e of EMPLOYEES) {
    for (const r of RULES) {
      const x = rnd();
      if (x < 0.3) out.push(decision(e, r.policyId, r.id, r.outcome));
      else if (x < 0.34) out.push(decision(e, r.policyId, r.id, r.outcome, rnd() < 0.5 ? 'shadowed' : 'indeterminate'));
    }
    // the same rule for an earlier period in the same run: its case starts the cooldown of the other
    if (rnd() < 0.1) out.push(decision(e, 'alpha', 'coach', 'coaching', 'fired', `${period}-early`), decision(e, 'alpha', 'coach', 'coaching'));
    // a duplicate of a decision: the second finds the first's case
    if (rnd() < 0.04) out.push(decision(e, 'beta', 'star', 'recognition'));
  }
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

type Act = typeof openCases;

async function act(store: Store, fn: Act, asOf: Date, decisions: Decision[], runId?: number, ids?: number[]): Promise<{ summary: ActSummary; runId: number; ids: number[] }> {
  if (runId === undefined) {
    runId = await startRun(store, { trigger: 'manual', asOf, dryRun: false, policyVersions: [{ policyId: 'alpha', version: 1 }] });
    ids = await insertDecisions(store, runId, decisions);
  }
  const summary = await fn(store, runId, decisions, ids!, { asOf, policies: POLICIES, defaultWorkflows: DEFAULTS });
  return { summary, runId, ids: ids! };
}

/** Everything the act phase writes, without the instants the store stamps (now()). */
async function written(store: Store) {
  const q = async (sql: string) => (await store.query(sql)).rows;
  return {
    cases: await q(`SELECT id, type, status, employee_id, policy_id, policy_version, rule_id, period, run_id, decision_id, params, explanation, approval, workflows,
                      due_at, checkin_every_days, next_checkin_at, superseded_by, opened_at, closed_at IS NULL AS open FROM cases ORDER BY id`),
    events: await q(`SELECT id, case_id, actor, event, from_status, to_status, note, data FROM case_events ORDER BY id`),
    outbox: await q(`SELECT id, idempotency_key, case_id, workflow, event, payload, config, status, attempts FROM outbox ORDER BY id`),
    suppressions: await q(`SELECT id, run_id, decision_id, employee_id, policy_id, rule_id, outcome, reason, detail FROM suppressions ORDER BY id`),
  };
}

for (const backend of BACKENDS) {
  describe(`set-based case opening on ${backend.name}`, async () => {
    const skip = backend.name === 'postgres' && !(await postgresReachable());
    let batched: TestStore;
    let reference: TestStore;
    beforeAll(async () => {
      if (skip) return;
      [batched, reference] = await Promise.all([backend.open(), backend.open()]);
      await Promise.all([batched.transaction(seed), reference.transaction(seed)]);
    });
    afterAll(async () => {
      await batched?.dispose();
      await reference?.dispose();
    });

    const both = async (asOf: Date, decisions: Decision[], run?: { runId: number; ids: number[] }) => {
      const a = await act(batched, openCases, asOf, decisions, run?.runId, run?.ids);
      const b = await act(reference, openCasesPerCase as Act, asOf, decisions, run?.runId, run?.ids);
      expect(a.runId).toBe(b.runId);
      // the same counts, and the same reasons first met in the same order
      expect(JSON.stringify(a.summary)).toBe(JSON.stringify(b.summary));
      const [wa, wb] = [await written(batched), await written(reference)];
      expect(wa.cases).toEqual(wb.cases);
      expect(wa.events).toEqual(wb.events);
      expect(wa.outbox).toEqual(wb.outbox);
      expect(wa.suppressions).toEqual(wb.suppressions);
      return a;
    };

    let first: { summary: ActSummary; runId: number; ids: number[] };
    const q2 = decisionsFor('2026-Q2', 11);

    it.skipIf(skip)('opens, supersedes, queues and suppresses exactly what the per-case act phase did', async () => {
      first = await both(Q2, q2);
      const s = first.summary;
      // the mix is really there
      expect(s.opened.pip).toBeGreaterThan(5);
      expect(s.opened.coaching).toBeGreaterThan(20);
      expect(s.opened.recognition).toBeGreaterThan(20);
      expect(s.existing).toBeGreaterThan(3);
      expect(s.superseded).toBeGreaterThan(3);
      for (const reason of ['audit', 'exemption', 'cooldown', 'pip-in-force', 'pip-proposed']) expect(s.suppressed[reason], reason).toBeGreaterThan(2);
      const details = (await batched.query<{ reason: string; detail: string }>(`SELECT reason, detail FROM suppressions`)).rows;
      // a PIP in force opened earlier in the same run, and a cooldown started by a case of the same run
      const run = (await batched.query<{ id: number }>(`SELECT id FROM cases WHERE run_id = $1`, [first.runId])).rows.map((r) => Number(r.id));
      expect(details.some((d) => d.reason === 'pip-in-force' && run.includes(Number(/PIP case (\d+)/.exec(d.detail)![1])))).toBe(true);
      expect(details.some((d) => d.reason === 'cooldown' && run.includes(Number(/case (\d+)/.exec(d.detail)![1])))).toBe(true);
      expect(details.some((d) => d.reason === 'exemption' && /long/.test(d.detail))).toBe(true);
    });

    it.skipIf(skip)('the same run again opens nothing, and says so the same way', async () => {
      const again = await both(Q2, q2, first);
      expect(again.summary.opened).toEqual({ recognition: 0, coaching: 0, pip: 0 });
      expect(again.summary.deliveries).toBe(0);
      expect(again.summary.superseded).toBe(0);
    });

    it.skipIf(skip)('a quarter later, the first run\'s cases start cooldowns and PIPs in force', async () => {
      // PIPs of the first run approved since, so that they are in force
      for (const s of [batched, reference]) await s.query(`UPDATE cases SET status = 'active' WHERE type = 'pip' AND status = 'proposed' AND period = '2026-Q2' AND employee_id NOT IN (SELECT employee_id FROM cases WHERE type = 'pip' AND status IN ('approved', 'acknowledged', 'active', 'paused', 'extended'))`);
      const later = await both(Q3, decisionsFor('2026-Q3', 12));
      expect(later.summary.suppressed.cooldown).toBeGreaterThan(3);
      expect(later.summary.opened.coaching + later.summary.opened.recognition).toBeGreaterThan(10);
    });

    it.skipIf(skip)('two calls at once open each case once, with one event and one delivery per workflow', async () => {
      const asOf = new Date('2026-10-02T00:00:00Z');
      const decisions = decisionsFor('2026-Q4', 13);
      const runId = await startRun(batched, { trigger: 'manual', asOf, dryRun: false, policyVersions: [] });
      const ids = await insertDecisions(batched, runId, decisions);
      const [a, b] = await Promise.all([act(batched, openCases, asOf, decisions, runId, ids), act(batched, openCases, asOf, decisions, runId, ids)]);
      const opened = (s: ActSummary) => s.opened.pip + s.opened.coaching + s.opened.recognition;
      const cases = (await batched.query<{ id: number; workflows: string[] }>(`SELECT id, workflows FROM cases WHERE run_id = $1`, [runId])).rows;
      expect(opened(a.summary) + opened(b.summary)).toBe(cases.length);
      expect(cases.length).toBeGreaterThan(20);
      const keys = (await batched.query<{ n: number }>(`SELECT count(DISTINCT (policy_id, rule_id, employee_id, period))::int AS n FROM cases WHERE run_id = $1`, [runId])).rows[0].n;
      expect(keys).toBe(cases.length);
      const events = (await batched.query<{ case_id: number; n: number }>(`SELECT case_id, count(*)::int AS n FROM case_events WHERE event = 'opened' AND case_id = ANY($1::bigint[]) GROUP BY case_id`, [cases.map((c) => c.id)])).rows;
      expect(events.length).toBe(cases.length);
      expect(events.every((e) => e.n === 1)).toBe(true);
      const deliveries = (await batched.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE case_id = ANY($1::bigint[])`, [cases.map((c) => c.id)])).rows[0].n;
      expect(deliveries).toBe(cases.reduce((n, c) => n + c.workflows.length, 0));
      expect(a.summary.deliveries + b.summary.deliveries).toBe(deliveries);
      // and a third call afterwards finds them all
      const third = await act(batched, openCases, asOf, decisions, runId, ids);
      expect(opened(third.summary)).toBe(0);
      expect(third.summary.existing).toBeGreaterThanOrEqual(cases.length);
    });
  });
}
