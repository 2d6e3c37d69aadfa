// Issue 20's promise end to end: a scheduled run proposes a PIP; HR gets exactly one email and
// the configured Slack channel exactly one message, although the worker delivering them is
// killed (SIGKILL) while the SMTP server holds its answer to the email's DATA. A real worker
// process, a real SMTP receiver (smtp-server) and a real HTTP receiver answering as Slack does.
// The run is the one the scheduler starts at a tick (trigger `schedule`, a run key), started
// here directly rather than by waiting for a cron minute.
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Appraise } from '../../core/app/appraise.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { publishPolicy } from '../../core/policy/versions.ts';
import { POSTGRES_URL, dropSchema, freshSchemaName, postgresReachable } from '../store/backends.ts';
import { ROOT } from '../cli/run-cli.ts';
import { later, outbox, waitFor } from '../workflows/helpers.ts';
import { AS_OF, policyYaml, seedOrganisation } from '../server/helpers.ts';
import { SmtpReceiver } from './smtp-receiver.ts';
import { dispatch, openApp, spawnWorker } from './helpers.ts';

const HOOK_ENV = 'APPRAISE_TEST_SCHEDULED_PIP_SLACK';

function yaml(smtpPort: number): string {
  return `notifications:
  smtp: { host: 127.0.0.1, port: ${smtpPort}, timeoutMs: 20000 }
  from: "Appraise <appraise@example.com>"
  hr: [hr@example.com]
chat:
  channels:
    hr-alerts: { type: slack, webhook: { env: ${HOOK_ENV} } }
plugins:
  settings:
    slack: { channel: hr-alerts, timeoutMs: 5000 }
workflows:
  defaults:
    pip: [email.send, slack.post]
`;
}

beforeAll(() => {
  const build = spawnSync(process.execPath, [join(ROOT, 'core/cli/build-core.mjs')], { cwd: ROOT, encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
}, 120_000);

for (const backend of ['postgres', 'pglite'] as const) {
  const skip = backend === 'postgres' && !(await postgresReachable());
  describe.skipIf(skip)(`a scheduled run proposing a PIP, its worker killed mid-delivery (${backend})`, () => {
    const smtp = new SmtpReceiver();
    const posts: Array<{ path: string; body: Record<string, unknown> }> = [];
    let slack: Server;
    let dir: string;
    const schema = backend === 'postgres' ? freshSchemaName() : undefined;
    let worker: ReturnType<typeof spawnWorker> | undefined;
    let app: Appraise | undefined;
    const where = () => (schema ? { databaseUrl: POSTGRES_URL, schema } : { dataDir: join(dir, 'store') });

    beforeAll(async () => {
      await smtp.start();
      slack = createServer((req, res) => {
        let body = '';
        req.on('data', (d) => (body += String(d)));
        req.on('end', () => {
          posts.push({ path: req.url!, body: JSON.parse(body) as Record<string, unknown> });
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('ok');
        });
      });
      await new Promise<void>((r) => slack.listen(0, '127.0.0.1', r));
      process.env[HOOK_ENV] = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T0/B0/hr0alerts0secret`;
      dir = mkdtempSync(join(tmpdir(), 'appraise-scheduled-pip-'));
    });
    afterAll(async () => {
      await worker?.kill();
      await app?.close();
      await smtp.stop();
      await new Promise<void>((r) => slack.close(() => r()));
      delete process.env[HOOK_ENV];
      if (schema) await dropSchema(schema);
      rmSync(dir, { recursive: true, force: true });
    });

    it('sends exactly one email to HR and one Slack message', async () => {
      const file = join(dir, 'appraise.config.yaml');
      writeFileSync(file, yaml(smtp.port));
      const setup = await openApp(yaml(smtp.port), where());
      await seedOrganisation(setup);
      // A threshold only w1 (mean CSAT 1.5) is under: one PIP.
      const text = policyYaml(1.6);
      await publishPolicy(setup.store, { policy: loadPolicyText('fair-test.policy.yaml', text, setup.registry).policy!, yaml: text, author: 'hr', comment: 'one PIP' });
      const run = await setup.run({ trigger: 'schedule', asOf: new Date(AS_OF), runKey: `fair-test@${AS_OF}` });
      expect(run.run.summary.fired.pip).toBe(1);
      const pips = (await setup.store.query<{ id: number; status: string; employee_id: string }>(`SELECT id, status, employee_id FROM cases WHERE type = 'pip'`)).rows;
      expect(pips).toEqual([expect.objectContaining({ status: 'proposed', employee_id: 'w1' })]);
      expect((await setup.store.query<{ workflow: string }>('SELECT workflow FROM outbox ORDER BY workflow')).rows.map((r) => r.workflow)).toEqual(['email.send', 'slack.post']);
      await setup.close();
      smtp.hold = true;

      worker = spawnWorker({ file, dir, ...(schema ? { schema } : {}) });
      // Slack has its message; the email is in the SMTP server's hands, not yet accepted.
      await waitFor(`the worker to post to Slack and send the email (it said: ${worker.output()})`, () => posts.length === 1 && smtp.heldCount === 1, 90_000);
      await worker.kill();
      await waitFor('the SMTP server to see the connection go', () => smtp.connections === 0);
      smtp.release();
      expect(smtp.accepted).toHaveLength(0);

      // The next worker, once the dead one's claim has run out.
      app = await openApp(yaml(smtp.port), where());
      expect(await dispatch(app, later(120_000))).toMatchObject({ delivered: 1 });
      expect(await dispatch(app, later(240_000))).toMatchObject({ claimed: 0 });
      expect(smtp.accepted).toHaveLength(1);
      expect(smtp.accepted[0].to).toEqual(['hr@example.com']);
      expect(smtp.accepted[0].subject).toMatch(/performance improvement plan is proposed for Agent w1/i);
      expect(posts).toHaveLength(1);
      expect(posts[0].path).toBe('/services/T0/B0/hr0alerts0secret');
      expect(JSON.stringify(posts[0].body.blocks)).toMatch(/performance improvement plan is proposed for Agent w1/i);
      expect((await outbox(app.store)).map((r) => r.status)).toEqual(['delivered', 'delivered']);
      // The webhook URL is a credential: nowhere in what the worker printed or the outbox keeps.
      expect(worker.output()).not.toContain('hr0alerts0secret');
      expect(JSON.stringify(await outbox(app.store))).not.toContain('hr0alerts0secret');
    }, 240_000);
  });
}
