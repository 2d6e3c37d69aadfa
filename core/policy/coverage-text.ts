// Policy test coverage in words, for the terminal and for a JUnit report: the figures per
// policy, then every outcome no test saw, at the file:line:col where the rule or comparison
// is written.
import type { ConditionOutcome, CoverageReport, CoverageSummary, PolicyCoverage, Ratio, RuleOutcome } from './coverage.ts';

const RULE_WORDS: Record<RuleOutcome, string> = { fired: 'applies', notFired: 'does not apply', undecided: 'cannot be decided' };
const CONDITION_WORDS: Record<ConditionOutcome, string> = { true: 'holds', false: 'does not hold', undecided: 'cannot be decided' };

/** A percentage rounded down to one decimal, so that 99.96% never reads as 100%. */
export function formatPercent(p: number): string {
  return `${Math.floor(p * 10) / 10}%`;
}

const ratio = (r: Ratio) => `${r.covered}/${r.total}${r.total ? ` (${formatPercent((100 * r.covered) / r.total)})` : ''}`;

/** The figures of a summary, as label and value pairs (the text report and JUnit properties). */
export function summaryFigures(s: CoverageSummary): Array<[key: string, label: string, value: string]> {
  return [
    ['rulesFired', 'rules applied by some test', ratio(s.rulesFired)],
    ['ruleOutcomes', 'rule outcomes (applies, does not apply, cannot be decided)', ratio(s.ruleOutcomes)],
    ['conditionOutcomes', 'condition outcomes (holds, does not hold, cannot be decided)', ratio(s.conditionOutcomes)],
    ['sharedConditions', 'shared conditions used', ratio(s.sharedConditions)],
    ['percent', 'all outcomes', formatPercent(s.percent)],
  ];
}

/** One line per rule, comparison or shared condition with an outcome no test saw, in file order. */
export function uncoveredLines(p: PolicyCoverage): string[] {
  const found: Array<{ line: number; column: number; text: string }> = [];
  const add = (x: { file: string; line: number; column: number }, what: string) => found.push({ line: x.line, column: x.column, text: `${x.file}:${x.line}:${x.column} ${what}` });
  const missing = <K extends string>(seen: Record<K, boolean>, words: Record<K, string>) =>
    (Object.keys(words) as K[]).filter((k) => !seen[k]).map((k) => words[k]).join(', or ');
  for (const r of p.rules) {
    const m = missing(r.seen, RULE_WORDS);
    if (m) add(r, `rule \`${r.ruleId}\`: no test where it ${m}`);
  }
  for (const c of p.conditions) {
    const m = missing(c.seen, CONDITION_WORDS);
    const owner = 'rule' in c.in ? `rule \`${c.in.rule}\`` : `shared condition \`${c.in.condition}\``;
    if (m) add(c, `\`${c.text}\` (${owner}): no test where it ${m}`);
  }
  for (const s of p.sharedConditions) if (!s.used) add(s, `shared condition \`${s.name}\`: no test uses it`);
  return found.sort((a, b) => a.line - b.line || a.column - b.column).map((x) => x.text);
}

export function coverageText(report: CoverageReport): string {
  const out: string[] = [];
  for (const p of report.policies) {
    out.push('', `Coverage of ${p.policyId} (${p.file}, ${p.tests} test${p.tests === 1 ? '' : 's'})`);
    for (const [, label, value] of summaryFigures(p.summary)) out.push(`  ${label}: ${value}`);
    const lines = uncoveredLines(p);
    if (lines.length) out.push('  not covered:', ...lines.map((l) => `    ${l}`));
  }
  const s = report.summary;
  out.push(
    '',
    `Coverage: ${formatPercent(s.percent)} of all outcomes seen (rules, conditions and shared conditions); rules applied by some test: ${ratio(s.rulesFired)}`,
  );
  return out.join('\n');
}
