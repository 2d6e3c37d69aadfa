// `npx appraise sources sync` as a user runs it, against the test vendor (a real HTTP server):
// records and people stored, a sync with no changes adding nothing, a bad record set aside, a
// person not known yet parked and stored once they arrive, deletions reported and kept, a 429
// honoured as Retry-After says, a sync killed midway resumed to the same store as an
// uninterrupted one, and the vendor token nowhere: output, history, stored rows. On PGlite and
// on PostgreSQL.
import { afterEach, describe, expect, it } from 'vitest';
import { sourceHarness, type HarnessOptions, type SourceHarness } from './harness.ts';
import { startVendor, type VendorPage, type VendorServer } from './vendor-server.ts';

const TOKEN = 'tok-VENDOR-SECRET-4711-xyzzy';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function vendorWith(pages: VendorPage[]): Promise<VendorServer> {
  const v = await startVendor({ token: TOKEN, pages });
  cleanups.push(() => v.close());
  return v;
}

async function harness(backend: 'pglite' | 'postgres', vendor: VendorServer, more: Partial<HarnessOptions> = {}): Promise<SourceHarness> {
  const h = await sourceHarness({
    backend,
    sources: {
      vend: { source: 'testvendor.surveys', settings: { baseUrl: vendor.url }, credentials: { token: { env: 'VEND_TOKEN' } } },
      leaky: { source: 'testvendor.surveys', schedule: 'manual', settings: { baseUrl: vendor.url, misbehave: 'leak' }, credentials: { token: { env: 'VEND_TOKEN' } } },
    },
    env: { VEND_TOKEN: TOKEN },
    employees: [{ id: 'E1', name: 'Ada Lovelace', email: 'ada@example.com' }],
    ...more,
  });
  cleanups.push(() => h.dispose());
  return h;
}

const survey = (id: string, agent: string, score: unknown, day = 1) => ({ id, agent, at: `2026-11-0${day}T10:00:00Z`, score });

