// Static checks of a policy that has passed the schema: every reference resolves against the
// registry (facts, metrics, operators, workflows, shared conditions), values are in the unit
// and range of what they are compared with, and tests name real rules. Everything json-rules-
// engine would only discover at run time (or never) is caught here, with a location.
import type { Diagnostic, Severity } from '../diagnostics/diagnostic.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';
import type { Registry, ValueType } from '../registry/registry.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { BUILTIN_FACTS, type FactType } from './builtin-facts.ts';
import { builtinOperator, DECORATORS, parseOperator, BUILTIN_OPERATORS } from '../evaluate/operators.ts';
import { isDurationLiteral, parseDuration } from './duration.ts';
import { locate, type PathSegment, type YamlSource } from './yaml-source.ts';
import { ajv } from './schema-check.ts';
import { policyParamIds } from './labels.ts';
import { checkFactSegment } from './check-where.ts';
import { Cron } from 'croner';
import {
  isAll, isAny, isFactRef, isLeaf, isNot, isReference,
  type Condition, type LeafCondition, type Policy,
} from './types.ts';

export const MAX_CONDITION_DEPTH = 10;
/** The longest a policy may give coaching before it is due (spec.coaching.dueWithin). */
export const MAX_COACHING_DUE_DAYS = 365;

export interface ResolvedFactType extends FactType {
  /** The metric behind a declared fact. */
  metric?: string;
}

/** The type of a fact name in a policy: declared (a metric) or built in. */
export function factTypeIn(policy: Policy, registry: Registry, name: string): ResolvedFactType | undefined {
  const decl = policy.spec.facts?.[name];
  if (decl) {
    if (decl.percentileWithin) {
      return { type: 'number', unit: 'percent', range: [0, 100], metric: decl.metric, description: `percentile rank of ${decl.metric} within ${decl.percentileWithin} (100 = best)` };
    }
    const m = registry.metrics.get(decl.metric);
    const variant = m?.variants ? m.variants.values[String(decl.params?.[m.variants.param])] : undefined;
    return { type: 'number', unit: variant?.unit ?? m?.unit, range: variant ? variant.range : m?.range, metric: decl.metric, description: m?.title ?? decl.metric };
  }
  return BUILTIN_FACTS[name];
}

