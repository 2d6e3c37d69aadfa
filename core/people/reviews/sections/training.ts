// Packet section `training`: the courses completed in the period with their assessment scores
// before and after, and the training-impact metric of the training plugin (did customers
// notice: the survey score after the latest course minus before it).
import { computeRequests } from '../../../run/compute.ts';
import { resolveCodeMetric } from '../../../metrics/code-metric.ts';
import { metricParams } from '../../../metrics/params.ts';
import type { MetricRequest } from '../../../run/plan.ts';
import type { PacketContext, PacketSection } from '../packet.ts';

export const IMPACT_METRIC = 'training.training-impact';
export const COURSES_METRIC = 'training.courses-completed';

export interface Course {
  at: string;
  course: string;
  preScore: number | null;
  postScore: number | null;
  /** postScore − preScore, when both are known. */
  change: number | null;
}

export interface TrainingData {
  courses: Course[];
  /** The training-impact metric over the period, or why there is no value. */
  impact: { status: 'ok'; value: number; samples: number; title: string; description: string } | { status: 'insufficient' | 'error' | 'unavailable'; message: string } | null;
}

async function impactOf(ctx: PacketContext): Promise<TrainingData['impact']> {
  const metric = ctx.metrics.get(IMPACT_METRIC);
  if (!metric || !ctx.host) return { status: 'unavailable', message: 'The training plugin is not installed, or its code cannot run here.' };
  const { params } = metricParams(metric.paramsSchema, {});
  const request: MetricRequest = { key: 'impact', metric, params, window: { from: ctx.from, to: ctx.asOf }, employeeIds: new Set([ctx.employee.id]) };
  const computed = await computeRequests(ctx.store, { asOf: ctx.asOf, pointInTime: { asOf: ctx.asOf, view: 'as-of' }, policies: [], requests: new Map([['impact', request]]), employeeCount: 1 }, ctx.host);
  const raw = computed.get('impact')!.raw.get(ctx.employee.id);
  if (!raw || raw.kind === 'error') return { status: 'error', message: raw?.kind === 'error' ? raw.message : 'no result' };
  if (raw.kind !== 'code') return null;
  const r = resolveCodeMetric(raw.outcome, raw.recordCount, metric.defaultMinSamples);
  if (r.status === 'ok') return { status: 'ok', value: Math.round(r.value * 100) / 100, samples: r.samples, title: metric.title, description: metric.description ?? '' };
  return { status: r.status, message: r.message ?? 'not enough data' };
}

export const trainingSection: PacketSection<TrainingData> = {
  id: 'training',
  title: 'Training and its effect',
  async assemble(ctx) {
    const kind = ctx.metrics.get(COURSES_METRIC)?.recordKind ?? ctx.metrics.get(IMPACT_METRIC)?.recordKind;
    if (!kind) return { summary: 'Training is not recorded here (the training plugin is not installed).', data: { courses: [], impact: null } };
    const rows = (await ctx.store.query<{ occurred_at: string | Date; payload: { course?: string; preScore?: number; postScore?: number } }>(
      `SELECT occurred_at, payload FROM records WHERE kind = $1 AND employee_id = $2 AND occurred_at >= $3 AND occurred_at < $4 ORDER BY occurred_at, id`,
      [kind, ctx.employee.id, ctx.from.toISOString(), ctx.asOf.toISOString()],
    )).rows;
    const num = (v: unknown) => (typeof v === 'number' ? v : null);
    const courses = rows.map((r): Course => {
      const pre = num(r.payload.preScore);
      const post = num(r.payload.postScore);
      return { at: new Date(r.occurred_at).toISOString(), course: String(r.payload.course ?? ''), preScore: pre, postScore: post, change: pre !== null && post !== null ? post - pre : null };
    });
    const impact = courses.length ? await impactOf(ctx) : null;
    const effect = impact?.status === 'ok'
      ? ` Customers' satisfaction after the latest course changed by ${impact.value > 0 ? '+' : ''}${impact.value}.`
      : impact ? ` Its effect on customers cannot be told yet: ${impact.message}.` : '';
    return {
      summary: courses.length ? `${courses.length} course${courses.length === 1 ? '' : 's'} completed in this period.${effect}` : 'No training was completed in this period.',
      data: { courses, impact },
    };
  },
};
