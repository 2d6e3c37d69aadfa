// The Cases screen as an action-first queue (issue 16), in Debian's headless Chromium against a
// real server: HR lands on "Needs my action" with the proposed PIPs that wait for them, sorts
// by a column (the URL says so, a reload keeps it), and switches to all cases; a manager's queue
// holds their people's coaching to schedule, overdue first. No console error on the way; each
// test leaves a screenshot in test/artifacts/.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, browserSuite, signIn } from './helpers.ts';

const s = browserSuite();

const shot = (p: Page, name: string) => p.screenshot({ path: new URL(`queue-${name}.png`, ARTIFACTS).pathname, fullPage: true });

/** What the API lists for a role, to compare the screen with. */
async function listed(role: 'hr' | 'manager', query: string): Promise<{ cases: Array<{ id: number; type: string; status: string; nextStep: string | null; dueBy: string | null }>; total: number }> {
  const r = await s.ui.server.inject({ method: 'GET', url: `/api/cases?pageSize=25&${query}`, headers: { authorization: `Bearer ${s.ui.tokens[role]}` } });
  expect(r.statusCode, r.body).toBe(200);
  return JSON.parse(r.body);
}

const rowIds = async (p: Page) => (await p.locator('tr[data-case]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-case')))));
const search = (p: Page) => new URL(p.url()).searchParams;

describe('the case queue in Chromium', { timeout: 60_000 }, () => {
  it('HR lands on "Needs my action": the proposed PIPs that wait for their approval, first', async () => {
    await signIn(s.page, s.ui, 'hr');
    await s.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
    const views = s.page.getByRole('navigation', { name: 'Case views' });
    await expect(views.getByRole('link', { name: 'Needs my action' }).getAttribute('aria-current')).resolves.toBe('page');
    await s.page.locator('tr[data-case]').first().waitFor();
    expect(s.page.url()).toBe(`${s.ui.url}/cases`);
    const queue = await listed('hr', 'view=mine');
    expect(queue.total).toBeGreaterThan(0);
    expect(queue.cases.every((c) => c.type === 'pip' && c.status === 'proposed' && c.nextStep === 'approve')).toBe(true);
    await expect(rowIds(s.page)).resolves.toEqual(queue.cases.map((c) => c.id));
    const first = s.page.locator('tr[data-case]').first();
    await expect(first.locator('td').allInnerTexts()).resolves.toEqual(expect.arrayContaining(['PIP', 'proposed', 'Approve or reject']));
    await expect(s.page.locator('tr[data-case]:not([data-step="approve"])').count()).resolves.toBe(0);
    await expect(s.page.getByText(`1–${queue.cases.length} of ${queue.total}`).isVisible()).resolves.toBe(true);
    await shot(s.page, 'hr-needs-my-action');
  });

  it('a column header sorts: the URL says so, the header says which way, and a reload keeps it', async () => {
    const employee = s.page.getByRole('columnheader', { name: /Employee/ });
    await employee.getByRole('button').click();
    await expect.poll(() => search(s.page).get('sort')).toBe('employee');
    await expect.poll(() => employee.getAttribute('aria-sort')).toBe('ascending');
    const ascending = await listed('hr', 'view=mine&sort=employee');
    await expect.poll(() => rowIds(s.page)).toEqual(ascending.cases.map((c) => c.id));
    await employee.getByRole('button').click();
    await expect.poll(() => search(s.page).get('sort')).toBe('-employee');
    const descending = await listed('hr', 'view=mine&sort=-employee');
    await expect.poll(() => rowIds(s.page)).toEqual(descending.cases.map((c) => c.id));
    expect(descending.cases.map((c) => c.id)).not.toEqual(ascending.cases.map((c) => c.id));

    await s.page.reload();
    await s.page.locator('tr[data-case]').first().waitFor();
    expect(search(s.page).get('sort')).toBe('-employee');
    await expect(s.page.getByRole('columnheader', { name: /Employee/ }).getAttribute('aria-sort')).resolves.toBe('descending');
    await expect(s.page.getByRole('navigation', { name: 'Case views' }).getByRole('link', { name: 'Needs my action' }).getAttribute('aria-current')).resolves.toBe('page');
    await expect(rowIds(s.page)).resolves.toEqual(descending.cases.map((c) => c.id));
    await shot(s.page, 'hr-sorted-by-employee');
  });

  it('"All cases" lists every case, newest first, and says what each waits for from HR', async () => {
    await s.page.getByRole('navigation', { name: 'Case views' }).getByRole('link', { name: 'All cases' }).click();
    await expect.poll(() => search(s.page).get('view')).toBe('all');
    expect(search(s.page).get('sort')).toBeNull(); // each view opens in its own order
    const all = await listed('hr', 'view=all');
    expect(all.total).toBeGreaterThan((await listed('hr', 'view=mine')).total);
    await expect.poll(() => rowIds(s.page)).toEqual(all.cases.map((c) => c.id));
    await expect(s.page.getByText(`1–25 of ${all.total}`).isVisible()).resolves.toBe(true);
    await expect(s.page.getByRole('navigation', { name: 'Case views' }).getByRole('link', { name: 'All cases' }).getAttribute('aria-current')).resolves.toBe('page');
    // A recognition waits for its manager, not for HR.
    const recognition = s.page.locator('tr[data-case]', { has: s.page.locator('.badge.recognition') }).first();
    await expect(recognition.locator('td.step').innerText()).resolves.toBe('—');
    await shot(s.page, 'hr-all-cases');
  });

  it("a manager's queue: their people's coaching to schedule, the overdue first", async () => {
    const manager = await s.newPage();
    await signIn(manager, s.ui, 'manager');
    await manager.goto(`${s.ui.url}/cases`);
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
    expect(s.errors).toEqual([]);
  });
});
