// A declarative metric's aggregate formula (schemas/aggregate.schema.json) as one readable line
// for the metric catalogue: `100 × (share(nps ≥ 9 among records with nps) − share(nps ≤ 6 among
// records with nps))`, `median(time from openedAt to firstResponseAt)`. It follows the schema's grammar: expressions (const, mean, sum, min, max,
// quantile, count, share, add, sub, mul, div, switch) with their where / recordKind options, and
// filters (comparisons, exists, and, or, not). Every value is written as text, never through
// String(object); a shape the grammar does not know is shown as compact JSON.
type Obj = Record<string, unknown>;

const INFIX: Record<string, string> = { add: ' + ', sub: ' − ', mul: ' × ', div: ' ÷ ' };
const CMP: Record<string, string> = { eq: '=', ne: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤' };
const AGGREGATES = ['mean', 'sum', 'min', 'max'];

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const scalar = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));

/** A payload field: its name, or the time between two timestamps. */
function field(f: unknown): string {
  if (typeof f === 'string') return f;
  if (isObj(f) && Array.isArray(f.seconds) && f.seconds.length === 2) {
    const open = f.open === 'asOf' ? ' (or to the as-of date while open)' : '';
    const minus = typeof f.minus === 'string' ? ` less ${f.minus}` : '';
    return `time from ${scalar(f.seconds[0])} to ${scalar(f.seconds[1])}${open}${minus}`;
  }
  return JSON.stringify(f);
}

/** A filter on one record: `stage = won`, `resolvedAt is present`, `(a or b)`. */
export function filterText(f: unknown, nested = false): string {
  if (!isObj(f)) return JSON.stringify(f);
  if ('field' in f) {
    const op = Object.keys(f).find((k) => k !== 'field');
    if (op === 'in' && Array.isArray(f.in)) return `${field(f.field)} is one of ${f.in.map(scalar).join(', ')}`;
    if (op && CMP[op]) return `${field(f.field)} ${CMP[op]} ${scalar(f[op])}`;
  }
  if ('exists' in f) return `${field(f.exists)} is present`;
  for (const [k, word] of [['and', ' and '], ['or', ' or ']] as const) {
    if (Array.isArray(f[k])) {
      const inner = (f[k] as unknown[]).map((x) => filterText(x, true)).join(word);
      return nested ? `(${inner})` : inner;
    }
  }
  if ('not' in f) return `not ${filterText(f.not, true)}`;
  return JSON.stringify(f);
}

/** The options an aggregate may carry: only some records, or records of another kind. */
function options(o: Obj): string {
  return `${o.where !== undefined ? ` where ${filterText(o.where)}` : ''}${typeof o.recordKind === 'string' ? ` of ${o.recordKind} records` : ''}`;
}

/** A quantile by its level: `median(x)`, `90th percentile(x)`, or the level a metric param gives. */
function quantile(q: unknown, of: string): string {
  if (typeof q === 'number') return `${q === 0.5 ? 'median' : `${Math.round(q * 1000) / 10}th percentile`}(${of})`;
  if (isObj(q) && typeof q.param === 'string') return `quantile(${of}; level: param ${q.param}, default ${scalar(q.default)}${q.default === 0.5 ? ' = median' : ''})`;
  return `quantile(${of}; level: ${JSON.stringify(q)})`;
}

export function formulaText(f: unknown, top = true): string {
  if (f === null || f === undefined) return '—';
  if (!isObj(f)) return scalar(f);
  if ('const' in f) return scalar(f.const);
  for (const agg of AGGREGATES) if (agg in f) return `${agg}(${field(f[agg])}${options(f)})`;
  if ('quantile' in f) return quantile(f.q, `${field(f.quantile)}${options(f)}`);
  if ('count' in f) {
    const which = f.count === true ? 'records' : `records where ${filterText(f.count)}`;
    return `count(${which}${options(f)})`;
  }
  if ('share' in f) {
    // `of: field` counts the records where the field is present; `of: filter`, those matching it.
    const base = typeof f.of === 'string' || (isObj(f.of) && 'seconds' in f.of) ? `records with ${field(f.of)}` : `records where ${filterText(f.of)}`;
    return `share(${filterText(f.share)} among ${base}${options(f)})`;
  }
  for (const [op, sign] of Object.entries(INFIX)) {
    if (Array.isArray(f[op])) {
      const inner = (f[op] as unknown[]).map((x) => formulaText(x, false)).join(sign);
      return top ? inner : `(${inner})`;
    }
  }
  if ('switch' in f && isObj(f.cases)) {
    const cases = Object.entries(f.cases).map(([k, v]) => `${k}: ${formulaText(v)}`);
    return `by param ${scalar(f.switch)} (default ${scalar(f.default)}) → ${cases.join('; ')}`;
  }
  return JSON.stringify(f);
}
