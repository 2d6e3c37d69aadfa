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
  // Five rounds, the engines alternating, the median of each: one round is at the mercy of the
  // JIT and of whatever else the machine is doing.
  const rounds: Record<string, Array<{ ms: number; decisions: number }>> = { compiled: [], threaded: [], reference: [] };
  for (let i = 0; i < 5; i++) {
    rounds.compiled.push(await time('compiled', Infinity));
    rounds.threaded.push(await time('compiled', 1));
    rounds.reference.push(await time('reference', Infinity));
  }
  const median = (xs: Array<{ ms: number; decisions: number }>) => [...xs].sort((a, b) => a.ms - b.ms)[2];
  const compiled = median(rounds.compiled);
  const threaded = median(rounds.threaded);
  const reference = median(rounds.reference);
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
