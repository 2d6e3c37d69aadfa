// A review cycle end to end in the browser (issue 19): HR opens a quarterly cycle from the
// Reviews screen; the employee's packet shows the measures against their standards over four
// periods, customers' comments with how they were picked and counted, the quarter's cases and
// the training taken, their goals with progress and the kudos they received; then the employee self-assesses, the manager assesses and signs, the
// employee signs and acknowledges with a comment — each as their own role —, the employee disputes
// a rating and HR amends it, and HR's screen
// counts the progress. A viewer sees the review without any free text.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Role } from '../../core/auth/tokens.ts';
import { axeViolations, formatViolations } from './axe.ts';
import { ARTIFACTS, browserSuite, signIn } from './helpers.ts';
import { createGoal } from '../../core/people/goals/index.ts';
import { giveKudos } from '../../core/people/feedback/kudos.ts';

const DAY = 86_400_000;
const s = browserSuite({
  seed: async (ui) => {
    // Comments on 15 of the employee's surveys of this quarter, and a course with its scores.
    const quarterStart = new Date(Date.UTC(new Date().getUTCFullYear(), Math.floor(new Date().getUTCMonth() / 3) * 3, 1));
    for (let i = 0; i < 15; i++) {
      const at = new Date(quarterStart.getTime() + (i + 1) * 60 * 60_000);
      await ui.app.store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('customer-feedback.survey', $1, $2, $3::jsonb, $4)`,
        [ui.ids.employee, at.toISOString(), JSON.stringify({ csat: (i % 5) + 1, comment: `Customer comment number ${i + 1}` }), `rv-${i}`]);
    }
    await ui.app.store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('training.training', $1, $2, '{"course":"De-escalation","preScore":50,"postScore":72}'::jsonb, 'rv-t')`,
      [ui.ids.employee, new Date(quarterStart.getTime() + 2 * DAY).toISOString()]);
    // A goal their manager set for the quarter, and kudos from a colleague.
    const due = new Date(Date.UTC(quarterStart.getUTCFullYear(), quarterStart.getUTCMonth() + 3, 0)).toISOString().slice(0, 10);
    const manager = { tokenId: 0, name: ui.ids.manager, role: 'manager' as const, employeeId: ui.ids.manager };
    await createGoal(ui.app.store, ui.app.plugins.metrics, manager, { employeeId: ui.ids.employee, title: 'Lift CSAT to 4', startsAt: quarterStart.toISOString().slice(0, 10), dueAt: due, measure: { metric: 'customer-feedback.csat', target: 4, direction: 'atLeast', minSamples: 3 } }, quarterStart);
    const colleague = (await ui.app.store.query<{ id: string }>(`SELECT id FROM employees WHERE id <> $1 AND role = 'agent' ORDER BY id LIMIT 1`, [ui.ids.employee])).rows[0].id;
    await giveKudos(ui.app.store, { tokenId: 0, name: colleague, role: 'employee', employeeId: colleague }, { receiverId: ui.ids.employee, message: 'Covered my shift on a hard day' }, [], new Date(quarterStart.getTime() + 3 * DAY));
  },
});

const shots = (p: Page, name: string) => p.screenshot({ path: new URL(`reviews-${name}.png`, ARTIFACTS).pathname, fullPage: true });
async function noViolations(p: Page, name: string) {
  const v = await axeViolations(p);
  await shots(p, name);
  expect(v, formatViolations(name, v)).toEqual([]);
}

async function as(role: Role): Promise<Page> {
  const p = await s.newPage();
  await signIn(p, s.ui, role);
  return p;
}

async function openReview(p: Page, employeeName: string) {
  await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /reviews/i }).click();
  await p.getByRole('table', { name: 'Reviews of the cycle' }).getByRole('link', { name: employeeName }).click();
  await p.locator('review-packet-view section[data-section="training"]').waitFor({ timeout: 30_000 });
}

