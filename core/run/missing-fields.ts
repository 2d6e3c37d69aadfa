// Why a fact has no data for anyone: a declarative fact with no samples for any employee, when
// the store does hold records of the kind its formula reads but none of them has a field the
// formula needs (no ticket has a first response, because no column was mapped to it), gets a
// run warning that names the field and what to do. Without it every agent is "not enough data"
// and nothing says why. One query per record kind, and only for facts empty for everyone.
import type { Queryable } from '../store/store.ts';
import type { RecordKindInfo } from '../plugins/manifest.ts';
import { aggregateFieldsByKind } from '../metrics/aggregate.ts';
import { formulaOf } from '../metrics/formula.ts';
import { inSentence } from '../util/words.ts';
import type { ComputedRequest } from './compute.ts';
import type { PolicyPlan } from './plan.ts';

export interface RunWarning {
  code: 'APPRAISE_RUN_FIELD_MISSING';
  policyId: string;
  fact: string;
  metric: string;
  recordKind: string;
  /** The fields the formula reads that no stored record of the kind has. */
  fields: string[];
  message: string;
}

/** Per record kind: whether the store has any record of it, and which of the asked fields some record has. */
export type FieldPresence = Map<string, { any: boolean; present: Set<string>; asked: Set<string> }>;

/**
 * The warnings for the facts of `policies` that have no samples for anyone for want of a field.
 * `presence` may be kept by the caller while the data is unchanged (previews repeat).
 */
export async function missingFieldWarnings(
  db: Queryable,
  policies: readonly PolicyPlan[],
  computed: ReadonlyMap<string, ComputedRequest>,
  recordKinds: ReadonlyMap<string, RecordKindInfo> | undefined,
  presence: FieldPresence = new Map(),
): Promise<RunWarning[]> {
  const out: RunWarning[] = [];
  for (const p of policies) {
    if (p.employees.length === 0) continue; // nobody to be short of data
    for (const f of p.facts) {
      const metric = f.request.metric;
      const c = computed.get(f.request.key);
      if (metric.aggregate === undefined || !c || !emptyForEveryone(c)) continue;
      // The fields of the formula as the fact's params shape it (its clock, its segment), not of every variant.
      const formula = formulaOf(metric, f.request.params);
      for (const [kind, fields] of Object.entries(aggregateFieldsByKind(formula, metric.recordKind, f.request.params))) {
        const known = await presenceOf(db, kind, fields, presence);
        const missing = fields.filter((x) => !known.present.has(x));
        if (!known.any || missing.length === 0) continue;
        const policyId = p.compiled.policy.metadata.id;
        out.push({ code: 'APPRAISE_RUN_FIELD_MISSING', policyId, fact: f.name, metric: metric.id, recordKind: kind, fields: missing, message: warningText(policyId, f.name, metric.title, kindWords(kind, recordKinds), missing) });
      }
    }
  }
  return out;
}

/** No employee has a sample (an error is reported as such, not as missing data). */
function emptyForEveryone(c: ComputedRequest): boolean {
  if (c.empty.kind !== 'aggregate' || c.empty.result.samples > 0) return false;
  for (const r of c.raw.values()) if (r.kind !== 'aggregate' || r.result.samples > 0) return false;
  return true;
}

async function presenceOf(db: Queryable, kind: string, fields: string[], presence: FieldPresence): Promise<{ any: boolean; present: Set<string> }> {
  const known = presence.get(kind);
  const unasked = fields.filter((x) => !known?.asked.has(x));
  if (known && (!known.any || unasked.length === 0)) return known;
  // EXISTS stops at the first record that has the field: only a field nobody has costs a scan of the kind.
  const row = (await db.query<Record<string, boolean>>(
    `SELECT EXISTS (SELECT 1 FROM records WHERE kind = $1) AS "any"${unasked.map((_, i) => `,
            EXISTS (SELECT 1 FROM records WHERE kind = $1 AND payload ->> $${i + 2}::text IS NOT NULL) AS f${i}`).join('')}`,
    [kind, ...unasked],
  )).rows[0];
  const entry = known ?? { any: row.any, present: new Set<string>(), asked: new Set<string>() };
  unasked.forEach((x, i) => {
    entry.asked.add(x);
    if (row[`f${i}`]) entry.present.add(x);
  });
  presence.set(kind, entry);
  return entry;
}

/** "support ticket" from the kind's title, or its id when the kind is not known here. */
function kindWords(kind: string, recordKinds: ReadonlyMap<string, RecordKindInfo> | undefined): string {
  const title = recordKinds?.get(kind)?.title;
  return title ? inSentence(title) : `${kind} record`;
}

function warningText(policyId: string, fact: string, metricTitle: string, kind: string, fields: string[]): string {
  const names = fields.join(' or ');
  return `No ${kind} in the store has a value for ${names}, so \`${fact}\` (${inSentence(metricTitle)}) of the policy ${policyId} is 'not enough data' for everyone. `
    + `Map ${fields.length === 1 ? 'a column' : 'columns'} to ${fields.join(' and ')} when importing ${kind}s.`;
}
