// `feedback.kudos` in a policy: kudos given through Appraise are counted by a run like any
// imported record, and minSamples holds: recognition only with enough kudos, on both back-ends.
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, storeForSuite } from '../store/backends.ts';
import { discoverPlugins, type PluginSet } from '../../core/plugins/discovery.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { compilePolicy } from '../../core/evaluate/compile.ts';
import { runPolicies } from '../../core/run/run.ts';
import { ensureRecordLayouts } from '../../core/records/typed-tables.ts';
import { giveKudos } from '../../core/people/feedback/kudos.ts';
import type { Principal } from '../../core/auth/tokens.ts';

const POLICY = `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: peer-stars, title: Peer stars, owner: hr }
spec:
  appliesTo: { roles: [agent] }
  window: 30d
  facts:
    kudos: { metric: feedback.kudos, minSamples: 3 }
  rules:
    - id: star
      priority: 10
      when:
        all:
          - { fact: kudos, operator: greaterThanInclusive, value: 3 }
      then: { outcome: recognition }
`;
const as = (employeeId: string): Principal => ({ tokenId: 1, name: employeeId, role: 'employee', employeeId });

let set: PluginSet;
beforeAll(async () => {
  set = await discoverPlugins();
});

for (const backend of BACKENDS) {
  describe(`feedback.kudos in a policy (${backend.name})`, async () => {
    const suite = await storeForSuite(backend, async (store) => {
      for (const id of ['e1', 'e2', 'e3', 'g']) await store.query(`INSERT INTO employees (id, name, role, content_hash) VALUES ($1, $1, 'agent', 'x')`, [id]);
    });

    it.skipIf(suite.skip)('fires recognition only for whoever has enough kudos', async () => {
      const store = suite.store;
      await ensureRecordLayouts(store, [...set.recordKinds.values()]);
      const loaded = loadPolicyText('peer-stars.policy.yaml', POLICY, set.registry);
      expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const run = async () => {
        const result = await runPolicies(store, { asOf: new Date(Date.now() + 86_400_000), trigger: 'manual', dryRun: true, policies: [{ compiled: compilePolicy(loaded.policy!, set.registry), version: 1 }], metrics: set.metrics });
        return Object.fromEntries(result.decisions.map((d) => [d.employeeId, d.status]));
      };
      const values: string[] = [];
      for (const [to, n] of [['e1', 3], ['e2', 2]] as const) for (let i = 0; i < n; i++) await giveKudos(store, as('g'), { receiverId: to, message: `thanks ${i}` }, values);
      const first = await run();
      expect(first.e1).toBe('fired');
      expect(first.e2).not.toBe('fired'); // two kudos: below minSamples, not enough to judge
      expect(first.e3).not.toBe('fired');
      // One more kudos, and the next run (caches keyed by the data version) sees it.
      await giveKudos(store, as('g'), { receiverId: 'e2', message: 'and again' }, values);
      expect((await run()).e2).toBe('fired');
    });
  });
}
