// Policy versions on both back-ends: exact text kept, unchanged text adds nothing, a stale
// base is refused, two racing publishes never both win, rollback republishes old text.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { BACKENDS, storeForSuite } from '../store/backends.ts';
import { registryFromManifests } from '../../core/plugins/catalogue.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { diffVersions, getVersion, listPolicies, policyHistory, publishPolicy, rollbackPolicy } from '../../core/policy/versions.ts';
import type { Registry } from '../../core/registry/registry.ts';

const v1 = readFileSync(new URL('../../rules/support-agents.policy.yaml', import.meta.url), 'utf8');
const v2 = v1.replace('value: 3.6\n          - fact: csatLastQuarter', 'value: 3.5\n          - fact: csatLastQuarter');

let registry: Registry;
beforeAll(async () => {
  registry = await registryFromManifests();
});
const load = (yaml: string) => loadPolicyText('support-agents.policy.yaml', yaml, registry);

for (const backend of BACKENDS) {
  describe(`policy versions on ${backend.name}`, async () => {
    const suite = await storeForSuite(backend);
    const skip = suite.skip;

    it.skipIf(skip)('keeps the exact text, author and comment; an unchanged text adds no version', async () => {
      const first = await publishPolicy(suite.store, { policy: load(v1).policy!, yaml: v1, author: 'ana', comment: 'initial' });
      expect(first).toMatchObject({ changed: true, version: { version: 1, author: 'ana', comment: 'initial', yaml: v1 } });
      const again = await publishPolicy(suite.store, { policy: load(v1).policy!, yaml: v1, author: 'ben' });
      expect(again).toMatchObject({ changed: false, version: { version: 1, author: 'ana' } });
      expect((await getVersion(suite.store, 'support-agents')).yaml).toBe(v1);
    });

    it.skipIf(skip)('a stale base version is refused (409) and nothing is lost', async () => {
      await publishPolicy(suite.store, { policy: load(v2).policy!, yaml: v2, author: 'ana', baseVersion: 1 });
      await expect(publishPolicy(suite.store, { policy: load(v1).policy!, yaml: v1 + '# ben\n', author: 'ben', baseVersion: 1 }))
        .rejects.toMatchObject({ code: 'APPRAISE_POLICY_STALE_VERSION', details: { latestVersion: 2 } });
      expect((await getVersion(suite.store, 'support-agents')).yaml).toBe(v2);
    });

    it.skipIf(skip)('two publishes racing on the same base: exactly one wins, the other gets 409', async () => {
      const a = v2 + '# a\n';
      const b = v2 + '# b\n';
      const results = await Promise.allSettled([
        publishPolicy(suite.store, { policy: load(a).policy!, yaml: a, author: 'a', baseVersion: 2 }),
        publishPolicy(suite.store, { policy: load(b).policy!, yaml: b, author: 'b', baseVersion: 2 }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toMatchObject({ code: 'APPRAISE_POLICY_STALE_VERSION' });
      const history = await policyHistory(suite.store, 'support-agents');
      expect(history.map((h) => h.version)).toEqual([3, 2, 1]);
    });

    it.skipIf(skip)('diff shows the changed threshold; rollback publishes the old text as a new version', async () => {
      expect(await diffVersions(suite.store, 'support-agents', 1, 2)).toMatch(/-\s+value: 3\.6\n\+\s+value: 3\.5/);
      const { version } = await rollbackPolicy(suite.store, { policyId: 'support-agents', version: 1, author: 'hr', load });
      expect(version).toMatchObject({ version: 4, yaml: v1, rolledBackFrom: 1, comment: 'roll back to version 1' });
      expect((await listPolicies(suite.store))[0]).toMatchObject({ policyId: 'support-agents', latestVersion: 4, schedule: '0 6 1 * *', mode: 'enforce' });
    });

    it.skipIf(skip)('an unknown policy or version is a clear not-found error', async () => {
      await expect(getVersion(suite.store, 'nope')).rejects.toMatchObject({ code: 'APPRAISE_POLICY_NOT_FOUND' });
      await expect(getVersion(suite.store, 'support-agents', 99)).rejects.toMatchObject({ code: 'APPRAISE_POLICY_NOT_FOUND' });
    });
  });
}
