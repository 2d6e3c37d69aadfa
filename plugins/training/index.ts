// training-impact: did customers notice the training? The latest course in the window is the
// pivot; the same survey field is averaged over a span before and after it.
import type { MetricRecord, PluginContext } from 'appraise/plugin-api';

interface ImpactParams {
  field: 'csat' | 'nps' | 'ces';
  span: string;
  minSamples: number;
}

const SURVEY = 'customer-feedback.survey';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
/** Seconds in a duration literal such as `30d` or `2w` (the params schema has checked its form). */
function seconds(literal: string): number {
  let total = 0;
  for (const [, n, unit] of literal.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) total += Number(n) * UNIT_SECONDS[unit];
  return total;
}

function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

export function trainingImpact(training: readonly MetricRecord[], surveys: readonly MetricRecord[], params: ImpactParams, windowEnd: string): number | { insufficient: true; samples: number; reason: string } {
  if (training.length === 0) return { insufficient: true, samples: 0, reason: 'no course completed in the window' };
  const pivot = Date.parse(training[training.length - 1].occurredAt);
  const span = seconds(params.span) * 1000;
  const end = Math.min(pivot + span, Date.parse(windowEnd));
  const before: number[] = [];
  const after: number[] = [];
  for (const s of surveys) {
    const v = s.payload[params.field];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    const t = Date.parse(s.occurredAt);
    if (t >= pivot - span && t < pivot) before.push(v);
    else if (t >= pivot && t < end) after.push(v);
  }
  const samples = Math.min(before.length, after.length);
  if (samples < params.minSamples) {
    return { insufficient: true, samples, reason: `${before.length} survey(s) before and ${after.length} after the training; ${params.minSamples} needed on each side` };
  }
  return mean(after) - mean(before);
}

export function activate(ctx: PluginContext): void {
  ctx.subscriptions.push(
    ctx.metrics.register('training-impact', {
      compute({ records, related, params, window }) {
        const p = params as unknown as ImpactParams;
        return trainingImpact(records, related[SURVEY] ?? [], { field: p.field ?? 'csat', span: p.span ?? '30d', minSamples: p.minSamples ?? 5 }, window.to);
      },
    }),
  );
}
