// One token cannot make the server unusable for everyone else: costly routes are limited per
// token (so many a minute, so many at once), each refusal a coded 429 with Retry-After, and
// health keeps answering while they are refused. Over real HTTP, as a browser would send them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from './helpers.ts';

let t: TestServer;
let base: string;
beforeAll(async () => {
  t = await testServer({ limits: { perMinute: 30, atOnce: 2 } });
  base = await t.server.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await t.close();
});

describe('costly requests from one token', () => {
  it('100 dashboard calls at once from an employee token: most are a 429 with Retry-After, and health answers meanwhile', async () => {
    const auth = { authorization: `Bearer ${t.tokens.employee}` };
    const calls = Array.from({ length: 100 }, () => fetch(`${base}/api/dashboard`, { headers: auth }));
    const started = performance.now();
    const health = await fetch(`${base}/api/health`);
    const healthMs = performance.now() - started;
    const answers = await Promise.all(calls);
    const statuses = answers.map((r) => r.status);
    expect(health.status).toBe(200);
    expect(['ok', 'busy']).toContain((await health.json()).store.status);
    // Health waits at most its one-second store check, however busy the store is.
    expect(healthMs).toBeLessThan(3000);

    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    const ok = statuses.filter((s) => s === 200).length;
    const refused = answers.filter((r) => r.status === 429);
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThanOrEqual(30);
    expect(refused.length).toBeGreaterThanOrEqual(70);
    for (const r of refused.slice(0, 5)) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await r.json()).error).toMatchObject({ code: 'APPRAISE_API_TOO_MANY_REQUESTS', requestId: expect.stringMatching(/^req-/) });
    }
  });

  it('another token is not held back by the first one\'s limit', async () => {
    const r = await fetch(`${base}/api/dashboard`, { headers: { authorization: `Bearer ${t.tokens.hr}` } });
    expect(r.status).toBe(200);
  });

  it('the minute\'s limit says when to come back', async () => {
    const auth = { authorization: `Bearer ${t.tokens.viewer}` };
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await fetch(`${base}/api/dashboard`, { headers: auth })).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    const last = await fetch(`${base}/api/dashboard`, { headers: auth });
    expect(last.status).toBe(429);
    const body = (await last.json()).error;
    expect(body.message).toMatch(/at most 30 a minute\. Try again in \d+ seconds?\./);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
