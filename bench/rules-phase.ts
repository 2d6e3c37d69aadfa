// The rules phase alone, on the same policies and precomputed facts, two ways:
// - engine: each employee's rules evaluated and the rules a run keeps returned (with their
//   explanations, built lazily on the fast path): json-rules-engine (`evaluate`) against the
//   compiled fast path (`decideFast`). This is what the engines themselves cost.
// - decide: the whole decide phase of each policy (`decidePolicy`), the engine plus the run's
//   Decision records, the same work for both engines; and the fast path on worker threads.
import type { Store } from '../core/store/store.ts';
import type { PluginSet } from '../core/plugins/discovery.ts';
import type { Policy } from '../core/policy/types.ts';
import type { ResolvedFact } from '../core/evaluate/facts.ts';
import { evaluate } from '../core/evaluate/evaluate.ts';
import { decideFast, fastPolicy } from '../core/evaluate/fast.ts';
import { decidePolicy } from '../core/run/decide.ts';
import { computedFacts } from './facts.ts';

type Round = { ms: number; kept: number };
type Way = 'engineCompiled' | 'engineReference' | 'decideCompiled' | 'decideThreaded' | 'decideReference';

export async function rulesPhase(store: Store, policies: Policy[], set: PluginSet, asOf: Date) {
  const runs = await computedFacts(store, policies, set, asOf);
  const none = new Map<string, ResolvedFact>();
  // The fast path is synchronous: its loop is a plain function, as in decidePolicy.
  const engineCompiled = (): Round => {
    const t = performance.now();
    let kept = 0;
    for (const { plan, facts } of runs) {
      const fast = fastPolicy(plan.compiled);
      const employees = plan.employees;
      for (let i = 0; i < employees.length; i++) kept += decideFast(fast, plan.employeeFacts[i], facts.get(employees[i].id) ?? none).rules.length;
    }
    return { ms: performance.now() - t, kept };
  };
  const engineReference = async (): Promise<Round> => {
    const t = performance.now();
    let kept = 0;
    for (const { plan, facts } of runs) {
      for (let i = 0; i < plan.employees.length; i++) {
        const result = await evaluate(plan.compiled, plan.employeeFacts[i], facts.get(plan.employees[i].id) ?? none);
        kept += result.rules.filter((r) => r.status !== 'not-fired').length;
      }
    }
    return { ms: performance.now() - t, kept };
  };
  const decide = async (which: 'compiled' | 'reference', threshold: number): Promise<Round> => {
    const t = performance.now();
    let kept = 0;
    for (const { plan, facts } of runs) kept += (await decidePolicy(plan, facts, which, threshold)).decisions.length;
    return { ms: performance.now() - t, kept };
  };
  const ways: Record<Way, () => Promise<Round>> = {
    engineCompiled: async () => engineCompiled(),
    engineReference,
    decideCompiled: () => decide('compiled', Infinity),
    decideThreaded: () => decide('compiled', 1),
    decideReference: () => decide('reference', Infinity),
  };
  // Three untimed rounds first: the JIT optimises each way's code after a few thousand calls.
  // Then seven rounds, the ways alternating, the median of each way's samples: one round is at the mercy of
  // whatever else the machine is doing. Each starts on a collected heap (`npm run bench` exposes
  // gc), so that no way pays for the garbage another left.
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const rounds = Object.fromEntries(Object.keys(ways).map((w) => [w, [] as Round[]])) as Record<Way, Round[]>;
  // The compiled ways take a few milliseconds: each round times them ten times over (more
  // samples of a short interval, the same median).
  const reps = (name: Way) => (name === 'engineCompiled' || name === 'decideCompiled' ? 10 : 1);
  for (let i = 0; i < 10; i++) {
    for (const [name, way] of Object.entries(ways) as Array<[Way, () => Promise<Round>]>) {
      gc();
      for (let k = 0; k < reps(name); k++) {
        const r = await way();
        if (i >= 3) rounds[name].push(r);
      }
    }
  }
  const median = (xs: Round[]) => [...xs].sort((a, b) => a.ms - b.ms)[xs.length >> 1];
  const m = Object.fromEntries(Object.entries(rounds).map(([k, v]) => [k, median(v)])) as Record<Way, Round>;
  if (new Set(Object.values(m).map((r) => r.kept)).size !== 1) {
    throw new Error(`the engines disagree on the rules kept: ${JSON.stringify(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.kept])))}`);
  }
  const evaluations = runs.reduce((s, r) => s + r.plan.employees.length, 0);
  const micros = (ms: number) => Math.round((ms * 1000 / evaluations) * 100) / 100;
  return {
    evaluations,
    kept: m.engineCompiled.kept,
    engine: {
      compiledMs: Math.round(m.engineCompiled.ms * 10) / 10,
      referenceMs: Math.round(m.engineReference.ms),
      speedup: Math.round(m.engineReference.ms / m.engineCompiled.ms),
      compiledMicrosPerEvaluation: micros(m.engineCompiled.ms),
      referenceMicrosPerEvaluation: micros(m.engineReference.ms),
    },
    decide: {
      compiledMs: Math.round(m.decideCompiled.ms * 10) / 10,
      threadedMs: Math.round(m.decideThreaded.ms * 10) / 10,
      referenceMs: Math.round(m.decideReference.ms),
      speedup: Math.round(m.decideReference.ms / m.decideCompiled.ms),
      compiledMicrosPerEvaluation: micros(m.decideCompiled.ms),
    },
  };
}