/** Every row of every table of the store, as text: where a credential must not be. */
async function everything(h: SourceHarness): Promise<string> {
  const tables = await h.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`);
  let out = '';
  for (const t of tables) out += JSON.stringify(await h.query(`SELECT * FROM "${t.table_name}"`));
  return out;
}

describe.each(['pglite', 'postgres'] as const)('sources sync on %s', (backend) => {
  it('stores records and people, sets aside a bad record, parks an unknown person until they arrive, and a sync with no changes adds nothing', async () => {
    const vendor = await vendorWith([
      {
        surveys: [survey('s1', 'a1', 5), survey('s2', 'a2', 9), survey('s3', 'a2', 4)],
        agents: [{ id: 'a1', name: 'Ada', email: 'ADA@Example.com' }, { id: 'a2', name: 'Bo Berg' }],
      },
      { surveys: [survey('s4', 'a9', 3, 2), survey('s5', 'a1', 2, 2)], deleted: ['s1'] },
    ]);
    const h = await harness(backend, vendor);

    const first = await h.syncCli('vend');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^batch 1: 3 record\(s\) read: 2 new record\(s\), 0 already stored, 1 employee\(s\) added, 1 matched, 1 set aside as invalid$/m);
    expect(first.stdout).toMatch(/^batch 2: 2 record\(s\) read: 1 new record\(s\), 0 already stored, 0 employee\(s\) added, 0 matched, 1 waiting for their person, 1 reported deleted \(kept\); done$/m);
    expect(first.stdout).toContain('set aside: customer-feedback.survey s2: payload.csat: `9` is above the highest allowed value 5 of `csat`');
    const afterFirst = await h.snapshot();
    // Ada matched by e-mail whatever its case; Bo added under the source's name.
    expect(afterFirst.employees.map((e) => [e.id, e.name, e.source])).toEqual([['E1', 'Ada Lovelace', null], ['vend:a2', 'Bo Berg', 'vend']]);
    expect(afterFirst.records.map((r) => [r.external_id, r.employee_id, r.source])).toEqual([['vend:s1', 'E1', 'vend'], ['vend:s3', 'vend:a2', 'vend'], ['vend:s5', 'E1', 'vend']]);
    const aside = await h.query<{ kind: string; vendor_id: string; field: string; record: { payload: unknown } }>('SELECT kind, vendor_id, field, record FROM source_rejects');
    expect(aside).toEqual([{ kind: 'customer-feedback.survey', vendor_id: 's2', field: 'payload.csat', record: expect.objectContaining({ payload: { csat: 9 } }) }]);

    const again = await h.syncCli('vend');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/finished after 1 batch\(es\) in [\d.]+ s: 0 new record\(s\), 0 already stored, 0 employee\(s\) added, 0 matched\.$/m);
    expect(await h.snapshot()).toEqual(afterFirst);

    // The unknown person arrives (with the HR id the vendor keeps): their parked survey is stored.
    vendor.pages.push({ surveys: [survey('s6', 'a9', 5, 3)], agents: [{ id: 'a9', name: 'Cy Chen', employeeId: 'E9' }] });
    const third = await h.syncCli('vend');
    expect(third.code).toBe(0);
    expect(third.stdout).toMatch(/: 2 new record\(s\), 0 already stored, 1 employee\(s\) added, 0 matched, 1 stored now that their person is known\.$/m);
    const afterThird = await h.snapshot();
    expect(afterThird.records.filter((r) => r.employee_id === 'E9').map((r) => r.external_id)).toEqual(['vend:s4', 'vend:s6']);

    // --full reads everything again and adds nothing.
    const full = await h.syncCli('vend', ['--full']);
    expect(full.code).toBe(0);
    expect(full.stdout).toMatch(/finished after 3 batch\(es\) in [\d.]+ s: 0 new record\(s\), 4 already stored/m);
    expect(await h.snapshot()).toEqual(afterThird);

    const history = await h.cli(['sources', 'history', 'vend']);
    expect(history.code).toBe(0);
    expect(history.stdout.trim().split('\n')).toHaveLength(4);
    const list = await h.cli(['sources']);
    expect(list.stdout).toMatch(/^vend {2}testvendor\.surveys {2}enabled {2}schedule \*\/5 \* \* \* \* {2}next \d{4}-\d\d-\d\d \d\d:\d\d UTC$/m);

    // A plugin that puts the token in its error: the message is kept, the token is not.
    const leak = await h.syncCli('leaky');
    expect(leak.code).toBe(1);
    expect(leak.stderr).toMatch(/^error APPRAISE_SOURCE_AUTH_FAILED the vendor refused token \[redacted\]$/m);
    const json = await h.cli(['sources', '--format', 'json']);
    expect(JSON.parse(json.stdout).sources.find((s: { name: string }) => s.name === 'vend').credentials).toEqual([{ name: 'token', reference: 'the environment variable VEND_TOKEN', set: true }]);
    for (const out of [first, again, third, full, history, list, leak, json]) expect(out.stdout + out.stderr).not.toContain(TOKEN);
    expect(await everything(h)).not.toContain(TOKEN);
  }, 600_000);

  it('waits out a 429 as Retry-After asks before asking again', async () => {
    const vendor = await vendorWith([{ surveys: [survey('s1', 'a1', 5)], agents: [{ id: 'a1', name: 'Ada', email: 'ada@example.com' }] }]);
    vendor.rateLimitOnce(0, 2);
    const h = await harness(backend, vendor);
    const r = await h.syncCli('vend');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 new record(s)');
    expect(r.stdout).toContain('1 rate-limit wait(s)');
    const [limited, retried] = vendor.requests;
    expect([limited.status, retried.status]).toEqual([429, 200]);
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(2000);
    const [row] = await h.query<{ rate_limit_waits: number; waited_ms: string | number }>('SELECT rate_limit_waits, waited_ms FROM source_syncs');
    expect(row.rate_limit_waits).toBe(1);
    expect(Number(row.waited_ms)).toBe(2000);
  }, 300_000);

  it('killed midway, resumes from the last committed batch to the store one uninterrupted sync makes', async () => {
    const pages: VendorPage[] = [
      { surveys: [survey('s1', 'a1', 5), survey('s2', 'a2', 4)], agents: [{ id: 'a1', name: 'Ada', email: 'ada@example.com' }, { id: 'a2', name: 'Bo' }] },
      { surveys: [survey('s3', 'a3', 3, 2), survey('s4', 'a1', 2, 2)], agents: [{ id: 'a3', name: 'Cy' }] },
      { surveys: [survey('s5', 'a2', 1, 3)] },
    ];
    const vendor = await vendorWith(structuredClone(pages));
    const h = await harness(backend, vendor);
    const held = vendor.hold(1);
    await h.killSyncWhen('vend', () => vendor.requested(1));
    // The first batch is committed, nothing of the second.
    expect((await h.snapshot()).records.map((r) => r.external_id)).toEqual(['vend:s1', 'vend:s2']);
    held.release();
    const rerun = await h.syncCli('vend');
    expect(rerun.code).toBe(0);
    // It asked for page 1 again, never page 0.
    expect(vendor.requests.map((r) => r.after)).toEqual([0, 1, 1, 2]);

    const fresh = await harness(backend, await vendorWith(structuredClone(pages)));
    expect((await fresh.syncCli('vend')).code).toBe(0);
    expect(await h.snapshot()).toEqual(await fresh.snapshot());
    const history = await h.query<{ status: string }>('SELECT status FROM source_syncs ORDER BY id');
    expect(history.map((x) => x.status)).toEqual(['interrupted', 'ok']);
  }, 600_000);
});
