// Contract tests of the Zendesk connector: its real sync against a local server that speaks
// Zendesk's documented API (test/sources/zendesk-server.ts), over real HTTP with the host's
// source context (rate limits, Basic auth), no mocks.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceBatch, SourceCursor, SourceEmployee, SourceRecord } from '../../core/plugins/api.ts';
import { createSourceContext } from '../../core/sources/request.ts';
import { createZendeskSource } from '../../plugins/zendesk/sync.ts';
import { SAMPLE_T0 as T0, sampleZendeskScenario, startZendeskServer, type ZendeskScenario, type ZendeskServer } from './zendesk-server.ts';

const quiet = { info() {}, warn() {}, error() {} };
const EMAIL = 'admin@acme.test';
const TOKEN = 'zd-token-6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';
const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

const servers: ZendeskServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const schema = (path: string) => ajv.compile(JSON.parse(readFileSync(new URL(`../../plugins/${path}`, import.meta.url), 'utf8')) as object);
const validTicket = schema('support/schemas/ticket.schema.json');
const validSurvey = schema('customer-feedback/schemas/survey.schema.json');

const scenario = () => sampleZendeskScenario({ email: EMAIL, token: TOKEN });

const SETTINGS = (url: string, extra: Record<string, unknown> = {}) => ({ baseUrl: url, email: EMAIL, startTime: '2026-10-01T00:00:00Z', ...extra });

function context(url: string, o: { token?: string; settings?: Record<string, unknown>; sleep?: (ms: number) => Promise<void> } = {}) {
  return createSourceContext({ settings: SETTINGS(url, o.settings), credentials: { token: o.token ?? TOKEN }, log: quiet, sleep: o.sleep ?? (async () => {}) });
}

interface Run {
  batches: SourceBatch[];
  /** The cursor each batch started from. */
  from: SourceCursor[];
}

/** Calls sync until a batch says done, the way the host does (at most `max` calls). */
async function syncAll(ctx: ReturnType<typeof context>, cursor: SourceCursor = null, max = 50): Promise<Run> {
  const source = createZendeskSource();
  const run: Run = { batches: [], from: [] };
  for (let i = 0; i < max; i++) {
    run.from.push(cursor);
    const b = await source.sync(ctx, cursor);
    run.batches.push(b);
    cursor = b.nextCursor;
    if (b.done) return run;
  }
  throw new Error(`no end of stream after ${max} calls`);
}

const records = (bs: SourceBatch[]) => bs.flatMap((b) => b.records);
const byId = (rs: SourceRecord[]) => Object.fromEntries(rs.map((r) => [r.id, r]));
const ids = (rs: SourceRecord[]) => rs.map((r) => r.id).sort();

async function start(s = scenario()) {
  const server = await startZendeskServer(s);
  servers.push(server);
  return server;
}

