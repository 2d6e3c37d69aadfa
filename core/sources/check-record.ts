// One record of a batch against what the host can store: a kind the source produces, a vendor
// id and person, an instant with its zone, and a payload valid against the kind's schema (the
// import's own validator and wording). What fails is set aside with its field and problem.
import type { RecordKindInfo } from '../plugins/manifest.ts';
import { describeErrors, payloadValidator } from '../import/validate-rows.ts';

export interface RecordProblem {
  field: string;
  problem: string;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export function recordProblems(record: unknown, produces: readonly string[], kinds: ReadonlyMap<string, RecordKindInfo>): RecordProblem[] {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return [{ field: '(record)', problem: 'the record is not an object' }];
  const r = record as Record<string, unknown>;
  const out: RecordProblem[] = [];
  if (typeof r.id !== 'string' || !r.id.trim()) out.push({ field: 'id', problem: 'the record has no vendor id (a text)' });
  if (typeof r.person !== 'string' || !r.person.trim()) out.push({ field: 'person', problem: 'the record names no person (the vendor id of an employee)' });
  if (typeof r.occurredAt !== 'string' || !INSTANT.test(r.occurredAt) || Number.isNaN(Date.parse(r.occurredAt))) {
    out.push({ field: 'occurredAt', problem: `${JSON.stringify(r.occurredAt ?? null)} is not an instant with a zone, e.g. 2026-03-01T09:30:00Z` });
  }
  const kind = typeof r.kind === 'string' ? kinds.get(r.kind) : undefined;
  if (typeof r.kind !== 'string' || !produces.includes(r.kind)) {
    out.push({ field: 'kind', problem: `the source does not produce the record kind ${JSON.stringify(r.kind ?? null)}; its manifest declares ${produces.join(', ')}` });
  } else if (!kind) {
    out.push({ field: 'kind', problem: `no enabled plugin contributes the record kind ${r.kind}` });
  }
  if (typeof r.payload !== 'object' || r.payload === null || Array.isArray(r.payload)) {
    out.push({ field: 'payload', problem: 'the record has no payload object' });
  } else if (kind) {
    const validate = payloadValidator(kind);
    if (!validate(r.payload)) {
      for (const p of describeErrors(validate.errors ?? [], (path) => `payload.${String(path[0] ?? '')}`.replace(/\.$/, ''), `a field of ${kind.id}`)) out.push({ field: p.column, problem: p.reason });
    }
  }
  return out;
}
