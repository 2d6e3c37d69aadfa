// Nothing is sent twice across a worker kill: a real `npx appraise worker` (the compiled core)
// sends the notice of a proposed PIP to HR, the SMTP server holds its answer to DATA, the worker
// is killed with SIGKILL; the server never answered, so nothing was delivered. Another worker,
// once the dead one's claim has run out (the clock moved on past its lease), sends it again
// under the same Message-ID, and the server accepts exactly one message. On PostgreSQL (a
// shared database) and on the embedded store (a folder the next process takes over).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Appraise } from '../../core/app/appraise.ts';
import { POSTGRES_URL, dropSchema, freshSchemaName, postgresReachable } from '../store/backends.ts';
import { ROOT } from '../cli/run-cli.ts';
import { history, later, outbox, waitFor } from '../workflows/helpers.ts';
import { SmtpReceiver } from './smtp-receiver.ts';
import { addCase, dispatch, openApp, queueCaseNotice, seedPeople, sentRows, spawnWorker } from './helpers.ts';

function yamlFor(receiver: SmtpReceiver): string {
  return [
    'notifications:',
    '  smtp: { host: 127.0.0.1, port: ' + receiver.port + ', timeoutMs: 20000 }',
    '  from: "Appraise <appraise@example.com>"',
    '  hr: [hr@example.com]',
  ].join('\n');
}

beforeAll(() => {
  const build = spawnSync(process.execPath, [join(ROOT, 'core/cli/build-core.mjs')], { cwd: ROOT, encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
}, 120_000);

for (const backend of ['postgres', 'pglite'] as const) {
  const skip = backend === 'postgres' && !(await postgresReachable());
  describe.skipIf(skip)(`a worker killed while the SMTP server holds its answer to DATA (${backend})`, () => {
    const receiver = new SmtpReceiver();
    let dir: string;
    const schema = backend === 'postgres' ? freshSchemaName() : undefined;
    let worker: ReturnType<typeof spawnWorker> | undefined;
    let app: Appraise | undefined;
    const where = () => (schema ? { databaseUrl: POSTGRES_URL, schema } : { dataDir: join(dir, 'store') });
    beforeAll(async () => {
      await receiver.start();
      dir = mkdtempSync(join(tmpdir(), 'appraise-notify-'));
    });
    afterAll(async () => {
      await worker?.kill();
      await app?.close();
      await receiver.stop();
      if (schema) await dropSchema(schema);
      rmSync(dir, { recursive: true, force: true });
    });

    it('sends exactly one email to HR: the killed attempt is recorded as unknown, the retry carries the same Message-ID', async () => {
      const file = join(dir, 'appraise.config.yaml');
      writeFileSync(file, yamlFor(receiver));
      // The case and its delivery, as a run leaves them; then the store is the worker's.
      const setup = await openApp(yamlFor(receiver), where());
      await seedPeople(setup.store);
      const caseId = await addCase(setup.store, { type: 'pip', status: 'proposed', employeeId: 'e1', approval: 'required' });
      await queueCaseNotice(setup.store, caseId, 'case.opened');
      await setup.close();
      receiver.hold = true;

      worker = spawnWorker({ file, dir, ...(schema ? { schema } : {}) });
      await waitFor(`the worker to send the message (it said: ${worker.output()})`, () => receiver.heldCount === 1, 90_000);
      await worker.kill();
      await waitFor('the server to see the connection go', () => receiver.connections === 0);
      receiver.release();
      expect(receiver.accepted).toHaveLength(0);
      expect(receiver.abandoned).toHaveLength(1);

      // Another worker, once the dead one's claim has run out.
      app = await openApp(yamlFor(receiver), where());
      expect((await outbox(app.store))[0]).toMatchObject({ status: 'in_flight', attempts: 1 });
      expect(await sentRows(app.store)).toEqual([]); // the record is written only once the server accepted it
      expect(await dispatch(app, later(120_000))).toMatchObject({ delivered: 1 });
      expect(receiver.accepted).toHaveLength(1);
      const [mail] = receiver.accepted;
      expect(mail.to).toEqual(['hr@example.com']);
      expect(mail.subject).toBe('A performance improvement plan is proposed for Dana <b>Reyes</b> & Co');
      expect(mail.messageId).toBe(receiver.abandoned[0].messageId);
      const [row] = await outbox(app.store);
      expect(row).toMatchObject({ status: 'delivered', attempts: 2, unknown_attempts: 1 });
      expect((await history(app.store, row.id)).map((h) => h.outcome)).toEqual(['unknown', 'delivered']);
      expect((await sentRows(app.store)).map((r) => [r.recipient, r.status, r.message_id])).toEqual([['hr@example.com', 'sent', mail.messageId]]);

      // And it stays one: further rounds find nothing to send.
      expect(await dispatch(app, later(240_000))).toMatchObject({ claimed: 0 });
      expect(receiver.accepted).toHaveLength(1);
    }, 240_000);
  });
}
