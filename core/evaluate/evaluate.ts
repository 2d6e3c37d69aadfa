// Evaluates one employee with a compiled policy and explains every rule. json-rules-engine
// walks the conditions and resolves facts, params and paths; each leaf's result is then read
// three-valued (pass / fail / unknown) and combined with Kleene logic, so a rule fires only when
// its conditions are true whatever the missing values would be. A `not` over missing data, or a
// notEqual on a fact that is not there, is "insufficient data", never a reason to act.
import type { Outcome } from '../policy/builtin-facts.ts';
import type { LeafCondition } from '../policy/types.ts';
import type { CompiledPolicy, CompiledRule } from './compile.ts';
import { employeeFacts, factKey, MISSING, type EmployeeFacts, type FactStatus, type FactTable, type ResolvedFact } from './facts.ts';
import type { Tri } from './operators.ts';

export type ConditionResult = 'pass' | 'fail' | 'unknown';

export interface FactSide {
  fact: string;
  path?: string;
  params?: Record<string, unknown>;
  value: unknown;
  status: FactStatus | 'path-not-found';
  samples?: number;
  minSamples?: number;
  window?: { from: string; to: string };
  /** The records the fact is about when its params.where picks some (`tickets with priority 1`). */
  segment?: string;
  unit?: string;
  message?: string;
  /** Records the metric left out, in words. */
  notes?: string[];
}

export interface LeafExplanation {
  kind: 'fact';
  name?: string;
  operator: string;
  left: FactSide;
  /** The threshold, in the fact's unit (seconds for durations); or another fact. */
  threshold: unknown;
  right?: FactSide;
  result: ConditionResult;
  /** Why the result is unknown. */
  reason?: string;
}

export interface GroupExplanation {
  kind: 'all' | 'any' | 'not';
  name?: string;
  result: ConditionResult;
  children: ConditionExplanation[];
}

export type ConditionExplanation = LeafExplanation | GroupExplanation;

/**
 * - fired: the conditions hold and the rule counts.
 * - not-fired: the conditions do not hold.
 * - indeterminate: missing data or a plugin error leaves the result open; nothing is done.
 * - shadowed: it holds, but hitPolicy first let a higher-priority rule count instead.
 * - blocked: it holds, but hitPolicy first with `undecided: hold` and a higher-priority rule is indeterminate.
 */
export type RuleStatus = 'fired' | 'not-fired' | 'indeterminate' | 'shadowed' | 'blocked';

export interface RuleExplanation {
  ruleId: string;
  priority: number;
  outcome: Outcome;
  status: RuleStatus;
  /** Whether the rule's outcome takes effect (fired and counted by the hit policy). */
  counted: boolean;
  reason: string;
  conditions: ConditionExplanation;
}

export interface EvaluationResult {
  policyId: string;
  /** Ids of the rules that count, in priority order. */
  fired: string[];
  /** Ids of the rules that could not be decided (indeterminate or blocked). */
  indeterminate: string[];
  /** Whether a plugin error (not just missing data) made a rule indeterminate. */
  hasErrors: boolean;
  rules: RuleExplanation[];
}

/** Builds the fact table of one employee from the computed facts and the employee record. */
export function buildFactTable(employee: EmployeeFacts | undefined, facts: ReadonlyMap<string, ResolvedFact> | Record<string, ResolvedFact>): Map<string, ResolvedFact> {
  const table = employeeFacts(employee);
  const entries = facts instanceof Map ? facts.entries() : Object.entries(facts);
  for (const [k, v] of entries) table.set(k, v);
  return table;
}

export async function evaluate(
  compiled: CompiledPolicy,
  employee: EmployeeFacts | undefined,
  facts: ReadonlyMap<string, ResolvedFact> | Record<string, ResolvedFact>,
): Promise<EvaluationResult> {
  const table = buildFactTable(employee, facts);
  const reference = await compiled.runReference(table);
  const perRule = new Map<string, { tri: Tri; explanation: ConditionExplanation; error: boolean }>();
  for (const r of compiled.rules) {
    const ref = reference.get(r.rule.id);
    const state = { error: false };
    const explanation = explainCondition(ref?.conditions, compiled, table, state);
    perRule.set(r.rule.id, { tri: toTri(explanation.result), explanation, error: state.error });
  }
  return decide(compiled, perRule);
}

/** A rule explanation whose condition tree is built the first time it is read (or serialised). */
export abstract class DeferredRuleExplanation implements RuleExplanation {
  private built?: ConditionExplanation;
  constructor(
    readonly ruleId: string,
    readonly priority: number,
    readonly outcome: Outcome,
    readonly status: RuleStatus,
    readonly counted: boolean,
    readonly reason: string,
  ) {}

  protected abstract build(): ConditionExplanation;

  get conditions(): ConditionExplanation {
    return (this.built ??= this.build());
  }

  toJSON(): RuleExplanation {
    const { ruleId, priority, outcome, status, counted, reason } = this;
    return { ruleId, priority, outcome, status, counted, reason, conditions: this.conditions };
  }
}

