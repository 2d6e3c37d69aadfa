// Policies are versioned documents: every published version keeps its exact YAML text,
// author, time, comment and content hash, so any decision can be explained and replayed with
// the text that made it. A version is never edited or deleted; a rollback publishes the old
// text as a new version.
import { createHash } from 'node:crypto';
import { createTwoFilesPatch } from 'diff';
import { parse } from 'yaml';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import type { Queryable, Store } from '../store/store.ts';
import type { Policy } from './types.ts';
import { recordNotice, type NoticeContext } from '../compliance/notices/record.ts';

export interface PolicyVersion {
  policyId: string;
  version: number;
  yaml: string;
  contentHash: string;
  title: string;
  author: string;
  comment: string;
  /** When it went in force (for a proposed or rejected version: when it was proposed). */
  publishedAt: string;
  rolledBackFrom?: number;
  /** `published` (the latest published version is the one in force), `proposed` (awaiting a second person), `rejected`. */
  status: VersionStatus;
  /** Four-eyes publish: what the reviewer saw and said (core/policy/proposals.ts). */
  proposal?: ProposalDetails;
  baseVersion?: number;
  reviewedBy?: string;
  reviewNote?: string;
  reviewedAt?: string;
}

export type VersionStatus = 'published' | 'proposed' | 'rejected';

/** What a reviewer judges a proposed version by: its diff against the version in force, and what the author last saw. */
export interface ProposalDetails {
  proposedAt: string;
  diff: string;
  preview?: unknown;
  fairness?: unknown;
}

export interface PolicySummary {
  policyId: string;
  title: string;
  latestVersion: number;
  author: string;
  publishedAt: string;
  owner?: string;
  schedule?: string;
  mode?: string;
  /** Set by the API while the version in force is in its notice period (policies.noticeDays). */
  noticePeriod?: { enforcedFrom: string; noticeDays: number };
  /** Set by the API for a scheduled policy: its next run (UTC instant), null when the schedule has none. */
  nextRun?: string | null;
}

export function contentHash(yaml: string): string {
  return createHash('sha256').update(yaml).digest('hex');
}

interface Row {
  policy_id: string;
  version: number;
  yaml: string;
  content_hash: string;
  title: string;
  author: string;
  comment: string;
  published_at: string | Date;
  rolled_back_from: number | null;
  status: VersionStatus;
  base_version: number | null;
  proposal: ProposalDetails | null;
  reviewed_by: string | null;
  review_note: string | null;
  reviewed_at: string | Date | null;
}

/** Only published rows are ever in force; proposed and rejected ones are kept beside them. */
const IN_FORCE = `status = 'published'`;

function toVersion(r: Row): PolicyVersion {
  return {
    policyId: r.policy_id,
    version: Number(r.version),
    yaml: r.yaml,
    contentHash: r.content_hash,
    title: r.title,
    author: r.author,
    comment: r.comment,
    publishedAt: new Date(r.published_at).toISOString(),
    ...(r.rolled_back_from !== null ? { rolledBackFrom: Number(r.rolled_back_from) } : {}),
    status: r.status,
    ...(r.proposal ? { proposal: r.proposal } : {}),
    ...(r.base_version !== null ? { baseVersion: Number(r.base_version) } : {}),
    ...(r.reviewed_by !== null ? { reviewedBy: r.reviewed_by, reviewNote: r.review_note ?? '', reviewedAt: new Date(r.reviewed_at!).toISOString() } : {}),
  };
}

export { toVersion as versionOfRow, type Row as VersionRow };

export interface PublishResult {
  version: PolicyVersion;
  /** False when the text equals the version in force: nothing was stored. */
  changed: boolean;
}

/**
 * Publishes a validated policy text as the next version. `baseVersion`, when given, must be the
 * version in force (otherwise another admin published in between: APPRAISE_POLICY_STALE_VERSION,
 * a 409). Two publishes racing for the same number cannot both win: the primary key decides.
 * With `propose`, the version is stored as proposed, with its diff against the version in force,
 * and nothing changes in force (core/policy/proposals.ts).
 */
export async function publishPolicy(
  store: Store,
  input: {
    policy: Policy; yaml: string; author: string; comment?: string; baseVersion?: number; rolledBackFrom?: number;
    propose?: { preview?: unknown; fairness?: unknown };
    /** The catalogue and settings of the worker notice, stored with a version that goes in force. */
    notice?: NoticeContext;
  },
  onPublished?: (tx: Queryable, v: PolicyVersion) => Promise<void>,
): Promise<PublishResult> {
  const policyId = input.policy.metadata.id;
  const hash = contentHash(input.yaml);
  try {
    return await store.transaction(async (tx) => {
      const latest = (await tx.query<Row>(`SELECT * FROM policy_versions WHERE policy_id = $1 AND ${IN_FORCE} ORDER BY version DESC LIMIT 1`, [policyId])).rows[0];
      const latestVersion = latest ? Number(latest.version) : 0;
      if (input.baseVersion !== undefined && input.baseVersion !== latestVersion) {
        throw staleError(policyId, input.baseVersion, latestVersion);
      }
      if (latest && latest.content_hash === hash && input.rolledBackFrom === undefined) return { version: toVersion(latest), changed: false };
      // Proposed and rejected versions hold numbers too: the next number is past all of them.
      const next = Number((await tx.query<{ v: number | null }>('SELECT max(version) AS v FROM policy_versions WHERE policy_id = $1', [policyId])).rows[0]?.v ?? 0) + 1;
      const proposal: ProposalDetails | null = input.propose ? {
        proposedAt: new Date().toISOString(),
        diff: createTwoFilesPatch(`${policyId}@v${latestVersion}`, `${policyId}@v${next}`, latest?.yaml ?? '', input.yaml),
        ...(input.propose.preview !== undefined ? { preview: input.propose.preview } : {}),
        ...(input.propose.fairness !== undefined ? { fairness: input.propose.fairness } : {}),
      } : null;
      const row = (await tx.query<Row>(
        `INSERT INTO policy_versions (policy_id, version, yaml, content_hash, title, author, comment, rolled_back_from, status, base_version, proposal)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb) RETURNING *`,
        [policyId, next, input.yaml, hash, input.policy.metadata.title, input.author, input.comment ?? '', input.rolledBackFrom ?? null,
          proposal ? 'proposed' : 'published', proposal ? latestVersion : null, proposal ? JSON.stringify(proposal) : null],
      )).rows[0];
      const version = toVersion(row);
      if (input.notice) await recordNotice(tx, version, input.notice);
      await onPublished?.(tx, version);
      return { version, changed: true };
    });
  } catch (e) {
    if (isUniqueViolation(e)) {
      const latest = await latestVersion(store, policyId);
      throw staleError(policyId, input.baseVersion ?? latest - 1, latest);
    }
    throw e;
  }
}

