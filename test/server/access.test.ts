// Every route of the OpenAPI document × every principal × spellings of its path. The router
// decodes `/%61pi/me` to `/api/me`; whatever it routes, the route's own hooks authenticate.
// A spelling may reach the same handler (and is then held to exactly the canonical answer) or
// no route at all (404), never more than the canonical path would give.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, revokeToken } from '../../core/auth/tokens.ts';
import { testServer, type TestServer } from './helpers.ts';

let t: TestServer;
const headers: Record<string, Record<string, string>> = {};
let caseId = 0;
/** A revoked token's id: revoking it again as an admin changes nothing, so no test signs itself out. */
let revokedId = 0;

beforeAll(async () => {
  t = await testServer();
  const revoked = await createToken(t.app.store, { name: 'gone', role: 'admin', createdBy: 'test' });
  await revokeToken(t.app.store, 'gone', 'test');
  revokedId = revoked.info.tokenId;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  Object.assign(headers, {
    none: {},
    bad: bearer('apr_not-a-real-token'),
    revoked: bearer(revoked.token),
    basic: { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
    empty: { authorization: 'Bearer ' },
    admin: bearer(t.tokens.admin),
    // RFC 7235: the scheme is case-insensitive.
    hr: { authorization: `bearer ${t.tokens.hr}` },
    manager: { authorization: `BEARER ${t.tokens.manager}` },
    employee: bearer(t.tokens.employee),
    viewer: bearer(t.tokens.viewer),
  });
  await t.app.run({ asOf: new Date('2026-04-01T00:00:00Z'), trigger: 'manual' });
  caseId = Number((await t.app.store.query<{ id: number }>(`SELECT id FROM cases ORDER BY id LIMIT 1`)).rows[0]?.id ?? 1);
}, 60_000);
afterAll(async () => {
  await t.close();
});

const ROLES = ['admin', 'hr', 'manager', 'employee', 'viewer'] as const;
type Role = (typeof ROLES)[number];
const ANONYMOUS = ['none', 'bad', 'revoked', 'basic', 'empty'] as const;
const ALL: Role[] = [...ROLES];
const READ_POLICIES: Role[] = ['admin', 'hr', 'manager', 'viewer'];
const HR: Role[] = ['admin', 'hr'];

/** Who may call each route: written out here, independently of the server's own table. */
const MAY: Record<string, Role[]> = {
  'GET /api/sources': HR,
  'GET /api/sources/{name}/syncs': HR,
  'POST /api/sources/{name}/sync': ['admin'],
  'GET /api/health': ALL,
  'GET /api/me': ALL,
  'GET /api/employees/{id}/export': ['admin', 'manager', 'employee'],
  'GET /api/employees/{id}/export.html': ['admin', 'manager', 'employee'],
  'GET /api/policies': READ_POLICIES,
  'GET /api/policies/{id}': READ_POLICIES,
  'PUT /api/policies/{id}': HR,
  'GET /api/policies/{id}/versions/{version}': READ_POLICIES,
  'GET /api/policies/{id}/diff': READ_POLICIES,
  // The worker notice: whoever reads policies reads what workers are told; each person their own through /api/me/notices.
  'GET /api/policies/{id}/notice': READ_POLICIES,
  'GET /api/me/notices': ALL,
  'POST /api/policies/validate': READ_POLICIES,
  'POST /api/policies/{id}/rollback': HR,
  'GET /api/policies/{id}/proposals': READ_POLICIES,
  'POST /api/policies/{id}/versions/{version}/approve': HR,
  'POST /api/policies/{id}/versions/{version}/reject': HR,
  'POST /api/policies/{id}/simulate': HR,
  'POST /api/policies/{id}/backtest': HR,
  'GET /api/runs': ['admin', 'hr', 'viewer'],
  'POST /api/runs': HR,
  'GET /api/runs/{id}': ['admin', 'hr', 'viewer'],
  'GET /api/runs/{id}/decisions': ['admin', 'hr', 'viewer'],
  'GET /api/runs/{id}/fairness': ['admin', 'hr', 'viewer'],
  'GET /api/fairness/report': HR,
  'GET /api/fairness/report/print': HR,
  'GET /api/cases': ALL,
  'GET /api/cases/{id}': ALL,
  'POST /api/cases/{id}/transitions': ['admin', 'hr', 'manager', 'employee'],
  'POST /api/cases/{id}/checkins': ['admin', 'hr', 'manager'],
  'GET /api/exemptions': HR,
  'POST /api/exemptions': HR,
  'GET /api/employees': ALL,
  'GET /api/employees/{id}': ALL,
  'GET /api/employees/{id}/metrics': ALL,
  'GET /api/employees/{id}/attributes': ['admin'],
  'GET /api/plugins': READ_POLICIES,
  'GET /api/metrics': READ_POLICIES,
  'GET /api/audit': ['admin'],
  'GET /api/outbox': ['admin'],
  'GET /api/outbox/{id}': ['admin'],
  'POST /api/outbox/{id}/retry': ['admin'],
  'POST /api/imports/employees': HR,
  'POST /api/imports/records/{kind}': HR,
  'GET /api/dashboard': ALL,
  'GET /api/tokens': ['admin'],
  'POST /api/tokens': ['admin'],
  'POST /api/tokens/{id}/revoke': ['admin'],
  // Feedback and kudos: the viewer reads no free text. Upward feedback options need a token that
  // acts as an employee with a manager (the test's admin and HR tokens act as nobody: 403).
  'GET /api/kudos': ALL,
  'POST /api/kudos': ['admin', 'hr', 'manager', 'employee'],
  'GET /api/kudos/colleagues': ['admin', 'hr', 'manager', 'employee'],
  'GET /api/kudos/compliments': ['admin', 'hr', 'manager'],
  'POST /api/kudos/compliments': ['admin', 'hr', 'manager'],
  'GET /api/feedback/notes': ['admin', 'hr', 'manager', 'employee'],
  'POST /api/feedback/notes': ['admin', 'hr', 'manager'],
  'POST /api/feedback/notes/{id}/share': ['admin', 'hr', 'manager'],
  'GET /api/feedback/upward': ['admin', 'hr', 'manager', 'employee'],
  'GET /api/feedback/upward/options': ['manager', 'employee'],
  'POST /api/feedback/upward': ['admin', 'hr', 'manager', 'employee'],
  'POST /api/feedback/upward/{id}/acknowledge': ['admin', 'hr', 'manager', 'employee'],
  'GET /api/review-templates': HR,
  'GET /api/review-cycles': ALL,
  'POST /api/review-cycles': HR,
  'POST /api/review-cycles/{id}/deadlines': HR,
  'GET /api/reviews': ALL,
  'GET /api/reviews/{id}': ALL,
  'GET /api/reviews/{id}/packet': ALL,
  'POST /api/reviews/{id}/transitions': ['admin', 'hr', 'manager', 'employee'],
  'POST /api/reviews/{id}/amendments': HR,
  'GET /api/employees/{id}/goals': ALL,
  'GET /api/goals/{id}': ALL,
  'GET /api/me/notifications': ALL,
  'PUT /api/me/notifications': ALL,
  'GET /api/notifications/templates': HR,
  'POST /api/notifications/preview': HR,
  'POST /api/notifications/test': HR,
  'POST /api/goals': ['admin', 'hr', 'manager', 'employee'],
  'POST /api/goals/{id}/actions': ['admin', 'hr', 'manager', 'employee'],
  'GET /api/disputes': ALL,
  'POST /api/disputes': ['admin', 'hr', 'manager', 'employee'],
  'GET /api/disputes/{id}': ALL,
  'POST /api/disputes/{id}/resolution': HR,
  'POST /api/disputes/{id}/withdrawal': ['admin', 'hr', 'manager', 'employee'],
};

function concrete(path: string): string {
  return path
    .replace(/^\/api\/fairness\/report(\/print)?$/, (_, print: string | undefined) => `/api/fairness/report${print ?? ''}?from=2026-01-01&to=2026-12-31`)
    .replace('/api/policies/{id}', '/api/policies/fair-test')
    .replace('/api/employees/{id}', '/api/employees/w1')
    .replace('/api/cases/{id}', `/api/cases/${caseId}`)
    .replace('/api/tokens/{id}', `/api/tokens/${revokedId}`)
    .replace('{name}', 'zendesk')
    .replace('{version}', '1')
    .replace('{kind}', 'customer-feedback.survey')
    .replace('{id}', '1')
    .replace('/diff', '/diff?from=1&to=1');
}

/** Spellings the router reads as the same path: percent-encoded letters of static segments. */
function sameRoute(url: string): string[] {
  const [path, query] = url.split('?');
  const q = query ? `?${query}` : '';
  const segs = path.split('/');
  const enc = (s: string) => `%${s.charCodeAt(0).toString(16)}${s.slice(1)}`;
  const out = [`/${enc('api')}${path.slice(4)}${q}`];
  if (segs.length > 2 && /^[a-z]/.test(segs[2])) out.push(`/api/${enc(segs[2])}${path.slice(5 + segs[2].length)}${q}`);
  out.push(`/%61%70%69${path.slice(4)}${q}`);
  return out;
}

/** Spellings a lenient server might normalise: here they must reach no handler (404) or behave exactly as the canonical path. */
function otherSpellings(url: string): string[] {
  const [path, query] = url.split('?');
  const q = query ? `?${query}` : '';
  return [
    `/${path}${q}`, // //api/…
    `${path}/${q}`,
    `/API${path.slice(4)}${q}`,
    `/Api${path.slice(4)}${q}`,
    `${path};jsessionid=1${q}`,
    `/api/../api${path.slice(4)}${q}`,
    `/api/./${path.slice(5)}${q}`,
    `/x/..${path}${q}`,
    `/%2561pi${path.slice(4)}${q}`,
    `/api%2F${path.slice(5)}${q}`,
    `/%41pi${path.slice(4)}${q}`,
    `${path.replace(/\/([a-z])/g, (_m, c: string) => `//${c}`)}${q}`,
  ];
}

let ip = 0;
async function call(method: string, url: string, who: keyof typeof headers | string) {
  // Each anonymous call from its own address, so the failed sign-in limiter stays out of it.
  const remoteAddress = ANONYMOUS.includes(who as never) ? `10.0.${(ip >> 8) & 255}.${ip++ & 255}` : '127.0.0.1';
  const body = method === 'POST' || method === 'PUT' ? { payload: {} } : {};
  return t.server.inject({ method: method as never, url, headers: headers[who], remoteAddress, ...body });
}

describe('every route × every principal × every spelling', () => {
  it('the table covers every route in the OpenAPI document', async () => {
    const doc = JSON.parse((await t.call(null, 'GET', '/api/openapi.json')).body);
    const routes = Object.entries(doc.paths as Record<string, object>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(routes.sort()).toEqual(Object.keys(MAY).sort());
  });

  for (const route of Object.keys(MAY)) {
    it(route, async () => {
      const [method, path] = route.split(' ');
      const url = concrete(path);
      const methods = method === 'GET' ? ['GET', 'HEAD'] : [method];
      for (const m of methods) {
        for (const who of [...ANONYMOUS, ...ROLES]) {
          const canonical = await call(m, url, who);
          const label = `${m} ${url} as ${who}`;
          expect(canonical.statusCode, label).toBeLessThan(500);
          if (route === 'GET /api/health') {
            expect(canonical.statusCode, label).toBe(200);
          } else if ((ANONYMOUS as readonly string[]).includes(who)) {
            expect(canonical.statusCode, label).toBe(401);
            if (m === 'GET') expect(JSON.parse(canonical.body).error.code, label).toBe('APPRAISE_API_UNAUTHORIZED');
          } else if (MAY[route].includes(who as Role)) {
            expect([401, 403], label).not.toContain(canonical.statusCode);
          } else {
            expect(canonical.statusCode, label).toBe(403);
          }
          for (const spelling of sameRoute(url)) {
            const r = await call(m, spelling, who);
            expect(r.statusCode, `${m} ${spelling} as ${who}`).toBe(canonical.statusCode);
          }
          // Another spelling reaches no route, or another route (`/api/cases/` is `/api/cases/:id`
          // with an empty id), which authenticates for itself: never more than the canonical path.
          for (const spelling of otherSpellings(url)) {
            const r = await call(m, spelling, who);
            const l = `${m} ${spelling} as ${who}`;
            expect(r.statusCode, l).toBeLessThan(500);
            if ((ANONYMOUS as readonly string[]).includes(who) && route !== 'GET /api/health') expect([401, 404], l).toContain(r.statusCode);
            else if (r.statusCode < 400) expect(canonical.statusCode, l).toBeLessThan(400);
          }
        }
      }
    }, 120_000);
  }
});

describe('what an attacker tried (issue 14)', () => {
  it('GET /%61pi/me without a token is a 401, and so are the other encoded routes', async () => {
    for (const [m, u] of [['GET', '/%61pi/me'], ['GET', '/%61pi/cases'], ['GET', '/%61pi/audit'], ['GET', '/%61pi/outbox'], ['POST', '/%61pi/runs']]) {
      const r = await call(m, u, 'none');
      expect(r.statusCode, `${m} ${u}`).toBe(401);
      expect(JSON.parse(r.body).error.code).toBe('APPRAISE_API_UNAUTHORIZED');
    }
  });

  it('an unauthenticated upload to an encoded import path is refused before its body is read', async () => {
    const big = 'id,name\n' + 'x,y\n'.repeat(2_000_000);
    const r = await t.server.inject({ method: 'POST', url: '/%61pi/imports/employees', headers: { 'content-type': 'text/csv' }, payload: big, remoteAddress: '10.9.9.9' });
    expect(r.statusCode).toBe(401);
  });

  it('a lowercase `bearer` scheme signs in', async () => {
    const r = await t.server.inject({ method: 'GET', url: '/api/me', headers: { authorization: `bearer ${t.tokens.hr}` } });
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ role: 'hr' });
  });

  it('a viewer sending an unknown case action hears 403, not a state error', async () => {
    const r = await t.call('viewer', 'POST', `/api/cases/${caseId}/transitions`, { action: 'nonexistent-action' });
    expect(r.statusCode).toBe(403);
    expect(JSON.parse(r.body).error.code).toBe('APPRAISE_API_FORBIDDEN');
  });

  it('an unknown action from a role that may act is a 400 naming the actions, with a did-you-mean', async () => {
    const r = await t.call('hr', 'POST', `/api/cases/${caseId}/transitions`, { action: 'aprove' });
    expect(r.statusCode).toBe(400);
    expect(JSON.parse(r.body).error).toMatchObject({ code: 'APPRAISE_CASE_UNKNOWN_ACTION', message: expect.stringMatching(/^`aprove` is not an action on a (PIP|coaching case|recognition case)\./) });
  });
});
