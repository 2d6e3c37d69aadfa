// A measured goal's progress as of a date, computed from the same facts as runs: the goal's
// metric over [start, min(asOf, due)), through the run's compute path (declarative metrics in
// shared SQL scans, code metrics in one batch per request), with the same minSamples rule. Too
// few records is "not enough data", an explicit state, never "missed".
//
// A team goal's value is the MEAN OF ITS MEMBERS' VALUES, each member computed as for one
// employee with the goal's minSamples, those without enough data left out (the same as the
// dashboard's team trends): the target is a per-person standard, and a pooled figure would let
// one high-volume member stand for the team. Nobody with enough data is "not enough data".
import type { Queryable } from '../../store/store.ts';
import type { PluginHost } from '../../plugins/host.ts';
import type { RecordKindInfo } from '../../plugins/manifest.ts';
import { computeRequests, type RawMetric } from '../../run/compute.ts';
import { knownAtOf, type MetricRequest, type Plan } from '../../run/plan.ts';
import { resolveMetric } from '../../metrics/min-samples.ts';
import { resolveCodeMetric } from '../../metrics/code-metric.ts';
import { formatValue } from '../../evaluate/explain-text.ts';
import { reaches, unitOf, type Measure, type Metrics } from './measure.ts';

/** What progress needs from the running Appraise: the metric registry, record kinds and plugin host. */
export interface ProgressDeps {
  metrics: Metrics;
  /** Their schemas' `x-knownAt` (a field known only once an instant has happened). */
  recordKinds?: ReadonlyMap<string, Pick<RecordKindInfo, 'id' | 'schema'>>;
  host?: PluginHost;
}

/** The part of a goal progress reads. */
export interface MeasuredGoal {
  id: number;
  employeeId: string | null;
  team: string | null;
  measure: Measure | null;
  criterion?: string | null;
  startsAt: string;
  dueAt: string;
}

export type ProgressState = 'met' | 'not-met' | 'insufficient' | 'not-started' | 'by-hand' | 'error';

export interface GoalProgress {
  state: ProgressState;
  /** The due date has passed at asOf: `not-met` then means missed. */
  final: boolean;
  asOf: string;
  value: number | null;
  samples: number;
  minSamples: number | null;
  target: number | null;
  direction: Measure['direction'] | null;
  unit: string | null;
  window: { from: string; to: string } | null;
  /** A team goal: members, and those with enough data. */
  members?: { total: number; withData: number };
  /** The progress in plain words. */
  words: string;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
const day = (iso: string) => iso.slice(0, 10);

/** Each goal's progress as of `asOf`, by goal id, every metric request computed once for all goals. */
export async function goalProgress(db: Queryable, deps: ProgressDeps, goals: readonly MeasuredGoal[], asOf: Date): Promise<Map<number, GoalProgress>> {
  const out = new Map<number, GoalProgress>();
  const teamIds = await teamMembers(db, [...new Set(goals.filter((g) => g.team && g.measure).map((g) => g.team!))]);
  const requests = new Map<string, MetricRequest>();
  const planned: Array<{ goal: MeasuredGoal; request: MetricRequest; people: string[] }> = [];
  for (const goal of goals) {
    const blank = { asOf: asOf.toISOString(), value: null, samples: 0, minSamples: goal.measure?.minSamples ?? null, target: goal.measure?.target ?? null, direction: goal.measure?.direction ?? null, unit: null, window: null };
    const final = asOf.getTime() >= Date.parse(goal.dueAt);
    if (!goal.measure) {
      out.set(goal.id, { ...blank, state: 'by-hand', final, words: goal.criterion ? `Judged by hand against: ${goal.criterion}` : 'Judged by hand; see the notes.' });
      continue;
    }
    const metric = deps.metrics.get(goal.measure.metric);
    if (!metric) {
      out.set(goal.id, { ...blank, state: 'error', final, words: `The metric ${goal.measure.metric} is not available (is its plugin disabled?), so progress cannot be shown.` });
      continue;
    }
    const from = new Date(goal.startsAt);
    const to = new Date(Math.min(asOf.getTime(), Date.parse(goal.dueAt)));
    if (to.getTime() <= from.getTime()) {
      out.set(goal.id, { ...blank, unit: unitOf(metric, goal.measure.params).unit, state: 'not-started', final, words: `Starts on ${day(goal.startsAt)}: no progress to show yet.` });
      continue;
    }
    const people = goal.team ? teamIds.get(goal.team) ?? [] : [goal.employeeId!];
    const key = JSON.stringify([metric.id, goal.measure.params, from.getTime(), to.getTime()]);
    let request = requests.get(key);
    if (!request) requests.set(key, (request = { key, metric, params: goal.measure.params, window: { from, to }, employeeIds: new Set() }));
    for (const id of people) request.employeeIds.add(id);
    planned.push({ goal, request, people });
  }
  if (!planned.length) return out;
  const employeeCount = Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM employees')).rows[0].n);
  const plan: Plan = {
    asOf,
    pointInTime: { asOf, view: 'as-of', knownAt: deps.recordKinds ? knownAtOf(deps.recordKinds.values()) : {} },
    policies: [],
    requests,
    employeeCount,
  };
  const computed = await computeRequests(db, plan, deps.host);
  for (const { goal, request, people } of planned) {
    const c = computed.get(request.key)!;
    out.set(goal.id, judge(goal, goal.measure!, people.map((id) => c.raw.get(id) ?? c.empty), unitOf(request.metric, goal.measure!.params).unit, request, asOf, Boolean(goal.team), request.metric.title));
  }
  return out;
}

async function teamMembers(db: Queryable, teams: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!teams.length) return out;
  const rows = (await db.query<{ id: string; team: string }>('SELECT id, team FROM employees WHERE team = ANY($1::text[]) ORDER BY id', [teams])).rows;
  for (const r of rows) out.set(r.team, [...(out.get(r.team) ?? []), r.id]);
  return out;
}

