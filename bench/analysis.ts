// What `validate` (and the editor, on each pause in typing) spends on the static analysis of the
// shipped policies: analyzePolicy per policy, warm, median and p95 of N runs, with the number of
// gap regions found. Prints figures; asserts nothing.
// Usage: node --import tsx bench/analysis.ts [--runs N]
import { fileURLToPath } from 'node:url';
import { analyzePolicy } from '../core/analysis/analyze.ts';
import { compilePolicy } from '../core/evaluate/compile.ts';
import { registryFromManifests } from '../core/plugins/catalogue.ts';
import { loadWorkspace } from '../core/policy/workspace.ts';
import { loadAverage, summary } from './stats.ts';

const i = process.argv.indexOf('--runs');
const RUNS = i >= 0 ? Number(process.argv[i + 1]) : 30;
const registry = await registryFromManifests();
const ws = await loadWorkspace([fileURLToPath(new URL('../rules/', import.meta.url))], registry);
console.log(`Static analysis of the shipped policies, ${RUNS} runs each (Node ${process.version}, load average ${loadAverage().join(' ')})`);
for (const [id, loaded] of ws.byId) {
  const compiled = compilePolicy(loaded.policy, registry);
  const samples: number[] = [];
  let regions: number | string = 0;
  analyzePolicy(compiled, registry); // warm-up
  for (let n = 0; n < RUNS; n++) {
    const t = performance.now();
    const a = analyzePolicy(compiled, registry);
    samples.push(performance.now() - t);
    regions = 'gaps' in a ? (a as { gaps: { regions: unknown[] } }).gaps.regions.length : 'n/a';
  }
  const s = summary(samples);
  console.log(`  ${id}: median ${s.p50Ms} ms, p95 ${s.p95Ms} ms; gap regions: ${regions}`);
}
