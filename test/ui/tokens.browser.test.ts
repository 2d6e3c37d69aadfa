// Access tokens in a real browser (issue 16): an admin creates a manager token for a manager
// found by name with a last day picked in their own time zone, sees the secret once, copies it,
// and revokes the token after a confirmation; the secret signs in until then and never after.
// No console errors along the way; screenshots in test/artifacts/.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, browserSuite, signIn } from './helpers.ts';

/** Far from UTC, so a date read in UTC instead of the viewer's zone would show. */
const ZONE = 'Pacific/Auckland';
const NAME = 'Support North wallboard';

const s = browserSuite({
  setup: async ({ ui, browser, page }) => {
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ui.url });
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Emulation.setTimezoneOverride', { timezoneId: ZONE });
  },
});

const shot = (p: Page, name: string) => p.screenshot({ path: new URL(`ui-${name}.png`, ARTIFACTS).pathname, fullPage: true });
const me = (secret: string) => fetch(`${s.ui.url}/api/me`, { headers: { authorization: `Bearer ${secret}` } });

/** `YYYY-MM-DD HH:mm` of an instant in ZONE. */
function inZone(iso: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

describe('access tokens in Chromium', { timeout: 60_000 }, () => {
  let secret = '';
  let lastDay = '';

  it('an admin finds "Access tokens" in the navigation; the list shows the tokens there are, their own marked', async () => {
    await signIn(s.page, s.ui, 'admin');
    await s.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Access tokens' }).click();
    await s.page.getByRole('heading', { name: 'Access tokens', level: 1 }).waitFor();
    const own = s.page.locator('tr', { hasText: 'ui-admin' });
    await expect(own.textContent()).resolves.toMatch(/you are signed in with it/);
    await expect(s.page.getByText(`Times are in your time zone (${ZONE}).`).isVisible()).resolves.toBe(true);
  });

  it('a manager token without a manager is refused in the form, naming what is missing', async () => {
    await s.page.locator('token-form #name').fill(NAME);
    await s.page.locator('token-form #role').selectOption('manager');
    await s.page.getByRole('button', { name: 'Create token' }).click();
    await s.page.getByText('Choose the manager whose team the token sees.').waitFor();
  });

  it('creates a manager token for a manager found by name, with a last day in the viewer\'s zone, and shows the secret once with a copy button', async () => {
    await s.page.locator('token-form #employee-search').fill('Nadia');
    const manager = s.page.locator('token-form #employee');
    await expect.poll(() => manager.locator('option').allTextContents(), { timeout: 10_000 }).toEqual(['Nadia Okafor (mgr-north) · Support North']);
    await manager.selectOption('mgr-north');
    lastDay = await s.page.evaluate(() => {
      const d = new Date(Date.now() + 30 * 86_400_000);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    await s.page.locator('token-form #expires').fill(lastDay);
    await s.page.getByRole('button', { name: 'Create token' }).click();

    await s.page.getByRole('heading', { name: `Token “${NAME}” created` }).waitFor();
    await expect(s.page.getByText('Copy this token now. It will not be shown again').isVisible()).resolves.toBe(true);
    secret = await s.page.locator('#secret').inputValue();
    expect(secret).toMatch(/^apr_[A-Za-z0-9_-]{43}$/);
    await s.page.getByRole('button', { name: 'Copy', exact: true }).click();
    await s.page.getByText('Copied to the clipboard.').waitFor();
    await expect(s.page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(secret);
    await shot(s.page, 'tokens-secret');

    // The secret signs in as the manager it was made for.
    const r = await me(secret);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ name: NAME, role: 'manager', employeeId: 'mgr-north' });

    // It works through the chosen day in the viewer's zone: it expires at the midnight after it, their time.
    const row = s.page.locator('tr', { hasText: NAME });
    await expect(row.textContent()).resolves.toMatch(/The team of Nadia Okafor \(mgr-north\)/);
    await expect(row.getByText('Active').isVisible()).resolves.toBe(true);
    const stored = (await s.ui.app.store.query<{ expires_at: Date }>('SELECT expires_at FROM api_tokens WHERE name = $1', [NAME])).rows[0];
    const expiresAt = new Date(stored.expires_at).toISOString();
    const nextDay = new Date(Date.parse(`${lastDay}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(inZone(expiresAt)).toBe(`${nextDay} 00:00`);
    const shown = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${lastDay}T12:00:00Z`));
    await expect(row.textContent()).resolves.toContain(`At the end of ${shown}`);
  });

  it('once dismissed, the secret is nowhere on the page, nor after a reload', async () => {
    await s.page.getByRole('button', { name: 'I have copied it' }).click();
    await expect(s.page.locator('#secret').count()).resolves.toBe(0);
    const onPage = () => s.page.evaluate((s) => {
      const texts: string[] = [];
      const walk = (root: Document | ShadowRoot) => {
        for (const el of root.querySelectorAll('*')) {
          if (el instanceof HTMLInputElement) texts.push(el.value);
          if (el.shadowRoot) { texts.push(el.shadowRoot.textContent ?? ''); walk(el.shadowRoot); }
        }
      };
      walk(document);
      return texts.join('\n').includes(s) || document.body.textContent!.includes(s);
    }, secret);
    await expect(onPage()).resolves.toBe(false);
    await s.page.reload();
    await s.page.getByRole('heading', { name: 'Access tokens', level: 1 }).waitFor();
    await s.page.locator('tr', { hasText: NAME }).waitFor();
    await expect(onPage()).resolves.toBe(false);
  });

  it('revokes the token after a confirmation; "Keep it" keeps it; then its secret gets a 401', async () => {
    const row = s.page.locator('tr', { hasText: NAME });
    await row.getByRole('button', { name: `Revoke ${NAME}` }).click();
    const dialog = s.page.getByRole('dialog', { name: `Revoke “${NAME}”?` });
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toMatch(/signed out at once and cannot sign in with it again/);
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await me(secret)).status).toBe(200);

    await row.getByRole('button', { name: `Revoke ${NAME}` }).click();
    await dialog.waitFor();
    await shot(s.page, 'tokens-confirm-revoke');
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText('Revoked').waitFor();
    await expect(row.getByRole('button', { name: `Revoke ${NAME}` }).count()).resolves.toBe(0);
    await expect(row.textContent()).resolves.toMatch(/by ui-admin/);
    await shot(s.page, 'tokens-revoked');

    const refused = await me(secret);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe('APPRAISE_API_UNAUTHORIZED');
  });

  it('logged no console errors', () => {
    expect(s.errors).toEqual([]);
  });
});
