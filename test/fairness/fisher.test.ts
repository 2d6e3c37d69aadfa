// Fisher's exact test agrees with R's fisher.test, and the reference values themselves are
// checked here by exact enumeration of the hypergeometric distribution in BigInt arithmetic.
import { describe, expect, it } from 'vitest';
import { fisherExactTwoSided, logFactorial } from '../../core/fairness/fisher.ts';

/** R's `fisher.test(matrix(c(a, b, c, d), 2))$p.value`: R fills column by column, so the rows are (a, c) and (b, d). */
function rFisher(a: number, b: number, c: number, d: number): number {
  return fisherExactTwoSided(a, c, b, d);
}

/**
 * The same p-value with no floating point at all: each table's probability numerator
 * C(row1, x)·C(row2, col1 − x) as a BigInt (walked by its exact integer recurrence), summed over
 * the tables no more likely than the observed one, over the total C(N, col1).
 */
function exactP(a: number, b: number, c: number, d: number): number {
  const row1 = BigInt(a + b), row2 = BigInt(c + d), col1 = BigInt(a + c);
  const lo = col1 > row2 ? col1 - row2 : 0n;
  const hi = col1 < row1 ? col1 : row1;
  const binom = (n: bigint, k: bigint): bigint => {
    let r = 1n;
    for (let i = 1n; i <= k; i++) r = (r * (n - k + i)) / i;
    return r;
  };
  const weights = new Map<bigint, bigint>();
  let w = binom(row1, lo) * binom(row2, col1 - lo);
  for (let x = lo; x <= hi; x++) {
    weights.set(x, w);
    // C(r1, x+1)·C(r2, c1−x−1) = C(r1, x)·C(r2, c1−x) · (r1−x)(c1−x) / ((x+1)(r2−c1+x+1)), an exact division
    if (x < hi) w = (w * (row1 - x) * (col1 - x)) / ((x + 1n) * (row2 - col1 + x + 1n));
  }
  let total = 0n, extreme = 0n;
  const observed = weights.get(BigInt(a))!;
  for (const v of weights.values()) {
    total += v;
    if (v <= observed) extreme += v;
  }
  const SCALE = 10n ** 40n;
  return Number((extreme * SCALE) / total) / 1e40;
}

// [R call, its p-value (the same digits as R prints with digits = 15; derived by exact rational
// enumeration), the R matrix's c(a, b, c, d)]
const R_CASES: Array<[string, number, [number, number, number, number]]> = [
  ['fisher.test(matrix(c(3,1,1,3),2))', 0.485714285714286, [3, 1, 1, 3]], // = 17/35
  ['fisher.test(matrix(c(10,2,3,15),2))', 0.000536724119143436, [10, 2, 3, 15]],
  ['fisher.test(matrix(c(1,9,11,3),2))', 0.00275945618522008, [1, 9, 11, 3]],
  ['fisher.test(matrix(c(120,880,60,940),2))', 3.36399280070924e-6, [120, 880, 60, 940]],
  ['fisher.test(matrix(c(2,18,6,14),2))', 0.235116235116235, [2, 18, 6, 14]],
  ['fisher.test(matrix(c(6,14,2,18),2))', 0.235116235116235, [6, 14, 2, 18]],
  ['fisher.test(matrix(c(0,5,5,0),2))', 0.00793650793650794, [0, 5, 5, 0]], // = 2/252
  ['fisher.test(matrix(c(7,12,0,5),2))', 0.272068511198946, [7, 12, 0, 5]],
  ['fisher.test(matrix(c(2,3,0,40),2))', 0.0101010101010101, [2, 3, 0, 40]], // = 1/99
  ['fisher.test(matrix(c(45,955,30,970),2))', 0.0988018395330693, [45, 955, 30, 970]],
  ['fisher.test(matrix(c(500,4500,560,4440),2))', 0.0552484070453603, [500, 4500, 560, 4440]],
  ['fisher.test(matrix(c(1500,3500,1400,3600),2))', 0.0291178594121824, [1500, 3500, 1400, 3600]],
];

