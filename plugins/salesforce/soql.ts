// The SOQL the connector sends, in one place: keyset pages over (SystemModstamp, Id), so a page
// boundary inside a run of records that share one SystemModstamp neither loses nor repeats one.

/** Where a stream stopped: the last record's SystemModstamp and Id. */
export interface Keyset {
  mark: string;
  id: string;
}

/** A SOQL dateTime literal (`2026-03-01T10:00:00Z`), unquoted, as SOQL's date formats allow. */
export function soqlDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`not a date-time: ${iso}`);
  // Salesforce keeps SystemModstamp to the second; SOQL's documented formats have no fraction.
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A SOQL string literal: backslash escapes, as SOQL wants them. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * `SELECT … FROM <object> WHERE <after keyset> [AND extra] ORDER BY SystemModstamp, Id LIMIT n`:
 * the next `limit` records after `after` (or from the start), oldest change first.
 */
export function keysetQuery(o: { fields: string[]; object: string; after?: Keyset; until?: string; extra?: string[]; limit: number }): string {
  const where: string[] = [];
  if (o.after) {
    const m = soqlDateTime(o.after.mark);
    where.push(`(SystemModstamp > ${m} OR (SystemModstamp = ${m} AND Id > ${soqlString(o.after.id)}))`);
  }
  if (o.until) where.push(`SystemModstamp <= ${soqlDateTime(o.until)}`);
  where.push(...(o.extra ?? []));
  return `SELECT ${o.fields.join(', ')} FROM ${o.object}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY SystemModstamp, Id LIMIT ${o.limit}`;
}

/** `SELECT … FROM <object> WHERE Id IN (…)`, in chunks short enough for a GET request's URI. */
export function byIdQueries(fields: string[], object: string, ids: string[], chunk = 200): string[] {
  const out: string[] = [];
  for (let i = 0; i < ids.length; i += chunk) {
    out.push(`SELECT ${fields.join(', ')} FROM ${object} WHERE Id IN (${ids.slice(i, i + chunk).map(soqlString).join(', ')})`);
  }
  return out;
}