class LazyRuleExplanation extends DeferredRuleExplanation {
  constructor(r: CompiledRule, status: RuleStatus, counted: boolean, reason: string, private readonly buildFn: () => ConditionExplanation) {
    super(r.rule.id, r.priority, r.rule.then.outcome, status, counted, reason);
  }

  protected build(): ConditionExplanation {
    return this.buildFn();
  }
}

/** A rule's explanation, or a function that builds it on first use (the fast path's not-fired rules). */
export type LazyExplanation = ConditionExplanation | (() => ConditionExplanation);

/** A rule's explanation, made once the hit policy has given it its status. */
export type ExplainRule = (r: CompiledRule, status: RuleStatus, counted: boolean, reason: string) => RuleExplanation;

/** Applies priority order and the hit policy to per-rule three-valued results. */
export function decide(
  compiled: CompiledPolicy,
  perRule: ReadonlyMap<string, { tri: Tri; explanation: LazyExplanation; error: boolean }>,
): EvaluationResult {
  const results = compiled.rules.map((r) => perRule.get(r.rule.id)!);
  const { rules, hasErrors } = applyHitPolicy(
    compiled,
    results.map((x) => x.tri),
    results.map((x) => x.error),
    (r, status, counted, reason) => {
      const explanation = results[r.index].explanation;
      return typeof explanation === 'function'
        ? new LazyRuleExplanation(r, status, counted, reason, explanation)
        : { ruleId: r.rule.id, priority: r.priority, outcome: r.rule.then.outcome, status, counted, reason, conditions: explanation };
    },
    true,
  );
  return {
    policyId: compiled.policy.metadata.id,
    fired: rules.filter((r) => r.counted).map((r) => r.ruleId),
    indeterminate: rules.filter((r) => r.status === 'indeterminate' || r.status === 'blocked').map((r) => r.ruleId),
    hasErrors,
    rules,
  };
}

/**
 * The hit policy over the rules' results (`tris` and `errors`, by rule index). Explanations are
 * asked of `explain` only for the rules returned: with `keepNotFired` false the rules that simply
 * did not fire are left out (what a run stores).
 */
