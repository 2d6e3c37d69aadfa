// Contract tests of the Salesforce connector: its real `sync`, with the host's real source context
// (createSourceContext), over real HTTP against a local org that answers as Salesforce's REST API
// documentation shows (test/sources/salesforce-server.ts, fixtures in test/fixtures/salesforce).
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import type { PluginContext, SourceBatch, SourceCursor, SourceImplementation, SourceRecord } from '../../core/plugins/api.ts';
import { createSourceContext, type RateLimitWait } from '../../core/sources/request.ts';
import { activate } from '../../plugins/salesforce/index.ts';
import { syncSalesforce } from '../../plugins/salesforce/sync.ts';
import { scenarioFromFixtures, sfDate, startSalesforceServer, type SalesforceScenario, type SalesforceServer } from './salesforce-server.ts';

const quiet = { info() {}, warn() {}, error() {} };
const servers: SalesforceServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function org(overrides: Partial<SalesforceScenario> = {}): Promise<SalesforceServer> {
  const s = await startSalesforceServer(scenarioFromFixtures(overrides));
  servers.push(s);
  return s;
}

function context(sf: SalesforceServer, settings: Record<string, unknown> = {}, credentials: Record<string, string> = { accessToken: sf.accessToken! }, onWait?: (w: RateLimitWait) => void) {
  return createSourceContext({ settings: { instanceUrl: sf.url, pageSize: 4, ...settings }, credentials, log: quiet, onWait });
}

/** Calls sync until the batch says done, as the host does; returns every batch and the cursor each started from. */
async function syncAll(ctx: ReturnType<typeof context>, from: SourceCursor = null, now?: () => number): Promise<{ batches: SourceBatch[]; cursors: SourceCursor[] }> {
  const batches: SourceBatch[] = [];
  const cursors: SourceCursor[] = [];
  let cursor = from;
  for (let i = 0; i < 50; i++) {
    cursors.push(cursor);
    const b = await syncSalesforce(ctx, cursor, now);
    batches.push(b);
    cursor = b.nextCursor;
    if (b.done) return { batches, cursors };
  }
  throw new Error('sync never said done');
}

const records = (bs: SourceBatch[]) => bs.flatMap((b) => b.records);
const ids = (rs: SourceRecord[]) => rs.map((r) => r.id).sort();

const A = '005Dn00000RepAAIAA';
const B = '005Dn00000RepBBIAA';
const C = '005Dn00000RepCCIAA';
const opp = (n: number) => `006Dn00000Opp${String(n).padStart(2, '0')}IAA`;

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ allErrors: true }));
const schema = (name: string) => ajv.compile(JSON.parse(readFileSync(new URL(`../../plugins/sales/schemas/${name}.schema.json`, import.meta.url), 'utf8')));
const validDeal = schema('deal');
const validQuota = schema('quota');

