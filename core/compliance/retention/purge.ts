// Retention: what has been kept longer than the organisation's periods is removed, class by class,
// in batches of its own transaction each (a purge stopped midway leaves every batch whole and
// resumes where it stopped), and the purge reports what it did, in the audit log too.
//
// - records: deleted once they happened longer ago than `records` (their typed copies follow);
// - decisions: deleted once made longer ago than `decisions` — never under six months (the EU AI
//   Act's log floor, Art. 26(6)), and never one a kept case was opened from;
// - cases: closed longer ago than `cases`, pseudonymised (the person's id replaced, notes and
//   delivery payloads about them removed): counts and outcomes stay for reports;
// - audit: entries older than `audit` deleted;
// - decision-log files: files of days older than `decisionLogFiles` (at least six months) deleted.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppConfig } from '../../config/config.ts';
import { resolveFromConfig } from '../../config/config.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { parseDuration } from '../../policy/duration.ts';
import { locate, type YamlSource } from '../../policy/yaml-source.ts';
import type { Store } from '../../store/store.ts';

export interface RetentionConfig {
  records?: string;
  decisions?: string;
  cases?: string;
  audit?: string;
  decisionLogFiles?: string;
  /** Rows per transaction. */
  batchSize?: number;
  /** When the worker purges (cron, UTC); default daily at 03:30. */
  schedule?: string;
}

export const DEFAULT_PURGE_SCHEDULE = '30 3 * * *';
/** Six months, the shortest a decision log may be kept (EU AI Act Art. 26(6)). */
export const LOG_FLOOR_DAYS = 183;
const DAY = 86_400;

export type DataClass = 'records' | 'decisions' | 'cases' | 'audit' | 'decisionLogFiles';

export interface PurgeReport {
  at: string;
  /** The cutoff of each class that has a period: older than this was purged. */
  cutoffs: Partial<Record<DataClass, string>>;
  deleted: { records: number; decisions: number; audit: number; decisionLogFiles: number };
  pseudonymised: { cases: number };
  /** Decisions past their period kept because a kept case was opened from them. */
  keptForCases: number;
  batches: number;
  dryRun: boolean;
}

/** Located problems of `compliance.retention`: a period shorter than the six-month floor of logs. */
export function checkRetention(config: AppConfig, source?: YamlSource): Diagnostic[] {
  const r = config.compliance?.retention;
  if (!r) return [];
  const out: Diagnostic[] = [];
  for (const key of ['decisions', 'decisionLogFiles'] as const) {
    const text = r[key];
    const seconds = text === undefined ? undefined : parseDuration(text);
    if (seconds !== undefined && seconds < LOG_FLOOR_DAYS * DAY) {
      out.push({
        code: 'APPRAISE_RETENTION_TOO_SHORT',
        severity: 'error',
        message: `\`compliance.retention.${key}\` is ${text}, shorter than six months (${LOG_FLOOR_DAYS}d): deployers of a system that evaluates workers must keep its logs at least that long (EU AI Act Art. 26(6)). Set it to ${LOG_FLOOR_DAYS}d or more.`,
        file: config.file ?? 'appraise.config.yaml',
        ...(source ? locate(source, ['compliance', 'retention', key]) : { line: 0, column: 0 }),
      });
    }
  }
  return out;
}

function cutoff(now: Date, text: string | undefined, floorDays = 0): Date | undefined {
  if (text === undefined) return undefined;
  const seconds = Math.max(parseDuration(text) ?? Infinity, floorDays * DAY);
  return Number.isFinite(seconds) ? new Date(now.getTime() - seconds * 1000) : undefined;
}

/** Runs `sql` (which affects at most one batch) until it affects nothing; returns the rows. */
async function inBatches(store: Store, sql: string, params: unknown[], report: PurgeReport): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await store.transaction(async (tx) => (await tx.query(sql, params)).affectedRows ?? 0);
    if (n === 0) return total;
    total += n;
    report.batches++;
  }
}

