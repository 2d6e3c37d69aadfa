// `params.where` of a declarative metric: a segment of the records of the metric's own kind
// (`{ priority: [1, 2] }`, `{ channel: phone }`, `{ reassignments: { gte: 1 } }`; several keys
// must all hold). It is not a construct of the aggregate language: the formula is rewritten so
// that every leaf reading the metric's own kind keeps only the records of the segment, which the
// SQL translation and the reference evaluator then run as any other `where`.
import { isObject, LEAF_OPS } from './aggregate/compile.ts';
import { AggregateExpressionError, type AggregateExpression, type AggregateFilter, type Scalar } from './aggregate/types.ts';

export type WhereBound = Partial<Record<'gt' | 'gte' | 'lt' | 'lte', number>>;
/** One key of a where: a value (equals), a list (one of), or bounds. */
export type WhereValue = Scalar | readonly Scalar[] | WhereBound;
export type Where = Readonly<Record<string, WhereValue>>;

export const BOUND_OPS = ['gt', 'gte', 'lt', 'lte'] as const;

/** The param every declarative metric accepts; its fields and values are checked against the record kind by the policy checker. */
/**
 * The param every declarative metric accepts. Only its shape is here: its fields and values
 * depend on the record kind (custom fields too), which the policy checker knows
 * (core/policy/check-where.ts), with located messages.
 */
export const WHERE_PARAM_SCHEMA: Record<string, unknown> = {
  type: 'object',
  minProperties: 1,
  description: "Only the records of the metric's kind whose fields match: `{ priority: [1, 2] }` (one of), `{ channel: phone }` (equals), `{ reassignments: { gte: 1 } }` (gt, gte, lt, lte); several keys must all hold.",
};

const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** The filter one key of a where means. */
function keyFilter(field: string, value: unknown): AggregateFilter {
  if (isScalar(value)) return { field, eq: value };
  if (Array.isArray(value) && value.length > 0 && value.every(isScalar)) return { field, in: value };
  if (isObject(value) && Object.keys(value).length > 0) {
    const parts = Object.entries(value).map(([op, n]): AggregateFilter => {
      if (!(BOUND_OPS as readonly string[]).includes(op) || typeof n !== 'number' || !Number.isFinite(n)) {
        throw new AggregateExpressionError(`params.where.${field} takes gt, gte, lt or lte with a number, not \`${op}: ${JSON.stringify(n)}\``, '');
      }
      return { field, [op]: n } as AggregateFilter;
    });
    return parts.length === 1 ? parts[0] : { and: parts };
  }
  throw new AggregateExpressionError(`params.where.${field} must be a value, a non-empty list of values, or bounds such as { gte: 1 }, not ${JSON.stringify(value)}`, '');
}

/** The filter a where means: every key must hold. */
export function whereFilter(where: unknown): AggregateFilter {
  if (!isObject(where) || Object.keys(where).length === 0) {
    throw new AggregateExpressionError(`params.where must name at least one field, such as { priority: [1, 2] }, not ${JSON.stringify(where)}`, '');
  }
  const parts = Object.entries(where).map(([field, value]) => keyFilter(field, value));
  return parts.length === 1 ? parts[0] : { and: parts };
}

/** Whether a leaf reads the metric's own kind: no recordKind, or the kind by its qualified or local id. */
function readsOwnKind(leaf: Record<string, unknown>, kind: string): boolean {
  const k = leaf.recordKind;
  return k === undefined || k === kind || kind.endsWith(`.${String(k)}`);
}

/**
 * The formula with `filter` added to the `where` of every leaf of the metric's own kind (other
 * kinds, such as sales quotas, are not segmented by the metric's fields). The input is not changed.
 */
export function restrictOwnKind(expr: AggregateExpression, kind: string, filter: AggregateFilter): AggregateExpression {
  const walk = (e: Record<string, unknown>): Record<string, unknown> => {
    if (LEAF_OPS.some((op) => Object.hasOwn(e, op))) {
      if (!readsOwnKind(e, kind)) return e;
      return { ...e, where: e.where === undefined ? filter : { and: [filter, e.where] } };
    }
    if (Object.hasOwn(e, 'switch')) {
      return { ...e, cases: Object.fromEntries(Object.entries(e.cases as Record<string, Record<string, unknown>>).map(([k, c]) => [k, walk(c)])) };
    }
    for (const op of ['add', 'sub', 'mul', 'div']) {
      if (Object.hasOwn(e, op)) return { ...e, [op]: (e[op] as Record<string, unknown>[]).map(walk) };
    }
    return e; // const
  };
  return walk(expr as Record<string, unknown>) as AggregateExpression;
}

/** A where in plain words: `priority 1 or 2`, `channel "phone"`, `reassignments at least 1`. */
export function describeWhere(where: unknown): string {
  if (!isObject(where)) return '';
  const words = (v: unknown) => (typeof v === 'string' ? `"${v}"` : String(v));
  const BOUND_WORDS: Record<string, string> = { gt: 'above', gte: 'at least', lt: 'below', lte: 'at most' };
  return Object.entries(where).map(([field, v]) => {
    const name = field;
    if (Array.isArray(v)) return v.length === 1 ? `${name} ${words(v[0])}` : `${name} ${v.slice(0, -1).map(words).join(', ')} or ${words(v[v.length - 1])}`;
    if (isObject(v)) return `${name} ${Object.entries(v).map(([op, n]) => `${BOUND_WORDS[op] ?? op} ${words(n)}`).join(' and ')}`;
    return `${name} ${words(v)}`;
  }).join(', ');
}

/**
 * The segment of a fact in words, for explanations: `tickets with priority 1 or 2` (the kind's
 * records named after its local id). Undefined when the fact has no `where`.
 */
export function segmentWords(where: unknown, recordKind: string | undefined): string | undefined {
  const words = describeWhere(where);
  if (!words) return undefined;
  const noun = recordKind ? `${recordKind.slice(recordKind.lastIndexOf('.') + 1)}s` : 'records';
  return `${noun} with ${words}`;
}
