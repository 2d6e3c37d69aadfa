// What core/plugins/api.ts tells workflow authors, checked against a third-party plugin running
// in its own thread (test/fixtures/workflow-plugins/unsure): an error starting
// `APPRAISE_WORKFLOW_OUTCOME_UNKNOWN:` is an attempt that may have been delivered, retried with
// the same key; any other error is not delivered; the plugin's `timeoutMs` setting is the time
// limit of each attempt of its workflows, and one longer than plugins.timeoutMs is refused.
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { discoverPlugins } from '../../core/plugins/discovery.ts';
import { PluginHost } from '../../core/plugins/host.ts';
import type { Store } from '../../core/store/store.ts';
import { dispatchOnce } from '../../core/workflows/dispatcher.ts';
import { enqueue } from '../../core/workflows/outbox.ts';
import { getDelivery } from '../../core/workflows/outbox-view.ts';
import { createWorkflowRunner } from '../../core/workflows/runner.ts';
import { BACKENDS } from '../store/backends.ts';
import { insertCase } from '../cases/helpers.ts';
import { later } from './helpers.ts';

const DIR = fileURLToPath(new URL('../fixtures/workflow-plugins/', import.meta.url));

let store: Store & { dispose(): Promise<void> };
let host: PluginHost | undefined;
beforeAll(async () => {
  store = await BACKENDS[0].open();
});
afterEach(async () => {
  await host?.dispose();
  host = undefined;
});
afterAll(async () => {
  await store.dispose();
});

const hostWith = async (settings: Record<string, unknown>, callLimitMs = 10_000) =>
  new PluginHost(await discoverPlugins([DIR]), { timeoutMs: callLimitMs, settings: { unsure: settings } });

let n = 0;
async function queueOne(mode: string): Promise<number> {
  const caseId = await insertCase(store, { type: 'coaching', status: 'open', employeeId: `u${n++}` });
  await enqueue(store, [{ caseId, workflow: 'unsure.send', event: 'case.opened', payload: { case: { id: caseId } }, config: { mode } }]);
  return Number((await store.query<{ id: number }>('SELECT id FROM outbox WHERE case_id = $1', [caseId])).rows[0].id);
}

const run = (h: PluginHost, maxAttempts = 2) => ({ run: createWorkflowRunner(store, h), maxAttempts, baseDelayMs: 1000, random: () => 0.5 });

describe('a workflow plugin in its own thread, as the plugin API documents it', () => {
  it('an error starting APPRAISE_WORKFLOW_OUTCOME_UNKNOWN: is "may have been delivered", retried, and dead only with those words', async () => {
    host = await hostWith({});
    expect(host.plugin('unsure')?.builtin).toBe(false); // isolated: only the message crosses
    const id = await queueOne('unknown');
    expect(await dispatchOnce(store, run(host))).toMatchObject({ unknown: 1, retried: 1 });
    expect(await getDelivery(store, id)).toMatchObject({ status: 'pending', lastOutcome: 'unknown', mayHaveBeenDelivered: true });
    expect(await dispatchOnce(store, run(host), later(60_000))).toMatchObject({ unknown: 1, dead: 1 });
    const d = (await getDelivery(store, id))!;
    expect(d).toMatchObject({ status: 'dead', unknownAttempts: 2, mayHaveBeenDelivered: true, lastError: expect.stringMatching(/^may have been delivered: 2 attempts of 2 ended without an answer/) });
    // Both attempts were made with the same key: the plugin's message names it.
    expect(d.history.map((a) => a.error)).toEqual([1, 2].map(() => `APPRAISE_WORKFLOW_OUTCOME_UNKNOWN: the connection broke after sending ${d.idempotencyKey}; it may have been delivered`));
  });

  it('any other error is "not delivered"', async () => {
    host = await hostWith({});
    const id = await queueOne('fail');
    await dispatchOnce(store, run(host, 1));
    expect(await getDelivery(store, id)).toMatchObject({ status: 'dead', lastOutcome: 'failed', mayHaveBeenDelivered: false, lastError: 'the receiver answered 503', history: [{ outcome: 'failed', httpStatus: 503 }] });
  });

  it('the plugin\'s timeoutMs setting is the time limit of each attempt of its workflows; past it the attempt may have been delivered', async () => {
    host = await hostWith({ timeoutMs: 300 });
    expect(host.workflowTimeoutMs('unsure.send')).toBe(300);
    expect(createWorkflowRunner(store, host).timeoutMsOf!('unsure.send')).toBe(300);
    const id = await queueOne('hang');
    await dispatchOnce(store, run(host, 1));
    const d = (await getDelivery(store, id))!;
    expect(d).toMatchObject({ status: 'dead', lastOutcome: 'unknown', mayHaveBeenDelivered: true });
    expect(d.history[0].error).toMatch(/^APPRAISE_WORKFLOW_OUTCOME_UNKNOWN: the workflow send ran past its time limit of 300 ms; it may have been delivered$/);
    const took = Date.parse(d.history[0].finishedAt!) - Date.parse(d.history[0].startedAt!);
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(9_000); // not the 10 s plugin call limit
  });

  it('without the setting, plugins.timeoutMs is the limit; a setting longer than it disables the plugin at load', async () => {
    host = await hostWith({}, 1500);
    expect(host.workflowTimeoutMs('unsure.send')).toBe(1500);
    await host.dispose();
    host = await hostWith({ timeoutMs: 20_000 }, 1500);
    const p = host.plugin('unsure')!;
    expect(p.state).toBe('disabled');
    expect(p.problems).toEqual([expect.objectContaining({ code: 'APPRAISE_WORKFLOW_TIMEOUT_TOO_LONG', message: expect.stringMatching(/timeoutMs of 20000 ms is longer than the plugin call limit of 1500 ms \(plugins\.timeoutMs\)/) })]);
  });
});
