// One evaluation run, in the phases of DESIGN.md: plan → compute → decide → persist (the cases
// issue adds act). A dry run stops after decide and writes nothing.
import type { Release, Store } from '../store/store.ts';
import type { PluginHost } from '../plugins/host.ts';
import type { MetricContribution, RecordKindInfo } from '../plugins/manifest.ts';
import { viewWords } from '../metrics/point-in-time-words.ts';
import type { CompiledPolicy } from '../evaluate/compile.ts';
import { loadEmployees } from './employees.ts';
import { planRun, type Plan, type View } from './plan.ts';
import { computeRequests, policyFacts } from './compute.ts';
import { historyFacts } from './history.ts';
import { decidePolicy, type Decision, type Engine } from './decide.ts';
import { finishRun, insertDecisions, startRun } from './persist.ts';
import { lockPolicies, markInterrupted, runLockKey, runOwner } from './run-lock.ts';
import { missingFieldWarnings, type RunWarning } from './missing-fields.ts';
import { decisionLines, type DecisionLogContext, type LogLine } from '../compliance/decision-log/entry.ts';
import { inNoticePeriod, noticePeriodWords, type NoticePeriod } from '../compliance/notices/notice-period.ts';

export type Phase = 'plan' | 'compute' | 'decide' | 'persist' | 'act';

export interface RunInput {
  asOf: Date;
  trigger: 'manual' | 'schedule' | 'api';
  dryRun: boolean;
  /** `notice`: when the version is enforced from; before that the run records its decisions and opens no case. */
  policies: Array<{ compiled: CompiledPolicy; version: number; notice?: { enforcedFrom: string; noticeDays: number } }>;
  metrics: ReadonlyMap<string, MetricContribution>;
  /**
   * `as-of` (default): only what had happened by asOf — a ticket resolved later is still open,
   * a field known at a later instant (x-knownAt) not known yet. `latest`: everything known now,
   * for audits that look ahead.
   */
  view?: View;
  /** The record kinds, whose schemas say which fields are known only later (x-knownAt). */
  recordKinds?: ReadonlyMap<string, RecordKindInfo>;
  host?: PluginHost;
  runKey?: string;
  onProgress?: (phase: Phase, done: number, total: number) => void;
  /** The decide phase's evaluator (default: the compiled fast path). */
  engine?: Engine;
  /** Populations at least this large are decided on several threads (default PARALLEL_THRESHOLD). */
  parallelThreshold?: number;
  /** Told the run's id as soon as it is stored (before the work), so callers can answer early. */
  onStarted?: (runId: number) => void;
  /**
   * The decision log (core/compliance/decision-log): given every person's entry of each policy
   * once the decisions are stored (a dry run: once decided). A failure to write is reported in
   * the summary, never the run's failure.
   */
  decisionLog?: (lines: LogLine[]) => Promise<string | void>;
  /** Called inside the run after persist (the act phase: cases and workflows). */
  act?: (store: Store, runId: number, decisions: Decision[], decisionIds: number[]) => Promise<Record<string, unknown>>;
}

export interface PolicyRunSummary {
  policyId: string;
  version: number;
  period: string;
  mode: 'enforce' | 'audit';
  /** Set while the version is in its notice period (`policies.noticeDays`): it runs as in audit mode until `enforcedFrom`. */
  noticePeriod?: NoticePeriod;
  employees: number;
  fired: Record<'recognition' | 'coaching' | 'pip', number>;
  indeterminate: number;
  pluginErrors: number;
  noHireDate: number;
}

export interface RunSummary {
  policies: PolicyRunSummary[];
  employeesEvaluated: number;
  fired: Record<'recognition' | 'coaching' | 'pip', number>;
  indeterminate: number;
  /** Employees with recognition and a PIP from the same run: a policy conflict to review. */
  conflicts: Array<{ employeeId: string; recognition: string[]; pip: string[] }>;
  metricRequests: number;
  /** Facts with no data for anyone because no stored record has a field their formula reads. */
  warnings: RunWarning[];
  /** Which view the run's metrics used, and that in plain words. */
  pointInTime: { view: View; words: string };
  act?: Record<string, unknown>;
  /** Where the decision log was written, or why it was not. */
  decisionLog?: { lines: number; file?: string; error?: string };
}

