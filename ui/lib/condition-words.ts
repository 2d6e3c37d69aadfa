// A rule's conditions as an HR admin or a manager reads them: "has an active improvement plan:
// no" instead of `history.pip.isActive = no`, "days with the company at least 90" instead of
// `employee.tenureDays ≥ 90`. The employee's own view says "you" (explain-words.ts); this one
// speaks about the person. A fact the policy declares keeps the name the policy gave it.
import type { FactSide, LeafExplanation } from '../api/types.ts';
import { formatValue, formatWindow, operatorWords, plural } from './format.ts';
import { durationWords } from './words.ts';

const EMPLOYEE_FACTS: Record<string, string> = {
  'employee.id': 'employee id',
  'employee.tenureDays': 'days with the company',
  'employee.role': 'role',
  'employee.team': 'team',
  'employee.department': 'department',
  'employee.location': 'location',
  'employee.managerId': 'manager',
  'employee.attributes': 'attributes',
};

const CASE_NOUN: Record<string, string> = { recognition: 'recognition', coaching: 'coaching', pip: 'improvement plan' };
const HISTORY_WINDOW = '365d'; // core/policy/builtin-facts.ts DEFAULT_HISTORY_WINDOW

/** A fact's name in words, with its path and history window where it has them. */
export function factPhrase(fact: string, o: { path?: string; params?: Record<string, unknown> } = {}): string {
  if (fact === 'history.pip.isActive') return 'has an active improvement plan';
  const history = /^history\.(recognition|coaching|pip)\.(.+)$/.exec(fact);
  if (history) {
    const [, outcome, status] = history;
    const window = typeof o.params?.window === 'string' ? o.params.window : HISTORY_WINDOW;
    const opened = `${CASE_NOUN[outcome]} cases opened in the last ${durationWords(window)}`;
    return status === 'total' ? opened : `${opened} that are now ${status}`;
  }
  if (fact === 'employee.attributes' && o.path) return `attribute ${o.path.replace(/^\$\.?/, '')}`;
  // `csatLastQuarter` → `csat last quarter`; a one-word name stays as the policy wrote it.
  const spaced = fact.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
  const base = EMPLOYEE_FACTS[fact] ?? (spaced === fact ? fact : spaced.toLowerCase());
  return o.path ? `${base} ${o.path.replace(/^\$\.?/, '')}` : base;
}

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
