// "Did you mean …?" for unknown names: the closest candidates by edit distance, close enough
// to be a plausible typo (fastest-levenshtein does the distance).
import { distance } from 'fastest-levenshtein';

export function closest(name: string, candidates: Iterable<string>, max = 1): string[] {
  const lower = name.toLowerCase();
  const scored: Array<{ c: string; d: number }> = [];
  for (const c of candidates) {
    const cl = c.toLowerCase();
    // A namespaced id whose last segment matches ("csat" → "customer-feedback.csat") is the
    // most likely intent, whatever its full length.
    const tail = cl.slice(cl.lastIndexOf('.') + 1);
    const d = tail === lower ? 0 : Math.min(distance(lower, cl), distance(lower, tail) + 1);
    const limit = Math.max(2, Math.floor(Math.max(lower.length, 1) / 3));
    if (d <= limit) scored.push({ c, d });
  }
  scored.sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
  return scored.slice(0, max).map((s) => s.c);
}

export function didYouMean(name: string, candidates: Iterable<string>): string {
  const [best] = closest(name, candidates);
  return best ? ` Did you mean \`${best}\`?` : '';
}
