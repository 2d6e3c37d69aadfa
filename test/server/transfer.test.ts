// How the admin UI and the API travel, over a real socket (node:http, which adds no headers of
// its own and does not decode): the hashed bundle is sent as its brotli or gzip copy and kept for
// a year, index.html is revalidated, API JSON is compressed above 1 KB and never stored, a client
// that accepts no encoding gets the bytes as they are. And the bundle's budget: the UI's
// JavaScript, gzipped, under 300 KB, with a failure that says what grew.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../core/server/app.ts';
import { ensureUiBuilt, HASHED_ASSET, PARTS_FILE, referencedAssets, UI_DIST_DIR, type BundleParts } from '../../core/server/build-ui.ts';
import { AS_OF, testServer, type TestServer } from './helpers.ts';

const BUDGET_BYTES = 300 * 1024;
const BASELINE = new URL('./bundle-baseline.json', import.meta.url);
const IMMUTABLE = 'public, max-age=31536000, immutable';
const BOTH = { 'accept-encoding': 'gzip, br' };

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One GET over a fresh connection, body as received (still encoded). */
function get(base: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function decoded(r: Raw): Buffer {
  const encoding = r.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(r.body);
  if (encoding === 'gzip') return gunzipSync(r.body);
  if (encoding === undefined) return r.body;
  throw new Error(`unexpected content-encoding ${encoding}`);
}

const dist = (name: string) => readFileSync(join(UI_DIST_DIR, name));

let t: TestServer;
let base: string;
let js: string;
let css: string;

beforeAll(async () => {
  await ensureUiBuilt(() => {});
  t = await testServer({ uiDir: UI_DIST_DIR });
  base = await t.server.listen({ port: 0, host: '127.0.0.1' });
  const assets = referencedAssets(dist('index.html').toString());
  js = assets.find((a) => a.endsWith('.js'))!;
  css = assets.find((a) => a.endsWith('.css'))!;
  expect((await t.call('hr', 'POST', '/api/runs', { asOf: AS_OF })).statusCode).toBe(200);
});
afterAll(async () => {
  await t?.close();
});

describe('the admin UI over HTTP', () => {
  it('index.html loads content-hashed files and is revalidated on every load', async () => {
    expect(js).toMatch(HASHED_ASSET);
    expect(css).toMatch(HASHED_ASSET);
    const r = await get(base, '/', BOTH);
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(decoded(r).equals(dist('index.html'))).toBe(true);
  });

  it('sends the bundle as its brotli copy, the same bytes once decoded, kept for a year', async () => {
    const r = await get(base, `/${js}`, BOTH);
    expect(r.headers['content-encoding']).toBe('br');
    // The copy the build wrote, not one compressed for this request.
    expect(r.body.equals(dist(`${js}.br`))).toBe(true);
    expect(decoded(r).equals(dist(js))).toBe(true);
    expect(r.headers['content-type']).toMatch(/^application\/javascript/);
    expect(r.headers['cache-control']).toBe(IMMUTABLE);
    expect(r.headers.vary).toMatch(/accept-encoding/i);
    expect(r.body.length).toBeLessThan(dist(js).length / 3);
  });

  it('sends gzip to a client that accepts only gzip', async () => {
    const r = await get(base, `/${js}`, { 'accept-encoding': 'gzip' });
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.body.equals(dist(`${js}.gz`))).toBe(true);
    expect(decoded(r).equals(dist(js))).toBe(true);
    expect(r.headers['cache-control']).toBe(IMMUTABLE);
  });

  it('sends the file as it is to a client without Accept-Encoding, or that asks for identity', async () => {
    for (const headers of [{}, { 'accept-encoding': 'identity' }] as Array<Record<string, string>>) {
      const r = await get(base, `/${js}`, headers);
      expect(r.headers['content-encoding']).toBeUndefined();
      expect(r.body.equals(dist(js))).toBe(true);
      expect(r.headers['cache-control']).toBe(IMMUTABLE);
    }
    const page = await get(base, '/');
    expect(page.headers['content-encoding']).toBeUndefined();
    expect(page.body.equals(dist('index.html'))).toBe(true);
    const style = await get(base, `/${css}`);
    expect(style.body.equals(dist(css))).toBe(true);
    expect(style.headers['cache-control']).toBe(IMMUTABLE);
  });

  it('answers a deep link with index.html, revalidated', async () => {
    const r = await get(base, '/policies/fair-test', BOTH);
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(decoded(r).equals(dist('index.html'))).toBe(true);
  });

  it('answers a hashed name that is not there with a coded 404, never the page or a stack', async () => {
    const r = await get(base, '/app-AAAAAAAA.js', BOTH);
    expect(r.status).toBe(404);
    expect(r.headers['cache-control']).toBe('no-store');
    const body = decoded(r).toString();
    expect(JSON.parse(body).error.code).toBe('APPRAISE_API_NOT_FOUND');
    expect(body).not.toMatch(/\bat .*:\d+:\d+/);
  });

  it('serves the files of a build made after the server started (new names), compressed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'appraise-ui-'));
    let server: FastifyInstance | undefined;
    try {
      for (const f of ['index.html', js, `${js}.gz`, `${js}.br`, css]) copyFileSync(join(UI_DIST_DIR, f), join(dir, f));
      server = await buildServer(t.app, { uiDir: dir });
      const at = await server.listen({ port: 0, host: '127.0.0.1' });
      const rebuilt = 'app-BBBBBBBB.js';
      const text = Buffer.from(`export const rebuilt = true;${' '.repeat(2048)}\n`);
      writeFileSync(join(dir, rebuilt), text);
      writeFileSync(join(dir, `${rebuilt}.gz`), gzipSync(text));
      const r = await get(at, `/${rebuilt}`, { 'accept-encoding': 'gzip' });
      expect(r.status).toBe(200);
      expect(r.headers['content-encoding']).toBe('gzip');
      expect(r.headers['content-type']).toMatch(/^application\/javascript/);
      expect(r.headers['cache-control']).toBe(IMMUTABLE);
      expect(decoded(r).equals(text)).toBe(true);
    } finally {
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('API responses over HTTP', () => {
  const auth = () => ({ authorization: `Bearer ${t.tokens.hr}` });
  const DASHBOARD = `/api/dashboard?asOf=${AS_OF}`;

  it('compresses JSON over 1 KB for a client that accepts it; the same JSON once decoded; never stored', async () => {
    const plain = await get(base, DASHBOARD, auth());
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    const json = JSON.parse(plain.body.toString());
    for (const [accept, encoding] of [['gzip, br', 'br'], ['gzip', 'gzip']]) {
      const r = await get(base, DASHBOARD, { ...auth(), 'accept-encoding': accept });
      expect(r.status).toBe(200);
      expect(r.headers['content-encoding']).toBe(encoding);
      expect(r.headers.vary).toMatch(/accept-encoding/i);
      expect(r.body.length).toBeLessThan(plain.body.length / 2);
      expect(JSON.parse(decoded(r).toString())).toEqual(json);
    }
    for (const r of [plain, await get(base, DASHBOARD, { ...auth(), ...BOTH })]) expect(r.headers['cache-control']).toBe('no-store');
  });

  it('sends a response under 1 KB as it is, and errors are not stored either', async () => {
    const me = await get(base, '/api/me', { ...auth(), ...BOTH });
    expect(me.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(me.body.toString())).toMatchObject({ role: 'hr' });
    expect(me.headers['cache-control']).toBe('no-store');
    const denied = await get(base, DASHBOARD, BOTH);
    expect(denied.status).toBe(401);
    expect(denied.headers['cache-control']).toBe('no-store');
  });
});

interface Baseline {
  gzipBytes: number;
  parts: Record<string, number>;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** What a bundle over budget says: its size, and each part that grew or is new since the baseline, largest first. */
function overBudget(gzipBytes: number, parts: Record<string, number>, baseline: Baseline): string {
  const grown = Object.entries(parts)
    .map(([part, bytes]) => ({ part, bytes, was: baseline.parts[part] ?? 0 }))
    .filter((x) => x.bytes > x.was)
    .sort((a, b) => b.bytes - b.was - (a.bytes - a.was))
    .slice(0, 10)
    .map((x) => (x.was ? `${x.part} +${kb(x.bytes - x.was)} (${kb(x.was)} → ${kb(x.bytes)})` : `${x.part} (new) ${kb(x.bytes)}`));
  return [
    `The admin UI's JavaScript is ${kb(gzipBytes)} gzipped, over its budget of ${kb(BUDGET_BYTES)} (${kb(baseline.gzipBytes)} at the baseline).`,
    grown.length ? `Grown since test/server/bundle-baseline.json (minified bytes): ${grown.join('; ')}.` : 'No part grew since test/server/bundle-baseline.json.',
    'Load the new code lazily (import()) or choose a smaller library; after a deliberate change, rerun with APPRAISE_UPDATE_BUNDLE_BASELINE=1.',
  ].join('\n');
}

describe('the bundle budget', () => {
  it("keeps the UI's JavaScript under 300 KB gzipped", () => {
    const built = JSON.parse(dist(PARTS_FILE).toString()) as BundleParts;
    const gzipBytes = built.js.reduce((sum, f) => sum + gzipSync(dist(f), { level: 9 }).length, 0);
    const parts = Object.fromEntries(Object.entries(built.parts).filter(([, b]) => b > 0).sort((a, b) => b[1] - a[1]));
    if (process.env.APPRAISE_UPDATE_BUNDLE_BASELINE) writeFileSync(BASELINE, `${JSON.stringify({ gzipBytes, parts }, null, 2)}\n`);
    const baseline = JSON.parse(readFileSync(BASELINE, 'utf8')) as Baseline;
    expect(gzipBytes < BUDGET_BYTES, overBudget(gzipBytes, parts, baseline)).toBe(true);
  });

  it('an over-budget failure names the parts that grew and the new ones, largest first', () => {
    const message = overBudget(310 * 1024, { 'chart.js': 200_000, moment: 60_000, lit: 7_000 }, { gzipBytes: 250 * 1024, parts: { 'chart.js': 170_000, lit: 7_000 } });
    expect(message).toContain('310.0 KB gzipped, over its budget of 300.0 KB (250.0 KB at the baseline)');
    expect(message).toContain('moment (new) 58.6 KB; chart.js +29.3 KB (166.0 KB → 195.3 KB)');
    expect(message).not.toMatch(/\blit\b/);
  });
});
