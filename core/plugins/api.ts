/**
 * The Appraise plugin API: the only module a plugin needs (`import type { … } from
 * 'appraise/plugin-api'`). Everything a plugin does goes through the {@link PluginContext} that
 * `activate` receives; a plugin never reaches into the core.
 *
 * A plugin is a folder with a `package.json` whose `appraise` field declares what it contributes
 * (record kinds, metrics, operators, workflows, configuration). The host validates that manifest
 * before any code runs, loads the plugin's `main` lazily — the first time one of its
 * contributions is needed — and calls {@link PluginModule.activate}. A plugin without `main` is
 * data only: its declarative metrics need no code.
 *
 * @example
 * ```ts
 * import type { PluginContext } from 'appraise/plugin-api';
 *
 * export function activate(ctx: PluginContext): void {
 *   ctx.subscriptions.push(
 *     ctx.metrics.register('escalation-rate', {
 *       compute({ records }) {
 *         if (records.length === 0) return { insufficient: true, samples: 0 };
 *         return records.filter((r) => r.payload.escalated === true).length / records.length;
 *       },
 *     }),
 *   );
 * }
 * ```
 */

/** The version of this API; a plugin's `engines.appraise` range is checked against it. */
export const PLUGIN_API_VERSION = '1.0.0';

/** Something that can be undone: a registration, a timer, a connection. */
export interface Disposable {
  dispose(): void;
}

/** One imported record as a metric implementation sees it. */
export interface MetricRecord {
  /** When it happened, ISO-8601 in UTC. Always inside the requested window. */
  occurredAt: string;
  /** The payload, valid against the record kind's schema. */
  payload: Readonly<Record<string, unknown>>;
}

/** The half-open window `[from, to)` a metric is computed over, ISO-8601 instants in UTC. */
export interface MetricWindow {
  from: string;
  to: string;
}

/** What a code metric receives for one employee. */
export interface MetricInput<P = Record<string, unknown>> {
  /** The records of the metric's `recordKind` inside the window, oldest first. */
  records: readonly MetricRecord[];
  /**
   * Records of the other kinds the manifest lists in `reads`, by qualified kind id
   * (`customer-feedback.survey`), fetched from `window.from − extendBackBy` to `window.to`.
   */
  related: Readonly<Record<string, readonly MetricRecord[]>>;
  /** The params the policy gave, validated against the metric's `paramsSchema`, defaults applied. */
  params: Readonly<P>;
  window: MetricWindow;
}

/** "Not enough data to say": never read as a low or a high value. */
export interface InsufficientData {
  insufficient: true;
  /** How many usable samples there were. */
  samples: number;
  /** Why, in a few words ("no survey after the training"). */
  reason?: string;
}

/** A metric value, optionally with its sample count (used against `minSamples`). */
export type MetricResult = number | { value: number; samples: number } | InsufficientData;

/**
 * A metric computed in code.
 *
 * *Note* that the engine calls {@link compute} once per employee, but batches all employees of a
 * run into one call across the plugin boundary: do not query anything per employee yourself.
 * `compute` must be synchronous, pure and fast; it runs under a time limit.
 */
export interface MetricImplementation<P = Record<string, unknown>> {
  /**
   * @param input the employee's records in the window and the validated params
   * @returns a finite number, or {@link InsufficientData}
   * @throws anything: the error is recorded against the plugin and the employee's fact becomes
   *   "error" (rules on it are indeterminate), never a value
   */
  compute(input: MetricInput<P>): MetricResult;
}

/**
 * A custom rule operator: compares a fact value with the value in the condition. Missing data
 * never reaches it (the engine decides "cannot tell" first); returning anything but a boolean,
 * or throwing, makes the condition undecided.
 */
export type OperatorImplementation = (factValue: unknown, value: unknown) => boolean;

/** What a workflow handler receives when a case fires it. */
export interface WorkflowDelivery {
  /** Stable across retries: receivers drop duplicates by it. */
  idempotencyKey: string;
  /** Which event: `case.opened`, `case.transitioned`, `checkin.due`, … */
  event: string;
  case: Readonly<Record<string, unknown>>;
  employee: Readonly<Record<string, unknown>>;
  /** The rule's per-workflow config, validated against the workflow's `configSchema`. */
  config: Readonly<Record<string, unknown>>;
  attempt: number;
}

/**
 * A workflow handler. Resolve when the delivery is done; reject (or throw) to have it retried
 * with backoff, up to the configured limit, after which it is marked dead.
 */
export type WorkflowHandler = (delivery: WorkflowDelivery) => Promise<void> | void;

/** A registry of implementations for contributions the manifest declared. */
export interface ContributionRegistry<T> {
  /**
   * Registers the implementation of a contribution declared in the manifest.
   *
   * @param id the local id as written in the manifest (`csat`, not `customer-feedback.csat`)
   * @returns a Disposable that unregisters it; push it to `ctx.subscriptions`
   *
   * *Note* that an `id` the manifest does not declare is ignored and reported against the
   * plugin, as are declared ids left unregistered after `activate`.
   */
  register(id: string, implementation: T): Disposable;
}

export interface PluginLogger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** What `activate` receives. It is frozen: keep what you need, do not extend it. */
export interface PluginContext {
  /** The plugin id (its package name). */
  readonly pluginId: string;
  /** The absolute path of the plugin's folder. */
  readonly extensionPath: string;
  /** The plugin's settings from appraise.config.yaml, validated against its `configuration` schema. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Disposables disposed, in reverse order, when the plugin is deactivated. */
  readonly subscriptions: Disposable[];
  readonly metrics: ContributionRegistry<MetricImplementation>;
  readonly operators: ContributionRegistry<OperatorImplementation>;
  readonly workflows: ContributionRegistry<WorkflowHandler>;
  readonly log: PluginLogger;
}

/** The shape of a plugin's entry module. */
export interface PluginModule {
  /** Called once, the first time one of the plugin's contributions is needed. */
  activate(ctx: PluginContext): void | Promise<void>;
  /** Called on shutdown or when the plugin is disabled; errors are logged, not rethrown. */
  deactivate?(): void | Promise<void>;
}
