// Cells for the static analysis: every built-in leaf compares one fact with constants, so the
// values of a fact fall into finitely many classes that no leaf can tell apart — each constant,
// one point between two consecutive constants and beyond the ends (inside the metric's declared
// range), one value no leaf names, and missing data. One representative per class decides any
// question about the conditions exactly. Leaves this cannot cover (plugin operators, a fact
// compared with another fact, a path into an object, list facts) make their rule undecidable.
import type { CompiledPolicy } from '../evaluate/compile.ts';
import { factKey } from '../evaluate/facts.ts';
import { builtinOperator, parseOperator } from '../evaluate/operators.ts';
import { factTypeIn } from '../policy/check.ts';
import type { Registry } from '../registry/registry.ts';
import { isAll, isAny, isFactRef, isNot, isReference, type Condition, type LeafCondition, type Policy } from '../policy/types.ts';
import type { PathSegment } from '../policy/yaml-source.ts';

/** A representative value of a cell; `undefined` stands for missing data. */
export type CellValue = string | number | boolean | undefined;

export interface AnalysedLeaf {
  leaf: LeafCondition;
  key: string;
  /** Where the leaf is written (in its rule, or in the shared condition it belongs to). */
  path: PathSegment[];
  /** Whether an even number of `not`s (blocks and decorators) sits above it. */
  positive: boolean;
  /** Why cells cannot decide it, when they cannot. */
  undecidable?: string;
}

export interface RuleLeaves {
  leaves: AnalysedLeaf[];
  keys: string[];
  undecidable?: string;
}

const SCALAR_OPERATORS = new Set(['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'in', 'notIn']);

const isScalar = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** The constants a leaf compares its fact with, or why the leaf is out of reach of cells. */
export function leafConstants(leaf: LeafCondition, policy: Policy, registry: Registry): { constants: Array<string | number | boolean>; undecidable?: string } {
  const parsed = parseOperator(leaf.operator);
  if (parsed.unknownDecorator || !builtinOperator(parsed.base)) return { constants: [], undecidable: `\`${leaf.operator}\` is a plugin operator` };
  if (!SCALAR_OPERATORS.has(parsed.base) || parsed.decorators.some((d) => d.listSide === 'fact')) return { constants: [], undecidable: `\`${leaf.operator}\` reads a list fact` };
  if (leaf.path) return { constants: [], undecidable: `\`${leaf.fact}\` is read at a path inside an object` };
  if (isFactRef(leaf.value)) return { constants: [], undecidable: `\`${leaf.fact}\` is compared with another fact` };
  const type = factTypeIn(policy, registry, leaf.fact)?.type;
  if (type !== 'number' && type !== 'string' && type !== 'boolean') return { constants: [], undecidable: `\`${leaf.fact}\` is not a number, text or yes/no value` };
  const list = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
  if (!list.every(isScalar)) return { constants: [], undecidable: `\`${leaf.fact}\` is compared with a value that is not a single number, text or yes/no` };
  return { constants: list };
}

/** The leaves of a condition tree (shared conditions expanded), with their polarity and path. */
export function collectLeaves(
  c: Condition,
  compiled: CompiledPolicy,
  registry: Registry,
  path: PathSegment[],
  positive = true,
  seen: ReadonlySet<string> = new Set(),
): AnalysedLeaf[] {
  if (isAll(c)) return c.all.flatMap((x, i) => collectLeaves(x, compiled, registry, [...path, 'all', i], positive, seen));
  if (isAny(c)) return c.any.flatMap((x, i) => collectLeaves(x, compiled, registry, [...path, 'any', i], positive, seen));
  if (isNot(c)) return collectLeaves(c.not, compiled, registry, [...path, 'not'], !positive, seen);
  if (isReference(c)) {
    if (seen.has(c.condition)) return [];
    return collectLeaves(compiled.conditions[c.condition], compiled, registry, ['spec', 'conditions', c.condition], positive, new Set([...seen, c.condition]));
  }
  const leaf = c as LeafCondition;
  const negated = parseOperator(leaf.operator).decorators.filter((d) => d.id === 'not').length % 2 === 1;
  const { undecidable } = leafConstants(leaf, compiled.policy, registry);
  return [{ leaf, key: factKey(leaf.fact, leaf.params), path, positive: negated ? !positive : positive, ...(undecidable ? { undecidable } : {}) }];
}

export function ruleLeaves(compiled: CompiledPolicy, index: number, registry: Registry): RuleLeaves {
  const leaves = collectLeaves(compiled.rules[index].when, compiled, registry, ['spec', 'rules', index, 'when']);
  const undecidable = leaves.find((l) => l.undecidable)?.undecidable;
  return { leaves, keys: [...new Set(leaves.map((l) => l.key))], ...(undecidable ? { undecidable } : {}) };
}

/** A number strictly between a and b, a whole one when there is one (counts read naturally). */
function between(a: number, b: number): number {
  const whole = Math.floor(a) + 1;
  if (whole < b) return whole;
  return (a + b) / 2;
}

/** The constants the rules compare each fact key with (the cuts between cells), and its fact name. */
export function constantsByKey(compiled: CompiledPolicy, registry: Registry): Map<string, { fact: string; values: Array<string | number | boolean> }> {
  const constants = new Map<string, { fact: string; values: Array<string | number | boolean> }>();
  compiled.rules.forEach((_, i) => {
    for (const l of ruleLeaves(compiled, i, registry).leaves) {
      if (l.undecidable) continue;
      const entry = constants.get(l.key) ?? { fact: l.leaf.fact, values: [] };
      entry.values.push(...leafConstants(l.leaf, compiled.policy, registry).constants);
      constants.set(l.key, entry);
    }
  });
  return constants;
}

/**
 * One representative per cell of each fact key, from every constant the policy compares it with.
 * Missing data (`undefined`) comes last.
 */
export function cellsByKey(compiled: CompiledPolicy, registry: Registry): Map<string, CellValue[]> {
  const policy = compiled.policy;
  const out = new Map<string, CellValue[]>();
  for (const [key, { fact, values }] of constantsByKey(compiled, registry)) {
    const type = factTypeIn(policy, registry, fact);
    const cells: CellValue[] = [];
    if (type?.type === 'number') {
      const [lo, hi] = type.range ?? [null, null];
      const inRange = (n: number) => (lo === null || n >= lo) && (hi === null || n <= hi);
      const cuts = [...new Set(values.filter((v): v is number => typeof v === 'number'))].sort((a, b) => a - b);
      if (cuts.length === 0) cells.push(lo ?? hi ?? 0);
      else {
        cells.push(lo !== null && lo < cuts[0] ? lo : cuts[0] - 1);
        cuts.forEach((c, i) => {
          cells.push(c);
          if (i + 1 < cuts.length) cells.push(between(c, cuts[i + 1]));
        });
        const last = cuts[cuts.length - 1];
        cells.push(hi !== null && hi > last ? hi : last + 1);
      }
      out.set(key, [...new Set(cells.filter((n) => inRange(n as number)))]);
      out.get(key)!.push(undefined);
      continue;
    }
    if (type?.type === 'boolean') cells.push(true, false);
    else {
      const texts = [...new Set(values.filter((v): v is string => typeof v === 'string'))];
      let other = 'something-else';
      while (texts.includes(other)) other += '-';
      cells.push(...texts, other);
    }
    cells.push(undefined);
    out.set(key, cells);
  }
  return out;
}
