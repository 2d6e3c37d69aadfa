// What an admin sees of deliveries, through the API and the CLI, after real attempts against a
// real local receiver on a real store: a delivery that died after an attempt without an answer
// says it may have been delivered and lists its attempts (outcome, HTTP status, error, worker,
// times); one that only failed says it was not delivered; one delivered says so; one waiting to
// be retried after a time-out says it may have been delivered already.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Appraise } from '../../core/app/appraise.ts';
import { createToken } from '../../core/auth/tokens.ts';
import { defaultConfig } from '../../core/config/config.ts';
import type { PluginHost } from '../../core/plugins/host.ts';
import { buildServer } from '../../core/server/app.ts';
import type { Store } from '../../core/store/store.ts';
import { dispatchOnce, type DispatcherOptions } from '../../core/workflows/dispatcher.ts';
import { createWorkflowRunner } from '../../core/workflows/runner.ts';
import { freshSchemaName, POSTGRES_URL, postgresReachable, dropSchema } from '../store/backends.ts';
import { cli } from '../cli/run-cli.ts';
import { hostFor, later, queue } from './helpers.ts';
import { Receiver } from './receiver.ts';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const NO_ANSWER = /^APPRAISE_WORKFLOW_OUTCOME_UNKNOWN: POST 127\.0\.0\.1:\d+\/hooks\/appraise got no answer within the webhook timeout of 500 ms; it may have been delivered$/;

interface Ids {
  /** Attempt 1 timed out, attempt 2 answered 503: dead, and it may have been delivered. */
  maybe: number;
  /** Two 503s: dead, not delivered. */
  failed: number;
  delivered: number;
  /** Attempt 1 timed out; waiting for attempt 2. */
  retrying: number;
}

const idOf = async (store: Store, caseId: number) => Number((await store.query<{ id: number }>('SELECT id FROM outbox WHERE case_id = $1', [caseId])).rows[0].id);

/** The four deliveries, made by the real dispatcher and webhook plugin against `receiver`. */
async function deliverFourWays(store: Store, receiver: Receiver): Promise<Ids> {
  const options = (h: PluginHost): DispatcherOptions => ({ run: createWorkflowRunner(store, h), baseDelayMs: 1000, maxAttempts: 2, random: () => 0.5 });
  let host = await hostFor(receiver, { timeoutMs: 500 });
  const slow = async () => {
    await host.dispose();
    host = await hostFor(receiver, { timeoutMs: 500 });
    receiver.hang = true;
  };
  // A receiver that answers gets the webhook's 10 s, so that a loaded machine cannot turn it into a time-out.
  const answering = async () => {
    receiver.release();
    await host.dispose();
    host = await hostFor(receiver);
  };
  try {
    const [maybeCase] = await queue(store);
    await slow();
    expect(await dispatchOnce(store, options(host))).toMatchObject({ claimed: 1, unknown: 1, retried: 1 });
    await answering();
    receiver.script = [503];
    expect(await dispatchOnce(store, options(host), later(60_000))).toMatchObject({ claimed: 1, dead: 1 });

    const [failedCase] = await queue(store);
    receiver.script = [503, 503];
    expect(await dispatchOnce(store, options(host))).toMatchObject({ claimed: 1, retried: 1 });
    expect(await dispatchOnce(store, options(host), later(60_000))).toMatchObject({ claimed: 1, dead: 1 });

    const [deliveredCase] = await queue(store);
    expect(await dispatchOnce(store, options(host))).toMatchObject({ claimed: 1, delivered: 1 });

    const [retryingCase] = await queue(store);
    await slow();
    expect(await dispatchOnce(store, options(host))).toMatchObject({ claimed: 1, unknown: 1, retried: 1 });
    receiver.release();
    return { maybe: await idOf(store, maybeCase), failed: await idOf(store, failedCase), delivered: await idOf(store, deliveredCase), retrying: await idOf(store, retryingCase) };
  } finally {
    receiver.release();
    await host.dispose();
  }
}

