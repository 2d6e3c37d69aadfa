// A worker that dies holds only what it was sending. Its claims never attempted are taken over
// within seconds, not after the 60 s lease; its attempts under way wait out their lease (they
// may have arrived), are then recorded as "unknown" and sent again under the same key. Killed
// with SIGKILL in a child process on a shared PostgreSQL database; the stop and restart paths
// in process on both back-ends.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dispatchOnce, startDispatcher } from '../../core/workflows/dispatcher.ts';
import { claimDue, releaseUnattempted, startAttempt } from '../../core/workflows/claims.ts';
import { createWorkflowRunner } from '../../core/workflows/runner.ts';
import { BACKENDS, POSTGRES_URL, storeForSuite } from '../store/backends.ts';
import { deliveryTests, history, hostFor, later, outbox, queue, waitFor } from './helpers.ts';

const CHILD = fileURLToPath(new URL('./claim-and-die.ts', import.meta.url));

/** Starts the child and resolves with what it printed after "ready". */
function child(args: string[]): Promise<{ proc: ChildProcess; said: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += String(d);
      const m = /ready ?(.*)\n/.exec(out);
      if (m) resolve({ proc, said: m[1] });
    });
    proc.on('exit', (code) => reject(new Error(`the child exited early with ${code}`)));
  });
}

async function kill(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await exited;
}

const postgres = BACKENDS.find((b) => b.name === 'postgres')!;

describe('a worker killed on a shared PostgreSQL database', async () => {
  const suite = await storeForSuite(postgres);
  const live = deliveryTests({ emptyOutbox: suite });
  const [receiver] = live.receivers;
  let proc: ChildProcess | undefined;
  // Registered after deliveryTests', so it runs before them (after-each hooks run last first):
  // the child is gone before its held requests are answered and the outbox is emptied.
  afterEach(async () => {
    if (proc) await kill(proc);
  });

  it.skipIf(suite.skip)('killed mid-send: it had claimed only the two it was sending; the other eight are delivered by another worker within seconds', async () => {
    const store = suite.store;
    await queue(store, 10);
    receiver.hang = true;
    ({ proc } = await child(['dispatch', POSTGRES_URL, store.schema!, receiver.url, String(receiver.port)]));
    await waitFor('the doomed worker to send two', () => receiver.received.length === 2);
    await new Promise((r) => setTimeout(r, 500)); // it would have taken more by now if it were going to
    await kill(proc);
    const before = await outbox(store);
    expect(before.filter((r) => r.status === 'in_flight')).toMatchObject([{ attempts: 1 }, { attempts: 1 }]);
    expect(before.filter((r) => r.status === 'pending')).toHaveLength(8); // never claimed, never attempted

    receiver.release(); // answers nobody: the sender is gone
    live.host = await hostFor(receiver);
    const started = Date.now();
    live.stop = startDispatcher(store, { run: createWorkflowRunner(store, live.host), intervalMs: 100 });
    await waitFor('the eight to be delivered', async () => (await outbox(store)).filter((r) => r.status === 'delivered').length === 8, 30_000);
    expect(Date.now() - started).toBeLessThan(30_000); // the lease is 60 s
    // The two that were under way may have arrived: they wait for their lease to run out.
    expect((await outbox(store)).filter((r) => r.status === 'in_flight')).toHaveLength(2);
    await live.stop();
    live.stop = undefined;

    // After the lease they are sent again under the same key, the lost attempt recorded as unknown.
    expect(await dispatchOnce(store, { run: createWorkflowRunner(store, live.host) }, later(75_000))).toMatchObject({ claimed: 2, delivered: 2 });
    const after = await outbox(store);
    expect(after.every((r) => r.status === 'delivered')).toBe(true);
    const resent = after.filter((r) => r.attempts === 2);
    expect(resent).toHaveLength(2);
    for (const r of resent) {
      expect(await history(store, r.id)).toMatchObject([
        { attempt: 1, outcome: 'unknown', worker: 'doomed', error: expect.stringMatching(/^APPRAISE_WORKFLOW_OUTCOME_UNKNOWN: the worker doomed stopped during attempt 1 .* it may have been delivered$/) },
        { attempt: 2, outcome: 'delivered' },
      ]);
    }
    expect(receiver.received).toHaveLength(12); // at least once…
    expect(receiver.unique()).toHaveLength(10); // …and exactly once after dropping duplicates
  });

  it.skipIf(suite.skip)('killed between claiming and attempting: its claims are taken over after the short pick-up lease, not the 60 s lease, and count no attempt', async () => {
    const store = suite.store;
    await queue(store, 6);
    let said: string;
    ({ proc, said } = await child(['claim', POSTGRES_URL, store.schema!, '2000']));
    expect(said).toBe('6');
    await kill(proc);
    expect((await outbox(store)).every((r) => r.status === 'in_flight' && r.attempts === 0)).toBe(true);
    live.host = await hostFor(receiver);
    const started = Date.now();
    live.stop = startDispatcher(store, { run: createWorkflowRunner(store, live.host), intervalMs: 100 });
    await waitFor('all six to be delivered', async () => (await outbox(store)).every((r) => r.status === 'delivered'), 30_000);
    expect(Date.now() - started).toBeLessThan(30_000);
    for (const r of await outbox(store)) {
      expect(r.attempts).toBe(1);
      expect(await history(store, r.id)).toMatchObject([{ attempt: 1, outcome: 'delivered' }]);
    }
    expect(receiver.received).toHaveLength(6);
  });
});

