// The application: config, store, plugins and the services built on them (runs with their act
// phase, the outbox dispatcher, the scheduler). The CLI's `worker`, the server and tests share
// it, so that a run started by hand, by a schedule or over HTTP is the same run.
import { randomUUID } from 'node:crypto';
import { storeFolder, type AppConfig } from '../config/config.ts';
import { decisionLogOption } from '../compliance/decision-log/file-sink.ts';
import type { LogLine } from '../compliance/decision-log/entry.ts';
import { redactSecrets } from '../config/secrets.ts';
import { Cron } from 'croner';
import { DEFAULT_PURGE_SCHEDULE, purgeExpired } from '../compliance/retention/purge.ts';
import { migrate } from '../store/migrate.ts';
import { ensureRecordLayouts } from '../records/typed-tables.ts';
import { openStore, type Store } from '../store/store.ts';
import type { PluginSet } from '../plugins/discovery.ts';
import type { PluginHost } from '../plugins/host.ts';
import { hostFromConfig, pluginSetFromConfig } from '../plugins/host-from-config.ts';
import { noticesOf, openCases } from '../cases/open-cases.ts';
import { queueDueEvents } from '../cases/transitions.ts';
import { proposePipOutcomes } from '../people/goals/outcome.ts';
import type { ProgressDeps } from '../people/goals/progress.ts';
import { publishedPolicies } from '../run/sources.ts';
import { runPolicies, type RunResult } from '../run/run.ts';
import { markInterrupted } from '../run/run-lock.ts';
import { markInterruptedSyncs } from '../sources/sync-log.ts';
import { syncSource, type SyncOptions, type SyncResult } from '../sources/run-sync.ts';
import { startSourceScheduler } from '../sources/scheduler.ts';
import { resumeInterrupted, startScheduler } from '../run/scheduler.ts';
import { listPolicies } from '../policy/versions.ts';
import { noticeContextOf, type NoticeContext } from '../compliance/notices/record.ts';
import { startDispatcher, type DispatcherOptions } from '../workflows/dispatcher.ts';
import { createWorkflowRunner } from '../workflows/runner.ts';
import { formatDiagnostic } from '../diagnostics/diagnostic.ts';
import { Notifier } from '../notifications/notifier.ts';
import { TemplateSet } from '../notifications/template-set.ts';
import { templatesDirOf } from '../notifications/settings.ts';
import { gatherDigests } from '../notifications/digest.ts';
import { queueReviewReminders } from '../notifications/people-events.ts';

export interface OpenOptions {
  config: AppConfig;
  dataDir?: string;
  databaseUrl?: string;
  schema?: string;
  extraPluginDirs?: string[];
  log?: (message: string) => void;
  /** Share the embedded store with other Appraise processes on this machine (serve, worker). */
  share?: boolean;
  /** Told when the store is busy with another process and this one waits for it. */
  onWait?: (message: string) => void;
}

export class Appraise {
  private constructor(
    readonly config: AppConfig,
    readonly store: Store,
    readonly plugins: PluginSet,
    readonly host: PluginHost,
    private readonly log: (message: string) => void,
    /** Email notices: templates, preferences, SMTP (core/notifications). */
    readonly notifier: Notifier,
  ) {}

  static async open(o: OpenOptions): Promise<Appraise> {
    const sink = o.log ?? (() => {});
    // No log line carries a credential (core/config/secrets.ts).
    const log = (message: string) => sink(redactSecrets(message));
    const store = await openStore({ dataDir: storeFolder(o.config, o.dataDir), databaseUrl: o.databaseUrl, schema: o.schema, share: o.share, onWait: o.onWait, log });
    try {
      await migrate(store);
      for (const r of await markInterrupted(store)) log(`run ${r.id} was interrupted: the process running it stopped before it finished`);
      const syncs = await markInterruptedSyncs(store);
      if (syncs) log(`${syncs} source sync(s) were interrupted: the process running them stopped before they finished`);
    } catch (e) {
      await store.close();
      throw e;
    }
    const plugins = await pluginSetFromConfig(o.config, o.extraPluginDirs);
    try {
      // A store made before typed storage, or a plugin's newer schema: typed once, here.
      await ensureRecordLayouts(store, [...plugins.recordKinds.values()], log);
    } catch (e) {
      await store.close();
      throw e;
    }
    const host = hostFromConfig(o.config, plugins, (id, level, m) => log(`[${id}] ${level}: ${m}`));
    // A broken template is reported and the shipped one stays in force: notices keep going out.
    const templates = await TemplateSet.load(templatesDirOf(o.config));
    for (const d of templates.diagnostics) log(`notification template: ${formatDiagnostic(d)}`);
    return new Appraise(o.config, store, plugins, host, log, new Notifier(store, o.config, templates));
  }

