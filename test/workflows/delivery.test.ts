// Workflow deliveries reach a real HTTP receiver at least once — and exactly once after it
// drops duplicates by idempotency key — with none lost: receiver errors, receiver down, a
// dispatcher killed between claim and acknowledgement, two dispatchers racing on PostgreSQL.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { discoverPlugins } from '../../core/plugins/discovery.ts';
import { PluginHost } from '../../core/plugins/host.ts';
import { dispatchOnce, retryDelivery, type DispatcherOptions } from '../../core/workflows/dispatcher.ts';
import { createWorkflowRunner } from '../../core/workflows/runner.ts';
import { enqueue } from '../../core/workflows/outbox.ts';
import { openStore, type Store } from '../../core/store/store.ts';
import { BACKENDS, POSTGRES_URL, postgresReachable } from '../store/backends.ts';
import { insertCase, memoryStore } from '../cases/helpers.ts';
import { Receiver } from './receiver.ts';

const SECRET = 'a-test-secret-of-16+';
const later = (ms: number) => new Date(Date.now() + ms);

async function hostFor(receiver: Receiver, allowHosts = [`127.0.0.1:${receiver.port}`]): Promise<PluginHost> {
  return new PluginHost(await discoverPlugins(), { settings: { webhook: { url: receiver.url, secret: SECRET, allowHosts, timeoutMs: 2000 } } });
}

async function queue(store: Store, n = 1): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const caseId = await insertCase(store, { type: 'coaching', status: 'open', employeeId: `w${i}` });
    await enqueue(store, [{ caseId, workflow: 'webhook.post', event: 'case.opened', payload: { case: { id: caseId, type: 'coaching' }, employee: { id: `w${i}` } } }]);
    ids.push(caseId);
  }
  return ids;
}

const status = async (store: Store) => (await store.query<{ status: string; attempts: number; last_error: string | null }>('SELECT status, attempts, last_error FROM outbox ORDER BY id')).rows;

describe('webhook deliveries on one dispatcher', () => {
  let store: Store;
  let receiver: Receiver;
  let host: PluginHost;
  let options: DispatcherOptions;
  beforeAll(async () => {
    receiver = await new Receiver().start();
  });
  afterEach(async () => {
    await host?.dispose();
    await store?.close();
    receiver.received.length = 0;
  });
  afterAll(async () => {
    await receiver.stop();
  });
  const setUp = async (allowHosts?: string[]) => {
    store = await memoryStore();
    host = await hostFor(receiver, allowHosts);
    options = { run: createWorkflowRunner(store, host), baseDelayMs: 1000, maxAttempts: 3, random: () => 0.5 };
  };

  it('a 500 is retried with backoff and delivered on a later attempt; the receiver dedupes by key', async () => {
    await setUp();
    await queue(store);
    receiver.script = [500];
    expect(await dispatchOnce(store, options)).toMatchObject({ claimed: 1, retried: 1 });
    expect(await status(store)).toEqual([{ status: 'pending', attempts: 1, last_error: expect.stringMatching(/answered 500/) }]);
    expect(await dispatchOnce(store, options)).toMatchObject({ claimed: 0 }); // not due yet: backoff
    expect(await dispatchOnce(store, options, later(60_000))).toMatchObject({ delivered: 1 });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.unique()).toEqual([expect.stringMatching(/^case-\d+:case\.opened:webhook\.post$/)]);
  });

  it('the payload is signed: HMAC-SHA256 over timestamp and body verifies with the shared secret', async () => {
    await setUp();
    await queue(store);
    await dispatchOnce(store, options);
    const [r] = receiver.received;
    const expected = 'sha256=' + createHmac('sha256', SECRET).update(`${r.headers['x-appraise-timestamp']}.${r.body}`).digest('hex');
    expect(r.headers['x-appraise-signature']).toBe(expected);
    expect(createHmac('sha256', 'wrong-secret-wrong').update(`${r.headers['x-appraise-timestamp']}.${r.body}`).digest('hex')).not.toBe(expected.slice(7));
    expect(JSON.parse(r.body)).toMatchObject({ event: 'case.opened', case: { type: 'coaching' }, employee: { id: 'w0' } });
    expect(r.headers['x-appraise-event']).toBe('case.opened');
  });

  it('a receiver that is down, then up, gets the delivery with nothing lost', async () => {
    await setUp();
    await queue(store);
    const port = receiver.port;
    await receiver.stop();
    expect(await dispatchOnce(store, options)).toMatchObject({ retried: 1 });
    expect((await status(store))[0].last_error).toMatch(/failed/);
    await receiver.start(port);
    expect(await dispatchOnce(store, options, later(60_000))).toMatchObject({ delivered: 1 });
    expect(receiver.unique()).toHaveLength(1);
  });

  it('Error: a URL outside the allow-list is refused, never contacted, and dead at once with a clear error', async () => {
    await setUp(['hooks.example.com']);
    await queue(store);
    expect(await dispatchOnce(store, options)).toMatchObject({ dead: 1 });
    expect(receiver.received).toHaveLength(0);
    expect((await status(store))[0]).toMatchObject({ status: 'dead', last_error: expect.stringMatching(/APPRAISE_WORKFLOW_HOST_NOT_ALLOWED: 127\.0\.0\.1:\d+ is not in the webhook allow-list/) });
  });

  it('after the last attempt a delivery is dead with its last error; a retry by hand delivers it', async () => {
    await setUp();
    await queue(store);
    receiver.script = [503, 503, 503];
    for (let i = 0; i < 3; i++) await dispatchOnce(store, options, later(i * 3_600_000));
    expect((await status(store))[0]).toMatchObject({ status: 'dead', attempts: 3, last_error: expect.stringMatching(/503/) });
    const [{ id }] = (await store.query<{ id: number }>('SELECT id FROM outbox')).rows;
    expect(await retryDelivery(store, Number(id), 'hr')).toBe(true);
    expect(await dispatchOnce(store, options)).toMatchObject({ delivered: 1 });
    expect(receiver.unique()).toHaveLength(1);
  });
});