describe('a review cycle, end to end', { timeout: 180_000 }, () => {
  let name = '';

  it('HR opens a quarterly cycle from the Reviews screen', async () => {
    name = (await s.ui.app.store.query<{ name: string }>('SELECT name FROM employees WHERE id = $1', [s.ui.ids.employee])).rows[0].name;
    const p = await as('hr');
    await p.getByRole('link', { name: 'Reviews' }).click();
    await p.getByText('No review cycle yet.').waitFor();
    await p.getByRole('button', { name: 'Open a review cycle' }).click();
    await p.getByLabel('Roles').fill('agent');
    await expect.poll(() => p.getByLabel('Template').locator('option').allTextContents()).toContain('Quarterly review');
    await noViolations(p, 'hr-open-form');
    await p.getByRole('button', { name: 'Open the cycle' }).click();
    await expect.poll(() => p.getByRole('status').textContent()).toMatch(/The cycle \d{4}-Q\d is open: 21 reviews created\./);
    await expect.poll(() => p.locator('[data-count="total"]').textContent()).toBe('21');
    await p.getByRole('table', { name: 'Reviews of the cycle' }).waitFor();
    await noViolations(p, 'hr-cycle');
    await p.close();
  });

  it('the employee reads the packet and writes the self-assessment', async () => {
    const p = await as('employee');
    await openReview(p, name);
    const packet = p.locator('review-packet-view');
    const measures = packet.getByRole('table', { name: 'Measures against their standards' });
    expect(await measures.locator('thead th').count()).toBe(6); // measure, 4 periods, standard
    await expect.poll(() => measures.locator('tbody tr').first().textContent()).toMatch(/Coaching when below 3\.5/);
    await expect.poll(() => packet.locator('[data-section="verbatims"] .summary').textContent()).toBe('3 lowest, 3 highest and 4 at random of 15 comments.');
    expect(await packet.locator('[data-section="verbatims"] blockquote').count()).toBe(10);
    await expect.poll(() => packet.locator('[data-section="cases"] .summary').textContent()).toMatch(/improvement plan/);
    await expect.poll(() => packet.locator('[data-section="training"]').textContent()).toMatch(/De-escalation.*\+22/s);
    await expect.poll(() => packet.locator('[data-section="goals"]').textContent()).toMatch(/Lift CSAT to 4.*(Met|Not yet|Not enough data)/s);
    await expect.poll(() => packet.locator('[data-section="kudos"] .summary').textContent()).toBe("1 kudos in the period: 1 from colleagues and 0 from customers' compliments.");
    await packet.locator('[data-section="kudos"]').getByText('Covered my shift on a hard day').waitFor();
    await noViolations(p, 'employee-packet');

    await p.getByRole('button', { name: 'Write your self-assessment' }).click();
    const form = p.getByRole('form', { name: 'Write your self-assessment' });
    for (const [i, box] of (await form.locator('textarea[required]').all()).entries()) await box.fill(`My answer ${i + 1}.`);
    await noViolations(p, 'employee-self-form');
    await form.getByRole('button', { name: 'Write your self-assessment' }).click();
    await expect.poll(() => p.locator('[data-status]').first().textContent()).toBe('Waiting for the manager assessment');
    await expect.poll(() => p.locator('[data-self="customer-outcomes"]').textContent()).toBe('My answer 1.');
    await p.close();
  });

  it('the manager assesses each section and signs', async () => {
    const p = await as('manager');
    await openReview(p, name);
    await p.getByRole('button', { name: 'Write the manager assessment' }).click();
    const form = p.getByRole('form', { name: 'Write the manager assessment' });
    for (const [title, rating] of [['Customer outcomes', '2'], ['Follow-up on cases and coaching', '3'], ['Learning and growth', '4'], ['Teamwork', '4']]) {
      await form.getByLabel(`Rating for ${title}`).selectOption(rating);
    }
    await form.getByLabel('Comment on Customer outcomes').fill('Below the standard most of the quarter.');
    await noViolations(p, 'manager-assess-form');
    await form.getByRole('button', { name: 'Write the manager assessment' }).click();
    await expect.poll(() => p.locator('[data-overall]').textContent()).toBe('3');
    await p.getByRole('button', { name: 'Sign as manager' }).click();
    await p.getByRole('form', { name: 'Sign as manager' }).getByRole('button', { name: 'Sign as manager' }).click();
    await expect.poll(() => p.locator('[data-status]').first().textContent()).toBe('Signed by the manager; waiting for the employee');
    await p.close();
  });

  it('the employee signs and acknowledges with a comment; the packet is kept', async () => {
    const p = await as('employee');
    await openReview(p, name);
    await p.getByRole('button', { name: 'Sign as employee' }).click();
    await p.getByRole('form', { name: 'Sign as employee' }).getByRole('button', { name: 'Sign as employee' }).click();
    await expect.poll(() => p.locator('[data-status]').first().textContent()).toBe('Signed off; waiting for the acknowledgement');
    await expect.poll(() => p.locator('review-packet-view > p').first().textContent()).toMatch(/Kept as it was at sign-off/);
    await p.getByRole('button', { name: 'Acknowledge' }).click();
    await p.getByLabel('Your comment').fill('I will work on response times.');
    await p.getByRole('form', { name: 'Acknowledge' }).getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => p.locator('[data-status]').first().textContent()).toBe('Acknowledged');
    await expect.poll(() => p.locator('[data-acknowledged]').textContent()).toMatch(/I will work on response times\./);
    await p.emulateMedia({ media: 'print' });
    expect(await p.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    expect(await p.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
    await shots(p, 'employee-printed');
    await p.close();
  });

  it('the employee disputes a rating; HR amends it; the employee sees the new rating and the decision', async () => {
    const p = await as('employee');
    await openReview(p, name);
    const panel = p.locator('review-dispute-panel');
    await panel.getByRole('button', { name: 'Dispute a rating' }).click();
    const raise = panel.getByRole('form', { name: 'Dispute a rating' });
    await raise.getByLabel('Which rating').selectOption({ label: 'Customer outcomes' });
    await raise.getByLabel('Why do you dispute it?').fill('Three of the low surveys were about the billing outage.');
    await noViolations(p, 'employee-dispute-form');
    await raise.getByRole('button', { name: 'Send the dispute' }).click();
    await expect.poll(() => panel.locator('[data-status]').first().textContent()).toBe('waiting for HR');
    await p.close();

    const hr = await as('hr');
    await openReview(hr, name);
    const hrPanel = hr.locator('review-dispute-panel');
    await hrPanel.getByRole('button', { name: 'Resolve' }).click();
    const resolve = hrPanel.getByRole('form', { name: /Resolve dispute/ });
    await resolve.getByLabel('Amend: give the section a new rating').check();
    await resolve.getByLabel(/New rating/).fill('3');
    await resolve.getByLabel(/Your note/).fill('The outage surveys are left out: 3.');
    await resolve.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => hrPanel.locator('[data-status]').first().textContent()).toBe('amended: the rating was changed');
    await hr.close();

    const again = await as('employee');
    await openReview(again, name);
    await expect.poll(() => again.locator('[data-rating="customer-outcomes"]').textContent()).toMatch(/3 of 5/);
    await expect.poll(() => again.locator('review-dispute-panel li[data-dispute]').first().textContent()).toMatch(/The outage surveys are left out: 3\./);
    await expect.poll(() => again.locator('[data-overall]').textContent()).not.toBe('3');
    await again.close();
  });

  it('HR sees the progress; a viewer sees the ratings but none of the free text', async () => {
    const p = await as('hr');
    await p.getByRole('link', { name: 'Reviews' }).click();
    await expect.poll(() => p.locator('[data-count="self-assessed"]').textContent()).toBe('1');
    await expect.poll(() => p.locator('[data-count="signed-off"]').textContent()).toBe('1');
    // HR moves the self-assessment deadline of the cycle's open reviews.
    await p.getByText('Move a deadline').click();
    const move = p.getByRole('form', { name: /Move a deadline of/ });
    await move.getByLabel('New deadline').fill('2099-01-31');
    await move.getByLabel('Why').fill('Holidays');
    await noViolations(p, 'hr-extend');
    await move.getByRole('button', { name: 'Move the deadline' }).click();
    await expect.poll(() => p.getByRole('status').textContent()).toBe('Self-assessment deadline of 20 reviews moved to 31 Jan 2099.');
    await expect.poll(() => p.locator('[data-cycle] [data-count="overdue"]').textContent()).toBe('0');
    await p.close();
    const v = await as('viewer');
    await openReview(v, name);
    await v.locator('[data-rating="customer-outcomes"]').waitFor();
    // All the text of the page, into its shadow roots (a host's own textContent holds none of it).
    const seen = (await v.locator('review-page *').allTextContents()).join(' ');
    expect(seen).toContain('Customer outcomes'); // the ratings are there…
    expect(seen).toContain('1 kudos in the period');
    expect(seen).not.toContain('Below the standard most of the quarter.'); // …none of the free text
    expect(seen).not.toContain('I will work on response times.');
    expect(seen).not.toContain('billing outage');
    expect(seen).not.toContain('The outage surveys are left out');
    expect(seen).not.toContain('Customer comment number');
    expect(seen).not.toContain('Covered my shift on a hard day');
    await v.close();
    expect(s.errors).toEqual([]);
  });
});
