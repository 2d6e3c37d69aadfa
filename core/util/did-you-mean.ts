// "Did you mean …?" for unknown names: the closest candidates by edit distance, close enough
// to be a plausible typo. Shared by the policy checker (metric ids, fact names, operators,
// workflows), the importer and the case API, so they all suggest alike.

/**
 * Edits to turn `a` into `b`, where swapping two neighbouring letters counts as one edit (the
 * optimal string alignment distance). Plain Levenshtein counts `cast` → `csat` as two edits,
 * as far as `cast` → `ces`, and the commonest typo then loses to an unrelated name.
 */
export function typoDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length || !b.length) return a.length || b.length;
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      row.push(d);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length];
}

/** The part of a namespaced id after its last dot: `csat` of `customer-feedback.csat`. */
const localPart = (id: string) => id.slice(id.lastIndexOf('.') + 1);

/**
 * The candidates that `name` is plausibly a typo of, best first (at most `max`).
 *
 * A metric id is `plugin.metric`, and admins think of it by its short name: `cast` or
 * `customer-feedback.cast` both mean `customer-feedback.csat`. So a candidate is as far from
 * the name as its whole id is, or one edit more than the distance between the two local parts
 * (the part after the last dot), whichever is less; ties go to the candidate whose local part
 * is closest, then to the alphabetically first.
 */
export function closest(name: string, candidates: Iterable<string>, max = 1): string[] {
  const lower = name.toLowerCase();
  const local = localPart(lower);
  // About one typo per three letters; never fewer than two, so a swap in a short name still counts.
  const limit = Math.max(2, Math.floor(Math.max(local.length, 1) / 3));
  const scored: Array<{ c: string; d: number; local: number }> = [];
  for (const c of candidates) {
    const cl = c.toLowerCase();
    const dLocal = typoDistance(local, localPart(cl));
    const d = Math.min(typoDistance(lower, cl), dLocal + 1);
    if (d <= limit) scored.push({ c, d, local: dLocal });
  }
  scored.sort((a, b) => a.d - b.d || a.local - b.local || a.c.localeCompare(b.c));
  return scored.slice(0, max).map((s) => s.c);
}

export function didYouMean(name: string, candidates: Iterable<string>): string {
  const [best] = closest(name, candidates);
  return best ? ` Did you mean \`${best}\`?` : '';
}
