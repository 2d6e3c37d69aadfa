// The test vendor: a node:http server serving pages of surveys with a cursor (`?after=<page>`),
// as the testvendor plugin (test/fixtures/source-plugins/testvendor) reads them. It records every
// request with the instant it arrived, can answer one page with a 429 and Retry-After, can hold
// a page unanswered until a test lets it go (to kill a sync while a batch is in flight), and
// refuses any token but its own.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VendorPage {
  surveys: Array<{ id: string; agent: string; at: string; score: unknown; kind?: string }>;
  agents?: Array<{ id: string; name: string; email?: string; employeeId?: string }>;
  deleted?: string[];
}

export interface VendorRequest {
  path: string;
  /** The page asked for. */
  after: number;
  status: number;
  /** Date.now() when the request arrived. */
  at: number;
  authorization: string | undefined;
}

export interface VendorServer {
  url: string;
  pages: VendorPage[];
  requests: VendorRequest[];
  /** The next request for this page is answered 429 with `Retry-After: <seconds>`. */
  rateLimitOnce(page: number, retryAfterSeconds: number): void;
  /** Requests for this page wait until `release()`. */
  hold(page: number): { release(): void };
  /** Resolves when a request for `page` has arrived. */
  requested(page: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startVendor(o: { token: string; pages: VendorPage[] }): Promise<VendorServer> {
  const requests: VendorRequest[] = [];
  const limited = new Map<number, number>();
  const held = new Map<number, Promise<void>>();
  const waiters: Array<{ page: number; resolve: () => void }> = [];
  const open = new Set<ServerResponse>();
  const vendor: VendorServer = {
    url: '',
    pages: o.pages,
    requests,
    rateLimitOnce: (page, seconds) => void limited.set(page, seconds),
    hold(page) {
      let release!: () => void;
      held.set(page, new Promise<void>((r) => (release = r)));
      return { release: () => { held.delete(page); release(); } };
    },
    requested(page, timeoutMs = 60_000) {
      if (requests.some((r) => r.after === page)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the vendor got no request for page ${page} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ page, resolve: () => { clearTimeout(timer); resolve(); } });
      });
    },
    close: () => new Promise<void>((resolve) => {
      for (const res of open) res.destroy();
      server.close(() => resolve());
    }),
  };
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const url = new URL(req.url ?? '/', 'http://vendor');
    const after = Number(url.searchParams.get('after') ?? 0);
    const record = (status: number) => {
      requests.push({ path: url.pathname, after, status, at: Date.now(), authorization: req.headers.authorization });
      for (const w of waiters.filter((x) => x.page === after)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    };
    if (req.headers.authorization !== `Bearer ${o.token}`) {
      record(401);
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"Couldn\'t authenticate you"}');
      return;
    }
    if (limited.has(after)) {
      const seconds = limited.get(after)!;
      limited.delete(after);
      record(429);
      res.writeHead(429, { 'retry-after': String(seconds), 'content-type': 'application/json' }).end('{"error":"APIRateLimitExceeded"}');
      return;
    }
    record(200);
    const hold = held.get(after);
    if (hold) await hold;
    const page = vendor.pages[after] ?? { surveys: [] };
    const next = Math.min(after + 1, vendor.pages.length);
    const end = next >= vendor.pages.length;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...page, next: after >= vendor.pages.length ? after : next, end }));
  };
  const server: Server = createServer((req, res) => void answer(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  vendor.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return vendor;
}
