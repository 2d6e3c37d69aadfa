// Kudos and feedback in a real browser, per role (issue 19): an employee thanks a colleague and
// sends their manager anonymous feedback; the manager reads it without a name, writes notes on
// the employee (private and shared) and turns a customer's compliment into kudos; the employee
// reads only the shared note; HR sees every upward feedback; the viewer reads no message. Below
// five direct reports the form offers no anonymity and says why. No console errors.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, browserSuite, signIn } from './helpers.ts';

const s = browserSuite({
  seed: async (ui) => {
    await ui.app.store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('customer-feedback.survey', $1, now() - interval '2 days', '{"csat":5,"comment":"Solved it in one call, thank you!"}', 'ui-compliment')`, [ui.ids.employee]);
  },
});
const shot = (p: Page, name: string) => p.screenshot({ path: new URL(`ui-feedback-${name}.png`, ARTIFACTS).pathname, fullPage: true });
const nameOf = async (id: string) => (await s.ui.app.store.query<{ name: string }>('SELECT name FROM employees WHERE id = $1', [id])).rows[0].name;
/** A new tab signed in as `role` (a tab's session holds one token). */
let page: Page;
async function as(role: 'employee' | 'manager' | 'hr' | 'viewer'): Promise<Page> {
  page = await s.newPage();
  await signIn(page, s.ui, role);
  return page;
}
const openKudos = async (p: Page) => {
  await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Kudos' }).click();
  await p.getByRole('heading', { name: 'Kudos', level: 1 }).waitFor();
};

describe('kudos and feedback in Chromium', { timeout: 60_000 }, () => {
  it('an employee gives kudos to a colleague with a value, and sees it among the kudos they gave', async () => {
    await as('employee');
    await openKudos(page);
    const colleague = await nameOf('e01') === await nameOf(s.ui.ids.employee) ? 'e02' : 'e01';
    await page.getByLabel('Colleague').selectOption(colleague);
    await page.getByLabel('Value it shows (optional)').selectOption('Teamwork');
    await page.getByLabel('Message').fill('Took my queue while I was at the dentist');
    await page.getByRole('button', { name: 'Send kudos' }).click();
    await page.getByText(`Kudos sent to ${await nameOf(colleague)}.`).waitFor();
    const given = page.locator('section', { has: page.getByRole('heading', { name: /Kudos you gave/ }) });
    await given.getByText('Took my queue while I was at the dentist').waitFor();
    await expect(given.textContent()).resolves.toContain('Teamwork');
  });

  it('the employee sends their manager feedback without their name, where the form says it may', async () => {
    const form = page.locator('form', { has: page.getByRole('heading', { name: /Feedback to your manager/ }) });
    await form.getByText(/Anonymous feedback is possible because .* has 7 direct reports \(at least 5\)/).waitFor();
    await form.getByLabel('Your feedback').fill('Our one-to-ones keep getting moved');
    await form.getByLabel('Send without my name').check();
    await form.getByRole('button', { name: 'Send feedback' }).click();
    await form.getByText(/without your name\.$/).waitFor();
    await shot(page, 'employee');
  });

  it('the manager reads it marked anonymous and acknowledges it; on the employee page writes notes and turns a compliment into kudos', async () => {
    await as('manager');
    await openKudos(page);
    const row = page.locator('tr', { hasText: 'Our one-to-ones keep getting moved' });
    await expect(row.textContent()).resolves.toMatch(/Anonymous/);
    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => row.textContent()).toMatch(/Acknowledged/);

    await page.goto(`${s.ui.url}/employees/${s.ui.ids.employee}`);
    const notes = page.locator('feedback-notes');
    await notes.getByRole('heading', { name: 'Feedback notes' }).waitFor();
    await notes.getByLabel('New note').fill('Watch the tone on refund calls');
    await notes.getByRole('button', { name: 'Save note' }).click();
    await notes.getByText('Watch the tone on refund calls').waitFor();
    await notes.getByLabel('New note').fill('Great handling of the outage week');
    await notes.getByLabel(/Share with the employee/).check();
    await notes.getByRole('button', { name: 'Save note' }).click();
    await notes.getByText('Great handling of the outage week').waitFor();
    await expect(notes.getByText('Private: managers and HR').count()).resolves.toBe(1);

    const compliment = notes.locator('tr', { hasText: 'Solved it in one call' });
    await compliment.getByRole('button', { name: 'Turn into kudos' }).click();
    await compliment.getByText('Kudos given').waitFor();
    await shot(page, 'manager-employee');
  });

  it('the employee reads only the shared note, and the customer\'s kudos is labelled as from a customer', async () => {
    await as('employee');
    await page.goto(`${s.ui.url}/employees/${s.ui.ids.employee}`);
    const notes = page.locator('feedback-notes');
    await notes.getByText('Great handling of the outage week').waitFor();
    await expect(notes.getByText('Watch the tone on refund calls').count()).resolves.toBe(0);
    await expect(notes.getByRole('button', { name: 'Save note' }).count()).resolves.toBe(0);
    await openKudos(page);
    const received = page.locator('section', { has: page.getByRole('heading', { name: /Kudos you received/ }) });
    await received.getByText('Solved it in one call, thank you!').waitFor();
    await expect(received.textContent()).resolves.toContain('From a customer');
  });

  it('HR sees every upward feedback and, on the dashboard wall, kudos labelled by who gave them', async () => {
    await as('hr');
    await page.locator('dashboard-page').getByRole('heading', { name: 'Kudos from colleagues and customers' }).waitFor({ timeout: 30_000 });
    const wall = page.locator('dashboard-page .kudos-wall');
    await expect(wall.textContent()).resolves.toMatch(/From a customer[\s\S]*Solved it in one call|Solved it in one call[\s\S]*From a customer/);
    await expect(wall.textContent()).resolves.toContain(`From ${await nameOf(s.ui.ids.employee)}`);
    await openKudos(page);
    await page.getByRole('heading', { name: 'Upward feedback' }).waitFor();
    await page.locator('tr', { hasText: 'Our one-to-ones keep getting moved' }).waitFor();
    // An HR token acting as nobody gives no kudos: no form.
    await expect(page.getByRole('button', { name: 'Send kudos' }).count()).resolves.toBe(0);
  });

  it('the viewer sees the kudos without their messages and no feedback notes', async () => {
    await as('viewer');
    await openKudos(page);
    await page.locator('kudos-page .kudos').first().waitFor();
    await expect(page.locator('kudos-page .kudos-wall').textContent()).resolves.not.toContain('Solved it in one call');
    await page.getByText('Message not shown to your role.').first().waitFor();
    await page.goto(`${s.ui.url}/employees/${s.ui.ids.employee}`);
    await page.getByRole('heading', { name: 'Metrics over time' }).waitFor();
    await expect(page.locator('feedback-notes').getByRole('heading').count()).resolves.toBe(0);
    await shot(page, 'viewer');
  });

  it('below five direct reports the form offers no anonymity and says why', async () => {
    const mates = (await s.ui.app.store.query<{ id: string }>('SELECT id FROM employees WHERE manager_id = $1 AND id <> $2 ORDER BY id LIMIT 3', [s.ui.ids.manager, s.ui.ids.employee])).rows.map((r) => r.id);
    await s.ui.app.store.query(`UPDATE employees SET manager_id = 'mgr-success' WHERE id = ANY($1::text[])`, [mates]);
    await as('employee');
    await openKudos(page);
    await page.getByText(/Your feedback is sent with your name\. Anonymous feedback is offered only where a manager has at least 5 direct reports; .* has 4/).waitFor();
    await expect(page.getByLabel('Send without my name').count()).resolves.toBe(0);
    expect(s.errors).toEqual([]);
  });
});
