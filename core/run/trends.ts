// Metric values of one employee over recent periods, for trend charts: each fact of each
// policy that applies to them, computed over the fact's own window ending at each period's end,
// with the thresholds the policy's rules compare it with.
import type { Store } from '../store/store.ts';
import type { MetricContribution } from '../plugins/manifest.ts';
import type { Registry } from '../registry/registry.ts';
import type { AggregateExpression, AggregateResult } from '../metrics/aggregate.ts';
import { resolveMetric } from '../metrics/min-samples.ts';
import { metricParams } from '../metrics/params.ts';
import { parseDuration } from '../policy/duration.ts';
import { loadPolicyText } from '../policy/load.ts';
import { getVersion, listPolicies } from '../policy/versions.ts';
import { isAll, isAny, isLeaf, isNot, type Condition, type Policy } from '../policy/types.ts';
import { DEFAULT_WINDOW } from '../policy/types.ts';
import { computeDeclarativeRequests } from './compute-declarative.ts';
import type { MetricRequest } from './plan.ts';
import { selects, type Employee } from './employees.ts';
import { periodOf, type Cycle } from './period.ts';

export interface Threshold {
  ruleId: string;
  outcome: string;
  operator: string;
  value: number;
}

export interface TrendSeries {
  policyId: string;
  fact: string;
  metric: string;
  title: string;
  unit: string;
  /** Smallest and largest value the metric can take (null where unbounded), so a chart never shows impossible values. */
  range: [number | null, number | null] | null;
  direction: string;
  points: Array<{ period: string; from: string; to: string; status: 'ok' | 'insufficient'; value: number | null; samples: number; minSamples: number }>;
  thresholds: Threshold[];
}

/** Numeric thresholds a policy compares a fact with, by rule. */
export function thresholdsOf(policy: Policy, fact: string): Threshold[] {
  const out: Threshold[] = [];
  const walk = (c: Condition, ruleId: string, outcome: string) => {
    if (isAll(c)) c.all.forEach((x) => walk(x, ruleId, outcome));
    else if (isAny(c)) c.any.forEach((x) => walk(x, ruleId, outcome));
    else if (isNot(c)) walk(c.not, ruleId, outcome);
    else if (isLeaf(c) && c.fact === fact) {
      const v = typeof c.value === 'string' ? parseDuration(c.value) : c.value;
      if (typeof v === 'number') out.push({ ruleId, outcome, operator: c.operator, value: v });
    }
  };
  for (const r of policy.spec.rules) walk(r.when, r.id, r.then.outcome);
  return out;
}

/** The latest version of every policy whose text loads, one at a time. */
async function* latestPolicies(store: Store, registry: Registry): AsyncGenerator<Policy> {
  for (const summary of await listPolicies(store)) {
    const v = await getVersion(store, summary.policyId, summary.latestVersion);
    const policy = loadPolicyText(`${summary.policyId}@v${v.version}`, v.yaml, registry).policy;
    if (policy) yield policy;
  }
}

/** A fact a trend can chart: a declarative metric's own value (not a percentile, not offset). */
interface TrendFact {
  fact: string;
  metric: MetricContribution;
  /** The metric's unit and range, or its variant's for these params (csat `mode: top2box` is a percentage). */
  unit: string;
  range: [number | null, number | null] | null;
  aggregate: AggregateExpression;
  params: Record<string, unknown>;
  /** The fact's window, in ms, that ends at each period's end. */
  windowMs: number;
  minSamples: number;
}

function* trendFacts(policy: Policy, metrics: ReadonlyMap<string, MetricContribution>): Generator<TrendFact> {
  for (const [fact, decl] of Object.entries(policy.spec.facts ?? {})) {
    const metric = metrics.get(decl.metric);
    if (!metric || metric.aggregate === undefined || decl.percentileWithin || decl.offset) continue;
    const { params } = metricParams(metric.paramsSchema, decl.params);
    const windowMs = parseDuration(decl.window ?? policy.spec.window ?? DEFAULT_WINDOW)! * 1000;
    const variant = metric.variants?.values[String(params[metric.variants.param])];
    const unit = variant?.unit ?? metric.unit;
    const range = (variant ? variant.range : metric.range) ?? null;
    yield { fact, metric, unit, range, aggregate: metric.aggregate as AggregateExpression, params, windowMs, minSamples: decl.minSamples ?? metric.defaultMinSamples };
  }
}

/** The ends of the last `count` periods of a cycle, oldest first, the last being `asOf`. */
export function periodEnds(asOf: Date, cycle: Cycle, count: number): Date[] {
  const ends: Date[] = [asOf];
  let d = new Date(asOf);
  for (let i = 1; i < count; i++) {
    d = new Date(d);
    if (cycle === 'week') d.setUTCDate(d.getUTCDate() - 7);
    else if (cycle === 'month') d.setUTCMonth(d.getUTCMonth() - 1);
    else if (cycle === 'quarter') d.setUTCMonth(d.getUTCMonth() - 3);
    else d.setUTCFullYear(d.getUTCFullYear() - 1);
    ends.unshift(d);
  }
  return ends;
}

