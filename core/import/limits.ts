// The bounds of one import row, so that a file cannot make one employee weigh megabytes on
// every page that lists it, or hand the store a value it refuses. Far past any real HR or
// contact-centre export; each one reached is a coded error at the row's line and column
// (APPRAISE_IMPORT_OVER_LIMIT), like any other bad row.
export const IMPORT_LIMITS = {
  /** Columns of a CSV/TSV header, keys of one NDJSON line. */
  columns: 1000,
  /** Characters of a column name (or an NDJSON key). */
  columnNameChars: 200,
  /** Attributes of one employee. */
  attributes: 100,
  /** Characters of one attribute value (as many as an employee's name may have). */
  attributeChars: 200,
  /** Payload fields of one record. */
  payloadFields: 100,
  /** Characters of any other text value bound for the store (the longest built-in field, a survey comment, allows 10,000). */
  valueChars: 10_000,
  /** Characters of a record's externalId: it is part of a unique index, whose entries PostgreSQL caps at ~2.7 kB. */
  externalIdChars: 500,
  /** Characters of a row's `source`. */
  sourceChars: 200,
  /** Nesting of objects and lists inside one value (NDJSON, json-typed columns). */
  depth: 16,
  /** Bytes of one row (a CSV record, an NDJSON line); longer is most likely a quote never closed. */
  rowBytes: 4 * 1024 * 1024,
} as const;

/** `12,345`: limits and counts in messages. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}
