// The compute phase's declarative metrics two ways, side by side on one store: one query per
// request, and requests that read the same records sharing a scan (what a run does).
// Usage: npm run bench -- --size S --keep DIR   (once, to generate and import the organisation)
//        node --import tsx bench/scans.ts DIR/S-10000 [rounds]
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync, readdirSync } from 'node:fs';
import { openStore } from '../core/store/store.ts';
import { migrate } from '../core/store/migrate.ts';
import { discoverPlugins } from '../core/plugins/discovery.ts';
import { loadPolicyText } from '../core/policy/load.ts';
import { compilePolicy } from '../core/evaluate/compile.ts';
import { loadEmployees } from '../core/run/employees.ts';
import { planRun } from '../core/run/plan.ts';
import { computeDeclarative, computeDeclarativeRequests, scansOf } from '../core/run/compute-declarative.ts';
import type { AggregateExpression } from '../core/metrics/aggregate.ts';

const AS_OF = new Date('2026-10-01T00:00:00Z');
const dir = process.argv[2];
if (!dir) throw new Error('usage: node --import tsx bench/scans.ts DIR/S-10000 [rounds] (a folder kept by npm run bench -- --keep DIR)');
const rounds = Number(process.argv[3] ?? 5);
const store = await openStore({ dataDir: join(dir, 'store'), databaseUrl: '' });
await migrate(store);
const set = await discoverPlugins();
const rulesDir = fileURLToPath(new URL('../rules/', import.meta.url));
const policies = readdirSync(rulesDir).filter((f) => f.endsWith('.policy.yaml')).sort().map((f) => loadPolicyText(f, readFileSync(join(rulesDir, f), 'utf8'), set.registry).policy!);
const plan = planRun(AS_OF, policies.map((p) => ({ compiled: compilePolicy(p, set.registry), version: 1 })), await loadEmployees(store), set.metrics);
const requests = [...plan.requests.values()].filter((r) => r.metric.aggregate !== undefined);
const scans = scansOf(requests);
console.log(`${requests.length} declarative requests in ${scans.length} scans:`);
for (const s of scans) console.log(`  ${s.map((r) => `${r.metric.id} ${r.window.from.toISOString().slice(0, 10)}…${r.window.to.toISOString().slice(0, 10)}`).join(' + ')}`);

const separate = async () => {
  for (const r of requests) {
    const ids = r.employeeIds.size * 2 < plan.employeeCount ? [...r.employeeIds] : undefined;
    await computeDeclarative(store, r.metric.aggregate as AggregateExpression, r.metric.recordKind, r.params, r.window, ids);
  }
};
const shared = () => computeDeclarativeRequests(store, requests, plan.employeeCount);
const times: Record<string, number[]> = { separate: [], shared: [] };
await separate(); // warm the caches once
for (let i = 0; i < rounds; i++) {
  for (const [name, way] of [['separate', separate], ['shared', shared]] as const) {
    const t = performance.now();
    await way();
    times[name].push(performance.now() - t);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const [a, b] = [median(times.separate), median(times.shared)];
console.log(`one query per request: ${Math.round(a)} ms; shared scans: ${Math.round(b)} ms (${(a / b).toFixed(2)}×), median of ${rounds}`);
await store.close();
