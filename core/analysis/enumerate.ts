// Walks every combination of cells of some fact keys and evaluates the policy on each with the
// compiled fast path (the same three-valued operators and hit policy a run uses). The work is
// bounded: a question over more combinations than MAX_COMBINATIONS is left undecided.
import type { CompiledPolicy } from '../evaluate/compile.ts';
import { applyHitPolicy, type RuleExplanation } from '../evaluate/evaluate.ts';
import { compileFast, type FastPolicy } from '../evaluate/fast.ts';
import type { FactStatus } from '../evaluate/facts.ts';
import type { Tri } from '../evaluate/operators.ts';
import type { CellValue } from './cells.ts';

export const MAX_COMBINATIONS = 200_000;
/** All the questions of one policy together, so that validate stays quick in the editor. */
export const MAX_TOTAL_COMBINATIONS = 2_000_000;

/** One combination: a value (or missing) per fact key; keys left out are missing. */
export type Assignment = ReadonlyMap<string, CellValue>;

export interface CellEvaluator {
  /** Each rule's three-valued result, by rule index. */
  tris(a: Assignment): readonly Tri[];
  /** The rules that count under the hit policy, by rule index. */
  counted(a: Assignment): ReadonlySet<number>;
}

export function cellEvaluator(compiled: CompiledPolicy): CellEvaluator {
  const fast: FastPolicy = compileFast(compiled);
  const values: unknown[] = new Array(fast.keys.length);
  const statuses: FactStatus[] = new Array(fast.keys.length);
  const tris: Tri[] = new Array(compiled.rules.length).fill(false);
  const errors: boolean[] = new Array(compiled.rules.length).fill(false);
  const run = (a: Assignment) => {
    fast.keys.forEach((k, i) => {
      const v = a.get(k);
      values[i] = v;
      statuses[i] = v === undefined ? 'missing' : 'ok';
    });
    fast.evaluateAll(values, statuses, tris, errors);
    return tris;
  };
  return {
    tris: run,
    counted(a) {
      run(a);
      const out = new Set<number>();
      const explain = (r: { index: number }, _s: unknown, counted: boolean) => {
        if (counted) out.add(r.index);
        return {} as RuleExplanation;
      };
      applyHitPolicy(compiled, tris, errors, explain, false);
      return out;
    },
  };
}

/**
 * Calls `visit` with every combination of the keys' cells until it returns true, in row-major
 * order (the last key changes fastest; ./gaps.ts counts on it). Returns
 * 'stopped' when `visit` stopped it, 'done' when all were seen, 'too-large' when there are more
 * than MAX_COMBINATIONS or than the `budget` left (then nothing is visited).
 */
export function enumerate(keys: readonly string[], cells: ReadonlyMap<string, readonly CellValue[]>, visit: (a: Assignment) => boolean, budget?: { left: number }): 'stopped' | 'done' | 'too-large' {
  const lists = keys.map((k) => cells.get(k) ?? [undefined]);
  const count = lists.reduce((n, l) => n * l.length, 1);
  if (count > MAX_COMBINATIONS || (budget && count > budget.left)) return 'too-large';
  if (budget) budget.left -= count;
  const a = new Map<string, CellValue>();
  const step = (i: number): boolean => {
    if (i === keys.length) return visit(a);
    for (const v of lists[i]) {
      a.set(keys[i], v);
      if (step(i + 1)) return true;
    }
    return false;
  };
  return step(0) ? 'stopped' : 'done';
}
