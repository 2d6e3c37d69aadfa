// Dates and instants typed by people (`--as-of`, `asOf`, `until`): a calendar date
// (YYYY-MM-DD, midnight UTC) or an ISO 8601 instant with its zone, within 1900–9999. JavaScript
// would read `0001-01-01` as 2001 and PostgreSQL refuses years past 294276, so anything outside
// the range is refused here, with the format, instead of failing deeper down.
import { AppraiseError } from '../diagnostics/diagnostic.ts';

/** The first and the last instant Appraise accepts anywhere a person types one. */
export const EARLIEST_INSTANT = new Date('1900-01-01T00:00:00.000Z');
export const LATEST_INSTANT = new Date('9999-12-31T23:59:59.999Z');

export const INSTANT_FORMAT = 'YYYY-MM-DD or an ISO 8601 instant such as 2026-12-31T17:00:00Z';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Where the text came from, in the reader's words: `--as-of`, `asOf`, `until`. */
export type FieldName = string;

/**
 * The instant a person typed, or `now` when nothing was given. Throws APPRAISE_DATE_INVALID for
 * text that is not a date or an ISO instant (or names a day that does not exist), and
 * APPRAISE_DATE_OUT_OF_RANGE outside 1900–9999.
 */
export function parseInstant(text: string | undefined, field: FieldName, now: () => Date = () => new Date()): Date {
  if (text === undefined || text === '') return now();
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  const m = DATE.exec(text) ?? INSTANT.exec(text);
  if (!m) throw new AppraiseError('APPRAISE_DATE_INVALID', `${field} must be ${INSTANT_FORMAT}, not \`${shown}\`.`, { field, value: shown });
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(DATE.test(text) ? `${text}T00:00:00Z` : text);
  // Date.UTC reads years 0–99 as 1900–1999; setUTCFullYear does not.
  const calendar = new Date(0);
  calendar.setUTCFullYear(year, month - 1, day);
  if (Number.isNaN(d.getTime()) || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) {
    throw new AppraiseError('APPRAISE_DATE_INVALID', `${field} names a day that does not exist: \`${shown}\`. Use ${INSTANT_FORMAT}.`, { field, value: shown });
  }
  if (d < EARLIEST_INSTANT || d > LATEST_INSTANT || year < 1900) {
    throw new AppraiseError('APPRAISE_DATE_OUT_OF_RANGE', `${field} must lie between 1900-01-01 and 9999-12-31, not \`${shown}\`.`, { field, value: shown });
  }
  return d;
}