describe('Salesforce connector against a documented-shape org', () => {
  it('reads every page into closed deals, quotas and their owners; open deals are noted, not stored; unknown fields are ignored', async () => {
    const sf = await org({ batchSize: 3 });
    const { batches } = await syncAll(context(sf));
    expect(batches.map((b) => b.done)).toEqual([false, false, true]);

    const deals = records(batches).filter((r) => r.kind === 'sales.deal');
    expect(ids(deals)).toEqual([opp(1), opp(2), opp(4), opp(5), opp(6), opp(8)]);
    const byId = new Map(deals.map((d) => [d.id, d]));
    // The fixture's first opportunity also carries fields the connector ignores (Probability, FiscalYear, NextStepAiSummary__c).
    expect(byId.get(opp(1))).toEqual({
      kind: 'sales.deal', id: opp(1), person: A, occurredAt: '2026-02-27T00:00:00.000Z',
      payload: { stage: 'won', amount: 50000, closedAt: '2026-02-27T00:00:00.000Z', engagedAt: '2026-01-10T08:00:00.000Z', account: '001Dn00000Acme1IAA' },
    });
    expect(byId.get(opp(2))?.payload).toMatchObject({ stage: 'lost', amount: 12000 });
    expect(byId.get(opp(2))?.person).toBe(B);
    expect(byId.get(opp(5))).toMatchObject({ person: C, payload: { stage: 'won', amount: 20000, closedAt: '2026-03-03T00:00:00.000Z' } });
    expect(byId.get(opp(8))?.payload).toEqual({ stage: 'won', closedAt: '2026-03-06T00:00:00.000Z', engagedAt: '2026-02-28T09:15:00.000Z', account: '001Dn00000Acme1IAA' });
    // Won value 50000 + 30000 + 20000 (+ one without amount), lost 12000 + 8000: what the sales metrics will sum.
    const sum = (stage: string) => deals.filter((d) => d.payload.stage === stage).reduce((s, d) => s + ((d.payload.amount as number) ?? 0), 0);
    expect([sum('won'), sum('lost')]).toEqual([100000, 20000]);

    const quotas = records(batches).filter((r) => r.kind === 'sales.quota');
    expect(quotas).toEqual([
      { kind: 'sales.quota', id: '0J9Dn00000Quo01IAA', person: A, occurredAt: '2026-01-01T00:00:00.000Z', payload: { amount: 100000, periodEnd: '2026-03-31' } },
      { kind: 'sales.quota', id: '0J9Dn00000Quo02IAA', person: B, occurredAt: '2026-01-01T00:00:00.000Z', payload: { amount: 80000, periodEnd: '2026-03-31' } },
      { kind: 'sales.quota', id: '0J9Dn00000Quo04IAA', person: C, occurredAt: '2026-01-01T00:00:00.000Z', payload: { amount: 60000, periodEnd: '2026-03-31' } },
    ]);
    for (const r of records(batches)) expect(r.kind === 'sales.deal' ? validDeal(r.payload) : validQuota(r.payload), JSON.stringify(r)).toBe(true);

    // Every batch names the owners of its records, and only those.
    for (const b of batches) expect((b.employees ?? []).map((e) => e.id).sort()).toEqual([...new Set(b.records.map((r) => r.person))].sort());
    const people = new Map(batches.flatMap((b) => b.employees ?? []).map((e) => [e.id, e]));
    expect(people.get(A)).toEqual({ id: A, name: 'Ada Archer', email: 'ada.archer@acme.example', employeeId: 'E-1001', role: 'Account Executive', department: 'Sales EMEA', active: true });
    expect(people.get(B)?.employeeId).toBeUndefined(); // its FederationIdentifier is an email, not an HR id
    expect(people.get(C)).toMatchObject({ employeeId: 'EMP-3003', active: false });

    expect(batches[0].notes).toContain('1 open opportunity not stored yet: a deal is stored once it is closed won or lost');
    expect(batches[1].notes).toContain('1 open opportunity not stored yet: a deal is stored once it is closed won or lost');
    // The answers came in batches of 3 and were read to their end through nextRecordsUrl.
    expect(sf.requests.some((r) => /\/services\/data\/v62\.0\/query\/01gTEST\d+-3$/.test(r.path))).toBe(true);
    expect(sf.requests.filter((r) => r.soql?.includes('FROM Opportunity'))[0].soql).toMatch(
      /^SELECT Id, OwnerId, Amount, StageName, IsClosed, IsWon, CloseDate, CreatedDate, LastModifiedDate, SystemModstamp, Name, AccountId FROM Opportunity WHERE SystemModstamp <= \S+Z ORDER BY SystemModstamp, Id LIMIT 4$/,
    );
  });

  it('neither loses nor repeats records that share one SystemModstamp across a page boundary, whatever the page size', async () => {
    const sf = await org({ batchSize: 2 });
    // Opportunities 4, 5 and 6 share 2026-03-04T12:00:00; page sizes 1–9 put boundaries inside that run.
    for (let pageSize = 1; pageSize <= 9; pageSize++) {
      const { batches } = await syncAll(context(sf, { pageSize }));
      const deals = records(batches).filter((r) => r.kind === 'sales.deal');
      expect(deals.map((d) => d.id).sort(), `pageSize ${pageSize}`).toEqual([opp(1), opp(2), opp(4), opp(5), opp(6), opp(8)]);
      expect(records(batches).filter((r) => r.kind === 'sales.quota')).toHaveLength(3);
    }
  });

  it('gives the same batch for the same cursor, and resuming from any mid-stream cursor gives the same union', async () => {
    const sf = await org({ batchSize: 3 });
    const ctx = context(sf, { pageSize: 2 });
    // One clock for all calls: the Get Deleted window ends at the minute of "now".
    const at = Date.now();
    const now = () => at;
    const full = await syncAll(ctx, null, now);
    expect(full.batches.length).toBeGreaterThan(4);
    const all = ids(records(full.batches));
    for (let k = 0; k < full.cursors.length; k++) {
      const again = await syncSalesforce(ctx, full.cursors[k], now);
      expect(again).toEqual(full.batches[k]);
      // A sync killed after batch k-1 was stored resumes from cursor k.
      const rest = await syncAll(ctx, full.cursors[k], now);
      expect(ids([...records(full.batches.slice(0, k)), ...records(rest.batches)]), `resumed at ${k}`).toEqual(all);
    }
  });

  it('adds nothing on a second pass from the final cursor, and stores a deal that closed later as a new modification', async () => {
    const sf = await org();
    const ctx = context(sf);
    const first = await syncAll(ctx);
    const final = first.batches.at(-1)!.nextCursor;
    const before = sf.requests.length;
    // Ten minutes later: the Get Deleted window is longer than the minute Salesforce requires.
    const second = await syncAll(ctx, final, () => Date.now() + 10 * 60_000);
    expect(second.batches).toHaveLength(1);
    expect(second.batches[0]).toMatchObject({ records: [], employees: [], done: true });
    // One query for opportunities, one for quotas, one Get Deleted: no other API request spent.
    expect(sf.requests.slice(before).map((r) => r.path.replace(/\?.*/, ''))).toEqual(['/services/data/v62.0/query', '/services/data/v62.0/query', '/services/data/v62.0/sobjects/Opportunity/deleted/']);

    const scenario = scenarioFromFixtures();
    const o3 = scenario.objects.Opportunity.find((o) => o.Id === opp(3))!;
    Object.assign(o3, { IsClosed: true, IsWon: true, StageName: 'Closed Won', CloseDate: '2026-03-09', SystemModstamp: '2026-03-09T15:00:00.000+0000' });
    sf.setScenario(scenario);
    const third = await syncAll(ctx, second.batches[0].nextCursor);
    expect(records(third.batches)).toEqual([
      { kind: 'sales.deal', id: opp(3), person: A, occurredAt: '2026-03-09T00:00:00.000Z', payload: { stage: 'won', amount: 40000, closedAt: '2026-03-09T00:00:00.000Z', engagedAt: '2026-02-20T09:30:00.000Z', account: '001Dn00000Acme1IAA' } },
    ]);
    expect(third.batches[0].employees?.map((e) => e.id)).toEqual([A]);
  });

  it('reports opportunities deleted since the last window, once', async () => {
    const now = Date.now();
    const sf = await org({
      deleted: { Opportunity: [
        { id: opp(2), deletedDate: sfDate(now - 3600_000) },
        { id: '006Dn00000Gone1IAA', deletedDate: sfDate(now - 20 * 24 * 3600_000) }, // older than Salesforce keeps
      ] },
    });
    const ctx = context(sf);
    const first = await syncAll(ctx);
    expect(first.batches.flatMap((b) => b.deleted ?? [])).toEqual([{ kind: 'sales.deal', id: opp(2) }]);
    const call = sf.requests.find((r) => r.path.includes('/deleted/'))!;
    expect(call.path).toMatch(/^\/services\/data\/v62\.0\/sobjects\/Opportunity\/deleted\/\?start=\d{4}-\d\d-\d\dT\d\d:\d\d:00\+00:00&end=\d{4}-\d\d-\d\dT\d\d:\d\d:00\+00:00$/);
    const second = await syncAll(ctx, first.batches.at(-1)!.nextCursor);
    expect(second.batches.flatMap((b) => b.deleted ?? [])).toEqual([]);
  });

  it('waits out a 429 for the Retry-After Salesforce gives, really, then goes on', async () => {
    const sf = await org({ inject: [
      { path: '/query?q=SELECT Id, OwnerId', status: 429, headers: { 'retry-after': '1' } },
      // Salesforce's "server busy" answer, when it says when to come back.
      { path: 'FROM User', status: 503, headers: { 'retry-after': '0' }, body: [{ message: 'Server is temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }] },
    ] });
    const waits: RateLimitWait[] = [];
    const { batches } = await syncAll(context(sf, {}, undefined, (w) => waits.push(w)));
    expect(ids(records(batches).filter((r) => r.kind === 'sales.deal'))).toEqual([opp(1), opp(2), opp(4), opp(5), opp(6), opp(8)]);
    expect(waits).toEqual([expect.objectContaining({ status: 429, waitMs: 1000, told: true }), expect.objectContaining({ status: 503, waitMs: 0, told: true })]);
    const [limited, retried] = sf.requests.filter((r) => r.soql?.includes('FROM Opportunity'));
    expect(limited.status).toBe(429);
    expect(retried.status).toBe(200);
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(990);
  });

  it('stops with APPRAISE_SOURCE_RATE_LIMITED on REQUEST_LIMIT_EXCEEDED (the daily allowance), without retrying', async () => {
    const sf = await org({ inject: [{ path: '/query', status: 403, body: JSON.parse(readFileSync(new URL('../fixtures/salesforce/error-request-limit.json', import.meta.url), 'utf8')), times: 5 }] });
    const e = (await syncSalesforce(context(sf), null).catch((x: Error) => x)) as Error;
    expect(e.message).toMatch(/^APPRAISE_SOURCE_RATE_LIMITED: Salesforce answered 403 REQUEST_LIMIT_EXCEEDED to GET \/services\/data\/v62\.0\/query: the org has used up its API requests/);
    expect(e.message).toContain('TotalRequests Limit exceeded.');
    expect(e.message).toContain('resumes there');
    expect(sf.requests).toHaveLength(1);
  });

  it('says the token was refused, with APPRAISE_SOURCE_AUTH_FAILED and never the token', async () => {
    const sf = await org();
    const token = '00DTEST000000aZ!ARexpiredTokenThatMustNotLeak42';
    const e = (await syncSalesforce(context(sf, {}, { accessToken: token }), null).catch((x: Error) => x)) as Error;
    expect(e.message).toMatch(/^APPRAISE_SOURCE_AUTH_FAILED: Salesforce answered 401 \(INVALID_SESSION_ID: Session expired or invalid\) to GET \/services\/data\/v62\.0\/query\./);
    expect(e.message).not.toContain(token);
    expect(e.message).not.toContain('ARexpired');
    expect(sf.requests.map((r) => r.authorized)).toEqual([false]);
  });

  it('goes on without quotas when the org has no ForecastingQuota, says so once, and asks again only the next day', async () => {
    const scenario = scenarioFromFixtures();
    delete (scenario.objects as Record<string, unknown>).ForecastingQuota;
    const sf = await org({ objects: scenario.objects });
    const ctx = context(sf);
    const first = await syncAll(ctx);
    expect(records(first.batches).map((r) => r.kind)).toEqual(Array(6).fill('sales.deal'));
    const notes = first.batches.flatMap((b) => b.notes ?? []).filter((n) => n.startsWith('quotas not imported'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('Collaborative Forecasts is off');
    const asked = () => sf.requests.filter((r) => r.soql?.includes('FROM ForecastingQuota')).length;
    expect(asked()).toBe(1);
    const second = await syncAll(ctx, first.batches.at(-1)!.nextCursor);
    expect(asked()).toBe(1);
    expect(second.batches.flatMap((b) => b.notes ?? []).filter((n) => n.startsWith('quotas not imported'))).toEqual([]);

    const off = await org();
    await syncAll(context(off, { quotas: 'off' }));
    expect(off.requests.some((r) => r.soql?.includes('ForecastingQuota'))).toBe(false);
  });

  it('fetches its own token with the client-credentials flow, once, and again when the session has timed out', async () => {
    const secret = 'client-secret-0123456789abcdef';
    const sf = await org({ accessToken: undefined, client: { id: '3MVG9TESTconsumerKey', secret } });
    const ctx = context(sf, {}, { clientId: '3MVG9TESTconsumerKey', clientSecret: secret });
    const first = await syncAll(ctx);
    expect(records(first.batches)).toHaveLength(9);
    const tokenCalls = () => sf.requests.filter((r) => r.path === '/services/oauth2/token').length;
    expect(tokenCalls()).toBe(1);
    sf.revokeTokens();
    const before = tokenCalls();
    const second = await syncAll(ctx, first.batches.at(-1)!.nextCursor);
    expect(second.batches.at(-1)?.done).toBe(true);
    expect(tokenCalls()).toBe(before + 1);
    expect(sf.requests.filter((r) => !r.authorized && r.path !== '/services/oauth2/token')).toHaveLength(1);

    const wrong = createSourceContext({ settings: { instanceUrl: sf.url }, credentials: { clientId: 'someone-else', clientSecret: 'not-the-secret-987' }, log: quiet });
    const e = (await syncSalesforce(wrong, null).catch((x: Error) => x)) as Error;
    expect(e.message).toMatch(/^APPRAISE_SOURCE_AUTH_FAILED: Salesforce refused the client credentials at POST \/services\/oauth2\/token: invalid_client \(invalid client credentials\)/);
    expect(e.message).not.toContain('not-the-secret-987');
  });

  it('registers its source as `opportunities` on activation, and the server helper can hold a request until released', async () => {
    const registered = new Map<string, SourceImplementation>();
    const subscriptions: Array<{ dispose(): void }> = [];
    activate({ sources: { register: (id: string, impl: SourceImplementation) => (registered.set(id, impl), { dispose: () => registered.delete(id) }) }, subscriptions } as unknown as PluginContext);
    expect([...registered.keys()]).toEqual(['opportunities']);
    expect(subscriptions).toHaveLength(1);

    const sf = await org();
    const held = sf.holdNext();
    let settled = false;
    const pending = registered.get('opportunities')!.sync(context(sf), null).finally(() => (settled = true));
    await held.arrived;
    expect(settled).toBe(false);
    expect(sf.requests).toHaveLength(0); // recorded once answered, not while held
    held.release();
    const batch = await pending;
    expect(batch.records.map((r) => r.id)).toEqual([opp(1), opp(2), opp(4)]);
  });

  it('codes the other answers it cannot use: a field the user may not read, a refused permission, unreadable periods, a page promising more without saying where', async () => {
    const invalidField = [{ message: "\nSELECT Id, OwnerId, Amount FROM Opportunity\n                 ^\nERROR at Row:1:Column:18\nNo such column 'Amount' on entity 'Opportunity'.", errorCode: 'INVALID_FIELD' }];
    const sf = await org({ inject: [{ path: 'FROM Opportunity', status: 400, body: invalidField }] });
    await expect(syncSalesforce(context(sf), null)).rejects.toThrow(/^APPRAISE_SOURCE_BAD_RESPONSE: Salesforce answered 400 \(INVALID_FIELD: SELECT Id, OwnerId, Amount FROM Opportunity \^ ERROR at Row:1:Column:18 No such column 'Amount' on entity 'Opportunity'\.\) to GET \/services\/data\/v62\.0\/query\. Check apiVersion/);

    sf.setScenario(scenarioFromFixtures({ inject: [{ path: 'FROM Opportunity', status: 403, body: [{ message: 'insufficient access rights on object id', errorCode: 'INSUFFICIENT_ACCESS' }] }] }));
    await expect(syncSalesforce(context(sf), null)).rejects.toThrow(/^APPRAISE_SOURCE_AUTH_FAILED: Salesforce refused GET \/services\/data\/v62\.0\/query with 403 \(INSUFFICIENT_ACCESS: .*\)\. The integration user needs the API Enabled permission/);

    // A user who may read quotas but not fiscal periods still gets the quotas, without their period's end.
    const noPeriod = scenarioFromFixtures();
    delete (noPeriod.objects as Record<string, unknown>).Period;
    sf.setScenario(noPeriod);
    const { batches } = await syncAll(context(sf));
    const quotas = records(batches).filter((r) => r.kind === 'sales.quota');
    expect(quotas.map((q) => q.payload)).toEqual([{ amount: 100000 }, { amount: 80000 }, { amount: 60000 }]);
    expect(batches.at(-1)?.notes).toContain("quota periods not readable (INVALID_TYPE); quotas are stored without their period's end");

    sf.setScenario(scenarioFromFixtures({ inject: [{ path: 'FROM Opportunity', status: 200, body: { totalSize: 9, done: false, records: [] } }] }));
    await expect(syncSalesforce(context(sf), null)).rejects.toThrow(/^APPRAISE_SOURCE_BAD_RESPONSE: Salesforce answered a query with done: false but no usable nextRecordsUrl/);
  });
});
