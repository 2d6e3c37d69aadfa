// What the static checker resolves a policy against: the metrics, operators and workflows that
// plugins contribute. The plugin host fills it from manifests alone (no plugin code runs to
// validate a policy); tests may build a small one by hand with `createRegistry`.

export type MetricUnit = 'score' | 'percent' | 'ratio' | 'count' | 'duration' | 'currency';
export type Direction = 'higherIsBetter' | 'lowerIsBetter';
export type ValueType = 'number' | 'string' | 'boolean' | 'array' | 'object' | 'any';

export interface MetricInfo {
  /** Namespaced id: `customer-feedback.csat`. */
  id: string;
  title: string;
  description?: string;
  unit: MetricUnit;
  /** Smallest and largest possible value; null where unbounded. */
  range?: [number | null, number | null];
  /** A param that changes the unit and range (csat `mode: top2box` is a percentage). */
  variants?: { param: string; values: Record<string, { unit: MetricUnit; range?: [number | null, number | null] }> };
  direction: Direction;
  recordKind?: string;
  defaultMinSamples: number;
  /** JSON Schema of the metric's params (validated at policy load). */
  paramsSchema?: Record<string, unknown>;
  /** The plugin that contributes it. */
  plugin: string;
}

export interface OperatorInfo {
  id: string;
  description?: string;
  factType: ValueType;
  valueType: ValueType;
  plugin: string;
}

export interface WorkflowInfo {
  id: string;
  title: string;
  configSchema?: Record<string, unknown>;
  plugin: string;
}

/** A record kind as the checker sees it: its payload schema, custom fields merged in. */
export interface RecordKindSchema {
  id: string;
  title: string;
  schema: Record<string, unknown>;
}

export interface Registry {
  readonly metrics: ReadonlyMap<string, MetricInfo>;
  readonly operators: ReadonlyMap<string, OperatorInfo>;
  readonly workflows: ReadonlyMap<string, WorkflowInfo>;
  /** The record kinds, for checking `params.where`; a registry built without them checks no fields. */
  readonly recordKinds?: ReadonlyMap<string, RecordKindSchema>;
}

export function createRegistry(parts: {
  metrics?: MetricInfo[];
  operators?: OperatorInfo[];
  workflows?: WorkflowInfo[];
  recordKinds?: RecordKindSchema[];
}): Registry {
  return {
    metrics: new Map((parts.metrics ?? []).map((m) => [m.id, m])),
    operators: new Map((parts.operators ?? []).map((o) => [o.id, o])),
    workflows: new Map((parts.workflows ?? []).map((w) => [w.id, w])),
    ...(parts.recordKinds ? { recordKinds: new Map(parts.recordKinds.map((k) => [k.id, k])) } : {}),
  };
}