  get registry() {
    return this.plugins.registry;
  }

  /** What the worker notice of a version going in force is generated from: the metric catalogue and the notice settings. */
  get noticeContext(): NoticeContext {
    return noticeContextOf(this);
  }

  /** Runs the published policies (all, or `policyIds`) with the act phase: cases and workflows. */
  async run(o: { asOf?: Date; view?: 'as-of' | 'latest'; policyIds?: string[]; trigger: 'manual' | 'schedule' | 'api'; dryRun?: boolean; runKey?: string; onStarted?: (runId: number) => void }): Promise<RunResult> {
    const asOf = o.asOf ?? new Date();
    const src = await publishedPolicies(this.store, this.registry, this.host, o.policyIds, this.config.policies.noticeDays ?? 0);
    for (const f of src.failures) this.log(`${f.policyId} v${f.version} no longer loads and was skipped: ${f.diagnostics.map((d) => d.message).join('; ')}`);
    const byId = new Map(src.policies.map((p) => [p.compiled.policy.metadata.id, p.compiled.policy]));
    const result = await runPolicies(this.store, {
      asOf,
      trigger: o.trigger,
      dryRun: o.dryRun ?? false,
      policies: src.policies,
      metrics: this.plugins.metrics,
      recordKinds: this.plugins.recordKinds,
      ...(o.view ? { view: o.view } : {}),
      host: this.host,
      ...(o.runKey ? { runKey: o.runKey } : {}),
      ...(o.onStarted ? { onStarted: o.onStarted } : {}),
      ...this.decisionLogOption('run'),
      act: async (store, runId, decisions, ids) =>
        (await openCases(store, runId, decisions, ids, { asOf, policies: byId, notices: noticesOf(src.policies), defaultWorkflows: this.config.workflows.defaults, coachingDueWithinDays: this.config.cases.coachingDueWithinDays })) as unknown as Record<string, unknown>,
    });
    // A run also proposes the outcome of PIPs past their end date, for stores without a worker.
    if (!o.dryRun) await this.proposePipOutcomes().catch((e) => this.log(`PIP outcomes: ${(e as Error).message}`));
    return result;
  }

