// Small helpers shared by the benchmark's modules: rounding, formatting, order statistics and
// the load average (figures on a shared machine mean little without it).
import { loadavg } from 'node:os';

export const ms = (t: number) => Math.round(t);
export const fmt = (n: number) => n.toLocaleString('en-US');
export const ratio = (a: number, b: number, digits = 1) => Math.round((a / b) * 10 ** digits) / 10 ** digits;

/** The nearest-rank percentile (p in 0..100) of the samples: p95 of 10 samples is the largest. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}
export const median = (samples: number[]) => percentile(samples, 50);

/** p50, p95 (nearest rank), min and max of samples in milliseconds, rounded. */
export function summary(samples: number[]): { n: number; p50Ms: number; p95Ms: number; minMs: number; maxMs: number } {
  return { n: samples.length, p50Ms: ms(percentile(samples, 50)), p95Ms: ms(percentile(samples, 95)), minMs: ms(Math.min(...samples)), maxMs: ms(Math.max(...samples)) };
}

export function loadAverage(): number[] {
  return loadavg().map((x) => Math.round(x * 100) / 100);
}

export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