describe("Fisher's exact test", () => {
  it.each(R_CASES)('%s = %s (checked by exact enumeration)', (_call, expected, [a, b, c, d]) => {
    expect(exactP(a, b, c, d)).toBeCloseTo(expected, 14);
    expect(Math.abs(exactP(a, b, c, d) - expected) / expected).toBeLessThan(1e-12);
    expect(Math.abs(rFisher(a, b, c, d) - expected) / expected).toBeLessThan(1e-9);
  });

  it('is the same for a table and its transpose, and for swapped rows', () => {
    for (const [, , [a, b, c, d]] of R_CASES) {
      const p = fisherExactTwoSided(a, b, c, d);
      expect(fisherExactTwoSided(a, c, b, d)).toBeCloseTo(p, 12);
      expect(fisherExactTwoSided(c, d, a, b)).toBeCloseTo(p, 12);
    }
  });

  it('counts equally likely tables on both sides (R\'s tolerance keeps rounding from splitting ties)', () => {
    // matrix(c(3,1,1,3),2): the tables x = 0, 1, 3, 4 — x = 1 and x = 3 are equally likely: (1 + 16 + 16 + 1)/70.
    expect(rFisher(3, 1, 1, 3)).toBeCloseTo(34 / 70, 15);
    // A symmetric table is as likely as its mirror image, so p = 1 for the centre one.
    expect(rFisher(5, 5, 5, 5)).toBeCloseTo(1, 12);
  });

  it('agrees with exact enumeration on many small tables', () => {
    for (let a = 0; a <= 6; a++) for (let b = 0; b <= 6; b++) for (let c = 0; c <= 6; c++) for (const d of [0, 1, 4, 9]) {
      expect(fisherExactTwoSided(a, b, c, d)).toBeCloseTo(exactP(a, b, c, d), 12);
    }
  });

  it('gives 1 when a margin is empty: everyone or no one selected, or one group only', () => {
    expect(rFisher(0, 10, 0, 10)).toBe(1); // nobody selected
    expect(rFisher(5, 0, 5, 0)).toBe(1);
    expect(fisherExactTwoSided(0, 0, 3, 7)).toBe(1); // an empty row
    expect(fisherExactTwoSided(0, 0, 0, 0)).toBe(1);
  });

  it('stays finite and accurate for groups of tens of thousands', () => {
    // fisher.test(matrix(c(5000,45000,5400,44600),2)) = 3.56846710349258e-05 (exact rational arithmetic)
    const p = rFisher(5000, 45000, 5400, 44600);
    expect(Math.abs(p - 3.56846710349258e-5) / 3.56846710349258e-5).toBeLessThan(1e-8);
    // A p far below the smallest double underflows to 0, never NaN from ∞/∞.
    const tiny = fisherExactTwoSided(9000, 1000, 1000, 9000);
    expect(tiny).toBeGreaterThanOrEqual(0);
    expect(tiny).toBeLessThan(1e-300);
    expect(fisherExactTwoSided(5000, 5000, 5000, 5000)).toBeCloseTo(1, 9);
  });

  it('rejects counts that are not non-negative integers', () => {
    expect(() => fisherExactTwoSided(-1, 2, 3, 4)).toThrow(RangeError);
    expect(() => fisherExactTwoSided(1.5, 2, 3, 4)).toThrow(/non-negative integer/);
  });
});

describe('logFactorial', () => {
  /** ln(n!) from the exact BigInt n!: the leading 17 digits and a power of ten. */
  function exactLogFactorial(n: number): number {
    let f = 1n;
    for (let i = 2n; i <= BigInt(n); i++) f *= i;
    const digits = f.toString();
    const lead = Math.min(17, digits.length);
    return Math.log(Number(`${digits.slice(0, 1)}.${digits.slice(1, lead)}`)) + (digits.length - 1) * Math.LN10;
  }

  it('is exact on small numbers and continuous where the table hands over to Stirling\'s series', () => {
    expect(logFactorial(0)).toBe(0);
    expect(logFactorial(1)).toBe(0);
    expect(logFactorial(5)).toBeCloseTo(Math.log(120), 14);
    for (const n of [10, 100, 255, 256, 257, 300, 1000, 2500, 6000]) {
      const expected = exactLogFactorial(n);
      expect(Math.abs(logFactorial(n) - expected) / expected).toBeLessThan(1e-14);
    }
    // ln 256! − ln 255! = ln 256 across the hand-over
    expect(logFactorial(256) - logFactorial(255)).toBeCloseTo(Math.log(256), 10);
  });

  it('rejects negative and fractional arguments', () => {
    expect(() => logFactorial(-1)).toThrow(RangeError);
    expect(() => logFactorial(2.5)).toThrow(RangeError);
  });
});
