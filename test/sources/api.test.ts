// The sources API: GET /api/sources and /api/sources/:name/syncs for admin and HR (credentials
// only as references), POST /api/sources/:name/sync for admins (202, then the sync is polled;
// 409 with a code while one runs), and the vendor token nowhere: API answers, the audit log,
// the server's log and the app's log (where plugin log lines go).
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Appraise } from '../../core/app/appraise.ts';
import { createToken } from '../../core/auth/tokens.ts';
import { configFromText } from '../../core/config/config.ts';
import { buildServer } from '../../core/server/app.ts';
import type { FastifyInstance } from 'fastify';
import { TEST_SOURCE_PLUGINS } from './harness.ts';
import { startVendor, type VendorServer } from './vendor-server.ts';

const TOKEN = 'tok-API-SECRET-777-plugh';
let vendor: VendorServer;
let app: Appraise;
let server: FastifyInstance;
const tokens: Record<string, string> = {};
let serverLog = '';
let appLog = '';

beforeAll(async () => {
  process.env.API_VENDOR_TOKEN = TOKEN;
  vendor = await startVendor({ token: TOKEN, pages: [
    { surveys: [{ id: 's1', agent: 'a1', at: '2026-11-01T10:00:00Z', score: 4 }, { id: 's2', agent: 'a1', at: '2026-11-01T11:00:00Z', score: 0 }], agents: [{ id: 'a1', name: 'Ada' }] },
    { surveys: [{ id: 's3', agent: 'a1', at: '2026-11-02T10:00:00Z', score: 5 }] },
  ] });
  const { config } = configFromText(join(TEST_SOURCE_PLUGINS, '..', 'appraise.config.yaml'), stringify({
    plugins: { dirs: [TEST_SOURCE_PLUGINS] },
    sources: {
      vend: { source: 'testvendor.surveys', schedule: 'manual', settings: { baseUrl: vendor.url }, credentials: { token: { env: 'API_VENDOR_TOKEN' } } },
      leaky: { source: 'testvendor.surveys', settings: { baseUrl: vendor.url, misbehave: 'leak' }, credentials: { token: { env: 'API_VENDOR_TOKEN' } } },
    },
  }));
  app = await Appraise.open({ config: config!, dataDir: 'memory://', databaseUrl: '', log: (m) => (appLog += `${m}\n`) });
  for (const role of ['admin', 'hr', 'viewer'] as const) tokens[role] = (await createToken(app.store, { name: role, role, createdBy: 'test' })).token;
  const stream = new PassThrough();
  stream.on('data', (d: Buffer) => (serverLog += d.toString()));
  server = await buildServer(app, { logger: { stream, level: 'info' } });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await app?.close();
  await vendor?.close();
});

const call = (who: string, method: 'GET' | 'POST', url: string, body?: unknown) =>
  server.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, ...(body !== undefined ? { payload: body as never } : {}) });

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the sources API', () => {
  it('lists the configured sources for admin and HR, with credentials as references only', async () => {
    const r = await call('hr', 'GET', '/api/sources');
    expect(r.statusCode).toBe(200);
    const vend = r.json().sources.find((s: { name: string }) => s.name === 'vend');
    expect(vend).toMatchObject({ sourceId: 'testvendor.surveys', title: 'Test vendor surveys and agents', available: true, enabled: true, schedule: 'manual', nextRun: null, status: 'never', lastSync: null });
    expect(vend.credentials).toEqual([{ name: 'token', reference: 'the environment variable API_VENDOR_TOKEN', set: true }]);
    expect((await call('viewer', 'GET', '/api/sources')).statusCode).toBe(403);
    expect((await call('hr', 'POST', '/api/sources/vend/sync', {})).statusCode).toBe(403);
  });

  it('starts a sync for an admin (202), refuses a second one while it runs (409), and shows what it did', async () => {
    const held = vendor.hold(1);
    const started = await call('admin', 'POST', '/api/sources/vend/sync', {});
    expect(started.statusCode).toBe(202);
    const { syncId } = started.json();
    await vendor.requested(1);
    const again = await call('admin', 'POST', '/api/sources/vend/sync', {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'APPRAISE_SOURCE_SYNC_IN_PROGRESS' } });
    const running = (await call('admin', 'GET', '/api/sources')).json().sources.find((s: { name: string }) => s.name === 'vend');
    expect(running.status).toBe('running');
    held.release();
    const done = await until('the sync to end', async () => {
      const h = (await call('hr', 'GET', '/api/sources/vend/syncs')).json();
      return h.syncs.find((s: { id: number; status: string }) => s.id === syncId && s.status !== 'running') ? h : undefined;
    });
    expect(done.syncs[0]).toMatchObject({ id: syncId, status: 'ok', trigger: 'api', batches: 2, inserted: 2, employeesAdded: 1, rejected: 1, error: null });
    expect(done.setAside).toEqual([expect.objectContaining({ syncId, kind: 'customer-feedback.survey', id: 's2', field: 'payload.csat' })]);
    expect((await call('admin', 'GET', '/api/sources/nope/syncs')).statusCode).toBe(404);
    const audit = (await app.store.query<{ action: string; target: string }>(`SELECT action, target FROM audit_log WHERE action = 'source.sync'`)).rows;
    expect(audit).toEqual([{ action: 'source.sync', target: 'sources/vend' }]);
  }, 120_000);

  it('keeps the token out of answers, errors, the audit log and the logs', async () => {
    const started = await call('admin', 'POST', '/api/sources/leaky/sync', {});
    expect(started.statusCode).toBe(202);
    const h = await until('the leaky sync to fail', async () => {
      const x = (await call('admin', 'GET', '/api/sources/leaky/syncs')).json();
      return x.syncs[0]?.status === 'failed' ? x : undefined;
    });
    expect(h.syncs[0].error).toEqual({ code: 'APPRAISE_SOURCE_AUTH_FAILED', message: 'the vendor refused token [redacted]', advice: expect.stringContaining('Check the credentials') });
    const answers = [await call('admin', 'GET', '/api/sources'), await call('admin', 'GET', '/api/sources/leaky/syncs'), await call('admin', 'GET', '/api/sources/vend/syncs')].map((r) => r.body).join('');
    const audit = JSON.stringify((await app.store.query('SELECT * FROM audit_log')).rows);
    const syncs = JSON.stringify((await app.store.query('SELECT * FROM source_syncs')).rows);
    for (const [where, text] of [['answers', answers], ['audit', audit], ['sync rows', syncs], ['server log', serverLog], ['app log', appLog]]) {
      expect(text, where).not.toContain(TOKEN);
    }
    expect(serverLog).toContain('/api/sources');
  }, 120_000);
});
