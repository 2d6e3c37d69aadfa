// The Sources screen in Chromium (issue 20): an admin finds "Sources" in the navigation, sees a
// source that has not synced yet, syncs it now and sees it up to date with what it stored and
// when (in the reader's time zone); a source whose last sync failed says so in plain words
// with what to do, and never shows the token; HR reads it all but has no "Sync now". axe-clean.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { defaultConfig } from '../../core/config/config.ts';
import { formatDateTime } from '../../ui/lib/format.ts';
import { TEST_SOURCE_PLUGINS } from '../sources/harness.ts';
import { startVendor, type VendorServer } from '../sources/vendor-server.ts';
import { axeViolations, formatViolations } from './axe.ts';
import { ARTIFACTS, browserSuite, signIn } from './helpers.ts';

const ZONE = 'Pacific/Auckland';
const TOKEN = 'tok-BROWSER-SECRET-2468-quux';
let vendor: VendorServer;

beforeAll(async () => {
  process.env.UI_VENDOR_TOKEN = TOKEN;
  vendor = await startVendor({ token: TOKEN, pages: [
    { surveys: [{ id: 's1', agent: 'a1', at: '2026-11-01T10:00:00Z', score: 4 }, { id: 's2', agent: 'a1', at: '2026-11-01T11:00:00Z', score: 5 }], agents: [{ id: 'a1', name: 'Ada Vendor' }] },
  ] });
  return () => vendor.close();
});

const s = browserSuite({
  server: () => ({
    config: {
      plugins: { ...defaultConfig().plugins, dirs: [TEST_SOURCE_PLUGINS] },
      sources: {
        helpdesk: { source: 'testvendor.surveys', schedule: '0 6 * * *', settings: { baseUrl: vendor.url }, credentials: { token: { env: 'UI_VENDOR_TOKEN' } } },
        crm: { source: 'testvendor.surveys', schedule: 'manual', settings: { baseUrl: vendor.url, misbehave: 'leak' }, credentials: { token: { env: 'UI_VENDOR_TOKEN' } } },
      },
    },
  }),
  setup: async ({ browser, page }) => {
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Emulation.setTimezoneOverride', { timezoneId: ZONE });
  },
});

const card = (p: Page, name: string) => p.locator(`section[data-source="${name}"]`);
const texts = async (p: Page, name: string) => (await card(p, name).locator('*').allTextContents()).join(' ');

async function audit(page: Page, name: string) {
  const violations = await axeViolations(page);
  await page.screenshot({ path: new URL(`ui-sources-${name}.png`, ARTIFACTS).pathname, fullPage: true });
  expect(violations, formatViolations(name, violations)).toEqual([]);
}

describe('the Sources screen in Chromium', { timeout: 90_000 }, () => {
  it('an admin finds Sources in the navigation; a new source says it has not synced yet', async () => {
    await signIn(s.page, s.ui, 'admin');
    await s.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sources' }).click();
    await s.page.getByRole('heading', { name: 'Sources', level: 1 }).waitFor();
    await card(s.page, 'helpdesk').waitFor();
    expect(await texts(s.page, 'helpdesk')).toContain('Not synced yet');
    expect(await texts(s.page, 'helpdesk')).toContain('token: from the environment variable UI_VENDOR_TOKEN — set');
    await audit(s.page, 'new');
  });

  it('"Sync now" syncs it: up to date, what it stored, and when in the reader\'s zone', async () => {
    await card(s.page, 'helpdesk').getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => texts(s.page, 'helpdesk'), { timeout: 30_000 }).toContain('Up to date');
    const text = await texts(s.page, 'helpdesk');
    expect(text).toContain('2 new records, 1 person added');
    const [sync] = (await s.ui.app.store.query<{ started_at: Date }>(`SELECT started_at FROM source_syncs WHERE name = 'helpdesk'`)).rows;
    expect(text).toContain(formatDateTime(new Date(sync.started_at).toISOString(), ZONE));
    await card(s.page, 'helpdesk').getByRole('button', { name: 'Show history' }).click();
    await card(s.page, 'helpdesk').locator('tr[data-sync]').first().waitFor();
    await audit(s.page, 'synced');
  });

  it('a failed sync says so in plain words with what to do, and never shows the token', async () => {
    await card(s.page, 'crm').getByRole('button', { name: 'Sync now' }).click();
    // The card is drawn as the sync's answers arrive (the 202, then the list as it polls): wait
    // for the failed sync's whole story, and a failure shows what the card said instead.
    await expect.poll(() => texts(s.page, 'crm'), { timeout: 30_000 }).toMatch(/Last sync failed[\s\S]*What to do:/);
    const text = await texts(s.page, 'crm');
    expect(text).toContain('Last sync failed');
    expect(text).toContain('What to do: Check the credentials the config names for this source');
    expect(text).toContain('the vendor refused token [redacted]');
    expect(await s.page.content()).not.toContain(TOKEN);
    expect((await s.page.locator('sources-page').locator('*').allTextContents()).join(' ')).not.toContain(TOKEN);
    await audit(s.page, 'failed');
  });

  it('HR reads the sources but has no "Sync now"', async () => {
    const page = await s.newPage();
    await signIn(page, s.ui, 'hr');
    await page.goto(`${s.ui.url}/sources`);
    await card(page, 'helpdesk').waitFor();
    expect(await texts(page, 'helpdesk')).toContain('Up to date');
    expect(await page.getByRole('button', { name: 'Sync now' }).count()).toBe(0);
    await page.close();
    expect(s.errors).toEqual([]);
  });
});
