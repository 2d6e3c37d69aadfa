// Duration literals (`15m`, `4h`, `90d`, `2w`, `1h30m`) are accepted wherever a duration is
// compared or configured; everything is normalised to seconds. Months and years are refused
// on purpose: their length varies, and a review window must mean the same thing every run.

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const SEGMENT = /(\d+(?:\.\d+)?)(s|m|h|d|w)/y;
export const DURATION_PATTERN = '^(\\d+(\\.\\d+)?(s|m|h|d|w))+$';

/** Seconds in a duration literal, or undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > 32) return undefined;
  let total = 0;
  SEGMENT.lastIndex = 0;
  while (SEGMENT.lastIndex < text.length) {
    const start = SEGMENT.lastIndex;
    const m = SEGMENT.exec(text);
    if (!m || m.index !== start) return undefined;
    total += Number(m[1]) * UNIT_SECONDS[m[2]];
  }
  return total;
}

export function isDurationLiteral(value: unknown): value is string {
  return typeof value === 'string' && parseDuration(value) !== undefined;
}

/** The shortest readable form of a number of seconds: 5400 → `1h30m`, 7776000 → `90d`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds === 0) return '0s';
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.abs(seconds);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (rest >= size) {
      const n = Math.floor(rest / size);
      parts.push(`${n}${unit}`);
      rest -= n * size;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(`${Math.round(rest * 1000) / 1000}s`);
  return sign + parts.join('');
}

const DAY = 86_400;

/** A duration literal in words: `365d` → `365 days`, `2w` → `2 weeks`, `4h` → `4 hours`. */
export function durationWords(literal: string): string {
  const s = parseDuration(literal);
  if (s === undefined) return literal;
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (s % (7 * DAY) === 0 && s >= 7 * DAY && !literal.endsWith('d')) return unit(s / (7 * DAY), 'week');
  if (s % DAY === 0) return unit(s / DAY, 'day');
  if (s % 3600 === 0) return unit(s / 3600, 'hour');
  if (s % 60 === 0) return unit(s / 60, 'minute');
  return unit(s, 'second');
}