export function checkPolicy(source: YamlSource, policy: Policy, registry: Registry): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (code: ErrorCode, message: string, path: PathSegment[], which: 'key' | 'value' = 'value', severity: Severity = 'error') =>
    out.push({ code, severity, message, file: source.file, ...locate(source, path, which) });

  const spec = policy.spec;
  const declared = spec.facts ?? {};
  const knownFacts = [...Object.keys(declared), ...Object.keys(BUILTIN_FACTS)];
  const usedFacts = new Set<string>();

  // Schedule
  if (spec.schedule !== undefined) {
    try {
      new Cron(spec.schedule, { paused: true, timezone: 'UTC' });
      if (spec.schedule.trim().split(/\s+/).length !== 5) throw new Error('use 5 fields: minute hour day-of-month month day-of-week');
    } catch (e) {
      report('APPRAISE_POLICY_BAD_SCHEDULE', `\`${spec.schedule}\` is not a valid cron schedule: ${(e as Error).message.replace(/^CronPattern: /, '')}. Example: \`0 6 1 * *\` (06:00 UTC on the 1st of each month).`, ['spec', 'schedule']);
    }
  }

  // A coaching due-by the schema cannot bound: under an hour is no time to meet, over a year no due date.
  const dueWithin = spec.coaching?.dueWithin;
  if (dueWithin !== undefined && isDurationLiteral(dueWithin)) {
    const seconds = parseDuration(dueWithin)!;
    if (seconds < 3600 || seconds > MAX_COACHING_DUE_DAYS * 86400) {
      report('APPRAISE_POLICY_BAD_DURATION', `A coaching case cannot be due \`${dueWithin}\` after it opens: give a duration from 1h to ${MAX_COACHING_DUE_DAYS}d, e.g. \`14d\`.`, ['spec', 'coaching', 'dueWithin']);
    }
  }

  // Declared facts: their metric exists and their params fit the metric.
  for (const [name, decl] of Object.entries(declared)) {
    const metric = registry.metrics.get(decl.metric);
    if (!metric) {
      report('APPRAISE_POLICY_UNKNOWN_METRIC', `No plugin contributes the metric \`${decl.metric}\`.${didYouMean(decl.metric, registry.metrics.keys())} Run \`npx appraise plugins\` to list the metrics.`, ['spec', 'facts', name, 'metric']);
      continue;
    }
    if (metric.paramsSchema) {
      const validate = ajv().compile(metric.paramsSchema);
      if (!validate(decl.params ?? {})) {
        for (const e of validate.errors ?? []) {
          const sub = e.instancePath.split('/').filter(Boolean);
          const where = decl.params ? ['spec', 'facts', name, 'params', ...sub] : ['spec', 'facts', name];
          // Name what is allowed: "must be equal to one of the allowed values" alone leaves the
          // admin guessing (csat `mode: median` → mean, top2box).
          const extra = e.keyword === 'additionalProperties' ? ` \`${(e.params as { additionalProperty: string }).additionalProperty}\``
            : e.keyword === 'enum' ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => `\`${String(v)}\``).join(', ')}` : '';
          report('APPRAISE_POLICY_BAD_PARAMS', `The params of \`${name}\` do not fit ${decl.metric}: ${e.instancePath || 'params'} ${e.message}${extra}. See the metric's params in \`npx appraise plugins\`.`, where);
        }
      }
    } else if (decl.params && Object.keys(decl.params).length > 0) {
      report('APPRAISE_POLICY_BAD_PARAMS', `The metric ${decl.metric} takes no params; remove \`params\`.`, ['spec', 'facts', name, 'params'], 'key');
    }
    // The segment and target tables name fields of the metric's record kind.
    checkFactSegment(decl.params, metric, registry, ['spec', 'facts', name, 'params'], report);
  }

  // Shared conditions: references resolve and do not form a cycle.
  const shared = spec.conditions ?? {};
  const refGraph = new Map<string, string[]>();

  const walk = (c: Condition, path: PathSegment[], depth: number, owner: string | undefined): void => {
    if (depth > MAX_CONDITION_DEPTH) {
      report('APPRAISE_POLICY_CONDITION_TOO_DEEP', `Conditions nest more than ${MAX_CONDITION_DEPTH} levels deep here. Move a part into \`spec.conditions\` or simplify.`, path);
      return;
    }
    if (isAll(c)) c.all.forEach((sub, i) => walk(sub, [...path, 'all', i], depth + 1, owner));
    else if (isAny(c)) c.any.forEach((sub, i) => walk(sub, [...path, 'any', i], depth + 1, owner));
    else if (isNot(c)) walk(c.not, [...path, 'not'], depth + 1, owner);
    else if (isReference(c)) {
      if (!Object.hasOwn(shared, c.condition)) {
        report('APPRAISE_POLICY_UNKNOWN_CONDITION', `There is no shared condition \`${c.condition}\` in spec.conditions.${didYouMean(c.condition, Object.keys(shared))}`, [...path, 'condition']);
      } else if (owner) {
        refGraph.get(owner)?.push(c.condition);
      }
    } else if (isLeaf(c)) checkLeaf(c, path);
  };

  const checkLeaf = (c: LeafCondition, path: PathSegment[]): void => {
    const type = factTypeIn(policy, registry, c.fact);
    if (!type) {
      report('APPRAISE_POLICY_UNKNOWN_FACT', `\`${c.fact}\` is neither declared in spec.facts nor a built-in fact.${didYouMean(c.fact, knownFacts)}`, [...path, 'fact']);
    } else {
      usedFacts.add(c.fact);
    }
    // Operator and its decorators.
    const parsed = parseOperator(c.operator);
    if (parsed.unknownDecorator) {
      report('APPRAISE_POLICY_UNKNOWN_OPERATOR', `\`${parsed.unknownDecorator}\` is not an operator decorator.${didYouMean(parsed.unknownDecorator, DECORATORS.map((d) => d.id))} Decorators: ${DECORATORS.map((d) => d.id).join(', ')}.`, [...path, 'operator']);
      return;
    }
    const builtin = builtinOperator(parsed.base);
    const plugin = builtin ? undefined : registry.operators.get(parsed.base);
    if (!builtin && !plugin) {
      const names = [...BUILTIN_OPERATORS.map((o) => o.id), ...registry.operators.keys()];
      report('APPRAISE_POLICY_UNKNOWN_OPERATOR', `No operator \`${parsed.base}\` exists.${didYouMean(parsed.base, names)}`, [...path, 'operator']);
      return;
    }
    const op = (builtin ?? plugin)!;
    // Params: only built-in facts that take them (history windows).
    if (c.params !== undefined) {
      if (!type?.acceptsParams) {
        report('APPRAISE_POLICY_BAD_PARAMS', `\`${c.fact}\` takes no params in a condition; a metric's params belong in its spec.facts declaration.`, [...path, 'params'], 'key');
      } else {
        for (const [k, v] of Object.entries(c.params)) {
          if (k !== 'window') report('APPRAISE_POLICY_BAD_PARAMS', `\`${c.fact}\` takes only \`window\` as a param, not \`${k}\`.`, [...path, 'params', k], 'key');
          else if (!isDurationLiteral(v)) report('APPRAISE_POLICY_BAD_DURATION', `\`${String(v)}\` is not a duration. Write e.g. \`365d\`.`, [...path, 'params', k]);
        }
      }
    }
    if (!type) return;
    // Path only on object facts.
    let factType: ValueType = type.type;
    if (c.path !== undefined) {
      if (type.type !== 'object' && type.type !== 'any') {
        report('APPRAISE_POLICY_BAD_PATH', `\`path\` reads inside an object, but \`${c.fact}\` is ${type.type === 'number' ? 'a number' : `a ${type.type}`}. Remove \`path\`.`, [...path, 'path']);
        return;
      }
      factType = 'any';
    }
    const factList = parsed.decorators.some((d) => d.listSide === 'fact');
    const valueList = parsed.decorators.some((d) => d.listSide === 'value');
    if (factList) {
      if (factType !== 'array' && factType !== 'any') {
        report('APPRAISE_POLICY_TYPE_MISMATCH', `\`${c.operator}\` needs a list fact, but \`${c.fact}\` is ${factType === 'number' ? 'a number' : `a ${factType}`}. Drop the someFact/everyFact decorator.`, [...path, 'operator']);
        return;
      }
      factType = 'any';
    }
    if (op.factType !== 'any' && factType !== 'any' && op.factType !== factType) {
      report('APPRAISE_POLICY_TYPE_MISMATCH', `\`${parsed.base}\` compares ${op.factType === 'array' ? 'a list' : `a ${op.factType}`} fact, but \`${c.fact}\` is ${factType === 'array' ? 'a list' : `a ${factType}`}.`, [...path, 'operator']);
      return;
    }
    // The value side.
    if (isFactRef(c.value)) {
      const other = factTypeIn(policy, registry, c.value.fact);
      if (!other) {
        report('APPRAISE_POLICY_UNKNOWN_FACT', `\`${c.value.fact}\` is neither declared in spec.facts nor a built-in fact.${didYouMean(c.value.fact, knownFacts)}`, [...path, 'value', 'fact']);
        return;
      }
      usedFacts.add(c.value.fact);
      if ((type.unit === 'duration') !== (other.unit === 'duration') && !c.path && !c.value.path) {
        report('APPRAISE_POLICY_UNIT_MISMATCH', `\`${c.fact}\` (${type.unit ?? type.type}) is compared with \`${c.value.fact}\` (${other.unit ?? other.type}); compare facts of the same unit.`, [...path, 'value', 'fact']);
      }
      return;
    }
    if (valueList) {
      if (!Array.isArray(c.value) || c.value.length === 0) {
        report('APPRAISE_POLICY_TYPE_MISMATCH', `\`${c.operator}\` needs a non-empty list as its value.`, [...path, 'value']);
        return;
      }
      c.value.forEach((v, i) => checkValue(v, [...path, 'value', i], op.valueType, type, factType, c));
      return;
    }
    checkValue(c.value, [...path, 'value'], op.valueType, type, factType, c);
  };

  const checkValue = (value: unknown, path: PathSegment[], valueType: ValueType, type: ResolvedFactType, factType: ValueType, c: LeafCondition): void => {
    if (valueType === 'array') {
      if (!Array.isArray(value) || value.length === 0) {
        report('APPRAISE_POLICY_TYPE_MISMATCH', `\`${c.operator}\` needs a non-empty list of values, e.g. \`[a, b]\`${typeof value === 'string' ? ' (it never matches substrings)' : ''}.`, path);
        return;
      }
      value.forEach((v, i) => checkScalar(v, [...path, i], type, factType, c));
      return;
    }
    if (valueType === 'any' || valueType === 'number') {
      if (valueType === 'number' && typeof value !== 'number' && !(type.unit === 'duration' && typeof value === 'string')) {
        if (typeof value === 'string' && isDurationLiteral(value)) {
          report('APPRAISE_POLICY_UNIT_MISMATCH', `\`${value}\` is a duration, but \`${c.fact}\` is ${unitPhrase(type)}; compare it with a plain number.`, path);
        } else {
          report('APPRAISE_POLICY_TYPE_MISMATCH', `\`${c.operator}\` compares numbers; \`${JSON.stringify(value)}\` is not one.`, path);
        }
        return;
      }
      checkScalar(value, path, type, factType, c);
      return;
    }
    if (valueType !== typeof value) {
      report('APPRAISE_POLICY_TYPE_MISMATCH', `The operator \`${c.operator}\` needs a ${valueType} value, not \`${JSON.stringify(value)}\`.`, path);
    }
  };

  const checkScalar = (value: unknown, path: PathSegment[], type: ResolvedFactType, factType: ValueType, c: LeafCondition): void => {
    if (value === null || typeof value === 'object') {
      report('APPRAISE_POLICY_TYPE_MISMATCH', `Compare \`${c.fact}\` with a single value, not \`${JSON.stringify(value)}\`.`, path);
      return;
    }
    if (factType === 'any') return;
    if (type.unit === 'duration') {
      if (typeof value === 'number') {
        report('APPRAISE_POLICY_UNIT_MISMATCH', `\`${c.fact}\` is a duration; write the threshold with its unit, e.g. \`${value}s\`, \`${value}m\` or \`${value}h\`, not the bare number ${value}.`, path);
        return;
      }
      const seconds = parseDuration(String(value));
      if (seconds === undefined) {
        report('APPRAISE_POLICY_BAD_DURATION', `\`${String(value)}\` is not a duration. Write e.g. \`4h\` or \`15m\`.`, path);
        return;
      }
      checkRange(seconds, String(value), path, type, c);
      return;
    }
    if (factType === 'number') {
      if (typeof value !== 'number') {
        report(isDurationLiteral(value) ? 'APPRAISE_POLICY_UNIT_MISMATCH' : 'APPRAISE_POLICY_TYPE_MISMATCH', `\`${c.fact}\` is ${unitPhrase(type)}; compare it with a number, not \`${String(value)}\`.`, path);
        return;
      }
      checkRange(value, String(value), path, type, c);
      return;
    }
    if (factType !== typeof value) {
      report('APPRAISE_POLICY_TYPE_MISMATCH', `\`${c.fact}\` is a ${factType}; \`${JSON.stringify(value)}\` is a ${typeof value} and would never be equal.`, path);
    }
  };

  const checkRange = (n: number, text: string, path: PathSegment[], type: ResolvedFactType, c: LeafCondition): void => {
    const [min, max] = type.range ?? [null, null];
    if ((min !== null && n < min) || (max !== null && n > max)) {
      const range = `${min ?? '−∞'}–${max ?? '∞'}`;
      let hint = '';
      if (type.unit === 'ratio' && n > 1 && n <= 100) hint = ` Ratios run from 0 to 1: did you mean ${n / 100}?`;
      if (type.unit === 'percent' && max === 100 && n > 100) hint = ' Percentiles and percentages run from 0 to 100.';
      report('APPRAISE_POLICY_OUT_OF_RANGE', `${text} is outside the range of \`${c.fact}\` (${unitPhrase(type)}, ${range}), so this condition could never change.${hint}`, path);
    }
  };

  // Rules: unique ids, conditions, workflows.
  const seenRules = new Map<string, number>();
  spec.rules.forEach((rule, i) => {
    if (seenRules.has(rule.id)) {
      report('APPRAISE_POLICY_DUPLICATE_RULE', `The rule id \`${rule.id}\` is already used by rule ${seenRules.get(rule.id)! + 1}. Rule ids must be unique.`, ['spec', 'rules', i, 'id']);
    } else seenRules.set(rule.id, i);
    walk(rule.when, ['spec', 'rules', i, 'when'], 1, undefined);
    (rule.then.workflows ?? []).forEach((w, j) => {
      if (!registry.workflows.has(w)) {
        report('APPRAISE_POLICY_UNKNOWN_WORKFLOW', `No plugin contributes the workflow \`${w}\`.${didYouMean(w, registry.workflows.keys())}`, ['spec', 'rules', i, 'then', 'workflows', j]);
      }
    });
  });
  for (const [name, c] of Object.entries(shared)) {
    refGraph.set(name, []);
    // json-rules-engine keeps a shared condition only as all/any/not; a bare comparison would
    // pass here and fail in the middle of a run.
    if (c && typeof c === 'object' && !('all' in c) && !('any' in c) && !('not' in c)) {
      report('APPRAISE_POLICY_SHARED_CONDITION_SHAPE', `The shared condition \`${name}\` is a single comparison; a shared condition is \`all\`, \`any\` or \`not\` of conditions. Write \`${name}: { all: [ … ] }\` around it.`, ['spec', 'conditions', name], 'key');
    }
    walk(c, ['spec', 'conditions', name], 1, name);
  }
  const cycle = findCycle(refGraph);
  if (cycle) {
    report('APPRAISE_POLICY_CONDITION_CYCLE', `Shared conditions refer to each other in a cycle: ${cycle.join(' → ')}. Break the cycle.`, ['spec', 'conditions', cycle[0]], 'key');
  }
  for (const name of Object.keys(declared)) {
    if (!usedFacts.has(name)) {
      report('APPRAISE_POLICY_UNUSED_FACT', `The fact \`${name}\` is declared but no rule uses it; it would be computed for nothing.`, ['spec', 'facts', name], 'key', 'warning');
    }
  }

  // Labels: a title for an id no rule gives is never shown; most often the id is mistyped.
  const ids = policyParamIds(policy);
  for (const id of Object.keys(spec.labels ?? {})) {
    if (!ids.includes(id)) {
      report('APPRAISE_POLICY_UNUSED_LABEL', `No rule gives \`${id}\` in its params, so this label would never be shown.${didYouMean(id, ids)}`, ['spec', 'labels', id], 'key', 'warning');
    }
  }

  checkTests(policy, (spec.tests ?? []), ['spec', 'tests'], registry, report);
  return out;
}

