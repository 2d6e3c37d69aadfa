// The isolated tier: one worker thread per plugin. Every call has a time limit; past it the
// thread is terminated (which stops even `while (true) {}`), the call fails as a time-out, and
// the next call starts a fresh thread. A thread that dies is reported as a crash. Workflow
// calls are the exception: several run at once, so a late one is abandoned rather than taking
// its neighbours down, and the thread is stopped only if it no longer answers at all.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { PluginCallError, type ActivationReport, type MetricBatchItem, type MetricOutcome, type PluginRuntime, type RuntimeOptions, type SourceCallInput, type SourceCallResult } from './runtime.ts';
import type { SourceCursor } from './api.ts';

const ENTRY = fileURLToPath(new URL('./worker-entry.mjs', import.meta.url));
/** How long a thread may take to answer a no-op message before it counts as stuck. */
const LIVENESS_MS = 5000;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class WorkerRuntime implements PluginRuntime {
  private worker?: Worker;
  private operatorPort?: MessagePort;
  private flag?: Int32Array;
  private pending = new Map<number, Pending>();
  private nextCall = 1;
  private activated?: ActivationReport;
  private activating?: Promise<ActivationReport>;
  private activatingOn?: Worker;

  /** `onCrash` is told when the thread dies or is stopped for a time-out, so the host can count restarts. */
  constructor(
    private readonly options: RuntimeOptions,
    private readonly onCrash: (kind: 'timeout' | 'crash', message: string) => void,
  ) {}

  private start(): Worker {
    const { port1, port2 } = new MessageChannel();
    const sab = new SharedArrayBuffer(4);
    this.flag = new Int32Array(sab);
    this.operatorPort = port1;
    const { log: _log, timeoutMs: _t, ...options } = this.options;
    const worker = new Worker(ENTRY, {
      workerData: { options, operatorPort: port2, operatorFlag: sab },
      transferList: [port2],
      resourceLimits: { maxOldGenerationSizeMb: 512 },
      stderr: false,
    });
    worker.on('message', (msg: { type: string; callId?: number; ok?: boolean; value?: unknown; error?: { message: string; stack?: string }; level?: string; message?: string; data?: Record<string, unknown> }) => {
      if (msg.type === 'log') {
        const level = (msg.level ?? 'info') as 'info' | 'warn' | 'error';
        this.options.log[level](msg.message ?? '', msg.data);
        return;
      }
      const p = this.pending.get(msg.callId!);
      if (!p) return;
      this.pending.delete(msg.callId!);
      clearTimeout(p.timer);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new PluginCallError('error', msg.error?.message ?? 'unknown error', msg.error?.stack));
    });
    worker.on('error', (e) => this.fail('crash', `the plugin host thread crashed: ${e.message}`));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.fail('crash', `the plugin host thread exited with code ${code}`);
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** Ends the thread and fails every pending call. */
  private fail(kind: 'timeout' | 'crash', message: string): void {
    const worker = this.worker;
    this.worker = undefined;
    this.activated = undefined;
    this.operatorPort?.close();
    this.operatorPort = undefined;
    if (worker) void worker.terminate();
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new PluginCallError(kind, message));
      this.pending.delete(id);
    }
    this.onCrash(kind, message);
  }

  /**
   * Posts a call and waits for its answer. Past `timeoutMs` a call that may be stuck in a loop
   * stops the thread (`stop`); an asynchronous one (a workflow waiting on its receiver) is only
   * abandoned, so that the calls running beside it go on, unless the thread then fails to
   * answer a liveness check.
   */
  private call<T>(msg: Record<string, unknown>, what: string, timeoutMs = this.options.timeoutMs, onTimeout: 'stop' | 'abandon' = 'stop'): Promise<T> {
    const worker = this.worker ?? this.start();
    const callId = this.nextCall++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (onTimeout === 'stop') {
          this.fail('timeout', `${what} ran past its time limit of ${timeoutMs} ms and was stopped`);
          return;
        }
        this.pending.delete(callId);
        reject(new PluginCallError('timeout', `${what} ran past its time limit of ${timeoutMs} ms`));
        void this.checkAlive(worker);
      }, timeoutMs);
      this.pending.set(callId, { resolve: resolve as (v: unknown) => void, reject, timer });
      worker.postMessage({ ...msg, callId });
    });
  }

  /** A thread that does not answer a no-op message within a few seconds is stuck: stop it. */
  private async checkAlive(worker: Worker): Promise<void> {
    if (this.worker !== worker) return;
    try {
      await this.call({ type: 'ping' }, 'the plugin host thread (after a workflow time-out)', LIVENESS_MS);
    } catch {
      // `call` has stopped the thread already.
    }
  }

  private async ensureActivated(): Promise<void> {
    if (this.worker && this.activated) return;
    // Deliveries start side by side: they share one activation instead of each loading the plugin.
    const worker = this.worker ?? this.start();
    let activating = this.activating;
    if (!activating || this.activatingOn !== worker) {
      activating = this.call<ActivationReport>({ type: 'activate' }, 'activate()');
      this.activating = activating;
      // A failed activation is not remembered: the next call tries again, as before.
      activating.catch(() => {
        if (this.activating === activating) this.activating = undefined;
      });
      this.activatingOn = worker;
    }
    const report = await activating;
    if (this.worker === worker) this.activated = report;
  }

  async activate(): Promise<ActivationReport> {
    await this.ensureActivated();
    return this.activated!;
  }

  async computeMetric(localId: string, items: MetricBatchItem[]): Promise<Array<[string, MetricOutcome]>> {
    await this.ensureActivated();
    return this.call({ type: 'metric', localId, items }, `the metric ${localId}`);
  }

  callOperator(localId: string, factValue: unknown, value: unknown): unknown {
    if (!this.worker || !this.activated || !this.operatorPort || !this.flag) {
      throw new PluginCallError('error', `the plugin is not active; the operator ${localId} cannot be called`);
    }
    Atomics.store(this.flag, 0, 0);
    this.operatorPort.postMessage({ localId, a: factValue, b: value });
    const waited = Atomics.wait(this.flag, 0, 0, this.options.timeoutMs);
    if (waited === 'timed-out') {
      this.fail('timeout', `the operator ${localId} ran past its time limit of ${this.options.timeoutMs} ms and was stopped`);
      throw new PluginCallError('timeout', `the operator ${localId} ran past its time limit`);
    }
    const received = receiveMessageOnPort(this.operatorPort);
    const reply = received?.message as { ok: boolean; value?: unknown; error?: { message: string; stack?: string } } | undefined;
    if (!reply) throw new PluginCallError('error', `the operator ${localId} gave no answer`);
    if (!reply.ok) throw new PluginCallError('error', reply.error?.message ?? 'unknown error', reply.error?.stack);
    return reply.value;
  }

  async runWorkflow(localId: string, delivery: unknown, timeoutMs = this.options.timeoutMs): Promise<void> {
    await this.ensureActivated();
    await this.call({ type: 'workflow', localId, delivery }, `the workflow ${localId}`, timeoutMs, 'abandon');
  }

  /** A sync past its time limit stops the thread: whatever it was doing (a loop, a hung socket) ends with it. */
  async runSource(localId: string, input: SourceCallInput, cursor: SourceCursor, timeoutMs: number): Promise<SourceCallResult> {
    await this.ensureActivated();
    return this.call({ type: 'source', localId, input, cursor }, `the source ${localId}`, timeoutMs, 'stop');
  }

  async dispose(): Promise<void> {
    if (!this.worker) return;
    try {
      await this.call({ type: 'deactivate' }, 'deactivate()');
    } catch (e) {
      this.options.log.error(`deactivate failed: ${(e as Error).message}`);
    }
    const worker = this.worker;
    this.worker = undefined;
    this.operatorPort?.close();
    await worker?.terminate();
  }
}
