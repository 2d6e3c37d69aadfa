// Explanations in words an HR admin reads: for each rule, whether it fired and, condition by
// condition, the value, the threshold, the window and the samples behind the value.
import { formatDuration } from '../policy/duration.ts';
import type { ConditionExplanation, EvaluationResult, FactSide, LeafExplanation, RuleExplanation } from './evaluate.ts';
import { operatorWords } from './operator-words.ts';

export { operatorWords };

export function formatValue(v: unknown, unit?: string): string {
  if (v === undefined) return 'no value';
  if (typeof v === 'number') {
    if (unit === 'duration') return formatDuration(v);
    if (unit === 'percent') return `${round(v)}%`;
    return String(round(v));
  }
  if (Array.isArray(v)) return v.map((x) => formatValue(x, unit)).join(', ');
  if (typeof v === 'string') return `"${v}"`;
  return JSON.stringify(v);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function describeSide(s: FactSide): string {
  const name = `${s.path ? `${s.fact} ${s.path}` : s.fact}${s.segment ? ` (${s.segment})` : ''}`;
  const window = s.window ? ` over ${s.window.from.slice(0, 10)} to ${s.window.to.slice(0, 10)}` : '';
  const samples = s.samples !== undefined ? `, ${s.samples} sample${s.samples === 1 ? '' : 's'}` : '';
  const notes = s.notes?.length ? ` (${s.notes.join('; ')})` : '';
  return `${name}${window}${samples}${notes}`;
}

const MARK = { pass: '✔', fail: '✘', unknown: '?' } as const;

export function explainLeafInWords(l: LeafExplanation): string {
  const unit = l.left.unit;
  const threshold = l.right ? `${describeSide(l.right)} (${formatValue(l.right.value, l.right.unit)})` : formatValue(l.threshold, unit);
  // A value with a note of its own (a percentile's group and raw value) shows it.
  const note = l.left.status === 'ok' && l.left.message ? `, ${l.left.message}` : '';
  const head = `${describeSide(l.left)} is ${formatValue(l.left.value, unit)}${note}; the condition needs it ${operatorWords(l.operator)} ${threshold}`;
  if (l.result === 'unknown') return `${MARK.unknown} ${head}: not decided, ${l.reason}`;
  return `${MARK[l.result]} ${head}: ${l.result === 'pass' ? 'met' : 'not met'}`;
}

function conditionLines(c: ConditionExplanation, indent: string): string[] {
  if (c.kind === 'fact') return [indent + explainLeafInWords(c)];
  const head = { all: 'all of', any: 'any of', not: 'not' }[c.kind];
  const label = c.name ? ` (${c.name})` : '';
  const lines = [`${indent}${MARK[c.result]} ${head}${label}:`];
  for (const child of c.children) lines.push(...conditionLines(child, indent + '    '));
  return lines;
}

const STATUS_WORDS: Record<RuleExplanation['status'], string> = {
  fired: 'FIRED',
  'not-fired': 'not fired',
  indeterminate: 'NOT DECIDED',
  shadowed: 'fired but not counted',
  blocked: 'not counted',
};

export function explainRuleInWords(r: RuleExplanation): string[] {
  return [
    `Rule ${r.ruleId} (${r.outcome}, priority ${r.priority}): ${STATUS_WORDS[r.status]}: ${r.reason}.`,
    ...conditionLines(r.conditions, '    '),
  ];
}

export function explainInWords(result: EvaluationResult): string {
  const lines: string[] = [];
  for (const r of result.rules) lines.push(...explainRuleInWords(r), '');
  const fired = result.fired.length ? result.fired.join(', ') : 'none';
  lines.push(`Outcome: ${fired === 'none' ? 'no rule fired' : `fired ${fired}`}${result.indeterminate.length ? `; not decided for lack of data: ${result.indeterminate.join(', ')}` : ''}.`);
  return lines.join('\n');
}
