// A local Salesforce org over node:http that speaks the documented REST API, for contract tests
// of the Salesforce connector and the host's end-to-end syncs: the Query resource (SOQL filtered,
// ordered and limited by test/sources/soql-eval.ts, answered in batches with `nextRecordsUrl`),
// sObject Get Deleted, the OAuth 2.0 client-credentials token endpoint, Bearer checks
// (401 INVALID_SESSION_ID), INVALID_TYPE for an object the org lacks, and injected answers
// (429 with Retry-After, 403 REQUEST_LIMIT_EXCEEDED, …). Records are served as the scenario holds
// them, not projected to the fields asked for, so a client also sees fields it did not ask for.
//
//   const sf = await startSalesforceServer(scenarioFromFixtures());
//   … sync against sf.url with credentials { accessToken: sf.accessToken } …
//   sf.requests  // what arrived: method, path, SOQL, time, status
//   await sf.close();
//
// The connector leaves changes of the last minute for its next sync, so a scenario's records need
// a SystemModstamp at least a minute old to be read at once (the fixtures' are from March 2026).
// holdNext() holds the next request (say, to kill a sync while it waits); it is recorded in
// `requests` only once released and answered.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { instant, orderRows, parseSoql, SoqlError } from './soql-eval.ts';

type Row = Record<string, unknown>;

export interface InjectedAnswer {
  /** Which requests it answers: a RegExp or substring of the path (query string included, decoded). */
  path: RegExp | string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** How many matching requests it answers (default 1). */
  times?: number;
}

export interface SalesforceScenario {
  /** Records per object name (`Opportunity`, `User`, `ForecastingQuota`, `Period`); an object not here answers INVALID_TYPE. */
  objects: Record<string, Row[]>;
  /** Deleted records, per object, as Get Deleted lists them. */
  deleted?: Record<string, Array<{ id: string; deletedDate: string }>>;
  /** A token the org accepts as it is (`Authorization: Bearer …`). */
  accessToken?: string;
  /** A connected app for the client-credentials flow; the org issues tokens to it. */
  client?: { id: string; secret: string };
  /** Records per query answer before `nextRecordsUrl` (Salesforce: up to 2000). */
  batchSize?: number;
  /** Answers given instead of the real one, first match first. */
  inject?: InjectedAnswer[];
  earliestDateAvailable?: string;
}

export interface RecordedRequest {
  method: string;
  /** Path with the query string decoded. */
  path: string;
  /** The SOQL of a query request. */
  soql?: string;
  /** Milliseconds since the epoch when it arrived. */
  at: number;
  status: number;
  /** Whether the request carried a token the org accepted. */
  authorized: boolean;
}

export interface SalesforceServer {
  url: string;
  /** The static token of the scenario (if any). */
  accessToken?: string;
  requests: RecordedRequest[];
  setScenario(next: SalesforceScenario): void;
  /** Forgets every token issued by the client-credentials flow (a session timed out). */
  revokeTokens(): void;
  /** Holds the next request until released: `arrived` resolves when it came in. */
  holdNext(match?: (path: string) => boolean): { arrived: Promise<void>; release(): void };
  close(): Promise<void>;
}

const FIXTURES = new URL('../fixtures/salesforce/', import.meta.url);

export function fixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as T;
}

/** The org of the fixture files: 8 opportunities, 4 users, 4 quotas, 1 period, a static token. */
export function scenarioFromFixtures(overrides: Partial<SalesforceScenario> = {}): SalesforceScenario {
  const records = (name: string) => fixture<{ records: Row[] }>(name).records;
  return {
    objects: {
      Opportunity: records('opportunities.json'),
      User: records('users.json'),
      ForecastingQuota: records('forecasting-quotas.json'),
      Period: records('periods.json'),
    },
    deleted: {},
    accessToken: '00DTEST000000aZ!ARtestStaticTokenQ9v8u7t6s5r4',
    ...overrides,
  };
}

