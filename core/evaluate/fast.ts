// The fast path: each policy's conditions compiled once into plain JavaScript closures over
// the checked condition tree (no code is generated from user strings), with json-rules-engine's
// exact semantics — fact params, JSONPath `$.key` / `[n]` steps on own properties, a path on a
// non-object giving the value itself, fact-to-fact values, shared conditions expanded where
// referenced — and the same typed three-valued operators. Only the rules' results are computed
// per employee; a rule's explanation is built (through the reference explainer, so both paths
// explain identically) only when someone reads it. test/evaluate/parity.test.ts proves the two
// paths agree on thousands of random policies and fact sets.
import type { CompiledPolicy } from './compile.ts';
import { decide, decideRules, explainCondition, type EvaluatedNode, type EvaluationResult, type LazyExplanation } from './evaluate.ts';
import { factKey, overlayFactTable, type EmployeeFacts, type FactTable, type ResolvedFact } from './facts.ts';
import type { OperatorFn, Tri } from './operators.ts';
import { isAll, isAny, isNot, isReference, type Condition, type LeafCondition } from '../policy/types.ts';

/** Evaluates a node: its three-valued result, and whether a plugin error is the reason it is undecided. */
type Node = (table: FactTable, state: { error: boolean }) => Tri;
/** Rebuilds the tree json-rules-engine would leave after evaluation, for the explainer. */
type Trace = (table: FactTable) => EvaluatedNode;

export interface FastRule {
  ruleId: string;
  tri: Node;
  trace: Trace;
}

export interface FastPolicy {
  compiled: CompiledPolicy;
  rules: FastRule[];
  /** Scratch space of decideFast, one slot per rule. */
  tris: Tri[];
  errors: boolean[];
}

/** JSONPath as json-rules-engine's default resolver reads our `$.key` / `[n]` subset. */
export function compilePath(path: string): (value: unknown) => unknown {
  const steps: string[] = [];
  for (const m of path.slice(1).matchAll(/\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]/g)) steps.push(m[1] ?? m[2]);
  return (value) => {
    let v = value;
    for (const s of steps) {
      if (v === null || v === undefined || !Object.hasOwn(Object(v), s)) return undefined;
      v = (v as Record<string, unknown>)[s];
    }
    return v;
  };
}

function factResolver(fact: string, params: Record<string, unknown> | undefined, path: string | undefined): (table: FactTable) => unknown {
  const key = factKey(fact, params);
  const value = (table: FactTable) => {
    const f: ResolvedFact | undefined = table.get(key);
    return f && f.status === 'ok' ? f.value : undefined;
  };
  if (!path) return value;
  const walk = compilePath(path);
  // json-rules-engine applies a path only to objects; any other value passes through unchanged.
  return (table) => {
    const v = value(table);
    return v !== null && typeof v === 'object' ? walk(v) : v;
  };
}

function isRef(v: unknown): v is { fact: string; params?: Record<string, unknown>; path?: string } {
  return v !== null && typeof v === 'object' && Object.hasOwn(v, 'fact');
}

/**
 * Whether an undecided leaf is undecided because of a plugin error: the first side (left, then
 * right) that is not a plain value decides, as the reference explainer reads them — a path that
 * found nothing counts as such a side.
 */
function leafError(table: FactTable, sides: Array<{ key: string; path: boolean; value: unknown }>): boolean {
  for (const side of sides) {
    const f = table.get(side.key);
    const status = f ? f.status : 'missing';
    if (status === 'error') return true;
    if (status !== 'ok' || (side.path && side.value === undefined)) return false;
  }
  return false;
}

