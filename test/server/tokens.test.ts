// Access tokens over the API (issue 16), on both store back-ends: an admin creates a token and
// gets its secret once, the secret signs in, the list shows the token without its secret, a
// revoked or expired token gets a 401, and only admins may do any of it.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, postgresReachable } from '../store/backends.ts';
import { testServer, type TestServer } from './helpers.ts';

const json = (r: { body: string }) => JSON.parse(r.body);
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

for (const backend of BACKENDS.map((b) => b.name)) {
  describe(`access tokens over the API (${backend})`, async () => {
    const skip = backend === 'postgres' && !(await postgresReachable());
    let t: TestServer;
    beforeAll(async () => {
      if (!skip) t = await testServer({}, { backend, tokens: ['admin', 'hr', 'manager', 'employee', 'viewer'] });
    });
    afterAll(async () => {
      await t?.close();
    });

    const call = (secret: string | null, method: 'GET' | 'POST', url: string, body?: unknown) =>
      t.server.inject({ method, url, ...(secret ? { headers: { authorization: `Bearer ${secret}` } } : {}), ...(body !== undefined ? { payload: body as object } : {}) });
    const asAdmin = (method: 'GET' | 'POST', url: string, body?: unknown) => call(t.tokens.admin, method, url, body);
    const auditOf = async (id: number) => (await t.app.store.query<{ action: string; actor: string; after: unknown }>(`SELECT action, actor, after FROM audit_log WHERE target = $1 ORDER BY id`, [`token:${id}`])).rows;

    it.skipIf(skip)('create → the secret signs in → the list shows the token without its secret → revoke → the secret gets a 401', async () => {
      const created = await asAdmin('POST', '/api/tokens', { name: 'Quarterly report bot', role: 'viewer' });
      expect(created.statusCode).toBe(201);
      const { secret, token } = json(created);
      expect(secret).toMatch(/^apr_[A-Za-z0-9_-]{43}$/);
      expect(token).toEqual({
        id: expect.any(Number), name: 'Quarterly report bot', role: 'viewer', status: 'active', employeeId: null, employeeName: null,
        createdAt: expect.stringMatching(ISO), createdBy: 'admin', expiresAt: null, lastUsedAt: null, revokedAt: null, revokedBy: null,
      });

      const me = await call(secret, 'GET', '/api/me');
      expect(me.statusCode).toBe(200);
      expect(json(me)).toMatchObject({ tokenId: token.id, name: 'Quarterly report bot', role: 'viewer' });
      expect((await call(secret, 'GET', '/api/policies')).statusCode).toBe(200);

      const list = await asAdmin('GET', '/api/tokens');
      expect(list.statusCode).toBe(200);
      // Neither the secret nor its hash is anywhere in the answer.
      expect(list.body).not.toContain(secret);
      expect(list.body).not.toContain(createHash('sha256').update(secret).digest('hex'));
      expect(list.body).not.toMatch(/secret|hash/i);
      const listed = json(list).tokens;
      expect(listed[0]).toMatchObject({ id: token.id, status: 'active', lastUsedAt: expect.stringMatching(ISO) });
      expect(listed.map((t: { name: string }) => t.name)).toEqual(['Quarterly report bot', 'viewer', 'employee', 'manager', 'hr', 'admin']);

      const revoked = await asAdmin('POST', `/api/tokens/${token.id}/revoke`);
      expect(revoked.statusCode).toBe(200);
      expect(json(revoked)).toMatchObject({ id: token.id, status: 'revoked', revokedAt: expect.stringMatching(ISO), revokedBy: 'admin' });

      const after = await call(secret, 'GET', '/api/me');
      expect(after.statusCode).toBe(401);
      expect(json(after).error).toMatchObject({ code: 'APPRAISE_API_UNAUTHORIZED', message: 'The token is unknown or revoked. Sign in again with a valid token.' });

      // Revoked tokens are kept, and revoking one again changes nothing and audits nothing.
      const again = await asAdmin('POST', `/api/tokens/${token.id}/revoke`);
      expect(again.statusCode).toBe(200);
      expect(json(again).revokedAt).toBe(json(revoked).revokedAt);
      expect(json(await asAdmin('GET', '/api/tokens')).tokens.find((k: { id: number }) => k.id === token.id)).toMatchObject({ status: 'revoked' });
      expect(await auditOf(token.id)).toEqual([
        { action: 'token.create', actor: 'admin', after: { name: 'Quarterly report bot', role: 'viewer', employeeId: null, expiresAt: null } },
        { action: 'token.revoke', actor: 'admin', after: null },
      ]);
    });

    it.skipIf(skip)("a manager token sees its manager's reporting line; the list names the manager", async () => {
      const created = await asAdmin('POST', '/api/tokens', { name: 'Ada on her tablet', role: 'manager', employeeId: 'mgr-a' });
      expect(created.statusCode).toBe(201);
      const { secret, token } = json(created);
      expect(token).toMatchObject({ role: 'manager', employeeId: 'mgr-a', employeeName: 'Ada Manager' });
      const people = json(await call(secret, 'GET', '/api/employees?pageSize=100'));
      expect(people.total).toBe(11);
      expect(people.employees.every((e: { id: string }) => e.id === 'mgr-a' || e.id.startsWith('w'))).toBe(true);
    });

    it.skipIf(skip)('an expired token gets a 401 that says it expired and what to do; the list says it expired', async () => {
      const expiresAt = new Date(Date.now() + 1500).toISOString();
      const created = await asAdmin('POST', '/api/tokens', { name: 'contractor', role: 'hr', expiresAt });
      expect(created.statusCode).toBe(201);
      const { secret, token } = json(created);
      expect(token.expiresAt).toBe(expiresAt);
      expect((await call(secret, 'GET', '/api/me')).statusCode).toBe(200);

      await new Promise((r) => setTimeout(r, Date.parse(expiresAt) - Date.now() + 300));
      const refused = await call(secret, 'GET', '/api/cases');
      expect(refused.statusCode).toBe(401);
      expect(json(refused).error).toMatchObject({
        code: 'APPRAISE_TOKEN_EXPIRED',
        message: `The token expired at ${expiresAt}. Ask an administrator for a new one (Access tokens in the admin UI, or \`npx appraise token create\`) and sign in with it.`,
        details: { expiredAt: expiresAt },
      });
      expect(json(await asAdmin('GET', '/api/tokens')).tokens.find((k: { id: number }) => k.id === token.id)).toMatchObject({ status: 'expired', revokedAt: null });
    });

    it.skipIf(skip)('an expiry given as a date alone lasts through that day (UTC), the last day there is too', async () => {
      const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
      const created = await asAdmin('POST', '/api/tokens', { name: 'until the weekend', role: 'viewer', expiresAt: day });
      expect(created.statusCode).toBe(201);
      expect(json(created).token.expiresAt).toBe(new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString());
      // The last day there is: its last instant, not a year 10000 the store could not keep.
      const last = await asAdmin('POST', '/api/tokens', { name: 'for ever, nearly', role: 'viewer', expiresAt: '9999-12-31' });
      expect(last.statusCode, last.body).toBe(201);
      expect(json(last).token.expiresAt).toBe('9999-12-31T23:59:59.999Z');
    });

    it.skipIf(skip)('bad input is a 400 naming the field, and creates nothing', async () => {
      const before = json(await asAdmin('GET', '/api/tokens')).tokens.length;
      const refuse = async (body: unknown, status: number, code: string, message: RegExp, field?: string) => {
        const r = await asAdmin('POST', '/api/tokens', body);
        expect(r.statusCode, JSON.stringify(body)).toBe(status);
        const error = json(r).error;
        expect(error.code, r.body).toBe(code);
        expect(error.message, r.body).toMatch(message);
        if (field) expect(error.details.field).toBe(field);
      };
      await refuse({ name: 'x', role: 'boss' }, 400, 'APPRAISE_API_BAD_REQUEST', /^body\.role must be equal to one of the allowed values: `admin`, `hr`, `manager`, `employee`, `viewer`\.$/);
      await refuse({ name: 'x'.repeat(101), role: 'viewer' }, 400, 'APPRAISE_API_BAD_REQUEST', /^body\.name must NOT have more than 100 characters\.$/);
      await refuse({ name: '   ', role: 'viewer' }, 400, 'APPRAISE_TOKEN_INVALID', /^name is empty: give the token a name/, 'name');
      await refuse({ name: 'two\nlines', role: 'viewer' }, 400, 'APPRAISE_TOKEN_INVALID', /^name holds a line break/, 'name');
      await refuse({ name: 'x', role: 'viewer', expiresAt: '2020-01-01' }, 400, 'APPRAISE_TOKEN_INVALID', /^expiresAt must lie in the future, not 2020-01-02T00:00:00\.000Z \(it is now .*\)\. Give a later date, or none for a token that does not expire\.$/, 'expiresAt');
      await refuse({ name: 'x', role: 'viewer', expiresAt: 'next friday' }, 400, 'APPRAISE_DATE_INVALID', /^expiresAt must be YYYY-MM-DD or an ISO 8601 instant/, 'expiresAt');
      await refuse({ name: 'x', role: 'viewer', expiresAt: '2027-02-30' }, 400, 'APPRAISE_DATE_INVALID', /^expiresAt names a day that does not exist/, 'expiresAt');
      await refuse({ name: 'x', role: 'manager' }, 400, 'APPRAISE_TOKEN_INVALID', /^A manager token acts as a particular employee: give their id in `employeeId`\.$/, 'employeeId');
      await refuse({ name: 'x', role: 'hr', employeeId: 'mgr-a' }, 400, 'APPRAISE_TOKEN_INVALID', /^An HR token sees everyone, so it acts as no employee: leave out employeeId/, 'employeeId');
      await refuse({ name: 'x', role: 'manager', employeeId: 'nobody' }, 404, 'APPRAISE_EMPLOYEE_NOT_FOUND', /^There is no employee `nobody` for the token to act as \(employeeId\)\./, 'employeeId');
      await refuse({ name: 'x', role: 'viewer', secret: 'apr_mine' }, 400, 'APPRAISE_API_BAD_REQUEST', /^body must NOT have additional properties `secret`\.$/);
      expect(json(await asAdmin('GET', '/api/tokens')).tokens).toHaveLength(before);

      const missing = await asAdmin('POST', '/api/tokens/999999/revoke');
      expect(missing.statusCode).toBe(404);
      expect(json(missing).error).toMatchObject({ code: 'APPRAISE_TOKEN_NOT_FOUND', message: 'There is no token 999999. `GET /api/tokens` lists them.' });
    });

    it.skipIf(skip)('only admins may list, create or revoke tokens (403), and a refused call changes nothing', async () => {
      const target = json(await asAdmin('POST', '/api/tokens', { name: 'target', role: 'viewer' }));
      for (const role of ['hr', 'manager', 'employee', 'viewer'] as const) {
        for (const [method, url, body] of [['GET', '/api/tokens'], ['POST', '/api/tokens', { name: `by ${role}`, role: 'admin' }], ['POST', `/api/tokens/${target.token.id}/revoke`]] as const) {
          const r = await call(t.tokens[role], method, url, body);
          expect(r.statusCode, `${method} ${url} as ${role}`).toBe(403);
          expect(json(r).error.code).toBe('APPRAISE_API_FORBIDDEN');
        }
      }
      const names = json(await asAdmin('GET', '/api/tokens')).tokens.map((k: { name: string }) => k.name);
      expect(names.filter((n: string) => n.startsWith('by '))).toEqual([]);
      expect((await call(target.secret, 'GET', '/api/me')).statusCode).toBe(200);
      expect((await call(null, 'GET', '/api/tokens')).statusCode).toBe(401);
    });
  });
}
