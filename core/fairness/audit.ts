// The fairness audit: the four-fifths report of every policy in every review cycle of a date
// range, from the stored runs, in the shape a bias audit (NYC Local Law 144) asks for: single
// attributes and their intersections, people with an unknown category counted apart and left out
// of the ratios, small groups suppressed with the threshold stated. One row per policy per cycle:
// the latest completed, non-dry run of that cycle that evaluated the policy.
import type { AppConfig } from '../config/config.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { loadPolicyText } from '../policy/load.ts';
import { getVersion } from '../policy/versions.ts';
import type { Registry } from '../registry/registry.ts';
import { selects } from '../run/employees.ts';
import { periodOf } from '../run/period.ts';
import { cachedEmployees } from '../run/read-cache.ts';
import type { Queryable } from '../store/store.ts';
import { parseInstant } from '../util/instant.ts';
import { fairnessReport } from './report.ts';
import type { FairnessReport } from './types.ts';
import { FOUR_FIFTHS } from './types.ts';
import { formatShare } from './messages.ts';

type Outcome = 'recognition' | 'coaching' | 'pip';

export interface AuditCycle {
  policyId: string;
  policyTitle: string;
  policyVersion: number;
  /** The review cycle, e.g. 2026-Q1. */
  cycle: string;
  /** The run the cycle's figures come from: the latest completed, non-dry run of the cycle. */
  runId: number;
  asOf: string;
  /** Completed runs of this policy in the cycle; only the latest is reported. */
  runsInCycle: number;
  report: FairnessReport;
}

export interface FairnessAudit {
  generatedAt: string;
  /** The range of run as-of instants covered: from (inclusive) to (inclusive). */
  from: string;
  to: string;
  policyId: string | null;
  /** Where the figures come from, in words. */
  dataSource: string;
  /** The method, a sentence per step, as the printable page states it. */
  method: string[];
  thresholds: { fourFifths: number; minGroupSize: number; minGroupShare: number; unknownValues: string[] };
  protectedAttributes: string[];
  intersections: string[][];
  /** Every policy version a reported cycle used. */
  policyVersions: Array<{ policyId: string; version: number; title: string }>;
  cycles: AuditCycle[];
  /** Backtests are not part of an audit: it reports what was decided, from stored runs. */
  backtests: string;
  notes: string[];
}

export interface AuditRange {
  from: Date;
  /** Inclusive. */
  to: Date;
}

/**
 * The range from two texts: dates (YYYY-MM-DD) or instants; a date as `to` means the whole of that
 * day. Refuses a reversed range with APPRAISE_FAIRNESS_RANGE.
 */
export function auditRange(fromText: string | undefined, toText: string | undefined): AuditRange {
  if (!fromText || !toText) throw new AppraiseError('APPRAISE_FAIRNESS_RANGE', 'Give the range of the report as from and to dates, e.g. --from 2026-01-01 --to 2026-12-31.', { field: fromText ? 'to' : 'from' });
  const from = parseInstant(fromText, 'from');
  let to = parseInstant(toText, 'to');
  if (/^\d{4}-\d{2}-\d{2}$/.test(toText)) to = new Date(to.getTime() + 86_400_000 - 1);
  if (from > to) {
    throw new AppraiseError('APPRAISE_FAIRNESS_RANGE', `The range is reversed: from ${fromText} is after to ${toText}. Give the earlier date as from.`, { field: 'from' });
  }
  return { from, to };
}

export const AUDIT_DATA_SOURCE =
  'Stored runs: for each policy and review cycle, the decisions of the latest completed run of that cycle (dry runs and previews excluded); the people evaluated are everyone the policy version applied to at that run\'s as-of date, with their protected attributes as stored now.';

export const AUDIT_BACKTESTS =
  'From runs only. Backtests are computed on demand and never stored, so a cycle without a run has no row; run `npx appraise backtest <policy> --from … --to …` to see what a policy version would have done in such a cycle.';

