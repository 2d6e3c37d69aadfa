// A credential that Appraise resolved never leaves the process in an answer or a log line,
// whatever put it there: here an id echoed back in an error, with and without compression.
import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rememberSecret } from '../../core/config/secrets.ts';
import { testServer, type TestServer } from './helpers.ts';

const SECRET = 'zd-live-token-7f3a9c2e41';
let t: TestServer;
const lines: string[] = [];

beforeAll(async () => {
  const stream = new PassThrough();
  stream.on('data', (c: Buffer) => lines.push(c.toString()));
  t = await testServer({ logger: { stream } }, { tokens: ['admin'] });
  rememberSecret(SECRET);
});
afterAll(() => t.close());

describe('credentials in answers and logs', () => {
  it('takes a resolved credential out of an answer, compressed or not, and out of the request log', async () => {
    const url = `/api/employees/${SECRET}/goals`;
    const plain = await t.call('admin', 'GET', url);
    expect(plain.statusCode).toBe(404);
    expect(plain.json().error.message).toContain('[redacted]');
    expect(plain.body).not.toContain(SECRET);
    // A list long enough to be compressed, holding the value (say a vendor put it in a name).
    await t.app.store.query(`INSERT INTO employees (id, name, role, team, content_hash) VALUES ('leaky', $1, 'agent', 'A', 'x')`, [`Agent ${SECRET}`]);
    const gz = await t.server.inject({ method: 'GET', url: '/api/employees?pageSize=100', headers: { authorization: `Bearer ${t.tokens.admin}`, 'accept-encoding': 'gzip' } });
    expect(gz.statusCode).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    const body = gunzipSync(gz.rawPayload).toString();
    expect(body).toContain('Agent [redacted]');
    expect(body).not.toContain(SECRET);
    const log = lines.join('');
    expect(log).toContain('/api/employees/[redacted]/goals');
    expect(log).not.toContain(SECRET);
  });
});
