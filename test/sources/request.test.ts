// The source context's request against a real local HTTP server: rate limits waited out as the
// vendor asks, given up with a coded error past the limits, and credentials never in messages.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSourceContext, retryAfterMs } from '../../core/sources/request.ts';

const quiet = { info() {}, warn() {}, error() {} };
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

async function serve(answers: Array<{ status: number; headers?: Record<string, string>; body?: string }>): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  let i = 0;
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    const a = answers[Math.min(i++, answers.length - 1)];
    res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
    res.end(a.body ?? '{}');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('source requests', () => {
  it('waits out a 429 for as long as Retry-After says, then returns the answer', async () => {
    const { url, seen } = await serve([{ status: 429, headers: { 'retry-after': '7' } }, { status: 200, body: '{"tickets":[1,2]}' }]);
    const waits: number[] = [];
    const ctx = createSourceContext({ settings: {}, credentials: {}, log: quiet, sleep: async (ms) => void waits.push(ms) });
    const r = await ctx.request(`${url}/api/v2/tickets`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ tickets: [1, 2] });
    expect(waits).toEqual([7000]);
    expect(seen).toHaveLength(2);
  });

  it('reads an HTTP-date Retry-After, and a 503 without one is an answer, not a wait', async () => {
    const now = new Date('2026-12-05T10:00:00Z');
    expect(retryAfterMs('Sat, 05 Dec 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    const { url } = await serve([{ status: 503, body: '{"error":"down"}' }]);
    const ctx = createSourceContext({ settings: {}, credentials: {}, log: quiet, sleep: async () => {} });
    expect((await ctx.request(url)).status).toBe(503);
  });

  it('gives up past maxRetries or a wait longer than allowed, with a coded message that never holds the credential', async () => {
    const token = 'zd-secret-token-0123456789';
    const { url } = await serve([{ status: 429, headers: { 'retry-after': '1' } }]);
    const ctx = createSourceContext({ settings: {}, credentials: { token }, log: quiet, limits: { maxRetries: 2 }, sleep: async () => {} });
    const e = await ctx.request(`${url}/api/v2/x?token=${token}`, { headers: { authorization: ctx.basicAuth('me@x.com/token', token) } }).catch((x: Error) => x);
    expect((e as Error).message).toMatch(/^APPRAISE_SOURCE_RATE_LIMITED: GET 127\.0\.0\.1:\d+\/api\/v2\/x answered 429 \(asked to wait 1 s\) after 2 retries/);
    expect((e as Error).message).not.toContain(token);
    const long = await serve([{ status: 429, headers: { 'retry-after': '3600' } }]);
    const ctx2 = createSourceContext({ settings: {}, credentials: {}, log: quiet, limits: { maxWaitSeconds: 60 }, sleep: async () => { throw new Error('must not wait'); } });
    await expect(ctx2.request(long.url)).rejects.toThrow(/APPRAISE_SOURCE_RATE_LIMITED: .*asked to wait 3600 s\) after 0 retries/);
  });

  it('says a vendor it cannot reach is unreachable, and a body that lies about being JSON is a bad response', async () => {
    const ctx = createSourceContext({ settings: {}, credentials: {}, log: quiet });
    await expect(ctx.request('http://127.0.0.1:9/x')).rejects.toThrow(/^APPRAISE_SOURCE_UNREACHABLE: GET 127\.0\.0\.1:9\/x failed/);
    const { url } = await serve([{ status: 200, body: '<html>' }]);
    await expect(ctx.request(url)).rejects.toThrow(/^APPRAISE_SOURCE_BAD_RESPONSE/);
  });
});
