// Every case the demo store holds can be read by the person it concerns. The demo organisation
// (what `npm start` loads: 600 employees, their historical coaching recorded with a note and no
// rule explanation, and the cases the first run opens) is served to real headless Chromium, and
// every demo employee who has a case signs in and opens My cases: each case is drawn, none of
// the page is left on a spinner, and the browser logs no error. HR then opens a historical case
// and reads its note instead of a blank explanation.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { Appraise } from '../../core/app/appraise.ts';
import { defaultConfig } from '../../core/config/config.ts';
import { firstStart } from '../../core/app/first-start.ts';
import { createToken } from '../../core/auth/tokens.ts';
import { buildServer } from '../../core/server/app.ts';
import { buildUi, UI_DIST_DIR } from '../../core/server/build-ui.ts';
import { launchBrowser, watchErrors } from './helpers.ts';

const ARTIFACTS = new URL('../artifacts/', import.meta.url);
const TOKEN_KEY = 'appraise.token'; // ui/api/client.ts: the tab's session

let app: Appraise;
let server: FastifyInstance;
let url: string;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let dataDir: string;
const errors: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'appraise-demo-ui-'));
  app = await Appraise.open({ config: defaultConfig(), dataDir, databaseUrl: '' });
  await Promise.all([firstStart(app, () => {}), buildUi()]);
  server = await buildServer(app, { uiDir: UI_DIST_DIR });
  url = await server.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  watchErrors(page, errors);
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Opens a screen signed in with a token, without the sign-in form: the tab's session holds the
 * token. The previous screen has finished loading (the caller waited for it), so no request of
 * it is left to go out with the next person's token.
 */
async function openAs(token: string, path: string): Promise<void> {
  if (!page.url().startsWith(url)) await page.goto(url);
  await page.evaluate(([key, value]) => sessionStorage.setItem(key, value), [TOKEN_KEY, token]);
  await page.goto(`${url}${path}`);
}

describe('the demo organisation in Chromium', () => {
  it("every demo employee with a case reads My cases: every case drawn, no spinner left, no browser error", { timeout: 600_000 }, async () => {
    const people = (await app.store.query<{ employee_id: string; cases: number; notes: number }>(
      `SELECT employee_id, count(*)::int AS cases, count(*) FILTER (WHERE explanation ? 'note')::int AS notes FROM cases GROUP BY employee_id ORDER BY employee_id`,
    )).rows;
    // The demo holds both kinds of case: historical ones recorded with a note, and the run's.
    expect(people.some((p) => p.notes > 0)).toBe(true);
    expect(people.some((p) => p.cases > p.notes)).toBe(true);
    expect(people.length).toBeGreaterThan(50);
    for (const p of people) {
      const { token } = await createToken(app.store, { name: `self-${p.employee_id}`, role: 'employee', employeeId: p.employee_id, createdBy: 'test' });
      await openAs(token, '/my-cases');
      const cards = page.locator('my-cases-page article.card');
      await expect.poll(() => cards.count(), { message: `${p.employee_id}: My cases shows every case`, timeout: 15_000 }).toBe(p.cases);
      expect(await page.locator('my-cases-page .loading').count(), `${p.employee_id}: no spinner left`).toBe(0);
      expect(await page.locator('[role="alert"]').count(), `${p.employee_id}: no error shown`).toBe(0);
      expect(errors, `${p.employee_id}: no browser error`).toEqual([]);
      if (p === people[0]) await page.screenshot({ path: new URL('demo-my-cases.png', ARTIFACTS).pathname, fullPage: true });
    }
  });

  it('a historical case shows its note in place of the rule explanation, to HR as to its employee', async () => {
    const c = (await app.store.query<{ id: number; employee_id: string }>(`SELECT id, employee_id FROM cases WHERE explanation ? 'note' ORDER BY id LIMIT 1`)).rows[0];
    const { token } = await createToken(app.store, { name: 'hr-reader', role: 'hr', createdBy: 'test' });
    await openAs(token, `/cases/${c.id}`);
    await page.getByText('Recorded without the rule\'s reasons: Coaching recorded before this organisation used Appraise').waitFor();
    expect(errors).toEqual([]);
    await page.screenshot({ path: new URL('demo-historical-case.png', ARTIFACTS).pathname, fullPage: true });
  });

  it("fairness is on out of the box: HR's preview on the demo compares outcomes by the demo's protected attributes", { timeout: 120_000 }, async () => {
    const { token } = await createToken(app.store, { name: 'hr-preview', role: 'hr', createdBy: 'test' });
    await openAs(token, '/policies/support-agents/preview');
    await page.getByRole('button', { name: 'Preview impact' }).click();
    const captions = page.locator('fairness-report caption');
    await captions.first().waitFor({ timeout: 60_000 });
    const attributes = new Set((await captions.allTextContents()).map((c) => / by (\w+)/.exec(c)?.[1]));
    expect([...attributes].filter((a) => a && ['gender', 'ethnicity', 'ageBand'].includes(a)).length).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
    await page.screenshot({ path: new URL('demo-preview-fairness.png', ARTIFACTS).pathname, fullPage: true });
  });

  it('an error no screen handled is shown above the screen, coded, with a way to try again, never left as a spinner', async () => {
    const { token } = await createToken(app.store, { name: 'hr-failure', role: 'hr', createdBy: 'test' });
    await openAs(token, '/cases');
    await page.locator('case-list-page').waitFor();
    await page.evaluate(() => void Promise.reject(new Error('a screen could not draw its data')));
    const alert = page.locator('main > .notice.error, main [role="alert"]').filter({ hasText: 'APPRAISE_UI_PAGE_FAILED' });
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/a screen could not draw its data/);
    await expect(alert.getByRole('button', { name: 'Try again' }).isVisible()).resolves.toBe(true);
    errors.length = 0; // this test's own error
  });
});
