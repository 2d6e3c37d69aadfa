// A text as the instant the evaluator reads in it, in SQL: shared by the metric queries over
// payloads and the typed tables' microsecond columns (core/records/typed-tables.ts).
import { TIMESTAMP_PATTERN } from '../aggregate/timestamps.ts';

/**
 * A text field as timestamptz when the evaluator accepts it as an instant, else NULL; never an
 * error. The shape is TIMESTAMP_PATTERN; the date must exist (the day within its month, leap
 * years, no year 0), checked on the digits so nothing invalid reaches the cast. A text without
 * a zone gets `Z`: the evaluator reads it as UTC, whatever the session's TimeZone.
 */
export function instantSql(t: string, text: (s: string) => string): string {
  const day = `substr(${t}, 9, 2) COLLATE "C"`;
  const year = `substr(${t}, 1, 4)::integer`;
  const leap = `(${year} % 4 = 0 AND (${year} % 100 <> 0 OR ${year} % 400 = 0))`;
  const lastDay = `CASE substr(${t}, 6, 2) WHEN '02' THEN CASE WHEN ${leap} THEN '29' ELSE '28' END WHEN '04' THEN '30' WHEN '06' THEN '30' WHEN '09' THEN '30' WHEN '11' THEN '30' ELSE '31' END`;
  const dateExists = `substr(${t}, 1, 4) <> '0000' AND (${day} <= '28' OR ${day} <= ${lastDay})`;
  // Past `YYYY-MM-DDThh:mm` only seconds, a fraction and a zone remain; a zone has a letter or a sign.
  const zoned = `CASE WHEN substr(${t}, 17) ~ '[Zz+-]' THEN ${t} ELSE ${t} || 'Z' END`;
  return `(CASE WHEN ${t} ~ ${text(TIMESTAMP_PATTERN)} THEN CASE WHEN ${dateExists} THEN (${zoned})::timestamptz END END)`;
}