for (const backend of BACKENDS) {
  describe(`a worker that stops or restarts (${backend.name})`, async () => {
    const suite = await storeForSuite(backend);
    const live = deliveryTests({ emptyOutbox: suite });
    const [receiver] = live.receivers;
    const claim = (workerId: string, limit = 10) =>
      claimDue(suite.store, { workerId, now: new Date(), limit, pickupMs: 60_000, maxAttempts: 8, receiverOf: (w) => w, room: () => 100 });

    it.skipIf(suite.skip)('claims never attempted are given back when the worker stops: another takes them at once', async () => {
      await queue(suite.store, 3);
      expect(await claim('stopping')).toHaveLength(3);
      live.host = await hostFor(receiver);
      const other = { workerId: 'other', run: createWorkflowRunner(suite.store, live.host) };
      expect(await dispatchOnce(suite.store, other)).toMatchObject({ claimed: 0 }); // still held
      expect(await releaseUnattempted(suite.store, 'stopping')).toBe(3);
      expect(await dispatchOnce(suite.store, other)).toMatchObject({ claimed: 2, delivered: 2 }); // two per receiver at once
      expect(await dispatchOnce(suite.store, other)).toMatchObject({ claimed: 1, delivered: 1 });
      expect((await outbox(suite.store)).map((r) => r.attempts)).toEqual([1, 1, 1]);
    });

    it.skipIf(suite.skip)('a worker restarted under the same id gives up what its previous run held at once, recording the attempt it lost as unknown', async () => {
      await queue(suite.store, 2);
      const [first, second] = await claim('steady', 2);
      expect(await startAttempt(suite.store, first.id, 'steady', new Date(), 60_000)).toBe(1); // … and the process died
      expect(second.attempts).toBe(0);
      live.host = await hostFor(receiver);
      const started = Date.now();
      const stop = startDispatcher(suite.store, { workerId: 'steady', run: createWorkflowRunner(suite.store, live.host), intervalMs: 100 });
      try {
        await waitFor('both delivered', async () => (await outbox(suite.store)).every((r) => r.status === 'delivered'), 30_000);
      } finally {
        await stop();
      }
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(await history(suite.store, first.id)).toMatchObject([{ attempt: 1, outcome: 'unknown' }, { attempt: 2, outcome: 'delivered' }]);
      expect(await history(suite.store, second.id)).toMatchObject([{ attempt: 1, outcome: 'delivered' }]);
    });
  });
}
