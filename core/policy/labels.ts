// Plain titles for the ids that rules give in their params (`award: customer-champion`), as a
// policy declares them in `spec.labels`. Cases and decisions point at the published version
// that made them, so their titles are read from that version's text: a later version renaming
// an award does not rename the awards already given.
import { parse } from 'yaml';
import type { Queryable } from '../store/store.ts';
import type { Policy } from './types.ts';

/** The ids a policy's rules give in their params: string values, and strings in lists. */
export function paramIds(params: unknown): string[] {
  if (!params || typeof params !== 'object' || Array.isArray(params)) return [];
  const out: string[] = [];
  for (const v of Object.values(params as Record<string, unknown>)) {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') out.push(x);
  }
  return out;
}

/** Every id the policy's rules give in their params, in rule order, once each. */
export function policyParamIds(policy: Pick<Policy, 'spec'>): string[] {
  return [...new Set(policy.spec.rules.flatMap((r) => paramIds(r.then.params)))];
}

/** The labels of the ids in `params`: only those the policy declares (the UI words the rest). */
export function labelsOf(labels: Readonly<Record<string, string>>, params: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of paramIds(params)) if (Object.hasOwn(labels, id)) out[id] = labels[id];
  return out;
}

/** A published text's labels, by its content hash (a text never changes, so neither do they). */
const byHash = new Map<string, Record<string, string>>();
const MAX_CACHED = 500;

function labelsOfText(hash: string, yaml: string): Record<string, string> {
  let labels = byHash.get(hash);
  if (!labels) {
    try {
      const doc = parse(yaml) as Partial<Policy> | null;
      const declared = doc?.spec?.labels;
      labels = declared && typeof declared === 'object' ? Object.fromEntries(Object.entries(declared).filter(([, v]) => typeof v === 'string')) : {};
    } catch {
      labels = {}; // published text was validated; an unreadable one just has no labels
    }
    if (byHash.size >= MAX_CACHED) byHash.clear();
    byHash.set(hash, labels);
  }
  return labels;
}

/**
 * Adds `labels` to each item: the titles its policy version declares for the ids in its
 * params. One query for all the versions the items point at.
 */
export async function withLabels<T extends { policyId: string; policyVersion: number; params: unknown }>(db: Queryable, items: T[]): Promise<Array<T & { labels: Record<string, string> }>> {
  const keys = [...new Map(items.filter((i) => paramIds(i.params).length).map((i) => [`${i.policyId}@${i.policyVersion}`, i])).values()];
  const declared = new Map<string, Record<string, string>>();
  if (keys.length) {
    const rows = (await db.query<{ policy_id: string; version: number; content_hash: string; yaml: string }>(
      `SELECT v.policy_id, v.version, v.content_hash, v.yaml FROM policy_versions v
       JOIN unnest($1::text[], $2::int[]) AS k(policy_id, version) ON k.policy_id = v.policy_id AND k.version = v.version`,
      [keys.map((k) => k.policyId), keys.map((k) => Number(k.policyVersion))],
    )).rows;
    for (const r of rows) declared.set(`${r.policy_id}@${Number(r.version)}`, labelsOfText(r.content_hash, r.yaml));
  }
  return items.map((i) => ({ ...i, labels: labelsOf(declared.get(`${i.policyId}@${i.policyVersion}`) ?? {}, i.params) }));
}
