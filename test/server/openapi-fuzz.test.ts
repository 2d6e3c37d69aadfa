// Random requests for every route of the OpenAPI document, from its own schemas: mostly valid
// bodies, queries and path values mixed with hostile ones. Whatever arrives, the answer is
// never a 5xx, an error is always `{error: {code, message, requestId}}`, and the server still
// answers /api/health afterwards.
import fc from 'fast-check';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from './helpers.ts';
import { pathSegment, schemaArbitrary, toQuery, type OpenApiDoc, type Operation } from './openapi-arbitrary.ts';

let t: TestServer;
let doc: OpenApiDoc;
const log: string[] = [];
/** The suite's own tokens: the fuzz never revokes them. A revoked one would turn the rest of the
 * fuzz into failed sign-ins, and after 20 of those the address is refused (429) for a minute,
 * whatever token the next test uses. */
let suiteTokenIds = new Set<number>();

beforeAll(async () => {
  const stream = new Writable({ write(chunk, _enc, done) { log.push(String(chunk)); done(); } });
  // The per-token limits would answer most calls 429 here; the fuzz is after the handlers.
  t = await testServer({ logger: { stream, level: 'info' }, limits: { perMinute: 1_000_000, atOnce: 1000 } });
  doc = JSON.parse((await t.call(null, 'GET', '/api/openapi.json')).body);
  suiteTokenIds = new Set((await t.app.store.query<{ id: number | string }>('SELECT id FROM api_tokens')).rows.map((r) => Number(r.id)));
});
afterAll(async () => {
  await t.close();
});

const RUNS = Number(process.env.APPRAISE_FUZZ_RUNS ?? 25);

function request(path: string, op: Operation, method: string) {
  const params = op.parameters ?? [];
  const pathValues = fc.record(Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, schemaArbitrary(p.schema, doc)])));
  const queryParams = params.filter((p) => p.in === 'query');
  const query = fc.record(Object.fromEntries(queryParams.map((p) => [p.name, schemaArbitrary(p.schema, doc)])), { requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name) });
  const bodySchema = op.requestBody?.content['application/json']?.schema;
  const body = bodySchema
    ? fc.oneof({ weight: 4, arbitrary: schemaArbitrary(bodySchema, doc) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) })
    : path.startsWith('/api/imports/') ? fc.string({ maxLength: 300, unit: 'binary' }) : fc.constant(undefined);
  const revokesOwn = (r: { pathValues: Record<string, unknown> }) => path === '/api/tokens/{id}/revoke' && suiteTokenIds.has(Number(r.pathValues.id));
  return fc.record({ pathValues, query, body, who: fc.constantFrom('admin', 'hr', 'manager', 'employee', 'viewer') as fc.Arbitrary<'admin'> }).filter((r) => !revokesOwn(r)).map((r) => {
    let url = path;
    for (const [k, v] of Object.entries(r.pathValues)) url = url.replace(`{${k}}`, pathSegment(v));
    // A background run would outlive the test's store; the fuzz waits for runs.
    const b = path === '/api/runs' && r.body && typeof r.body === 'object' ? { ...(r.body as object), wait: true } : r.body;
    return { method, url: url + toQuery(r.query), body: b, who: r.who };
  });
}

describe('random requests from the OpenAPI schemas', () => {
  it('every route: no 5xx, a coded error body, and health still answers', async () => {
    const routes = Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => ({ path: p, method: m.toUpperCase(), op })));
    expect(routes.length).toBeGreaterThan(25);
    for (const { path, method, op } of routes) {
      await fc.assert(
        fc.asyncProperty(request(path, op, method), async (r) => {
          const csv = path.startsWith('/api/imports/');
          const res = await t.server.inject({
            method: r.method as 'GET', url: r.url,
            headers: { authorization: `Bearer ${t.tokens[r.who]}`, ...(csv ? { 'content-type': 'text/csv' } : {}) },
            ...(r.body !== undefined ? { payload: csv ? String(r.body) : (r.body as object) } : {}),
          });
          const label = `${r.method} ${r.url} as ${r.who}: ${res.body.slice(0, 300)}`;
          expect(res.statusCode, label).toBeLessThan(500);
          if (res.statusCode >= 400) {
            expect(JSON.parse(res.body).error, label).toMatchObject({ code: expect.stringMatching(/^APPRAISE_[A-Z_]+$/), message: expect.any(String), requestId: res.headers['x-request-id'] });
          }
        }),
        { numRuns: RUNS },
      );
    }
    const health = await t.call(null, 'GET', '/api/health');
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body).store.status).toBe('ok');
  }, 600_000);
});

describe('an unexpected error', () => {
  it('answers 500 with a request id that is found in the log next to the error, and no token is logged', async () => {
    const query = t.app.store.query;
    (t.app.store as { query: unknown }).query = async () => {
      throw new Error('the disk went away');
    };
    try {
      const r = await t.call('hr', 'GET', '/api/policies');
      expect(r.statusCode).toBe(500);
      const body = JSON.parse(r.body).error;
      expect(body).toMatchObject({ code: 'APPRAISE_API_INTERNAL', requestId: expect.stringMatching(/^req-[0-9a-f]{12}$/) });
      expect(body.message).toContain(body.requestId);
      expect(body.message).not.toMatch(/disk|at \w+ \(/);
      const lines = log.map((l) => JSON.parse(l) as { reqId?: string; level: number; err?: { message: string; stack: string } });
      const logged = lines.find((l) => l.reqId === body.requestId && l.level >= 50);
      expect(logged?.err?.message).toBe('the disk went away');
      expect(logged?.err?.stack).toMatch(/openapi-fuzz\.test\.ts/);
    } finally {
      (t.app.store as { query: unknown }).query = query;
    }
    const all = log.join('');
    for (const token of Object.values(t.tokens)) expect(all).not.toContain(token);
    expect(all).toContain('"reqId"');
  });
});