/**
 * One employee's trends, for the employee page: the same facts as the dashboard's, computed for
 * this employee alone, every period and fact in the scans they share (never one query each).
 */
export async function employeeTrends(
  store: Store,
  deps: { registry: Registry; metrics: ReadonlyMap<string, MetricContribution> },
  employee: Employee,
  o: { asOf: Date; periods: number; cycle?: Cycle },
): Promise<TrendSeries[]> {
  const cycle = o.cycle ?? 'month';
  const ends = periodEnds(o.asOf, cycle, o.periods);
  const planned = await planTrends(store, deps, [employee], o.asOf, ends);
  const computed = await computeTrends(store, planned.requests);
  return planned.charted.map(({ policy, fact: { fact, metric, unit, range, windowMs, minSamples }, keys }) => ({
    policyId: policy.metadata.id,
    fact,
    metric: metric.id,
    title: metric.title,
    unit,
    range,
    direction: metric.direction,
    points: keys.map((key, i) => {
      const end = ends[i];
      const r = resolveMetric(computed(key).get(employee.id) ?? { value: null, samples: 0 }, minSamples);
      return { period: periodOf(new Date(end.getTime() - 1), cycle), from: new Date(end.getTime() - windowMs).toISOString(), to: end.toISOString(), status: r.status, value: r.status === 'ok' ? r.value : null, samples: r.samples, minSamples };
    }),
    thresholds: thresholdsOf(policy, fact),
  }));
}

interface PlannedTrends {
  requests: Map<string, MetricRequest>;
  /** Each charted fact of each policy: the employees given that it applies to, and its request per period end. */
  charted: Array<{ policy: Policy; inScope: string[]; fact: TrendFact; keys: string[] }>;
}

/**
 * Every (metric, params, window, end) the charts need, planned first so that policies sharing
 * a metric and window share one computation whatever their minSamples.
 */
async function planTrends(
  store: Store,
  deps: { registry: Registry; metrics: ReadonlyMap<string, MetricContribution> },
  employees: readonly Employee[],
  asOf: Date,
  ends: readonly Date[],
): Promise<PlannedTrends> {
  const requests = new Map<string, MetricRequest>();
  const allIds = new Set(employees.map((e) => e.id));
  const charted: PlannedTrends['charted'] = [];
  for await (const policy of latestPolicies(store, deps.registry)) {
    const inScope = employees.filter((e) => selects(policy.spec.appliesTo, e, asOf).applies).map((e) => e.id);
    if (!inScope.length) continue;
    for (const fact of trendFacts(policy, deps.metrics)) {
      const keys = ends.map((end) => {
        const key = JSON.stringify([fact.metric.id, fact.params, fact.windowMs, end.getTime()]);
        if (!requests.has(key)) requests.set(key, { key, metric: fact.metric, params: fact.params, window: { from: new Date(end.getTime() - fact.windowMs), to: end }, employeeIds: allIds });
        return key;
      });
      charted.push({ policy, inScope, fact, keys });
    }
  }
  return { requests, charted };
}

/** The planned requests computed in shared scans (a metric's windows at every period end, and metrics of one record kind, are one query). */
async function computeTrends(store: Store, requests: Map<string, MetricRequest>): Promise<(key: string) => Map<string, AggregateResult>> {
  const organisation = Number((await store.query<{ n: number }>('SELECT count(*)::int AS n FROM employees')).rows[0].n);
  const computed = await computeDeclarativeRequests(store, [...requests.values()], organisation);
  return (key) => {
    const r = computed.get(requests.get(key)!)!;
    if (r instanceof Error) throw r;
    return r;
  };
}

/** A team, a department, or everyone given (`organisation`, one group named `Everyone`). */
export type GroupBy = 'team' | 'department' | 'organisation';

export const EVERYONE = 'Everyone';
const GROUP_ORDER: readonly GroupBy[] = ['organisation', 'department', 'team'];

export interface GroupTrendPoint {
  period: string;
  from: string;
  to: string;
  /** The mean of the values of the members with sufficient data; null when none has. */
  value: number | null;
  /** Members the policy applies to. */
  members: number;
  /** Of those, members with at least minSamples records in the window. */
  withData: number;
}

/** A metric's trend for a team or department: an employee's series, but each point a mean over the members. */
export interface GroupTrendSeries extends Omit<TrendSeries, 'points'> {
  minSamples: number;
  points: GroupTrendPoint[];
}

export interface GroupTrend {
  by: GroupBy;
  group: string;
  /** Employees of the group among those given. */
  members: number;
  series: GroupTrendSeries[];
}

/**
 * Metric trends of teams and departments, for the dashboard. A group's value for a period is the
 * MEAN OF ITS MEMBERS' VALUES: each member the policy applies to gets the fact computed as for
 * one employee (the fact's own window ending at the period's end, the policy's minSamples), and
 * the members with sufficient data are averaged. Not the aggregate over the pooled records: the
 * policy's thresholds are per person, and a pooled figure would let one high-volume member stand
 * for the team. Each (metric, params, window) is computed once for all the employees given, in
 * scans shared by every period and metric that reads the same records, never once per employee
 * or per group.
 */
