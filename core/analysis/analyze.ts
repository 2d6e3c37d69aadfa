// Static analysis of a checked policy by cell enumeration (./cells.ts): rules that can never
// apply, conditions that always hold, thresholds on the wrong side of a metric's direction,
// recognition and support outcomes that can meet under `collect`, and rules that higher ones
// always catch under `first`. Each finding carries fact values (a witness) that `explain`
// replays; a rule the cells cannot reason about is listed as undecided, never claimed.
import type { CompiledPolicy } from '../evaluate/compile.ts';
import type { Registry, Direction } from '../registry/registry.ts';
import type { PathSegment } from '../policy/yaml-source.ts';
import { cellsByKey, ruleLeaves, collectLeaves, type AnalysedLeaf, type CellValue, type RuleLeaves } from './cells.ts';
import { cellEvaluator, enumerate as enumerateAll, MAX_TOTAL_COMBINATIONS, type Assignment } from './enumerate.ts';
import { describeWitness, witnessOf, type Witness } from './witness.ts';
import { policyGaps, type GapReport } from './gaps.ts';

export type FindingKind = 'never-applies' | 'always-true' | 'wrong-direction' | 'conflicting-outcomes' | 'unreachable';

export interface Finding {
  kind: FindingKind;
  ruleId: string;
  /** Where in the policy text: the rule, or the leaf condition. */
  path: PathSegment[];
  message: string;
  /** Fact values that show the finding (none for a rule that can never apply). */
  witness?: Witness;
  /** The other rules involved (the rule it conflicts with, the higher rules that catch it). */
  others?: string[];
}

export interface Analysis {
  findings: Finding[];
  /** Questions left open, with why: a leaf the cells cannot reason about, or too many combinations. A question about the whole policy (its gaps) has no rule. */
  undecided: Array<{ ruleId?: string; reason: string }>;
  /** Where no rule applies to people with a value for every fact (information, not a problem). */
  gaps: GapReport;
}

const LESS = new Set(['lessThan', 'lessThanInclusive']);
const GREATER = new Set(['greaterThan', 'greaterThanInclusive']);

function directionOf(compiled: CompiledPolicy, registry: Registry, fact: string): Direction | undefined {
  const decl = compiled.policy.spec.facts?.[fact];
  if (!decl) return undefined;
  if (decl.percentileWithin) return 'higherIsBetter';
  return registry.metrics.get(decl.metric)?.direction;
}

const opWords: Record<string, string> = { lessThan: 'below', lessThanInclusive: 'at or below', greaterThan: 'above', greaterThanInclusive: 'at or above' };

