// Which policies a run evaluates: the latest published version of each (or of the ones asked
// for), or policy files given on the command line as an unpublished dry run. Policies are
// compiled with the plugin operators they use, activated first.
import type { Store } from '../store/store.ts';
import type { Registry } from '../registry/registry.ts';
import type { PluginHost } from '../plugins/host.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { compilePolicy, type CompiledPolicy } from '../evaluate/compile.ts';
import { parseOperator, builtinOperator } from '../evaluate/operators.ts';
import { forEachLeafOf, type Policy } from '../policy/types.ts';
import { loadPolicyText } from '../policy/load.ts';
import { getVersion, listPolicies } from '../policy/versions.ts';
import { enforcementOf } from '../compliance/notices/queries.ts';

function pluginOperators(policy: Policy): string[] {
  const out = new Set<string>();
  forEachLeafOf(policy, (leaf) => {
    const base = parseOperator(leaf.operator).base;
    if (!builtinOperator(base)) out.add(base);
  });
  return [...out];
}

export async function compileWithPlugins(policy: Policy, registry: Registry, host?: PluginHost): Promise<CompiledPolicy> {
  const ops = pluginOperators(policy);
  const impls = host && ops.length ? await host.operatorImplementations(ops) : new Map();
  return compilePolicy(policy, registry, impls);
}

export interface PolicySourceResult {
  /** `notice`: when the version is enforced from (`policies.noticeDays` after it went in force). */
  policies: Array<{ compiled: CompiledPolicy; version: number; notice?: { enforcedFrom: string; noticeDays: number } }>;
  /** Published policies that no longer load (e.g. a plugin was removed), with why. */
  failures: Array<{ policyId: string; version: number; diagnostics: Diagnostic[] }>;
}

export async function publishedPolicies(store: Store, registry: Registry, host: PluginHost | undefined, only?: string[], noticeDays = 0): Promise<PolicySourceResult> {
  const list = await listPolicies(store);
  if (only?.length) {
    for (const id of only) {
      if (!list.some((p) => p.policyId === id)) {
        throw new AppraiseError('APPRAISE_POLICY_NOT_FOUND', `No policy \`${id}\` has been published. Publish it with \`npx appraise policies publish\`, or run files directly with --policies.`);
      }
    }
  }
  const out: PolicySourceResult = { policies: [], failures: [] };
  for (const p of list) {
    if (only?.length && !only.includes(p.policyId)) continue;
    const v = await getVersion(store, p.policyId, p.latestVersion);
    const loaded = loadPolicyText(`${p.policyId}@v${v.version}`, v.yaml, registry);
    if (!loaded.policy) {
      out.failures.push({ policyId: p.policyId, version: v.version, diagnostics: loaded.diagnostics });
      continue;
    }
    out.policies.push({ compiled: await compileWithPlugins(loaded.policy, registry, host), version: v.version });
  }
  const enforcement = await enforcementOf(store, out.policies.map((p) => ({ policyId: p.compiled.policy.metadata.id, version: p.version })), noticeDays);
  for (const p of out.policies) {
    const e = enforcement.get(p.compiled.policy.metadata.id);
    if (e) p.notice = e;
  }
  return out;
}
