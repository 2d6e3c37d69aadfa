// Deliveries run side by side, capped per receiver host and overall, so a receiver that hangs
// holds its own slots only: deliveries to other receivers go on meanwhile. Real receivers on
// real ports, a running dispatcher, both store back-ends.
import { describe, expect, it } from 'vitest';
import { startDispatcher } from '../../core/workflows/dispatcher.ts';
import { createWorkflowRunner } from '../../core/workflows/runner.ts';
import { BACKENDS, storeForSuite } from '../store/backends.ts';
import { deliveryTests, hostFor, outbox, queue, waitFor } from './helpers.ts';

for (const backend of BACKENDS) {
  describe(`deliveries in parallel (${backend.name})`, async () => {
    const suite = await storeForSuite(backend);
    const live = deliveryTests({ receivers: 3, emptyOutbox: suite });
    const { receivers } = live;
    const delivered = async (url: string) =>
      Number((await suite.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status = 'delivered' AND config->>'url' = $1`, [url])).rows[0].n);

    it.skipIf(suite.skip)('a hanging receiver does not delay deliveries to another; it is sent at most its per-host cap at once', async () => {
      const [hanging, healthy] = receivers;
      // Long enough that nothing times out during the test: the hang is only ended by release().
      live.host = await hostFor([hanging, healthy], { timeoutMs: 60_000 }, { timeoutMs: 60_000 });
      hanging.hang = true;
      // The hanging receiver's deliveries come first in the outbox, as in the reported case.
      await queue(suite.store, 5, hanging.url);
      await queue(suite.store, 5, healthy.url);
      live.stop = startDispatcher(suite.store, { run: createWorkflowRunner(suite.store, live.host), intervalMs: 100, concurrency: 8, perReceiver: 2 });
      await waitFor('the healthy receiver to get all five', async () => (await delivered(healthy.url)) === 5);
      expect(healthy.unique()).toHaveLength(5);
      // Meanwhile the hanging receiver holds two requests, and nothing of it is done.
      expect(hanging.received).toHaveLength(2);
      expect(hanging.maxInFlight).toBe(2);
      expect(await delivered(hanging.url)).toBe(0);
      expect((await outbox(suite.store)).filter((r) => r.status === 'in_flight')).toHaveLength(2);
      hanging.release();
      await waitFor('the hanging receiver, released, to get all five', async () => (await delivered(hanging.url)) === 5);
      expect(hanging.received).toHaveLength(5); // each sent once: no attempt was cut short
      expect(hanging.maxInFlight).toBe(2);
    });

    it.skipIf(suite.skip)('the overall cap holds across receivers', async () => {
      live.host = await hostFor(receivers, { timeoutMs: 60_000 }, { timeoutMs: 60_000 });
      for (const r of receivers) {
        r.hang = true;
        await queue(suite.store, 2, r.url);
      }
      live.stop = startDispatcher(suite.store, { run: createWorkflowRunner(suite.store, live.host), intervalMs: 100, concurrency: 3, perReceiver: 2 });
      await waitFor('three requests in flight', () => receivers.reduce((n, r) => n + r.inFlight, 0) === 3);
      await new Promise((r) => setTimeout(r, 500)); // and no fourth starts
      expect(receivers.reduce((n, r) => n + r.received.length, 0)).toBe(3);
      for (const r of receivers) r.release();
      await waitFor('all six delivered', async () => (await outbox(suite.store)).every((r) => r.status === 'delivered'));
      expect(receivers.map((r) => r.unique().length)).toEqual([2, 2, 2]);
    });
  });
}
