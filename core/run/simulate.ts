// Simulate: a draft policy as a dry run on current data, against the published version —
// who would newly get coaching/PIP/recognition, who no longer would, whose outcome changes, the
// counts per outcome, and who is in scope. Nothing is written and no workflow fires.
import type { Store } from '../store/store.ts';
import type { PluginHost } from '../plugins/host.ts';
import type { MetricContribution } from '../plugins/manifest.ts';
import type { Registry } from '../registry/registry.ts';
import type { Policy } from '../policy/types.ts';
import type { RuleExplanation } from '../evaluate/evaluate.ts';
import { loadPolicyText } from '../policy/load.ts';
import { getVersion, latestVersion } from '../policy/versions.ts';
import { compileWithPlugins } from './sources.ts';
import { decidePolicy, type Decision } from './decide.ts';
import { decisionLines, type LogLine } from '../compliance/decision-log/entry.ts';
import { planRun } from './plan.ts';
import { computeRequests, dataVersion, idList, policyFacts, type ComputeCache } from './compute.ts';
import { historyFacts } from './history.ts';
import { missingFieldWarnings, type FieldPresence, type RunWarning } from './missing-fields.ts';

import { loadEmployees, type Employee } from './employees.ts';
import type { ResolvedFact } from '../evaluate/facts.ts';

/**
 * What previews keep while the data is unchanged, besides the computed metrics: each policy's
 * fact rows by what they are made of (a draft that moves thresholds, as most do, reuses the
 * published version's rows and its own from the last preview), and the published versions
 * parsed. Fact rows are built per employee and were most of a warm preview's time.
 */
interface PreviewCache extends ComputeCache {
  facts?: Map<string, Map<string, Map<string, ResolvedFact>>>;
  published?: Map<string, Policy | undefined>;
  /** Which fields the stored records have, for the warnings on facts without data. */
  presence?: FieldPresence;
}

const caches = new WeakMap<Store, PreviewCache>();
const MAX_CACHED_FACT_SETS = 6;

/** The fact rows of a policy are a function of its facts, its history keys, its people and the as-of instant. */
function factsSignature(p: ReturnType<typeof planRun>['policies'][number], asOf: Date): string {
  const facts = p.facts.map((f) => [f.name, f.request.key, f.minSamples, f.percentileWithin ?? null, f.minGroupSize ?? null]);
  return `${asOf.toISOString()}\u0000${JSON.stringify(facts)}\u0000${p.history.map((h) => h.key).join(',')}\u0000${idList(p.employeeIds)}`;
}

type Outcome = 'recognition' | 'coaching' | 'pip';

export interface AffectedEmployee {
  employeeId: string;
  name: string;
  team?: string;
  outcomes: Outcome[];
  rules: Array<{ ruleId: string; outcome: Outcome; explanation: RuleExplanation }>;
}

export interface SimulationResult {
  policyId: string;
  asOf: string;
  publishedVersion: number | null;
  inScope: { draft: number; published: number };
  counts: { draft: Record<Outcome, number>; published: Record<Outcome, number> };
  newlyAffected: AffectedEmployee[];
  noLongerAffected: AffectedEmployee[];
  changedOutcome: Array<{ employeeId: string; name: string; before: Outcome[]; after: Outcome[]; rules: AffectedEmployee['rules'] }>;
  undecided: { draft: number; published: number };
  /** The draft's facts with no data for anyone because no stored record has a field they read. */
  warnings: RunWarning[];
  /** The population the draft applies to and who it selects per outcome (for the fairness report). */
  population: Employee[];
  selected: Record<Outcome, Set<string>>;
  ms: number;
}

const zero = (): Record<Outcome, number> => ({ recognition: 0, coaching: 0, pip: 0 });

