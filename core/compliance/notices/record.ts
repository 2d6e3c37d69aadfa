// The notices as published: one per policy version that went in force, written in the same
// transaction that puts the version in force (a publish, an approval, a rollback), and never
// changed after. A version put in force before notices existed gets its notice the first time
// it is asked for; that notice says it was written later (`noticePublishedAt` after `inForceAt`).
import type { Queryable } from '../../store/store.ts';
import type { Registry } from '../../registry/registry.ts';
import type { AppConfig } from '../../config/config.ts';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { loadPolicyText } from '../../policy/load.ts';
import type { PolicyVersion } from '../../policy/versions.ts';
import { generateNotice, type NoticeSettings, type WorkerNotice } from './generate.ts';

/** What generating a notice needs besides the version: the metric catalogue and the settings. */
export interface NoticeContext {
  registry: Registry;
  settings: NoticeSettings;
}

export interface StoredNotice extends WorkerNotice {
  /** When the notice was stored: when the version went in force, or later for a version from before notices. */
  noticePublishedAt: string;
}

/** `policies.noticeDays` and `policies.notice.contact` of a config. */
export function noticeSettings(config: Pick<AppConfig, 'policies'>): NoticeSettings {
  const contact = config.policies.notice?.contact;
  return { noticeDays: config.policies.noticeDays ?? 0, ...(contact ? { contact } : {}) };
}

/** The notice context of a loaded config and its plugins' registry. */
export function noticeContextOf(o: { config: Pick<AppConfig, 'policies'>; registry: Registry }): NoticeContext {
  return { registry: o.registry, settings: noticeSettings(o.config) };
}

export interface NoticeRow {
  notice: WorkerNotice;
  published_at: string | Date;
}

export const toStored = (r: NoticeRow): StoredNotice => ({ ...r.notice, noticePublishedAt: new Date(r.published_at).toISOString() });

/**
 * Generates and stores the notice of a version now in force (a proposed or rejected one has none).
 * A notice already stored stays as it is: it is what was published.
 */
export async function recordNotice(tx: Queryable, v: PolicyVersion, ctx: NoticeContext): Promise<StoredNotice | undefined> {
  if (v.status !== 'published') return undefined;
  const loaded = loadPolicyText(`${v.policyId}@v${v.version}`, v.yaml, ctx.registry);
  if (!loaded.policy) {
    throw new AppraiseError('APPRAISE_POLICY_INVALID', `Version ${v.version} of ${v.policyId} no longer validates against the installed plugins, so its worker notice cannot be generated. Install the plugins it uses again.`, { diagnostics: loaded.diagnostics });
  }
  const notice = generateNotice({ policy: loaded.policy, version: v.version, policyHash: v.contentHash, inForceAt: v.publishedAt, registry: ctx.registry, settings: ctx.settings });
  await tx.query(
    `INSERT INTO policy_notices (policy_id, version, notice, text_hash, notice_days, enforced_from)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6) ON CONFLICT (policy_id, version) DO NOTHING`,
    [v.policyId, v.version, JSON.stringify(notice), notice.textHash, notice.noticeDays, notice.enforcedFrom],
  );
  const row = (await tx.query<NoticeRow>('SELECT notice, published_at FROM policy_notices WHERE policy_id = $1 AND version = $2', [v.policyId, v.version])).rows[0];
  return toStored(row);
}