function method(o: { minGroupSize: number; minGroupShare: number; unknownValues: readonly string[] }): string[] {
  const share = o.minGroupShare > 0 ? `, or fewer than ${formatShare(o.minGroupShare)} of the people evaluated in that cycle,` : '';
  return [
    'Selection rate: the share of a group selected for the outcome (recognition, coaching, PIP).',
    'Impact ratio: a group\'s favourable rate divided by the favourable rate of the most favoured group (the highest favourable rate among the groups judged). Recognition is favourable; for coaching and PIP, not receiving it is favourable.',
    `Four-fifths rule (29 CFR 1607.4(D)): an impact ratio below ${FOUR_FIFTHS} is flagged as evidence of adverse impact.`,
    "Fisher's exact test (two-sided, as R's fisher.test): a group's selections against everyone else judged; a small p means the difference is unlikely to be chance.",
    'Intersectional groups (e.g. sex × race/ethnicity) are compared in the same way as each attribute on its own.',
    `Unknown category: people with no value${o.unknownValues.length ? ` or one of ${o.unknownValues.map((v) => `"${v}"`).join(', ')}` : ''} are counted and shown, and left out of every rate, ratio and p-value (as NYC Local Law 144 bias audits report them).`,
    `Small groups: a group of fewer than ${o.minGroupSize} people${share} is shown with its rates but not judged: no impact ratio, flag or p-value.`,
  ];
}

interface RunRow {
  id: number | string;
  as_of: string | Date;
  policy_versions: Array<{ policyId: string; version: number }>;
  summary: { policies?: Array<{ policyId: string; period?: string }> } | null;
}

