// A local Zendesk Support API (REST v2) for contract tests, speaking what Zendesk's developer
// documentation describes, with response objects built from the fixtures recorded from its API
// reference (test/fixtures/zendesk, see the README there):
//   GET /api/v2/incremental/tickets/cursor.json  start_time | cursor, per_page (≤ 1000),
//       include=metric_sets; after_cursor / after_url / end_of_stream; a ticket is exported at
//       its generated_timestamp, so one updated after a page was read comes again later
//   GET /api/v2/satisfaction_ratings             start_time / end_time on created_at, page[size] (≤ 100), page[after]
//   GET /api/v2/users                            role[] filter, page[size], page[after]
//   GET /api/v2/groups                           page[size], page[after]
// List endpoints answer with meta.has_more / meta.after_cursor / links.next. Every request
// must carry Basic auth of "{email}/token:{token}" (401 otherwise); a scenario can make the
// first requests to a path answer 429 with Retry-After; `holdNext` keeps the next request
// waiting until released (for tests that kill a sync while a request is in flight).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';

const FIXTURES = new URL('../fixtures/zendesk/', import.meta.url);
type Json = Record<string, unknown>;
const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Json;
const clone = <T>(v: T): T => structuredClone(v);

const TICKETS_PAGE = fixture('incremental-tickets-cursor.json');
const TICKET = (TICKETS_PAGE.tickets as Json[])[0];
const METRIC_SET = fixture('ticket-metric.json');
const RATING = (fixture('satisfaction-ratings.json').satisfaction_ratings as Json[])[0];
const USER = (fixture('users.json').users as Json[])[0];
const GROUP = (fixture('groups.json').groups as Json[])[0];
export const ZENDESK_ERRORS = fixture('errors.json') as Record<'unauthorized' | 'forbidden' | 'rateLimited' | 'startTimeTooRecent', Json>;

/** A ticket as the export returns it (the documented example, every field kept), with overrides. */
export function zendeskTicket(o: Json & { id: number; generated_timestamp: number }): Json {
  return { ...clone(TICKET), url: `https://company.zendesk.com/api/v2/tickets/${o.id}`, ...o };
}
/** A ticket metric set (side-loaded as metric_sets) for a ticket, with overrides. */
export function zendeskMetricSet(o: Json & { ticket_id: number }): Json {
  return { ...clone(METRIC_SET), id: o.ticket_id + 900_000, url: `https://company.zendesk.com/api/v2/ticket_metrics/${o.ticket_id + 900_000}`, ...o };
}
export function zendeskRating(o: Json & { id: number }): Json {
  return { ...clone(RATING), url: `https://example.zendesk.com/api/v2/satisfaction_ratings/${o.id}`, ...o };
}
export function zendeskUser(o: Json & { id: number }): Json {
  return { ...clone(USER), url: `https://company.zendesk.com/api/v2/users/${o.id}`, ...o };
}
export function zendeskGroup(o: Json & { id: number }): Json {
  return { ...clone(GROUP), url: `https://company.zendesk.com/api/v2/groups/${o.id}.json`, ...o };
}

export interface ZendeskScenario {
  /** The admin's sign-in email and API token the server accepts. */
  email: string;
  token: string;
  /** Tickets as exported (each with id and generated_timestamp, Unix seconds), deleted ones with status "deleted". */
  tickets: Json[];
  /** Metric sets, side-loaded by ticket_id. */
  metricSets?: Json[];
  ratings?: Json[];
  /** Users of any role; the users endpoint filters by role[]. */
  users?: Json[];
  groups?: Json[];
  /** At most this many tickets per export page, whatever per_page asks (default 1000). */
  ticketsPerPage?: number;
  /** At most this many items per list page, whatever page[size] asks (default 100). */
  listPageSize?: number;
  /** Paths answering 403, as Zendesk does for a feature the account has off or the user may not see. */
  forbid?: string[];
  /** The first `times` requests whose path starts with `path` answer 429 with this Retry-After. */
  rateLimit?: { path: string; times: number; retryAfterSeconds: number };
  /** The server's clock in Unix seconds (start_time must be at least a minute before it); default the real clock. */
  now?: () => number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Query parameters, repeated keys kept in order. */
  query: Record<string, string[]>;
  /** Date.now() when the request arrived. */
  at: number;
  status: number;
  authorization?: string;
}

