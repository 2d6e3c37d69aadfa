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
  /**
   * Stable across retries, whatever the previous attempt's outcome: send it to the receiver
   * (the webhook sends an `Idempotency-Key` header) so that it can drop duplicates. An attempt
   * whose outcome is unknown may have arrived, and the next attempt carries the same key.
   */
  idempotencyKey: string;
  /** Which event: `case.opened`, `case.transitioned`, `checkin.due`, … */
  event: string;
  case: Readonly<Record<string, unknown>>;
  employee: Readonly<Record<string, unknown>>;
  /**
   * The rule's per-workflow config, validated against the workflow's `configSchema`.
   *
   * *Note* that a `timeoutMs` here is not a time limit: see {@link WorkflowHandler}.
   */
  config: Readonly<Record<string, unknown>>;
  /** 1 for the first attempt, counted on across retries (also retries by hand). */
  attempt: number;
}

/**
 * The code that starts the message of an error a workflow handler throws when the delivery
 * *may have been delivered*: the request may have reached the receiver, but no answer came
 * back (it timed out after sending, or the connection broke after sending). Write it followed
 * by a colon: `APPRAISE_WORKFLOW_OUTCOME_UNKNOWN: POST hooks.example.com/appraise got no answer
 * within 10000 ms; it may have been delivered`.
 */
export type WorkflowOutcomeUnknownCode = 'APPRAISE_WORKFLOW_OUTCOME_UNKNOWN';

/**
 * A workflow handler: delivers one event to wherever the workflow sends it.
 *
 * How the handler ends is the attempt's *outcome*, which admins see in `npx appraise outbox`
 * and `GET /api/outbox` (each attempt, its outcome and its error):
 *
 * - **Resolve**: `delivered`. Resolve only once the receiver has accepted the delivery.
 * - **Throw an error whose message starts `APPRAISE_WORKFLOW_OUTCOME_UNKNOWN:`**: `unknown`,
 *   meaning *may have been delivered*. Throw it when the request may have reached the receiver
 *   but you cannot tell (no answer within your time limit, the connection lost after sending).
 *   The delivery is retried with backoff, carrying the same
 *   {@link WorkflowDelivery.idempotencyKey} (the webhook sends it as `Idempotency-Key`); the
 *   outbox counts it among the delivery's unknown attempts, and if the delivery gives up, it is
 *   marked dead with a last error that starts "may have been delivered" and tells the admin to
 *   look for that key at the receiver before retrying it by hand. Only the message counts, so
 *   it works the same in a plugin running in its own thread; put the code first, exactly.
 * - **Throw anything else**: `failed`, meaning *not delivered* (the receiver refused it, or it
 *   could not be reached before anything was sent). Retried with backoff and the same key up
 *   to `workflows.maxAttempts` attempts (8 by default), then marked dead with your message as
 *   its last error. Say what happened in the message ("POST host/path answered 503"): it is
 *   what the admin reads. (A message starting `APPRAISE_WORKFLOW_HOST_NOT_ALLOWED` or
 *   `APPRAISE_WORKFLOW_UNSIGNED_WEBHOOK` is `refused`, never sent: dead at once, no retries.)
 *
 * The host also records `unknown` by itself when the handler runs past its time limit or its
 * plugin's thread dies during the call, and when the worker running the attempt stopped before
 * reporting it.
 *
 * **Time limit.** One attempt may run for the `timeoutMs` setting (milliseconds) of the plugin
 * that contributes the workflow, `plugins.settings.<plugin id>.timeoutMs` in
 * appraise.config.yaml, given to `activate` in {@link PluginContext.settings}; without it, for
 * `plugins.timeoutMs` (the limit of any call into plugin code, 10000 by default). The setting
 * applies to every workflow the plugin contributes; there is no per-workflow or per-rule
 * timeout, and a `timeoutMs` in a rule's workflow config ({@link WorkflowDelivery.config}) is
 * ignored as a time limit. Declare it in the manifest's `configuration` schema (an integer,
 * like the built-in webhook's). A configured `timeoutMs` longer than `plugins.timeoutMs` cannot
 * be honoured: the plugin is disabled at load with `APPRAISE_WORKFLOW_TIMEOUT_TOO_LONG`, naming
 * both settings (a schema *default* above the limit just yields to it; without a
 * `configuration` schema a longer value is cut to the limit).
 *
 * *Note* that the host does not cancel a handler at its time limit: it records the attempt as
 * `unknown` and stops waiting, while the handler's promise runs on unobserved (a plugin thread
 * that then stops answering is stopped). Apply the same limit to your own I/O, as the webhook
 * does with `fetch(url, { signal: AbortSignal.timeout(settings.timeoutMs) })`, and throw your
 * own `APPRAISE_WORKFLOW_OUTCOME_UNKNOWN:` error, so that the admin reads what happened.
 *
 * @example
 * ```ts
 * export function activate(ctx: PluginContext): void {
 *   const timeoutMs = (ctx.settings.timeoutMs as number | undefined) ?? 10_000;
 *   ctx.subscriptions.push(ctx.workflows.register('notify', async (delivery) => {
 *     let res: Response;
 *     try {
 *       res = await fetch(String(ctx.settings.url), {
 *         method: 'POST',
 *         headers: { 'content-type': 'application/json', 'idempotency-key': delivery.idempotencyKey },
 *         body: JSON.stringify({ event: delivery.event, case: delivery.case }),
 *         signal: AbortSignal.timeout(timeoutMs),
 *       });
 *     } catch (e) {
 *       if ((e as Error).name === 'TimeoutError') {
 *         throw new Error(`APPRAISE_WORKFLOW_OUTCOME_UNKNOWN: no answer within ${timeoutMs} ms; it may have been delivered`);
 *       }
 *       throw e; // not delivered (plugins/webhook also tells a refused connection from one lost after sending)
 *     }
 *     if (!res.ok) throw new Error(`the receiver answered ${res.status}`);
 *   }));
 * }
 * ```
 */