export function analyzePolicy(compiled: CompiledPolicy, registry: Registry): Analysis {
  const findings: Finding[] = [];
  const undecided: Analysis['undecided'] = [];
  const cells = cellsByKey(compiled, registry);
  const budget = { left: MAX_TOTAL_COMBINATIONS };
  const enumerate: Enumerate = (keys, c, visit) => enumerateAll(keys, c, visit, budget);
  const evaluator = cellEvaluator(compiled);
  const rules = compiled.rules.map((r, i) => ({ id: r.rule.id, outcome: r.rule.then.outcome, ...ruleLeaves(compiled, i, registry) }));
  const keyFact = new Map<string, string>();
  for (const r of rules) for (const l of r.leaves) keyFact.set(l.key, l.leaf.fact);
  const factsOf = (keys: Iterable<string>) => [...new Set([...keys].map((k) => keyFact.get(k) ?? k))];
  const rulePath = (i: number): PathSegment[] => ['spec', 'rules', i];
  const tooLarge = (ruleId: string) => undecided.push({ ruleId, reason: 'too many combinations of values to decide' });

  /** The first replayable combination of `keys` that `holds`, or 'none' / 'too-large'. */
  const find = (keys: string[], holds: (a: Assignment) => boolean): Witness | 'none' | 'too-large' => {
    let found: Witness | undefined;
    const r = enumerate(keys, cells, (a) => {
      if (!holds(a)) return false;
      found = witnessOf(a, keyFact);
      return found !== undefined;
    });
    return r === 'too-large' ? 'too-large' : found ?? 'none';
  };

  const applies = new Map<number, boolean>();
  rules.forEach((r, i) => {
    if (r.undecidable) {
      undecided.push({ ruleId: r.id, reason: r.undecidable });
      return;
    }
    const w = find(r.keys, (a) => evaluator.tris(a)[i] === true);
    if (w === 'too-large') return tooLarge(r.id);
    applies.set(i, w !== 'none');
    if (w === 'none') {
      findings.push({ kind: 'never-applies', ruleId: r.id, path: rulePath(i), message: `The rule \`${r.id}\` can never apply: no values of ${factsOf(r.keys).map((f) => `\`${f}\``).join(', ')} make its conditions hold together. Check its thresholds and all/any.` });
    }
  });

  alwaysTrueLeaves(compiled, registry, cells, findings, rules);

  // Thresholds on the wrong side: a recognition rule that needs a worse value, or support that needs a better one.
  rules.forEach((r, i) => {
    if (!applies.get(i)) return;
    const seen = new Set<string>();
    for (const l of r.leaves) {
      const base = l.leaf.operator.split(':').pop()!;
      const direction = directionOf(compiled, registry, l.leaf.fact);
      if (!direction || !(LESS.has(base) || GREATER.has(base)) || seen.has(JSON.stringify(l.path))) continue;
      seen.add(JSON.stringify(l.path));
      const lowSide = LESS.has(base) === l.positive;
      const badSide = lowSide === (direction === 'higherIsBetter');
      const recognition = r.outcome === 'recognition';
      if (badSide !== recognition) continue;
      const op = compiled.operators.get(l.leaf.operator)!;
      const w = find(r.keys, (a) => evaluator.tris(a)[i] === true && op(a.get(l.key), l.leaf.value) === l.positive);
      if (typeof w === 'string') continue;
      const better = direction === 'higherIsBetter' ? 'higher' : 'lower';
      const side = recognition ? 'a worse value' : 'a better value';
      findings.push({
        kind: 'wrong-direction', ruleId: r.id, path: [...l.path, 'value'], witness: w,
        message: `The ${r.outcome} rule \`${r.id}\` applies when \`${l.leaf.fact}\` is ${l.positive ? opWords[base] : `not ${opWords[base]}`} ${JSON.stringify(l.leaf.value)}, ${side}: for \`${l.leaf.fact}\` ${better} is better. It applies with ${describeWitness(w, [l.leaf.fact])}. Check the operator.`,
      });
    }
  });

  if (compiled.policy.spec.hitPolicy !== 'first') conflictingOutcomes(compiled, rules, applies, find, evaluator.tris, factsOf, findings);
  else unreachable(compiled, rules, applies, cells, evaluator, keyFact, findings, tooLarge, enumerate);
  const opaque = rules.find((r) => r.undecidable);
  const gaps = policyGaps(compiled, registry, cells, evaluator, keyFact, opaque && { id: opaque.id, reason: opaque.undecidable! }, budget);
  if (gaps.undecided) undecided.push({ reason: `where no rule applies: ${gaps.undecided}` });
  return { findings, undecided, gaps };
}

type Enumerate = (keys: readonly string[], cells: ReadonlyMap<string, readonly CellValue[]>, visit: (a: Assignment) => boolean) => ReturnType<typeof enumerateAll>;
type Analysed = Array<RuleLeaves & { id: string; outcome: string }>;

/** Leaves that hold for every value of their fact (missing data aside): a test that tests nothing. */
function alwaysTrueLeaves(compiled: CompiledPolicy, registry: Registry, cells: ReadonlyMap<string, CellValue[]>, findings: Finding[], rules: Analysed): void {
  const seen = new Set<string>();
  const leaves: Array<AnalysedLeaf & { ruleId: string }> = [];
  rules.forEach((r) => r.leaves.forEach((l) => leaves.push({ ...l, ruleId: r.id })));
  for (const [name, c] of Object.entries(compiled.conditions)) {
    for (const l of collectLeaves(c, compiled, registry, ['spec', 'conditions', name])) leaves.push({ ...l, ruleId: name });
  }
  for (const l of leaves) {
    const where = JSON.stringify(l.path);
    if (l.undecidable || seen.has(where)) continue;
    seen.add(where);
    const op = compiled.operators.get(l.leaf.operator)!;
    const present = (cells.get(l.key) ?? []).filter((v) => v !== undefined);
    if (present.length === 0 || !present.every((v) => op(v, l.leaf.value) === true)) continue;
    const shown = [present[0], present[present.length - 1]].map((v) => JSON.stringify(v)).join(' or ');
    findings.push({
      kind: 'always-true', ruleId: l.ruleId, path: [...l.path, 'value'],
      message: `The condition \`${l.leaf.fact} ${l.leaf.operator} ${JSON.stringify(l.leaf.value)}\` holds for every possible value of \`${l.leaf.fact}\` (e.g. ${shown}), so it only checks that the value is there. Check the threshold or remove the condition.`,
    });
  }
}

