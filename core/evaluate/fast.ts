// The fast path: each policy version's conditions compiled once into one plain JavaScript
// function over the employee's fact slots (./fast-codegen.ts: generated from the checked tree's
// shape only, no user string becomes code), with json-rules-engine's exact semantics — fact
// params, JSONPath `$.key` / `[n]` steps on own properties, a path on a non-object giving the
// value itself, fact-to-fact values, shared conditions expanded where referenced — and the same
// typed three-valued operators. Only the rules' results are computed per employee; a rule's
// explanation is built (through the reference explainer, so both paths explain identically)
// only when someone reads it. test/evaluate/parity.test.ts proves the two paths agree on
// thousands of random policies and fact sets.
import type { CompiledPolicy, CompiledRule } from './compile.ts';
import { applyHitPolicy, decide, DeferredRuleExplanation, explainCondition, type ConditionExplanation, type EvaluatedNode, type EvaluationResult, type ExplainRule, type LazyExplanation, type RuleStatus } from './evaluate.ts';
import { EMPLOYEE_FACT_KEYS, FactRow, factKey, type FactLayout, overlayFactTable, type EmployeeFacts, type FactStatus, type FactTable, type ResolvedFact } from './facts.ts';
import type { OperatorFn, Tri } from './operators.ts';
import { generateEvaluator, type EvaluateAll, type FastTree } from './fast-codegen.ts';
import { isAll, isAny, isNot, isReference, type Condition, type LeafCondition } from '../policy/types.ts';

/**
 * One employee's facts as the fast path reads them: every fact key the policy's conditions read
 * has a slot, filled once per employee (value and status), so that a leaf is an array read and
 * an operator call. Reused from one employee to the next; nothing keeps it.
 */
interface Slots {
  values: unknown[];
  statuses: FactStatus[];
}
/** Rebuilds the tree json-rules-engine would leave after evaluation, for the explainer. */
type Trace = (table: FactTable) => EvaluatedNode;

export interface FastRule {
  ruleId: string;
  trace: Trace;
}

