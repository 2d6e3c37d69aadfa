// Gap notes: the regions of fact values where no rule applies, for people with a value for every
// fact the rules read. The cells of ./cells.ts decide it exactly: every combination of decided
// cells is evaluated, the ones where no rule holds are gathered, and neighbouring cells are merged
// into disjoint boxes (a range of each number, a set of each text) so that a reader sees a few
// regions rather than one per cell.
// Missing data is left out on purpose: "no outcome without data" is the rule, not a gap.
import type { CompiledPolicy } from '../evaluate/compile.ts';
import { formatValue } from '../evaluate/explain-text.ts';
import { factTypeIn } from '../policy/check.ts';
import type { Registry } from '../registry/registry.ts';
import { constantsByKey, type CellValue } from './cells.ts';
import { enumerate, type Assignment, type CellEvaluator } from './enumerate.ts';
import { witnessOf, type Witness } from './witness.ts';

/** A bound of a number: the value, and whether the value itself is inside. */
export interface Bound {
  value: number;
  included: boolean;
}

/** What a region allows of one fact: a range of a number, or some values of a text or yes/no. */
export type FactLimit =
  | { fact: string; from?: Bound; to?: Bound }
  | { fact: string; among: Array<string | boolean> }
  | { fact: string; notAmong: string[] };

export interface GapRegion {
  /** Per fact the region limits; a fact any value of which is in the region is left out. */
  limits: FactLimit[];
  /** The limits in words, one phrase per fact (`csat is at least 3.8 and below 4.5`). */
  where: string[];
  /** Fact values inside the region, for `explain`; absent only when no value of it can be given as one value per fact name. */
  witness?: Witness;
}

export interface GapReport {
  /** The fact names considered (each with a value). */
  facts: string[];
  regions: GapRegion[];
  /** Why the gaps could not be worked out (or not all of them); then `regions` holds only proven ones. */
  undecided?: string;
}

/** A region in cell indices: per key, the sorted indices of its cells (a contiguous run for numbers). */
type Box = number[][];

interface KeyInfo {
  key: string;
  fact: string;
  values: CellValue[];
  /** The interval each cell stands for, for numbers. */
  spans?: Array<{ low?: number; lowIn: boolean; high?: number; highIn: boolean }>;
  unit?: string;
}

export function policyGaps(
  compiled: CompiledPolicy,
  registry: Registry,
  cells: ReadonlyMap<string, readonly CellValue[]>,
  evaluator: CellEvaluator,
  keyFact: ReadonlyMap<string, string>,
  undecidableRule: { id: string; reason: string } | undefined,
  budget: { left: number },
): GapReport {
  const keys = [...cells.keys()].sort();
  const facts = [...new Set(keys.map((k) => keyFact.get(k) ?? k))];
  if (undecidableRule) return { facts, regions: [], undecided: `the rule \`${undecidableRule.id}\` cannot be reasoned about (${undecidableRule.reason})` };
  const constants = constantsByKey(compiled, registry);
  const infos = keys.map((key) => keyInfo(compiled, registry, key, keyFact.get(key) ?? key, cells.get(key)!.filter((v) => v !== undefined), constants.get(key)?.values ?? []));
  const decided = new Map(infos.map((i) => [i.key, i.values]));
  // enumerate visits combinations in row-major order (the last key fastest), so the n-th visit is cell n of the grid.
  const grid = new Uint8Array(infos.reduce((n, i) => n * i.values.length, 1));
  let at = 0;
  let open = 0;
  const r = enumerate(keys, decided, (a) => {
    const tris = evaluator.tris(a);
    if (!tris.some((t) => t === true)) {
      if (tris.some((t) => t === undefined)) open++;
      else grid[at] = 1;
    }
    at++;
    return false;
  }, budget);
  if (r === 'too-large') return { facts, regions: [], undecided: 'there are too many combinations of values to work out where no rule applies' };
  const regions = merge(slices(grid, infos), infos).map((box) => ({ ...describe(box, infos), ...withWitness(box, infos, keyFact) }));
  return { facts, regions, ...(open ? { undecided: `${open} combination(s) of values could not be decided` } : {}) };
}

