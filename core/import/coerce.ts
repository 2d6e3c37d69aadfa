// Turning a cell's text into the JSON type its target asks for (from the record kind's JSON
// Schema, or a mapping's `type`). An empty cell never becomes 0 or false: it is "absent" before
// it gets here. A value that is already typed (NDJSON, a mapping's value map) is left alone.
import { DEFAULT_ZONE, describeFormats, outsideYears, parseDate, parseInstant, toUtcIso, yearsReason } from './datetime.ts';

export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'date-time' | 'date' | 'json';

export type Coerced = { ok: true; value: unknown } | { ok: false; reason: string };

export interface NumberFormat {
  /** The decimal separator, `.` by default. */
  decimal?: string;
  /** A thousands separator to ignore, none by default. */
  thousands?: string;
}

/** The type a JSON Schema property expects; `string` when it does not say. */
export function typeOfProperty(schema: unknown): FieldType {
  const s = (schema ?? {}) as { type?: string | string[]; format?: string; enum?: unknown[]; const?: unknown };
  const types = (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []).filter((t) => t !== 'null');
  if (types.length === 0 && Array.isArray(s.enum) && s.enum.length && s.enum.every((v) => typeof v === 'number')) return 'number';
  const t = types[0];
  if (t === 'integer' || t === 'number' || t === 'boolean') return t;
  if (t === 'object' || t === 'array') return 'json';
  if (s.format === 'date-time') return 'date-time';
  if (s.format === 'date') return 'date';
  return 'string';
}

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

export function coerce(value: unknown, type: FieldType, options: { zone?: string; number?: NumberFormat } = {}): Coerced {
  if (typeof value !== 'string') return { ok: true, value };
  const text = value;
  switch (type) {
    case 'string':
      return { ok: true, value: text };
    case 'integer':
    case 'number': {
      const n = parseNumber(text, options.number);
      if (n === undefined) return { ok: false, reason: `\`${text}\` is not a number${numberHint(options.number)}` };
      if (type === 'integer' && !Number.isInteger(n)) return { ok: false, reason: `\`${text}\` is not a whole number` };
      return { ok: true, value: n };
    }
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (TRUE.has(t)) return { ok: true, value: true };
      if (FALSE.has(t)) return { ok: true, value: false };
      return { ok: false, reason: `\`${text}\` is not true or false (write true/false, yes/no or 1/0, or map the value in a mapping)` };
    }
    case 'date-time': {
      const d = parseInstant(text, { zone: options.zone ?? DEFAULT_ZONE });
      if (!d) return { ok: false, reason: `\`${text}\` is not a date and time ${describeFormats(undefined)}` };
      if (outsideYears(d.toMillis())) return { ok: false, reason: yearsReason(text) };
      return { ok: true, value: toUtcIso(d) };
    }
    case 'date': {
      const d = parseDate(text, {});
      if (!d) return { ok: false, reason: `\`${text}\` is not a date; write it as YYYY-MM-DD, e.g. 2021-03-01` };
      if (outsideYears(d)) return { ok: false, reason: yearsReason(text) };
      return { ok: true, value: d };
    }
    case 'json':
      try {
        return { ok: true, value: JSON.parse(text) };
      } catch {
        return { ok: false, reason: `\`${truncate(text)}\` is not JSON` };
      }
  }
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function parseNumber(text: string, format: NumberFormat = {}): number | undefined {
  let t = text.trim();
  if (format.thousands) t = t.split(format.thousands).join('');
  if (format.decimal && format.decimal !== '.') {
    if (t.includes('.')) return undefined;
    t = t.split(format.decimal).join('.');
  }
  if (!NUMBER.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

function numberHint(format: NumberFormat | undefined): string {
  if (format?.decimal && format.decimal !== '.') return ` with \`${format.decimal}\` as the decimal separator`;
  return ' (write digits with `.` as the decimal separator, e.g. 1234.5)';
}

export function truncate(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
