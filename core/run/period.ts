// Review periods. A run belongs to the cycle that contains its as-of instant (UTC), and a rule
// opens at most one case per employee per period however often runs repeat.
export type Cycle = 'week' | 'month' | 'quarter' | 'year';

/** `2026-Q4`, `2026-11`, `2026-W48` (ISO week) or `2026`. */
export function periodOf(asOf: Date, cycle: Cycle = 'quarter'): string {
  const y = asOf.getUTCFullYear();
  const m = asOf.getUTCMonth();
  switch (cycle) {
    case 'year':
      return String(y);
    case 'quarter':
      return `${y}-Q${Math.floor(m / 3) + 1}`;
    case 'month':
      return `${y}-${String(m + 1).padStart(2, '0')}`;
    case 'week': {
      // ISO 8601: the week with the year's first Thursday is week 1.
      const d = new Date(Date.UTC(y, m, asOf.getUTCDate()));
      const day = d.getUTCDay() || 7;
      d.setUTCDate(d.getUTCDate() + 4 - day);
      const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
      const week = Math.ceil(((d.getTime() - yearStart) / 86400000 + 1) / 7);
      return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
    }
  }
}
