// Goals in the browser, per role, against a real server: a manager adds a measured goal for
// someone of their line and sees its progress in words; the employee proposes one of their own,
// which the manager accepts; a viewer sees goals without the buttons or the free text; HR
// approves a PIP with a measured goal picked from the metrics, its check-in shows each goal's
// progress, and at its end the page shows the outcome Appraise proposes — none, for lack of data.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, formatViolations } from './axe.ts';
import { browserSuite, signIn } from './helpers.ts';

const s = browserSuite();

async function settled(page: Page, selector: string) {
  await page.locator(selector).first().waitFor({ timeout: 20_000 });
  await expect.poll(() => page.locator('.loading').count(), { timeout: 20_000 }).toBe(0);
}

async function accessible(page: Page, name: string) {
  const violations = await axeViolations(page);
  expect(violations, formatViolations(name, violations)).toEqual([]);
}

async function as(role: 'manager' | 'employee' | 'viewer' | 'hr', path: string): Promise<Page> {
  const page = await s.newPage();
  await signIn(page, s.ui, role);
  await page.goto(`${s.ui.url}${path}`);
  return page;
}

const goalCard = (page: Page, title: string) => page.locator('employee-goals li[data-goal]', { hasText: title });

describe('goals per role', { timeout: 120_000 }, () => {
  it('manager: adds a measured goal for someone of their line and reads its progress in words', async () => {
    const page = await as('manager', `/employees/${s.ui.ids.employee}`);
    await settled(page, 'employee-goals h2');
    await page.getByRole('button', { name: 'Add a goal' }).click();
    const form = page.locator('goal-form form');
    await form.getByLabel(/Title/).fill('CSAT at 4 or more this quarter');
    await form.getByLabel(/Description/).fill('Agreed in our one-to-one');
    await form.getByLabel(/Starts/).fill(new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10));
    await form.getByLabel(/^Due/).fill(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
    await form.getByLabel('Metric').selectOption({ label: 'Customer satisfaction (CSAT)' });
    await form.getByLabel(/Target/).fill('4');
    await form.getByLabel(/From at least/).fill('5');
    await accessible(page, 'manager: add a goal');
    await form.getByRole('button', { name: 'Add a goal' }).click();
    await page.getByText('Goal added.').waitFor();
    const card = goalCard(page, 'CSAT at 4 or more this quarter');
    await expect(card.locator('[data-status]').textContent()).resolves.toBe('Active');
    // Twenty surveys in the window: a value, not "not enough data"; the agent is below 4 (a PIP was proposed).
    await expect(card.locator('.progress').textContent()).resolves.toMatch(/^Not yet: Customer satisfaction \(CSAT\) is [\d.]+ from \d+ records so far .*; the target is at least 4\.$/);
    await expect(card.textContent()).resolves.toContain('Measured by: Customer satisfaction (CSAT) at least 4 (from at least 5 records)');
    await accessible(page, 'manager: goals');
    await page.close();
  });

  it('employee: proposes a goal of their own; it waits for the manager, who accepts it', async () => {
    const page = await as('employee', `/employees/${s.ui.ids.employee}`);
    await settled(page, 'employee-goals h2');
    // The manager's goal is there, without buttons to judge it.
    await expect(goalCard(page, 'CSAT at 4 or more this quarter').getByRole('button', { name: 'Close as met' }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Propose a goal' }).click();
    const form = page.locator('goal-form form');
    await expect(form.getByLabel('Metric').count()).resolves.toBe(0); // judged by hand
    await form.getByLabel(/Title/).fill('Finish the refunds course');
    await form.getByLabel(/^Due/).fill(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
    await form.getByRole('button', { name: 'Propose a goal' }).click();
    await page.getByText('Goal proposed: your manager accepts or declines it.').waitFor();
    const card = goalCard(page, 'Finish the refunds course');
    await expect(card.locator('[data-status]').textContent()).resolves.toBe('Proposed');
    await expect(card.locator('[data-progress]').textContent()).resolves.toBe('Judged by hand');
    await expect(card.getByRole('button', { name: 'Accept' }).count()).resolves.toBe(0);
    await expect(card.getByRole('button', { name: 'Withdraw' }).count()).resolves.toBe(1);
    await accessible(page, 'employee: goals');
    await page.close();

    const manager = await as('manager', `/employees/${s.ui.ids.employee}`);
    await settled(manager, 'employee-goals li[data-goal]');
    const proposed = goalCard(manager, 'Finish the refunds course');
    await proposed.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => proposed.locator('[data-status]').textContent()).toBe('Active');
    await proposed.getByRole('button', { name: 'Add a note' }).click();
    await proposed.getByLabel('Progress note').fill('Module 2 of 4 done');
    await proposed.getByRole('button', { name: 'Add a note' }).last().click();
    await manager.getByText(/Add a note: “Finish the refunds course” is now active/).waitFor();
    await manager.close();
  });

  it('viewer: sees goals and their progress, without buttons or the free text', async () => {
    const page = await as('viewer', `/employees/${s.ui.ids.employee}`);
    await settled(page, 'employee-goals li[data-goal]');
    await expect(page.getByRole('button', { name: /Add a goal|Propose a goal|Accept|Add a note/ }).count()).resolves.toBe(0);
    // The text inside its shadow root (the host's own textContent holds none of it).
    const seen = (await page.locator('employee-goals *').allTextContents()).join(' ');
    expect(seen).toContain('Finish the refunds course');
    expect(seen).not.toContain('Agreed in our one-to-one');
    await accessible(page, 'viewer: goals');
    await page.close();
  });

  it('hr: approves a PIP with a measured goal; a check-in shows each goal\'s progress; the end proposes no outcome without data', async () => {
    const pip = Number((await s.ui.app.store.query<{ id: number }>(`SELECT id FROM cases WHERE type = 'pip' AND status = 'proposed' AND employee_id = $1`, [s.ui.ids.employee])).rows[0].id);
    const page = await as('hr', `/cases/${pip}`);
    await settled(page, 'case-timeline li');
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    const form = page.locator('case-action-form');
    await form.getByRole('button', { name: 'Add a measured goal' }).click();
    await form.getByLabel(/Measured goal 1: title/).fill('CSAT back to 3.5');
    await form.getByLabel('Metric').selectOption({ label: 'Customer satisfaction (CSAT)' });
    await form.getByLabel(/Target/).fill('3.5');
    await form.getByLabel(/From at least/).fill('8');
    await form.getByRole('textbox', { name: /Goals, one per line/ }).fill('Shadow a senior agent twice');
    await form.getByLabel(/End date/).fill('2099-03-31');
    await form.getByRole('textbox', { name: /Support offered/ }).fill('Weekly coaching');
    await form.getByRole('textbox', { name: /Note/ }).fill('Agreed with the team lead');
    await accessible(page, 'hr: PIP plan with a measured goal');
    await form.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Approve: the case is now approved.').waitFor();
    const plan = page.getByRole('region', { name: 'Plan' });
    await expect.poll(() => plan.locator('[data-pip-goal]').count()).toBe(2);
    await expect(plan.locator('[data-pip-goal]').first().textContent()).resolves.toMatch(/CSAT back to 3\.5\s*Not enough data[\s\S]*Measured by: Customer satisfaction \(CSAT\) at least 3\.5 \(from at least 8 records\)[\s\S]*Not enough data yet: 0 of the 8 records needed/);

    // The employee acknowledges, the manager starts it and records a check-in.
    const call = (role: 'employee' | 'manager', path: string, body: unknown) => fetch(`${s.ui.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${s.ui.tokens[role]}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await call('employee', `/api/cases/${pip}/transitions`, { action: 'acknowledge' })).status).toBe(200);
    expect((await call('manager', `/api/cases/${pip}/transitions`, { action: 'start' })).status).toBe(200);
    const manager = await as('manager', `/cases/${pip}`);
    await settled(manager, 'case-timeline li');
    await manager.getByLabel('Check-in note').fill('Talked through the first surveys');
    await manager.getByRole('button', { name: 'Record check-in' }).click();
    await manager.getByText('Check-in recorded.').waitFor();
    await expect(manager.locator('case-timeline li[data-event="checkin"]').textContent()).resolves.toMatch(/CSAT back to 3\.5: Not enough data yet[\s\S]*Shadow a senior agent twice: Judged by hand/);
    await manager.close();

    // At the end date the worker proposes the outcome: none, for lack of data.
    expect(await s.ui.app.proposePipOutcomes(new Date('2099-04-01T00:00:00Z'))).toBe(1);
    await page.reload();
    await settled(page, 'case-timeline li');
    const outcome = page.getByRole('region', { name: /Proposed outcome/ });
    await expect(outcome.getByRole('heading').textContent()).resolves.toMatch(/No outcome proposed/);
    await expect(outcome.textContent()).resolves.toContain('Missing data is never counted as a failure');
    await expect(outcome.textContent()).resolves.toContain('HR judges the written goals: “Shadow a senior agent twice”');
    await accessible(page, 'hr: PIP with a proposed outcome');
    await page.close();
  });

  it('no console error and no uncaught exception on any of these pages', () => {
    expect(s.errors).toEqual([]);
  });
});