export function compileFast(compiled: CompiledPolicy): FastPolicy {
  const shared = compiled.conditions;
  const expandRef = (name: string): Condition => {
    const c = shared[name] as Condition & { name?: string };
    return { ...c, name: c.name ?? name } as Condition;
  };

  const build = (c: Condition): { node: Node; trace: Trace } => {
    if (isReference(c)) return build(expandRef(c.condition));
    const name = (c as { name?: string }).name;
    if (isAll(c) || isAny(c)) {
      const all = isAll(c);
      const children = (all ? c.all : (c as { any: Condition[] }).any).map(build);
      const nodes = children.map((x) => x.node);
      const node: Node = all
        ? (t, s) => {
            let undecided = false;
            let falsy = false;
            for (const n of nodes) {
              const r = n(t, s);
              if (r === false) falsy = true;
              else if (r === undefined) undecided = true;
            }
            return falsy ? false : undecided ? undefined : true;
          }
        : (t, s) => {
            let undecided = false;
            let truthy = false;
            for (const n of nodes) {
              const r = n(t, s);
              if (r === true) truthy = true;
              else if (r === undefined) undecided = true;
            }
            return truthy ? true : undecided ? undefined : false;
          };
      const key = all ? 'all' : 'any';
      return { node, trace: (t) => ({ [key]: children.map((x) => x.trace(t)), ...(name ? { name } : {}) }) };
    }
    if (isNot(c)) {
      const child = build(c.not);
      return {
        node: (t, s) => {
          const r = child.node(t, s);
          return r === undefined ? undefined : !r;
        },
        trace: (t) => ({ not: child.trace(t), ...(name ? { name } : {}) }),
      };
    }
    const leaf = c as LeafCondition;
    const left = factResolver(leaf.fact, leaf.params, leaf.path);
    const leftKey = factKey(leaf.fact, leaf.params);
    const ref = isRef(leaf.value) ? leaf.value : undefined;
    const right = ref ? factResolver(ref.fact, ref.params, ref.path) : () => leaf.value;
    const rightKey = ref ? factKey(ref.fact, ref.params) : undefined;
    const op: OperatorFn = compiled.operators.get(leaf.operator) ?? (() => undefined);
    return {
      node: (t, s) => {
        const a = left(t);
        const b = right(t);
        let r: Tri;
        try {
          r = op(a, b);
        } catch {
          s.error = true;
          return undefined;
        }
        if (r === undefined) {
          const sides = [{ key: leftKey, path: Boolean(leaf.path), value: a }];
          if (rightKey) sides.push({ key: rightKey, path: Boolean(ref!.path), value: b });
          if (leafError(t, sides)) s.error = true;
        }
        return r;
      },
      trace: (t) => {
        const a = left(t);
        const b = right(t);
        let result = false;
        try {
          result = op(a, b) === true;
        } catch {
          /* recorded as an error by the explainer */
        }
        return { ...leaf, factResult: a, valueResult: b, result } as EvaluatedNode;
      },
    };
  };

  return {
    compiled,
    rules: compiled.rules.map((r) => {
      const { node, trace } = build(r.when);
      return { ruleId: r.rule.id, tri: node, trace };
    }),
    tris: new Array(compiled.rules.length).fill(false),
    errors: new Array(compiled.rules.length).fill(false),
  };
}

/** Evaluates one employee on the fast path; the result equals `evaluate()`'s. */
export function evaluateFast(
  fast: FastPolicy,
  employee: EmployeeFacts | undefined,
  facts: ReadonlyMap<string, ResolvedFact> | Record<string, ResolvedFact>,
): EvaluationResult {
  const table = overlayFactTable(employee, facts instanceof Map ? facts : new Map(Object.entries(facts)));
  const perRule = new Map<string, { tri: Tri; explanation: LazyExplanation; error: boolean }>();
  for (const r of fast.rules) {
    const state = { error: false };
    const tri = r.tri(table, state);
    const explanation = () => explainCondition(r.trace(table), fast.compiled, table, { error: false });
    perRule.set(r.ruleId, { tri, explanation, error: state.error });
  }
  return decide(fast.compiled, perRule);
}

/**
 * The rules of one employee that a run keeps (every status but not-fired), on the fast path.
 * Explanations are built lazily and only for the rules kept.
 */
export function decideFast(
  fast: FastPolicy,
  employee: EmployeeFacts | undefined,
  facts: ReadonlyMap<string, ResolvedFact>,
): { rules: EvaluationResult['rules']; hasErrors: boolean } {
  const table = overlayFactTable(employee, facts);
  const n = fast.rules.length;
  // Reused between calls: evaluation is synchronous and nothing keeps these arrays.
  const tris = fast.tris;
  const errors = fast.errors;
  let allFalse = true;
  const state = { error: false };
  for (let i = 0; i < n; i++) {
    state.error = false;
    tris[i] = fast.rules[i].tri(table, state);
    errors[i] = state.error;
    if (tris[i] !== false) allFalse = false;
  }
  if (allFalse) return NOTHING_KEPT;
  const result = decideRules(
    fast.compiled,
    (r) => ({ tri: tris[r.index], error: errors[r.index] }),
    (r) => () => explainCondition(fast.rules[r.index].trace(table), fast.compiled, table, { error: false }),
    false,
  );
  return { rules: result.rules, hasErrors: result.hasErrors };
}

const NOTHING_KEPT = Object.freeze({ rules: Object.freeze([]) as unknown as EvaluationResult['rules'], hasErrors: false });
