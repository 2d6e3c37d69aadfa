// The act phase: a run's fired decisions become cases exactly once per policy, rule, employee
// and period, however often the run repeats; cooldowns, exemptions, audit mode and a PIP
// proposal still waiting for HR suppress cases with a recorded reason; a PIP supersedes open
// coaching of the same policy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverPlugins, type PluginSet } from '../../core/plugins/discovery.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { compilePolicy } from '../../core/evaluate/compile.ts';
import { runPolicies } from '../../core/run/run.ts';
import { openCases, type ActSummary } from '../../core/cases/open-cases.ts';
import { createExemption } from '../../core/cases/exemptions.ts';
import { getCase, listCases } from '../../core/cases/queries.ts';
import { transitionCase } from '../../core/cases/transitions.ts';
import type { Store } from '../../core/store/store.ts';
import { memoryStore } from './helpers.ts';

const policy = (id: string, mode = 'enforce') => `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: ${id}, title: ${id}, owner: hr }
spec:
  appliesTo: {}
  window: 30d
  mode: ${mode}
  hitPolicy: first
  facts:
    csat: { metric: customer-feedback.csat, minSamples: 1 }
  rules:
    - id: pip
      priority: 20
      when: { all: [{ fact: csat, operator: lessThan, value: 2.5 }, { fact: history.coaching.total, operator: greaterThanInclusive, value: 1 }] }
      then: { outcome: pip, workflows: [log.write] }
    - id: coach
      priority: 10
      cooldown: 120d
      when: { all: [{ fact: csat, operator: lessThan, value: 3.5 }] }
      then: { outcome: coaching, workflows: [log.write] }
    - id: star
      when: { all: [{ fact: csat, operator: greaterThanInclusive, value: 4.8 }] }
      then: { outcome: recognition }
`;

let set: PluginSet;
let store: Store;
beforeAll(async () => {
  set = await discoverPlugins();
  store = await memoryStore();
  for (const id of ['a', 'b', 'c', 'd']) await store.query(`INSERT INTO employees (id, name, content_hash) VALUES ($1, $1, 'x')`, [id]);
  // b already had coaching opened last quarter and still open
  await store.query(`INSERT INTO cases (type, status, employee_id, policy_id, policy_version, rule_id, period, explanation, opened_at) VALUES ('coaching', 'open', 'b', 'support', 1, 'coach', '2026-Q1', '{}', '2026-01-10T00:00:00Z')`);
});
afterAll(async () => {
  await store.close();
});

