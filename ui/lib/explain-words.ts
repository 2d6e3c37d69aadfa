// A case's explanation in plain words for the employee it concerns, mirroring
// core/evaluate/explain-text.ts (the CLI's words) without its jargon: no rule ids, no
// operators, each condition as a sentence with the number, the threshold, the period and how
// many data points stood behind the number.
import type { ConditionExplanation, FactSide, LeafExplanation, RuleExplanation } from '../api/types.ts';
import { formatValue, formatWindow, operatorWords, OUTCOME_LABEL, plural } from './format.ts';

export interface WordLine {
  text: string;
  result: 'pass' | 'fail' | 'unknown' | 'group';
  depth: number;
}

const FACT_WORDS: Record<string, string> = {
  'employee.tenureDays': 'your time with the company (days)',
  'employee.role': 'your role',
  'employee.team': 'your team',
  'history.pip.isActive': 'whether you have an active improvement plan',
};

/** A fact's name in words: `csat` stays `csat` (the policy's own name), built-ins get a phrase. */
export function factWords(fact: string): string {
  if (FACT_WORDS[fact]) return FACT_WORDS[fact];
  const m = /^history\.(recognition|coaching|pip)\.(.+)$/.exec(fact);
  if (m) return `your ${OUTCOME_LABEL[m[1]].toLowerCase()} cases (${m[2]})`;
  return fact;
}

function sideWords(s: FactSide): string {
  const window = s.window ? ` from ${formatWindow(s.window)}` : '';
  const samples = s.samples !== undefined ? ` (${plural(s.samples, 'data point')}${s.notes?.length ? `; ${s.notes.join('; ')}` : ''})` : '';
  return `${factWords(s.fact)}${window}${samples}`;
}

export function leafInWords(l: LeafExplanation): string {
  const threshold = l.right ? `${factWords(l.right.fact)} (${formatValue(l.right.value, l.right.unit)})` : formatValue(l.threshold, l.left.unit);
  const value = l.left.value !== undefined && l.left.value !== null ? formatValue(l.left.value, l.left.unit) : 'not known';
  const note = l.left.status === 'ok' && l.left.message ? `, ${l.left.message}` : ''; // a percentile's group and raw value
  const head = `${l.name ? `${l.name}: ` : ''}${sideWords(l.left)} was ${value}${note}; the policy looks for ${operatorWords(l.operator)} ${threshold}`;
  if (l.result === 'unknown') return `${head}. This could not be decided: ${l.reason ?? l.left.message ?? 'not enough data'}.`;
  return `${head}. ${l.result === 'pass' ? 'This was the case.' : 'This was not the case.'}`;
}

/** A line for a part of a stored explanation this version cannot read (never a crash of the page). */
const UNREADABLE = 'This part of the explanation could not be read.';

function lines(c: ConditionExplanation, depth: number, out: WordLine[]): void {
  if (!c || (c.kind !== 'fact' && !Array.isArray((c as { children?: unknown }).children))) {
    out.push({ text: UNREADABLE, result: 'unknown', depth });
    return;
  }
  if (c.kind === 'fact') {
    out.push({ text: leafInWords(c), result: c.result, depth });
    return;
  }
  const head = { all: 'All of these:', any: 'At least one of these:', not: 'None of this:' }[c.kind];
  out.push({ text: c.name ? `${c.name}: ${head.toLowerCase()}` : head, result: 'group', depth });
  for (const child of c.children) lines(child, depth + 1, out);
}

/** One sentence on why the case exists, then each condition as a sentence. */
export function explainForEmployee(r: RuleExplanation): { summary: string; lines: WordLine[] } {
  const what = { recognition: 'This recognition was given', coaching: 'This coaching was offered', pip: 'This improvement plan was proposed' }[r.outcome] ?? 'This case was opened';
  const summary = r.status === 'fired' ? `${what} because the review policy's conditions were met:` : `${what}; the policy's conditions read as follows (${r.reason}):`;
  const out: WordLine[] = [];
  lines(r.conditions, 0, out);
  // A single top-level "all of these" adds nothing to the summary sentence.
  if (out[0]?.result === 'group' && r.conditions.kind === 'all' && !r.conditions.name) return { summary, lines: out.slice(1).map((l) => ({ ...l, depth: l.depth - 1 })) };
  return { summary, lines: out };
}
