// The point in time and the records a metric left out, in words an HR admin reads: which view a
// run used ("As things stood on 15 Apr 2016: …"), and per fact how many records its formula
// ignored and why ("3 tickets ignored: first response before opening").
import { switchCase } from './aggregate/evaluate.ts';
import type { AggregateExpression, AggregateParams, Ignored, SecondsField } from './aggregate/types.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `15 Apr 2016`, with the time when it is not midnight UTC. */
export function plainDate(d: Date): string {
  const day = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? day : `${day} ${iso.slice(11, 16)} UTC`;
}

/** Which view a run used, in one sentence. */
export function viewWords(view: 'as-of' | 'latest', asOf: Date): string {
  const date = plainDate(asOf);
  return view === 'latest'
    ? `Looking ahead from ${date} (an audit view): everything known now counts, including responses and resolutions dated after that.`
    : `As things stood on ${date}: responses, resolutions and other events dated after that count as not yet happened, and a ticket resolved later as still open.`;
}

/**
 * The `{seconds: …}` value of a formula's samples leaf under these params (the leaf whose
 * ignored counts AggregateResult carries), or undefined when that leaf's value is no duration.
 */
export function samplesDuration(expr: AggregateExpression, params: AggregateParams): SecondsField | undefined {
  let first: Record<string, unknown> | undefined;
  let marked: Record<string, unknown> | undefined;
  const walk = (e: Record<string, unknown>, path: string): void => {
    if ('const' in e) return;
    if ('switch' in e) {
      const cases = e.cases as Record<string, Record<string, unknown>>;
      const name = switchCase(e.switch as string, e.default as string, new Map(Object.entries(cases)), params, path);
      return walk(cases[name], `${path}/cases/${name}`);
    }
    for (const op of ['add', 'sub', 'mul', 'div']) {
      if (Object.hasOwn(e, op)) return (e[op] as Record<string, unknown>[]).forEach((a, i) => walk(a, `${path}/${op}/${i}`));
    }
    first ??= e;
    if (e.samples === true) marked ??= e;
  };
  walk(expr as Record<string, unknown>, '');
  const leaf = marked ?? first;
  if (!leaf) return undefined;
  for (const op of ['mean', 'sum', 'min', 'max', 'quantile']) {
    const v = leaf[op];
    if (Object.hasOwn(leaf, op) && typeof v === 'object' && v !== null) return v as SecondsField;
  }
  return undefined;
}

// Field names as words: `firstResponseAt` → "first response", `openedAt` → "opening".
const NOUNS: Record<string, string> = { resolved: 'resolution', created: 'creation', closed: 'closing' };
export function fieldWords(field: string): string {
  const words = field
    .replace(/(At|_at|Time|_time|Date|_date|Seconds|_seconds)$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  if (NOUNS[words]) return NOUNS[words];
  return /^[a-z]+ed$/.test(words) ? `${words.slice(0, -2)}ing` : words || field;
}

/** A record kind's records: `support.ticket` → "ticket"/"tickets". */
function noun(kind: string, n: number): string {
  const local = kind.slice(kind.lastIndexOf('.') + 1).replace(/[-_]+/g, ' ');
  if (n === 1) return local;
  if (/(s|x|ch|sh)$/.test(local)) return `${local}es`;
  return /[^aeiou]y$/.test(local) ? `${local.slice(0, -1)}ies` : `${local}s`;
}

/**
 * Sentences for the records a fact's formula left out: durations that run backwards, and open
 * ones under "resolved only". Empty when none were.
 */
export function ignoredNotes(ignored: Ignored | undefined, field: SecondsField | undefined, kind: string, asOf: Date, view: 'as-of' | 'latest'): string[] {
  if (!ignored || !field) return [];
  const [from, to] = field.seconds;
  const notes: string[] = [];
  const n = ignored.negative ?? 0;
  if (n > 0) {
    const minus = field.minus ? `, or ${fieldWords(field.minus)} longer than that` : '';
    notes.push(`${n} ${noun(kind, n)} ignored: ${fieldWords(to)} before ${fieldWords(from)}${minus}`);
  }
  const o = ignored.open ?? 0;
  if (o > 0) {
    const when = view === 'as-of' ? ` on ${plainDate(asOf)}` : '';
    notes.push(`${o} ${noun(kind, o)} still open${when} ${o === 1 ? 'was' : 'were'} left out (no ${fieldWords(to)} yet)`);
  }
  return notes;
}
