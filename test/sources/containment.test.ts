// A source's plugin code runs contained like other plugin code: in its own thread unless
// trusted, within the batch's time limit (the source's limits, not plugins.timeoutMs). A sync
// that throws, hangs, loops, crashes its thread, leaks its token or breaks the batch contract
// costs only that sync: it is recorded failed with a code, nothing of the batch is stored, and
// the next sync works. One sync per source at a time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromText, type AppConfig } from '../../core/config/config.ts';
import { pluginSetFromConfig, hostFromConfig } from '../../core/plugins/host-from-config.ts';
import type { PluginSet } from '../../core/plugins/discovery.ts';
import { migrate } from '../../core/store/migrate.ts';
import { openStore, type Store } from '../../core/store/store.ts';
import { syncSource } from '../../core/sources/run-sync.ts';
import { stringify } from 'yaml';
import { TEST_SOURCE_PLUGINS } from './harness.ts';
import { startVendor, type VendorServer } from './vendor-server.ts';

const TOKEN = 'tok-CONTAINED-0815-secret';
let vendor: VendorServer;
let dir: string;

beforeAll(async () => {
  process.env.CONTAIN_TOKEN = TOKEN;
  vendor = await startVendor({ token: TOKEN, pages: [{ surveys: [{ id: 's1', agent: 'a1', at: '2026-11-01T10:00:00Z', score: 4 }], agents: [{ id: 'a1', name: 'Ada' }] }] });
  dir = mkdtempSync(join(tmpdir(), 'appraise-contain-'));
});
afterAll(async () => {
  await vendor.close();
  rmSync(dir, { recursive: true, force: true });
});

const MISBEHAVIOURS = ['throw', 'hang', 'loop', 'crash', 'leak', 'shape', 'foreign-kind'] as const;

function config(trusted: boolean): AppConfig {
  const sources: Record<string, unknown> = { good: { source: 'testvendor.surveys', settings: { baseUrl: vendor.url }, credentials: { token: { env: 'CONTAIN_TOKEN' } } } };
  for (const m of MISBEHAVIOURS) {
    sources[m] = { source: 'testvendor.surveys', settings: { baseUrl: vendor.url, misbehave: m }, credentials: { token: { env: 'CONTAIN_TOKEN' } }, limits: { timeoutMs: 500, maxRetries: 0 } };
  }
  const text = stringify({ plugins: { dirs: [TEST_SOURCE_PLUGINS], trusted: trusted ? ['testvendor'] : [], timeoutMs: 60_000 }, sources });
  const { config: c, diagnostics } = configFromText(join(dir, 'appraise.config.yaml'), text);
  expect(diagnostics).toEqual([]);
  return c!;
}

describe.each([false, true])('a misbehaving source (trusted: %s)', (trusted) => {
  let store: Store;
  let set: PluginSet;
  let cfg: AppConfig;
  beforeAll(async () => {
    store = await openStore({ dataDir: 'memory://', databaseUrl: '' });
    await migrate(store);
    cfg = config(trusted);
    set = await pluginSetFromConfig(cfg);
    expect(set.configDiagnostics ?? []).toEqual([]);
  });
  afterAll(() => store.close());

  const cases: Array<[typeof MISBEHAVIOURS[number], string, RegExp]> = [
    ['throw', 'APPRAISE_SOURCE_SYNC_FAILED', /failed in its plugin: the test vendor plugin was told to throw/],
    ['hang', 'APPRAISE_SOURCE_TIMEOUT', /ran past its time limit of 1 s/],
    ['leak', 'APPRAISE_SOURCE_AUTH_FAILED', /^the vendor refused token \[redacted\]$/],
    ['shape', 'APPRAISE_SOURCE_SYNC_FAILED', /returned a batch that has no `records` list/],
    // An isolated plugin's loop or exit stops its thread only; in-process they would stop Appraise.
    ...(trusted ? [] : [
      ['loop', 'APPRAISE_SOURCE_TIMEOUT', /ran past its time limit/],
      ['crash', 'APPRAISE_SOURCE_SYNC_FAILED', /because its plugin stopped/],
    ] satisfies Array<[typeof MISBEHAVIOURS[number], string, RegExp]>),
  ];
  it.each(cases)('%s: the sync fails with %s and the next sync works', async (name, code, message) => {
    const host = hostFromConfig(cfg, set);
    try {
      const deps = { store, host, config: cfg, plugins: set };
      const bad = await syncSource(deps, name, { trigger: 'manual' });
      expect(bad.status).toBe('failed');
      expect(bad.error?.code).toBe(code);
      expect(bad.error?.message).toMatch(message);
      expect(bad.error?.message).not.toContain(TOKEN);
      const [row] = (await store.query<{ status: string; error_code: string; error_message: string }>('SELECT status, error_code, error_message FROM source_syncs WHERE id = $1', [bad.syncId])).rows;
      expect(row).toMatchObject({ status: 'failed', error_code: code });
      expect(row.error_message).not.toContain(TOKEN);
      const good = await syncSource(deps, 'good', { trigger: 'manual', full: true });
      expect(good.error).toBeUndefined();
      expect(good.status).toBe('ok');
    } finally {
      await host.dispose();
    }
  }, 60_000);

  it('rejects a record of a kind the source does not produce, and stores nothing of it', async () => {
    const host = hostFromConfig(cfg, set);
    try {
      const r = await syncSource({ store, host, config: cfg, plugins: set }, 'foreign-kind', { trigger: 'manual' });
      expect(r.status).toBe('ok');
      expect(r.totals.rejected).toBe(1);
      expect(r.rejects[0]).toMatchObject({ kind: 'support.ticket', id: 's1', field: 'kind' });
      expect(r.rejects[0].problem).toContain('does not produce the record kind "support.ticket"');
      expect((await store.query(`SELECT 1 FROM records WHERE source = 'foreign-kind'`)).rows).toEqual([]);
    } finally {
      await host.dispose();
    }
  }, 60_000);
});

