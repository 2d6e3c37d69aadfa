// Fisher's exact test for a 2×2 table, two-sided, computed the way R's fisher.test does, so a
// p-value in a fairness report can be checked by anyone with R. Works in log space so groups
// of tens of thousands of people neither overflow nor lose precision.

/** R's relative tolerance: tables whose probability is within it of the observed one count as "as extreme". */
const RELATIVE_TOLERANCE = 1e-7;

// Below this, ln n! comes from an exact cumulative sum; above, from Stirling's series, whose
// truncation error at n ≥ 256 (< 1/(1188·n⁹)) is far below double precision.
const TABLE_SIZE = 256;
const LOG_FACTORIAL_TABLE: Float64Array = (() => {
  const t = new Float64Array(TABLE_SIZE);
  for (let i = 2; i < TABLE_SIZE; i++) t[i] = t[i - 1] + Math.log(i);
  return t;
})();
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln(n!) for a non-negative integer n. */
export function logFactorial(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`logFactorial needs a non-negative integer, got ${n}`);
  if (n < TABLE_SIZE) return LOG_FACTORIAL_TABLE[n];
  const inv = 1 / n;
  const inv2 = inv * inv;
  // 1/(12n) − 1/(360n³) + 1/(1260n⁵) − 1/(1680n⁷), in Horner form.
  const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)));
  return n * Math.log(n) - n + HALF_LOG_TWO_PI + 0.5 * Math.log(n) + series;
}

/**
 * Two-sided Fisher's exact test p-value of the 2×2 table
 *
 *            col 1   col 2
 *   row 1      a       b
 *   row 2      c       d
 *
 * With the margins fixed, `a` is hypergeometric; the p-value is the total probability of every
 * table no more likely than the observed one (within a relative 1e-7, as R does, so tables that
 * are equally likely in exact arithmetic are not split by rounding). The p-value is the same for
 * the transposed table, so R's `fisher.test(matrix(c(a, c, b, d), 2))` gives the same number.
 */
export function fisherExactTwoSided(a: number, b: number, c: number, d: number): number {
  for (const [name, v] of [['a', a], ['b', b], ['c', c], ['d', d]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`Fisher's exact test needs non-negative integer counts, got ${name} = ${v}`);
  }
  const row1 = a + b;
  const row2 = c + d;
  const col1 = a + c;
  const lo = Math.max(0, col1 - row2);
  const hi = Math.min(col1, row1);
  if (lo === hi) return 1; // one possible table: nothing is more extreme

  // ln P(x) up to a constant that cancels in the normalisation below: the margins' factorials.
  const logP = new Float64Array(hi - lo + 1);
  let max = -Infinity;
  for (let x = lo; x <= hi; x++) {
    const v = -(logFactorial(x) + logFactorial(row1 - x) + logFactorial(col1 - x) + logFactorial(row2 - col1 + x));
    logP[x - lo] = v;
    if (v > max) max = v;
  }
  // Scaling by the most likely table keeps exp() in range; dividing by the total normalises,
  // exactly as R's dnhyper(1) does.
  let total = 0;
  for (let i = 0; i < logP.length; i++) {
    logP[i] = Math.exp(logP[i] - max);
    total += logP[i];
  }
  const cutoff = logP[a - lo] * (1 + RELATIVE_TOLERANCE);
  let extreme = 0;
  for (let i = 0; i < logP.length; i++) if (logP[i] <= cutoff) extreme += logP[i];
  return Math.min(1, Math.max(0, extreme / total));
}
