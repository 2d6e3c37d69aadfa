// The types of the declarative `aggregate` language (schemas/aggregate.schema.json) and its one
// error. What each construct means is written down once, in ../aggregate.ts.

export type Scalar = string | number | boolean;
export interface SecondsField {
  seconds: readonly [string, string];
  /** `asOf`: when `to` has not happened (missing, or after the as-of instant), run to the as-of instant. */
  open?: 'asOf';
  /** A number field of seconds to subtract (on-hold time); missing or not a number counts as 0. */
  minus?: string;
}
export type AggregateField = string | SecondsField;

export type AggregateFilter =
  | { field: AggregateField; eq: Scalar }
  | { field: AggregateField; ne: Scalar }
  | { field: AggregateField; gt: number }
  | { field: AggregateField; gte: number }
  | { field: AggregateField; lt: number }
  | { field: AggregateField; lte: number }
  | { field: AggregateField; in: readonly Scalar[] }
  | { exists: AggregateField }
  | { and: readonly AggregateFilter[] }
  | { or: readonly AggregateFilter[] }
  | { not: AggregateFilter };

/** A number read from a metric param, with the value used when the param is not given. */
export interface ParamRef {
  param: string;
  default: number;
}

/** Options every leaf aggregate takes. */
export interface LeafOptions {
  /** Only the records matching this filter. */
  where?: AggregateFilter;
  /** Records of this kind instead of the metric's own (quota records for quota attainment). */
  recordKind?: string;
  /** This leaf's record count is the metric's sample count. */
  samples?: boolean;
}

export type AggregateExpression =
  | { const: number }
  | ({ mean: AggregateField } & LeafOptions)
  | ({ sum: AggregateField } & LeafOptions)
  | ({ min: AggregateField } & LeafOptions)
  | ({ max: AggregateField } & LeafOptions)
  | ({ quantile: AggregateField; q: number | ParamRef } & LeafOptions)
  | ({ count: true | AggregateFilter } & LeafOptions)
  | ({ share: AggregateFilter; of: AggregateField | AggregateFilter } & LeafOptions)
  | { add: readonly AggregateExpression[] }
  | { sub: readonly [AggregateExpression, AggregateExpression] }
  | { mul: readonly AggregateExpression[] }
  | { div: readonly [AggregateExpression, AggregateExpression] }
  | { switch: string; default: string; cases: Readonly<Record<string, AggregateExpression>> };

export type Payload = Readonly<Record<string, unknown>>;
export interface AggregateRecord {
  /** When the record happened; the engine has already cut the window, the formula ignores it. */
  readonly occurredAt: string;
  readonly payload: Payload;
}

/** When a formula is evaluated: what had happened by then (see "Point in time" in ../aggregate.ts). */
export interface PointInTime {
  /** The run's as-of instant. `{seconds: …, open: asOf}` runs open durations to it. */
  asOf: Date;
  /** `as-of` (default): instants after asOf have not happened yet; `latest`: everything known now. */
  view?: 'as-of' | 'latest';
  /**
   * Per record kind (as the formula names it), fields known only once an instant field has
   * happened (`{reassignments: 'resolvedAt'}`), from the kind schema's `x-knownAt`. As-of view only.
   */
  knownAt?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** One employee's records of the metric's window. */
export interface AggregateInput {
  /** The metric's own record kind, read by every leaf without `recordKind`. */
  kind: string;
  /** Records per kind; a kind that is not here has no records. */
  records: Readonly<Record<string, readonly AggregateRecord[]>>;
  /** Default: no as-of instant, every value as stored. */
  pointInTime?: PointInTime;
}

export type AggregateParams = Readonly<Record<string, unknown>>;

export interface AggregateResult {
  /** null: no value (empty window, division by zero); the engine reports insufficient data. */
  value: number | null;
  samples: number;
  /**
   * Records the samples leaf left out of a `{seconds: …}` value, by reason (only counts above 0):
   * `negative`, `to` before `from` (or more subtracted than the duration); `open`, `to` had not
   * happened (without `open: asOf`).
   */
  ignored?: Ignored;
}

export interface Ignored {
  negative?: number;
  open?: number;
}

/** The ignored counts as AggregateResult carries them: only reasons above 0, undefined when none. */
export function ignoredOf(negative: number, open: number): Ignored | undefined {
  if (negative <= 0 && open <= 0) return undefined;
  return { ...(negative > 0 ? { negative } : {}), ...(open > 0 ? { open } : {}) };
}

/** A malformed formula, or params it cannot use. `path` is a JSON pointer into the formula. */
export class AggregateExpressionError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(path ? `${message} (at aggregate${path})` : message);
    this.name = 'AggregateExpressionError';
  }
}
