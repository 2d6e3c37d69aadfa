// A rule's conditions as an HR admin or a manager reads them: "has an active improvement plan:
// no" instead of `history.pip.isActive = no`, "days with the company at least 90" instead of
// `employee.tenureDays ≥ 90`. The employee's own view says "you" (explain-words.ts); this one
// speaks about the person. A fact the policy declares keeps the name the policy gave it.
import type { FactSide, LeafExplanation } from '../api/types.ts';
import { formatValue, formatWindow, operatorWords, plural } from './format.ts';
import { factPhrase } from '../../core/evaluate/fact-words.ts';

export { factPhrase };

function side(s: FactSide): string {
  return factPhrase(s.fact, { path: s.path, params: s.params });
}

/** The condition itself: `csat below 4.2`, `has an active improvement plan: no`. */
export function conditionWords(l: Pick<LeafExplanation, 'operator' | 'left' | 'right' | 'threshold' | 'name'>): string {
  const fact = side(l.left);
  let text: string;
  if (l.right) text = `${fact} ${operatorWords(l.operator)} ${side(l.right)}`;
  else if (typeof l.threshold === 'boolean' && (l.operator === 'equal' || l.operator === 'notEqual')) {
    text = `${fact}: ${l.operator === 'notEqual' ? 'not ' : ''}${formatValue(l.threshold)}`;
  } else text = `${fact} ${operatorWords(l.operator)} ${formatValue(l.threshold, l.left.unit)}`;
  return l.name ? `${l.name} (${text})` : text;
}

/** What the person's number was, over which days and from how many data points. */
export function valueWords(l: Pick<LeafExplanation, 'left' | 'right'>): string {
  const s = l.left;
  const value = s.value === undefined || s.value === null ? 'no value' : formatValue(s.value, s.unit);
  const parts = [`was ${value}`];
  if (s.window) parts.push(formatWindow(s.window));
  if (s.samples !== undefined) parts.push(`${plural(s.samples, 'data point')}${s.minSamples !== undefined ? ` (at least ${s.minSamples} needed)` : ''}`);
  if (l.right) parts.push(`${side(l.right)} was ${formatValue(l.right.value, l.right.unit)}`);
  return parts.join(' · ');
}

/** The heading of a group of conditions. */
export function groupWords(kind: 'all' | 'any' | 'not'): string {
  return { all: 'All of these', any: 'At least one of these', not: 'None of these' }[kind];
}
