// The facts of a run computed the way the pipeline does (plan → compute), shared by the
// benchmark's rules-phase comparison.
import type { Store } from '../core/store/store.ts';
import type { PluginSet } from '../core/plugins/discovery.ts';
import type { Policy } from '../core/policy/types.ts';
import type { ResolvedFact } from '../core/evaluate/facts.ts';
import { compilePolicy } from '../core/evaluate/compile.ts';
import { loadEmployees } from '../core/run/employees.ts';
import { planRun, type PolicyPlan } from '../core/run/plan.ts';
import { computeRequests, policyFacts } from '../core/run/compute.ts';
import { historyFacts } from '../core/run/history.ts';

export async function computedFacts(store: Store, policies: Policy[], set: PluginSet, asOf: Date): Promise<Array<{ plan: PolicyPlan; facts: Map<string, Map<string, ResolvedFact>> }>> {
  const plan = planRun(asOf, policies.map((p) => ({ compiled: compilePolicy(p, set.registry), version: 1 })), await loadEmployees(store), set.metrics);
  const computed = await computeRequests(store, plan, undefined);
  const out = [];
  for (const p of plan.policies) {
    const facts = policyFacts(p, computed);
    const history = await historyFacts(store, asOf, p.history, p.employees.map((e) => e.id));
    for (const [id, h] of history) for (const [k, v] of h) facts.get(id)?.set(k, v);
    out.push({ plan: p, facts });
  }
  return out;
}
