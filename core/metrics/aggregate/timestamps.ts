// The timestamps `{seconds: [from, to]}` reads: which strings are instants (exactly those
// PostgreSQL's timestamptz input accepts in this shape) and the exact seconds between two of them.

/**
 * The shape of the timestamps `{seconds: …}` accepts: `YYYY-MM-DD`, `T` (or `t`, or a space),
 * `hh:mm`, optional `:ss` and fraction, optional zone `Z` / `±hh[[:]mm]` (hours up to 15, as
 * PostgreSQL); no zone is UTC. Beyond the shape, the date must exist (no Feb 30, no year 0):
 * the SQL translation checks the shape with this and the date with integer arithmetic on its
 * digits (pg_input_is_valid, PostgreSQL 16+, is not available on PostgreSQL 15).
 */
export const TIMESTAMP_PATTERN =
  '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?$';

// Parsed by hand into whole seconds + microseconds (two numbers, so year 9999 stays exact), into
// module-level slots rather than a fresh object per record.

let tsSeconds = 0;
let tsMicros = 0;

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;
const two = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const isDigitAt = (s: string, i: number): boolean => {
  const c = s.charCodeAt(i); // NaN past the end
  return c >= 48 && c <= 57;
};

/**
 * Parses a timestamp into tsSeconds/tsMicros; false when it is not one. A scanner, because
 * testing TIMESTAMP_PATTERN alone costs as much as the rest of a duration; the tests fuzz the
 * two against each other.
 */
function parseTimestamp(s: unknown): boolean {
  if (typeof s !== 'string' || s.length < 16) return false;
  const n = s.length;
  // YYYY-MM-DDThh:mm
  for (let k = 0; k < FIXED_DIGITS.length; k++) if (!isDigitAt(s, FIXED_DIGITS[k])) return false;
  const sep = s.charCodeAt(10);
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58) return false;
  if (sep !== 84 /* T */ && sep !== 116 /* t */ && sep !== 32) return false;
  const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + two(s, 2);
  const mo = two(s, 5);
  const d = two(s, 8);
  const h = two(s, 11);
  const mi = two(s, 14);
  // PostgreSQL has no year 0; the day must exist in that month.
  if (y === 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59) return false;
  let secs = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60;
  let micros = 0;
  let i = 16;
  if (i < n && s.charCodeAt(i) === 58 /* : */) {
    if (!isDigitAt(s, i + 1) || !isDigitAt(s, i + 2)) return false;
    const sec = two(s, i + 1);
    if (sec > 59) return false;
    secs += sec;
    i += 3;
    if (i < n && s.charCodeAt(i) === 46 /* . */) {
      const dot = i++;
      if (!isDigitAt(s, i)) return false;
      let frac = 0;
      for (; isDigitAt(s, i); i++) if (i - dot <= 6) frac = frac * 10 + digit(s, i);
      const digits = i - dot - 1;
      // PostgreSQL rounds a fraction to microseconds as rint(strtod(".ddd…") · 10⁶), i.e. half
      // to even after one binary rounding (".0000005" is 0 µs, ".0000025" 2 µs). Up to 6 digits
      // that is exactly the digits; beyond, the same double arithmetic gives the same answer.
      micros = digits <= 6 ? frac * POW10[6 - digits] : rint(Number(s.slice(dot, i)) * 1e6);
    }
  }
  if (i < n) {
    const c = s.charCodeAt(i);
    if (c === 90 /* Z */ || c === 122 /* z */) {
      i++;
    } else if (c === 43 /* + */ || c === 45 /* - */) {
      if (!isDigitAt(s, i + 1) || !isDigitAt(s, i + 2)) return false;
      const oh = two(s, i + 1);
      if (oh > 15) return false; // PostgreSQL's limit
      let offset = oh * 3600;
      i += 3;
      if (i < n) {
        if (s.charCodeAt(i) === 58) i++;
        if (!isDigitAt(s, i) || !isDigitAt(s, i + 1)) return false;
        const om = two(s, i);
        if (om > 59) return false;
        offset += om * 60;
        i += 2;
      }
      secs -= c === 43 ? offset : -offset;
    } else {
      return false;
    }
  }
  if (i !== n) return false;
  tsSeconds = secs;
  tsMicros = micros;
  return true;
}
const FIXED_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15];
const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000];