/** The audit of every policy (or one) in the range, from the stored runs. */
export async function fairnessAudit(
  db: Queryable,
  deps: { registry: Registry; config: Pick<AppConfig, 'fairness'> },
  range: AuditRange,
  policyId?: string,
): Promise<FairnessAudit> {
  const f = deps.config.fairness;
  if (policyId) await knownPolicy(db, policyId);
  const runs = (await db.query<RunRow>(
    `SELECT id, as_of, policy_versions, summary FROM runs
     WHERE status = 'completed' AND dry_run = false AND as_of >= $1 AND as_of <= $2
     ORDER BY as_of, id`,
    [range.from.toISOString(), range.to.toISOString()],
  )).rows;

  // (policy, cycle) → the latest run: runs come in as-of order (then id), so the last one wins.
  const chosen = new Map<string, { policyId: string; version: number; cycle: string; runId: number; asOf: Date; runs: number }>();
  const versions = new Map<string, Awaited<ReturnType<typeof loadVersion>>>();
  const notes: string[] = [];
  for (const run of runs) {
    const asOf = new Date(run.as_of);
    for (const pv of run.policy_versions) {
      if (policyId && pv.policyId !== policyId) continue;
      const vkey = `${pv.policyId}@${pv.version}`;
      if (!versions.has(vkey)) versions.set(vkey, await loadVersion(db, deps.registry, pv.policyId, pv.version, notes));
      const loaded = versions.get(vkey)!;
      if (!loaded) continue;
      const cycle = run.summary?.policies?.find((p) => p.policyId === pv.policyId)?.period ?? periodOf(asOf, loaded.cycle);
      const key = `${pv.policyId}\u0000${cycle}`;
      const before = chosen.get(key);
      chosen.set(key, { policyId: pv.policyId, version: pv.version, cycle, runId: Number(run.id), asOf, runs: (before?.runs ?? 0) + 1 });
    }
  }

  const employees = await cachedEmployees(db);
  const cycles: AuditCycle[] = [];
  const ordered = [...chosen.values()].sort((a, b) => (a.policyId < b.policyId ? -1 : a.policyId > b.policyId ? 1 : a.asOf.getTime() - b.asOf.getTime()));
  for (const c of ordered) {
    const loaded = versions.get(`${c.policyId}@${c.version}`)!;
    const population = employees.filter((e) => selects(loaded.appliesTo, e, c.asOf).applies);
    const rows = (await db.query<{ employee_id: string; outcome: Outcome }>(
      `SELECT DISTINCT employee_id, outcome FROM decisions WHERE run_id = $1 AND policy_id = $2 AND status = 'fired'`,
      [c.runId, c.policyId],
    )).rows;
    const selected: Record<Outcome, Set<string>> = { recognition: new Set(), coaching: new Set(), pip: new Set() };
    for (const r of rows) selected[r.outcome]?.add(r.employee_id);
    const report = fairnessReport({
      population: population.map((e) => ({ employeeId: e.id, attributes: e.attributes, ...(e.location ? { location: e.location } : {}) })),
      selected,
      protectedAttributes: f.protectedAttributes,
      minGroupSize: f.minGroupSize,
      minGroupShare: f.minGroupShare ?? 0,
      intersections: f.intersections ?? [],
      unknownValues: f.unknownValues ?? [],
      unknowns: 'exclude',
    });
    cycles.push({ policyId: c.policyId, policyTitle: loaded.title, policyVersion: c.version, cycle: c.cycle, runId: c.runId, asOf: c.asOf.toISOString(), runsInCycle: c.runs, report });
  }
  if (!cycles.length) notes.push(`No completed run between ${range.from.toISOString().slice(0, 10)} and ${range.to.toISOString().slice(0, 10)}${policyId ? ` evaluated ${policyId}` : ''}: there is nothing to report for this range.`);

  const policyVersions = [...new Map(cycles.map((c) => [`${c.policyId}@${c.policyVersion}`, { policyId: c.policyId, version: c.policyVersion, title: c.policyTitle }])).values()]
    .sort((a, b) => (a.policyId < b.policyId ? -1 : a.policyId > b.policyId ? 1 : a.version - b.version));
  const thresholds = { fourFifths: FOUR_FIFTHS, minGroupSize: f.minGroupSize, minGroupShare: f.minGroupShare ?? 0, unknownValues: [...(f.unknownValues ?? [])] };
  return {
    generatedAt: new Date().toISOString(),
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    policyId: policyId ?? null,
    dataSource: AUDIT_DATA_SOURCE,
    method: method(thresholds),
    thresholds,
    protectedAttributes: [...f.protectedAttributes],
    intersections: (f.intersections ?? []).map((i) => [...i]),
    policyVersions,
    cycles,
    backtests: AUDIT_BACKTESTS,
    notes,
  };
}

async function knownPolicy(db: Queryable, policyId: string): Promise<void> {
  const ids = (await db.query<{ policy_id: string }>('SELECT DISTINCT policy_id FROM policy_versions ORDER BY policy_id')).rows.map((r) => r.policy_id);
  if (!ids.includes(policyId)) {
    throw new AppraiseError('APPRAISE_FAIRNESS_UNKNOWN_POLICY', `No policy \`${policyId}\` was ever published${ids.length ? `; the published ones are ${ids.join(', ')}` : ''}. Name one of them, or leave out the policy to report on all.`, { field: 'policy' });
  }
}

/** What the audit needs of a policy version: whom it applied to, its cycle and title; undefined (and a note) when it no longer loads. */
async function loadVersion(db: Queryable, registry: Registry, policyId: string, version: number, notes: string[]) {
  const v = await getVersion(db, policyId, version);
  const loaded = loadPolicyText(`${policyId}@v${version}`, v.yaml, registry);
  if (!loaded.policy) {
    notes.push(`Version ${version} of ${policyId} no longer loads with the installed plugins, so whom it applied to cannot be told: its cycles are left out.`);
    return undefined;
  }
  return { appliesTo: loaded.policy.spec.appliesTo, cycle: loaded.policy.spec.cycle, title: v.title };
}
