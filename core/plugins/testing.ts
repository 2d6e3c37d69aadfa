/**
 * The test harness for plugin authors (`import { testMetric } from 'appraise/testing'`):
 * computes one metric of a plugin for one employee's records, exactly as the engine would —
 * declarative aggregates through the engine's evaluator, code metrics through the plugin's own
 * `activate` — with params validated and defaulted, and minSamples applied.
 *
 * @example
 * ```ts
 * const r = await testMetric('./plugins/my-plugin', 'escalation-rate', { records, minSamples: 1 });
 * expect(r).toMatchObject({ status: 'ok', value: 0.5 });
 * ```
 */
import { resolve } from 'node:path';
import { evaluateAggregate } from '../metrics/aggregate.ts';
import { formulaOf } from '../metrics/formula.ts';
import { resolveMetric } from '../metrics/min-samples.ts';
import { resolveCodeMetric, type ResolvedCodeMetric } from '../metrics/code-metric.ts';
import { metricParams } from '../metrics/params.ts';
import type { MetricRecord, MetricWindow } from './api.ts';
import { readManifest } from './manifest.ts';
import { computeBatch, loadAndActivate } from './runtime.ts';

export interface MetricTestInput {
  /** The employee's records of the metric's kind in the window. */
  records: MetricRecord[];
  /** Records of other kinds, by qualified kind id (`sales.quota`). */
  related?: Record<string, MetricRecord[]>;
  params?: Record<string, unknown>;
  window?: MetricWindow;
  /** Defaults to the metric's defaultMinSamples. */
  minSamples?: number;
}

export type MetricTestResult = ResolvedCodeMetric;

export async function testMetric(pluginDir: string, metricId: string, input: MetricTestInput): Promise<MetricTestResult> {
  const { manifest, diagnostics } = await readManifest(resolve(pluginDir));
  if (!manifest) throw new Error(`The plugin manifest is invalid:\n${diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`).join('\n')}`);
  const qualified = metricId.includes('.') ? metricId : `${manifest.id}.${metricId}`;
  const metric = manifest.metrics.find((m) => m.id === qualified);
  if (!metric) throw new Error(`${manifest.id} declares no metric ${metricId}; it has ${manifest.metrics.map((m) => m.id).join(', ')}`);
  const { params, errors } = metricParams(metric.paramsSchema, input.params);
  if (errors.length) throw new Error(`Invalid params for ${qualified}: ${errors.join('; ')}`);
  const minSamples = input.minSamples ?? metric.defaultMinSamples;
  const window = input.window ?? windowAround(input.records);
  if (metric.aggregate !== undefined) {
    const result = evaluateAggregate(formulaOf(metric, params), { kind: metric.recordKind, records: { ...input.related, [metric.recordKind]: input.records } }, params);
    return resolveMetric(result, minSamples);
  }
  if (!manifest.main) throw new Error(`${qualified} has no aggregate and the plugin has no main`);
  const loaded = await loadAndActivate({
    pluginId: manifest.id,
    main: manifest.main,
    extensionPath: manifest.folder,
    settings: {},
    declared: { metrics: manifest.metrics.map((m) => m.id.slice(manifest.id.length + 1)), operators: [], workflows: [] },
    log: { info: () => {}, warn: () => {}, error: () => {} },
  });
  try {
    const [[, outcome]] = computeBatch(loaded.registrations, qualified.slice(manifest.id.length + 1), [
      { employeeId: 'test', input: { records: input.records, related: input.related ?? {}, params, window } },
    ]);
    return resolveCodeMetric(outcome, input.records.length, minSamples);
  } finally {
    await loaded.module.deactivate?.();
  }
}

function windowAround(records: MetricRecord[]): MetricWindow {
  if (records.length === 0) return { from: '1970-01-01T00:00:00Z', to: new Date().toISOString() };
  const times = records.map((r) => Date.parse(r.occurredAt));
  return { from: new Date(Math.min(...times)).toISOString(), to: new Date(Math.max(...times) + 1000).toISOString() };
}
