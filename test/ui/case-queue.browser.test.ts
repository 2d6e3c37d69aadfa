// The Cases screen as an action-first queue (issue 16), in Debian's headless Chromium against a
// real server: HR lands on "Needs my action" with the proposed PIPs that wait for them, sorts
// by a column (the URL says so, a reload keeps it), and switches to all cases; a manager's queue
// holds their people's coaching to schedule, overdue first. No console error on the way; each
// test leaves a screenshot in test/artifacts/.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildUi } from '../../core/server/build-ui.ts';
import { launchBrowser, signIn, uiServer, type UiServer, watchErrors } from './helpers.ts';

const ARTIFACTS = new URL('../artifacts/', import.meta.url);
let ui: UiServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
const problems: string[] = [];

const shot = (p: Page, name: string) => p.screenshot({ path: new URL(`queue-${name}.png`, ARTIFACTS).pathname, fullPage: true });

/** What the API lists for a role, to compare the screen with. */
async function listed(role: 'hr' | 'manager', query: string): Promise<{ cases: Array<{ id: number; type: string; status: string; nextStep: string | null; dueBy: string | null }>; total: number }> {
  const r = await ui.server.inject({ method: 'GET', url: `/api/cases?pageSize=25&${query}`, headers: { authorization: `Bearer ${ui.tokens[role]}` } });
  expect(r.statusCode, r.body).toBe(200);
  return JSON.parse(r.body);
}

const rowIds = async (p: Page) => (await p.locator('tr[data-case]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-case')))));
const search = (p: Page) => new URL(p.url()).searchParams;

function watch(p: Page) {
  watchErrors(p, problems);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const [server] = await Promise.all([uiServer(), buildUi()]);
  ui = server;
  browser = await launchBrowser();
  page = await browser.context.newPage();
  watch(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await ui?.close();
});

describe('the case queue in Chromium', { timeout: 60_000 }, () => {
  it('HR lands on "Needs my action": the proposed PIPs that wait for their approval, first', async () => {
    await signIn(page, ui, 'hr');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
    const views = page.getByRole('navigation', { name: 'Case views' });
    await expect(views.getByRole('link', { name: 'Needs my action' }).getAttribute('aria-current')).resolves.toBe('page');
    await page.locator('tr[data-case]').first().waitFor();
    expect(page.url()).toBe(`${ui.url}/cases`);
    const queue = await listed('hr', 'view=mine');
    expect(queue.total).toBeGreaterThan(0);
    expect(queue.cases.every((c) => c.type === 'pip' && c.status === 'proposed' && c.nextStep === 'approve')).toBe(true);
    await expect(rowIds(page)).resolves.toEqual(queue.cases.map((c) => c.id));
    const first = page.locator('tr[data-case]').first();
    await expect(first.locator('td').allInnerTexts()).resolves.toEqual(expect.arrayContaining(['PIP', 'proposed', 'Approve or reject']));
    await expect(page.locator('tr[data-case]:not([data-step="approve"])').count()).resolves.toBe(0);
    await expect(page.getByText(`1–${queue.cases.length} of ${queue.total}`).isVisible()).resolves.toBe(true);
    await shot(page, 'hr-needs-my-action');
  });

  it('a column header sorts: the URL says so, the header says which way, and a reload keeps it', async () => {
    const employee = page.getByRole('columnheader', { name: /Employee/ });
    await employee.getByRole('button').click();
    await expect.poll(() => search(page).get('sort')).toBe('employee');
    await expect.poll(() => employee.getAttribute('aria-sort')).toBe('ascending');
    const ascending = await listed('hr', 'view=mine&sort=employee');
    await expect.poll(() => rowIds(page)).toEqual(ascending.cases.map((c) => c.id));
    await employee.getByRole('button').click();
    await expect.poll(() => search(page).get('sort')).toBe('-employee');
    const descending = await listed('hr', 'view=mine&sort=-employee');
    await expect.poll(() => rowIds(page)).toEqual(descending.cases.map((c) => c.id));
    expect(descending.cases.map((c) => c.id)).not.toEqual(ascending.cases.map((c) => c.id));

    await page.reload();
    await page.locator('tr[data-case]').first().waitFor();
    expect(search(page).get('sort')).toBe('-employee');
    await expect(page.getByRole('columnheader', { name: /Employee/ }).getAttribute('aria-sort')).resolves.toBe('descending');
    await expect(page.getByRole('navigation', { name: 'Case views' }).getByRole('link', { name: 'Needs my action' }).getAttribute('aria-current')).resolves.toBe('page');
    await expect(rowIds(page)).resolves.toEqual(descending.cases.map((c) => c.id));
    await shot(page, 'hr-sorted-by-employee');
  });

  it('"All cases" lists every case, newest first, and says what each waits for from HR', async () => {
    await page.getByRole('navigation', { name: 'Case views' }).getByRole('link', { name: 'All cases' }).click();
    await expect.poll(() => search(page).get('view')).toBe('all');
    expect(search(page).get('sort')).toBeNull(); // each view opens in its own order
    const all = await listed('hr', 'view=all');
    expect(all.total).toBeGreaterThan((await listed('hr', 'view=mine')).total);
    await expect.poll(() => rowIds(page)).toEqual(all.cases.map((c) => c.id));
    await expect(page.getByText(`1–25 of ${all.total}`).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('navigation', { name: 'Case views' }).getByRole('link', { name: 'All cases' }).getAttribute('aria-current')).resolves.toBe('page');
    // A recognition waits for its manager, not for HR.
    const recognition = page.locator('tr[data-case]', { has: page.locator('.badge.recognition') }).first();
    await expect(recognition.locator('td.step').innerText()).resolves.toBe('—');
    await shot(page, 'hr-all-cases');
  });

  it("a manager's queue: their people's coaching to schedule, the overdue first", async () => {
    const manager = await browser.context.newPage();
    watch(manager);
    await signIn(manager, ui, 'manager');
    await manager.goto(`${ui.url}/cases`);
    await manager.locator('tr[data-case]').first().waitFor();
    const queue = await listed('manager', 'view=mine');
    await expect(rowIds(manager)).resolves.toEqual(queue.cases.map((c) => c.id));
    const coaching = manager.locator('tr[data-step="schedule"]');
    expect(await coaching.count()).toBeGreaterThan(0);
    await expect(coaching.first().locator('td').allInnerTexts()).resolves.toEqual(expect.arrayContaining(['Coaching', 'open', 'Schedule the session']));
    // Coaching opened by the runs of earlier months is overdue now: it comes first and says so.
    const firstDue = queue.cases[0].dueBy;
    expect(firstDue && new Date(firstDue).getTime()).toBeLessThan(Date.now());
    await expect(manager.locator('tr[data-case]').first().locator('.badge.fail').innerText()).resolves.toBe('overdue');
    const dues = queue.cases.map((c) => c.dueBy).filter((d): d is string => d !== null);
    expect(dues).toEqual([...dues].sort());
    await shot(manager, 'manager-needs-my-action');
    await manager.close();
  });

  it('no console error on these screens', () => {
    expect(problems).toEqual([]);
  });
});