export async function simulateDraft(
  store: Store,
  deps: { registry: Registry; metrics: ReadonlyMap<string, MetricContribution>; host?: PluginHost; decisionLog?: (lines: LogLine[]) => Promise<unknown> },
  draft: Policy,
  asOf: Date,
  /** The published version compared with (a backtest may name one); default the latest. */
  against?: number,
): Promise<SimulationResult> {
  const started = performance.now();
  const policyId = draft.metadata.id;
  const latest = against ?? (await latestVersion(store, policyId));
  // Draft and published are planned together, so the facts they share (usually all of them:
  // a draft mostly moves thresholds) are computed once — and kept for the next preview while
  // the data is unchanged.
  const version = await dataVersion(store);
  let cache = caches.get(store);
  if (!cache || cache.version !== version || cache.entries.size > 200) {
    cache = { version, entries: new Map(), facts: new Map(), published: new Map() };
    caches.set(store, cache);
  }
  let published: Policy | undefined;
  if (latest) {
    // A published version's text never changes: parsed once per cache.
    const key = `${policyId}@v${latest}`;
    if (!cache.published!.has(key)) cache.published!.set(key, loadPolicyText(key, (await getVersion(store, policyId, latest)).yaml, deps.registry).policy);
    published = cache.published!.get(key);
  }
  const employees = (cache.employees ??= await loadEmployees(store));
  const compiled = [{ compiled: await compileWithPlugins(draft, deps.registry, deps.host), version: 0 }];
  if (published) compiled.push({ compiled: await compileWithPlugins(published, deps.registry, deps.host), version: latest });
  // A preview sees what a run at the same instant would: the as-of view, with the kinds' x-knownAt.
  const plan = planRun(asOf, compiled, employees, deps.metrics, { view: 'as-of', ...(deps.host ? { recordKinds: deps.host.set.recordKinds } : {}) });
  const computed = await computeRequests(store, plan, deps.host, cache);
  const warnings = await missingFieldWarnings(store, plan.policies.slice(0, 1), computed, deps.host?.set.recordKinds, (cache.presence ??= new Map()));
  const decided: Decision[][] = [];
  const logLines: LogLine[] = [];
  // Draft and published usually read the same history facts of the same people: read them once.
  const histories = new Map<string, Awaited<ReturnType<typeof historyFacts>>>();
  for (const p of plan.policies) {
    const signature = factsSignature(p, asOf);
    let facts = cache.facts!.get(signature);
    if (!facts) {
      cache.facts!.set(signature, (facts = policyFacts(p, computed, plan)));
      // A row per person and policy: keep the few an editing session goes back and forth between.
      if (cache.facts!.size > MAX_CACHED_FACT_SETS) cache.facts!.delete(cache.facts!.keys().next().value!);
    }
    const historyKey = `${p.history.map((h) => h.key).join('\n')}\u0000${idList(p.employeeIds)}`;
    let history = histories.get(historyKey);
    if (!history) histories.set(historyKey, (history = await historyFacts(store, asOf, p.history, [...p.employeeIds])));
    for (const [id, h] of history) for (const [k, v] of h) facts.get(id)?.set(k, v);
    decided.push((await decidePolicy(p, facts)).decisions);
    if (deps.decisionLog) {
      const hash = p.version ? (await store.query<{ h: string }>('SELECT content_hash AS h FROM policy_versions WHERE policy_id = $1 AND version = $2', [policyId, p.version])).rows[0]?.h : undefined;
      logLines.push(...decisionLines({ kind: 'preview', trigger: 'preview', asOf: asOf.toISOString(), dryRun: true }, { policy: p.compiled.policy, version: p.version, ...(hash ? { contentHash: hash } : {}), period: p.period, employees: p.employees, employeeFacts: p.employeeFacts, facts, decisions: decided.at(-1)! }));
    }
  }
  // A preview's log is written whole or not at all; its failure never fails the preview.
  if (deps.decisionLog && logLines.length) await deps.decisionLog(logLines).catch(() => {});
  const after = decided[0];
  const before = published ? decided[1] : [];
  const byId = (cache.byId ??= new Map(employees.map((e) => [e.id, e])));
  const fired = (ds: Decision[]) => {
    const m = new Map<string, Decision[]>();
    for (const d of ds) if (d.status === 'fired') m.set(d.employeeId, [...(m.get(d.employeeId) ?? []), d]);
    return m;
  };
  const a = fired(after);
  const b = fired(before);
  const outcomes = (ds: Decision[] | undefined) => [...new Set((ds ?? []).map((d) => d.outcome))].sort() as Outcome[];
  const describe = (id: string, ds: Decision[]): AffectedEmployee => ({
    employeeId: id,
    name: byId.get(id)?.name ?? id,
    ...(byId.get(id)?.team ? { team: byId.get(id)!.team } : {}),
    outcomes: outcomes(ds),
    rules: ds.map((d) => ({ ruleId: d.ruleId, outcome: d.outcome, explanation: d.explanation })),
  });
  const result: SimulationResult = {
    policyId,
    asOf: asOf.toISOString(),
    publishedVersion: latest || null,
    inScope: { draft: plan.policies[0].employees.length, published: published ? plan.policies[1].employees.length : 0 },
    counts: { draft: zero(), published: zero() },
    newlyAffected: [],
    noLongerAffected: [],
    changedOutcome: [],
    undecided: {
      draft: new Set(after.filter((d) => d.status === 'indeterminate' || d.status === 'blocked').map((d) => d.employeeId)).size,
      published: new Set(before.filter((d) => d.status === 'indeterminate' || d.status === 'blocked').map((d) => d.employeeId)).size,
    },
    warnings,
    population: plan.policies[0].employees,
    selected: { recognition: new Set(), coaching: new Set(), pip: new Set() },
    ms: 0,
  };
  for (const [id, ds] of a) for (const o of outcomes(ds)) {
    result.counts.draft[o]++;
    result.selected[o].add(id);
  }
  for (const ds of b.values()) for (const o of outcomes(ds)) result.counts.published[o]++;
  for (const [id, ds] of a) {
    const prev = b.get(id);
    if (!prev) result.newlyAffected.push(describe(id, ds));
    else if (outcomes(prev).join() !== outcomes(ds).join()) result.changedOutcome.push({ employeeId: id, name: byId.get(id)?.name ?? id, before: outcomes(prev), after: outcomes(ds), rules: describe(id, ds).rules });
  }
  for (const [id, ds] of b) if (!a.has(id)) result.noLongerAffected.push(describe(id, ds));
  const order = (x: { employeeId: string }, y: { employeeId: string }) => x.employeeId.localeCompare(y.employeeId);
  result.newlyAffected.sort(order);
  result.noLongerAffected.sort(order);
  result.changedOutcome.sort(order);
  result.ms = Math.round(performance.now() - started);
  return result;
}
