// percentileWithin through a real run: higher always means better (the fastest responder gets
// 100 on a lowerIsBetter metric), and a group with fewer people with enough data than
// minGroupSize (default 5) is insufficient data, said in plain words — on both back-ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, postgresReachable } from '../store/backends.ts';
import { discoverPlugins, type PluginSet } from '../../core/plugins/discovery.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { compilePolicy } from '../../core/evaluate/compile.ts';
import { runPolicies } from '../../core/run/run.ts';
import { explainRuleInWords } from '../../core/evaluate/explain-text.ts';
import type { Store } from '../../core/store/store.ts';

const AS_OF = new Date('2026-04-01T00:00:00Z');

// [employee, team, minutes to first response of each ticket]; every ticket in March 2026.
const AGENTS: Array<[string, string, number[]]> = [
  ['t2-a', 'Tier 2', [10, 10]],
  ['t2-b', 'Tier 2', [20, 20]],
  ['t2-c', 'Tier 2', [20, 20]], // ties with t2-b: the same rank
  ['t2-d', 'Tier 2', [30, 30]],
  ['t2-e', 'Tier 2', [40, 40]],
  ['t2-f', 'Tier 2', [50, 50]],
  ['t2-g', 'Tier 2', [1]], // one ticket, below minSamples: not ranked and not counted in the group
  ['t3-a', 'Tier 3', [5, 5]],
  ['t3-b', 'Tier 3', [15, 15]],
  ['t3-c', 'Tier 3', [25, 25]],
];

function policy(minGroupSize?: number): string {
  return `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: fast, title: Fast responders, owner: hr }
spec:
  appliesTo: { roles: [agent] }
  window: 30d
  facts:
    frtRank: { metric: support.first-response-time, percentileWithin: team, minSamples: 2${minGroupSize ? `, minGroupSize: ${minGroupSize}` : ''} }
  rules:
    - id: ranked
      when: { all: [{ fact: frtRank, operator: greaterThanInclusive, value: 0 }] }
      then: { outcome: recognition }
`;
}

let set: PluginSet;
beforeAll(async () => {
  set = await discoverPlugins();
});

async function seed(store: Store): Promise<void> {
  let n = 0;
  for (const [id, team, minutes] of AGENTS) {
    await store.query(`INSERT INTO employees (id, name, role, team, hire_date, content_hash) VALUES ($1, $1, 'agent', $2, '2025-01-01', 'x')`, [id, team]);
    for (const [i, m] of minutes.entries()) {
      const opened = new Date(Date.UTC(2026, 2, 3 + i, 9));
      const payload = { openedAt: opened.toISOString(), firstResponseAt: new Date(opened.getTime() + m * 60_000).toISOString() };
      await store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('support.ticket', $1, $2, $3::jsonb, $4)`, [id, opened.toISOString(), JSON.stringify(payload), `t${n++}`]);
    }
  }
}

interface Seen { value?: unknown; status: string; message?: string; words: string }

/** Each employee's frtRank as the run's explanation shows it. */
async function ranks(store: Store, yaml: string): Promise<Map<string, Seen>> {
  const loaded = loadPolicyText('fast.policy.yaml', yaml, set.registry);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const result = await runPolicies(store, { asOf: AS_OF, trigger: 'manual', dryRun: true, policies: [{ compiled: compilePolicy(loaded.policy!, set.registry), version: 1 }], metrics: set.metrics });
  return new Map(result.decisions.map((d) => {
    const leaf = (d.explanation.conditions as unknown as { children: Array<{ left: { value?: unknown; status: string; message?: string } }> }).children[0];
    return [d.employeeId, { ...leaf.left, words: explainRuleInWords(d.explanation).join('\n') }];
  }));
}

for (const backend of BACKENDS) {
  describe(`percentileWithin (${backend.name})`, async () => {
    const skip = backend.name === 'postgres' && !(await postgresReachable());
    let store: Store & { dispose(): Promise<void> };
    beforeAll(async () => {
      if (skip) return;
      store = await backend.open();
      await seed(store);
    });
    afterAll(async () => {
      if (!skip) await store.dispose();
    });

    it.skipIf(skip)('the fastest responder in a team gets 100, the slowest 0, and ties share a rank', async () => {
      const got = await ranks(store, policy());
      const values = Object.fromEntries(['t2-a', 't2-b', 't2-c', 't2-d', 't2-e', 't2-f'].map((id) => [id, got.get(id)?.value]));
      // 100 × (people with a slower median first response) / (6 − 1)
      expect(values).toEqual({ 't2-a': 100, 't2-b': 60, 't2-c': 60, 't2-d': 40, 't2-e': 20, 't2-f': 0 });
      expect(got.get('t2-a')!.words).toContain('frtRank over 2026-03-02 to 2026-04-01, 2 samples is 100%, rank among 6 people in team Tier 2 (100 = best: the lowest first response time); their first response time is 10m; the condition needs it at least 0%: met');
      // too few tickets of their own: their own minSamples message, not the group's
      expect(got.get('t2-g')).toMatchObject({ status: 'insufficient' });
      expect(got.get('t2-g')!.words).toMatch(/1 sample\(s\), fewer than the 2 required/);
    });

    it.skipIf(skip)('a team of three is insufficient data by default, said in plain words', async () => {
      const got = await ranks(store, policy());
      for (const id of ['t3-a', 't3-b', 't3-c']) {
        expect(got.get(id), id).toMatchObject({ status: 'insufficient', message: 'only 3 people in team Tier 3 have enough data; a percentile needs at least 5' });
        expect(got.get(id)!.words).toContain('not decided, insufficient data: `frtRank`: only 3 people in team Tier 3 have enough data; a percentile needs at least 5');
      }
    });

    it.skipIf(skip)('a team of three is ranked with minGroupSize: 3', async () => {
      const got = await ranks(store, policy(3));
      expect(['t3-a', 't3-b', 't3-c'].map((id) => got.get(id)?.value)).toEqual([100, 50, 0]);
      expect(got.get('t2-a')!.value).toBe(100);
    });
  });
}
