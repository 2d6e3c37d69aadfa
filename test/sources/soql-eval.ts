// Enough SOQL for the local Salesforce server: `SELECT fields FROM Object [WHERE …] [ORDER BY
// f [, f]] [LIMIT n]`, where WHERE holds comparisons (= != < <= > >=) and IN lists of string,
// date, dateTime, boolean, null and number literals, joined by AND / OR with parentheses. Values
// compare the way Salesforce compares them: dateTimes as instants, dates and ids as text.

export interface SoqlQuery {
  fields: string[];
  object: string;
  where?: (row: Record<string, unknown>) => boolean;
  orderBy: string[];
  limit?: number;
}

export class SoqlError extends Error {}

type Literal = { kind: 'string' | 'date' | 'datetime' | 'number' | 'boolean' | 'null'; value: string | number | boolean | null };

const TOKEN = /\s*(?:('(?:[^'\\]|\\.)*')|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))|(\d{4}-\d{2}-\d{2})|(-?\d+(?:\.\d+)?)|(<=|>=|!=|=|<|>|\(|\)|,)|([A-Za-z_][A-Za-z0-9_.]*))/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) throw new SoqlError(`unexpected text at ${pos}: ${text.slice(pos, pos + 20)}`);
    out.push(m.slice(1).find((g) => g !== undefined) as string);
    pos = TOKEN.lastIndex;
  }
  return out;
}

export function parseSoql(text: string): SoqlQuery {
  const t = tokenize(text);
  let i = 0;
  const peek = () => t[i];
  const word = (w: string) => peek()?.toUpperCase() === w;
  const expect = (w: string) => {
    if (!word(w) && peek() !== w) throw new SoqlError(`expected ${w} at token ${i} (${peek()})`);
    i++;
  };
  expect('SELECT');
  const fields: string[] = [];
  do {
    if (peek() === ',') i++;
    fields.push(t[i++]);
  } while (peek() === ',');
  expect('FROM');
  const object = t[i++];

  function literal(): Literal {
    const v = t[i++];
    if (v === undefined) throw new SoqlError('a literal is missing');
    if (v.startsWith("'")) return { kind: 'string', value: v.slice(1, -1).replace(/\\(.)/g, '$1') };
    if (/^\d{4}-\d{2}-\d{2}T/.test(v)) return { kind: 'datetime', value: Date.parse(v) };
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return { kind: 'date', value: v };
    if (/^-?\d/.test(v)) return { kind: 'number', value: Number(v) };
    if (/^(true|false)$/i.test(v)) return { kind: 'boolean', value: v.toLowerCase() === 'true' };
    if (/^null$/i.test(v)) return { kind: 'null', value: null };
    throw new SoqlError(`not a literal: ${v}`);
  }

  type Pred = (row: Record<string, unknown>) => boolean;
  function comparison(): Pred {
    if (peek() === '(') {
      i++;
      const inner = disjunction();
      expect(')');
      return inner;
    }
    const field = t[i++];
    if (word('IN')) {
      i++;
      expect('(');
      const values: Literal[] = [];
      do {
        if (peek() === ',') i++;
        values.push(literal());
      } while (peek() === ',');
      expect(')');
      return (row) => values.some((v) => compare(row[field], v) === 0);
    }
    const op = t[i++];
    const lit = literal();
    return (row) => {
      const c = compare(row[field], lit);
      if (c === undefined) return op === '!=' ? lit.kind !== 'null' || row[field] != null : false;
      switch (op) {
        case '=': return c === 0;
        case '!=': return c !== 0;
        case '<': return c < 0;
        case '<=': return c <= 0;
        case '>': return c > 0;
        case '>=': return c >= 0;
        default: throw new SoqlError(`unknown operator ${op}`);
      }
    };
  }
  function conjunction(): Pred {
    const parts = [comparison()];
    while (word('AND')) {
      i++;
      parts.push(comparison());
    }
    return (row) => parts.every((p) => p(row));
  }
  function disjunction(): Pred {
    const parts = [conjunction()];
    while (word('OR')) {
      i++;
      parts.push(conjunction());
    }
    return (row) => parts.some((p) => p(row));
  }

  let where: Pred | undefined;
  if (word('WHERE')) {
    i++;
    where = disjunction();
  }
  const orderBy: string[] = [];
  if (word('ORDER')) {
    i++;
    expect('BY');
    do {
      if (peek() === ',') i++;
      orderBy.push(t[i++]);
    } while (peek() === ',');
  }
  let limit: number | undefined;
  if (word('LIMIT')) {
    i++;
    limit = Number(t[i++]);
  }
  if (i !== t.length) throw new SoqlError(`unexpected ${t[i]}`);
  return { fields, object, where, orderBy, limit };
}

/** Salesforce's `2026-03-01T09:00:00.000+0000` as milliseconds. */
export function instant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(t) ? undefined : t;
}

/** <0, 0, >0, or undefined when the value is null/absent (SQL-like: null compares to nothing but null). */
function compare(value: unknown, lit: Literal): number | undefined {
  if (lit.kind === 'null') return value == null ? 0 : undefined;
  if (value == null) return undefined;
  switch (lit.kind) {
    case 'datetime': {
      const v = instant(value);
      return v === undefined ? undefined : v - (lit.value as number);
    }
    case 'number':
      return Number(value) - (lit.value as number);
    case 'boolean':
      return value === lit.value ? 0 : 1;
    default: {
      const a = String(value);
      const b = String(lit.value);
      return a < b ? -1 : a > b ? 1 : 0;
    }
  }
}

/** Orders rows by the fields given, ascending, dateTimes as instants and everything else as text. */
export function orderRows(rows: Array<Record<string, unknown>>, orderBy: string[]): Array<Record<string, unknown>> {
  const key = (v: unknown) => instant(v) ?? v;
  return [...rows].sort((a, b) => {
    for (const f of orderBy) {
      const x = key(a[f]);
      const y = key(b[f]);
      if (x === y) continue;
      if (x == null) return -1;
      if (y == null) return 1;
      return x < y ? -1 : 1;
    }
    return 0;
  });
}