export async function groupTrends(
  store: Store,
  deps: { registry: Registry; metrics: ReadonlyMap<string, MetricContribution> },
  employees: readonly Employee[],
  o: { asOf: Date; periods: number; cycle?: Cycle; groupBy?: readonly GroupBy[] },
): Promise<GroupTrend[]> {
  const cycle = o.cycle ?? 'month';
  const ends = periodEnds(o.asOf, cycle, o.periods);
  const groupBy = o.groupBy ?? ['organisation', 'team', 'department'];
  const groups: GroupTrend[] = [];
  const byKey = new Map<string, number>();
  // Each employee's groups, by index: a series is summed in one pass over the people in scope.
  const groupsOf = new Map<string, number[]>();
  for (const by of groupBy) {
    for (const e of employees) {
      const name = by === 'organisation' ? EVERYONE : e[by];
      if (!name) continue;
      const key = `${by}\u0000${name}`;
      let index = byKey.get(key);
      if (index === undefined) {
        byKey.set(key, (index = groups.length));
        groups.push({ by, group: name, members: 0, series: [] });
      }
      groups[index].members++;
      const of = groupsOf.get(e.id) ?? [];
      of.push(index);
      groupsOf.set(e.id, of);
    }
  }
  const { requests, charted } = await planTrends(store, deps, employees, o.asOf, ends);
  const raw = await computeTrends(store, requests);
  for (const { policy, inScope, fact: { fact, metric, unit, range, windowMs, minSamples }, keys } of charted) {
    // Per group: members in scope, and per period the sum and count of the values of those with
    // sufficient data, added in the order of the people in scope.
    const members = new Uint32Array(groups.length);
    const sums = keys.map(() => new Float64Array(groups.length));
    const withData = keys.map(() => new Uint32Array(groups.length));
    const perPeriod = keys.map((key) => raw(key));
    for (const id of inScope) {
      const of = groupsOf.get(id);
      if (!of) continue;
      for (const g of of) members[g]++;
      perPeriod.forEach((byEmployee, i) => {
        const r = resolveMetric(byEmployee.get(id) ?? { value: null, samples: 0 }, minSamples);
        if (r.status !== 'ok') return;
        for (const g of of) {
          sums[i][g] += r.value;
          withData[i][g]++;
        }
      });
    }
    const thresholds = thresholdsOf(policy, fact);
    groups.forEach((g, index) => {
      if (!members[index]) return;
      const points = ends.map((end, i): GroupTrendPoint => ({
        period: periodOf(new Date(end.getTime() - 1), cycle),
        from: new Date(end.getTime() - windowMs).toISOString(),
        to: end.toISOString(),
        value: withData[i][index] ? sums[i][index] / withData[i][index] : null,
        members: members[index],
        withData: withData[i][index],
      }));
      g.series.push({ policyId: policy.metadata.id, fact, metric: metric.id, title: metric.title, unit, range, direction: metric.direction, minSamples, points, thresholds });
    });
  }
  // Groups no policy with a chartable metric applies to have no trend to show.
  return groups
    .filter((g) => g.series.length > 0)
    .sort((a, b) => GROUP_ORDER.indexOf(a.by) - GROUP_ORDER.indexOf(b.by) || a.group.localeCompare(b.group));
}

/** One series of the overview: a metric of a policy, as the columns of a table. */
export type OverviewColumn = Pick<GroupTrendSeries, 'policyId' | 'fact' | 'metric' | 'title' | 'unit' | 'range' | 'direction' | 'thresholds'>;

export interface OverviewRow {
  by: GroupBy;
  group: string;
  members: number;
  /** Per column, the last period's point and the value of the period before; null where the policy applies to nobody of the group. */
  cells: Array<{ value: number | null; previous: number | null; members: number; withData: number } | null>;
}

/**
 * The groups of some kinds side by side at the last period, for the dashboard's overview (the
 * organisation and its departments): one column per charted (policy, fact), in the order the
 * first group that has it lists it.
 */
export function trendOverview(groups: readonly GroupTrend[], by: readonly GroupBy[]): { columns: OverviewColumn[]; rows: OverviewRow[] } {
  const chosen = groups.filter((g) => by.includes(g.by));
  const columns: OverviewColumn[] = [];
  const index = new Map<string, number>();
  const key = (s: { policyId: string; fact: string }) => `${s.policyId}\u0000${s.fact}`;
  for (const g of chosen) {
    for (const { policyId, fact, metric, title, unit, range, direction, thresholds } of g.series) {
      if (index.has(key({ policyId, fact }))) continue;
      index.set(key({ policyId, fact }), columns.length);
      columns.push({ policyId, fact, metric, title, unit, range, direction, thresholds });
    }
  }
  const rows = chosen.map((g): OverviewRow => {
    const cells: OverviewRow['cells'] = columns.map(() => null);
    for (const s of g.series) {
      const last = s.points.at(-1);
      if (!last) continue;
      cells[index.get(key(s))!] = { value: last.value, previous: s.points.at(-2)?.value ?? null, members: last.members, withData: last.withData };
    }
    return { by: g.by, group: g.group, members: g.members, cells };
  });
  return { columns, rows };
}