function staleError(policyId: string, base: number, latest: number): AppraiseError {
  return new AppraiseError(
    'APPRAISE_POLICY_STALE_VERSION',
    `${policyId} is at version ${latest}, but this change was made on version ${base}. Reload the policy, reapply your change and publish again.`,
    { policyId, baseVersion: base, latestVersion: latest },
  );
}

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return code === '23505' || /duplicate key value/.test(String((e as Error)?.message));
}

export async function latestVersion(store: Queryable, policyId: string): Promise<number> {
  const r = await store.query<{ v: number | null }>(`SELECT max(version) AS v FROM policy_versions WHERE policy_id = $1 AND ${IN_FORCE}`, [policyId]);
  return Number(r.rows[0]?.v ?? 0);
}

export async function getVersion(store: Queryable, policyId: string, version?: number): Promise<PolicyVersion> {
  const r = version === undefined
    ? await store.query<Row>(`SELECT * FROM policy_versions WHERE policy_id = $1 AND ${IN_FORCE} ORDER BY version DESC LIMIT 1`, [policyId])
    : await store.query<Row>('SELECT * FROM policy_versions WHERE policy_id = $1 AND version = $2', [policyId, version]);
  if (!r.rows[0]) {
    throw new AppraiseError('APPRAISE_POLICY_NOT_FOUND', version === undefined
      ? `No policy \`${policyId}\` has been published. \`npx appraise policies list\` shows the published ones.`
      : `The policy \`${policyId}\` has no version ${version}. \`npx appraise policies history ${policyId}\` lists its versions.`, { policyId, version });
  }
  return toVersion(r.rows[0]);
}

export async function policyHistory(store: Queryable, policyId: string): Promise<PolicyVersion[]> {
  const r = await store.query<Row>('SELECT * FROM policy_versions WHERE policy_id = $1 ORDER BY version DESC', [policyId]);
  if (r.rows.length === 0) await getVersion(store, policyId); // throws the not-found error
  return r.rows.map(toVersion);
}

/** The version in force of every published policy. */
export async function listPolicies(store: Queryable): Promise<PolicySummary[]> {
  const r = await store.query<Row>(
    `SELECT DISTINCT ON (policy_id) * FROM policy_versions WHERE ${IN_FORCE} ORDER BY policy_id, version DESC`,
  );
  return r.rows.map((row) => {
    let doc: Partial<Policy> = {};
    try {
      doc = parse(row.yaml) as Policy;
    } catch {
      /* published text was validated; keep the summary without extras */
    }
    return {
      policyId: row.policy_id,
      title: row.title,
      latestVersion: Number(row.version),
      author: row.author,
      publishedAt: new Date(row.published_at).toISOString(),
      ...(doc.metadata?.owner ? { owner: doc.metadata.owner } : {}),
      ...(doc.spec?.schedule ? { schedule: doc.spec.schedule } : {}),
      mode: doc.spec?.mode ?? 'enforce',
    };
  });
}

/** A unified diff of two versions' texts. */
export async function diffVersions(store: Queryable, policyId: string, from: number, to: number): Promise<string> {
  const [a, b] = await Promise.all([getVersion(store, policyId, from), getVersion(store, policyId, to)]);
  return createTwoFilesPatch(`${policyId}@v${from}`, `${policyId}@v${to}`, a.yaml, b.yaml, a.publishedAt, b.publishedAt);
}

/**
 * Publishes the text of an old version as a new version. The old text is validated again
 * against today's plugins first: a rollback never publishes a policy that would not load.
 */
export async function rollbackPolicy(
  store: Store,
  input: { policyId: string; version: number; author: string; comment?: string; propose?: boolean; notice?: NoticeContext; load: (yaml: string) => { policy?: Policy; diagnostics: import('../diagnostics/diagnostic.ts').Diagnostic[] } },
  onPublished?: (tx: Queryable, v: PolicyVersion) => Promise<void>,
): Promise<PublishResult> {
  const old = await getVersion(store, input.policyId, input.version);
  const loaded = input.load(old.yaml);
  if (!loaded.policy) {
    throw new AppraiseError('APPRAISE_POLICY_INVALID', `Version ${input.version} of ${input.policyId} no longer validates against the installed plugins; it cannot be rolled back to.`, { diagnostics: loaded.diagnostics });
  }
  return publishPolicy(store, {
    policy: loaded.policy,
    yaml: old.yaml,
    author: input.author,
    comment: input.comment ?? `roll back to version ${input.version}`,
    rolledBackFrom: input.version,
    ...(input.propose ? { propose: {} } : {}),
    ...(input.notice ? { notice: input.notice } : {}),
  }, onPublished);
}
