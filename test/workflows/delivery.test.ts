// Workflow deliveries reach a real HTTP receiver at least once — and exactly once after it
// drops duplicates by idempotency key — with none lost: receiver errors, receiver down, two
// dispatchers racing on PostgreSQL. Each suite runs on both store back-ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { dispatchOnce, retryDelivery, type DispatcherOptions } from '../../core/workflows/dispatcher.ts';
import { createWorkflowRunner } from '../../core/workflows/runner.ts';
import { openStore, type Store } from '../../core/store/store.ts';
import { BACKENDS, POSTGRES_URL, postgresReachable, storeForSuite } from '../store/backends.ts';
import { Receiver } from './receiver.ts';
import { SECRET, deliveryTests, history, hostFor, later, outbox, queue } from './helpers.ts';

for (const backend of BACKENDS) {
  describe(`webhook deliveries on one dispatcher (${backend.name})`, async () => {
    const suite = await storeForSuite(backend);
    const live = deliveryTests({ emptyOutbox: suite });
    const [receiver] = live.receivers;
    let options: DispatcherOptions;
    const setUp = async (webhook: Record<string, unknown> = {}) => {
      live.host = await hostFor(receiver, webhook);
      options = { run: createWorkflowRunner(suite.store, live.host), baseDelayMs: 30_000, maxAttempts: 3, random: () => 0.5 };
      return suite.store;
    };

    it.skipIf(suite.skip)('a 500 is retried with backoff and delivered on a later attempt; the receiver dedupes by key', async () => {
      const store = await setUp();
      await queue(store);
      receiver.script = [500];
      expect(await dispatchOnce(store, options)).toMatchObject({ claimed: 1, retried: 1, unknown: 0 });
      expect(await outbox(store)).toMatchObject([{ status: 'pending', attempts: 1, last_outcome: 'failed', last_error: expect.stringMatching(/answered 500/) }]);
      expect(await dispatchOnce(store, options)).toMatchObject({ claimed: 0 }); // not due yet: backoff
      expect(await dispatchOnce(store, options, later(60_000))).toMatchObject({ delivered: 1 });
      expect(receiver.received).toHaveLength(2);
      expect(receiver.unique()).toEqual([expect.stringMatching(/^case-\d+:case\.opened:webhook\.post$/)]);
      const [{ id }] = await outbox(store);
      expect(await history(store, id)).toMatchObject([{ attempt: 1, outcome: 'failed' }, { attempt: 2, outcome: 'delivered' }]);
    });

    it.skipIf(suite.skip)('the payload is signed: HMAC-SHA256 over timestamp and body verifies with the shared secret', async () => {
      const store = await setUp();
      await queue(store);
      await dispatchOnce(store, options);
      const [r] = receiver.received;
      const expected = 'sha256=' + createHmac('sha256', SECRET).update(`${r.headers['x-appraise-timestamp']}.${r.body}`).digest('hex');
      expect(r.headers['x-appraise-signature']).toBe(expected);
      expect(createHmac('sha256', 'wrong-secret-wrong').update(`${r.headers['x-appraise-timestamp']}.${r.body}`).digest('hex')).not.toBe(expected.slice(7));
      expect(JSON.parse(r.body)).toMatchObject({ event: 'case.opened', case: { type: 'coaching' }, employee: { id: expect.any(String) } });
      expect(r.headers['x-appraise-event']).toBe('case.opened');
    });

    it.skipIf(suite.skip)('a receiver that is down, then up, gets the delivery with nothing lost; a refused connection was not delivered', async () => {
      const store = await setUp();
      await queue(store);
      const port = receiver.port;
      await receiver.stop();
      expect(await dispatchOnce(store, options)).toMatchObject({ retried: 1, unknown: 0 });
      expect((await outbox(store))[0]).toMatchObject({ last_outcome: 'failed', last_error: expect.stringMatching(/ECONNREFUSED.*it was not delivered/) });
      await receiver.start(port);
      expect(await dispatchOnce(store, options, later(60_000))).toMatchObject({ delivered: 1 });
      expect(receiver.unique()).toHaveLength(1);
    });

    it.skipIf(suite.skip)('Error: a URL outside the allow-list is refused, never contacted, and dead at once with a clear error', async () => {
      const store = await setUp({ allowHosts: ['hooks.example.com'] });
      await queue(store);
      expect(await dispatchOnce(store, options)).toMatchObject({ dead: 1 });
      expect(receiver.received).toHaveLength(0);
      expect((await outbox(store))[0]).toMatchObject({ status: 'dead', last_outcome: 'refused', last_error: expect.stringMatching(/^APPRAISE_WORKFLOW_HOST_NOT_ALLOWED: 127\.0\.0\.1:\d+ is not in the webhook allow-list/) });
    });

    it.skipIf(suite.skip)('after the last attempt a delivery is dead with its last error (the receiver said no: not "may have been delivered"); a retry by hand delivers it', async () => {
      const store = await setUp();
      await queue(store);
      receiver.script = [503, 503, 503];
      for (let i = 0; i < 3; i++) await dispatchOnce(store, options, later(i * 3_600_000));
      const [row] = await outbox(store);
      expect(row).toMatchObject({ status: 'dead', attempts: 3, unknown_attempts: 0, last_error: expect.stringMatching(/^POST .* answered 503$/) });
      expect(await retryDelivery(store, row.id, 'hr')).toBe(true);
      expect(await dispatchOnce(store, options)).toMatchObject({ delivered: 1 });
      expect(receiver.unique()).toHaveLength(1);
    });
  });
}

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

  it.skipIf(skip)('two dispatchers racing for the same rows deliver each exactly once', async () => {
    receiver.reset();
    const store = await postgres.open();
    const other = await openStore({ databaseUrl: POSTGRES_URL, schema: store.schema });
    try {
      await queue(store, 40);
      const host = await hostFor(receiver);
      const pending = async () => (await outbox(store)).filter((r) => r.status !== 'delivered').length;
      const drain = async (s: Store, workerId: string) => {
        let delivered = 0;
        for (let i = 0; i < 200 && (await pending()) > 0; i++) {
          const r = await dispatchOnce(s, { workerId, concurrency: 3, run: createWorkflowRunner(s, host) });
          delivered += r.delivered;
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
      expect((await outbox(store)).every((r) => r.status === 'delivered')).toBe(true);
    } finally {
      await other.close();
      await store.dispose();
    }
  });
});
