// Numbers, durations, dates and operators as the UI shows them; the same words as the CLI's
// explanations (core/evaluate/explain-text.ts), so a case reads alike everywhere. The duration
// literals and operator words are core's own (pure modules, bundled as they are); formatValue
// is the UI's own on purpose: fewer decimals, ratios as percentages, yes/no, unquoted strings.
// Times of day are the viewer's (time-view.ts adds the exact UTC instant on hover); a date
// alone is the UTC calendar day, as the engine counts days.
import { operatorWords as coreOperatorWords } from '../../core/evaluate/operator-words.ts';
import { formatDuration } from '../../core/policy/duration.ts';

export { formatDuration };

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/** A fact's value or a threshold in its unit. */
export function formatValue(v: unknown, unit?: string): string {
  if (v === undefined || v === null) return 'no value';
  if (typeof v === 'number') {
    if (unit === 'duration') return formatDuration(v);
    if (unit === 'percent') return `${round(v, 1)}%`;
    if (unit === 'ratio') return `${round(v * 100, 1)}%`;
    return String(round(v, 2));
  }
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.map((x) => formatValue(x, unit)).join(', ');
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

const SYMBOLS: Record<string, string> = { lessThan: '<', lessThanInclusive: '≤', greaterThan: '>', greaterThanInclusive: '≥', equal: '=', notEqual: '≠' };

/** An operator in the CLI's words; one without words (a plugin's) by its bare id. */
export function operatorWords(op: string): string {
  return coreOperatorWords(op, (id) => id);
}

export function operatorSymbol(op: string): string {
  return SYMBOLS[op] ?? operatorWords(op);
}

const dateFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const dateTimeFmts = new Map<string, Intl.DateTimeFormat>();

/** `23 Nov 2026`: the calendar day in UTC, as dates are entered (due dates) and windows counted. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFmt.format(d);
}

/**
 * `10 Dec 2026, 11:00 CET`: an instant in the viewer's time zone (or the one given), with the
 * zone's name, so nobody has to convert from UTC. `exactUtc` gives the instant itself.
 */
export function formatDateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const key = timeZone ?? '';
  let fmt = dateTimeFmts.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short', ...(timeZone ? { timeZone } : {}) });
    dateTimeFmts.set(key, fmt);
  }
  return fmt.format(d);
}

/** The exact instant in UTC, for a hover title: `2026-12-10 10:00:00 UTC` (milliseconds when there are any). */
export function exactUtc(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const text = d.toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
  return `${text} UTC`;
}

/** Whether an instant is a day boundary in UTC (an as-of date picked as a day, a due date). */
export function isUtcMidnight(iso: string | null | undefined): boolean {
  if (!iso) return false;
  const d = new Date(iso);
  return !Number.isNaN(d.getTime()) && d.getTime() % 86_400_000 === 0;
}

/** A day boundary as its day (`5 Dec 2026`), any other instant as the viewer's date and time. */
export function formatWhen(iso: string | null | undefined, timeZone?: string): string {
  return isUtcMidnight(iso) ? formatDate(iso) : formatDateTime(iso, timeZone);
}

/** A half-open window [from, to) in days: `24 Oct – 23 Nov 2026` (the last day shown is the one before `to`). */
export function formatWindow(w: { from: string; to: string } | undefined): string {
  if (!w) return '';
  const last = new Date(new Date(w.to).getTime() - 1);
  return `${formatDate(w.from)} – ${dateFmt.format(last)}`;
}

/** Today's date, YYYY-MM-DD in UTC, for date inputs. */
export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

export function percent(n: number | null | undefined, digits = 0): string {
  return n === null || n === undefined ? '—' : `${(n * 100).toFixed(digits)}%`;
}

export const OUTCOME_LABEL: Record<string, string> = { recognition: 'Recognition', coaching: 'Coaching', pip: 'PIP' };

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