function resolve(raw: RawMetric, minSamples: number) {
  if (raw.kind === 'error') return { status: 'error' as const, message: raw.message, samples: 0 };
  return raw.kind === 'aggregate' ? resolveMetric(raw.result, minSamples) : resolveCodeMetric(raw.outcome, raw.recordCount, minSamples);
}

function judge(goal: MeasuredGoal, m: Measure, raws: RawMetric[], unit: string, request: MetricRequest, asOf: Date, team: boolean, title: string): GoalProgress {
  const final = asOf.getTime() >= Date.parse(goal.dueAt);
  const window = { from: request.window.from.toISOString(), to: request.window.to.toISOString() };
  const base = { asOf: asOf.toISOString(), final, minSamples: m.minSamples, target: m.target, direction: m.direction, unit, window };
  const resolved = raws.map((r) => resolve(r, m.minSamples));
  const error = resolved.find((r) => r.status === 'error');
  if (error && error.status === 'error') return { ...base, state: 'error', value: null, samples: 0, words: `Progress could not be computed: ${error.message}` };
  const ok = resolved.filter((r) => r.status === 'ok') as Array<{ value: number; samples: number }>;
  const samples = resolved.reduce((s, r) => s + (r.samples ?? 0), 0);
  const members = team ? { members: { total: raws.length, withData: ok.length } } : {};
  const target = `${m.direction === 'atLeast' ? 'at least' : 'at most'} ${formatValue(m.target, unit)}`;
  const until = final ? ` by the due date (${day(goal.dueAt)})` : ` so far (${day(window.from)} to ${day(window.to)})`;
  if (!ok.length) {
    const why = team
      ? `none of the team's ${plural(raws.length, 'member')} has ${m.minSamples} records yet`
      : `${samples} of the ${plural(m.minSamples, 'record')} needed`;
    const words = final
      ? `Not enough data: ${why}${until}, so the goal can be judged neither met nor missed.`
      : `Not enough data yet: ${why}${until}.`;
    return { ...base, ...members, state: 'insufficient', value: null, samples, words };
  }
  const value = ok.reduce((s, r) => s + r.value, 0) / ok.length;
  const what = team ? `the team's ${title} (the mean of ${plural(ok.length, 'member')} with enough data, of ${raws.length})` : title;
  const is = `${what} is ${formatValue(value, unit)} from ${plural(samples, 'record')}${until}`;
  if (reaches(m, value)) return { ...base, ...members, state: 'met', value, samples, words: `Met: ${is}; the target is ${target}.` };
  return { ...base, ...members, state: 'not-met', value, samples, words: `${final ? 'Missed' : 'Not yet'}: ${is}; the target is ${target}.` };
}
