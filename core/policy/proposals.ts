// Four-eyes publish (config `policies.publish.approvals: 1`): a publish is stored as a proposed
// version, not in force, until a second person with the hr or admin role approves it. The author
// can never review their own. A rejected version is kept (never deleted) and every step is in
// the audit log with its actor and note, whether it came from the API or the CLI.
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import type { Queryable, Store } from '../store/store.ts';
import type { AppConfig } from '../config/config.ts';
import { publishPolicy, versionOfRow, type PolicyVersion, type PublishResult, type VersionRow } from './versions.ts';
import type { Policy } from './types.ts';
import { recordNotice, type NoticeContext } from '../compliance/notices/record.ts';

/** Who may approve or reject, in words for people (the roles of PERMISSIONS.publishPolicies). */
export const REVIEWER_ROLES = 'another person with the hr or admin role';

/** How many people besides the author must approve a publish (0: it is in force at once). */
export function approvalsRequired(config: Pick<AppConfig, 'policies'>): number {
  return config.policies.publish?.approvals ?? 0;
}

export async function auditPolicyStep(tx: Queryable, actor: string, action: string, v: PolicyVersion, data: Record<string, unknown> = {}): Promise<void> {
  await tx.query(`INSERT INTO audit_log (actor, action, target, after, data) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)`, [
    actor, action, `policy:${v.policyId}`, JSON.stringify({ version: v.version, status: v.status, contentHash: v.contentHash, comment: v.comment }), JSON.stringify(data),
  ]);
}

/** Stores the text as a proposed version (audited as policy.propose); nothing changes in force. */
export async function proposePolicy(
  store: Store,
  input: { policy: Policy; yaml: string; author: string; comment?: string; baseVersion?: number; preview?: unknown; fairness?: unknown; notice?: NoticeContext },
): Promise<PublishResult> {
  const { preview, fairness, ...rest } = input;
  return publishPolicy(store, { ...rest, propose: { preview, fairness } }, (tx, v) => auditPolicyStep(tx, input.author, 'policy.propose', v, { baseVersion: v.baseVersion ?? 0 }));
}

/** Versions that went through review (proposed, approved or rejected), newest first; `status` narrows them. */
export async function listProposals(db: Queryable, policyId?: string, status?: PolicyVersion['status']): Promise<PolicyVersion[]> {
  const r = await db.query<VersionRow>(
    `SELECT * FROM policy_versions WHERE proposal IS NOT NULL AND ($1::text IS NULL OR policy_id = $1) AND ($2::text IS NULL OR status = $2)
     ORDER BY policy_id, version DESC`,
    [policyId ?? null, status ?? null],
  );
  return r.rows.map(versionOfRow);
}

/**
 * Approves (the version goes in force, as a publish does) or rejects (kept, marked rejected) a
 * proposed version. The reviewer cannot be its author; a version already reviewed is not
 * reviewed again; a version proposed on top of one that is no longer in force is stale.
 */
export async function reviewProposal(
  store: Store,
  input: { policyId: string; version: number; reviewer: string; note: string; decision: 'approve' | 'reject'; notice?: NoticeContext },
): Promise<PolicyVersion> {
  const { policyId, version, reviewer, note, decision } = input;
  return store.transaction(async (tx) => {
    const row = (await tx.query<VersionRow>('SELECT * FROM policy_versions WHERE policy_id = $1 AND version = $2 FOR UPDATE', [policyId, version])).rows[0];
    if (!row) {
      throw new AppraiseError('APPRAISE_POLICY_NOT_FOUND', `The policy \`${policyId}\` has no version ${version}. \`npx appraise policies history ${policyId}\` lists its versions.`, { policyId, version });
    }
    if (row.status !== 'proposed') {
      const was = row.status === 'rejected' ? `was rejected by ${row.reviewed_by}` : row.reviewed_by ? `was approved by ${row.reviewed_by}` : 'was published without review';
      throw new AppraiseError('APPRAISE_POLICY_NOT_PROPOSED', `Version ${version} of ${policyId} is not awaiting review: it ${was}. \`npx appraise policies history ${policyId}\` shows each version's state.`, { policyId, version, status: row.status });
    }
    if (row.author === reviewer) {
      throw new AppraiseError('APPRAISE_POLICY_OWN_PROPOSAL', `${reviewer} proposed version ${version} of ${policyId} and cannot ${decision} it too: ${REVIEWER_ROLES} must.`, { policyId, version, author: row.author });
    }
    if (decision === 'approve') {
      const inForce = Number((await tx.query<{ v: number | null }>(`SELECT max(version) AS v FROM policy_versions WHERE policy_id = $1 AND status = 'published'`, [policyId])).rows[0]?.v ?? 0);
      if (inForce !== Number(row.base_version ?? 0)) {
        throw new AppraiseError('APPRAISE_POLICY_STALE_VERSION',
          `Version ${version} of ${policyId} was proposed as a change to version ${row.base_version ?? 0}, but version ${inForce} is in force now; approving it would undo that version's change. Reject it and propose the change again on version ${inForce}.`,
          { policyId, baseVersion: Number(row.base_version ?? 0), latestVersion: inForce });
      }
    }
    // An approved version is in force from now: published_at is when it took effect.
    const updated = (await tx.query<VersionRow>(
      `UPDATE policy_versions SET status = $3, reviewed_by = $4, review_note = $5, reviewed_at = now()${decision === 'approve' ? ', published_at = now()' : ''}
       WHERE policy_id = $1 AND version = $2 RETURNING *`,
      [policyId, version, decision === 'approve' ? 'published' : 'rejected', reviewer, note],
    )).rows[0];
    const v = versionOfRow(updated);
    // The notice period starts now, when the version goes in force, not when it was proposed.
    if (decision === 'approve' && input.notice) await recordNotice(tx, v, input.notice);
    await auditPolicyStep(tx, reviewer, decision === 'approve' ? 'policy.approve' : 'policy.reject', v, { note, author: row.author });
    return v;
  });
}