/** C's rint in the default rounding mode: to the nearest integer, halves to even. */
function rint(x: number): number {
  const r = Math.round(x); // halves up
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** A timestamp as microseconds since the epoch, in decimal (exact at any year); null when it is none. */
export function epochMicros(s: unknown): string | null {
  if (!parseTimestamp(s)) return null;
  return (BigInt(tsSeconds) * 1000000n + BigInt(tsMicros)).toString();
}

/** An instant as whole seconds and microseconds since the epoch (as the parser reads one). */
export interface Instant {
  s: number;
  u: number;
}

/** A Date as an Instant (its milliseconds are exact microseconds). */
export function instantOf(d: Date): Instant {
  const ms = d.getTime();
  const s = Math.floor(ms / 1000);
  return { s, u: (ms - s * 1000) * 1000 };
}

/** Whether `v` is a timestamp (as `{seconds: …}` reads one). */
export function isTimestamp(v: unknown): boolean {
  return parseTimestamp(v);
}

/**
 * Compares a timestamp with an instant: −1 before, 0 at, 1 after; NaN when `v` is no timestamp.
 * What "happened by as-of" means: not after it.
 */
export function compareWith(v: unknown, at: Instant): number {
  if (!parseTimestamp(v)) return NaN;
  return tsSeconds !== at.s ? (tsSeconds < at.s ? -1 : 1) : tsMicros === at.u ? 0 : tsMicros < at.u ? -1 : 1;
}

/**
 * Seconds from one instant to another, less `lessMicros` whole microseconds, signed: the double
 * nearest the exact result. Past 2^53 µs (285 years) that count is not exact; then seconds
 * and the fraction are added, which is off by at most one unit in the last place.
 */
function signedSeconds(s0: number, u0: number, s1: number, u1: number, lessMicros: number): number {
  const ds = s1 - s0;
  const du = u1 - u0 - lessMicros;
  // The exact number of microseconds divided once: the double nearest the true duration, the
  // same as PostgreSQL's exact interval converted to float8, so threshold comparisons agree.
  if (ds < 9e9 && ds > -9e9 && du < 9e15 && du > -9e15) {
    const total = ds * 1e6 + du; // each term exact; the sum too below 2^53 (a rounded sum would not be)
    if (total < 2 ** 53 && total > -(2 ** 53)) return total / 1e6;
  }
  return ds + du / 1e6;
}

/** Seconds from `from` to `to`, less `lessMicros`, signed; NaN when either is not a timestamp. */
export function signedSecondsBetween(from: unknown, to: unknown, lessMicros = 0): number {
  if (!parseTimestamp(from)) return NaN;
  const s0 = tsSeconds;
  const u0 = tsMicros;
  if (!parseTimestamp(to)) return NaN;
  return signedSeconds(s0, u0, tsSeconds, tsMicros, lessMicros);
}

/** Seconds from `from` to an instant, less `lessMicros`, signed; NaN when `from` is not a timestamp. */
export function signedSecondsTo(from: unknown, to: Instant, lessMicros = 0): number {
  if (!parseTimestamp(from)) return NaN;
  return signedSeconds(tsSeconds, tsMicros, to.s, to.u, lessMicros);
}

/** Seconds from `from` to `to`; NaN when either is not a timestamp or the duration is negative. */
export function secondsBetween(from: unknown, to: unknown): number {
  const s = signedSecondsBetween(from, to);
  return s < 0 ? NaN : s;
}

/** Seconds between two timestamps as `{seconds: [from, to]}` reads them; null when missing. */
export function timestampSeconds(from: unknown, to: unknown): number | null {
  const s = secondsBetween(from, to);
  return s === s ? s : null;
}
