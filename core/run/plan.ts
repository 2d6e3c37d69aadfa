// plan: which employees each policy applies to, and which (metric, params, window) facts it
// needs. Identical facts shared by several policies become one metric request, computed once.
import type { CompiledPolicy } from '../evaluate/compile.ts';
import type { MetricContribution, RecordKindInfo } from '../plugins/manifest.ts';
import type { PointInTime } from '../metrics/aggregate.ts';
import { parseDuration } from '../policy/duration.ts';
import { DEFAULT_MIN_GROUP_SIZE, DEFAULT_WINDOW } from '../policy/types.ts';
import { metricParams } from '../metrics/params.ts';
import { periodOf } from './period.ts';
import { employeeFactsOf, selects, type Employee } from './employees.ts';
import type { EmployeeFacts } from '../evaluate/facts.ts';

export interface Window {
  from: Date;
  to: Date;
}

export interface MetricRequest {
  key: string;
  metric: MetricContribution;
  params: Record<string, unknown>;
  window: Window;
  /** Read-only: requests of the same people share one set. */
  employeeIds: Set<string>;
}

/** One declared fact of one policy. */
export interface FactPlan {
  name: string;
  request: MetricRequest;
  minSamples: number;
  percentileWithin?: 'team' | 'department' | 'role' | 'all';
  /** Set with percentileWithin: the fewest members with sufficient data a group needs to be ranked. */
  minGroupSize?: number;
}

export interface PolicyPlan {
  compiled: CompiledPolicy;
  version: number;
  period: string;
  employees: Employee[];
  /** The ids of `employees` (read-only; shared with the plan's requests of the same people). */
  employeeIds: ReadonlySet<string>;
  facts: FactPlan[];
  /** `history.*` facts and their params, by fact key. */
  history: Array<{ key: string; fact: string; params?: Record<string, unknown> }>;
  /** Employees a tenure condition could not judge for lack of a hire date. */
  noHireDate: string[];
  /** The `employee.*` facts of `employees` as of the run (same order), shared by the policies. */
  employeeFacts: EmployeeFacts[];
}

export interface Plan {
  asOf: Date;
  /** What the run's metrics see: the as-of view (default) or everything known now; x-knownAt by kind. */
  pointInTime: PointInTime & { view: View };
  policies: PolicyPlan[];
  requests: Map<string, MetricRequest>;
  /** Everyone in the store (a request for most of them is cheaper without an id filter). */
  employeeCount: number;
}

export class PlanError extends Error {}

/** `as-of`: only what had happened by the as-of instant (the default); `latest`: everything known now (audits). */
export type View = 'as-of' | 'latest';

export interface PlanOptions {
  view?: View;
  /** The record kinds, for their schemas' `x-knownAt` (without them no field waits for an instant). */
  recordKinds?: ReadonlyMap<string, RecordKindInfo>;
}

/**
 * The fields of each kind known only once an instant field has happened: a schema property's
 * `"x-knownAt": "<instant field>"` (reassignments are known when the ticket is resolved).
 */
export function knownAtOf<K extends Pick<RecordKindInfo, 'id' | 'schema'>>(kinds: Iterable<K>): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const kind of kinds) {
    const properties = (kind.schema.properties ?? {}) as Record<string, Record<string, unknown> | null>;
    for (const [field, property] of Object.entries(properties)) {
      const at = property?.['x-knownAt'];
      if (typeof at === 'string' && at) (out[kind.id] ??= {})[field] = at;
    }
  }
  return out;
}

/** `[asOf − offset − window, asOf − offset)`: a record exactly at the end is outside. */
export function factWindow(asOf: Date, window: string, offset = '0s'): Window {
  const to = asOf.getTime() - parseDuration(offset)! * 1000;
  return { from: new Date(to - parseDuration(window)! * 1000), to: new Date(to) };
}

/** Who a selector picks from a list of employees as of an instant, with their ids and `employee.*` facts. */
interface Scope {
  inScope: Employee[];
  noHireDate: string[];
  ids: Set<string>;
  employeeFacts: EmployeeFacts[];
}

/**
 * Scopes by the employee list they were picked from (held weakly) and selector and instant: a
 * draft and its published version usually share their `appliesTo`, and previews repeat over the
 * same cached list, so the people in scope, their id set (shared by every request of the scope,
 * read-only) and their facts are worked out once, not per fact and per preview.
 */