describe('one sync per source at a time', () => {
  it('refuses a second sync of a source while one runs, with a code', async () => {
    const store = await openStore({ dataDir: 'memory://', databaseUrl: '' });
    await migrate(store);
    const cfg = config(false);
    const set = await pluginSetFromConfig(cfg);
    const host = hostFromConfig(cfg, set);
    try {
      const held = vendor.hold(0);
      const seen = vendor.requests.length;
      const first = syncSource({ store, host, config: cfg, plugins: set }, 'good', { trigger: 'manual' });
      while (vendor.requests.length === seen) await new Promise((r) => setTimeout(r, 20));
      await expect(syncSource({ store, host, config: cfg, plugins: set }, 'good', { trigger: 'manual' })).rejects.toMatchObject({ code: 'APPRAISE_SOURCE_SYNC_IN_PROGRESS', message: expect.stringMatching(/^A sync of good is already running \(sync 1, started/) });
      held.release();
      expect((await first).status).toBe('ok');
    } finally {
      await host.dispose();
      await store.close();
    }
  }, 60_000);
});

describe('a source the plugin declares but does not register', () => {
  it('fails its sync with a code, and the plugin reports the unregistered source and a stray registration', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const folder = join(dir, 'plugins', 'forgetful');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'index.ts'), `export function activate(ctx) { ctx.sources.register('other', { sync: async () => ({ records: [], nextCursor: null, done: true }) }); }\n`);
    writeFileSync(join(folder, 'package.json'), JSON.stringify({
      name: 'forgetful', version: '1.0.0', main: './index.ts', engines: { appraise: '^1.0.0' },
      appraise: { displayName: 'Forgetful', extensionDependencies: { 'customer-feedback': '^1.0.0' }, contributes: { sources: [{ id: 'surveys', title: 'Surveys', produces: ['customer-feedback.survey'] }] } },
    }));
    const text = stringify({ plugins: { dirs: [join(dir, 'plugins')] }, sources: { forgot: { source: 'forgetful.surveys' } } });
    const { config: cfg } = configFromText(join(dir, 'forgetful.config.yaml'), text);
    const set = await pluginSetFromConfig(cfg!);
    expect(set.configDiagnostics ?? []).toEqual([]);
    const store = await openStore({ dataDir: 'memory://', databaseUrl: '' });
    await migrate(store);
    const host = hostFromConfig(cfg!, set);
    try {
      const r = await syncSource({ store, host, config: cfg!, plugins: set }, 'forgot', { trigger: 'manual' });
      expect(r.error?.code).toBe('APPRAISE_SOURCE_SYNC_FAILED');
      expect(r.error?.message).toContain('the source surveys was not registered by activate()');
      const problems = set.plugins.find((p) => p.id === 'forgetful')!.problems.map((p) => p.code);
      expect(problems).toEqual(expect.arrayContaining(['APPRAISE_PLUGIN_UNDECLARED_REGISTRATION', 'APPRAISE_PLUGIN_UNREGISTERED_CONTRIBUTION']));
    } finally {
      await host.dispose();
      await store.close();
    }
  }, 60_000);
});
