// Double-precision arithmetic in SQL that gives JavaScript's answers. PostgreSQL's float8
// operators raise "value out of range" where JavaScript overflows to ±Infinity (which the
// evaluator turns into null) or underflows to 0; these expressions take the exact branch instead.
// Operands must be column references, never constants: each is repeated inside the CASE, and
// the planner folds constant subexpressions of every CASE branch, taken or not, so a constant
// operand could raise the very error the CASE avoids.
import type { SqlParams } from './params.ts';

// The smallest magnitude that rounds to ±Infinity (MAX_VALUE plus half a unit in the last place),
// and the largest that rounds to 0 (half the smallest subnormal), as exact decimals.
export const OVERFLOW = ((1n << 1024n) - (1n << 970n)).toString();
const UNDERFLOW = `0.${(5n ** 1075n).toString().padStart(1075, '0')}`;

/** `x` is a numeric value: the double JavaScript would read for it, or NULL for ±Infinity. */
export function numericToFloat8(x: string, p: SqlParams): string {
  return `(CASE WHEN abs(${x}) >= ${p.numeric(OVERFLOW)} THEN NULL WHEN abs(${x}) <= ${p.numeric(UNDERFLOW)} THEN 0::float8 ELSE (${x})::float8 END)`;
}

/** The magnitude bound of a finite double, for the per-row "is this number finite" check. */
export function overflowBound(p: SqlParams): string {
  return p.numeric(OVERFLOW);
}

/** NULL unless finite (the evaluator's `finite`). */
export function finiteOrNull(x: string): string {
  return `(CASE WHEN abs(${x}) < 'Infinity'::float8 THEN ${x} END)`;
}

/**
 * a + b, NULL on overflow. Below 2^1022 each, the sum cannot overflow; above, the halves are
 * added (exactly half of the rounded sum, as halving a normal double is exact), and the sum
 * overflows exactly when that half reaches 2^1023. A tiny operand is absorbed by a huge one.
 */
export function add(a: string, b: string, p: SqlParams): string {
  const big = p.float8(2 ** 1022);
  const half = (x: string) => `(CASE WHEN abs(${x}) >= ${p.float8(2 ** -1020)} THEN ${x} * 0.5::float8 ELSE 0::float8 END)`;
  const h = `(${half(a)} + ${half(b)})`;
  return (
    `(CASE WHEN ${a} IS NULL OR ${b} IS NULL THEN NULL` +
    ` WHEN abs(${a}) < ${big} AND abs(${b}) < ${big} THEN ${a} + ${b}` +
    ` WHEN abs(${h}) >= ${p.float8(2 ** 1023)} THEN NULL ELSE ${h} * 2::float8 END)`
  );
}

export function sub(a: string, b: string, p: SqlParams): string {
  return add(a, `(-${b})`, p);
}

/**
 * a × b (or a ÷ b), NULL on overflow, 0 on underflow. ln|a| ± ln|b| (accurate to ~1e-13) sorts
 * the result into: surely overflowing, surely rounding to 0, surely normal, or one of the two
 * boundary bands, computed exactly scaled by 2^∓512 (scaling by a power of two is exact where
 * no subnormal is involved) and compared with the scaled limit.
 */
function mulDiv(op: '*' | '/', a: string, b: string, p: SqlParams): string {
  const up = p.float8(2 ** 512);
  const down = (): string => p.float8(2 ** -512); // a parameter only where used
  const log = `(ln(abs(${a})) ${op === '*' ? '+' : '-'} ln(abs(${b})))`;
  // The result scaled by 2^-512 near overflow, by 2^512 near underflow; the operand scaled is
  // the one for which that stays exact.
  const scaledDown = op === '*' ? `(CASE WHEN abs(${a}) >= abs(${b}) THEN (${a} * ${down()}) * ${b} ELSE (${b} * ${down()}) * ${a} END)` : `(${a} / (${b} * ${up}))`;
  const scaledUp = op === '*' ? `(CASE WHEN abs(${a}) <= abs(${b}) THEN (${a} * ${up}) * ${b} ELSE (${b} * ${up}) * ${a} END)` : `((${a} * ${up}) / ${b})`;
  return (
    `(CASE WHEN ${a} IS NULL OR ${b} IS NULL${op === '/' ? ` OR ${b} = 0` : ''} THEN NULL` +
    ` WHEN ${a} = 0 OR ${b} = 0 THEN ${a} ${op} ${b}` +
    ` WHEN ${log} > 709.79::float8 THEN NULL` +
    ` WHEN ${log} < -745.14::float8 THEN 0::float8` +
    ` WHEN ${log} BETWEEN -700::float8 AND 700::float8 THEN ${a} ${op} ${b}` +
    // |x| ≥ 2^1024 − 2^970 overflows; scaled, that is |x·2^-512| rounding to 2^512 or more.
    ` WHEN ${log} > 0::float8 THEN (CASE WHEN abs(${scaledDown}) >= ${up} THEN NULL ELSE ${scaledDown} * ${up} END)` +
    // Above 2^-563 scaled, the true result is above 2^-1075 and rounds to a non-zero double,
    // so PostgreSQL computes it without an underflow error.
    ` ELSE (CASE WHEN abs(${scaledUp}) > ${p.float8(2 ** -563)} THEN ${a} ${op} ${b} ELSE 0::float8 END) END)`
  );
}

export function mul(a: string, b: string, p: SqlParams): string {
  return mulDiv('*', a, b, p);
}

/** a ÷ b; NULL when b is 0 (the evaluator's rule), on overflow, or when an operand is NULL. */
export function div(a: string, b: string, p: SqlParams): string {
  return mulDiv('/', a, b, p);
}
