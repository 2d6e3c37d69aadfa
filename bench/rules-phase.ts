// The rules phase alone, on the same policies and precomputed facts: the compiled fast path
// against json-rules-engine, and the fast path split across worker threads.
import type { Store } from '../core/store/store.ts';
import type { PluginSet } from '../core/plugins/discovery.ts';
import type { Policy } from '../core/policy/types.ts';
import { decidePolicy } from '../core/run/decide.ts';
import { computedFacts } from './facts.ts';

export async function rulesPhase(store: Store, policies: Policy[], set: PluginSet, asOf: Date) {
  const runs = await computedFacts(store, policies, set, asOf);
  const time = async (engine: 'compiled' | 'reference', threshold: number) => {
    const t = performance.now();
    let decisions = 0;
    for (const { plan, facts } of runs) decisions += (await decidePolicy(plan, facts, asOf, engine, threshold)).decisions.length;
    return { ms: performance.now() - t, decisions };
  };
  await time('compiled', Infinity); // warm up
  const compiled = await time('compiled', Infinity);
  const threaded = await time('compiled', 1);
  const reference = await time('reference', Infinity);
  if (compiled.decisions !== reference.decisions || threaded.decisions !== compiled.decisions) {
    throw new Error(`the engines disagree: ${compiled.decisions} / ${threaded.decisions} / ${reference.decisions} decisions`);
  }
  const evaluations = runs.reduce((s, r) => s + r.plan.employees.length, 0);
  return {
    evaluations,
    compiledMs: Math.round(compiled.ms * 10) / 10,
    threadedMs: Math.round(threaded.ms * 10) / 10,
    referenceMs: Math.round(reference.ms),
    speedup: Math.round(reference.ms / compiled.ms),
    compiledMicrosPerEvaluation: Math.round((compiled.ms * 1000 / evaluations) * 100) / 100,
    referenceMicrosPerEvaluation: Math.round((reference.ms * 1000 / evaluations) * 10) / 10,
  };
}