function keyInfo(compiled: CompiledPolicy, registry: Registry, key: string, fact: string, values: CellValue[], constants: ReadonlyArray<string | number | boolean>): KeyInfo {
  const type = factTypeIn(compiled.policy, registry, fact);
  const info: KeyInfo = { key, fact, values, unit: type?.unit };
  if (type?.type !== 'number') return info;
  const cuts = [...new Set(constants.filter((c): c is number => typeof c === 'number'))].sort((a, b) => a - b);
  const [lo, hi] = type.range ?? [undefined, undefined];
  // A cell is a threshold itself, or the open stretch between two (the range's ends close the outer ones).
  info.spans = values.map((v) => {
    const n = v as number;
    if (cuts.includes(n)) return { low: n, lowIn: true, high: n, highIn: true };
    const below = cuts.filter((c) => c < n).pop();
    const above = cuts.find((c) => c > n);
    return { low: below ?? lo ?? undefined, lowIn: below === undefined, high: above ?? hi ?? undefined, highIn: above === undefined };
  });
  return info;
}

/**
 * The gap cells of the grid as disjoint boxes, by slicing along the first key: slices whose
 * gaps are the same boxes of the other keys join (when neighbours, for a number). Linear in
 * the cells, so that merge() below starts from a few boxes rather than one per cell.
 */
function slices(grid: Uint8Array, infos: KeyInfo[]): Box[] {
  const stride = infos.map((_, d) => infos.slice(d + 1).reduce((n, i) => n * i.values.length, 1));
  const boxesOf = (d: number, offset: number): Box[] => {
    if (d === infos.length) return grid[offset] ? [[]] : [];
    const groups: Array<{ indices: number[]; sub: Box[]; sig: string }> = [];
    const bySig = new Map<string, { indices: number[]; sub: Box[]; sig: string }>();
    let previous: { indices: number[]; sub: Box[]; sig: string } | undefined;
    for (let i = 0; i < infos[d].values.length; i++) {
      const sub = boxesOf(d + 1, offset + i * stride[d]);
      if (sub.length === 0) {
        previous = undefined;
        continue;
      }
      const sig = sub.map((b) => b.map((x) => x.join(',')).join('|')).join(';');
      // a number joins only its neighbour's group (a range); a text or yes/no any group (a set)
      let g = infos[d].spans ? (previous?.sig === sig ? previous : undefined) : bySig.get(sig);
      if (g) g.indices.push(i);
      else {
        g = { indices: [i], sub, sig };
        groups.push(g);
        bySig.set(sig, g);
      }
      previous = g;
    }
    return groups.flatMap((g) => g.sub.map((b) => [g.indices, ...b]));
  };
  return boxesOf(0, 0);
}

/**
 * Merges boxes along one key at a time until nothing changes: boxes equal on every other key
 * join when their runs of a number touch, and always for a text or yes/no (a set has no order).
 * Each key's set is also kept as text, so that grouping by the other keys is a string join.
 */
