// Where a plugin's code runs. Two runtimes share one contract: in-process for trusted
// (built-in) plugins, and a worker thread for everything else, where even a synchronous
// infinite loop is stopped at its time limit. Calls are batched: one call per metric per run.
import { pathToFileURL } from 'node:url';
import type { MetricInput, PluginLogger, PluginModule } from './api.ts';
import { createPluginContext, disposeAll, type DeclaredIds, type Registrations } from './context.ts';

export type MetricOutcome =
  | { status: 'ok'; value: number; samples?: number }
  | { status: 'insufficient'; samples: number; reason?: string }
  | { status: 'error'; message: string; stack?: string };

export interface MetricBatchItem {
  employeeId: string;
  input: MetricInput;
}

export interface ActivationReport {
  registered: DeclaredIds;
  undeclared: Array<{ kind: keyof DeclaredIds; id: string }>;
}

export interface RuntimeOptions {
  pluginId: string;
  main: string;
  extensionPath: string;
  settings: Record<string, unknown>;
  declared: DeclaredIds;
  timeoutMs: number;
  log: PluginLogger;
}

export interface PluginRuntime {
  /** Loads the module and calls activate(); rejects with the plugin's error. */
  activate(): Promise<ActivationReport>;
  computeMetric(localId: string, items: MetricBatchItem[]): Promise<Array<[string, MetricOutcome]>>;
  /** Synchronous: json-rules-engine operators are. Throws on error or time-out. */
  callOperator(localId: string, factValue: unknown, value: unknown): unknown;
  /**
   * Runs a workflow handler within `timeoutMs` (the workflow's own timeout; the plugin call
   * limit when it has none). A time-out rejects with kind `timeout` and leaves other calls
   * running: deliveries run side by side, and one hanging receiver must not cost the others.
   */
  runWorkflow(localId: string, delivery: unknown, timeoutMs?: number): Promise<void>;
  dispose(): Promise<void>;
}

export class PluginCallError extends Error {
  constructor(
    readonly kind: 'timeout' | 'crash' | 'error',
    message: string,
    readonly pluginStack?: string,
  ) {
    super(message);
    this.name = 'PluginCallError';
  }
}

/** Checks what a metric implementation returned: a finite number, `{value, samples}` or insufficient data. */
export function normaliseMetricResult(r: unknown): MetricOutcome {
  if (typeof r === 'number') {
    return Number.isFinite(r) ? { status: 'ok', value: r } : { status: 'error', message: `returned ${String(r)}, not a finite number` };
  }
  if (r && typeof r === 'object') {
    const o = r as Record<string, unknown>;
    if (o.insufficient === true) {
      const samples = typeof o.samples === 'number' && o.samples >= 0 ? Math.floor(o.samples) : 0;
      return { status: 'insufficient', samples, ...(typeof o.reason === 'string' ? { reason: o.reason } : {}) };
    }
    if (typeof o.value === 'number' && Number.isFinite(o.value)) {
      return { status: 'ok', value: o.value, ...(typeof o.samples === 'number' && o.samples >= 0 ? { samples: Math.floor(o.samples) } : {}) };
    }
  }
  let shown: string;
  try {
    shown = JSON.stringify(r) ?? String(r);
  } catch {
    shown = String(r);
  }
  return { status: 'error', message: `returned ${shown.slice(0, 100)}, not a finite number or {insufficient: true}` };
}

/** Runs the batch, one employee at a time, catching each employee's error separately. */
export function computeBatch(registrations: Registrations, localId: string, items: MetricBatchItem[]): Array<[string, MetricOutcome]> {
  const impl = registrations.metrics.get(localId);
  if (!impl) {
    return items.map((i) => [i.employeeId, { status: 'error', message: `the metric ${localId} was not registered by activate()` }]);
  }
  return items.map((item) => {
    try {
      return [item.employeeId, normaliseMetricResult(impl.compute(item.input))];
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      return [item.employeeId, { status: 'error', message: `threw: ${err.message}`, ...(err.stack ? { stack: err.stack } : {}) }];
    }
  });
}

/** Imports a plugin entry and activates it; shared by the in-process runtime and the worker. */
export async function loadAndActivate(options: Omit<RuntimeOptions, 'timeoutMs'>): Promise<{ module: PluginModule; registrations: Registrations; subscriptions: { dispose(): void }[]; report: ActivationReport }> {
  const module = (await import(pathToFileURL(options.main).href)) as Partial<PluginModule>;
  if (typeof module.activate !== 'function') {
    throw new Error(`${options.main} does not export an activate(ctx) function`);
  }
  const { context, registrations } = createPluginContext(options);
  await module.activate(context);
  return {
    module: module as PluginModule,
    registrations,
    subscriptions: context.subscriptions,
    report: {
      registered: {
        metrics: [...registrations.metrics.keys()],
        operators: [...registrations.operators.keys()],
        workflows: [...registrations.workflows.keys()],
      },
      undeclared: registrations.undeclared,
    },
  };
}

/** The trusted tier: built-in plugins run in the engine's own thread (no time limit can stop a loop here). */
export class InProcessRuntime implements PluginRuntime {
  private loaded?: Awaited<ReturnType<typeof loadAndActivate>>;
  constructor(private readonly options: RuntimeOptions) {}

  async activate(): Promise<ActivationReport> {
    this.loaded = await loadAndActivate(this.options);
    return this.loaded.report;
  }

  async computeMetric(localId: string, items: MetricBatchItem[]): Promise<Array<[string, MetricOutcome]>> {
    return computeBatch(this.loaded!.registrations, localId, items);
  }

  callOperator(localId: string, factValue: unknown, value: unknown): unknown {
    const fn = this.loaded!.registrations.operators.get(localId);
    if (!fn) throw new PluginCallError('error', `the operator ${localId} was not registered by activate()`);
    return fn(factValue, value);
  }

  async runWorkflow(localId: string, delivery: unknown, timeoutMs = this.options.timeoutMs): Promise<void> {
    const fn = this.loaded!.registrations.workflows.get(localId);
    if (!fn) throw new PluginCallError('error', `the workflow ${localId} was not registered by activate()`);
    // The handler starts first, so its own timer (a webhook's) fires before the host's backstop.
    await withTimeout(Promise.resolve(fn(delivery as never)), timeoutMs, `the workflow ${localId}`);
  }

  async dispose(): Promise<void> {
    if (!this.loaded) return;
    const { module, subscriptions } = this.loaded;
    this.loaded = undefined;
    try {
      await withTimeout(Promise.resolve(module.deactivate?.()), this.options.timeoutMs, 'deactivate');
    } catch (e) {
      this.options.log.error(`deactivate failed: ${(e as Error).message}`);
    }
    disposeAll(subscriptions, (e) => this.options.log.error(`dispose failed: ${(e as Error).message}`));
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PluginCallError('timeout', `${what} ran past its time limit of ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
