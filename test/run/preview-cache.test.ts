// Previews keep computed metrics, fact rows and parsed published versions while the data is
// unchanged, so an HR admin's second preview answers at once. What they must never do is answer
// from the past: a preview always says what a dry run of the same draft would decide now,
// after a new survey arrives, after a PIP comes into force, and draft after draft.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverPlugins, type PluginSet } from '../../core/plugins/discovery.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { publishPolicy } from '../../core/policy/versions.ts';
import { compilePolicy } from '../../core/evaluate/compile.ts';
import { runPolicies } from '../../core/run/run.ts';
import { simulateDraft, type SimulationResult } from '../../core/run/simulate.ts';
import type { Policy } from '../../core/policy/types.ts';
import type { Store } from '../../core/store/store.ts';
import { insertCase, memoryStore } from '../cases/helpers.ts';

const AS_OF = new Date('2026-10-01T00:00:00Z');

const yaml = (coachBelow: number, pipBelow = 2.5, minSamples = 3) => `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: support, title: Support, owner: hr }
spec:
  appliesTo: {}
  window: 90d
  hitPolicy: first
  facts:
    csat: { metric: customer-feedback.csat, minSamples: ${minSamples} }
  rules:
    - id: pip
      priority: 20
      when: { all: [{ fact: csat, operator: lessThan, value: ${pipBelow} }, { fact: history.pip.isActive, operator: equal, value: false }] }
      then: { outcome: pip }
    - id: coach
      priority: 10
      when: { all: [{ fact: csat, operator: lessThan, value: ${coachBelow} }, { fact: history.pip.isActive, operator: equal, value: false }] }
      then: { outcome: coaching }
    - id: star
      when: { all: [{ fact: csat, operator: greaterThanInclusive, value: 4.6 }] }
      then: { outcome: recognition }
`;

let set: PluginSet;
let store: Store;
let n = 0;
const load = (text: string): Policy => {
  const loaded = loadPolicyText('support.policy.yaml', text, set.registry);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded.policy!;
};

async function surveys(employee: string, scores: number[], day = '2026-09-10') {
  for (const csat of scores) {
    await store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('customer-feedback.survey', $1, $2, $3::jsonb, $4)`, [employee, `${day}T10:00:00Z`, JSON.stringify({ csat }), `s${n++}`]);
  }
}

const preview = (draft: Policy) => simulateDraft(store, { registry: set.registry, metrics: set.metrics }, draft, AS_OF);

/** Who a dry run of the policy would give each outcome to now: the independent answer. */
async function dryRun(policy: Policy): Promise<Record<string, string[]>> {
  const run = await runPolicies(store, { asOf: AS_OF, trigger: 'manual', dryRun: true, policies: [{ compiled: compilePolicy(policy, set.registry), version: 0 }], metrics: set.metrics });
  const out: Record<string, string[]> = { recognition: [], coaching: [], pip: [] };
  for (const d of run.decisions) if (d.status === 'fired') out[d.outcome].push(d.employeeId);
  for (const k of Object.keys(out)) out[k].sort();
  return out;
}

const selected = (r: SimulationResult) => Object.fromEntries(Object.entries(r.selected).map(([k, v]) => [k, [...v].sort()]));
/** The preview as the API sends it (sets as sorted lists), without its timing. */
const withoutTime = (r: SimulationResult) => JSON.parse(JSON.stringify({ ...r, ms: 0 }, (_, v) => (v instanceof Set ? [...v].sort() : v)));

beforeAll(async () => {
  set = await discoverPlugins();
  store = await memoryStore();
  const people: Array<[string, number[]]> = [
    ['ana', [2, 2, 3]], ['ben', [3, 3, 4]], ['cleo', [4, 4, 3]], ['dev', [5, 5, 4]], ['eli', [5, 5, 5]], ['fay', [2, 3, 3]], ['gus', [4]],
  ];
  for (const [id] of people) await store.query(`INSERT INTO employees (id, name, content_hash) VALUES ($1, $1, 'x')`, [id]);
  for (const [id, scores] of people) await surveys(id, scores);
  const published = yaml(3.5);
  await publishPolicy(store, { policy: load(published), yaml: published, author: 'hr' });
});
afterAll(async () => {
  await store.close();
});

describe('previews with their cache', () => {
  it('a second preview of the same draft answers the same as the first', async () => {
    const draft = load(yaml(3.8));
    const first = await preview(draft);
    const second = await preview(draft);
    expect(withoutTime(second)).toEqual(withoutTime(first));
    expect(selected(second)).toEqual(await dryRun(draft));
  });

  it('draft after draft, each preview says what a dry run of that draft decides', async () => {
    const coached: boolean[] = [];
    for (const [coach, pip, min] of [[3.2, 2.5, 3], [4.0, 2.5, 3], [3.8, 3.0, 3], [3.5, 2.5, 3], [4.4, 2.0, 1], [4.4, 2.0, 3]]) {
      const draft = load(yaml(coach, pip, min));
      const p = await preview(draft);
      expect(selected(p), `coach < ${coach}, pip < ${pip}, ${min} surveys`).toEqual(await dryRun(draft));
      coached.push(p.selected.coaching.has('gus'));
    }
    // gus has one survey: enough only where one is the minimum
    expect(coached).toEqual([false, false, false, false, true, false]);
  });

  it('a new survey is in the next preview', async () => {
    const draft = load(yaml(3.8));
    const before = await preview(draft);
    expect(before.selected.recognition.has('gus')).toBe(false); // one survey of the three needed
    await surveys('gus', [5, 5], '2026-09-20');
    const after = await preview(draft);
    expect(after.selected.recognition.has('gus')).toBe(true);
    expect(selected(after)).toEqual(await dryRun(draft));
  });

  it('a PIP coming into force is in the next preview, although no record changed', async () => {
    const draft = load(yaml(3.8));
    expect((await preview(draft)).selected.coaching.has('fay')).toBe(true);
    const pip = await insertCase(store, { type: 'pip', status: 'active', employeeId: 'fay', policyId: 'support' });
    await store.query(`UPDATE cases SET opened_at = '2026-08-01T00:00:00Z' WHERE id = $1`, [pip]); // in force before the as-of date
    const after = await preview(draft);
    expect(after.selected.coaching.has('fay')).toBe(false);
    expect(selected(after)).toEqual(await dryRun(draft));
  });
});
