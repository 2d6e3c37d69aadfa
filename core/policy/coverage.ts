// Policy test coverage: which outcomes of each rule and of each condition the tests exercised,
// so an HR team sees what its tests never tried ("no test where csat < 3.6 cannot be decided")
// and can hold its CI to a minimum. Read from the explanations the test run already keeps:
// each rule's source condition tree is walked beside its evaluated tree, through shared
// `condition:` references, so every comparison is counted at the line where it is written.
import type { ConditionExplanation, EvaluationResult } from '../evaluate/evaluate.ts';
import { operatorWords } from '../evaluate/operator-words.ts';
import type { TestCaseResult } from './run-tests.ts';
import { isAll, isAny, isFactRef, isNot, isReference, type Condition, type LeafCondition, type Policy } from './types.ts';
import { locate, type PathSegment, type YamlSource } from './yaml-source.ts';

/** What a rule did in a test: counted (`fired`), did not apply, or could not be decided. */
export type RuleOutcome = 'fired' | 'notFired' | 'undecided';
/** What one comparison gave in a test. */
export type ConditionOutcome = 'true' | 'false' | 'undecided';

export const RULE_OUTCOMES: readonly RuleOutcome[] = ['fired', 'notFired', 'undecided'];
export const CONDITION_OUTCOMES: readonly ConditionOutcome[] = ['true', 'false', 'undecided'];

interface Located {
  file: string;
  line: number;
  column: number;
}

export interface RuleCoverage extends Located {
  ruleId: string;
  seen: Record<RuleOutcome, boolean>;
}

export interface ConditionCoverage extends Located {
  /** The rule it is written in, or the shared condition (`spec.conditions.<name>`) it belongs to. */
  in: { rule: string } | { condition: string };
  /** The comparison as written, in words: `csat below 3.6`. */
  text: string;
  seen: Record<ConditionOutcome, boolean>;
}

export interface SharedConditionCoverage extends Located {
  name: string;
  used: boolean;
}

/** A count of outcomes seen out of those possible. */
export interface Ratio {
  covered: number;
  total: number;
}

export interface CoverageSummary {
  /** Rules that some test saw fire (counted by the hit policy). */
  rulesFired: Ratio;
  /** Rule outcomes seen: 3 per rule (fired, not fired, undecided). */
  ruleOutcomes: Ratio;
  /** Comparison outcomes seen: 3 per comparison (true, false, undecided). */
  conditionOutcomes: Ratio;
  /** Shared conditions that some test evaluated. */
  sharedConditions: Ratio;
  /**
   * The figure `--min-coverage` is held to: every outcome seen out of every outcome possible,
   * that is (rule outcomes + comparison outcomes + shared conditions used) over their totals,
   * in percent. 100 when there is nothing to cover.
   */
  percent: number;
}

export interface PolicyCoverage {
  policyId: string;
  file: string;
  tests: number;
  rules: RuleCoverage[];
  conditions: ConditionCoverage[];
  sharedConditions: SharedConditionCoverage[];
  summary: CoverageSummary;
}

export interface CoverageReport {
  policies: PolicyCoverage[];
  summary: CoverageSummary;
}

export interface CoveredPolicy {
  file: string;
  policy: Policy;
  source?: YamlSource;
}

