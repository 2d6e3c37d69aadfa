// Notifications in a real browser: HR finds the templates with what each receives, previews the
// PIP plan for a real case (the HTML as the reader sees it), and sends a test email that a real
// SMTP server receives; an employee chooses the daily email in their own view. Both screens
// pass axe; no console errors. Screenshots in test/artifacts/.
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { getPreferences } from '../../core/notifications/preferences.ts';
import { axeViolations, formatViolations } from './axe.ts';
import { ARTIFACTS, browserSuite, signIn } from './helpers.ts';
import { SmtpReceiver } from '../notifications/smtp-receiver.ts';

const receiver = new SmtpReceiver();
let pipId = 0;
const s = browserSuite({
  seed: async (ui) => {
    await receiver.start();
    // The server's own config, pointed at the receiver (the notifier reads it when it sends).
    Object.assign(ui.app.config.notifications, { smtp: { host: '127.0.0.1', port: receiver.port, timeoutMs: 5000 }, from: 'Appraise <appraise@example.com>' });
    pipId = Number((await ui.app.store.query<{ id: number }>(`SELECT id FROM cases WHERE type = 'pip' AND employee_id = $1 ORDER BY id LIMIT 1`, [ui.ids.employee])).rows[0].id);
  },
});
afterAll(async () => {
  await receiver.stop();
});

async function audit(page: Page, name: string) {
  const violations = await axeViolations(page);
  await page.screenshot({ path: new URL(`a11y-${name}.png`, ARTIFACTS).pathname, fullPage: true });
  expect(violations, formatViolations(name, violations)).toEqual([]);
}

describe('notifications in Chromium', { timeout: 90_000 }, () => {
  it('HR opens Notifications, reads what the PIP plan template receives and previews it for a case', async () => {
    await signIn(s.page, s.ui, 'hr');
    await s.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notifications' }).click();
    await s.page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    await s.page.getByRole('button', { name: 'PIP plan to the employee' }).click();
    await s.page.getByRole('heading', { name: 'PIP plan to the employee', level: 2 }).waitFor();
    const variables = await s.page.locator('notifications-page table code').allTextContents();
    expect(variables).toContain('plan.goals');
    expect(variables).toContain('plan.dueDate');
    await s.page.getByLabel('Case number (optional)').fill(String(pipId));
    await s.page.getByLabel('Reader').selectOption('hr');
    await s.page.getByRole('button', { name: 'Show the preview' }).click();
    await s.page.locator('notifications-page .subject').waitFor();
    await expect(s.page.locator('notifications-page .subject').textContent()).resolves.toMatch(/^The performance improvement plan for .+$/);
    await expect(s.page.locator('notifications-page pre.text').textContent()).resolves.toContain('Hello HR,');
    await expect(s.page.getByTitle('The HTML email as the reader sees it').isVisible()).resolves.toBe(true);
    await audit(s.page, 'hr-notifications');
  });

  it('a test send reaches the SMTP server, and the page says what it answered', async () => {
    await s.page.getByLabel('Send the preview to').fill('hr-test@example.com');
    await s.page.getByRole('button', { name: 'Send a test email' }).click();
    await s.page.getByText('Sent to hr-test@example.com').waitFor();
    expect(receiver.accepted.map((m) => m.to)).toEqual([['hr-test@example.com']]);
    expect(receiver.accepted[0].subject).toMatch(/^\[Test\] The performance improvement plan for /);
  });

  it('an employee chooses one email a day in their own view; essential notices are named', async () => {
    const page = await s.newPage();
    await signIn(page, s.ui, 'employee');
    await page.getByRole('heading', { name: 'Email notices', level: 2 }).waitFor();
    const texts = await page.locator('notification-settings *').allTextContents();
    expect(texts.join(' ')).toContain('Always sent: PIP proposed to HR, PIP plan to the employee, Dispute resolved.');
    await page.getByLabel('Gather them in one email a day instead').check();
    await page.getByText('Other notices will come in one email a day.').waitFor();
    await expect.poll(async () => (await getPreferences(s.ui.app.store, s.ui.ids.employee)).digest).toBe(true);
    expect((await getPreferences(s.ui.app.store, s.ui.ids.employee)).updatedBy).toBe('ui-employee');
    await audit(page, 'employee-notices');
    expect(s.errors).toEqual([]);
  });
});
