// One decision-log entry per person a policy evaluated, as OPA's decision logs keep one per
// query: which policy version, the input facts exactly as the decide phase read them, the
// result, and the explanation. With the policy text (stored under its version, or carried in the
// log for an unpublished draft) an auditor can evaluate the entry again and must get the same
// result (replay.ts).
import type { RuleExplanation } from '../../evaluate/evaluate.ts';
import { employeeFacts, type EmployeeFacts, type ResolvedFact } from '../../evaluate/facts.ts';
import { forEachLeafOf, type Policy } from '../../policy/types.ts';
import type { Decision } from '../../run/decide.ts';

export const DECISION_LOG_FORMAT = 1;

/** What was evaluated: a run (stored or dry) or a preview of a draft. */
export interface DecisionLogContext {
  kind: 'run' | 'preview';
  runId?: number;
  trigger: string;
  asOf: string;
  dryRun: boolean;
}

/** The line that starts each policy's block: the version, its text's hash, and a draft's document. */
export interface PolicyLine {
  type: 'policy';
  format: number;
  loggedAt: string;
  context: DecisionLogContext;
  policy: { id: string; version: number; contentHash?: string; period: string };
  /** An unpublished draft (a preview, version 0) has no stored text: its parsed document is logged. */
  document?: Policy;
}

export interface DecisionLine {
  type: 'decision';
  format: number;
  /** `run-12/support-agents/E000145`, `preview-<time>/…`: unique within the log. */
  id: string;
  loggedAt: string;
  context: DecisionLogContext;
  policy: { id: string; version: number; contentHash?: string; period: string };
  employeeId: string;
  /** Every fact the policy could read for this person (the employee's own fields by their `employee.*` key). */
  facts: Record<string, ResolvedFact>;
  /** The rules that fired, were undecided or were shadowed (none: no rule applied). */
  result: { outcomes: string[]; rules: Array<{ ruleId: string; outcome: string; status: string }> };
  explanation: RuleExplanation[];
}

export type LogLine = PolicyLine | DecisionLine;

/** The names of the facts a policy's conditions read (`employee.attributes` only when one does). */
export function factsRead(policy: Policy): Set<string> {
  const out = new Set<string>();
  forEachLeafOf(policy, (leaf) => out.add(leaf.fact));
  return out;
}

export interface PolicyDecisions {
  policy: Policy;
  version: number;
  contentHash?: string;
  period: string;
  employees: ReadonlyArray<{ id: string }>;
  employeeFacts: readonly EmployeeFacts[];
  facts: ReadonlyMap<string, ReadonlyMap<string, ResolvedFact>>;
  decisions: readonly Decision[];
}

/** The policy line and one decision line per person evaluated, in the employees' order. */
export function decisionLines(context: DecisionLogContext, p: PolicyDecisions, loggedAt = new Date().toISOString()): LogLine[] {
  const policy = { id: p.policy.metadata.id, version: p.version, ...(p.contentHash ? { contentHash: p.contentHash } : {}), period: p.period };
  const lines: LogLine[] = [{ type: 'policy', format: DECISION_LOG_FORMAT, loggedAt, context, policy, ...(p.version === 0 ? { document: p.policy } : {}) }];
  const byEmployee = new Map<string, Decision[]>();
  for (const d of p.decisions) {
    const list = byEmployee.get(d.employeeId);
    if (list) list.push(d);
    else byEmployee.set(d.employeeId, [d]);
  }
  // Free attributes hold protected ones: logged only where a condition reads them.
  const withAttributes = factsRead(p.policy).has('employee.attributes');
  const prefix = context.runId !== undefined ? `run-${context.runId}` : `${context.kind}-${loggedAt}`;
  p.employees.forEach((e, i) => {
    const facts: Record<string, ResolvedFact> = {};
    for (const [k, v] of employeeFacts(p.employeeFacts[i])) if (k !== 'employee.attributes' || withAttributes) facts[k] = v;
    for (const [k, v] of p.facts.get(e.id) ?? []) facts[k] = v;
    const ds = byEmployee.get(e.id) ?? [];
    lines.push({
      type: 'decision',
      format: DECISION_LOG_FORMAT,
      id: `${prefix}/${policy.id}/${e.id}`,
      loggedAt,
      context,
      policy,
      employeeId: e.id,
      facts,
      result: {
        outcomes: [...new Set(ds.filter((d) => d.status === 'fired' && d.explanation.counted).map((d) => d.outcome))].sort(),
        rules: ds.map((d) => ({ ruleId: d.ruleId, outcome: d.outcome, status: d.status })),
      },
      explanation: ds.map((d) => d.explanation),
    });
  });
  return lines;
}
