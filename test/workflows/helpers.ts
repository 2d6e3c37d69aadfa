// Shared pieces of the workflow-delivery suites: a plugin host whose webhook points at a real
// receiver, deliveries queued as the act phase queues them, what the outbox says, and the
// receivers, host and dispatcher of a describe block, undone after each test.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { discoverPlugins } from '../../core/plugins/discovery.ts';
import { PluginHost, type HostOptions } from '../../core/plugins/host.ts';
import { enqueue } from '../../core/workflows/outbox.ts';
import type { Store } from '../../core/store/store.ts';
import { insertCase } from '../cases/helpers.ts';
import type { SuiteStore } from '../store/backends.ts';
import { Receiver } from './receiver.ts';

export const SECRET = 'a-test-secret-of-16+';
export const later = (ms: number) => new Date(Date.now() + ms);

/** The webhook answers within 10 s unless a test sets a shorter `timeoutMs` (only for receivers meant to be too slow). */
export async function hostFor(receivers: Receiver | Receiver[], webhook: Record<string, unknown> = {}, options: HostOptions = {}): Promise<PluginHost> {
  const list = Array.isArray(receivers) ? receivers : [receivers];
  return new PluginHost(await discoverPlugins(), {
    ...options,
    settings: { webhook: { url: list[0].url, secret: SECRET, allowHosts: list.map((r) => `127.0.0.1:${r.port}`), timeoutMs: 10_000, ...webhook } },
  });
}

export interface DeliveryTests {
  /** Started before the block's first test, stopped after its last. */
  readonly receivers: Receiver[];
  /** The plugin host a test made: disposed after the test. */
  host: PluginHost | undefined;
  /** The stop of the dispatcher a test started: called after the test. */
  stop: (() => Promise<void>) | undefined;
}

/**
 * Registers, for the enclosing describe block, `receivers` receivers started before its first
 * test and stopped after its last; after each test, in this order: what the receivers hold is
 * answered, the dispatcher in `stop` is stopped, the host in `host` disposed, the outbox of
 * `emptyOutbox` (unless its suite is skipped) emptied, and the receivers reset.
 */
export function deliveryTests({ receivers = 1, emptyOutbox }: { receivers?: number; emptyOutbox?: SuiteStore } = {}): DeliveryTests {
  const live: DeliveryTests = { receivers: Array.from({ length: receivers }, () => new Receiver()), host: undefined, stop: undefined };
  beforeAll(async () => {
    for (const r of live.receivers) await r.start();
  });
  afterEach(async () => {
    for (const r of live.receivers) r.release();
    await live.stop?.();
    live.stop = undefined;
    await live.host?.dispose();
    live.host = undefined;
    if (emptyOutbox && !emptyOutbox.skip) {
      await emptyOutbox.store.query('DELETE FROM outbox_attempts');
      await emptyOutbox.store.query('DELETE FROM outbox');
    }
    for (const r of live.receivers) r.reset();
  });
  afterAll(async () => {
    for (const r of live.receivers) await r.stop();
  });
  return live;
}

let employees = 0;
/** Queues `n` webhook deliveries, each for a case of its own; `url` overrides the plugin's. */
export async function queue(store: Store, n = 1, url?: string): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const employeeId = `w${employees++}`;
    const caseId = await insertCase(store, { type: 'coaching', status: 'open', employeeId });
    await enqueue(store, [{ caseId, workflow: 'webhook.post', event: 'case.opened', payload: { case: { id: caseId, type: 'coaching' }, employee: { id: employeeId } }, ...(url ? { config: { url } } : {}) }]);
    ids.push(caseId);
  }
  return ids;
}

export interface OutboxState {
  id: number;
  status: string;
  attempts: number;
  last_error: string | null;
  last_outcome: string | null;
  unknown_attempts: number;
}

export async function outbox(store: Store): Promise<OutboxState[]> {
  const rows = (await store.query<OutboxState>('SELECT id, status, attempts, last_error, last_outcome, unknown_attempts FROM outbox ORDER BY id')).rows;
  return rows.map((r) => ({ ...r, id: Number(r.id), attempts: Number(r.attempts), unknown_attempts: Number(r.unknown_attempts) }));
}

export async function history(store: Store, outboxId: number): Promise<Array<{ attempt: number; outcome: string; worker: string; error: string | null }>> {
  const rows = (await store.query<{ attempt: number; outcome: string; worker: string; error: string | null }>('SELECT attempt, outcome, worker, error FROM outbox_attempts WHERE outbox_id = $1 ORDER BY attempt, id', [outboxId])).rows;
  return rows.map((r) => ({ ...r, attempt: Number(r.attempt) }));
}

/** Polls until `check` holds; fails with `what` after `timeoutMs` (generous: the machine may be loaded). */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - started;
}
