// The declarative metric `aggregate` language (schemas/aggregate.schema.json): the one place its
// semantics are written down, and the public entry to its parts under ./aggregate/. The engine
// runs these formulas as SQL (./sql.ts); that translation must agree with the evaluator here.
//
// Semantics (the contract the SQL translation follows):
//
// Values
// - A field is a top-level payload key. It is *missing* when absent, null, or a non-finite
//   number (JSON has none; they can only come from code). Field names are never looked up on
//   the prototype chain (`constructor` is a missing field, not a function).
// - `{seconds: [from, to]}` is (to − from) in seconds: the double nearest the exact number of
//   microseconds apart. It is missing unless both fields are strings matching TIMESTAMP_PATTERN
//   that name real calendar instants (no zone means UTC; a fraction is rounded to microseconds
//   as PostgreSQL does, half to even), and also when the duration is negative: a response before
//   the ticket was opened is a data error, so it is neither a value nor a sample, and matches no
//   comparison (only `not`). Zero is a valid duration.
// - `{seconds: [from, to], minus: f}` subtracts the number field f (seconds, rounded half up to
//   whole microseconds; missing or not a number is 0) from the exact duration, then rounds once;
//   a result below zero is missing as a negative duration is.
// - `{seconds: [from, to], open: asOf}`: when `to` is missing (after the point in time below)
//   and `from` is a timestamp, the duration runs from `from` to the as-of instant ("open so
//   far"). Without an as-of instant, or without `open`, such a record has no value.
// - mean/sum/min/max/quantile use only values that are finite numbers (no "5" → 5 coercion);
//   each value used is one sample. With none: mean/min/max/quantile are null, sum is 0.
// - quantile is PostgreSQL percentile_cont(q): sort the n values, p = q·(n − 1), result =
//   v[⌊p⌋] + (p − ⌊p⌋)·(v[⌈p⌉] − v[⌊p⌋]). q must be in [0, 1].
// - count counts records (after `where`); share is #(of ∧ filter) / #(of), null when #(of) = 0.
//   `of` as a field means "the field is present" (see missing above).
// - add/sub/mul/div: null if any operand is null; div by 0 is null; a non-finite result
//   (overflow) is null, and so is a sum, mean or quantile that overflows. null means "no
//   value": the engine reports insufficient data.
// - switch reads the param as a string, a boolean as `true`/`false` (absent or null: the
//   `default` case) and evaluates only
//   that case. An unknown case, or a quantile param that is not a number in [0, 1], throws
//   AggregateExpressionError: params are validated against the metric's paramsSchema first,
//   so this is a plugin bug, never a data problem.
//
// Filters are two-valued, unlike raw SQL: a comparison on a missing field is false, and so
// `not` of it is true (the SQL translation makes each comparison false rather than NULL).
// - eq/in: present and strictly equal to a value of the same JSON type (1 ≠ "1", 1 = 1.0).
// - ne: present and not equal (so `ne` ≡ exists ∧ ¬eq; a missing field is not "≠ x").
// - gt/gte/lt/lte: the field is a number (a string never compares).
// - exists: the field is present; and/or/not: the usual boolean logic.
//
// Point in time (AggregateInput.pointInTime; the SQL's ScanOptions.pointInTime): a run has an
// as-of instant. In the `as-of` view (the default), a field whose value is a timestamp after it
// has not happened yet: it is missing, for every construct (`exists`, `eq`, `seconds`, …). A
// field listed in `knownAt` for its record's kind (from the kind schema's `x-knownAt`, e.g.
// `reassignments` known at `resolvedAt`) is missing unless that field is a timestamp not after
// as-of. In the `latest` view every value counts as stored (audits that look ahead); `open:
// asOf` still runs to the as-of instant. The window itself is cut on occurred_at by the engine.
//
// Ignored records (AggregateResult.ignored, the samples leaf's only, counts above 0): of the
// records a mean/sum/min/max/quantile of `{seconds: …}` reads (after `where`), those whose value
// is missing because `to` is before `from` (or minus exceeds the duration) are `negative`; those
// whose `from` is a timestamp and `to` is missing (absent, null, or not yet happened) and that
// have no `open: asOf` to run to are `open`. A `to` that is present but no timestamp is neither.
//
// Samples: the record count of the first leaf aggregate (mean, sum, min, max, quantile, count,
// share) marked `samples: true`, else of the first leaf in depth-first order of the evaluated
// formula. For count it is the count; for share the denominator; for mean etc. the number of
// values used. A formula without leaves (only const) has 0 samples.

export * from './aggregate/types.ts';
export { TIMESTAMP_PATTERN, timestampSeconds } from './aggregate/timestamps.ts';
export { compileAggregate, evaluateAggregate, type CompiledAggregate } from './aggregate/evaluate.ts';
export { aggregateFields, aggregateFieldsByKind, aggregateRecordKinds } from './aggregate/reads.ts';
