// What the plugins' metrics.test.ts files share: a plugin's declarative metrics as its manifest
// (package.json `aggregate`) defines them, evaluated on small hand-made records that must each
// pass the schema of their record kind.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { evaluateAggregate, type AggregateExpression, type AggregateParams, type AggregateResult, type Payload } from '../../core/metrics/aggregate.ts';
import { resolveMetric, type ResolvedMetric } from '../../core/metrics/min-samples.ts';
import { formulaOf } from '../../core/metrics/formula.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

export interface PluginMetric {
  id: string;
  recordKind: string;
  defaultMinSamples: number;
  aggregate?: AggregateExpression;
  paramsSchema?: Record<string, unknown>;
}

export type DeclarativeMetric = PluginMetric & { aggregate: AggregateExpression };

/** Payloads by record kind, e.g. `{ deal: [...], quota: [...] }`. */
export type RecordsByKind = Readonly<Record<string, readonly Payload[]>>;

export interface PluginMetricHelpers {
  /** Every metric the manifest contributes, declarative or code. */
  metrics: PluginMetric[];
  /** A declarative metric of the plugin; throws for an unknown or code metric. */
  metric(id: string): DeclarativeMetric;
  /** The metric over these records (each must be a valid record of its kind), dated `occurredAt`. */
  compute(id: string, records: RecordsByKind, params?: AggregateParams): AggregateResult;
  /** compute, then resolved against the metric's default minSamples. */
  resolve(id: string, records: RecordsByKind, params?: AggregateParams): ResolvedMetric;
}

const DEFAULT_OCCURRED_AT = '2026-03-02T09:00:00Z';

/**
 * The helpers for the plugin in `pluginDir` (pass `new URL('.', import.meta.url)` from the
 * plugin's own test). `occurredAt` dates each record; by default all fall on 2 March 2026.
 */
export function pluginMetricHelpers(pluginDir: URL, o: { occurredAt?: (payload: Payload, kind: string) => string } = {}): PluginMetricHelpers {
  const read = (rel: string) => JSON.parse(readFileSync(new URL(rel, pluginDir), 'utf8'));
  const manifest = read('./package.json');
  const name: string = manifest.name;
  const metrics: PluginMetric[] = manifest.appraise.contributes.metrics;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  for (const kind of manifest.appraise.contributes.recordKinds as Array<{ id: string; schema: string }>) validators.set(kind.id, ajv.compile(read(kind.schema)));
  const occurredAt = o.occurredAt ?? (() => DEFAULT_OCCURRED_AT);

  function metric(id: string): DeclarativeMetric {
    const m = metrics.find((x) => x.id === id);
    if (!m?.aggregate) throw new Error(`${name} has no declarative metric ${id}`);
    return m as DeclarativeMetric;
  }

  function compute(id: string, records: RecordsByKind, params: AggregateParams = {}): AggregateResult {
    const input: Record<string, Array<{ occurredAt: string; payload: Payload }>> = {};
    for (const [kind, payloads] of Object.entries(records)) {
      const valid = validators.get(kind);
      if (!valid) throw new Error(`${name} has no record kind ${kind}`);
      for (const p of payloads) expect(valid(p), `${kind} ${JSON.stringify(p)}: ${JSON.stringify(valid.errors)}`).toBe(true);
      input[kind] = payloads.map((payload) => ({ occurredAt: occurredAt(payload, kind), payload }));
    }
    const m = metric(id);
    // With the params that rewrite the formula (where, target tables) applied, as compute does.
    return evaluateAggregate(formulaOf(m, params), { kind: m.recordKind, records: input }, params);
  }

  return {
    metrics,
    metric,
    compute,
    resolve: (id, records, params = {}) => resolveMetric(compute(id, records, params), metric(id).defaultMinSamples),
  };
}