  /**
   * The background work: the outbox dispatcher, time-driven case events, and the scheduler.
   * Returns a function that stops it all and waits for the current round.
   */
  startWorker(o: { dispatch?: boolean; schedule?: boolean; dispatcher?: Partial<DispatcherOptions>; intervalMs?: number } = {}): () => Promise<void> {
    const stops: Array<() => Promise<void> | void> = [];
    const workerId = `worker-${randomUUID().slice(0, 8)}`;
    if (o.dispatch !== false) {
      stops.push(startDispatcher(this.store, {
        workerId,
        maxAttempts: this.config.workflows.maxAttempts,
        run: createWorkflowRunner(this.store, this.host, this.notifier),
        intervalMs: o.intervalMs ?? 1000,
        onError: (e) => this.log(`dispatcher: ${(e as Error).message}`),
        ...o.dispatcher,
      }));
      const due = setInterval(() => {
        void queueDueEvents(this.store).catch((e) => this.log(`due events: ${(e as Error).message}`));
        // PIPs at their end date get the outcome their goals propose (HR confirms it).
        void this.proposePipOutcomes().catch((e) => this.log(`PIP outcomes: ${(e as Error).message}`));
        void this.queueNotices().catch((e) => this.log(`notices: ${(e as Error).message}`));
      }, 60_000);
      due.unref();
      stops.push(() => clearInterval(due));
    }
    if (o.schedule !== false) {
      void resumeInterrupted(this.store, (ids, asOf, runKey) => this.run({ asOf, policyIds: ids, trigger: 'schedule', runKey }))
        .then((keys) => keys.forEach((k) => this.log(`resumed interrupted run ${k}`)))
        .catch((e) => this.log(`resume: ${(e as Error).message}`));
      stops.push(startScheduler({
        schedules: async () => (await listPolicies(this.store)).filter((p) => p.schedule).map((p) => ({ policyId: p.policyId, schedule: p.schedule! })),
        runPolicy: (policyId, asOf, runKey) => this.run({ asOf, policyIds: [policyId], trigger: 'schedule', runKey }),
        onRun: (id, r) => this.log(`scheduled run ${r.run.id} of ${id}: ${JSON.stringify(r.run.summary.fired)}`),
        onError: (e) => this.log(`scheduler: ${(e as Error).message}`),
      }));
      if (Object.keys(this.config.sources ?? {}).length) {
        stops.push(startSourceScheduler({
          config: this.config,
          plugins: this.plugins,
          sync: (name, syncKey) => this.syncSource(name, { trigger: 'schedule', syncKey }),
          onSync: (r) => this.log(`scheduled sync ${r.syncId} of ${r.name}: ${r.status}${r.error ? ` ${r.error.code}: ${r.error.message}` : `, ${r.totals.inserted} new record(s)`}`),
          onSkip: (name, tick) => this.log(`scheduled sync of ${name} at ${tick.toISOString()} skipped: another sync of it is running or has run for this tick`),
          onError: (e) => this.log(`source scheduler: ${redactSecrets((e as Error).message)}`),
        }));
      }
    }
    const retention = this.config.compliance?.retention;
    if (o.schedule !== false && retention) {
      // Daily (by default): one process purges a tick, the others find the lock taken.
      const job = new Cron(retention.schedule ?? DEFAULT_PURGE_SCHEDULE, { timezone: 'UTC' }, async () => {
        const release = await this.store.tryLock('appraise-retention-purge');
        if (!release) return;
        try {
          const r = await purgeExpired(this.store, this.config, { actor: 'appraise (retention)' });
          this.log(`retention purge: ${r.deleted.records} records, ${r.deleted.decisions} decisions, ${r.deleted.audit} audit entries, ${r.deleted.decisionLogFiles} decision-log files deleted; ${r.pseudonymised.cases} cases pseudonymised`);
        } catch (e) {
          this.log(`retention purge: ${(e as Error).message}`);
        } finally {
          await release();
        }
      });
      stops.push(() => job.stop());
    }
    return async () => {
      for (const s of stops.reverse()) await s();
    };
  }

  /**
   * The decision log's writer when the config asks for one (`compliance.decisionLogs`), for runs
   * and, unless turned off, previews; spread into the run's or the preview's options.
   */
  decisionLogOption(kind: 'run' | 'preview'): { decisionLog?: (lines: LogLine[]) => Promise<string> } {
    return decisionLogOption(this.config, kind);
  }

  /** One sync of a configured source (core/sources/run-sync.ts), with this application's store, plugins and config. */
  syncSource(name: string, o: SyncOptions): Promise<SyncResult> {
    return syncSource({ store: this.store, host: this.host, config: this.config, plugins: this.plugins }, name, o);
  }

  /** Time-driven notices: self-assessments coming due, and the daily digests whose hour has come. */
  async queueNotices(now = new Date()): Promise<{ reminders: number; digests: number }> {
    const people = this.config.notifications.people;
    const reminders = await queueReviewReminders(this.store, people.workflows, people.selfAssessmentDueDays, now);
    const digests = await gatherDigests(this.store, this.notifier, now);
    return { reminders, digests };
  }

  /** Writes the proposed outcome of each PIP past its end date that has none yet (core/people/goals/outcome.ts). */
  proposePipOutcomes(now = new Date()): Promise<number> {
    return proposePipOutcomes(this.store, this.goalDeps, now);
  }

  /** What goal progress reads: the metrics, record kinds and the plugin host, as runs use them. */
  get goalDeps(): ProgressDeps {
    return { metrics: this.plugins.metrics, recordKinds: this.plugins.recordKinds, host: this.host };
  }

  async close(): Promise<void> {
    await this.host.dispose();
    await this.store.close();
  }
}
