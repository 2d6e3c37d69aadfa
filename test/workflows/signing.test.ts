// What a receiver sees: a signed timestamp it can check against a tolerance, a signature that
// breaks when the body or the timestamp is changed, and no unsigned webhook unless the config
// says `unsigned: true`.
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../core/store/store.ts';
import { dispatchOnce } from '../../core/workflows/dispatcher.ts';
import { createWorkflowRunner } from '../../core/workflows/runner.ts';
import { sign, verify } from '../../plugins/webhook/index.ts';
import { memoryStore } from '../cases/helpers.ts';
import type { Received } from './receiver.ts';
import { SECRET, deliveryTests, hostFor, outbox, queue } from './helpers.ts';

const headers = (r: Received) => ({ signature: r.headers['x-appraise-signature'] as string | undefined, timestamp: r.headers['x-appraise-timestamp'] as string | undefined });

describe('signed webhooks', () => {
  let store: Store;
  // Registered first, so it runs after deliveryTests' clean-up: the host is gone before its store.
  afterEach(async () => {
    await store?.close();
  });
  const live = deliveryTests();
  const [receiver] = live.receivers;
  const deliverOne = async (webhook: Record<string, unknown>) => {
    store = await memoryStore();
    live.host = await hostFor(receiver, webhook);
    await queue(store);
    return dispatchOnce(store, { run: createWorkflowRunner(store, live.host) });
  };

  it('a receiver verifies the signature over the timestamp and body, and rejects a changed body, a changed timestamp and a stale one', async () => {
    expect(await deliverOne({})).toMatchObject({ delivered: 1 });
    const [r] = receiver.received;
    expect(Math.abs(Number(r.headers['x-appraise-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(verify(SECRET, headers(r), r.body)).toBeUndefined();
    expect(verify('another-secret-16+', headers(r), r.body)).toBe('the signature does not match');
    expect(verify(SECRET, headers(r), r.body.replace('case.opened', 'case.closed'))).toBe('the signature does not match');
    expect(verify(SECRET, { ...headers(r), timestamp: String(Number(headers(r).timestamp) + 1) }, r.body)).toBe('the signature does not match');
    // A replay ten minutes later: the signature still matches, the timestamp is out of tolerance.
    expect(verify(SECRET, headers(r), r.body, { now: new Date(Date.now() + 10 * 60_000) })).toMatch(/^the timestamp is \d+ s away from now \(stale or replayed\)$/);
    expect(verify(SECRET, { timestamp: headers(r).timestamp }, r.body)).toMatch(/missing/);
  });

  it('each attempt is signed with a fresh timestamp, so a retry is not mistaken for a replay', async () => {
    receiver.script = [500];
    store = await memoryStore();
    live.host = await hostFor(receiver);
    await queue(store);
    await dispatchOnce(store, { run: createWorkflowRunner(store, live.host) });
    await new Promise((r) => setTimeout(r, 1100));
    await dispatchOnce(store, { run: createWorkflowRunner(store, live.host) }, new Date(Date.now() + 60_000));
    const [first, second] = receiver.received;
    expect(Number(second.headers['x-appraise-timestamp'])).toBeGreaterThan(Number(first.headers['x-appraise-timestamp']));
    expect(second.headers['idempotency-key']).toBe(first.headers['idempotency-key']);
    expect(verify(SECRET, headers(second), second.body)).toBeUndefined();
    expect(headers(second).signature).toBe(sign(SECRET, headers(second).timestamp!, second.body));
  });

  it('Error: without a secret and without unsigned: true nothing is sent, and the delivery says which setting to add', async () => {
    expect(await deliverOne({ secret: undefined })).toMatchObject({ dead: 1 });
    expect(receiver.received).toHaveLength(0);
    expect((await outbox(store))[0]).toMatchObject({ status: 'dead', last_outcome: 'refused', last_error: expect.stringMatching(/^APPRAISE_WORKFLOW_UNSIGNED_WEBHOOK: .*webhooks\.secret.*webhooks\.unsigned: true.*Nothing was sent\.$/) });
  });

  it('with unsigned: true it goes out unsigned, on purpose', async () => {
    expect(await deliverOne({ secret: undefined, unsigned: true })).toMatchObject({ delivered: 1 });
    expect(receiver.received[0].headers['x-appraise-signature']).toBeUndefined();
    expect(receiver.received[0].headers['x-appraise-timestamp']).toMatch(/^\d+$/);
  });
});