describe('Zendesk connector against the documented API', () => {
  it('maps the documented example ticket and its ticket metrics to the values computed by hand, ignoring fields it does not know', async () => {
    const fixture = JSON.parse(readFileSync(new URL('../fixtures/zendesk/incremental-tickets-cursor.json', import.meta.url), 'utf8'));
    const metric = JSON.parse(readFileSync(new URL('../fixtures/zendesk/ticket-metric.json', import.meta.url), 'utf8'));
    const documented = { ...fixture.tickets[0], status: 'closed', generated_timestamp: unix('2011-05-05T10:38:52Z') };
    expect(documented.ai_triage).toBeDefined(); // the field Zendesk might add later
    const server = await start({ email: EMAIL, token: TOKEN, tickets: [documented], metricSets: [{ ...metric, ticket_id: documented.id }] });
    const run = await syncAll(context(server.url, { settings: { startTime: '2009-07-01T00:00:00Z' } }));
    expect(records(run.batches)).toEqual([
      {
        kind: 'support.ticket',
        id: 'ticket-35436',
        person: '235323',
        occurredAt: '2009-07-20T22:55:29.000Z',
        payload: {
          openedAt: '2009-07-20T22:55:29.000Z',
          firstResponseAt: '2009-07-22T14:46:29.000Z', // + 2391 calendar minutes
          firstResponseBusinessSeconds: 44_220, // 737 business minutes
          resolvedAt: '2011-05-09T10:38:52.000Z', // solved_at
          resolutionBusinessSeconds: 44_220,
          reopened: true, // 55 reopens
          reassignments: 0, // 1 assignee station
          onHoldSeconds: 137_400, // 2290 calendar minutes
          channel: 'web',
        },
      },
    ]);
    expect(validTicket(records(run.batches)[0].payload)).toBe(true);
  });

  it('reads every page of every stream: agents, closed tickets with their metrics, answered ratings; reports deleted, open and unassigned tickets', async () => {
    const server = await start();
    const run = await syncAll(context(server.url));
    const all = records(run.batches);
    const got = byId(all);

    expect(ids(all)).toEqual(['rating-501', 'rating-502', 'ticket-1', 'ticket-2', 'ticket-7']);
    expect(got['ticket-1']).toEqual({
      kind: 'support.ticket',
      id: 'ticket-1',
      person: '101',
      occurredAt: '2026-11-01T08:00:00.000Z',
      payload: { openedAt: '2026-11-01T08:00:00.000Z', firstResponseAt: '2026-11-01T08:30:00.000Z', firstResponseBusinessSeconds: 1200, resolvedAt: '2026-11-01T12:00:00.000Z', resolutionBusinessSeconds: 10_800, reopened: false, reassignments: 0, onHoldSeconds: 900, channel: 'email' },
    });
    // No reply: no first response, whatever the 0-minute reply time says; reopened twice, three assignees.
    expect(got['ticket-2'].payload).toEqual({ openedAt: '2026-11-02T09:00:00.000Z', resolvedAt: '2026-11-03T09:00:00.000Z', resolutionBusinessSeconds: 28_800, reopened: true, reassignments: 2, onHoldSeconds: 0, channel: 'web' });
    // No metric set side-loaded: only what the ticket itself says.
    expect(got['ticket-7']).toMatchObject({ person: '102', payload: { openedAt: '2026-11-07T10:00:00.000Z', channel: 'api' } });
    expect(Object.keys(got['ticket-7'].payload).sort()).toEqual(['channel', 'openedAt']);
    // good → 5, bad → 1 on the survey's 1–5 CSAT scale; an empty comment is no comment.
    expect(got['rating-501']).toEqual({ kind: 'customer-feedback.survey', id: 'rating-501', person: '101', occurredAt: '2026-11-02T09:00:00.000Z', payload: { csat: 5, comment: 'Quick and kind' } });
    expect(got['rating-502']).toEqual({ kind: 'customer-feedback.survey', id: 'rating-502', person: '103', occurredAt: '2026-11-03T12:00:00.000Z', payload: { csat: 1 } });
    for (const r of all) expect(r.kind === 'support.ticket' ? validTicket(r.payload) : validSurvey(r.payload), `${r.id} valid against its kind's schema`).toBe(true);

    const employees = run.batches.flatMap((b) => b.employees ?? []);
    expect(employees).toEqual<SourceEmployee[]>([
      { id: '101', name: 'Ana Agent', email: 'ana@acme.test', employeeId: 'E-101', team: 'Tier 1', active: true },
      { id: '102', name: 'Ben Admin', email: 'ben@acme.test', active: false },
      { id: '103', name: 'Cleo Agent', email: 'cleo@acme.test', employeeId: 'E-103', team: 'Billing', active: true },
    ]);
    // Agents come first, so the people exist before the records that name them.
    expect(run.batches[0].employees?.length).toBeGreaterThan(0);
    const lastWithPeople = Math.max(...run.batches.map((b, i) => ((b.employees ?? []).length > 0 ? i : -1)));
    expect(run.batches.findIndex((b) => b.records.length > 0)).toBeGreaterThan(lastWithPeople);

    expect(run.batches.flatMap((b) => b.deleted ?? [])).toEqual([{ kind: 'support.ticket', id: 'ticket-5' }]);
    const notes = run.batches.flatMap((b) => b.notes ?? []).join('\n');
    expect(notes).toMatch(/^1 ticket not closed yet \(1 solved\), stored once closed$/m);
    expect(notes).toMatch(/^1 ticket not closed yet \(1 open\)/m);
    expect(notes).toMatch(/^1 ticket not closed yet \(1 pending\)/m);
    expect(notes).toMatch(/^1 ticket deleted in Zendesk$/m);
    expect(notes).toMatch(/^1 closed ticket without an assignee, not stored/m);
    expect(notes).toMatch(/^2 surveys offered or not offered but not answered, not stored$/m);
    expect(notes).toMatch(/^1 rating without an assignee, not stored$/m);
    expect(run.batches.at(-1)?.done).toBe(true);
    expect(run.batches.slice(0, -1).every((b) => !b.done)).toBe(true);

    // The documented requests: Basic auth of {email}/token:{token}; start_time once, then the cursor.
    expect(new Set(server.requests.map((r) => r.authorization))).toEqual(new Set([`Basic ${Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64')}`]));
    const exports = server.requests.filter((r) => r.path === '/api/v2/incremental/tickets/cursor.json');
    expect(exports).toHaveLength(3);
    expect(exports[0].query).toEqual({ start_time: [String(unix('2026-10-01T00:00:00Z'))], include: ['metric_sets'], per_page: ['1000'] });
    expect(exports.slice(1).every((r) => r.query.cursor?.length === 1 && !r.query.start_time)).toBe(true);
    const users = server.requests.filter((r) => r.path === '/api/v2/users');
    expect(users[0].query['role[]']).toEqual(['agent', 'admin']);
    expect(users).toHaveLength(2); // two pages of two
    const ratings = server.requests.filter((r) => r.path === '/api/v2/satisfaction_ratings');
    expect(ratings[0].query.start_time).toEqual([String(unix('2026-10-01T00:00:00Z'))]);
    expect(ratings).toHaveLength(3); // five ratings in range, pages of two
  });

  it('returns the same batch for the same cursor, and a sync resumed from any stored cursor gives the same records as one uninterrupted sync', async () => {
    const server = await start();
    const full = await syncAll(context(server.url));
    const everything = ids(records(full.batches));
    for (let k = 1; k < full.batches.length; k++) {
      const again = await createZendeskSource().sync(context(server.url), full.from[k]);
      expect(again, `batch ${k} redone`).toEqual(full.batches[k]);
      // Killed after batch k-1 was stored: resume from its cursor.
      const resumed = await syncAll(context(server.url), full.from[k]);
      expect(ids([...records(full.batches.slice(0, k)), ...records(resumed.batches)]), `resumed at batch ${k}`).toEqual(everything);
      expect(resumed.batches.at(-1)?.nextCursor).toEqual(full.batches.at(-1)?.nextCursor);
    }
  });

  it('a second sync from the final cursor adds nothing: no ticket again, only ratings already read', async () => {
    const server = await start();
    const first = await syncAll(context(server.url));
    const seen = new Set(ids(records(first.batches)));
    const before = server.requests.length;
    const second = await syncAll(context(server.url), first.batches.at(-1)!.nextCursor);
    const again = records(second.batches);
    expect(again.filter((r) => !seen.has(r.id))).toEqual([]);
    expect(again.filter((r) => r.kind === 'support.ticket')).toEqual([]);
    const exports = server.requests.slice(before).filter((r) => r.path === '/api/v2/incremental/tickets/cursor.json');
    expect(exports).toHaveLength(1);
    expect(exports[0].query.start_time).toBeUndefined();
    expect(second.batches.flatMap((b) => b.deleted ?? [])).toEqual([]);
  });

  it('stores a ticket once it closes, whether it closes between two pages of one sync or before a later sync', async () => {
    const s = scenario();
    const server = await start(s);
    const source = createZendeskSource();
    const ctx = context(server.url);
    let cursor: SourceCursor = null;
    const got: SourceRecord[] = [];
    let updated = false;
    for (let i = 0; i < 50; i++) {
      const b = await source.sync(ctx, cursor);
      got.push(...b.records);
      cursor = b.nextCursor;
      // Right after the page that showed ticket 3 as solved, an agent's update closes it.
      if (!updated && server.requests.at(-1)?.path.includes('incremental')) {
        updated = true;
        s.tickets = s.tickets.map((t) => (t.id === 3 ? { ...t, status: 'closed', generated_timestamp: T0 + 3600 } : t));
        server.setScenario(s);
      }
      if (b.done) break;
    }
    expect(updated).toBe(true);
    expect(ids(got).filter((id) => id.startsWith('ticket-'))).toEqual(['ticket-1', 'ticket-2', 'ticket-3', 'ticket-7']);
    expect(byId(got)['ticket-3'].payload).toMatchObject({ resolvedAt: '2026-11-03T11:00:00.000Z', reassignments: 1 });

    // Later ticket 4 closes; the next sync stores it and nothing else new.
    s.tickets = s.tickets.map((t) => (t.id === 4 ? { ...t, status: 'closed', generated_timestamp: T0 + 7200 } : t));
    server.setScenario(s);
    const next = await syncAll(ctx, cursor);
    expect(records(next.batches).filter((r) => r.kind === 'support.ticket').map((r) => r.id)).toEqual(['ticket-4']);
  });

  it('starts 90 days back by default, and never asks for a start_time within the last minute (Zendesk refuses it)', async () => {
    const server = await start();
    const firstExport = async (settings: Record<string, unknown>, now: Date) => {
      const source = createZendeskSource({ now: () => now });
      const ctx = createSourceContext({ settings: { baseUrl: server.url, email: EMAIL, ...settings }, credentials: { token: TOKEN }, log: quiet, sleep: async () => {} });
      let cursor: SourceCursor = null;
      const before = server.requests.length;
      for (let i = 0; i < 10; i++) {
        const b = await source.sync(ctx, cursor);
        cursor = b.nextCursor;
        const e = server.requests.slice(before).find((r) => r.path === '/api/v2/incremental/tickets/cursor.json');
        if (e) return e;
      }
      throw new Error('no ticket export');
    };
    const now = new Date('2026-12-01T00:00:00Z');
    const byDefault = await firstExport({}, now);
    expect(byDefault.query.start_time).toEqual([String(unix('2026-12-01T00:00:00Z') - 60 - 90 * 86_400)]);
    expect(byDefault.status).toBe(200);
    const future = await firstExport({ startTime: '2027-01-01T00:00:00Z' }, new Date());
    expect(Number(future.query.start_time[0])).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) - 60);
    expect(future.status).toBe(200);
  });

  it('with ticketsAt: solved, stores solved tickets too', async () => {
    const server = await start();
    const run = await syncAll(context(server.url, { settings: { ticketsAt: 'solved' } }));
    expect(ids(records(run.batches)).filter((id) => id.startsWith('ticket-'))).toEqual(['ticket-1', 'ticket-2', 'ticket-3', 'ticket-7']);
  });

  it('with satisfactionRatings: false, a sync ends after the tickets and never asks for ratings; a 403 on ratings says to turn them off', async () => {
    const server = await start();
    const run = await syncAll(context(server.url, { settings: { satisfactionRatings: false } }));
    expect(ids(records(run.batches))).toEqual(['ticket-1', 'ticket-2', 'ticket-7']);
    expect(server.requests.some((r) => r.path.includes('satisfaction'))).toBe(false);
    const next = await syncAll(context(server.url, { settings: { satisfactionRatings: false } }), run.batches.at(-1)!.nextCursor);
    expect(records(next.batches)).toEqual([]);

    server.setScenario({ ...scenario(), forbid: ['/api/v2/satisfaction_ratings'] });
    const source = createZendeskSource();
    let cursor: SourceCursor = null;
    let error: Error | undefined;
    for (let i = 0; i < 20 && !error; i++) {
      try {
        cursor = (await source.sync(context(server.url), cursor)).nextCursor;
      } catch (e) {
        error = e as Error;
      }
    }
    expect(error?.message).toMatch(/^APPRAISE_SOURCE_AUTH_FAILED: Zendesk answered 403 to GET \/api\/v2\/satisfaction_ratings: .*Set settings\.satisfactionRatings: false/);
    expect((cursor as { phase?: string }).phase).toBe('ratings'); // the tickets before it were read and their cursor kept
  });

  it('answers Zendesk cannot have meant give APPRAISE_SOURCE_BAD_RESPONSE naming the endpoint', async () => {
    const answers: Record<string, { status: number; body: unknown }> = {
      '/api/v2/users': { status: 200, body: { users: { '101': 'Ana' } } },
      '/api/v2/incremental/tickets/cursor.json': { status: 500, body: { error: 'InternalError' } },
    };
    const odd = createServer((req, res) => {
      const a = answers[new URL(req.url ?? '/', 'http://x').pathname] ?? { status: 404, body: {} };
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(a.body));
    });
    await new Promise<void>((r) => odd.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
      await expect(createZendeskSource().sync(context(url), null)).rejects.toThrow(/^APPRAISE_SOURCE_BAD_RESPONSE: Zendesk's answer to GET \/api\/v2\/users has no "users" list/);
      const atTickets = { v: 1, phase: 'tickets', ticketsStart: unix('2026-10-01T00:00:00Z'), ratingsFrom: unix('2026-10-01T00:00:00Z') };
      await expect(createZendeskSource().sync(context(url), atTickets)).rejects.toThrow(/^APPRAISE_SOURCE_BAD_RESPONSE: Zendesk answered 500 \(InternalError\) to GET \/api\/v2\/incremental\/tickets\/cursor\.json/);
      await expect(createZendeskSource().sync(context(url), { v: 9 })).rejects.toThrow(/^APPRAISE_SOURCE_BAD_RESPONSE: the stored cursor of this Zendesk source is not one this connector wrote/);
    } finally {
      await new Promise<void>((r) => odd.close(() => r()));
    }
  });

  it('honours a 429: the request is tried again only after the Retry-After seconds', async () => {
    const s = { ...scenario(), rateLimit: { path: '/api/v2/incremental/tickets', times: 1, retryAfterSeconds: 1 } };
    const server = await start(s);
    const waits: number[] = [];
    const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    const ctx = createSourceContext({ settings: SETTINGS(server.url), credentials: { token: TOKEN }, log: quiet, sleep: realSleep, onWait: (w) => void waits.push(w.waitMs) });
    const run = await syncAll(ctx);
    expect(ids(records(run.batches))).toEqual(['rating-501', 'rating-502', 'ticket-1', 'ticket-2', 'ticket-7']);
    const exports = server.requests.filter((r) => r.path === '/api/v2/incremental/tickets/cursor.json');
    expect(exports[0].status).toBe(429);
    expect(exports[1].status).toBe(200);
    expect(exports[1].query).toEqual(exports[0].query);
    expect(exports[1].at - exports[0].at).toBeGreaterThanOrEqual(1000);
    expect(waits).toEqual([1000]);
  });

  it('a refused token gives APPRAISE_SOURCE_AUTH_FAILED saying what to check, never the token', async () => {
    const server = await start();
    const e = (await createZendeskSource().sync(context(server.url, { token: 'zd-wrong-token-0123456789' }), null).catch((x: Error) => x)) as Error;
    expect(e.message).toMatch(/^APPRAISE_SOURCE_AUTH_FAILED: Zendesk answered 401 to GET \/api\/v2\/users\. Check that settings\.email \(admin@acme\.test\)/);
    expect(e.message).toMatch(/API token/);
    expect(e.message).not.toContain('zd-wrong-token-0123456789');
    expect(e.message).not.toContain(Buffer.from(`${EMAIL}/token:zd-wrong-token-0123456789`).toString('base64'));
    expect(server.requests.every((r) => r.status === 401)).toBe(true);
  });

  it('an answer that is not Zendesk JSON gives APPRAISE_SOURCE_BAD_RESPONSE naming the endpoint', async () => {
    const html = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>Sign in</html>');
    });
    await new Promise<void>((r) => html.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(html.address() as AddressInfo).port}`;
      await expect(createZendeskSource().sync(context(url), null)).rejects.toThrow(/^APPRAISE_SOURCE_BAD_RESPONSE: Zendesk answered GET \/api\/v2\/users with a body that is not JSON/);
    } finally {
      await new Promise<void>((r) => html.close(() => r()));
    }
  });

  it('declares the source in the agreed manifest shape, with a settings schema that accepts the README example', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../plugins/zendesk/package.json', import.meta.url), 'utf8'));
    expect(pkg.appraise.extensionDependencies).toEqual({ support: '^1.0.0', 'customer-feedback': '^1.0.0' });
    const [source] = pkg.appraise.contributes.sources;
    expect(source).toMatchObject({ id: 'support', produces: ['support.ticket', 'customer-feedback.survey'], schedule: '*/15 * * * *', credentials: [{ name: 'token', required: true }] });
    const settings = ajv.compile(source.settingsSchema);
    expect(settings({ baseUrl: 'https://acme.zendesk.com', email: 'it-admin@acme.com', startTime: '2026-09-01T00:00:00Z', ticketsAt: 'closed' })).toBe(true);
    expect(settings({ email: 'it-admin@acme.com' })).toBe(false);
    expect(settings({ baseUrl: 'https://acme.zendesk.com', email: 'a@b.c', ticketsAt: 'reopened' })).toBe(false);
    expect(settings({ baseUrl: 'https://acme.zendesk.com', email: 'a@b.c', token: 'never-here' })).toBe(false);
    for (const [name, prop] of Object.entries(source.settingsSchema.properties)) expect((prop as { description?: string }).description, name).toBeTruthy();
  });

  it('holds a request until released, for tests that stop a sync while it waits', async () => {
    const server = await start();
    const held = server.holdNext();
    const pending = createZendeskSource().sync(context(server.url), null);
    expect(await held.arrived).toBe('/api/v2/users');
    held.release();
    expect((await pending).employees?.length).toBe(2);
  });
});
