// compute: every metric request for all its employees at once — declarative formulas as one
// SQL aggregate grouped by employee, code metrics over one fetch of their records handed to the
// plugin in one batch — then minSamples, percentile ranks and history facts per policy.
import type { Queryable } from '../store/store.ts';
import type { PluginHost } from '../plugins/host.ts';
import type { MetricRecord } from '../plugins/api.ts';
import { FactLayout, FactRow, type ResolvedFact } from '../evaluate/facts.ts';
import { evaluateAggregate, type AggregateExpression, type AggregateResult } from '../metrics/aggregate.ts';
import { ignoredNotes, samplesDuration } from '../metrics/point-in-time-words.ts';
import { resolveMetric } from '../metrics/min-samples.ts';
import { resolveCodeMetric } from '../metrics/code-metric.ts';
import type { MetricOutcome } from '../plugins/runtime.ts';
import { parseDuration } from '../policy/duration.ts';
import { computeDeclarativeRequests } from './compute-declarative.ts';
import { formulaOf } from '../metrics/formula.ts';
import { percentileRanks } from './percentile.ts';
import type { Employee } from './employees.ts';
import type { MetricRequest, Plan, PolicyPlan } from './plan.ts';

/** A metric's raw result for one employee, before the policy's minSamples is applied. */
export type RawMetric =
  | { kind: 'aggregate'; result: AggregateResult }
  | { kind: 'code'; outcome: MetricOutcome; recordCount: number }
  | { kind: 'error'; message: string };

export interface ComputedRequest {
  request: MetricRequest;
  raw: Map<string, RawMetric>;
  /** For an employee absent from `raw`: the formula's value over no records. */
  empty: RawMetric;
}

/** Computed requests kept between simulations, valid while the data they read is unchanged. */
export interface ComputeCache {
  /** Changes whenever records, employees or imports change. */
  version: string;
  entries: Map<string, ComputedRequest>;
  /** The employees as of `version`, and by id. */
  employees?: Employee[];
  byId?: Map<string, Employee>;
}

/** A fingerprint of the data metrics read: records and imports only grow, employees carry updated_at. */
export async function dataVersion(db: Queryable): Promise<string> {
  const r = (await db.query<{ r: string | number | null; i: string | number | null; e: string | Date | null; n: number }>(
    `SELECT (SELECT max(id) FROM records) AS r, (SELECT max(id) FROM imports) AS i,
            (SELECT max(updated_at) FROM employees) AS e, (SELECT count(*)::int FROM employees) AS n`,
  )).rows[0];
  return `${r.r ?? 0}/${r.i ?? 0}/${r.e ? new Date(r.e).toISOString() : '-'}/${r.n}`;
}

const idLists = new WeakMap<ReadonlySet<string>, string>();

/** The ids of a request's people as one string, made once per set (requests of the same people share their set). */
export function idList(ids: ReadonlySet<string>): string {
  let list = idLists.get(ids);
  if (list === undefined) idLists.set(ids, (list = [...ids].join(',')));
  return list;
}

export async function computeRequests(db: Queryable, plan: Plan, host: PluginHost | undefined, cache?: ComputeCache): Promise<Map<string, ComputedRequest>> {
  const out = new Map<string, ComputedRequest>();
  const pending: Array<{ request: MetricRequest; cacheKey: string }> = [];
  for (const request of plan.requests.values()) {
    const cacheKey = cache ? `${request.key}|${request.employeeIds.size}|${idList(request.employeeIds)}` : '';
    const hit = cache?.entries.get(cacheKey);
    if (hit) out.set(request.key, { ...hit, request });
    else pending.push({ request, cacheKey });
  }
  // Declarative formulas first, all together: requests reading the same records share a scan.
  const declarative = await computeDeclarativeRequests(db, pending.map((p) => p.request).filter((r) => r.metric.aggregate !== undefined), plan.employeeCount, plan.pointInTime);
  for (const { request, cacheKey } of pending) {
    const ids = [...request.employeeIds];
    let raw = new Map<string, RawMetric>();
    let empty: RawMetric;
    const m = request.metric;
    try {
      if (m.aggregate !== undefined) {
        empty = { kind: 'aggregate', result: evaluateAggregate(formulaOf(m, request.params), { kind: m.recordKind, records: {} }, request.params) };
        const results = declarative.get(request)!;
        if (results instanceof Error) throw results;
        for (const [id, result] of results) raw.set(id, { kind: 'aggregate', result });
      } else {
        empty = { kind: 'code', outcome: { status: 'insufficient', samples: 0 }, recordCount: 0 };
        raw = await computeCode(db, request, ids, host);
      }
    } catch (e) {
      const message = `${m.id} could not be computed: ${(e as Error).message}`;
      empty = { kind: 'error', message };
      raw = new Map(ids.map((id) => [id, { kind: 'error', message }]));
    }
    const computed = { request, raw, empty };
    out.set(request.key, computed);
    if (cache && raw.size && ![...raw.values()].some((x) => x.kind === 'error')) cache.entries.set(cacheKey, computed);
  }
  return out;
}

async function fetchRecords(db: Queryable, kind: string, from: Date, to: Date, ids: string[]): Promise<Map<string, MetricRecord[]>> {
  const rows = (await db.query<{ employee_id: string; occurred_at: string | Date; payload: Record<string, unknown> }>(
    `SELECT employee_id, occurred_at, payload FROM records
     WHERE kind = $1 AND occurred_at >= $2 AND occurred_at < $3 AND employee_id = ANY($4::text[])
     ORDER BY employee_id, occurred_at`,
    [kind, from.toISOString(), to.toISOString(), ids],
  )).rows;
  const out = new Map<string, MetricRecord[]>();
  for (const r of rows) {
    const list = out.get(r.employee_id) ?? [];
    list.push({ occurredAt: new Date(r.occurred_at).toISOString(), payload: r.payload });
    out.set(r.employee_id, list);
  }
  return out;
}

