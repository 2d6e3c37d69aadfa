// The naive way, for comparison: for every employee in a policy's scope, one query per metric
// fact (and one for their case history), the formula evaluated over the rows fetched, then a new
// json-rules-engine Engine built for that employee alone.
import type { Store } from '../core/store/store.ts';
import type { PluginSet } from '../core/plugins/discovery.ts';
import type { Policy } from '../core/policy/types.ts';
import { DEFAULT_MIN_GROUP_SIZE, DEFAULT_WINDOW } from '../core/policy/types.ts';
import type { ResolvedFact } from '../core/evaluate/facts.ts';
import { compilePolicy } from '../core/evaluate/compile.ts';
import { evaluate } from '../core/evaluate/evaluate.ts';
import { aggregateRecordKinds, evaluateAggregate, type AggregateExpression } from '../core/metrics/aggregate.ts';
import { resolveMetric } from '../core/metrics/min-samples.ts';
import { metricParams } from '../core/metrics/params.ts';
import { employeeFactsOf, loadEmployees, selects } from '../core/run/employees.ts';
import { factWindow } from '../core/run/plan.ts';
import { percentileRanks } from '../core/run/percentile.ts';

export async function naiveEvaluation(store: Store, policies: Policy[], set: PluginSet, asOf: Date) {
  const employees = await loadEmployees(store);
  let queries = 0;
  let computeMs = 0;
  let decideMs = 0;
  let fired = 0;
  for (const policy of policies) {
    const scope = employees.filter((e) => selects(policy.spec.appliesTo, e, asOf).applies);
    let t = performance.now();
    const facts = new Map<string, Map<string, ResolvedFact>>(scope.map((e) => [e.id, new Map()]));
    for (const [name, decl] of Object.entries(policy.spec.facts ?? {})) {
      const metric = set.metrics.get(decl.metric)!;
      if (metric.aggregate === undefined) continue;
      const { params } = metricParams(metric.paramsSchema, decl.params);
      const w = factWindow(asOf, decl.window ?? policy.spec.window ?? DEFAULT_WINDOW, decl.offset);
      const values: Array<{ employeeId: string; group: string | undefined; fact: ResolvedFact }> = [];
      for (const e of scope) {
        const records: Record<string, Array<{ occurredAt: string; payload: Record<string, unknown> }>> = {};
        for (const kind of aggregateRecordKinds(metric.aggregate as AggregateExpression, metric.recordKind)) {
          const rows = (await store.query<{ occurred_at: string; payload: Record<string, unknown> }>(
            'SELECT occurred_at, payload FROM records WHERE kind = $1 AND employee_id = $2 AND occurred_at >= $3 AND occurred_at < $4',
            [kind, e.id, w.from.toISOString(), w.to.toISOString()],
          )).rows;
          queries++;
          records[kind] = rows.map((r) => ({ occurredAt: String(r.occurred_at), payload: r.payload }));
        }
        const r = resolveMetric(evaluateAggregate(metric.aggregate as AggregateExpression, { kind: metric.recordKind, records }, params), decl.minSamples ?? metric.defaultMinSamples);
        const fact: ResolvedFact = r.status === 'ok' ? { status: 'ok', value: r.value, samples: r.samples } : { status: 'insufficient', samples: r.samples };
        values.push({ employeeId: e.id, group: e.team, fact });
      }
      const final = decl.percentileWithin ? percentileRanks(values, { metric, within: decl.percentileWithin, minGroupSize: decl.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE }) : new Map(values.map((v) => [v.employeeId, v.fact]));
      for (const [id, f] of final) facts.get(id)!.set(name, f);
    }
    for (const e of scope) {
      const rows = (await store.query<{ type: string; status: string }>('SELECT type, status FROM cases WHERE employee_id = $1 AND opened_at < $2', [e.id, asOf.toISOString()])).rows;
      queries++;
      const f = facts.get(e.id)!;
      f.set('history.coaching.completed', { status: 'ok', value: rows.filter((c) => c.type === 'coaching' && c.status === 'completed').length });
      f.set('history.coaching.completed?{"window":"180d"}', { status: 'ok', value: rows.filter((c) => c.type === 'coaching' && c.status === 'completed').length });
      f.set('history.pip.isActive', { status: 'ok', value: rows.some((c) => c.type === 'pip' && c.status === 'active') });
    }
    computeMs += performance.now() - t;
    t = performance.now();
    for (const e of scope) {
      const compiled = compilePolicy(policy, set.registry); // a new Engine per employee
      fired += (await evaluate(compiled, employeeFactsOf(e, asOf), facts.get(e.id)!)).fired.length;
    }
    decideMs += performance.now() - t;
  }
  return { queries, computeMs: Math.round(computeMs), decideMs: Math.round(decideMs), totalMs: Math.round(computeMs + decideMs), fired };
}
