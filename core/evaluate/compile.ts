// Compiles a checked policy into one json-rules-engine Engine, built once per policy version and
// reused for every employee. The engine's unsafe defaults are guarded here:
// - every fact the policy uses is defined on the engine (a missing one would abort the run);
//   its value comes from the employee's fact table, and missing data reaches the operators as
//   `undefined`, which the typed operators never read as true;
// - the built-in operators are replaced by the typed, three-valued ones of operators.ts, and
//   each decorated name is registered whole, so that `not:` cannot turn missing data into true;
// - durations are normalised to seconds; priorities are integers ≥ 1 (checked at load).
// `not` blocks, whose negation json-rules-engine applies to "false because missing", are
// decided by the three-valued pass over the results in evaluate.ts.
import { Engine } from 'json-rules-engine';
import type { MetricInfo, MetricUnit, Registry } from '../registry/registry.ts';
import { factTypeIn } from '../policy/check.ts';
import { parseDuration } from '../policy/duration.ts';
import { segmentWords } from '../metrics/where.ts';
import {
  isAll, isAny, isFactRef, isLeaf, isNot, isReference,
  type Condition, type LeafCondition, type Policy, type Rule,
} from '../policy/types.ts';
import { factKey, type FactTable, type ResolvedFact } from './facts.ts';
import { builtinOperator, guardPluginOperator, operatorFunction, parseOperator, type OperatorFn } from './operators.ts';

/** Plugin operator implementations, by id (filled by the plugin host when it activates them). */
export type OperatorImplementations = ReadonlyMap<string, (factValue: unknown, value: unknown) => unknown>;

export interface CompiledRule {
  rule: Rule;
  index: number;
  priority: number;
  /** The rule's conditions with shared references kept and durations in seconds. */
  when: Condition;
}

export interface CompiledPolicy {
  policy: Policy;
  rules: CompiledRule[];
  /** Rules in evaluation order: priority high to low, then as written. */
  order: CompiledRule[];
  conditions: Record<string, Condition>;
  operators: ReadonlyMap<string, OperatorFn>;
  /** The metrics the policy's facts use (enough to compile it again in a worker thread). */
  metrics: MetricInfo[];
  /** Whether a condition uses a plugin operator (whose code lives with the plugin host). */
  usesPluginOperators: boolean;
  /** The unit of each fact the policy reads that has one (durations show as `4h` in explanations). */
  units: ReadonlyMap<string, MetricUnit>;
  /** The segment of each fact with a `params.where`, in words (`tickets with priority 1`), for explanations. */
  segments: ReadonlyMap<string, string>;
  /** Every (fact, params) the policy reads, for the planner. */
  requirements: Array<{ fact: string; params?: Record<string, unknown>; key: string }>;
  /** Runs the reference engine for one fact table; calls are serialised (json-rules-engine #303). */
  runReference(table: FactTable): Promise<Map<string, ReferenceRuleResult>>;
}

/** What json-rules-engine reports for one rule: its boolean result and evaluated conditions. */
export interface ReferenceRuleResult {
  result: boolean;
  conditions: unknown;
}

const TABLE_FACT = '__appraise_facts';

