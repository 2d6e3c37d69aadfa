// decide: each employee in a policy's scope is evaluated with the compiled policy and the
// precomputed facts; every counted, undecided or shadowed rule becomes a decision with its
// explanation (the condition trace: value, window, samples, operator, threshold, result).
import { evaluate, type EvaluationResult, type RuleExplanation } from '../evaluate/evaluate.ts';
import { decideFast, fastPolicy } from '../evaluate/fast.ts';
import { PARALLEL_THRESHOLD, runSlice, workerCount } from '../evaluate/parallel.ts';
import type { ResolvedFact } from '../evaluate/facts.ts';
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

export async function decidePolicy(p: PolicyPlan, facts: Map<string, Map<string, ResolvedFact>>, engine: Engine = 'compiled', parallelThreshold = PARALLEL_THRESHOLD): Promise<PolicyOutcome> {
  const decisions: Decision[] = [];
  let errors = 0;
  const policyId = p.compiled.policy.metadata.id;
  const paramsOf = new Map(p.compiled.policy.spec.rules.map((r) => [r.id, r.then.params ?? {}]));
  const fast = engine === 'compiled' ? fastPolicy(p.compiled) : undefined;
  const push = (e: { id: string }, r: RuleExplanation) => {
    decisions.push({
      employeeId: e.id,
      policyId,
      policyVersion: p.version,
      period: p.period,
      ruleId: r.ruleId,
      outcome: r.outcome,
      status: r.status as Decision['status'],
      params: paramsOf.get(r.ruleId)!,
      explanation: r,
    });
  };
  let employees = p.employees;
  let parallel: Promise<Array<{ results: Array<{ index: number; rules: RuleExplanation[] }>; errors: number }>> | undefined;
  if (fast && employees.length >= parallelThreshold && !p.compiled.usesPluginOperators) {
    // The main thread takes one share; each worker thread one of the others.
    const shares = workerCount() + 1;
    const size = Math.ceil(employees.length / shares);
    const policyKey = `${policyId}@${p.version}:${JSON.stringify(p.compiled.policy).length}`;
    parallel = Promise.all(Array.from({ length: shares - 1 }, (_, w) => {
      const from = size * (w + 1);
      const slice = employees.slice(from, from + size).map((e, i) => ({ index: from + i, employee: p.employeeFacts[from + i], facts: [...(facts.get(e.id) ?? new Map())] }));
      return runSlice(w, { policyKey, policy: p.compiled.policy, metrics: p.compiled.metrics, employees: slice as never });
    }));
    employees = employees.slice(0, size);
  }
  const none = new Map<string, ResolvedFact>();
  for (let i = 0; i < employees.length; i++) {
    const e = employees[i];
    const employeeFacts = facts.get(e.id) ?? none;
    const result: Pick<EvaluationResult, 'rules' | 'hasErrors'> = fast
      ? decideFast(fast, p.employeeFacts[i], employeeFacts)
      : await evaluate(p.compiled, p.employeeFacts[i], employeeFacts);
    if (result.hasErrors) errors++;
    for (const r of result.rules) if (r.status !== 'not-fired') push(e, r);
  }
  for (const slice of parallel ? await parallel : []) {
    errors += slice.errors;
    for (const { index, rules: rs } of slice.results) for (const r of rs) push(p.employees[index], r);
  }
  return { decisions, errors, evaluated: p.employees.length };
}
