// `npx appraise sources sync` while a server owns the embedded store: the command reaches the
// data through the running server's store, as every store command does, instead of being
// refused or opening the folder a second time.
import { afterAll, describe, expect, it } from 'vitest';
import { Appraise } from '../../core/app/appraise.ts';
import { loadConfig } from '../../core/config/config.ts';
import { sourceHarness, type SourceHarness } from './harness.ts';
import { startVendor, type VendorServer } from './vendor-server.ts';

const TOKEN = 'tok-SERVED-STORE-9753';
let vendor: VendorServer | undefined;
let h: SourceHarness | undefined;
let app: Appraise | undefined;
afterAll(async () => {
  await app?.close();
  await h?.dispose();
  await vendor?.close();
});

describe('a sync while a server owns the embedded store', () => {
  it('goes through the running server and its data is there at once', async () => {
    vendor = await startVendor({ token: TOKEN, pages: [{ surveys: [{ id: 's1', agent: 'a1', at: '2026-11-01T10:00:00Z', score: 4 }], agents: [{ id: 'a1', name: 'Ada' }] }] });
    h = await sourceHarness({ backend: 'pglite', sources: { vend: { source: 'testvendor.surveys', settings: { baseUrl: vendor.url }, credentials: { token: { env: 'SERVED_TOKEN' } } } }, env: { SERVED_TOKEN: TOKEN } });
    const { config } = await loadConfig(h.configFile);
    app = await Appraise.open({ config: config!, dataDir: h.dataDir, databaseUrl: '', share: true });
    const r = await h.syncCli('vend');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 new record(s)');
    const rows = (await app.store.query<{ external_id: string; employee_id: string }>('SELECT external_id, employee_id FROM records')).rows;
    expect(rows).toEqual([{ external_id: 'vend:s1', employee_id: 'vend:a1' }]);
    const list = await h.cli(['sources']);
    expect(list.stdout).toMatch(/last sync 1 .*: ok, 1 new record\(s\)/);
  }, 300_000);
});