/** The coverage of one policy by the results of its tests (from `runPolicyTests`). */
export function policyCoverage(loaded: CoveredPolicy, results: readonly TestCaseResult[]): PolicyCoverage {
  const { policy, file, source } = loaded;
  const at = (path: PathSegment[], which: 'key' | 'value' = 'value'): Located => ({ file, ...(source ? locate(source, path, which) : { line: 0, column: 0 }) });
  const shared = policy.spec.conditions ?? {};

  const rules: RuleCoverage[] = policy.spec.rules.map((rule, i) => ({ ruleId: rule.id, ...at(['spec', 'rules', i]), seen: none(RULE_OUTCOMES) }));
  const sharedConditions: SharedConditionCoverage[] = Object.keys(shared).map((name) => ({ name, ...at(['spec', 'conditions', name], 'key'), used: false }));
  // One entry per comparison as written: a comparison in a shared condition is one entry, however many rules use it.
  const conditions = new Map<string, ConditionCoverage>();
  const comparison = (c: LeafCondition, path: PathSegment[], owner: ConditionCoverage['in']): ConditionCoverage => {
    const key = JSON.stringify(path);
    let entry = conditions.get(key);
    if (!entry) conditions.set(key, (entry = { in: owner, text: leafText(c), ...at(path), seen: none(CONDITION_OUTCOMES) }));
    return entry;
  };
  // Every comparison is listed, also those no test reached (a shared condition no rule uses).
  policy.spec.rules.forEach((rule, i) => forEachLeaf(rule.when, ['spec', 'rules', i, 'when'], (c, path) => comparison(c, path, { rule: rule.id })));
  for (const [name, c] of Object.entries(shared)) forEachLeaf(c, ['spec', 'conditions', name], (leaf, path) => comparison(leaf, path, { condition: name }));

  for (const result of results) {
    policy.spec.rules.forEach((rule, i) => {
      rules[i].seen[ruleOutcome(result.evaluation, rule.id)] = true;
      const explained = result.evaluation.rules.find((r) => r.ruleId === rule.id)?.conditions;
      if (!explained) return;
      const walk = (c: Condition, e: ConditionExplanation, path: PathSegment[], owner: ConditionCoverage['in'], refs: string[]): void => {
        if (isReference(c)) {
          const target = shared[c.condition];
          // check.ts rejects unknown and cyclic references; the guard keeps a bad tree from looping.
          if (!target || refs.includes(c.condition)) return;
          const used = sharedConditions.find((s) => s.name === c.condition);
          if (used) used.used = true;
          walk(target, e, ['spec', 'conditions', c.condition], { condition: c.condition }, [...refs, c.condition]);
        } else if (e.kind === 'fact') {
          comparison(c as LeafCondition, path, owner).seen[conditionOutcome(e.result)] = true;
        } else if (isNot(c)) {
          if (e.children[0]) walk(c.not, e.children[0], [...path, 'not'], owner, refs);
        } else if (isAll(c) || isAny(c)) {
          const kind = isAll(c) ? 'all' : 'any';
          const list = isAll(c) ? c.all : (c as { any: Condition[] }).any;
          list.forEach((child, j) => {
            if (e.children[j]) walk(child, e.children[j], [...path, kind, j], owner, refs);
          });
        }
      };
      walk(rule.when, explained, ['spec', 'rules', i, 'when'], { rule: rule.id }, []);
    });
  }
  const list = [...conditions.values()];
  return {
    policyId: policy.metadata.id,
    file,
    tests: results.length,
    rules,
    conditions: list,
    sharedConditions,
    summary: summarise(rules, list, sharedConditions),
  };
}

/** The coverage of several policies, with the totals over all of them. */
export function coverageReport(policies: PolicyCoverage[]): CoverageReport {
  return {
    policies,
    summary: summarise(
      policies.flatMap((p) => p.rules),
      policies.flatMap((p) => p.conditions),
      policies.flatMap((p) => p.sharedConditions),
    ),
  };
}

function summarise(rules: RuleCoverage[], conditions: ConditionCoverage[], shared: SharedConditionCoverage[]): CoverageSummary {
  const seenCount = (seen: Record<string, boolean>) => Object.values(seen).filter(Boolean).length;
  const ruleOutcomes = { covered: sum(rules.map((r) => seenCount(r.seen))), total: rules.length * RULE_OUTCOMES.length };
  const conditionOutcomes = { covered: sum(conditions.map((c) => seenCount(c.seen))), total: conditions.length * CONDITION_OUTCOMES.length };
  const sharedConditions = { covered: shared.filter((s) => s.used).length, total: shared.length };
  const covered = ruleOutcomes.covered + conditionOutcomes.covered + sharedConditions.covered;
  const total = ruleOutcomes.total + conditionOutcomes.total + sharedConditions.total;
  return {
    rulesFired: { covered: rules.filter((r) => r.seen.fired).length, total: rules.length },
    ruleOutcomes,
    conditionOutcomes,
    sharedConditions,
    percent: total === 0 ? 100 : (100 * covered) / total,
  };
}

/** A rule's outcome as a test's `expect` reads it: in `fired`, in `indeterminate`, or neither. */
function ruleOutcome(evaluation: EvaluationResult, ruleId: string): RuleOutcome {
  if (evaluation.fired.includes(ruleId)) return 'fired';
  if (evaluation.indeterminate.includes(ruleId)) return 'undecided';
  return 'notFired';
}

function conditionOutcome(result: ConditionExplanation['result']): ConditionOutcome {
  return result === 'pass' ? 'true' : result === 'fail' ? 'false' : 'undecided';
}

/** Calls `fn` with each comparison written in `c` (not through references) and its path. */
function forEachLeaf(c: Condition, path: PathSegment[], fn: (leaf: LeafCondition, path: PathSegment[]) => void): void {
  if (isReference(c)) return;
  if (isAll(c)) c.all.forEach((x, j) => forEachLeaf(x, [...path, 'all', j], fn));
  else if (isAny(c)) c.any.forEach((x, j) => forEachLeaf(x, [...path, 'any', j], fn));
  else if (isNot(c)) forEachLeaf(c.not, [...path, 'not'], fn);
  else fn(c as LeafCondition, path);
}

function leafText(c: LeafCondition): string {
  const subject = c.path ? `${c.fact} ${c.path}` : c.fact;
  return `${subject} ${operatorWords(c.operator)} ${valueText(c.value)}`;
}

function valueText(v: unknown): string {
  if (isFactRef(v)) return v.path ? `${v.fact} ${v.path}` : v.fact;
  if (Array.isArray(v)) return `[${v.map(valueText).join(', ')}]`;
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function none<K extends string>(keys: readonly K[]): Record<K, boolean> {
  return Object.fromEntries(keys.map((k) => [k, false])) as Record<K, boolean>;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