let n = 0;
async function survey(employee: string, at: string, csat: number) {
  await store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('customer-feedback.survey', $1, $2, $3::jsonb, $4)`, [employee, at, JSON.stringify({ csat }), `s${n++}`]);
}

async function run(asOf: string, id = 'support', mode = 'enforce'): Promise<ActSummary> {
  const loaded = loadPolicyText(`${id}.policy.yaml`, policy(id, mode), set.registry);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const at = new Date(asOf);
  const compiled = compilePolicy(loaded.policy!, set.registry);
  const result = await runPolicies(store, {
    asOf: at, trigger: 'manual', dryRun: false, policies: [{ compiled, version: 1 }], metrics: set.metrics,
    act: (s, runId, decisions, ids) => openCases(s, runId, decisions, ids, { asOf: at, policies: new Map([[id, loaded.policy!]]), defaultWorkflows: { recognition: [], coaching: [], pip: [] } }) as never,
  });
  return result.run.summary.act as unknown as ActSummary;
}

describe('opening cases', () => {
  it('opens one case per fired rule; a PIP supersedes the open coaching of the same policy', async () => {
    await survey('a', '2026-03-20T10:00:00Z', 3); // coaching
    await survey('b', '2026-03-20T10:00:00Z', 2); // pip (has coaching history)
    await survey('c', '2026-03-20T10:00:00Z', 3); // coaching, but exempt until May
    await createExemption(store, { employeeId: 'c', outcome: 'coaching', reason: 'parental leave', until: new Date('2026-05-01T00:00:00Z'), startsAt: new Date('2026-01-01T00:00:00Z'), createdBy: 'hr' });
    const act = await run('2026-04-01T00:00:00Z');
    expect(act).toMatchObject({ opened: { coaching: 1, pip: 1, recognition: 0 }, existing: 0, superseded: 1, suppressed: { exemption: 1 } });
    const pip = (await listCases(store, { type: 'pip' })).cases[0];
    expect(pip).toMatchObject({ employeeId: 'b', status: 'proposed', approval: 'required', period: '2026-Q2' });
    const old = (await listCases(store, { employeeId: 'b', type: 'coaching' })).cases[0];
    expect(old.status).toBe('superseded');
    expect((await getCase(store, old.id)).events.at(-1)).toMatchObject({ to: 'superseded', note: `superseded by PIP case ${pip.id}` });
    const suppression = (await store.query<{ reason: string; detail: string }>(`SELECT reason, detail FROM suppressions WHERE employee_id = 'c'`)).rows[0];
    expect(suppression).toMatchObject({ reason: 'exemption' });
    expect(suppression.detail).toMatch(/parental leave/);
  });

  it('each case is opened with its event and its workflow deliveries', async () => {
    const a = (await listCases(store, { employeeId: 'a' })).cases[0];
    const detail = await getCase(store, a.id);
    expect(detail.events[0]).toMatchObject({ event: 'opened', to: 'open' });
    expect(detail.deliveries).toEqual([expect.objectContaining({ workflow: 'log.write', event: 'case.opened', status: 'pending' })]);
  });

  it('running again, or later in the same period, opens nothing new', async () => {
    const again = await run('2026-04-01T00:00:00Z');
    expect(again).toMatchObject({ opened: { coaching: 0, pip: 0, recognition: 0 }, existing: 2 });
    const later = await run('2026-04-20T00:00:00Z');
    expect(later.opened).toEqual({ coaching: 0, pip: 0, recognition: 0 });
    expect((await listCases(store, {})).total).toBe(3);
    expect((await store.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0].n).toBe(2);
  });

  it('cooldown suppresses a new case of the same rule within its duration, with the reason recorded; an expired exemption no longer applies', async () => {
    await survey('a', '2026-06-25T10:00:00Z', 3);
    await survey('c', '2026-06-25T10:00:00Z', 3);
    const act = await run('2026-07-05T00:00:00Z'); // Q3; a's coaching was opened 95 days ago (< 120d)
    expect(act.suppressed.cooldown).toBe(1);
    expect(act.opened.coaching).toBe(1); // c: the exemption ended on May 1st
    const s = (await store.query<{ detail: string }>(`SELECT detail FROM suppressions WHERE reason = 'cooldown'`)).rows[0];
    expect(s.detail).toMatch(/within the 120d cooldown/);
    expect((await listCases(store, { employeeId: 'c' })).cases[0]).toMatchObject({ type: 'coaching', period: '2026-Q3' });
  });

  it('a policy in audit mode records decisions but opens no case and fires nothing', async () => {
    await survey('d', '2026-06-26T10:00:00Z', 3);
    const before = (await listCases(store, {})).total;
    const act = await run('2026-07-05T00:00:00Z', 'shadow', 'audit');
    expect(act.suppressed.audit).toBeGreaterThan(0);
    expect(act.opened).toEqual({ coaching: 0, pip: 0, recognition: 0 });
    expect((await listCases(store, {})).total).toBe(before);
    const decisions = (await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM decisions WHERE policy_id = 'shadow'`)).rows[0].n;
    expect(decisions).toBeGreaterThan(0);
  });

  it('a later cycle proposes no second PIP while the first waits for HR; once HR rejects it, the next cycle may propose again', async () => {
    const first = (await listCases(store, { employeeId: 'b', type: 'pip' })).cases;
    expect(first.map((c) => [c.status, c.period])).toEqual([['proposed', '2026-Q2']]);
    await survey('b', '2026-09-25T10:00:00Z', 2); // still far below the PIP threshold in Q4
    const q4 = await run('2026-10-05T00:00:00Z');
    expect(q4.opened.pip).toBe(0);
    expect(q4.suppressed['pip-proposed']).toBe(1);
    expect((await listCases(store, { employeeId: 'b', type: 'pip' })).total).toBe(1);
    const s = (await store.query<{ detail: string }>(`SELECT detail FROM suppressions WHERE reason = 'pip-proposed' AND employee_id = 'b'`)).rows[0];
    expect(s.detail).toBe(`PIP case ${first[0].id} for this employee still waits for HR's decision`);

    await transitionCase(store, first[0].id, { action: 'reject', actor: 'hr-ana', note: 'coaching first' });
    await survey('b', '2026-12-20T10:00:00Z', 2);
    const q1 = await run('2027-01-05T00:00:00Z');
    expect(q1.opened.pip).toBe(1);
    expect((await listCases(store, { employeeId: 'b', type: 'pip' })).cases.map((c) => [c.status, c.period]).sort()).toEqual([['proposed', '2027-Q1'], ['rejected', '2026-Q2']]);
  });
});
