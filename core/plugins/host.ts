// The plugin host: owns every plugin's lifecycle. Activation is lazy and derived from the
// contributions (a plugin's code loads the first time one of its code contributions is
// needed; a data-only plugin never loads code). Every failure — activation, a throwing or
// hanging metric, a wrong return type, a crashing thread — is caught, recorded against the
// plugin with its message and stack, and costs only the facts that depended on it.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';
import { ajv } from '../policy/schema-check.ts';
import type { PluginLogger, SourceCursor } from './api.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { redactSecrets } from '../config/secrets.ts';
import type { SourceLimits } from '../sources/request.ts';
import type { SourceCallResult } from './runtime.ts';
import type { DeclaredIds } from './context.ts';
import type { PluginEntry, PluginSet } from './discovery.ts';
import { InProcessRuntime, PluginCallError, type MetricBatchItem, type MetricOutcome, type PluginRuntime } from './runtime.ts';
import { WorkerRuntime } from './worker-runtime.ts';

export interface HostOptions {
  /** Plugin ids whose code runs in-process. */
  trusted?: string[];
  /** Run built-in plugins in workers too (default: they are trusted). */
  isolateBuiltins?: boolean;
  timeoutMs?: number;
  settings?: Record<string, Record<string, unknown>>;
  /** For tests: the clock of the crash-rate rule. */
  now?: () => number;
  log?: (pluginId: string, level: 'info' | 'warn' | 'error', message: string) => void;
}

/** VS Code's rule: a host that crashes 3 times in 5 minutes is not restarted again. */
export const CRASH_LIMIT = 3;
export const CRASH_WINDOW_MS = 5 * 60 * 1000;

interface Live {
  runtime: PluginRuntime;
  activation?: Promise<boolean>;
  crashes: number[];
  settings: Record<string, unknown>;
}

export class PluginHost {
  private readonly live = new Map<string, Live>();
  private readonly byId: Map<string, PluginEntry>;
  readonly diagnostics: Diagnostic[];

  constructor(
    readonly set: PluginSet,
    private readonly options: HostOptions = {},
  ) {
    this.byId = new Map(set.plugins.map((p) => [p.id, p]));
    this.diagnostics = [...set.diagnostics];
    for (const p of set.plugins) this.checkSettings(p);
  }

  get plugins(): readonly PluginEntry[] {
    return this.set.plugins;
  }

  get registry() {
    return this.set.registry;
  }

