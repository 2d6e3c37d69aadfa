// The timestamps of a record's payload as instants, computed once when the record is stored
// (records.instants, migration 004), so that SQL durations need not validate texts per record.
import { epochMicros } from './timestamps.ts';

/**
 * `{field: "<µs since the epoch>"}` for every top-level string field that is a timestamp as
 * `{seconds: …}` reads it, and `{field: null}` for a date-like text that is not one (say
 * `2026-02-30T10:00:00Z`); other fields are left out (SQL reads those from the payload). Null
 * when the payload has no such field, to keep the column empty for most kinds of record.
 */
export function payloadInstants(payload: Record<string, unknown>): Record<string, string | null> | null {
  let out: Record<string, string | null> | null = null;
  for (const [field, value] of Object.entries(payload)) {
    if (typeof value !== 'string' || value.length < 10 || value.charCodeAt(4) !== 45 /* - */) continue;
    // No prototype: a field named `__proto__` is a field like any other.
    (out ??= Object.create(null) as Record<string, string | null>)[field] = epochMicros(value);
  }
  return out;
}
