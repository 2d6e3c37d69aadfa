// decide: each employee in a policy's scope is evaluated with the compiled policy and the
// precomputed facts; every counted, undecided or shadowed rule becomes a decision with its
// explanation (the condition trace: value, window, samples, operator, threshold, result).
import { evaluate, type EvaluationResult, type RuleExplanation } from '../evaluate/evaluate.ts';
import { buildFactTable } from '../evaluate/evaluate.ts';
import { compileFast, evaluateFast } from '../evaluate/fast.ts';
import type { ResolvedFact } from '../evaluate/facts.ts';
import { employeeFactsOf } from './employees.ts';
import type { PolicyPlan } from './plan.ts';

export interface Decision {
  employeeId: string;
  policyId: string;
  policyVersion: number;
  period: string;
  ruleId: string;
  outcome: 'recognition' | 'coaching' | 'pip';
  /** fired (counted), indeterminate, blocked (hitPolicy first behind an undecided rule) or shadowed. */
  status: 'fired' | 'indeterminate' | 'blocked' | 'shadowed';
  params: Record<string, unknown>;
  explanation: RuleExplanation;
}

export interface PolicyOutcome {
  decisions: Decision[];
  /** Employees for whom a plugin error left a rule undecided. */
  errors: number;
  evaluated: number;
}

/** `compiled`: the fast path (default); `reference`: json-rules-engine, the reference semantics. */
export type Engine = 'compiled' | 'reference';

export async function decidePolicy(p: PolicyPlan, facts: Map<string, Map<string, ResolvedFact>>, asOf: Date, engine: Engine = 'compiled'): Promise<PolicyOutcome> {
  const decisions: Decision[] = [];
  let errors = 0;
  const policyId = p.compiled.policy.metadata.id;
  const rules = new Map(p.compiled.policy.spec.rules.map((r) => [r.id, r]));
  const fast = engine === 'compiled' ? compileFast(p.compiled) : undefined;
  for (const e of p.employees) {
    const employeeFacts = facts.get(e.id) ?? new Map();
    const result: EvaluationResult = fast
      ? evaluateFast(fast, employeeFactsOf(e, asOf), employeeFacts)
      : await evaluate(p.compiled, employeeFactsOf(e, asOf), buildFactTable(undefined, employeeFacts));
    if (result.hasErrors) errors++;
    for (const r of result.rules) {
      if (r.status === 'not-fired') continue;
      decisions.push({
        employeeId: e.id,
        policyId,
        policyVersion: p.version,
        period: p.period,
        ruleId: r.ruleId,
        outcome: r.outcome,
        status: r.status,
        params: rules.get(r.ruleId)!.then.params ?? {},
        explanation: r,
      });
    }
  }
  return { decisions, errors, evaluated: p.employees.length };
}
