// Dates, times and durations read from import files: ISO 8601 or the Luxon formats a mapping
// names, in the zone the import names when the text carries none (default UTC). Instants leave
// here in UTC (`2021-01-01T07:12:58Z`), calendar dates as `YYYY-MM-DD`, durations in seconds.
import { DateTime, IANAZone } from 'luxon';

export const DEFAULT_ZONE = 'UTC';

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** A Luxon format is valid when formatting a date with it and parsing the result round-trips. */
export function isValidFormat(format: string): boolean {
  const sample = DateTime.fromObject({ year: 2001, month: 2, day: 3, hour: 14, minute: 5, second: 6 }, { zone: 'UTC', locale: 'en-US' });
  const text = sample.toFormat(format);
  return text !== format && DateTime.fromFormat(text, format, { zone: 'UTC', locale: 'en-US' }).isValid;
}

export interface ParseOptions {
  /** Luxon formats (`yyMMdd H:mm:ss`), tried in order; none means ISO 8601. */
  formats?: readonly string[];
  zone: string;
  /** Where a two-digit year's century starts: 1920 reads `51` as 1951 and `19` as 2019. */
  twoDigitYearStart?: number;
}

// ISO 8601 as people write it in spreadsheets: a date, optionally a time (with `T` or a space),
// optionally a zone. Anything looser (`2021`, `5`) is refused rather than guessed.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
// Format tokens that carry a zone or offset: a text parsed with them keeps its own.
const ZONE_TOKENS = /(^|[^'])(Z{1,3}|z)/;

const parsers = new Map<string, ReturnType<typeof DateTime.buildFormatParser>>();

/**
 * Reads an instant. A text with its own offset keeps it; one without is local time in
 * `options.zone` (a local time skipped by a daylight-saving change moves forward, as Luxon does).
 * The wall-clock time is parsed in UTC and the zone's offset looked up once per quarter hour of
 * wall time: Luxon's own per-value zone arithmetic (Intl) would cost most of a large import.
 */
export function parseInstant(text: string, options: ParseOptions): DateTime | undefined {
  const t = text.trim();
  if (options.formats?.length) {
    for (const format of options.formats) {
      if (ZONE_TOKENS.test(format.replace(/'[^']*'/g, ''))) {
        const d = DateTime.fromFormat(t, format, { zone: options.zone, setZone: true, locale: 'en-US' });
        if (d.isValid) return fixCentury(d, format, options.twoDigitYearStart).toUTC();
        continue;
      }
      let parser = parsers.get(format);
      if (!parser) {
        parser = DateTime.buildFormatParser(format, { locale: 'en-US' });
        parsers.set(format, parser);
      }
      const wall = DateTime.fromFormatParser(t, parser, { zone: 'utc', locale: 'en-US' });
      if (wall.isValid) return inZone(fixCentury(wall, format, options.twoDigitYearStart).toMillis(), options.zone);
    }
    return undefined;
  }
  const m = ISO.exec(t);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', offset] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3) || 0);
  let wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), ms);
  // Date.UTC reads the years 0–99 as 1900–1999: `0001-01-01` would become 1901. setUTCFullYear does not.
  if (Number(y) < 100) wall = new Date(wall).setUTCFullYear(Number(y));
  const check = new Date(wall);
  // Date.UTC rolls 2021-02-30 over to March; a real date reads back the same.
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return undefined;
  if (offset) {
    if (/^z$/i.test(offset)) return DateTime.fromMillis(wall, { zone: 'utc' });
    const om = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset)!;
    const minutes = (om[1] === '-' ? -1 : 1) * (Number(om[2]) * 60 + Number(om[3] ?? 0));
    if (Math.abs(minutes) > 18 * 60) return undefined;
    return DateTime.fromMillis(wall - minutes * 60_000, { zone: 'utc' });
  }
  return inZone(wall, options.zone);
}

const offsets = new Map<string, Map<number, number>>();