type Reporter = (code: ErrorCode, message: string, path: PathSegment[], which?: 'key' | 'value', severity?: Severity) => void;

/** Checks policy tests (inline or from a *.test.yaml) against the policy they test. */
export function checkTests(policy: Policy, tests: Policy['spec']['tests'] & object, base: PathSegment[], registry: Registry, report: Reporter): void {
  const ruleIds = policy.spec.rules.map((r) => r.id);
  const names = new Map<string, number>();
  tests.forEach((t, i) => {
    if (names.has(t.name)) report('APPRAISE_POLICY_DUPLICATE_TEST', `Another test is already named \`${t.name}\`. Give each test its own name.`, [...base, i, 'name']);
    else names.set(t.name, i);
    for (const key of ['fired', 'indeterminate'] as const) {
      (t.expect[key] ?? []).forEach((id, j) => {
        if (!ruleIds.includes(id)) report('APPRAISE_POLICY_TEST_UNKNOWN_RULE', `The policy has no rule \`${id}\`.${didYouMean(id, ruleIds)}`, [...base, i, 'expect', key, j]);
      });
    }
    for (const name of Object.keys(t.facts ?? {})) {
      if (!factTypeIn(policy, registry, name)) {
        const known = [...Object.keys(policy.spec.facts ?? {}), ...Object.keys(BUILTIN_FACTS)];
        report('APPRAISE_POLICY_TEST_UNKNOWN_FACT', `The test gives a value for \`${name}\`, which the policy neither declares nor has built in.${didYouMean(name, known)}`, [...base, i, 'facts', name], 'key');
      }
    }
  });
}

function unitPhrase(t: ResolvedFactType): string {
  switch (t.unit) {
    case 'score': return 'a score';
    case 'percent': return 'a percentage';
    case 'ratio': return 'a ratio';
    case 'count': return 'a count';
    case 'duration': return 'a duration';
    case 'currency': return 'an amount of money';
    default: return `a ${t.type}`;
  }
}

function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'visiting') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'visiting');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of graph.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}