function merge(boxes: Box[], infos: KeyInfo[]): Box[] {
  type Keyed = { sets: Box; sig: string[] };
  const keyed = (sets: Box): Keyed => ({ sets, sig: sets.map((x) => x.join(',')) });
  const widened = (b: Keyed, d: number, set: number[]): Keyed => {
    const sets = b.sets.slice();
    sets[d] = set;
    const sig = b.sig.slice();
    sig[d] = set.join(',');
    return { sets, sig };
  };
  let current = boxes.map(keyed);
  for (let changed = true; changed; ) {
    changed = false;
    for (let d = 0; d < infos.length; d++) {
      const groups = new Map<string, Keyed[]>();
      for (const b of current) {
        const k = b.sig.filter((_, e) => e !== d).join('|');
        const group = groups.get(k);
        if (group) group.push(b);
        else groups.set(k, [b]);
      }
      const next: Keyed[] = [];
      for (const group of groups.values()) {
        if (group.length === 1) next.push(group[0]);
        else if (!infos[d].spans) next.push(widened(group[0], d, [...new Set(group.flatMap((b) => b.sets[d]))].sort((x, y) => x - y)));
        else {
          group.sort((x, y) => x.sets[d][0] - y.sets[d][0]);
          let run = group[0];
          for (const b of group.slice(1)) {
            const s = run.sets[d];
            if (s[s.length - 1] + 1 === b.sets[d][0]) run = widened(run, d, [...s, ...b.sets[d]]);
            else {
              next.push(run);
              run = b;
            }
          }
          next.push(run);
        }
      }
      if (next.length < current.length) changed = true;
      current = next;
    }
  }
  return current.map((b) => b.sets).sort(compareBoxes);
}

function compareBoxes(x: Box, y: Box): number {
  for (let d = 0; d < x.length; d++) if (x[d][0] !== y[d][0]) return x[d][0] - y[d][0];
  return 0;
}

function limitsOf(box: Box, infos: KeyInfo[]): FactLimit[] {
  const out: FactLimit[] = [];
  box.forEach((set, d) => {
    const info = infos[d];
    if (set.length === info.values.length) return;
    if (info.spans) {
      const first = info.spans[set[0]];
      const last = info.spans[set[set.length - 1]];
      // The lowest and highest cells reach to the end of the range: no bound on that side.
      out.push({
        fact: info.fact,
        ...(set[0] === 0 ? {} : { from: { value: first.low!, included: first.lowIn } }),
        ...(set[set.length - 1] === info.values.length - 1 ? {} : { to: { value: last.high!, included: last.highIn } }),
      });
      return;
    }
    // The last cell of a text fact stands for every text no rule names.
    const other = typeof info.values[0] === 'boolean' ? -1 : info.values.length - 1;
    if (!set.includes(other)) out.push({ fact: info.fact, among: set.map((n) => info.values[n] as string | boolean) });
    else out.push({ fact: info.fact, notAmong: info.values.filter((_, n) => n !== other && !set.includes(n)) as string[] });
  });
  return out;
}

function words(limit: FactLimit, unit: string | undefined): string {
  const shown = (vals: Array<string | boolean>) => vals.map((x) => (typeof x === 'boolean' ? (x ? 'yes' : 'no') : formatValue(x))).join(' or ');
  if ('among' in limit) return `${limit.fact} is ${shown(limit.among)}`;
  if ('notAmong' in limit) return `${limit.fact} is not ${shown(limit.notAmong)}`;
  const v = (n: number) => formatValue(n, unit);
  const { from, to } = limit;
  if (from && to && from.value === to.value) return `${limit.fact} is exactly ${v(from.value)}`;
  const low = from && `${from.included ? 'at least' : 'above'} ${v(from.value)}`;
  const high = to && `${to.included ? 'at most' : 'below'} ${v(to.value)}`;
  return `${limit.fact} is ${[low, high].filter(Boolean).join(' and ')}`;
}

function describe(box: Box, infos: KeyInfo[]): Pick<GapRegion, 'limits' | 'where'> {
  const limits = limitsOf(box, infos);
  const limited = infos.filter((_, d) => box[d].length !== infos[d].values.length);
  return { limits, where: limits.map((l, i) => words(l, limited[i].unit)) };
}

/** The first cell of the box that `explain` can replay (one value per fact name). */
function withWitness(box: Box, infos: KeyInfo[], keyFact: ReadonlyMap<string, string>): { witness?: Witness } {
  let witness: Witness | undefined;
  const cells = new Map(infos.map((info, d) => [info.key, box[d].map((n) => info.values[n])]));
  enumerate(infos.map((i) => i.key), cells, (a: Assignment) => (witness = witnessOf(a, keyFact)) !== undefined);
  return witness ? { witness } : {};
}
