// A receiver slower than the webhook's timeout: each such attempt is recorded as outcome
// "unknown" (it may have been delivered), retried with the same Idempotency-Key, and a delivery
// that gives up after one is never called dead without "may have been delivered". The timeout
// in force is the one configured on the workflow; one the host cannot honour is refused.
import { describe, expect, it } from 'vitest';
import type { PluginHost } from '../../core/plugins/host.ts';
import { dispatchOnce, type DispatcherOptions } from '../../core/workflows/dispatcher.ts';
import { createWorkflowRunner } from '../../core/workflows/runner.ts';
import { BACKENDS, storeForSuite } from '../store/backends.ts';
import { deliveryTests, history, hostFor, later, outbox, queue } from './helpers.ts';

for (const backend of BACKENDS) {
  describe(`a receiver slower than the webhook timeout (${backend.name})`, async () => {
    const suite = await storeForSuite(backend);
    const live = deliveryTests({ receivers: 2, emptyOutbox: suite });
    const [receiver, other] = live.receivers;
    const options = (h: PluginHost): DispatcherOptions => ({ run: createWorkflowRunner(suite.store, h), baseDelayMs: 1000, maxAttempts: 3, random: () => 0.5 });

    it.skipIf(suite.skip)('every attempt is "unknown", retried with the same Idempotency-Key, and the dead delivery says it may have been delivered', async () => {
      const store = suite.store;
      live.host = await hostFor(receiver, { timeoutMs: 500 });
      await queue(store);
      receiver.hang = true;
      for (let i = 0; i < 3; i++) {
        expect(await dispatchOnce(store, options(live.host), later(i * 3_600_000))).toMatchObject({ claimed: 1, unknown: 1, delivered: 0 });
      }
      expect(receiver.received).toHaveLength(3); // it got every attempt…
      expect(receiver.unique()).toHaveLength(1); // …under one key, so it can keep just one
      const [row] = await outbox(store);
      expect(row).toMatchObject({ status: 'dead', attempts: 3, unknown_attempts: 3, last_outcome: 'unknown' });
      expect(row.last_error).toMatch(/^may have been delivered: 3 attempts of 3 ended without an answer/);
      expect(row.last_error).toMatch(/look for Idempotency-Key case-\d+:case\.opened:webhook\.post/);
      expect(row.last_error).toMatch(/APPRAISE_WORKFLOW_OUTCOME_UNKNOWN: POST 127\.0\.0\.1:\d+\/hooks\/appraise got no answer within the webhook timeout of 500 ms/);
      expect((await history(store, row.id)).map((h) => h.outcome)).toEqual(['unknown', 'unknown', 'unknown']);
    });

    it.skipIf(suite.skip)('a time-out then an answer: delivered on the second attempt, with both outcomes in its history', async () => {
      const store = suite.store;
      live.host = await hostFor(receiver, { timeoutMs: 500 });
      await queue(store);
      receiver.hang = true;
      expect(await dispatchOnce(store, options(live.host))).toMatchObject({ unknown: 1, retried: 1 });
      expect((await outbox(store))[0]).toMatchObject({ status: 'pending', last_outcome: 'unknown', last_error: expect.stringMatching(/may have been delivered$/) });
      receiver.release();
      await live.host.dispose();
      live.host = await hostFor(receiver); // the receiver answers now: room enough on a loaded machine
      expect(await dispatchOnce(store, options(live.host), later(60_000))).toMatchObject({ delivered: 1 });
      const [row] = await outbox(store);
      expect(row).toMatchObject({ status: 'delivered', last_outcome: 'delivered', last_error: null, unknown_attempts: 1 });
      expect(await history(store, row.id)).toMatchObject([{ attempt: 1, outcome: 'unknown' }, { attempt: 2, outcome: 'delivered' }]);
      expect(receiver.unique()).toHaveLength(1);
    });

    it.skipIf(suite.skip)('one unknown attempt among refusals: the dead delivery still says it may have been delivered', async () => {
      const store = suite.store;
      live.host = await hostFor(receiver, { timeoutMs: 500 });
      await queue(store);
      receiver.hang = true;
      await dispatchOnce(store, options(live.host));
      receiver.release();
      await live.host.dispose();
      live.host = await hostFor(receiver);
      receiver.script = [503, 503];
      await dispatchOnce(store, options(live.host), later(3_600_000));
      await dispatchOnce(store, options(live.host), later(7_200_000));
      const [row] = await outbox(store);
      expect(row).toMatchObject({ status: 'dead', attempts: 3, unknown_attempts: 1, last_outcome: 'failed' });
      expect(row.last_error).toMatch(/^may have been delivered: 1 attempt of 3 .* Last error: POST .* answered 503$/);
    });

    it.skipIf(suite.skip)("the timeout in force is the workflow's own: a 1 s webhook timeout ends the attempt long before the 10 s plugin call limit", async () => {
      const store = suite.store;
      live.host = await hostFor(receiver, { timeoutMs: 1000 }, { timeoutMs: 10_000 });
      expect(live.host.workflowTimeoutMs('webhook.post')).toBe(1000);
      await queue(store);
      receiver.hang = true;
      const started = Date.now();
      expect(await dispatchOnce(store, options(live.host))).toMatchObject({ unknown: 1 });
      expect(Date.now() - started).toBeLessThan(8000);
    });

    it.skipIf(suite.skip)('a receiver slower than the plugin call limit is delivered once when the webhook timeout allows it', async () => {
      // Before, plugins.timeoutMs cut every attempt short whatever the webhook said: the receiver
      // got each attempt and the delivery died although it had arrived.
      const store = suite.store;
      live.host = await hostFor(receiver, { timeoutMs: 8000 }, { timeoutMs: 8000 });
      await queue(store);
      receiver.delayMs = 1500;
      expect(await dispatchOnce(store, options(live.host))).toMatchObject({ delivered: 1, unknown: 0 });
      expect(receiver.received).toHaveLength(1);
    });

    it.skipIf(suite.skip)('Error: a webhook timeout longer than the plugin call limit is refused at load (APPRAISE_WORKFLOW_TIMEOUT_TOO_LONG), never silently cut short', async () => {
      const store = suite.store;
      live.host = await hostFor(receiver, { timeoutMs: 90_000 }, { timeoutMs: 10_000 });
      const webhook = live.host.plugin('webhook')!;
      expect(webhook.state).toBe('disabled');
      expect(webhook.problems).toEqual([expect.objectContaining({ code: 'APPRAISE_WORKFLOW_TIMEOUT_TOO_LONG', message: expect.stringMatching(/timeoutMs of 90000 ms is longer than the plugin call limit of 10000 ms \(plugins\.timeoutMs\); raise plugins\.timeoutMs/) })]);
      await queue(store);
      expect(await dispatchOnce(store, options(live.host))).toMatchObject({ retried: 1, unknown: 0 });
      expect(receiver.received).toHaveLength(0);
      expect((await outbox(store))[0].last_error).toMatch(/APPRAISE_WORKFLOW_TIMEOUT_TOO_LONG|plugin call limit/);
    });

    it.skipIf(suite.skip)('isolated in a plugin thread: a hanging receiver times out as unknown while another receiver gets its delivery, and the plugin stays up', async () => {
      const store = suite.store;
      live.host = await hostFor([receiver, other], { timeoutMs: 3000 }, { isolateBuiltins: true, timeoutMs: 10_000 });
      receiver.hang = true;
      await queue(store, 1, receiver.url);
      await queue(store, 1, other.url);
      expect(await dispatchOnce(store, options(live.host))).toMatchObject({ claimed: 2, delivered: 1, unknown: 1 });
      expect(other.received).toHaveLength(1);
      expect(live.host.plugin('webhook')!.state).toBe('active');
      expect(live.host.plugin('webhook')!.problems).toEqual([]);
      receiver.release();
      expect(await dispatchOnce(store, options(live.host), later(60_000))).toMatchObject({ delivered: 1 });
    });
  });
}