const postgres = BACKENDS.find((b) => b.name === 'postgres')!;

describe('dispatchers on one PostgreSQL database', async () => {
  const skip = !(await postgresReachable());
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await new Receiver().start();
  });
  afterAll(async () => {
    await receiver.stop();
  });

  it.skipIf(skip)('a dispatcher killed between claim and acknowledgement: the delivery is retried and deduped by key', async () => {
    receiver.received.length = 0;
    const store = await postgres.open();
    try {
      await queue(store);
      const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./claim-and-die.ts', import.meta.url)), POSTGRES_URL, store.schema!, receiver.url, String(receiver.port)], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d) => String(d).includes('sent') && resolve());
        child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
      });
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect((await status(store))[0]).toMatchObject({ status: 'in_flight', attempts: 1 });
      const host = await hostFor(receiver);
      const options = { run: createWorkflowRunner(store, host) };
      expect(await dispatchOnce(store, options)).toMatchObject({ claimed: 0 }); // the lease still holds
      expect(await dispatchOnce(store, options, later(5_000))).toMatchObject({ claimed: 1, delivered: 1 });
      await host.dispose();
      expect(receiver.received).toHaveLength(2); // at least once…
      expect(receiver.unique()).toHaveLength(1); // …and exactly once after dropping duplicates
      expect((await status(store))[0]).toMatchObject({ status: 'delivered', attempts: 2 });
    } finally {
      await store.dispose();
    }
  });

  it.skipIf(skip)('two dispatchers racing for the same rows deliver each exactly once', async () => {
    receiver.received.length = 0;
    const store = await postgres.open();
    const other = await openStore({ databaseUrl: POSTGRES_URL, schema: store.schema });
    try {
      await queue(store, 40);
      const host = await hostFor(receiver);
      const drain = async (s: Store, workerId: string) => {
        let delivered = 0;
        for (let i = 0; i < 50; i++) {
          const r = await dispatchOnce(s, { workerId, batchSize: 3, run: createWorkflowRunner(s, host) });
          delivered += r.delivered;
          if (r.claimed === 0) break;
        }
        return delivered;
      };
      const [a, b] = await Promise.all([drain(store, 'a'), drain(other, 'b')]);
      await host.dispose();
      expect(a + b).toBe(40);
      expect(a).toBeGreaterThan(0);
      expect(b).toBeGreaterThan(0);
      expect(receiver.received).toHaveLength(40); // no row was sent twice
      expect(receiver.unique()).toHaveLength(40);
      expect((await status(store)).every((r) => r.status === 'delivered')).toBe(true);
    } finally {
      await other.close();
      await store.dispose();
    }
  });
});