export function compilePolicy(policy: Policy, registry: Registry, implementations: OperatorImplementations = new Map()): CompiledPolicy {
  const durationFacts = new Set<string>();
  const factNames = new Set<string>([...Object.keys(policy.spec.facts ?? {})]);
  const operatorNames = new Set<string>();
  const requirements = new Map<string, { fact: string; params?: Record<string, unknown>; key: string }>();
  const need = (fact: string, params?: Record<string, unknown>) => {
    const key = factKey(fact, params);
    if (!requirements.has(key)) requirements.set(key, params && Object.keys(params).length ? { fact, params, key } : { fact, key });
    factNames.add(fact);
  };

  const isDurationFact = (name: string): boolean => {
    if (!durationFacts.has(name) && factTypeIn(policy, registry, name)?.unit === 'duration') durationFacts.add(name);
    return durationFacts.has(name);
  };

  const toSeconds = (v: unknown): unknown => {
    if (typeof v === 'string') return parseDuration(v) ?? v;
    if (Array.isArray(v)) return v.map(toSeconds);
    return v;
  };

  const normalise = (c: Condition): Condition => {
    if (isAll(c)) return { ...c, all: c.all.map(normalise) };
    if (isAny(c)) return { ...c, any: c.any.map(normalise) };
    if (isNot(c)) return { ...c, not: normalise(c.not) };
    if (isReference(c)) return { ...c };
    const leaf = c as LeafCondition;
    operatorNames.add(leaf.operator);
    need(leaf.fact, leaf.params);
    let value = leaf.value;
    if (isFactRef(value)) need(value.fact, value.params);
    else if (isDurationFact(leaf.fact) && !leaf.path) value = toSeconds(value);
    return { ...leaf, value };
  };

  const conditions: Record<string, Condition> = {};
  for (const [name, c] of Object.entries(policy.spec.conditions ?? {})) conditions[name] = normalise(c);
  const rules: CompiledRule[] = policy.spec.rules.map((rule, index) => ({
    rule,
    index,
    priority: rule.priority ?? 1,
    when: normalise(rule.when),
  }));
  const order = [...rules].sort((a, b) => b.priority - a.priority || a.index - b.index);

  const operators = new Map<string, OperatorFn>();
  for (const name of operatorNames) {
    const fn = operatorFunction(name, (id) => {
      const impl = implementations.get(id);
      return impl ? guardPluginOperator(impl) : undefined;
    });
    // A plugin operator whose code is not available is "cannot decide", never false.
    operators.set(name, fn ?? (() => undefined));
  }

  const engine = new Engine([], {
    allowUndefinedFacts: false,
    allowUndefinedConditions: false,
    replaceFactsInEventParams: false,
  });
  for (const [name, fn] of operators) {
    engine.addOperator(name, (a: unknown, b: unknown) => {
      try {
        return fn(a, b) === true;
      } catch {
        return false; // recorded as an error by the three-valued pass
      }
    });
  }
  for (const name of factNames) {
    engine.addFact(name, (params: Record<string, unknown>, almanac: { factValue(id: string): Promise<unknown> }) =>
      almanac.factValue(TABLE_FACT).then((table) => valueForEngine((table as FactTable).get(factKey(name, params)))),
    );
  }
  for (const [name, c] of Object.entries(conditions)) {
    engine.setCondition(name, { ...c, name: (c as { name?: string }).name ?? name } as never);
  }
  for (const r of rules) {
    engine.addRule({
      name: r.rule.id,
      priority: r.priority,
      conditions: r.when as never,
      event: { type: r.rule.id, params: { outcome: r.rule.then.outcome } },
    });
  }

  let tail: Promise<unknown> = Promise.resolve();
  const runReference = (table: FactTable): Promise<Map<string, ReferenceRuleResult>> => {
    const run = tail.then(async () => {
      const { results, failureResults } = await engine.run({ [TABLE_FACT]: table });
      const out = new Map<string, ReferenceRuleResult>();
      for (const r of [...results, ...failureResults]) {
        out.set(String(r.name), { result: r.result === true, conditions: r.conditions });
      }
      return out;
    });
    tail = run.catch(() => undefined);
    return run;
  };

  const units = new Map<string, MetricUnit>();
  for (const name of factNames) {
    const unit = factTypeIn(policy, registry, name)?.unit;
    if (unit) units.set(name, unit);
  }
  const metrics = [...new Set(Object.values(policy.spec.facts ?? {}).map((f) => f.metric))]
    .map((id) => registry.metrics.get(id))
    .filter((m): m is MetricInfo => Boolean(m))
    .map(({ id, title, unit, range, variants, direction, defaultMinSamples, plugin, recordKind }) => ({ id, title, unit, ...(range ? { range } : {}), ...(variants ? { variants } : {}), direction, defaultMinSamples, plugin, ...(recordKind ? { recordKind } : {}) }));
  const segments = new Map<string, string>();
  for (const [name, decl] of Object.entries(policy.spec.facts ?? {})) {
    const words = segmentWords(decl.params?.where, registry.metrics.get(decl.metric)?.recordKind);
    if (words) segments.set(name, words);
  }
  const usesPluginOperators = [...operatorNames].some((n) => !builtinOperator(parseOperator(n).base));
  return { policy, rules, order, conditions, operators, metrics, usesPluginOperators, units, segments, requirements: [...requirements.values()], runReference };
}

function valueForEngine(f: ResolvedFact | undefined): unknown {
  return f && f.status === 'ok' ? f.value : undefined;
}
