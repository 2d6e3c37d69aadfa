// The built-in connectors end to end, as an admin runs them: `npx appraise sources sync zendesk`
// and `… salesforce` against local servers that speak each vendor's documented API. A sync
// stores the vendor's records and people; a second one with no changes adds nothing; a sync
// killed while a batch is under way, then run again, leaves the store one uninterrupted sync
// leaves; a 429 is waited out as Retry-After says; the credential is nowhere. PGlite and PostgreSQL.
import { afterEach, describe, expect, it } from 'vitest';
import { sourceHarness, type SourceHarness } from './harness.ts';
import { sampleZendeskScenario, startZendeskServer, type ZendeskScenario } from './zendesk-server.ts';
import { scenarioFromFixtures, startSalesforceServer, type SalesforceScenario } from './salesforce-server.ts';

const ZD = { email: 'appraise@acme.example', token: 'zd-TOKEN-51c2e8a9f7b34d60' };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** What a connector needs from its vendor server, the same for both. */
interface Vendor {
  requests: Array<{ path: string; at: number; status: number }>;
  holdNext(match: (path: string) => boolean): { arrived: Promise<unknown>; release(): void };
}

interface Connector {
  name: string;
  token: string;
  kinds: string[];
  start(rateLimited?: boolean): Promise<Vendor & { source: Record<string, unknown> }>;
  /** A request that comes only after several batches were committed: the kill happens there. */
  later: (path: string) => boolean;
  /** The requests a 429 is given to. */
  limited: (path: string) => boolean;
}

const CONNECTORS: Connector[] = [
  {
    name: 'zendesk',
    token: ZD.token,
    kinds: ['customer-feedback.survey', 'support.ticket'],
    async start(rateLimited) {
      const scenario: ZendeskScenario = { ...sampleZendeskScenario(ZD), ...(rateLimited ? { rateLimit: { path: '/api/v2/incremental/tickets', times: 1, retryAfterSeconds: 1 } } : {}) };
      const s = await startZendeskServer(scenario);
      cleanups.push(() => s.close());
      return Object.assign(s, {
        source: { source: 'zendesk.support', schedule: 'manual', settings: { baseUrl: s.url, email: ZD.email, startTime: '2026-10-01T00:00:00Z' }, credentials: { token: { env: 'CONNECTOR_TOKEN' } } },
      });
    },
    later: (p) => p.startsWith('/api/v2/incremental/tickets'),
    limited: (p) => p.startsWith('/api/v2/incremental/tickets'),
  },
  {
    name: 'salesforce',
    token: scenarioFromFixtures().accessToken!,
    kinds: ['sales.deal', 'sales.quota'],
    async start(rateLimited) {
      const scenario: SalesforceScenario = scenarioFromFixtures(rateLimited ? { inject: [{ path: 'FROM Opportunity', status: 429, headers: { 'retry-after': '1' }, body: [{ message: 'Too many requests', errorCode: 'REQUEST_LIMIT_EXCEEDED' }] }] } : {});
      const s = await startSalesforceServer(scenario);
      cleanups.push(() => s.close());
      return Object.assign(s, {
        source: { source: 'salesforce.opportunities', schedule: 'manual', settings: { instanceUrl: s.url, pageSize: 2, startDate: '2026-01-01' }, credentials: { accessToken: { env: 'CONNECTOR_TOKEN' } } },
      });
    },
    later: (p) => p.includes('FROM ForecastingQuota'),
    limited: (p) => p.includes('FROM Opportunity'),
  },
];

async function harness(backend: 'pglite' | 'postgres', c: Connector, source: Record<string, unknown>): Promise<SourceHarness> {
  const h = await sourceHarness({ backend, sources: { [c.name]: source as never }, env: { CONNECTOR_TOKEN: c.token }, pluginDirs: [] });
  cleanups.push(() => h.dispose());
  return h;
}

/** Every row of every table, as text: where a credential must not be. */
async function everything(h: SourceHarness): Promise<string> {
  const tables = await h.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`);
  let out = '';
  for (const t of tables) out += JSON.stringify(await h.query(`SELECT * FROM "${t.table_name}"`));
  return out;
}

describe.each(['pglite', 'postgres'] as const)('connectors on %s', (backend) => {
  describe.each(CONNECTORS)('$name', (c) => {
    it('syncs records and people; a second sync adds nothing; killed midway and run again, the store is the uninterrupted one', async () => {
      const vendor = await c.start();
      const h = await harness(backend, c, vendor.source);
      const first = await h.syncCli(c.name);
      expect(first.code, first.stderr).toBe(0);
      const once = await h.snapshot();
      expect([...new Set(once.records.map((r) => r.kind))].sort()).toEqual(c.kinds);
      expect(once.records.every((r) => String(r.external_id).startsWith(`${c.name}:`) && r.source === c.name)).toBe(true);
      expect(once.employees.length).toBeGreaterThan(0);

      const again = await h.syncCli(c.name);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/finished after \d+ batch\(es\) in [\d.]+ s: 0 new record\(s\)/);
      expect(await h.snapshot()).toEqual(once);

      // Killed while a batch is under way, once earlier batches are stored.
      const other = await c.start();
      const k = await harness(backend, c, other.source);
      const held = other.holdNext(c.later);
      await k.killSyncWhen(c.name, async () => void (await held.arrived));
      const partial = await k.snapshot();
      expect(partial.records.length).toBeLessThan(once.records.length);
      expect((await k.query<{ status: string }>('SELECT status FROM source_syncs')).map((r) => r.status)).not.toContain('ok');
      held.release();
      const rerun = await k.syncCli(c.name);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await k.snapshot()).toEqual(once);

      for (const out of [first, again, rerun]) expect(out.stdout + out.stderr).not.toContain(c.token);
      expect(await everything(h)).not.toContain(c.token);
      expect(await everything(k)).not.toContain(c.token);
    }, 600_000);

    it('waits out a 429 for as long as Retry-After says, then stores the same', async () => {
      const vendor = await c.start(true);
      const h = await harness(backend, c, vendor.source);
      const r = await h.syncCli(c.name);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/1 rate-limit wait\(s\)/);
      const i = vendor.requests.findIndex((x) => x.status === 429);
      expect(i).toBeGreaterThanOrEqual(0);
      const retry = vendor.requests.slice(i + 1).find((x) => c.limited(x.path));
      expect(retry!.at - vendor.requests[i].at).toBeGreaterThanOrEqual(1000);
      const plain = await c.start();
      const p = await harness(backend, c, plain.source);
      expect((await p.syncCli(c.name)).code).toBe(0);
      expect(await h.snapshot()).toEqual(await p.snapshot());
    }, 600_000);
  });
});
