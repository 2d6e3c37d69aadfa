// A decide worker: evaluates a slice of a policy's employees on the fast path and returns the
// rules that did not simply stay unfired, with their explanations, for the main thread to merge.
import { parentPort } from 'node:worker_threads';
import { compilePolicy } from './compile.ts';
import { compileFast, decideFast, type FastPolicy } from './fast.ts';
import { createRegistry, type MetricInfo } from '../registry/registry.ts';
import type { Policy } from '../policy/types.ts';
import type { EmployeeFacts, ResolvedFact } from './facts.ts';
import type { SliceRequest, SliceResult } from './parallel.ts';

let cached: { key: string; fast: FastPolicy } | undefined;

parentPort!.on('message', (req: SliceRequest) => {
  try {
    if (cached?.key !== req.policyKey) {
      const registry = createRegistry({ metrics: req.metrics as MetricInfo[] });
      cached = { key: req.policyKey, fast: compileFast(compilePolicy(req.policy as Policy, registry)) };
    }
    const out: SliceResult = { id: req.id, results: [], errors: 0 };
    for (const e of req.employees) {
      const r = decideFast(cached.fast, e.employee as EmployeeFacts, new Map(e.facts as Array<[string, ResolvedFact]>));
      if (r.hasErrors) out.errors++;
      const kept = r.rules.map(({ ruleId, priority, outcome, status, counted, reason, conditions }) => ({ ruleId, priority, outcome, status, counted, reason, conditions }));
      if (kept.length) out.results.push({ index: e.index, rules: kept });
    }
    parentPort!.postMessage(out);
  } catch (err) {
    parentPort!.postMessage({ id: req.id, error: (err as Error).message });
  }
});