export interface RunResult {
  run: {
    id?: number;
    asOf: string;
    trigger: string;
    dryRun: boolean;
    status: 'completed' | 'failed';
    policyVersions: Array<{ policyId: string; version: number }>;
    timings: Record<Phase | 'total', number>;
    employeesPerSecond: number;
    summary: RunSummary;
  };
  decisions: Decision[];
}

const zero = () => ({ recognition: 0, coaching: 0, pip: 0 });

export async function runPolicies(store: Store, input: RunInput): Promise<RunResult> {
  const t0 = performance.now();
  const timings = { plan: 0, compute: 0, decide: 0, persist: 0, act: 0, total: 0 } as Record<Phase | 'total', number>;
  const policyVersions = input.policies.map((p) => ({ policyId: p.compiled.policy.metadata.id, version: p.version }));
  // A stored run holds its policies (a second run of one is refused) and its own id (so that a
  // later start can tell it apart from a run whose process died, which is marked interrupted).
  let unlock: Release | undefined;
  let runId: number | undefined;
  if (!input.dryRun) {
    await markInterrupted(store);
    const unlockPolicies = await lockPolicies(store, policyVersions.map((p) => p.policyId));
    try {
      runId = await startRun(store, { trigger: input.trigger, asOf: input.asOf, dryRun: false, runKey: input.runKey, policyVersions, owner: runOwner() });
      const unlockRun = await store.tryLock(runLockKey(runId));
      unlock = async () => {
        await unlockRun?.();
        await unlockPolicies();
      };
    } catch (e) {
      await unlockPolicies();
      throw e;
    }
  }
  if (runId !== undefined) input.onStarted?.(runId);
  try {
    // plan
    let t = performance.now();
    input.onProgress?.('plan', 0, 1);
    const employees = await loadEmployees(store);
    const plan: Plan = planRun(input.asOf, input.policies, employees, input.metrics, { view: input.view ?? 'as-of', ...(input.recordKinds ? { recordKinds: input.recordKinds } : {}) });
    timings.plan = performance.now() - t;

    // compute
    t = performance.now();
    input.onProgress?.('compute', 0, plan.requests.size);
    const computed = await computeRequests(store, plan, input.host);
    const historyWanted = plan.policies.flatMap((p) => p.history);
    const historyIds = [...new Set(plan.policies.filter((p) => p.history.length).flatMap((p) => p.employees.map((e) => e.id)))];
    const history = await historyFacts(store, input.asOf, uniqueBy(historyWanted, (h) => h.key), historyIds);
    const warnings = await missingFieldWarnings(store, plan.policies, computed, input.host?.set.recordKinds);
    input.onProgress?.('compute', plan.requests.size, plan.requests.size);
    timings.compute = performance.now() - t;

    // decide
    t = performance.now();
    const decisions: Decision[] = [];
    const summaries: PolicyRunSummary[] = [];
    const logLines: LogLine[] = [];
    const logContext: DecisionLogContext = { kind: 'run', ...(runId !== undefined ? { runId } : {}), trigger: input.trigger, asOf: input.asOf.toISOString(), dryRun: input.dryRun };
    const total = plan.policies.reduce((s, p) => s + p.employees.length, 0);
    let done = 0;
    for (const p of plan.policies) {
      const facts = policyFacts(p, computed, plan);
      for (const [id, h] of history) {
        const f = facts.get(id);
        if (f) for (const [k, v] of h) f.set(k, v);
      }
      const outcome = await decidePolicy(p, facts, input.engine, input.parallelThreshold);
      decisions.push(...outcome.decisions);
      if (input.decisionLog) {
        const policyId = p.compiled.policy.metadata.id;
        const hash = (await store.query<{ h: string }>('SELECT content_hash AS h FROM policy_versions WHERE policy_id = $1 AND version = $2', [policyId, p.version])).rows[0]?.h;
        logLines.push(...decisionLines(logContext, { policy: p.compiled.policy, version: p.version, ...(hash ? { contentHash: hash } : {}), period: p.period, employees: p.employees, employeeFacts: p.employeeFacts, facts, decisions: outcome.decisions }));
      }
      done += p.employees.length;
      input.onProgress?.('decide', done, total);
      const fired = zero();
      for (const d of outcome.decisions) if (d.status === 'fired') fired[d.outcome]++;
      const notice = input.policies.find((x) => x.compiled === p.compiled)?.notice;
      const noticePeriod = notice && inNoticePeriod(input.asOf, notice.enforcedFrom) ? { ...notice, words: noticePeriodWords(notice.enforcedFrom, notice.noticeDays) } : undefined;
      summaries.push({
        policyId: p.compiled.policy.metadata.id,
        version: p.version,
        period: p.period,
        mode: noticePeriod ? 'audit' : p.compiled.policy.spec.mode ?? 'enforce',
        ...(noticePeriod ? { noticePeriod } : {}),
        employees: p.employees.length,
        fired,
        indeterminate: new Set(outcome.decisions.filter((d) => d.status === 'indeterminate' || d.status === 'blocked').map((d) => d.employeeId)).size,
        pluginErrors: outcome.errors,
        noHireDate: p.noHireDate.length,
      });
    }
    timings.decide = performance.now() - t;

    const fired = zero();
    for (const s of summaries) for (const k of Object.keys(fired) as Array<keyof typeof fired>) fired[k] += s.fired[k];
    const summary: RunSummary = {
      policies: summaries,
      employeesEvaluated: total,
      fired,
      indeterminate: summaries.reduce((s, p) => s + p.indeterminate, 0),
      conflicts: conflicts(decisions),
      metricRequests: plan.requests.size,
      warnings,
      pointInTime: { view: plan.pointInTime.view, words: viewWords(plan.pointInTime.view, input.asOf) },
    };

    // persist (+ act)
    if (runId !== undefined) {
      t = performance.now();
      input.onProgress?.('persist', 0, decisions.length);
      // One transaction: a run stopped here leaves none of its decisions, and COPY can carry them.
      const ids = await store.transaction((tx) => insertDecisions(tx, runId!, decisions));
      timings.persist = performance.now() - t;
      if (input.decisionLog) summary.decisionLog = await writeLog(input.decisionLog, logLines);
      if (input.act) {
        t = performance.now();
        summary.act = await input.act(store, runId, decisions, ids);
        timings.act = performance.now() - t;
      }
    }
    if (runId === undefined && input.decisionLog) summary.decisionLog = await writeLog(input.decisionLog, logLines);
    timings.total = performance.now() - t0;
    const counts = { fired, indeterminate: summary.indeterminate, employees: total, decisions: decisions.length };
    if (runId !== undefined) await finishRun(store, runId, { status: 'completed', timings: rounded(timings), counts, summary });
    return {
      run: {
        ...(runId !== undefined ? { id: runId } : {}),
        asOf: input.asOf.toISOString(),
        trigger: input.trigger,
        dryRun: input.dryRun,
        status: 'completed',
        policyVersions,
        timings: rounded(timings),
        employeesPerSecond: Math.round(total / Math.max(timings.total / 1000, 1e-6)),
        summary,
      },
      decisions,
    };
  } catch (e) {
    if (runId !== undefined) {
      timings.total = performance.now() - t0;
      await finishRun(store, runId, { status: 'failed', timings: rounded(timings), counts: {}, summary: {}, error: (e as Error).message }).catch(() => {});
    }
    throw e;
  } finally {
    await unlock?.();
  }
}