/** The instant of a wall-clock time (given as if it were UTC) in `zone`. */
function inZone(wallMs: number, zone: string): DateTime {
  if (zone === 'UTC' || zone === 'utc' || zone === 'Etc/UTC') return DateTime.fromMillis(wallMs, { zone: 'utc' });
  let cache = offsets.get(zone);
  if (!cache) offsets.set(zone, (cache = new Map()));
  const slot = Math.floor(wallMs / 900_000);
  let offset = cache.get(slot);
  if (offset === undefined) {
    // Zone changes fall on whole quarter hours of local time, so one answer serves the slot.
    const local = DateTime.fromMillis(wallMs, { zone: 'utc' }).setZone(zone, { keepLocalTime: true });
    offset = wallMs - local.toMillis();
    if (cache.size > 100_000) cache.clear();
    cache.set(slot, offset);
  }
  return DateTime.fromMillis(wallMs - offset, { zone: 'utc' });
}

/** Reads a calendar date (no zone involved); the result is `YYYY-MM-DD`. */
export function parseDate(text: string, options: Omit<ParseOptions, 'zone'>): string | undefined {
  const t = text.trim();
  if (!options.formats?.length) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(t)) return undefined;
    const d = DateTime.fromISO(t, { zone: 'UTC' });
    return d.isValid ? d.toISODate()! : undefined;
  }
  const d = parseInstant(t, { ...options, zone: 'UTC' });
  return d?.toISODate() ?? undefined;
}

// The years a date or instant of an import may have, as anywhere else in Appraise
// (core/util/instant.ts): PostgreSQL refuses a date in year 0, JavaScript cannot write an
// instant past the year 275760, and nothing real happened before 1900.
const FIRST_MS = new Date('1900-01-01T00:00:00.000Z').getTime();
const LAST_MS = new Date('9999-12-31T23:59:59.999Z').getTime();

/** Whether an instant (epoch milliseconds) or a `YYYY-MM-DD` date lies outside 1900–9999. */
export function outsideYears(value: number | string): boolean {
  const ms = typeof value === 'number' ? value : /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  return !(ms >= FIRST_MS && ms <= LAST_MS);
}

/** The reason given for such a value. */
export function yearsReason(text: string): string {
  return `\`${text.length > 60 ? `${text.slice(0, 60)}…` : text}\` lies outside the years 1900 to 9999 that Appraise keeps`;
}

export function toUtcIso(d: DateTime): string {
  return isoFromMillis(d.toMillis());
}

/** `2021-01-01T07:12:58Z` (milliseconds only when there are some). */
export function isoFromMillis(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** What to write instead, for error messages. */
export function describeFormats(formats: readonly string[] | undefined): string {
  return formats?.length
    ? `in the format ${formats.map((f) => `\`${f}\``).join(' or ')}`
    : 'in ISO 8601, e.g. `2021-03-01T09:30:00` (add `Z` or `+02:00` when it is not local time)';
}

// Luxon reads `yy` with a fixed pivot (60: `51` is 2051); a data set of birth dates needs its own.
function fixCentury(d: DateTime, format: string, start: number | undefined): DateTime {
  if (start === undefined || !/(^|[^y])yy([^y]|$)/.test(format)) return d;
  const yy = d.year % 100;
  const year = start + ((yy - (start % 100) + 100) % 100);
  return year === d.year ? d : d.set({ year });
}

/** `H:MM:SS`, `M:SS` or plain seconds → seconds. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  let m = /^(\d+):([0-5]\d):([0-5]\d)$/.exec(t);
  if (m) return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  m = /^(\d+):([0-5]\d)$/.exec(t);
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  return undefined;
}

/**
 * The age band of someone born on `birth` at the date `asOf`, with bands cut at `bounds`
 * (`[30, 40]` → `<30`, `30-39`, `40+`). Whole years, as people count birthdays.
 */
export function ageBand(birth: string, asOf: string, bounds: readonly number[]): string | undefined {
  const b = DateTime.fromISO(birth, { zone: 'UTC' });
  const a = DateTime.fromISO(asOf, { zone: 'UTC' });
  if (!b.isValid || !a.isValid || b > a) return undefined;
  const hadBirthday = a.month > b.month || (a.month === b.month && a.day >= b.day);
  const age = a.year - b.year - (hadBirthday ? 0 : 1);
  const cuts = [...bounds].sort((x, y) => x - y);
  if (age < cuts[0]) return `<${cuts[0]}`;
  for (let i = 0; i < cuts.length - 1; i++) if (age < cuts[i + 1]) return `${cuts[i]}-${cuts[i + 1] - 1}`;
  return `${cuts[cuts.length - 1]}+`;
}
