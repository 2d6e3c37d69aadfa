import { join } from 'node:path';
import { readFileSync, readdirSync } from 'node:fs';
import { openStore } from '../core/store/store.ts';
import { discoverPlugins } from '../core/plugins/discovery.ts';
import { loadPolicyText } from '../core/policy/load.ts';
import { compilePolicy } from '../core/evaluate/compile.ts';
import { loadEmployees } from '../core/run/employees.ts';
import { planRun } from '../core/run/plan.ts';
import { computeRequests } from '../core/run/compute.ts';
import { floorEvaluation } from './floor.ts';
import { computeDeclarative, scansOf } from '../core/run/compute-declarative.ts';
import type { AggregateExpression } from '../core/metrics/aggregate.ts';
const AS_OF = new Date('2026-10-01T00:00:00Z');
const store = await openStore({ dataDir: '/tmp/bk/S-10000/store', databaseUrl: '' });
const set = await discoverPlugins();
const policies = readdirSync('rules').filter((f) => f.endsWith('.policy.yaml')).sort().map((f) => loadPolicyText(f, readFileSync(join('rules', f), 'utf8'), set.registry).policy!);
const plan = planRun(AS_OF, policies.map((p) => ({ compiled: compilePolicy(p, set.registry), version: 1 })), await loadEmployees(store), set.metrics);
const reqs = [...plan.requests.values()].filter((r) => r.metric.aggregate);
console.log(scansOf(reqs).map((s) => s.map((r) => r.key).join(' + ')).join('\n'));
for (let i = 0; i < 3; i++) {
  let t = performance.now();
  for (const r of reqs) {
    const t1 = performance.now();
    await computeDeclarative(store, r.metric.aggregate as AggregateExpression, r.metric.recordKind, r.params, r.window, r.employeeIds.size * 2 < plan.employeeCount ? [...r.employeeIds] : undefined);
    if (i === 2) console.log(`  ${r.key}: ${Math.round(performance.now() - t1)} ms`);
  }
  console.log(`separate ${Math.round(performance.now() - t)} ms`);
  t = performance.now();
  await computeRequests(store, plan, undefined);
  const c = performance.now() - t;
  const f = await floorEvaluation(store, AS_OF);
  console.log(`compute ${Math.round(c)} ms, floor compute ${f.computeMs} ms, ratio ${(c / f.computeMs).toFixed(2)}`);
}
await store.close();