export interface ZendeskServer {
  url: string;
  requests: RecordedRequest[];
  /** Replaces the data (tickets updated, ratings added…); resets the rate-limit count. */
  setScenario(scenario: ZendeskScenario): void;
  /**
   * Holds the next request (the next whose path `match` accepts, when given) unanswered until
   * `release()`; `arrived` resolves with its path when it comes.
   */
  holdNext(match?: (path: string) => boolean): { arrived: Promise<string>; release(): void };
  close(): Promise<void>;
}

export async function startZendeskServer(initial: ZendeskScenario): Promise<ZendeskServer> {
  let scenario = initial;
  let limited = 0;
  const requests: RecordedRequest[] = [];
  let hold: { arrive(path: string): void; released: Promise<void>; match?: (path: string) => boolean } | undefined;
  let base = '';

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: Error) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'ServerError', description: e.message }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const query: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) (query[k] ??= []).push(v);
    const entry: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query, at: Date.now(), status: 0, authorization: req.headers.authorization };
    requests.push(entry);
    if (hold && (!hold.match || hold.match(url.pathname))) {
      const h = hold;
      hold = undefined;
      h.arrive(url.pathname);
      await h.released;
    }
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    const s = scenario;
    const expected = `Basic ${Buffer.from(`${s.email}/token:${s.token}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return send(401, ZENDESK_ERRORS.unauthorized);
    if (s.rateLimit && url.pathname.startsWith(s.rateLimit.path) && limited < s.rateLimit.times) {
      limited++;
      return send(429, ZENDESK_ERRORS.rateLimited, { 'retry-after': String(s.rateLimit.retryAfterSeconds) });
    }
    if (s.forbid?.includes(url.pathname)) return send(403, ZENDESK_ERRORS.forbidden);
    if (req.method !== 'GET') return send(404, { error: 'InvalidEndpoint', description: 'Not found' });
    const p = url.searchParams;
    switch (url.pathname) {
      case '/api/v2/incremental/tickets/cursor.json':
      case '/api/v2/incremental/tickets/cursor':
        return ticketExport(s, p, send);
      case '/api/v2/satisfaction_ratings':
      case '/api/v2/satisfaction_ratings.json': {
        const from = p.has('start_time') ? Number(p.get('start_time')) : -Infinity;
        const to = p.has('end_time') ? Number(p.get('end_time')) : Infinity;
        const rows = (s.ratings ?? []).filter((r) => {
          const t = Date.parse(String(r.created_at)) / 1000;
          return t >= from && t <= to;
        });
        return send(200, listPage('satisfaction_ratings', rows, url, s));
      }
      case '/api/v2/users':
      case '/api/v2/users.json': {
        const roles = p.getAll('role[]').concat(p.getAll('role'));
        const rows = (s.users ?? []).filter((u) => roles.length === 0 || roles.includes(String(u.role)));
        return send(200, listPage('users', rows, url, s));
      }
      case '/api/v2/groups':
      case '/api/v2/groups.json':
        return send(200, listPage('groups', s.groups ?? [], url, s));
      default:
        return send(404, { error: 'InvalidEndpoint', description: 'Not found' });
    }
  }

  function ticketExport(s: ZendeskScenario, p: URLSearchParams, send: (status: number, body: unknown) => void): void {
    const now = s.now ? s.now() : Math.floor(Date.now() / 1000);
    let after: [number, number];
    if (p.has('cursor')) {
      const decoded = decodeTicketCursor(p.get('cursor') ?? '');
      if (!decoded) return send(400, { error: 'InvalidValue', description: 'Invalid cursor' });
      after = decoded;
    } else if (p.has('start_time')) {
      const start = Number(p.get('start_time'));
      if (!Number.isInteger(start)) return send(400, { error: 'InvalidValue', description: 'start_time must be a Unix epoch time' });
      if (start > now - 60) return send(400, ZENDESK_ERRORS.startTimeTooRecent);
      after = [start, -1];
    } else {
      return send(400, { error: 'InvalidValue', description: 'start_time or cursor is required' });
    }
    const perPage = Math.min(Number(p.get('per_page') ?? 1000) || 1000, 1000, s.ticketsPerPage ?? 1000);
    // The last minute is never exported (Zendesk leaves it out to avoid races).
    const stream = s.tickets
      .filter((t) => Number(t.generated_timestamp) <= now - 60)
      .sort((a, b) => Number(a.generated_timestamp) - Number(b.generated_timestamp) || Number(a.id) - Number(b.id))
      .filter((t) => compare([Number(t.generated_timestamp), Number(t.id)], after) > 0);
    const page = stream.slice(0, perPage);
    const last = page.at(-1);
    const position: [number, number] = last ? [Number(last.generated_timestamp), Number(last.id)] : after;
    const cursor = encodeTicketCursor(position);
    const body: Json = {
      ...extraTopLevel(TICKETS_PAGE),
      after_cursor: cursor,
      after_url: `${base}/api/v2/incremental/tickets/cursor.json?cursor=${encodeURIComponent(cursor)}`,
      before_cursor: null,
      before_url: null,
      end_of_stream: stream.length <= perPage,
      tickets: page,
    };
    if ((p.get('include') ?? '').split(',').includes('metric_sets')) {
      const ids = new Set(page.map((t) => Number(t.id)));
      body.metric_sets = (s.metricSets ?? []).filter((m) => ids.has(Number(m.ticket_id)));
    }
    send(200, body);
  }

  function listPage(field: string, all: Json[], url: URL, s: ZendeskScenario): Json {
    const rows = [...all].sort((a, b) => Number(a.id) - Number(b.id));
    const size = Math.min(Number(url.searchParams.get('page[size]') ?? 100) || 100, 100, s.listPageSize ?? 100);
    const afterId = url.searchParams.has('page[after]') ? Number(Buffer.from(url.searchParams.get('page[after]') ?? '', 'base64url').toString()) : -Infinity;
    const rest = rows.filter((r) => Number(r.id) > afterId);
    const page = rest.slice(0, size);
    const hasMore = rest.length > size;
    const cursorOf = (r: Json | undefined) => (r ? Buffer.from(String(r.id)).toString('base64url') : null);
    const afterCursor = cursorOf(page.at(-1));
    const beforeCursor = cursorOf(page[0]);
    const link = (key: 'after' | 'before', c: string | null) => {
      if (!c) return null;
      const u = new URL(url.pathname, base);
      for (const [k, v] of url.searchParams) if (!k.startsWith('page[after]') && !k.startsWith('page[before]')) u.searchParams.append(k, v);
      u.searchParams.set(`page[${key}]`, c);
      return u.toString();
    };
    return {
      [field]: page,
      meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: beforeCursor },
      links: { next: hasMore ? link('after', afterCursor) : null, prev: link('before', beforeCursor) },
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    setScenario(next) {
      scenario = next;
      limited = 0;
    },
    holdNext(match) {
      let release!: () => void;
      let arrive!: (path: string) => void;
      const released = new Promise<void>((r) => (release = r));
      const arrived = new Promise<string>((r) => (arrive = r));
      hold = { arrive, released, ...(match ? { match } : {}) };
      return { arrived, release };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Unix seconds of 2026-11-01T00:00:00Z: the sample's tickets are exported at SAMPLE_T0 + id minutes. */
export const SAMPLE_T0 = Math.floor(Date.parse('2026-11-01T00:00:00Z') / 1000);

/**
 * A small account that exercises every path, for the connector's tests and the host's
 * end-to-end ones. Synced from startTime 2026-10-01T00:00:00Z with the default ticketsAt
 * (closed) it gives: employees 101 Ana (team Tier 1), 102 Ben (suspended: inactive), 103 Cleo
 * (team Billing) — not the end user 900; records ticket-1, ticket-2, ticket-7 (support.ticket)
 * and rating-501 (csat 5), rating-502 (csat 1) (customer-feedback.survey); ticket-5 deleted;
 * ticket 3 solved, 4 open and 8 pending wait; ticket 6 and rating 505 have no assignee;
 * ratings 503/504 are offered/unoffered; rating 506 is older than the start. Pages: tickets 3,
 * lists 2, so every stream has several pages.
 */
export function sampleZendeskScenario(auth: { email: string; token: string }): ZendeskScenario {
  const t = (id: number, o: Record<string, unknown>) => zendeskTicket({ id, generated_timestamp: SAMPLE_T0 + id * 60, ...o });
  return {
    email: auth.email,
    token: auth.token,
    ticketsPerPage: 3,
    listPageSize: 2,
    users: [
      zendeskUser({ id: 101, name: 'Ana Agent', email: 'ana@acme.test', external_id: 'E-101', role: 'agent', default_group_id: 11, suspended: false }),
      zendeskUser({ id: 102, name: 'Ben Admin', email: 'ben@acme.test', external_id: null, role: 'admin', default_group_id: null, suspended: true }),
      zendeskUser({ id: 103, name: 'Cleo Agent', email: 'cleo@acme.test', external_id: 'E-103', role: 'agent', default_group_id: 13 }),
      zendeskUser({ id: 900, name: 'A Customer', email: 'customer@example.com', external_id: null, role: 'end-user', default_group_id: null }),
    ],
    groups: [zendeskGroup({ id: 11, name: 'Tier 1' }), zendeskGroup({ id: 12, name: 'Tier 2' }), zendeskGroup({ id: 13, name: 'Billing' })],
    tickets: [
      t(1, { status: 'closed', assignee_id: 101, created_at: '2026-11-01T08:00:00Z', via: { channel: 'email' } }),
      t(2, { status: 'closed', assignee_id: 103, created_at: '2026-11-02T09:00:00Z', via: { channel: 'web' } }),
      t(3, { status: 'solved', assignee_id: 101, created_at: '2026-11-03T10:00:00Z' }),
      t(4, { status: 'open', assignee_id: 101, created_at: '2026-11-04T10:00:00Z' }),
      t(5, { status: 'deleted', assignee_id: 103, created_at: '2026-11-05T10:00:00Z' }),
      t(6, { status: 'closed', assignee_id: null, created_at: '2026-11-06T10:00:00Z' }),
      t(7, { status: 'closed', assignee_id: 102, created_at: '2026-11-07T10:00:00Z', via: { channel: 'api' } }),
      t(8, { status: 'pending', assignee_id: 103, created_at: '2026-11-08T10:00:00Z' }),
    ],
    metricSets: [
      zendeskMetricSet({ ticket_id: 1, replies: 2, reply_time_in_minutes: { calendar: 30, business: 20 }, full_resolution_time_in_minutes: { calendar: 240, business: 180 }, solved_at: '2026-11-01T12:00:00Z', reopens: 0, assignee_stations: 1, on_hold_time_in_minutes: { calendar: 15, business: 10 } }),
      // Nobody replied: Zendesk still reports a 0-minute reply time.
      zendeskMetricSet({ ticket_id: 2, replies: 0, reply_time_in_minutes: { calendar: 0, business: 0 }, full_resolution_time_in_minutes: { calendar: 1440, business: 480 }, solved_at: '2026-11-03T09:00:00Z', reopens: 2, assignee_stations: 3, on_hold_time_in_minutes: { calendar: 0, business: 0 } }),
      zendeskMetricSet({ ticket_id: 3, replies: 1, reply_time_in_minutes: { calendar: 5, business: 5 }, full_resolution_time_in_minutes: { calendar: 60, business: 60 }, solved_at: '2026-11-03T11:00:00Z', reopens: 0, assignee_stations: 2, on_hold_time_in_minutes: { calendar: 0, business: 0 } }),
    ],
    ratings: [
      zendeskRating({ id: 501, score: 'good', assignee_id: 101, ticket_id: 1, comment: 'Quick and kind', created_at: '2026-11-02T09:00:00Z' }),
      zendeskRating({ id: 502, score: 'bad', assignee_id: 103, ticket_id: 2, comment: '', created_at: '2026-11-03T12:00:00Z' }),
      zendeskRating({ id: 503, score: 'offered', assignee_id: 101, ticket_id: 3, comment: null, created_at: '2026-11-03T12:00:00Z' }),
      zendeskRating({ id: 504, score: 'unoffered', assignee_id: 101, ticket_id: 4, comment: null, created_at: '2026-11-04T12:00:00Z' }),
      zendeskRating({ id: 505, score: 'good', assignee_id: null, ticket_id: 6, comment: 'Thanks', created_at: '2026-11-06T12:00:00Z' }),
      zendeskRating({ id: 506, score: 'good', assignee_id: 101, ticket_id: 99, comment: 'Long ago', created_at: '2026-01-01T12:00:00Z' }),
    ],
  };
}

/** Zendesk's cursors look like base64("1576613539.0||467|"): the position's timestamp and ticket id. */
function encodeTicketCursor([ts, id]: [number, number]): string {
  return Buffer.from(`${ts}.0||${id}|`).toString('base64');
}

function decodeTicketCursor(c: string): [number, number] | undefined {
  const m = /^(-?\d+)\.0\|\|(-?\d+)\|$/.exec(Buffer.from(c, 'base64').toString());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function compare(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** Top-level fields of the recorded page other than those the server computes (the unknown one among them). */
function extraTopLevel(page: Json): Json {
  const { after_cursor, after_url, before_cursor, before_url, end_of_stream, tickets, ...rest } = page;
  void after_cursor, void after_url, void before_cursor, void before_url, void end_of_stream, void tickets;
  return clone(rest);
}
