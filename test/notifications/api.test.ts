// The notification routes on a real server: an employee's own preferences (kept with who and
// when), the templates with their variables, a preview for a case, a test send to a real SMTP
// server; and the SMTP password, given by reference, never appears in a log line, an API
// answer, an audit row, an outbox error or a notice record, whether the login works or not.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Appraise } from '../../core/app/appraise.ts';
import { createToken } from '../../core/auth/tokens.ts';
import { buildServer } from '../../core/server/app.ts';
import { outbox } from '../workflows/helpers.ts';
import { SmtpReceiver } from './smtp-receiver.ts';
import { addCase, dispatch, notificationsYaml, openApp, queueCaseNotice, seedPeople } from './helpers.ts';

const PASSWORD = `smtp-Pa55-${Math.random().toString(36).slice(2)}`;
const ENV = 'APPRAISE_TEST_SMTP_PASSWORD';

describe('notification routes and the SMTP password', () => {
  const receiver = new SmtpReceiver({ auth: { user: 'appraise', pass: PASSWORD } });
  let app: Appraise;
  let server: FastifyInstance;
  const logs: string[] = [];
  const answers: string[] = [];
  const tokens: Record<string, string> = {};
  const call = async (who: string, method: 'GET' | 'PUT' | 'POST', url: string, body?: unknown) => {
    const r = await server.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, ...(body !== undefined ? { payload: body as never } : {}) });
    answers.push(r.body);
    return r;
  };

  beforeAll(async () => {
    process.env[ENV] = PASSWORD;
    await receiver.start();
    const yaml = notificationsYaml(receiver).replace('    timeoutMs: 5000', `    timeoutMs: 5000\n    user: appraise\n    password: { env: ${ENV} }`);
    app = await openApp(yaml, { log: (m) => logs.push(m) });
    await seedPeople(app.store);
    for (const [name, role, employeeId] of [['hr', 'hr', undefined], ['dana', 'employee', 'e1'], ['viewer', 'viewer', undefined]] as const) {
      tokens[name] = (await createToken(app.store, { name, role, ...(employeeId ? { employeeId } : {}), createdBy: 'setup' })).token;
    }
    server = await buildServer(app, {});
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await app?.close();
    await receiver.stop();
    delete process.env[ENV];
  });

  it('an employee reads and sets their own choice; essential notices are listed; the change is kept with who and when', async () => {
    const before = await call('dana', 'GET', '/api/me/notifications');
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({ employeeId: 'e1', optOut: false, digest: false, updatedBy: null });
    expect(before.json().essential.map((e: { event: string }) => e.event)).toEqual(['pip.proposed', 'pip.plan', 'dispute.resolved']);
    const put = await call('dana', 'PUT', '/api/me/notifications', { optOut: false, digest: true });
    expect(put.json()).toMatchObject({ optOut: false, digest: true, updatedBy: 'dana' });
    const audit = (await app.store.query<{ actor: string; target: string; after: unknown }>(`SELECT actor, target, after FROM audit_log WHERE action = 'notifications.preferences'`)).rows;
    expect(audit).toEqual([{ actor: 'dana', target: 'employee:e1', after: { optOut: false, digest: true } }]);
    const noEmployee = await call('viewer', 'GET', '/api/me/notifications');
    expect(noEmployee.statusCode).toBe(404);
    expect(noEmployee.json().error.code).toBe('APPRAISE_NOTIFY_NOT_FOUND');
    expect((await call('dana', 'PUT', '/api/me/notifications', { optOut: 'yes' })).statusCode).toBe(400);
  });

  it('HR lists the templates with their variables and previews one for a real case', async () => {
    const list = await call('hr', 'GET', '/api/notifications/templates');
    expect(list.statusCode).toBe(200);
    const plan = list.json().templates.find((t: { id: string }) => t.id === 'pip.plan');
    expect(plan).toMatchObject({ event: 'pip.plan', essential: true, to: ['employee', 'manager'] });
    expect(plan.variables.map((v: { name: string }) => v.name)).toContain('plan.goals');
    expect(list.json().configured).toBe(true);
    const caseId = await addCase(app.store, { type: 'pip', status: 'approved', employeeId: 'e1' });
    const preview = await call('hr', 'POST', '/api/notifications/preview', { template: 'pip.plan', caseId, audience: 'employee' });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ subject: 'Your performance improvement plan', audience: 'employee', message: { event: 'pip.plan', title: 'The performance improvement plan for Dana <b>Reyes</b> & Co is ready' } });
    expect(preview.json().html).toContain('<li>Answer first replies within 4 hours</li>');
    const unknown = await call('hr', 'POST', '/api/notifications/preview', { template: 'pip.plna' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toContain('Did you mean `pip.plan`?');
    expect((await call('dana', 'GET', '/api/notifications/templates')).statusCode).toBe(403);
  });

  it('a test send reaches the address given and is recorded; with a wrong password it fails with what the server said, never the password', async () => {
    const ok = await call('hr', 'POST', '/api/notifications/test', { template: 'dispute.resolved', to: 'admin@example.com', employeeId: 'e1' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().subject).toBe('[Test] Your dispute about a sample case: upheld');
    expect(receiver.accepted.map((m) => [m.to[0], m.subject])).toEqual([['admin@example.com', '[Test] Your dispute about a sample case: upheld']]);
    expect(receiver.logins).toEqual([{ user: 'appraise', pass: PASSWORD }]); // it logged in with the referenced password

    receiver.auth = { user: 'appraise', pass: 'another-password' };
    const refused = await call('hr', 'POST', '/api/notifications/test', { template: 'dispute.resolved', to: 'admin@example.com' });
    expect(refused.statusCode).toBe(502);
    expect(refused.json().error.code).toBe('APPRAISE_NOTIFY_SEND_FAILED');
    expect(refused.json().error.message).toMatch(/did not accept the login of appraise/);

    // A delivery through the outbox with the refused login: dead at once, the reason on record.
    const c = await addCase(app.store, { type: 'pip', status: 'proposed', employeeId: 'e1', approval: 'required' });
    await queueCaseNotice(app.store, c, 'case.opened');
    expect(await dispatch(app)).toMatchObject({ dead: 1 });
    expect((await outbox(app.store))[0].last_error).toMatch(/^APPRAISE_NOTIFY_REFUSED: the SMTP server 127\.0\.0\.1:\d+ did not accept the login of appraise/);
    receiver.auth = { user: 'appraise', pass: PASSWORD };

    // Everything that leaves the process or stays on record, searched for the password.
    answers.push((await call('hr', 'GET', '/api/notifications/templates')).body, (await call('hr', 'GET', '/api/outbox')).body);
    const dump = async (table: string) => JSON.stringify((await app.store.query(`SELECT * FROM ${table}`)).rows);
    const stored = await Promise.all(['audit_log', 'outbox', 'outbox_attempts', 'notifications_sent'].map(dump));
    for (const text of [...logs, ...answers, ...stored]) expect(text).not.toContain(PASSWORD);
    expect(answers.length).toBeGreaterThan(8);
  });
});