async function computeCode(db: Queryable, request: MetricRequest, ids: string[], host: PluginHost | undefined): Promise<Map<string, RawMetric>> {
  const m = request.metric;
  if (!host) throw new Error('no plugin host to run its code');
  const own = await fetchRecords(db, m.recordKind, request.window.from, request.window.to, ids);
  const related = new Map<string, Map<string, MetricRecord[]>>();
  for (const r of m.reads ?? []) {
    const back = typeof r.extendBackBy === 'string' ? r.extendBackBy : String(request.params[r.extendBackBy?.param ?? ''] ?? r.extendBackBy?.default ?? '0s');
    const from = new Date(request.window.from.getTime() - (parseDuration(back) ?? 0) * 1000);
    related.set(r.recordKind, await fetchRecords(db, r.recordKind, from, request.window.to, ids));
  }
  const window = { from: request.window.from.toISOString(), to: request.window.to.toISOString() };
  const items = ids.map((employeeId) => ({
    employeeId,
    input: {
      records: own.get(employeeId) ?? [],
      related: Object.fromEntries([...related].map(([kind, byEmployee]) => [kind, byEmployee.get(employeeId) ?? []])),
      params: request.params,
      window,
    },
  }));
  const outcomes = await host.computeMetric(m.id, items);
  return new Map(ids.map((id) => [id, { kind: 'code', outcome: outcomes.get(id)!, recordCount: own.get(id)?.length ?? 0 } as RawMetric]));
}

/** Where a fact comes from, the same for every employee of one declared fact. */
interface Provenance {
  window: { from: string; to: string };
  metric: string;
  unit: ResolvedFact['unit'];
  minSamples: number;
}

/** The words for the records a formula left out, made once per distinct count (most employees share a few). */
type NotesOf = (raw: RawMetric) => string[] | undefined;

function notesOf(request: MetricRequest, plan: Pick<Plan, 'pointInTime'>): NotesOf {
  const m = request.metric;
  if (m.aggregate === undefined) return () => undefined;
  let field: ReturnType<typeof samplesDuration>;
  try {
    field = samplesDuration(m.aggregate as AggregateExpression, request.params);
  } catch {
    return () => undefined; // unusable params: the fact is an error, said elsewhere
  }
  if (!field) return () => undefined;
  const made = new Map<string, string[]>();
  const { asOf, view } = plan.pointInTime;
  return (raw) => {
    if (raw.kind !== 'aggregate' || !raw.result.ignored) return undefined;
    const { negative = 0, open = 0 } = raw.result.ignored;
    const key = `${negative}/${open}`;
    let notes = made.get(key);
    if (!notes) made.set(key, (notes = ignoredNotes(raw.result.ignored, field, m.recordKind, asOf, view)));
    return notes;
  };
}

function resolveRaw(raw: RawMetric, minSamples: number, provenance: Provenance, notes: string[] | undefined): ResolvedFact {
  if (raw.kind === 'error') return { status: 'error', message: raw.message, ...provenance };
  const r = raw.kind === 'aggregate' ? resolveMetric(raw.result, minSamples) : resolveCodeMetric(raw.outcome, raw.recordCount, minSamples);
  const left = notes?.length ? { notes } : {};
  if (r.status === 'ok') return { status: 'ok', value: r.value, samples: r.samples, ...provenance, ...left };
  if (r.status === 'insufficient') return { status: 'insufficient', samples: r.samples, message: r.message, ...provenance, ...left };
  return { status: 'error', message: r.message, ...provenance };
}

const GROUP_OF: Record<string, (e: Employee) => string | undefined> = {
  team: (e) => e.team,
  department: (e) => e.department,
  role: (e) => e.role,
  all: () => 'everyone',
};

/** The resolved facts of every employee of one policy: employee id → fact key → fact. */
/** With the plan's point in time, facts carry the words for the records their formulas left out. */
export function policyFacts(p: PolicyPlan, computed: Map<string, ComputedRequest>, plan?: Pick<Plan, 'pointInTime'>): Map<string, Map<string, ResolvedFact>> {
  // One layout for the policy's rows: its metric facts, then its history facts (set by the caller).
  const layout = new FactLayout([...new Set([...p.facts.map((f) => f.name), ...p.history.map((h) => h.key)])]);
  const rows = p.employees.map(() => new FactRow(layout));
  for (const f of p.facts) {
    const c = computed.get(f.request.key)!;
    const w = f.request.window;
    const provenance: Provenance = { window: { from: w.from.toISOString(), to: w.to.toISOString() }, metric: f.request.metric.id, unit: f.request.metric.unit, minSamples: f.minSamples };
    const notes = plan ? notesOf(f.request, plan) : () => undefined;
    const resolved = p.employees.map((e) => {
      const raw = c.raw.get(e.id) ?? c.empty;
      return resolveRaw(raw, f.minSamples, provenance, notes(raw));
    });
    if (f.percentileWithin) {
      const group = GROUP_OF[f.percentileWithin];
      const ranks = percentileRanks(p.employees.map((e, i) => ({ employeeId: e.id, group: group(e), fact: resolved[i] })), { metric: f.request.metric, within: f.percentileWithin, minGroupSize: f.minGroupSize! });
      p.employees.forEach((e, i) => rows[i].set(f.name, ranks.get(e.id)!));
    } else {
      resolved.forEach((fact, i) => rows[i].set(f.name, fact));
    }
  }
  return new Map(p.employees.map((e, i) => [e.id, rows[i]]));
}
