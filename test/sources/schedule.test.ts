// Scheduled syncs in the worker: with two processes' workers on one PostgreSQL database, a
// source scheduled every minute is synced by exactly one of them per tick; the other skips it.
// A `manual` source is never synced by the schedule.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { join } from 'node:path';
import { Appraise } from '../../core/app/appraise.ts';
import { configFromText } from '../../core/config/config.ts';
import { freshSchemaName, POSTGRES_URL, postgresReachable, dropSchema } from '../store/backends.ts';
import { TEST_SOURCE_PLUGINS } from './harness.ts';
import { startVendor } from './vendor-server.ts';

const TOKEN = 'tok-SCHEDULE-SECRET-1357';

async function until(what: string, ok: () => Promise<boolean> | boolean, ms = 150_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('scheduled syncs', () => {
  it('two workers on one PostgreSQL database sync a tick exactly once', async (ctx) => {
    if (!(await postgresReachable())) ctx.skip();
    process.env.SCHEDULE_VENDOR_TOKEN = TOKEN;
    const vendor = await startVendor({ token: TOKEN, pages: [{ surveys: [{ id: 's1', agent: 'a1', at: '2026-11-01T10:00:00Z', score: 4 }], agents: [{ id: 'a1', name: 'Ada' }] }] });
    const { config } = configFromText(join(TEST_SOURCE_PLUGINS, 'appraise.config.yaml'), stringify({
      plugins: { dirs: [TEST_SOURCE_PLUGINS] },
      sources: {
        everyminute: { source: 'testvendor.surveys', schedule: '* * * * *', settings: { baseUrl: vendor.url }, credentials: { token: { env: 'SCHEDULE_VENDOR_TOKEN' } } },
        byhand: { source: 'testvendor.surveys', schedule: 'manual', settings: { baseUrl: vendor.url }, credentials: { token: { env: 'SCHEDULE_VENDOR_TOKEN' } } },
        off: { source: 'testvendor.surveys', enabled: false, settings: { baseUrl: vendor.url }, credentials: { token: { env: 'SCHEDULE_VENDOR_TOKEN' } } },
      },
    }));
    const schema = freshSchemaName();
    const logs: string[][] = [[], []];
    const apps = await Promise.all(logs.map((l) => Appraise.open({ config: config!, databaseUrl: POSTGRES_URL, schema, log: (m) => l.push(m) })));
    const stops = apps.map((a) => a.startWorker({ dispatch: false }));
    try {
      const first = (l: string[]) => l.find((m) => /^scheduled sync (\d+ of everyminute: ok|of everyminute at .* skipped)/.test(m));
      await until('both workers to have handled the first tick', () => Boolean(first(logs[0]) && first(logs[1])));
      const outcomes = logs.map((l) => first(l)!).sort();
      expect(outcomes[0]).toMatch(/^scheduled sync \d+ of everyminute: ok, 1 new record\(s\)$/);
      expect(outcomes[1]).toMatch(/^scheduled sync of everyminute at \S+ skipped/);
      const rows = (await apps[0].store.query<{ name: string; trigger: string; sync_key: string }>('SELECT name, trigger, sync_key FROM source_syncs ORDER BY id')).rows;
      expect(rows.slice(0, 1)).toEqual([{ name: 'everyminute', trigger: 'schedule', sync_key: expect.stringMatching(/^everyminute@\d{4}-.*:00\.000Z$/) }]);
      expect(rows.every((r) => r.name === 'everyminute')).toBe(true);
      expect(vendor.requests.filter((r) => r.status === 200)).toHaveLength(rows.length);
      for (const l of logs) expect(l.filter((m) => m.startsWith('source scheduler:'))).toEqual([]);
    } finally {
      await Promise.all(stops.map((s) => s()));
      await Promise.all(apps.map((a) => a.close()));
      await vendor.close();
      await dropSchema(schema);
    }
  }, 240_000);
});
