// hitPolicy first and missing data, through a real run on both back-ends (issue 18's example):
// a PIP rule that needs two low quarters cannot be decided for an agent whose last quarter has
// too few surveys; the coaching rule below it holds whatever that quarter was, so the agent
// gets coaching (DMN FIRST: an undecided rule does not match), and the explanation names the
// PIP rule that may follow. `undecided: hold` keeps the old reading. Values worked out by hand.
import { describe, expect, it } from 'vitest';
import { discoverPlugins } from '../../core/plugins/discovery.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { compilePolicy } from '../../core/evaluate/compile.ts';
import { runPolicies } from '../../core/run/run.ts';
import { BACKENDS, storeForSuite } from '../store/backends.ts';

const POLICY = (extra = '') => `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: csat-quarters, title: CSAT quarters, owner: hr@example.com }
spec:
  appliesTo: { roles: [agent] }
  window: 90d
  hitPolicy: first
${extra}  facts:
    csat: { metric: customer-feedback.csat, minSamples: 10 }
    csatPrev: { metric: customer-feedback.csat, offset: 90d, minSamples: 10 }
  rules:
    - id: pip-sustained
      priority: 30
      when: { all: [{ fact: csat, operator: lessThan, value: 3.2 }, { fact: csatPrev, operator: lessThan, value: 3.2 }] }
      then: { outcome: pip }
      approval: required
    - id: coach-dip
      priority: 20
      when: { all: [{ fact: csat, operator: lessThan, value: 3.8 }] }
      then: { outcome: coaching }
`;

const AS_OF = new Date('2026-10-01T00:00:00Z');
const DAY = 86_400_000;

// Per agent: CSAT scores this quarter and last quarter (each one survey).
const AGENTS: Record<string, { now: number[]; before: number[] }> = {
  // 12 surveys at 3 now (mean 3.0); only 4 last quarter: the PIP rule is undecided, coaching applies.
  a1: { now: Array(12).fill(3), before: Array(4).fill(2) },
  // the same with no survey at all last quarter.
  a2: { now: Array(12).fill(3), before: [] },
  // two low quarters with enough surveys: the PIP applies, coaching is shadowed.
  a3: { now: Array(12).fill(3), before: Array(12).fill(3) },
  // a good quarter: nothing applies.
  a4: { now: Array(12).fill(5), before: Array(4).fill(2) },
};

for (const backend of BACKENDS) {
  describe(`an undecided higher rule on ${backend.name}`, async () => {
    const suite = await storeForSuite(backend, async (store) => {
      let n = 0;
      for (const [id, scores] of Object.entries(AGENTS)) {
        await store.query(`INSERT INTO employees (id, name, role, team, hire_date, content_hash) VALUES ($1, $1, 'agent', 'T', '2024-01-01', 'x')`, [id]);
        const add = async (daysBack: number, csat: number) => {
          const at = new Date(AS_OF.getTime() - daysBack * DAY).toISOString();
          await store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('customer-feedback.survey', $1, $2, $3::jsonb, $4)`, [id, at, JSON.stringify({ csat }), `s${n++}`]);
        };
        for (const [i, c] of scores.now.entries()) await add(5 + i, c);
        for (const [i, c] of scores.before.entries()) await add(95 + i, c);
      }
    });

    const run = async (extra = '') => {
      const plugins = await discoverPlugins();
      const loaded = loadPolicyText('csat.policy.yaml', POLICY(extra), plugins.registry);
      expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      return runPolicies(suite.store, { asOf: AS_OF, trigger: 'manual', dryRun: true, policies: [{ compiled: compilePolicy(loaded.policy!, plugins.registry), version: 1 }], metrics: plugins.metrics });
    };
    const outcomes = (decisions: Awaited<ReturnType<typeof run>>['decisions']) =>
      Object.fromEntries(Object.keys(AGENTS).map((id) => [id, decisions.filter((d) => d.employeeId === id && d.status === 'fired').map((d) => d.ruleId)]));

    it.skipIf(suite.skip)('agents whose last quarter is missing get the coaching, with the undecided PIP rule in their explanation', async () => {
      const result = await run();
      expect(outcomes(result.decisions)).toEqual({ a1: ['coach-dip'], a2: ['coach-dip'], a3: ['pip-sustained'], a4: [] });
      for (const id of ['a1', 'a2']) {
        const mine = result.decisions.filter((d) => d.employeeId === id);
        expect(mine.map((d) => [d.ruleId, d.status])).toEqual([['pip-sustained', 'indeterminate'], ['coach-dip', 'fired']]);
        // The coaching's explanation names the PIP rule that may follow; that rule's own says why it is open.
        expect(mine[1].explanation.reason).toMatch(/the higher-priority rule `pip-sustained` could not be decided, and may apply instead once the missing data arrives/);
        const pip = mine[0].explanation.conditions as unknown as { children: Array<{ left?: { fact?: string; samples?: number; minSamples?: number }; result: string }> };
        expect(pip.children.find((c) => c.left?.fact === 'csatPrev')).toMatchObject({ result: 'unknown', left: { samples: id === 'a1' ? 4 : 0, minSamples: 10 } });
      }
    });

    it.skipIf(suite.skip)('undecided: hold withholds the coaching behind the undecided PIP rule, as before', async () => {
      const result = await run('  undecided: hold\n');
      expect(outcomes(result.decisions)).toEqual({ a1: [], a2: [], a3: ['pip-sustained'], a4: [] });
      expect(result.decisions.filter((d) => d.status === 'blocked').map((d) => d.employeeId).sort()).toEqual(['a1', 'a2']);
    });
  });
}
