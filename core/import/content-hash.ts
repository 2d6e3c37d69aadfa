// Content hashes that make imports idempotent: a record without an external id is identified by
// its kind, employee, instant and payload; an employee's hash tells an update from a no-op.
// Keys are sorted first, so the same content always hashes the same whatever its column order.
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The external id of a record that has none in its file. */
export function recordContentId(kind: string, employeeId: string, occurredAt: string, payload: Record<string, unknown>): string {
  return `sha256:${sha256(`${kind}\u0000${employeeId}\u0000${occurredAt}\u0000${canonicalJson(payload)}`)}`;
}
