// Runs policy tests: each case gives fact values by hand (in the metric's unit; duration
// literals accepted; a fact left out is missing data) and the rules that must count.
import type { Registry } from '../registry/registry.ts';
import { compilePolicy, type OperatorImplementations } from '../evaluate/compile.ts';
import { evaluate, type EvaluationResult } from '../evaluate/evaluate.ts';
import { givenFact, type EmployeeFacts, type ResolvedFact } from '../evaluate/facts.ts';
import { factTypeIn } from './check.ts';
import { parseDuration } from './duration.ts';
import type { Policy, PolicyTest } from './types.ts';

export interface TestCaseResult {
  policyId: string;
  file: string;
  name: string;
  passed: boolean;
  expected: { fired: string[]; indeterminate?: string[] };
  actual: { fired: string[]; indeterminate: string[] };
  evaluation: EvaluationResult;
  durationMs: number;
}

/** Turns hand-given values into resolved facts for every (fact, params) the policy reads. */
export function factsFromValues(policy: Policy, registry: Registry, requirements: Array<{ fact: string; key: string }>, values: Record<string, unknown>): Map<string, ResolvedFact> {
  const out = new Map<string, ResolvedFact>();
  for (const req of requirements) {
    if (req.fact.startsWith('employee.')) continue;
    if (!Object.hasOwn(values, req.fact)) continue;
    let v = values[req.fact];
    if (typeof v === 'string' && factTypeIn(policy, registry, req.fact)?.unit === 'duration') v = parseDuration(v) ?? v;
    out.set(req.key, givenFact(v));
  }
  return out;
}

export async function runPolicyTests(
  policy: Policy,
  tests: Array<{ file: string; test: PolicyTest }>,
  registry: Registry,
  implementations?: OperatorImplementations,
): Promise<TestCaseResult[]> {
  const compiled = compilePolicy(policy, registry, implementations);
  const results: TestCaseResult[] = [];
  for (const { file, test } of tests) {
    const started = performance.now();
    const facts = factsFromValues(policy, registry, compiled.requirements, test.facts ?? {});
    const employee = (test.employee ?? {}) as EmployeeFacts;
    const evaluation = await evaluate(compiled, employee, facts);
    const actual = { fired: evaluation.fired, indeterminate: evaluation.indeterminate };
    const firedOk = sameSet(test.expect.fired, actual.fired);
    const indetOk = test.expect.indeterminate === undefined || sameSet(test.expect.indeterminate, actual.indeterminate);
    results.push({
      policyId: policy.metadata.id,
      file,
      name: test.name,
      passed: firedOk && indetOk,
      expected: test.expect,
      actual,
      evaluation,
      durationMs: performance.now() - started,
    });
  }
  return results;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