type Find = (keys: string[], holds: (a: Assignment) => boolean) => Witness | 'none' | 'too-large';

/** Under collect: recognition and coaching or a PIP for the same person. */
function conflictingOutcomes(compiled: CompiledPolicy, rules: Analysed, applies: ReadonlyMap<number, boolean>, find: Find, tris: (a: Assignment) => readonly (boolean | undefined)[], factsOf: (k: Iterable<string>) => string[], findings: Finding[]): void {
  rules.forEach((r, i) => {
    if (r.outcome !== 'recognition' || !applies.get(i)) return;
    rules.forEach((s, j) => {
      if (s.outcome === 'recognition' || !applies.get(j)) return;
      const keys = [...new Set([...r.keys, ...s.keys])];
      const w = find(keys, (a) => {
        const t = tris(a);
        return t[i] === true && t[j] === true;
      });
      if (typeof w === 'string') return;
      findings.push({
        kind: 'conflicting-outcomes', ruleId: r.id, path: ['spec', 'rules', i], witness: w, others: [s.id],
        message: `Under hitPolicy collect, \`${r.id}\` (recognition) and \`${s.id}\` (${s.outcome}) can both apply to the same person, e.g. with ${describeWitness(w, factsOf(keys))}. Use hitPolicy first or make their conditions exclude each other.`,
      });
    });
  });
}

/** Under first: a rule that applies only where a higher rule already counts. */
function unreachable(compiled: CompiledPolicy, rules: Analysed, applies: ReadonlyMap<number, boolean>, cells: ReadonlyMap<string, CellValue[]>, evaluator: ReturnType<typeof cellEvaluator>, keyFact: ReadonlyMap<string, string>, findings: Finding[], tooLarge: (id: string) => void, enumerate: Enumerate): void {
  compiled.order.forEach((cr, pos) => {
    const i = cr.index;
    if (!applies.get(i)) return;
    const higher = compiled.order.slice(0, pos).map((h) => h.index);
    if (higher.length === 0 || higher.some((h) => rules[h].undecidable)) return;
    // Most rules count somewhere with the facts only they read given and the rest missing: a
    // small search that settles them before the search over every fact of the rules above.
    if (enumerate(rules[i].keys, cells, (a) => evaluator.counted(a).has(i)) === 'stopped') return;
    const keys = [...new Set([i, ...higher].flatMap((h) => rules[h].keys))];
    const catchers = new Set<number>();
    let witness: Witness | undefined;
    const result = enumerate(keys, cells, (a) => {
      if (evaluator.tris(a)[i] !== true) return false;
      const counted = evaluator.counted(a);
      if (counted.has(i)) return true;
      const t = evaluator.tris(a);
      const catcher = higher.find((h) => counted.has(h)) ?? higher.find((h) => t[h] === undefined);
      if (catcher !== undefined) catchers.add(catcher);
      witness ??= witnessOf(a, keyFact);
      return false;
    });
    if (result === 'too-large') return tooLarge(cr.rule.id);
    if (result === 'stopped' || !witness) return;
    const ids = [...catchers].map((h) => rules[h].id);
    findings.push({
      kind: 'unreachable', ruleId: cr.rule.id, path: ['spec', 'rules', i], witness, others: ids,
      message: `Under hitPolicy first, the rule \`${cr.rule.id}\` never counts: whenever it applies, the higher-priority ${ids.length === 1 ? 'rule' : 'rules'} ${ids.map((x) => `\`${x}\``).join(', ')} ${ids.length === 1 ? 'counts' : 'count'} instead. Raise its priority or narrow the rules above it.`,
    });
  });
}