const scopes = new WeakMap<Employee[], Map<string, Scope>>();

function scopeOf(employees: Employee[], appliesTo: Parameters<typeof selects>[0], asOf: Date, employeeFactsFor: (e: Employee) => EmployeeFacts): Scope {
  let byKey = scopes.get(employees);
  if (!byKey) scopes.set(employees, (byKey = new Map()));
  const key = `${asOf.toISOString()}|${JSON.stringify(appliesTo ?? {})}`;
  let scope = byKey.get(key);
  if (!scope) {
    const inScope: Employee[] = [];
    const noHireDate: string[] = [];
    for (const e of employees) {
      const s = selects(appliesTo, e, asOf);
      if (s.applies) inScope.push(e);
      else if (s.reason === 'no-hire-date') noHireDate.push(e.id);
    }
    scope = { inScope, noHireDate, ids: new Set(inScope.map((e) => e.id)), employeeFacts: inScope.map(employeeFactsFor) };
    byKey.set(key, scope);
  }
  return scope;
}

export function planRun(
  asOf: Date,
  policies: Array<{ compiled: CompiledPolicy; version: number }>,
  employees: Employee[],
  metrics: ReadonlyMap<string, MetricContribution>,
  options: PlanOptions = {},
): Plan {
  const view = options.view ?? 'as-of';
  const requests = new Map<string, MetricRequest>();
  const out: PolicyPlan[] = [];
  const factsOf = new Map<Employee, EmployeeFacts>();
  const employeeFactsFor = (e: Employee) => {
    let f = factsOf.get(e);
    if (!f) factsOf.set(e, (f = employeeFactsOf(e, asOf)));
    return f;
  };
  for (const { compiled, version } of policies) {
    const spec = compiled.policy.spec;
    const scope = scopeOf(employees, spec.appliesTo, asOf, employeeFactsFor);
    const { inScope, noHireDate } = scope;
    const used = new Set(compiled.requirements.map((r) => r.fact));
    const facts: FactPlan[] = [];
    for (const [name, decl] of Object.entries(spec.facts ?? {})) {
      if (!used.has(name)) continue;
      const metric = metrics.get(decl.metric);
      if (!metric) throw new PlanError(`${compiled.policy.metadata.id}: the metric ${decl.metric} is not available (is its plugin disabled?)`);
      const { params, errors } = metricParams(metric.paramsSchema, decl.params);
      if (errors.length) throw new PlanError(`${compiled.policy.metadata.id}: params of ${name}: ${errors.join('; ')}`);
      const window = factWindow(asOf, decl.window ?? spec.window ?? DEFAULT_WINDOW, decl.offset);
      // The view is part of the key: requests are cached between previews by it.
      const key = `${metric.id}|${JSON.stringify(sortKeys(params))}|${window.from.toISOString()}|${window.to.toISOString()}|${view}`;
      let request = requests.get(key);
      if (!request) {
        request = { key, metric, params, window, employeeIds: scope.ids };
        requests.set(key, request);
      } else if (request.employeeIds !== scope.ids) {
        // Policies of different scopes share the request: the union, a set of its own.
        const union = new Set(request.employeeIds);
        for (const id of scope.ids) union.add(id);
        request.employeeIds = union;
      }
      facts.push({ name, request, minSamples: decl.minSamples ?? metric.defaultMinSamples, ...(decl.percentileWithin ? { percentileWithin: decl.percentileWithin, minGroupSize: decl.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE } : {}) });
    }
    const history = compiled.requirements.filter((r) => r.fact.startsWith('history.')).map((r) => ({ key: r.key, fact: r.fact, ...(r.params ? { params: r.params } : {}) }));
    out.push({ compiled, version, period: periodOf(asOf, spec.cycle ?? 'quarter'), employees: inScope, employeeIds: scope.ids, facts, history, noHireDate, employeeFacts: scope.employeeFacts });
  }
  const knownAt = options.recordKinds ? knownAtOf(options.recordKinds.values()) : {};
  return { asOf, pointInTime: { asOf, view, knownAt }, policies: out, requests, employeeCount: employees.length };
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
