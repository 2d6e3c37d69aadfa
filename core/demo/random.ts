// Seeded randomness for the demo generator: pure-rand's xoroshiro128+ behind the handful of
// distributions the generator needs. Every stream is derived from (seed, stream name, index),
// so one employee's data never depends on how many numbers another employee consumed.
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** splitmix32 finaliser: spreads (seed, stream, index) over the 128-bit state without overlaps. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) | 0;
}

function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

export class Random {
  private spareNormal: number | undefined;

  constructor(private readonly rng: RandomGenerator) {}

  /** An independent stream: same (seed, stream, index) → same numbers, whatever else ran. */
  static stream(seed: number, stream: string, index = 0): Random {
    const base = mix32(seed ^ hashText(stream)) ^ mix32(index * 0x27d4eb2f + 0x165667b1);
    const state = [mix32(base), mix32(base + 1), mix32(base + 2), mix32(base + 3)];
    // xoroshiro's only forbidden state is all zeros (period 1)
    if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
    return new Random(xoroshiro128plusFromState(state));
  }

  /** Uniform in [0, 1), 53 bits. */
  float(): number {
    return uniformFloat64(this.rng);
  }

  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** Uniform integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  /** Index drawn with the given (unnormalised) weights. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let u = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) return i;
    }
    return weights.length - 1;
  }

  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    return items[this.weightedIndex(weights)];
  }

  /** Standard normal (Marsaglia polar method; the second value is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const s = this.spareNormal;
      this.spareNormal = undefined;
      return s;
    }
    let u: number, v: number, s: number;
    do {
      u = this.float() * 2 - 1;
      v = this.float() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  /** Log-normal with the given median and log-scale spread. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Standard logistic noise: the error term of an ordered-logit rating. */
  logistic(): number {
    const u = this.float() || Number.MIN_VALUE;
    return Math.log(u / (1 - u));
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  /** Poisson count; Knuth's method for the small daily rates used here, normal beyond. */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 40) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }
}