export async function startSalesforceServer(initial: SalesforceScenario): Promise<SalesforceServer> {
  let scenario = initial;
  const requests: RecordedRequest[] = [];
  const issued = new Set<string>();
  const locators = new Map<string, { rows: Row[]; total: number }>();
  const injected = new Map<InjectedAnswer, number>();
  let holds: Array<{ arrive: () => void; released: Promise<void>; match?: (path: string) => boolean }> = [];
  let locatorSeq = 0;
  let tokenSeq = 0;

  const server = createServer((req, res) => {
    // The first hold whose match (if any) accepts the path, with its query decoded.
    const path = decodeURIComponent(req.url ?? '/');
    const i = holds.findIndex((h) => !h.match || h.match(path));
    const hold = i >= 0 ? holds.splice(i, 1)[0] : undefined;
    if (hold) {
      hold.arrive();
      void hold.released.then(() => handle(req, res));
    } else {
      handle(req, res);
    }
  });

  function handle(req: IncomingMessage, res: ServerResponse): void {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://local');
      const path = decodeURIComponent(u.pathname) + (u.search ? `?${decodeURIComponent(u.search.slice(1).replace(/\+/g, ' '))}` : '');
      const record: RecordedRequest = { method: req.method ?? 'GET', path, at: Date.now(), status: 0, authorized: false };
      if (u.pathname.endsWith('/query') || u.pathname.endsWith('/query/')) record.soql = u.searchParams.get('q') ?? undefined;
      requests.push(record);
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        record.status = status;
        res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
        res.end(body === undefined ? '' : JSON.stringify(body));
      };
      try {
        route(req, u, path, raw, record, send);
      } catch (e) {
        if (e instanceof SoqlError) send(400, [{ message: e.message, errorCode: 'MALFORMED_QUERY' }]);
        else send(500, [{ message: (e as Error).message, errorCode: 'UNKNOWN_EXCEPTION' }]);
      }
    });
  }

  function route(req: IncomingMessage, u: URL, path: string, body: string, record: RecordedRequest, send: (s: number, b: unknown, h?: Record<string, string>) => void): void {
    for (const inj of scenario.inject ?? []) {
      const used = injected.get(inj) ?? 0;
      const matches = typeof inj.path === 'string' ? path.includes(inj.path) : inj.path.test(path);
      if (matches && used < (inj.times ?? 1)) {
        injected.set(inj, used + 1);
        send(inj.status, inj.body, inj.headers);
        return;
      }
    }
    if (req.method === 'POST' && u.pathname === '/services/oauth2/token') {
      const form = new URLSearchParams(body);
      const c = scenario.client;
      if (form.get('grant_type') !== 'client_credentials' || !c || form.get('client_id') !== c.id || form.get('client_secret') !== c.secret) {
        send(400, fixture('oauth-error.json'));
        return;
      }
      const token = `00DTEST000000aZ!ARissued${++tokenSeq}x${Math.random().toString(36).slice(2, 12)}`;
      issued.add(token);
      send(200, { ...fixture<Row>('oauth-token.json'), access_token: token, instance_url: url, issued_at: String(Date.now()) });
      return;
    }
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    record.authorized = (token !== '' && token === scenario.accessToken) || issued.has(token);
    if (!record.authorized) {
      send(401, fixture('error-invalid-session.json'), { 'www-authenticate': 'Token' });
      return;
    }
    const m = /^\/services\/data\/v(\d+\.\d)\/(.*)$/.exec(u.pathname);
    if (!m || req.method !== 'GET') {
      send(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
      return;
    }
    const [, version, rest] = m;
    if (rest === 'query' || rest === 'query/') {
      query(u.searchParams.get('q') ?? '', version, send);
      return;
    }
    const more = /^query\/([\w-]+)$/.exec(rest);
    if (more) {
      const entry = locators.get(more[1]);
      if (!entry) {
        send(400, [{ errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator' }]);
        return;
      }
      answerBatch(more[1].replace(/-\d+$/, ''), entry.rows, entry.total, version, send);
      return;
    }
    const del = /^sobjects\/(\w+)\/deleted\/?$/.exec(rest);
    if (del) {
      deletedAnswer(del[1], u.searchParams.get('start'), u.searchParams.get('end'), send);
      return;
    }
    send(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  }

  function query(soql: string, version: string, send: (s: number, b: unknown) => void): void {
    const q = parseSoql(soql);
    const rows = scenario.objects[q.object];
    if (!rows) {
      const err = fixture<Array<{ message: string; errorCode: string }>>('error-invalid-type.json');
      send(400, [{ ...err[0], message: err[0].message.replace(/ForecastingQuota/g, q.object) }]);
      return;
    }
    let result = rows.filter((r) => !q.where || q.where(r));
    if (q.orderBy.length) result = orderRows(result, q.orderBy);
    if (q.limit !== undefined) result = result.slice(0, q.limit);
    answerBatch(`01gTEST${String(++locatorSeq).padStart(8, '0')}`, result, result.length, version, send);
  }

  function answerBatch(locator: string, rows: Row[], total: number, version: string, send: (s: number, b: unknown) => void): void {
    const size = scenario.batchSize ?? 2000;
    const page = rows.slice(0, size);
    const left = rows.slice(size);
    const answer: Row = { totalSize: total, done: left.length === 0, records: structuredClone(page) };
    if (left.length) {
      const id = `${locator}-${total - left.length}`;
      locators.set(id, { rows: left, total });
      answer.nextRecordsUrl = `/services/data/v${version}/query/${id}`;
    }
    send(200, answer);
  }

  function deletedAnswer(object: string, start: string | null, end: string | null, send: (s: number, b: unknown) => void): void {
    if (!scenario.objects[object]) {
      send(404, [{ errorCode: 'NOT_FOUND', message: `The requested resource does not exist` }]);
      return;
    }
    const s = instant(start ?? '');
    const e = instant(end ?? '');
    // The resource ignores seconds, and the window must be longer than a minute.
    if (s === undefined || e === undefined || e - s <= 60_000) {
      send(400, [{ errorCode: 'INVALID_REPLICATION_DATE', message: 'startDate must chronologically precede endDate by more than one minute' }]);
      return;
    }
    const minute = (t: number) => Math.floor(t / 60_000) * 60_000;
    const from = minute(s);
    const to = minute(e);
    const deletedRecords = (scenario.deleted?.[object] ?? []).filter((d) => {
      const t = instant(d.deletedDate) ?? 0;
      return t >= from && t < to;
    });
    send(200, {
      deletedRecords,
      earliestDateAvailable: scenario.earliestDateAvailable ?? sfDate(to - 14 * 24 * 3600_000),
      latestDateCovered: sfDate(to),
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    accessToken: initial.accessToken,
    requests,
    setScenario(next) {
      scenario = next;
      injected.clear();
    },
    revokeTokens() {
      issued.clear();
    },
    holdNext(match) {
      let arrive!: () => void;
      let release!: () => void;
      const arrived = new Promise<void>((r) => (arrive = r));
      const released = new Promise<void>((r) => (release = r));
      holds.push({ arrive, released, ...(match ? { match } : {}) });
      return { arrived, release };
    },
    close() {
      holds.forEach((h) => h.arrive());
      holds = [];
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `2026-03-01T09:00:00.000+0000`, Salesforce's dateTime form. */
export function sfDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