async function writeLog(write: NonNullable<RunInput['decisionLog']>, lines: LogLine[]): Promise<NonNullable<RunSummary['decisionLog']>> {
  const n = lines.filter((l) => l.type === 'decision').length;
  try {
    const file = await write(lines);
    return { lines: n, ...(file ? { file } : {}) };
  } catch (e) {
    return { lines: 0, error: `the decision log could not be written: ${(e as Error).message}` };
  }
}

function conflicts(decisions: Decision[]): RunSummary['conflicts'] {
  const by = new Map<string, { recognition: string[]; pip: string[] }>();
  for (const d of decisions) {
    if (d.status !== 'fired' || (d.outcome !== 'recognition' && d.outcome !== 'pip')) continue;
    const e = by.get(d.employeeId) ?? { recognition: [], pip: [] };
    e[d.outcome].push(`${d.policyId}/${d.ruleId}`);
    by.set(d.employeeId, e);
  }
  return [...by].filter(([, v]) => v.recognition.length && v.pip.length).map(([employeeId, v]) => ({ employeeId, ...v }));
}

function uniqueBy<T>(xs: T[], key: (x: T) => string): T[] {
  return [...new Map(xs.map((x) => [key(x), x])).values()];
}

function rounded<T extends Record<string, number>>(o: T): T {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v * 10) / 10])) as T;
}