export interface FastPolicy {
  compiled: CompiledPolicy;
  rules: FastRule[];
  /** Every rule's result at once, generated for this policy (./fast-codegen.ts). */
  evaluateAll: EvaluateAll;
  /** The fact keys the conditions read, one slot each. */
  keys: string[];
  /** The employee field behind a slot's `employee.*` key, read when no computed fact has it. */
  fields: Array<keyof EmployeeFacts | undefined>;
  slots: Slots;
  /** Where each slot's key sits in the layout of the rows last read (-1: not in it). */
  layout?: { of: FactLayout; positions: Int32Array };
  /** Scratch space of decideFast, one entry per rule. */
  tris: Tri[];
  errors: boolean[];
  /** The employee decideFast is deciding, for explainKept (set per call: no closure per employee). */
  current: { employee: EmployeeFacts | undefined; facts: ReadonlyMap<string, ResolvedFact> };
  explainKept: ExplainRule;
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

const compiledOnce = new WeakMap<CompiledPolicy, FastPolicy>();

/** The fast path of a compiled policy, built once per policy version and then reused. */
export function fastPolicy(compiled: CompiledPolicy): FastPolicy {
  let fast = compiledOnce.get(compiled);
  if (!fast) compiledOnce.set(compiled, (fast = compileFast(compiled)));
  return fast;
}

export function compileFast(compiled: CompiledPolicy): FastPolicy {
  const shared = compiled.conditions;
  const keys: string[] = [];
  const slotOf = (key: string): number => {
    const i = keys.indexOf(key);
    return i >= 0 ? i : keys.push(key) - 1;
  };
  const expandRef = (name: string): Condition => {
    const c = shared[name] as Condition & { name?: string };
    return { ...c, name: c.name ?? name } as Condition;
  };

  const build = (c: Condition): { tree: FastTree; trace: Trace } => {
    if (isReference(c)) return build(expandRef(c.condition));
    const name = (c as { name?: string }).name;
    if (isAll(c) || isAny(c)) {
      const all = isAll(c);
      const children = (all ? c.all : (c as { any: Condition[] }).any).map(build);
      const trees = children.map((x) => x.tree);
      const key = all ? 'all' : 'any';
      return {
        tree: all ? { all: trees } : { any: trees },
        trace: (t) => ({ [key]: children.map((x) => x.trace(t)), ...(name ? { name } : {}) }),
      };
    }
    if (isNot(c)) {
      const child = build(c.not);
      return { tree: { not: child.tree }, trace: (t) => ({ not: child.trace(t), ...(name ? { name } : {}) }) };
    }
    const leaf = c as LeafCondition;
    const left = factResolver(leaf.fact, leaf.params, leaf.path);
    const ref = isRef(leaf.value) ? leaf.value : undefined;
    const right = ref ? factResolver(ref.fact, ref.params, ref.path) : () => leaf.value;
    const op: OperatorFn = compiled.operators.get(leaf.operator) ?? (() => undefined);
    const slot = (fact: string, params: Record<string, unknown> | undefined, path: string | undefined) =>
      ({ slot: slotOf(factKey(fact, params)), ...(path ? { walk: compilePath(path) } : {}) });
    return {
      tree: { leaf: { op, left: slot(leaf.fact, leaf.params, leaf.path), right: ref ? slot(ref.fact, ref.params, ref.path) : { constant: leaf.value } } },
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

  const built = compiled.rules.map((r) => ({ ruleId: r.rule.id, ...build(r.when) }));
  const prefix = 'employee.';
  const fast: FastPolicy = {
    compiled,
    rules: built.map(({ ruleId, trace }) => ({ ruleId, trace })),
    evaluateAll: generateEvaluator(built.map((r) => r.tree)),
    keys,
    fields: keys.map((k) => (EMPLOYEE_FACT_KEYS.has(k) ? (k.slice(prefix.length) as keyof EmployeeFacts) : undefined)),
    slots: { values: new Array(keys.length).fill(undefined), statuses: new Array(keys.length).fill('missing') },
    tris: new Array(compiled.rules.length).fill(false),
    errors: new Array(compiled.rules.length).fill(false),
    current: { employee: undefined, facts: new Map() },
    explainKept: (r, status, counted, reason) => new FastRuleExplanation(r, status, counted, reason, fast, fast.current.employee, fast.current.facts),
  };
  return fast;
}

/** Fills the policy's slots with one employee's facts: computed facts first, then own fields. */
function fillSlots(fast: FastPolicy, employee: EmployeeFacts | undefined, facts: ReadonlyMap<string, ResolvedFact>): Slots {
  const x = fast.slots;
  let row: FactRow | undefined;
  let positions: Int32Array | undefined;
  if (facts instanceof FactRow) {
    row = facts;
    if (fast.layout?.of !== row.layout) {
      const index = row.layout.index;
      fast.layout = { of: row.layout, positions: Int32Array.from(fast.keys, (k) => index.get(k) ?? -1) };
    }
    positions = fast.layout.positions;
  }
  for (let i = 0; i < fast.keys.length; i++) {
    if (row) {
      const at = positions![i];
      const status = at >= 0 ? row.slotStatuses[at] : undefined;
      if (status !== undefined) {
        x.statuses[i] = status;
        x.values[i] = row.slotValues[at];
        continue;
      }
      if (at < 0) {
        const f = row.get(fast.keys[i]); // a key outside the layout, set later
        if (f !== undefined) {
          x.statuses[i] = f.status;
          x.values[i] = f.status === 'ok' ? f.value : undefined;
          continue;
        }
      }
    } else {
      const f = facts.get(fast.keys[i]);
      if (f !== undefined) {
        x.statuses[i] = f.status;
        x.values[i] = f.status === 'ok' ? f.value : undefined;
        continue;
      }
    }
    const field = fast.fields[i];
    const v = field && employee ? employee[field] : undefined;
    const present = v !== undefined && v !== null;
    x.statuses[i] = present ? 'ok' : 'missing';
    x.values[i] = present ? v : undefined;
  }
  return x;
}

/** Evaluates one employee on the fast path; the result equals `evaluate()`'s. */
export function evaluateFast(
  fast: FastPolicy,
  employee: EmployeeFacts | undefined,
  facts: ReadonlyMap<string, ResolvedFact> | Record<string, ResolvedFact>,
): EvaluationResult {
  const map = facts instanceof Map ? facts : new Map(Object.entries(facts));
  const table = overlayFactTable(employee, map);
  const x = fillSlots(fast, employee, map);
  fast.evaluateAll(x.values, x.statuses, fast.tris, fast.errors);
  const perRule = new Map<string, { tri: Tri; explanation: LazyExplanation; error: boolean }>();
  fast.rules.forEach((r, i) => {
    const explanation = () => explainCondition(r.trace(table), fast.compiled, table, { error: false });
    perRule.set(r.ruleId, { tri: fast.tris[i], explanation, error: fast.errors[i] });
  });
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
  const x = fillSlots(fast, employee, facts);
  // Reused between calls: evaluation is synchronous and nothing keeps these arrays.
  const tris = fast.tris;
  const errors = fast.errors;
  if (fast.evaluateAll(x.values, x.statuses, tris, errors)) return NOTHING_KEPT;
  fast.current.employee = employee;
  fast.current.facts = facts;
  return applyHitPolicy(fast.compiled, tris, errors, fast.explainKept, false);
}

/** A kept rule's explanation, built from the employee's facts only if someone reads it. */
class FastRuleExplanation extends DeferredRuleExplanation {
  constructor(
    private readonly rule: CompiledRule,
    status: RuleStatus,
    counted: boolean,
    reason: string,
    private readonly fast: FastPolicy,
    private readonly employee: EmployeeFacts | undefined,
    private readonly facts: ReadonlyMap<string, ResolvedFact>,
  ) {
    super(rule.rule.id, rule.priority, rule.rule.then.outcome, status, counted, reason);
  }

  protected build(): ConditionExplanation {
    const table = overlayFactTable(this.employee, this.facts);
    return explainCondition(this.fast.rules[this.rule.index].trace(table), this.fast.compiled, table, { error: false });
  }
}

const NOTHING_KEPT = Object.freeze({ rules: Object.freeze([]) as unknown as EvaluationResult['rules'], hasErrors: false });