  plugin(id: string): PluginEntry | undefined {
    return this.byId.get(id);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private record(p: PluginEntry, code: ErrorCode, message: string, stack?: string): void {
    p.problems.push({ code, message, ...(stack ? { stack } : {}), at: new Date(this.now()).toISOString() });
    if (p.problems.length > 200) p.problems.splice(0, p.problems.length - 200);
  }

  private checkSettings(p: PluginEntry): void {
    const schema = p.manifest?.configuration;
    const given = this.options.settings?.[p.id] ?? {};
    if (!schema || p.state === 'disabled') return;
    const withDefaults: Record<string, unknown> = { ...given };
    for (const [k, s] of Object.entries((schema.properties ?? {}) as Record<string, { default?: unknown }>)) {
      if (withDefaults[k] === undefined && s.default !== undefined) withDefaults[k] = s.default;
    }
    const validate = ajv().compile(schema);
    if (!validate(withDefaults)) {
      const why = (validate.errors ?? []).map((e) => `${e.instancePath || 'settings'} ${e.message}`).join('; ');
      p.state = 'disabled';
      p.reason = `its settings in plugins.settings.${p.id} are invalid: ${why}`;
      this.record(p, 'APPRAISE_PLUGIN_BAD_SETTINGS', p.reason);
    } else if (p.manifest!.workflows.length && typeof withDefaults.timeoutMs === 'number' && withDefaults.timeoutMs > this.callLimitMs && given.timeoutMs === undefined) {
      // The schema's default is nobody's choice: it yields to a lower call limit.
      withDefaults.timeoutMs = this.callLimitMs;
    } else if (p.manifest!.workflows.length && typeof withDefaults.timeoutMs === 'number' && withDefaults.timeoutMs > this.callLimitMs) {
      // Cutting a configured timeout short would be a silent override: refuse instead.
      p.state = 'disabled';
      p.reason = `its timeoutMs of ${withDefaults.timeoutMs} ms is longer than the plugin call limit of ${this.callLimitMs} ms (plugins.timeoutMs); raise plugins.timeoutMs to at least ${withDefaults.timeoutMs} or lower the timeout`;
      this.record(p, 'APPRAISE_WORKFLOW_TIMEOUT_TOO_LONG', p.reason);
    }
    (p as PluginEntry & { settings?: Record<string, unknown> }).settings = withDefaults;
  }

  /** The longest a call into plugin code may run (plugins.timeoutMs). */
  get callLimitMs(): number {
    return this.options.timeoutMs ?? 10000;
  }

  /** A plugin's settings as validated, with its schema's defaults filled in. */
  settingsOf(pluginId: string): Readonly<Record<string, unknown>> {
    const p = this.byId.get(pluginId) as (PluginEntry & { settings?: Record<string, unknown> }) | undefined;
    return p?.settings ?? this.options.settings?.[pluginId] ?? {};
  }

  /**
   * The time limit of one delivery attempt of a workflow: its plugin's `timeoutMs` setting (a
   * webhook's), else the plugin call limit. Never longer than the call limit: a longer setting
   * disables the plugin at load with APPRAISE_WORKFLOW_TIMEOUT_TOO_LONG.
   */
  workflowTimeoutMs(workflowId: string): number {
    const info = this.set.registry.workflows.get(workflowId);
    const own = info ? this.settingsOf(info.plugin).timeoutMs : undefined;
    return typeof own === 'number' && own > 0 ? Math.min(own, this.callLimitMs) : this.callLimitMs;
  }

  private isTrusted(p: PluginEntry): boolean {
    if (this.options.trusted?.includes(p.id)) return true;
    return p.builtin && !this.options.isolateBuiltins;
  }

  private logger(id: string): PluginLogger {
    const log = this.options.log ?? (() => {});
    return {
      info: (m) => log(id, 'info', m),
      warn: (m) => log(id, 'warn', m),
      error: (m) => log(id, 'error', m),
    };
  }

  private declared(p: PluginEntry): DeclaredIds {
    const local = (id: string) => id.slice(p.id.length + 1);
    const m = p.manifest!;
    return {
      metrics: m.metrics.map((x) => local(x.id)),
      operators: m.operators.map((x) => local(x.id)),
      workflows: m.workflows.map((x) => local(x.id)),
      sources: (m.sources ?? []).map((x) => local(x.id)),
    };
  }

  /** Activates a plugin once; resolves false (with the reason recorded) when it cannot be used. */
  async ensureActive(pluginId: string): Promise<boolean> {
    const p = this.byId.get(pluginId);
    if (!p || p.state === 'disabled' || p.state === 'failed' || !p.manifest) return false;
    if (!p.manifest.main) return true; // data only: nothing to load, "NOT AN ERROR CASE"
    let live = this.live.get(pluginId);
    if (!live) {
      const settings = (p as PluginEntry & { settings?: Record<string, unknown> }).settings ?? {};
      const runtimeOptions = {
        pluginId,
        main: p.manifest.main,
        extensionPath: p.folder,
        settings,
        declared: this.declared(p),
        timeoutMs: this.callLimitMs,
        log: this.logger(pluginId),
      };
      const crashes: number[] = [];
      const runtime = this.isTrusted(p)
        ? new InProcessRuntime(runtimeOptions)
        : new WorkerRuntime(runtimeOptions, (kind, message) => this.onCrash(p, kind, message));
      live = { runtime, crashes, settings };
      this.live.set(pluginId, live);
    }
    live.activation ??= this.activate(p, live);
    return live.activation;
  }

  private async activate(p: PluginEntry, live: Live): Promise<boolean> {
    try {
      const report = await live.runtime.activate();
      const declared = this.declared(p);
      for (const u of report.undeclared) {
        this.record(p, 'APPRAISE_PLUGIN_UNDECLARED_REGISTRATION', `activate() registered the ${u.kind.replace(/s$/, '')} \`${u.id}\`, which package.json does not declare.`);
      }
      const codeMetrics = p.manifest!.metrics.filter((m) => m.aggregate === undefined).map((m) => m.id.slice(p.id.length + 1));
      const expected: Array<[keyof DeclaredIds, string[]]> = [['metrics', codeMetrics], ['operators', declared.operators], ['workflows', declared.workflows], ['sources', declared.sources ?? []]];
      for (const [kind, ids] of expected) {
        for (const id of ids) {
          if (!(report.registered[kind] ?? []).includes(id)) {
            this.record(p, 'APPRAISE_PLUGIN_UNREGISTERED_CONTRIBUTION', `package.json declares the ${kind.replace(/s$/, '')} \`${id}\`, but activate() did not register it.`);
          }
        }
      }
      p.state = 'active';
      return true;
    } catch (e) {
      const err = e as PluginCallError;
      p.state = 'failed';
      p.reason = `activate() failed: ${err.message}`;
      this.record(p, err.kind === 'timeout' ? 'APPRAISE_PLUGIN_TIMEOUT' : 'APPRAISE_PLUGIN_ACTIVATION_FAILED', p.reason, err.pluginStack ?? err.stack);
      return false;
    }
  }

  private onCrash(p: PluginEntry, kind: 'timeout' | 'crash', message: string): void {
    const live = this.live.get(p.id);
    this.record(p, kind === 'timeout' ? 'APPRAISE_PLUGIN_TIMEOUT' : 'APPRAISE_PLUGIN_CRASHED', message);
    if (!live) return;
    const now = this.now();
    live.crashes.push(now);
    while (live.crashes.length && live.crashes[0] < now - CRASH_WINDOW_MS) live.crashes.shift();
    // The next call restarts the thread and activates the plugin again.
    live.activation = undefined;
    if (live.crashes.length >= CRASH_LIMIT) {
      p.state = 'disabled';
      p.reason = `its host stopped ${live.crashes.length} times within 5 minutes (last: ${message}); it is disabled until the server restarts`;
      this.record(p, 'APPRAISE_PLUGIN_DISABLED', p.reason);
    } else if (p.state === 'active') {
      p.state = 'inactive';
    }
  }

  /**
   * Computes a code metric for a batch of employees in one call. Never throws: every failure
   * becomes an `error` outcome for the employees of the batch, recorded against the plugin.
   */
  async computeMetric(metricId: string, items: MetricBatchItem[]): Promise<Map<string, MetricOutcome>> {
    const metric = this.set.metrics.get(metricId);
    const out = new Map<string, MetricOutcome>();
    const failAll = (message: string) => {
      for (const i of items) out.set(i.employeeId, { status: 'error', message });
      return out;
    };
    if (!metric) return failAll(`no enabled plugin contributes the metric ${metricId}`);
    const p = this.byId.get(metric.plugin)!;
    if (!(await this.ensureActive(p.id))) return failAll(`the plugin ${p.id} is ${p.state}: ${p.reason ?? ''}`.trim());
    const live = this.live.get(p.id)!;
    try {
      const results = await live.runtime.computeMetric(metricId.slice(p.id.length + 1), items);
      let reported = 0;
      for (const [employeeId, outcome] of results) {
        out.set(employeeId, outcome);
        if (outcome.status === 'error' && reported++ < 5) {
          this.record(p, 'APPRAISE_PLUGIN_METRIC_FAILED', `${metricId} for employee ${employeeId} ${outcome.message}`, outcome.stack);
        }
      }
      for (const i of items) if (!out.has(i.employeeId)) out.set(i.employeeId, { status: 'error', message: 'no result returned' });
      return out;
    } catch (e) {
      const err = e as PluginCallError;
      if (err.kind !== 'timeout' && err.kind !== 'crash') this.record(p, 'APPRAISE_PLUGIN_METRIC_FAILED', `${metricId}: ${err.message}`, err.pluginStack ?? err.stack);
      return failAll(`${metricId}: ${err.message}`);
    }
  }

  /**
   * Synchronous implementations of plugin operators for the rules engine, activating their
   * plugins first. A failing call throws (the evaluator turns it into "undecided") and is recorded.
   */
  async operatorImplementations(ids: string[]): Promise<Map<string, (a: unknown, b: unknown) => unknown>> {
    const out = new Map<string, (a: unknown, b: unknown) => unknown>();
    for (const id of ids) {
      const info = this.set.registry.operators.get(id);
      if (!info) continue;
      const p = this.byId.get(info.plugin)!;
      if (!(await this.ensureActive(p.id))) continue;
      const local = id.slice(p.id.length + 1);
      out.set(id, (a, b) => {
        const live = this.live.get(p.id);
        if (!live || p.state !== 'active') throw new Error(`the plugin ${p.id} is ${p.state}`);
        try {
          const r = live.runtime.callOperator(local, a, b);
          if (typeof r !== 'boolean') throw new Error(`returned ${JSON.stringify(r)}, not a boolean`);
          return r;
        } catch (e) {
          const err = e as PluginCallError;
          this.record(p, err.kind === 'timeout' ? 'APPRAISE_PLUGIN_TIMEOUT' : 'APPRAISE_PLUGIN_OPERATOR_FAILED', `operator ${id}: ${err.message}`, err.pluginStack ?? err.stack);
          throw e;
        }
      });
    }
    return out;
  }

  /**
   * Runs a workflow handler within the workflow's timeout; rejects with the plugin's error (a
   * time-out as a PluginCallError of kind `timeout`) so the outbox can retry.
   */
  async runWorkflow(workflowId: string, delivery: unknown): Promise<void> {
    const info = this.set.registry.workflows.get(workflowId);
    if (!info) throw new Error(`no enabled plugin contributes the workflow ${workflowId}`);
    const p = this.byId.get(info.plugin)!;
    if (!(await this.ensureActive(p.id))) throw new Error(`the plugin ${p.id} is ${p.state}: ${p.reason ?? ''}`);
    const live = this.live.get(p.id);
    if (!live) throw new Error(`the plugin ${p.id} has no code to run the workflow ${workflowId}`);
    await live.runtime.runWorkflow(workflowId.slice(p.id.length + 1), delivery, this.workflowTimeoutMs(workflowId));
  }

  /**
   * One batch of a source: activates its plugin (lazily, once) and calls the registered `sync`
   * where the plugin's code runs (in-process when trusted, else its own thread), within the
   * batch's time limit (sourceBatchLimitMs: the source's request limit, retries and rate-limit
   * waits, not plugins.timeoutMs). Rejects with an AppraiseError whose code is the one the
   * plugin's message starts with (APPRAISE_SOURCE_AUTH_FAILED: …), else SOURCE_TIMEOUT,
   * SOURCE_SYNC_FAILED or SOURCE_UNAVAILABLE; its message never holds a resolved credential.
   */
  async runSourceSync(sourceId: string, input: { settings: Record<string, unknown>; credentials: Record<string, string>; limits: SourceLimits }, cursor: SourceCursor): Promise<SourceCallResult> {
    const info = this.set.sources?.get(sourceId);
    if (!info) throw new AppraiseError('APPRAISE_SOURCE_UNKNOWN', `No enabled plugin contributes the source ${sourceId}; \`npx appraise plugins\` lists the sources.`);
    const p = this.byId.get(info.plugin)!;
    if (!(await this.ensureActive(p.id))) {
      throw new AppraiseError('APPRAISE_SOURCE_UNAVAILABLE', redactSecrets(`The plugin ${p.id} of the source ${sourceId} is ${p.state}${p.reason ? `: ${p.reason}` : ''}. \`npx appraise plugins\` shows why.`));
    }
    const live = this.live.get(p.id);
    if (!live) throw new AppraiseError('APPRAISE_SOURCE_UNAVAILABLE', `The plugin ${p.id} has no code to run the source ${sourceId}.`);
    const limitMs = sourceBatchLimitMs(input.limits);
    try {
      return await live.runtime.runSource(info.localId, input, cursor, limitMs);
    } catch (e) {
      const err = e as PluginCallError;
      const message = redactSecrets(err.message ?? String(e));
      const coded = /^(APPRAISE_SOURCE_[A-Z_]+):\s*([\s\S]*)$/.exec(message);
      if (coded) throw new AppraiseError(coded[1] as ErrorCode, coded[2]);
      if (err.kind === 'timeout') {
        throw new AppraiseError('APPRAISE_SOURCE_TIMEOUT', `One batch of ${sourceId} ran past its time limit of ${Math.round(limitMs / 1000)} s and was stopped; nothing of it was stored, and the next sync resumes from the last stored batch. Raise the source's limits.timeoutMs if the vendor is slow.`);
      }
      this.record(p, 'APPRAISE_SOURCE_SYNC_FAILED', `source ${sourceId}: ${message}`, err.pluginStack ? redactSecrets(err.pluginStack) : undefined);
      throw new AppraiseError('APPRAISE_SOURCE_SYNC_FAILED', `The source ${sourceId} failed ${err.kind === 'crash' ? 'because its plugin stopped' : 'in its plugin'}: ${message}. Nothing of the batch under way was stored; the next sync resumes from the last stored batch.`);
    }
  }

  /** Deactivates every plugin; errors are logged, never rethrown; bounded by the time limit. */
  async dispose(): Promise<void> {
    await Promise.all([...this.live.values()].map((l) => l.runtime.dispose().catch(() => {})));
    this.live.clear();
    for (const p of this.set.plugins) if (p.state === 'active') p.state = 'inactive';
  }
}

/**
 * The time limit of one batch of a source: every try of one request (its own limit each) and
 * the longest rate-limit waits the source allows between them, plus one request's limit more for
 * the plugin's own work (a second request per page). A batch that takes longer is stopped with
 * APPRAISE_SOURCE_TIMEOUT.
 */
export function sourceBatchLimitMs(limits: SourceLimits): number {
  return (limits.maxRetries + 2) * limits.timeoutMs + limits.maxRetries * limits.maxWaitSeconds * 1000;
}
