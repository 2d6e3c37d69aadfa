// The plugin host thread: loads one untrusted plugin and answers the engine's calls. The engine
// stops this thread when a call runs past its time limit, so nothing here needs to guard
// against loops; it only has to report errors faithfully.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { callSource, computeBatch, loadAndActivate, type RuntimeOptions, type SourceCallInput } from './runtime.ts';
import type { SourceCursor } from './api.ts';
import { disposeAll } from './context.ts';

interface Init {
  options: Omit<RuntimeOptions, 'timeoutMs' | 'log'>;
  operatorPort: MessagePort;
  operatorFlag: SharedArrayBuffer;
}

const { options, operatorPort, operatorFlag } = workerData as Init;
const flag = new Int32Array(operatorFlag);
const port = parentPort!;
const log = {
  info: (message: string, data?: Record<string, unknown>) => port.postMessage({ type: 'log', level: 'info', message, data }),
  warn: (message: string, data?: Record<string, unknown>) => port.postMessage({ type: 'log', level: 'warn', message, data }),
  error: (message: string, data?: Record<string, unknown>) => port.postMessage({ type: 'log', level: 'error', message, data }),
};
let loaded: Awaited<ReturnType<typeof loadAndActivate>> | undefined;

const errorOf = (e: unknown) => {
  const err = e instanceof Error ? e : new Error(String(e));
  return { message: err.message, stack: err.stack };
};

port.on('message', async (msg: { type: string; callId: number; localId?: string; items?: never; delivery?: unknown; input?: SourceCallInput; cursor?: SourceCursor }) => {
  try {
    let value: unknown;
    if (msg.type === 'activate') {
      loaded = await loadAndActivate({ ...options, log });
      value = loaded.report;
    } else if (msg.type === 'metric') {
      value = computeBatch(loaded!.registrations, msg.localId!, msg.items!);
    } else if (msg.type === 'workflow') {
      const fn = loaded!.registrations.workflows.get(msg.localId!);
      if (!fn) throw new Error(`the workflow ${msg.localId} was not registered by activate()`);
      await fn(msg.delivery as never);
    } else if (msg.type === 'source') {
      // The context (and its HTTP helper, which waits out rate limits) is built here, in the
      // plugin's thread: the credentials are remembered for redaction in this thread too.
      value = await callSource(loaded!.registrations, msg.localId!, msg.input!, msg.cursor ?? null, log);
    } else if (msg.type === 'deactivate') {
      if (loaded) {
        try {
          await loaded.module.deactivate?.();
        } finally {
          disposeAll(loaded.subscriptions, (e) => log.error(`dispose failed: ${(e as Error).message}`));
        }
      }
    }
    port.postMessage({ type: 'result', callId: msg.callId, ok: true, value });
  } catch (e) {
    port.postMessage({ type: 'result', callId: msg.callId, ok: false, error: errorOf(e) });
  }
});

// Operators are called synchronously by the rules engine: the engine blocks on `flag` until
// this thread has answered on the operator port (or the time limit passes).
operatorPort.on('message', (msg: { localId: string; a: unknown; b: unknown }) => {
  let reply: unknown;
  try {
    const fn = loaded?.registrations.operators.get(msg.localId);
    if (!fn) throw new Error(`the operator ${msg.localId} was not registered by activate()`);
    reply = { ok: true, value: fn(msg.a, msg.b) };
  } catch (e) {
    reply = { ok: false, error: errorOf(e) };
  }
  operatorPort.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
