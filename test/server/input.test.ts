// Input that used to end in a 500 (issue 14): NUL characters in any text bound for the store,
// dates outside what JavaScript and PostgreSQL agree on. Each is now a coded 4xx naming the
// field, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyYaml, testServer, type TestServer } from './helpers.ts';

let t: TestServer;
beforeAll(async () => {
  t = await testServer();
});
afterAll(async () => {
  await t.close();
});

const error = (r: { body: string }) => JSON.parse(r.body).error as { code: string; message: string; requestId: string; details?: Record<string, unknown> };

describe('a NUL character is refused where it enters, naming the field', () => {
  it('in a policy text: validate, publish and preview point at its line and column', async () => {
    const yaml = policyYaml(2.0).replace('title: Fairness fixture', 'title: Fair\u0000ness fixture');
    for (const [method, url, body] of [
      ['POST', '/api/policies/validate', { yaml }],
      ['PUT', '/api/policies/fair-test', { yaml, comment: 'x' }],
      ['POST', '/api/policies/fair-test/simulate', { yaml }],
    ] as const) {
      const r = await t.call('hr', method, url, body);
      expect(r.statusCode, url).toBe(400);
      expect(error(r)).toMatchObject({ code: 'APPRAISE_INPUT_UNSTORABLE_TEXT', message: 'body.yaml holds a NUL character (U+0000) at line 3, column 39, which cannot be stored. Remove it and send again.', details: { field: 'body.yaml' } });
    }
  });

  it('in a publish comment, the employee search, a cases filter, an employee id in the path and an exemption reason', async () => {
    const cases: Array<[string, string, unknown, string]> = [
      ['PUT', '/api/policies/fair-test', { yaml: policyYaml(2.0), comment: 'Q4\u0000' }, 'body.comment'],
      ['GET', '/api/employees?q=a%00b', undefined, 'query.q'],
      ['GET', '/api/cases?team=A%00', undefined, 'query.team'],
      ['GET', '/api/employees/w%001', undefined, 'params.id'],
      ['POST', '/api/exemptions', { employeeId: 'w1', reason: 'leave\u0000', until: '2026-12-31' }, 'body.reason'],
      ['POST', '/api/exemptions', { employeeId: 'w1', reason: 'broken \ud800 pair', until: '2026-12-31' }, 'body.reason'],
    ];
    for (const [method, url, body, field] of cases) {
      const r = await t.call('hr', method as 'GET', url, body);
      expect(r.statusCode, url).toBe(400);
      expect(error(r), url).toMatchObject({ code: 'APPRAISE_INPUT_UNSTORABLE_TEXT', details: { field } });
      expect(error(r).message, url).toMatch(new RegExp(`^${field.replace('.', '\\.')} holds a (NUL character|broken surrogate pair)`));
    }
    const versions = JSON.parse((await t.call('hr', 'GET', '/api/policies/fair-test')).body).versions;
    expect(versions.some((v: { comment: string }) => v.comment.includes('\u0000'))).toBe(false);
    expect(JSON.parse((await t.call('hr', 'GET', '/api/exemptions')).body).exemptions).toEqual([]);
  });
});

describe('dates outside 1900–9999 are a coded 400, and a run is not written', () => {
  for (const value of ['0001-01-01', '275760-09-13', '-000001-01-01', '1899-12-31', '2026-02-30', 'tomorrow']) {
    it(value, async () => {
      const runsBefore = JSON.parse((await t.call('hr', 'GET', '/api/runs')).body).total;
      const q = encodeURIComponent(value);
      for (const [method, url, body] of [
        ['GET', `/api/dashboard?asOf=${q}`],
        ['GET', `/api/employees/w1/metrics?asOf=${q}`],
        ['POST', '/api/runs', { asOf: value }],
        ['POST', '/api/exemptions', { employeeId: 'w1', reason: 'leave', until: value }],
      ] as const) {
        const r = await t.call('hr', method, url, body);
        expect(r.statusCode, `${method} ${url}`).toBe(400);
        expect(error(r).code, url).toMatch(/^APPRAISE_DATE_(INVALID|OUT_OF_RANGE)$/);
        expect(error(r).message, url).toMatch(/1900-01-01 and 9999-12-31|YYYY-MM-DD/);
      }
      expect(JSON.parse((await t.call('hr', 'GET', '/api/runs')).body).total).toBe(runsBefore);
    });
  }

  it('the first and the last accepted day work', async () => {
    expect((await t.call('hr', 'GET', '/api/dashboard?asOf=1900-01-01')).statusCode).toBe(200);
    expect((await t.call('hr', 'GET', '/api/employees/w1/metrics?asOf=9999-12-31')).statusCode).toBe(200);
  });
});

describe('a malformed URL', () => {
  it('is a coded 400 with a request id, not fastify\'s own body', async () => {
    const r = await t.call('hr', 'GET', '/api/employees/%E0%A4%A');
    expect(r.statusCode).toBe(400);
    expect(error(r)).toMatchObject({ code: 'APPRAISE_API_BAD_REQUEST', requestId: expect.stringMatching(/^req-/) });
  });
});