export type WorkflowHandler = (delivery: WorkflowDelivery) => Promise<void> | void;

/**
 * A cursor: where the next sync of a source starts. Whatever JSON the source needs (a vendor's
 * `after_cursor`, a high-water mark of modification times); `null` the first time. The host
 * stores it in the same transaction as the records of the batch that returned it, so a sync
 * killed midway resumes from the last batch that was committed, never skipping or repeating one.
 */
export type SourceCursor = Readonly<Record<string, unknown>> | null;

/** A person as the vendor knows them (a help-desk agent, a CRM user). */
export interface SourceEmployee {
  /** The vendor's own id of the person; records name the person by it ({@link SourceRecord.person}). */
  id: string;
  name: string;
  /** How the host matches the person to an employee already on file (case-insensitive). */
  email?: string;
  /** The id your HR system gives them, when the vendor stores it (Zendesk `external_id`). */
  employeeId?: string;
  role?: string;
  team?: string;
  department?: string;
  location?: string;
  /** false when the vendor says they are suspended or deactivated. */
  active?: boolean;
}

/** One record a source read, of a record kind its manifest says the source produces. */
export interface SourceRecord {
  /** Qualified record kind id (`support.ticket`). */
  kind: string;
  /**
   * The vendor's stable id of this record (`ticket-4711`). The host stores it as the record's
   * external id, prefixed with the source's name, so a second sync of the same record adds nothing.
   */
  id: string;
  /** The {@link SourceEmployee.id} of the person the record is about (the ticket's assignee). */
  person: string;
  /** When it happened, ISO-8601 with an offset: the record's time as its kind defines it. */
  occurredAt: string;
  /** Valid against the kind's schema; a record that is not is set aside and reported, never half-stored. */
  payload: Record<string, unknown>;
}

/** What one call of {@link SourceImplementation.sync} returns: one batch, stored in one transaction. */
export interface SourceBatch {
  records: SourceRecord[];
  /** People seen in this batch (agents, CRM users), matched to employees or added. */
  employees?: SourceEmployee[];
  /**
   * Records the vendor reports deleted since the cursor. Appraise keeps what it stored (an audit
   * may need it) and reports them; a deleted record not stored yet is never stored.
   */
  deleted?: Array<{ kind: string; id: string }>;
  /** Where the next call starts; stored with this batch. */
  nextCursor: SourceCursor;
  /** true when the vendor says there is nothing more for now (end of stream). */
  done: boolean;
  /** Counts or remarks for the admin ("12 tickets still open, stored once solved"). */
  notes?: string[];
}

/** A response as {@link SourceSyncContext.request} returns it: a read body, never a stream. */
export interface SourceResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  /** The body parsed as JSON when it is JSON, else its text. */
  body: unknown;
}

/** What a source's `sync` receives. */
export interface SourceSyncContext {
  /** The source's settings from appraise.config.yaml (`sources.<name>.settings`), validated against its `settingsSchema`. */
  readonly settings: Readonly<Record<string, unknown>>;
  /**
   * The credentials the manifest declares, resolved from the environment or the secrets file.
   * Never log them or put them in an error message or a record: the host redacts every value it
   * resolved from what it logs and shows, but a transformed form (base64 of `user:token`) it
   * cannot recognise unless you build it with {@link SourceSyncContext.basicAuth}.
   */
  readonly credentials: Readonly<Record<string, string>>;
  /**
   * An HTTP request that honours the vendor's rate limits: a 429 (or a 503 with `Retry-After`)
   * is waited out as `Retry-After` says (seconds or an HTTP date), else with exponential backoff,
   * and tried again; after the source's `maxRetries` it rejects with an error whose message
   * starts `APPRAISE_SOURCE_RATE_LIMITED:`. Other statuses are returned as they are.
   */
  request(url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }): Promise<SourceResponse>;
  /** `Basic base64(user:password)`, remembered as a secret so the host can redact it too. */
  basicAuth(user: string, password: string): string;
  readonly log: PluginLogger;
}

/**
 * A source: reads one vendor's data incrementally. The host calls `sync` with the cursor it
 * stored last (null the first time), stores the batch and its `nextCursor` in one transaction,
 * and calls again until the batch says `done`. Return batches of a few hundred to a few thousand
 * records (a vendor's page): a batch is the unit that a killed sync loses and redoes.
 *
 * `sync` must be deterministic for a cursor: called twice with the same cursor, it returns the
 * same records (the vendor's data permitting), so that redoing a batch is harmless.
 */
export interface SourceImplementation {
  sync(ctx: SourceSyncContext, cursor: SourceCursor): Promise<SourceBatch>;
}

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
  /** Sources (connectors) the manifest declares under `contributes.sources`. */
  readonly sources: ContributionRegistry<SourceImplementation>;
  readonly log: PluginLogger;
}

/** The shape of a plugin's entry module. */
export interface PluginModule {
  /** Called once, the first time one of the plugin's contributions is needed. */
  activate(ctx: PluginContext): void | Promise<void>;
  /** Called on shutdown or when the plugin is disabled; errors are logged, not rethrown. */
  deactivate?(): void | Promise<void>;
}