export async function purgeExpired(store: Store, config: AppConfig, o: { now?: Date; actor: string; dryRun?: boolean }): Promise<PurgeReport> {
  const now = o.now ?? new Date();
  const r = config.compliance?.retention ?? {};
  const batch = r.batchSize ?? 5000;
  const c = {
    records: cutoff(now, r.records),
    decisions: cutoff(now, r.decisions, LOG_FLOOR_DAYS),
    cases: cutoff(now, r.cases),
    audit: cutoff(now, r.audit),
    decisionLogFiles: cutoff(now, r.decisionLogFiles, LOG_FLOOR_DAYS),
  };
  const report: PurgeReport = {
    at: now.toISOString(),
    cutoffs: Object.fromEntries(Object.entries(c).filter(([, d]) => d).map(([k, d]) => [k, d!.toISOString()])),
    deleted: { records: 0, decisions: 0, audit: 0, decisionLogFiles: 0 },
    pseudonymised: { cases: 0 },
    keptForCases: 0,
    batches: 0,
    dryRun: o.dryRun === true,
  };
  const count = async (sql: string, at: Date) => Number((await store.query<{ n: number }>(sql, [at.toISOString()])).rows[0].n);
  const expiredDecisions = `FROM decisions d WHERE d.created_at < $1::timestamptz AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.decision_id = d.id)`;
  const expiredCases = `FROM cases WHERE closed_at < $1::timestamptz AND employee_id NOT LIKE 'expired-case-%'`;
  if (c.decisions) {
    report.keptForCases = await count(`SELECT count(*)::int AS n FROM decisions d WHERE d.created_at < $1::timestamptz AND EXISTS (SELECT 1 FROM cases c WHERE c.decision_id = d.id)`, c.decisions);
  }
  if (o.dryRun) {
    if (c.records) report.deleted.records = await count('SELECT count(*)::int AS n FROM records WHERE occurred_at < $1::timestamptz', c.records);
    if (c.decisions) report.deleted.decisions = await count(`SELECT count(*)::int AS n ${expiredDecisions}`, c.decisions);
    if (c.cases) report.pseudonymised.cases = await count(`SELECT count(*)::int AS n ${expiredCases}`, c.cases);
    if (c.audit) report.deleted.audit = await count('SELECT count(*)::int AS n FROM audit_log WHERE at < $1::timestamptz', c.audit);
    if (c.decisionLogFiles) report.deleted.decisionLogFiles = (await expiredLogFiles(config, c.decisionLogFiles)).length;
    return report;
  }
  if (c.records) {
    report.deleted.records = await inBatches(store, `DELETE FROM records WHERE id IN (SELECT id FROM records WHERE occurred_at < $1::timestamptz ORDER BY id LIMIT ${batch})`, [c.records.toISOString()], report);
  }
  if (c.cases) {
    // One statement per batch: the notes and delivery payloads first, then the person's id.
    report.pseudonymised.cases = await inBatches(store, `
      WITH picked AS (SELECT id ${expiredCases} ORDER BY id LIMIT ${batch}),
        notes AS (UPDATE case_events SET note = CASE WHEN note IS NULL THEN NULL ELSE '[expired]' END WHERE case_id IN (SELECT id FROM picked)),
        deliveries AS (UPDATE outbox SET payload = payload - 'employee' WHERE case_id IN (SELECT id FROM picked))
      UPDATE cases SET employee_id = 'expired-case-' || id WHERE id IN (SELECT id FROM picked)`, [c.cases.toISOString()], report);
  }
  if (c.decisions) {
    report.deleted.decisions = await inBatches(store, `DELETE FROM decisions WHERE id IN (SELECT d.id ${expiredDecisions} ORDER BY d.id LIMIT ${batch})`, [c.decisions.toISOString()], report);
  }
  if (c.audit) {
    report.deleted.audit = await inBatches(store, `DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < $1::timestamptz ORDER BY id LIMIT ${batch})`, [c.audit.toISOString()], report);
  }
  if (c.decisionLogFiles) {
    for (const f of await expiredLogFiles(config, c.decisionLogFiles)) {
      await rm(f, { force: true });
      report.deleted.decisionLogFiles++;
    }
  }
  await store.query(`INSERT INTO audit_log (actor, action, target, data) VALUES ($1, 'retention.purge', 'store', $2::jsonb)`, [o.actor, JSON.stringify(report)]);
  return report;
}

async function expiredLogFiles(config: AppConfig, before: Date): Promise<string[]> {
  const dir = config.compliance?.decisionLogs?.dir;
  if (!dir) return [];
  const folder = resolveFromConfig(config, dir);
  const day = before.toISOString().slice(0, 10);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  // A file holds a whole UTC day: it goes once that whole day is past the cutoff.
  return names.filter((n) => /^decisions-\d{4}-\d{2}-\d{2}\.ndjson$/.test(n) && n.slice(10, 20) < day).map((n) => join(folder, n));
}
