// slack.post and teams.post through the real outbox, wired as core/workflows/runner.ts is to wire
// them (a runner that renders the delivery and calls postChatWorkflow): Slack's `ok` delivers, a
// revoked webhook is dead after one attempt, a 429 is retried, and what the outbox keeps, which
// admins read in `npx appraise outbox`, never holds the webhook URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Store } from '../../core/store/store.ts';
import { configFromText, type AppConfig } from '../../core/config/config.ts';
import { postChatWorkflow } from '../../core/notifications/chat/channels.ts';
import type { NotificationMessage } from '../../core/notifications/message.ts';
import { dispatchOnce, type WorkflowRunner } from '../../core/workflows/dispatcher.ts';
import { enqueue } from '../../core/workflows/outbox.ts';
import { getDelivery } from '../../core/workflows/outbox-view.ts';
import { BACKENDS } from '../store/backends.ts';
import { insertCase } from '../cases/helpers.ts';

let store: Store & { dispose(): Promise<void> };
let server: Server;
let config: AppConfig;
// What the receiver answers next, by the webhook's secret path.
const answers = new Map<string, { status: number; body: string; headers?: Record<string, string> }>();
const posts: string[] = [];

beforeAll(async () => {
  store = await BACKENDS[0].open();
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      posts.push(req.url!);
      const a = answers.get(req.url!) ?? { status: 404, body: 'no_service' };
      res.writeHead(a.status, a.headers ?? {});
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.APPRAISE_TEST_OUTBOX_SLACK = `${base}/services/T0/B0/outbox0secret0path`;
  config = configFromText('appraise.config.yaml', `chat:
  channels:
    hr-alerts: { type: slack, webhook: { env: APPRAISE_TEST_OUTBOX_SLACK } }
plugins:
  settings:
    slack: { channel: hr-alerts, timeoutMs: 5000 }
`).config!;
});

afterAll(async () => {
  delete process.env.APPRAISE_TEST_OUTBOX_SLACK;
  await new Promise<void>((r) => server.close(() => r()));
  await store.dispose();
});

// The notification templates render the real message; a plain one is enough here.
const render = (d: { event: string; idempotencyKey: string; case: Readonly<Record<string, unknown>> }): NotificationMessage => ({
  event: d.event, title: `Case ${String(d.case.id)} opened`, text: '', facts: [], idempotencyKey: d.idempotencyKey,
});
const run: WorkflowRunner = async (workflow, delivery) => {
  if (workflow !== 'slack.post') throw new Error(`unexpected workflow ${workflow}`);
  await postChatWorkflow(config, 'slack', delivery.config, config.plugins.settings.slack!, render(delivery));
};
const options = { run, maxAttempts: 3, baseDelayMs: 1000, random: () => 0.5 };

let n = 0;
async function queueOne(): Promise<number> {
  const caseId = await insertCase(store, { type: 'pip', status: 'proposed', employeeId: `chat${n++}` });
  await enqueue(store, [{ caseId, workflow: 'slack.post', event: 'case.opened', payload: { case: { id: caseId } } }]);
  return Number((await store.query<{ id: number }>('SELECT id FROM outbox WHERE case_id = $1', [caseId])).rows[0].id);
}

const path = '/services/T0/B0/outbox0secret0path';

describe('slack.post through the outbox', () => {
  it('is delivered once Slack answers ok', async () => {
    answers.set(path, { status: 200, body: 'ok' });
    const id = await queueOne();
    expect(await dispatchOnce(store, options)).toMatchObject({ delivered: 1 });
    expect(await getDelivery(store, id)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('is retried after a 429, the wait Slack asked for in its last error', async () => {
    answers.set(path, { status: 429, body: 'rate_limited', headers: { 'retry-after': '20' } });
    const id = await queueOne();
    expect(await dispatchOnce(store, options)).toMatchObject({ retried: 1 });
    const d = (await getDelivery(store, id))!;
    expect(d).toMatchObject({ status: 'pending', lastOutcome: 'failed' });
    expect(d.lastError).toContain('wait 20 s (Retry-After)');
    await store.query(`UPDATE outbox SET status = 'dead' WHERE id = $1`, [id]); // out of the next tests' way
  });

  it('is dead after one attempt when the webhook was revoked, and the outbox never holds its URL', async () => {
    answers.set(path, { status: 404, body: 'no_service' });
    const id = await queueOne();
    const before = posts.length;
    expect(await dispatchOnce(store, options)).toMatchObject({ dead: 1 });
    expect(posts.length - before).toBe(1);
    const d = (await getDelivery(store, id))!;
    expect(d).toMatchObject({ status: 'dead', attempts: 1, lastOutcome: 'refused' });
    expect(d.lastError).toMatch(/^APPRAISE_CHAT_WEBHOOK_INVALID: the Slack channel `hr-alerts` answered 404 `no_service`/);
    const rows = JSON.stringify((await store.query('SELECT o.*, a.* FROM outbox o LEFT JOIN outbox_attempts a ON a.outbox_id = o.id')).rows);
    expect(rows).not.toContain('outbox0secret0path');
  });
});