const BACKENDS = ['pglite', 'postgres'] as const;

for (const backend of BACKENDS) {
  describe(`what the outbox shows after real deliveries (${backend})`, async () => {
    const skip = backend === 'postgres' && !(await postgresReachable());
    const dir = mkdtempSync(join(tmpdir(), 'appraise-outbox-view-'));
    const schema = freshSchemaName();
    /** Where the CLI finds the same store. */
    const cliArgs = backend === 'pglite' ? ['--data-dir', join(dir, 'store')] : [];
    const cliEnv: Record<string, string> = backend === 'pglite' ? { APPRAISE_PG_SCHEMA: '' } : { DATABASE_URL: POSTGRES_URL, APPRAISE_PG_SCHEMA: schema };
    const receiver = new Receiver();
    let app: Appraise | undefined;
    let server: FastifyInstance | undefined;
    const tokens = { admin: '', hr: '' };
    let ids: Ids;

    const closeApp = async () => {
      await server?.close();
      server = undefined;
      await app?.close();
      app = undefined;
    };

    beforeAll(async () => {
      if (skip) return;
      await receiver.start();
      app = await Appraise.open(backend === 'pglite'
        ? { config: defaultConfig(), dataDir: join(dir, 'store'), databaseUrl: '' }
        : { config: defaultConfig(), databaseUrl: POSTGRES_URL, schema });
      tokens.admin = (await createToken(app.store, { name: 'admin', role: 'admin', createdBy: 'test' })).token;
      tokens.hr = (await createToken(app.store, { name: 'hr', role: 'hr', createdBy: 'test' })).token;
      ids = await deliverFourWays(app.store, receiver);
      server = await buildServer(app);
    }, 120_000);

    afterAll(async () => {
      await closeApp();
      await receiver.stop();
      rmSync(dir, { recursive: true, force: true });
      if (backend === 'postgres' && !skip) {
        await dropSchema(schema);
      }
    });

    const get = async (url: string, who: keyof typeof tokens = 'admin') => {
      const r = await server!.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tokens[who]}` } });
      return { status: r.statusCode, body: JSON.parse(r.body) };
    };

    it.skipIf(skip)('GET /api/outbox: each delivery with its last outcome, its unknown attempts, and whether it may have been delivered', async () => {
      const { status, body } = await get('/api/outbox');
      expect(status).toBe(200);
      expect(body.total).toBe(4);
      const byId = new Map(body.deliveries.map((d: { id: number }) => [d.id, d]));
      expect(byId.get(ids.maybe)).toMatchObject({
        status: 'dead', attempts: 2, lastOutcome: 'failed', unknownAttempts: 1, mayHaveBeenDelivered: true, nextAttemptAt: null, deliveredAt: null,
        summary: expect.stringMatching(/^May have been delivered: 1 of 2 attempts ended without an answer before it was given up\. Look for Idempotency-Key case-\d+:case\.opened:webhook\.post at the receiver before retrying it by hand\.$/),
        lastError: expect.stringMatching(/^may have been delivered: 1 attempt of 2 ended without an answer.*Last error: POST 127\.0\.0\.1:\d+\/hooks\/appraise answered 503$/),
      });
      expect(byId.get(ids.failed)).toMatchObject({
        status: 'dead', attempts: 2, lastOutcome: 'failed', unknownAttempts: 0, mayHaveBeenDelivered: false,
        summary: 'Not delivered: all 2 attempts failed. Retry it by hand once the receiver works.',
        lastError: expect.stringMatching(/answered 503$/),
      });
      expect(byId.get(ids.delivered)).toMatchObject({
        status: 'delivered', attempts: 1, lastOutcome: 'delivered', unknownAttempts: 0, mayHaveBeenDelivered: false, lastError: null,
        summary: expect.stringMatching(/^Delivered at \d{4}-.*Z\.$/), deliveredAt: expect.stringMatching(ISO),
      });
      expect(byId.get(ids.retrying)).toMatchObject({
        status: 'pending', attempts: 1, lastOutcome: 'unknown', unknownAttempts: 1, mayHaveBeenDelivered: true, nextAttemptAt: expect.stringMatching(ISO),
        summary: expect.stringMatching(/^May have been delivered: its attempt ended without an answer\. It will be tried again at \d{4}-\S+Z with the same Idempotency-Key case-\d+:case\.opened:webhook\.post, by which the receiver drops duplicates\.$/),
        lastError: expect.stringMatching(NO_ANSWER),
      });
      // Nothing "may have been delivered" that is not so.
      for (const d of body.deliveries) expect(/may have been delivered/i.test(d.summary)).toBe(d.mayHaveBeenDelivered);

      const dead = await get('/api/outbox?status=dead&pageSize=1');
      expect(dead.body).toMatchObject({ total: 2, page: 1, pageSize: 1 });
      expect(dead.body.deliveries.map((d: { id: number }) => d.id)).toEqual([ids.failed]); // newest first
    });

    it.skipIf(skip)('GET /api/outbox/:id: the dead delivery that may have arrived, with each attempt', async () => {
      const { status, body } = await get(`/api/outbox/${ids.maybe}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ id: ids.maybe, status: 'dead', mayHaveBeenDelivered: true, unknownAttempts: 1, underWay: null });
      expect(body.history).toEqual([
        { attempt: 1, startedAt: expect.stringMatching(ISO), finishedAt: expect.stringMatching(ISO), outcome: 'unknown', httpStatus: null, error: expect.stringMatching(NO_ANSWER), worker: expect.stringMatching(/^dispatcher-/) },
        { attempt: 2, startedAt: expect.stringMatching(ISO), finishedAt: expect.stringMatching(ISO), outcome: 'failed', httpStatus: 503, error: expect.stringMatching(/^POST 127\.0\.0\.1:\d+\/hooks\/appraise answered 503$/), worker: expect.stringMatching(/^dispatcher-/) },
      ]);
      const [first, second] = body.history as Array<{ startedAt: string; finishedAt: string }>;
      // The first attempt waited out the 500 ms timeout; the second started after it ended.
      expect(Date.parse(first.finishedAt) - Date.parse(first.startedAt)).toBeGreaterThanOrEqual(450);
      expect(Date.parse(second.startedAt)).toBeGreaterThanOrEqual(Date.parse(first.finishedAt));
      // The receiver got both attempts, under one key.
      const key = body.idempotencyKey;
      expect(receiver.received.filter((r) => r.headers['idempotency-key'] === key)).toHaveLength(2);

      const delivered = (await get(`/api/outbox/${ids.delivered}`)).body;
      expect(delivered.history).toEqual([expect.objectContaining({ attempt: 1, outcome: 'delivered', httpStatus: null, error: null })]);
    });

    it.skipIf(skip)('GET /api/outbox/:id: an unknown id is a coded 404, a bad one a 400, and only admins may look', async () => {
      const missing = await get('/api/outbox/2147483647');
      expect(missing.status).toBe(404);
      expect(missing.body.error).toMatchObject({ code: 'APPRAISE_OUTBOX_NOT_FOUND', message: 'There is no delivery 2147483647. `GET /api/outbox` lists them.' });
      for (const bad of ['0', '-1', '2147483648', '1.5', 'abc']) {
        const r = await get(`/api/outbox/${bad}`);
        expect(r.status, bad).toBe(400);
        expect(r.body.error.code, bad).toMatch(/^APPRAISE_/);
      }
      expect((await get(`/api/outbox/${ids.maybe}`, 'hr')).status).toBe(403);
    });

    // Last: the store is closed here so that the CLI, another process, can own the embedded one.
    it.skipIf(skip)('npx appraise outbox: the last outcome, "may have been delivered", and one delivery\'s attempts', async () => {
      await closeApp();
      const run = (...args: string[]) => cli(['outbox', ...args, ...cliArgs], { env: cliEnv });

      const list = run();
      expect(list.stderr).toBe('');
      expect(list.code).toBe(0);
      const lines = list.stdout.split('\n');
      const block = (id: number) => lines.slice(lines.findIndex((l) => l.startsWith(`#${id}  `)), lines.findIndex((l) => l.startsWith(`#${id}  `)) + 3).join('\n');
      expect(block(ids.maybe)).toMatch(new RegExp(
        `^#${ids.maybe}  case \\d+  webhook\\.post case\\.opened  dead after 2 attempts, last outcome failed \\(not delivered\\), 1 without an answer\\n` +
        '    May have been delivered: 1 of 2 attempts ended without an answer before it was given up\\. Look for Idempotency-Key case-\\d+:case\\.opened:webhook\\.post at the receiver before retrying it by hand\\.\\n' +
        '    Last error: may have been delivered: 1 attempt of 2 ended without an answer'));
      expect(block(ids.failed)).toMatch(new RegExp(`^#${ids.failed}  case \\d+  webhook\\.post case\\.opened  dead after 2 attempts, last outcome failed \\(not delivered\\)\\n    Not delivered: all 2 attempts failed\\.`));
      expect(block(ids.failed)).not.toMatch(/may have been delivered/i);
      expect(block(ids.retrying)).toMatch(new RegExp(`^#${ids.retrying}  case \\d+  webhook\\.post case\\.opened  pending after 1 attempt, last outcome unknown \\(may have been delivered\\), 1 without an answer\\n    May have been delivered: its attempt ended without an answer\\. It will be tried again at \\d{4}-\\S+Z`));
      expect(list.stdout).not.toContain(`#${ids.delivered}  `); // the list is what still needs attention
      expect(list.stdout).toMatch(/^3 of 3 delivery\(ies\)\. `npx appraise outbox <id>` shows one with its attempts\.$/m);

      const one = run(String(ids.maybe));
      expect(one.stderr).toBe('');
      expect(one.code).toBe(0);
      const t = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';
      expect(one.stdout).toMatch(new RegExp([
        `^Delivery #${ids.maybe}: webhook\\.post case\\.opened for case \\d+`,
        'Status: dead after 2 attempts, last outcome failed \\(not delivered\\), 1 without an answer',
        'May have been delivered: 1 of 2 attempts ended without an answer before it was given up\\. .*',
        'Idempotency-Key: case-\\d+:case\\.opened:webhook\\.post',
        `Queued: ${t}`,
        'Attempts:',
        `  1  ${t} → ${t}  unknown \\(may have been delivered\\)  worker dispatcher-\\S+`,
        '     APPRAISE_WORKFLOW_OUTCOME_UNKNOWN: POST 127\\.0\\.0\\.1:\\d+/hooks/appraise got no answer within the webhook timeout of 500 ms; it may have been delivered',
        `  2  ${t} → ${t}  failed \\(not delivered\\), HTTP 503  worker dispatcher-\\S+`,
        '     POST 127\\.0\\.0\\.1:\\d+/hooks/appraise answered 503',
        'Last error: may have been delivered: 1 attempt of 2 .*',
        `Retry by hand: npx appraise outbox --retry ${ids.maybe}`,
        '$',
      ].join('\\n')));

      const json = run(String(ids.maybe), '--format', 'json');
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({ id: ids.maybe, mayHaveBeenDelivered: true, history: [{ attempt: 1, outcome: 'unknown' }, { attempt: 2, outcome: 'failed', httpStatus: 503 }] });

      const missing = run('2147483647');
      expect(missing).toMatchObject({ code: 1, stdout: '', stderr: 'error APPRAISE_OUTBOX_NOT_FOUND No delivery 2147483647; `npx appraise outbox` lists them.\n' });
      const bad = run('x1');
      expect(bad).toMatchObject({ code: 2, stdout: '', stderr: 'error APPRAISE_USAGE The delivery id must be a whole number from 1 to 2147483647, not x1.\n' });
    }, 120_000);
  });
}