export function applyHitPolicy(
  compiled: CompiledPolicy,
  tris: readonly Tri[],
  errors: readonly boolean[],
  explain: ExplainRule,
  keepNotFired: boolean,
): { rules: RuleExplanation[]; hasErrors: boolean } {
  const first = compiled.policy.spec.hitPolicy === 'first';
  // DMN FIRST: a rule that cannot be decided does not match, so by default it withholds nothing
  // below it; `undecided: hold` keeps the stricter reading for those who want it.
  const hold = compiled.policy.spec.undecided === 'hold';
  const rules: RuleExplanation[] = [];
  let winner: CompiledRule | undefined;
  let undecidedAbove: CompiledRule | undefined;
  const undecidedIds: string[] = [];
  let hasErrors = false;
  for (const r of compiled.order) {
    const tri = tris[r.index];
    const error = errors[r.index];
    let status: RuleStatus;
    let counted = false;
    let reason: string;
    if (tri === undefined) {
      if (error) hasErrors = true;
      status = 'indeterminate';
      reason = error ? 'a plugin error left a condition undecided' : 'insufficient data to decide a condition';
      undecidedAbove ??= r;
      if (!winner) undecidedIds.push(r.rule.id);
    } else if (!tri) {
      if (!keepNotFired) continue;
      status = 'not-fired';
      reason = 'the conditions do not hold';
    } else if (!first) {
      status = 'fired';
      counted = true;
      reason = 'the conditions hold';
    } else if (winner) {
      status = 'shadowed';
      reason = `hitPolicy first: the higher-priority rule \`${winner.rule.id}\` counts instead`;
    } else if (undecidedAbove && hold) {
      status = 'blocked';
      reason = `hitPolicy first with undecided: hold: the higher-priority rule \`${undecidedAbove.rule.id}\` could not be decided, so this one does not count`;
    } else {
      winner = r;
      status = 'fired';
      counted = true;
      reason = undecidedIds.length
        ? `the conditions hold and it is the first firing rule; the higher-priority ${undecidedIds.length === 1 ? 'rule' : 'rules'} ${undecidedIds.map((id) => `\`${id}\``).join(', ')} could not be decided, and may apply instead once the missing data arrives`
        : 'the conditions hold and it is the first firing rule';
    }
    rules.push(explain(r, status, counted, reason));
  }
  return { rules, hasErrors };
}

export function toTri(r: ConditionResult): Tri {
  return r === 'pass' ? true : r === 'fail' ? false : undefined;
}
function fromTri(t: Tri): ConditionResult {
  return t === true ? 'pass' : t === false ? 'fail' : 'unknown';
}

/** A condition after evaluation, as json-rules-engine leaves it (results written onto the tree). */
export interface EvaluatedNode {
  all?: EvaluatedNode[];
  any?: EvaluatedNode[];
  not?: EvaluatedNode;
  name?: string;
  fact?: string;
  operator?: string;
  value?: unknown;
  path?: string;
  params?: Record<string, unknown>;
  factResult?: unknown;
  valueResult?: unknown;
  result?: boolean;
}

/** The explanation of an evaluated condition tree, with its Kleene result. */
export function explainCondition(node: unknown, compiled: CompiledPolicy, table: FactTable, state: { error: boolean }): ConditionExplanation {
  const n = (node ?? {}) as EvaluatedNode;
  if (n.all || n.any) {
    const kind = n.all ? 'all' : 'any';
    const children = (n.all ?? n.any)!.map((c) => explainCondition(c, compiled, table, state));
    const tris = children.map((c) => toTri(c.result));
    let tri: Tri;
    if (kind === 'all') tri = tris.includes(false) ? false : tris.includes(undefined) ? undefined : true;
    else tri = tris.includes(true) ? true : tris.includes(undefined) ? undefined : false;
    return { kind, ...(n.name ? { name: n.name } : {}), result: fromTri(tri), children };
  }
  if (n.not) {
    const child = explainCondition(n.not, compiled, table, state);
    const t = toTri(child.result);
    return { kind: 'not', ...(n.name ? { name: n.name } : {}), result: fromTri(t === undefined ? undefined : !t), children: [child] };
  }
  return explainLeaf(n, compiled, table, state);
}

function side(fact: string, params: Record<string, unknown> | undefined, path: string | undefined, value: unknown, table: FactTable, compiled: CompiledPolicy): FactSide {
  const f = table.get(factKey(fact, params)) ?? MISSING;
  const unit = path ? undefined : (f.unit ?? compiled.units.get(fact));
  const status: FactSide['status'] = f.status === 'ok' && path && value === undefined ? 'path-not-found' : f.status;
  return {
    fact,
    ...(path ? { path } : {}),
    ...(params && Object.keys(params).length ? { params } : {}),
    value: f.status === 'ok' ? value : undefined,
    status,
    ...(f.samples !== undefined ? { samples: f.samples } : {}),
    ...(f.minSamples !== undefined ? { minSamples: f.minSamples } : {}),
    ...(f.window ? { window: f.window } : {}),
    ...(compiled.segments?.has(fact) ? { segment: compiled.segments.get(fact) } : {}),
    ...(unit ? { unit } : {}),
    ...(f.message ? { message: f.message } : {}),
    ...(f.notes?.length ? { notes: f.notes } : {}),
  };
}

function explainLeaf(n: EvaluatedNode, compiled: CompiledPolicy, table: FactTable, state: { error: boolean }): LeafExplanation {
  const leaf = n as LeafCondition & EvaluatedNode;
  const left = side(leaf.fact, leaf.params, leaf.path, n.factResult, table, compiled);
  const ref = leaf.value && typeof leaf.value === 'object' && !Array.isArray(leaf.value) && typeof (leaf.value as { fact?: unknown }).fact === 'string'
    ? (leaf.value as { fact: string; params?: Record<string, unknown>; path?: string })
    : undefined;
  const right = ref ? side(ref.fact, ref.params, ref.path, n.valueResult, table, compiled) : undefined;
  const fn = compiled.operators.get(leaf.operator);
  let tri: Tri;
  let reason: string | undefined;
  try {
    tri = fn ? fn(n.factResult, n.valueResult) : undefined;
  } catch (e) {
    tri = undefined;
    state.error = true;
    reason = `the operator \`${leaf.operator}\` failed: ${(e as Error).message}`;
  }
  if (tri === undefined && !reason) reason = unknownReason(left, right, leaf.operator, n.factResult, n.valueResult, state);
  return {
    kind: 'fact',
    ...(leaf.name ? { name: leaf.name } : {}),
    operator: leaf.operator,
    left,
    threshold: right ? undefined : n.valueResult,
    ...(right ? { right } : {}),
    result: fromTri(tri),
    ...(reason ? { reason } : {}),
  };
}

function unknownReason(left: FactSide, right: FactSide | undefined, operator: string, a: unknown, b: unknown, state: { error: boolean }): string {
  for (const s of right ? [left, right] : [left]) {
    switch (s.status) {
      case 'insufficient':
        // Enough samples and still no value (a group too small to rank in, a formula that
        // divides by zero): the fact's own message says why, the sample count would not.
        if (s.message && s.samples !== undefined && s.minSamples !== undefined && s.samples >= s.minSamples) return `insufficient data: \`${s.fact}\`: ${s.message}`;
        return `insufficient data: \`${s.fact}\` has ${s.samples ?? 0} sample(s), fewer than the ${s.minSamples ?? '?'} required`;
      case 'error':
        state.error = true;
        return `\`${s.fact}\` could not be computed: ${s.message ?? 'plugin error'}`;
      case 'missing':
        return `insufficient data: \`${s.fact}\` has no value`;
      case 'path-not-found':
        return `\`${s.fact}\` has nothing at \`${s.path}\``;
      default:
    }
  }
  return `\`${operator}\` cannot compare ${describe(a)} with ${describe(b)}`;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : 'a list';
  if (typeof v === 'string') return `the text "${v}"`;
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  return `${typeof v} ${JSON.stringify(v)}`;
}
