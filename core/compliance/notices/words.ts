// The pieces of a worker notice in people's words: a measure's title and unit, its window, the
// data it comes from, a threshold in its unit ("3.6 out of 5", "60%", "4 hours"), who a policy
// applies to. Operators, fact names and durations are the words the explanations already use
// (core/evaluate/operator-words.ts, core/evaluate/fact-words.ts, core/policy/duration.ts).
import { operatorWords as coreOperatorWords } from '../../evaluate/operator-words.ts';
import { durationWords, formatDuration, parseDuration } from '../../policy/duration.ts';
import type { MetricUnit } from '../../registry/registry.ts';
import type { Selector } from '../../policy/types.ts';

/** An operator in words; a plugin's operator without words by its bare id. */
export function operatorWords(op: string): string {
  return coreOperatorWords(op, (id) => id);
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** A title inside a sentence: "Quota attainment" → "quota attainment"; "Net Promoter Score" and "CSAT" stay. */
export function inSentence(title: string): string {
  const [first, second] = title.split(' ');
  if (second !== undefined && /^[A-Z]/.test(second)) return title;
  return /^[A-Z][a-z]/.test(first) ? title[0].toLowerCase() + title.slice(1) : title;
}

/** A record kind's title for a count of them: "Customer survey response" → "customer survey responses". */
export function kindPlural(title: string): string {
  const t = inSentence(title);
  return /s$|received$/i.test(t) ? t : `${t}s`;
}

/** A count of records of a kind: "1 sales deal", "20 customer survey responses". */
export function kindCount(n: number, title: string): string {
  return `${n} ${n === 1 ? inSentence(title) : kindPlural(title)}`;
}

/** "a and b", "a, b and c". */
export function listWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The window a value covers, counted back from each evaluation: "over the last 90 days", "over the 90 days before the last 90 days". */
export function windowWords(window: string, offset?: string): string {
  const w = durationWords(window);
  return offset && parseDuration(offset) ? `over the ${w} before the last ${durationWords(offset)}` : `over the last ${w}`;
}

/** What a unit is, for the list of measures: "a score from 1 to 5", "a percentage", "a length of time". */
export function unitWords(unit: MetricUnit | undefined, range?: [number | null, number | null]): string {
  switch (unit) {
    case 'score':
      return range && range[0] !== null && range[1] !== null ? `a score from ${range[0]} to ${range[1]}` : 'a score';
    case 'percent':
    case 'ratio':
      return 'a percentage';
    case 'duration':
      return 'a length of time';
    case 'count':
      return 'a count';
    case 'currency':
      return 'an amount of money';
    default:
      return 'a value';
  }
}

/**
 * A threshold in the measure's unit, as the person reads their own number: a score on a 1–5
 * scale "3.6 out of 5", a ratio "60%", a duration "4 hours".
 */
export function amountWords(v: unknown, unit: MetricUnit | undefined, range?: [number | null, number | null]): string {
  if (unit === 'duration') {
    if (typeof v === 'string') return durationWords(v);
    if (typeof v === 'number') return durationWords(formatDuration(v));
  }
  if (typeof v === 'number') {
    if (unit === 'percent') return `${round(v, 1)}%`;
    if (unit === 'ratio') return `${round(v * 100, 1)}%`;
    if (unit === 'score' && range && range[1] !== null && (range[0] === 0 || range[0] === 1)) return `${round(v, 3)} out of ${range[1]}`;
    if (unit === 'score' && range && range[0] !== null && range[1] !== null) return `${round(v, 3)} on a scale from ${range[0]} to ${range[1]}`;
    return String(round(v, 3));
  }
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return listWords(v.map((x) => amountWords(x, unit, range)));
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** Who a policy's appliesTo selects, in words: "people in the role support-agent who have been with the company at least 30 days". */
export function selectorWords(s: Selector): string {
  const parts: string[] = [];
  const one = (label: string, many: string, xs?: string[]) => {
    if (xs?.length) parts.push(`${xs.length === 1 ? label : many} ${listWords(xs)}`);
  };
  one('in the role', 'in the roles', s.roles);
  one('in the team', 'in the teams', s.teams);
  one('in the department', 'in the departments', s.departments);
  one('at the location', 'at the locations', s.locations);
  for (const [k, v] of Object.entries(s.attributes ?? {})) parts.push(`whose ${k} is ${String(v)}`);
  const who = parts.length ? `People ${parts.join(', ')}` : 'Everyone';
  const tenure: string[] = [];
  if (s.minTenure) tenure.push(`at least ${durationWords(s.minTenure)}`);
  if (s.maxTenure) tenure.push(`less than ${durationWords(s.maxTenure)}`);
  return tenure.length ? `${who} who have been with the company ${tenure.join(' and ')}` : who;
}

/** "14 Dec 2026": the UTC calendar day, as the engine counts days (the UI's formatDate says the same). */
export function dayWords(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(iso));
}
