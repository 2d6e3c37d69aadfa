// Disputes in a real browser, one tab per role: the employee disputes their proposed PIP with a
// reason; their manager sees it (and cannot raise a second); a viewer sees that it exists but
// not what was said; HR overturns it from the Disputes view of the case queue with a note; the
// employee then sees the outcome on the case page and its timeline.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, browserSuite, signIn } from './helpers.ts';

let pip = 0;
const s = browserSuite({
  seed: async (ui) => {
    pip = Number((await ui.app.store.query<{ id: number }>(`SELECT id FROM cases WHERE type = 'pip' AND employee_id = $1 ORDER BY id LIMIT 1`, [ui.ids.employee])).rows[0].id);
  },
  setup: (x) => signIn(x.page, x.ui, 'employee'),
});

const shot = (p: Page, name: string) => p.screenshot({ path: new URL(`disputes-${name}.png`, ARTIFACTS).pathname, fullPage: true });
const panel = (p: Page) => p.locator('dispute-panel');
const REASON = 'Most of the low scores came from the week the billing system was down.';
const NOTE = 'Confirmed with support ops: the outage week is excluded, and without it CSAT is 3.9.';

async function casePage(role: 'manager' | 'viewer' | 'hr'): Promise<Page> {
  const p = await s.newPage();
  await signIn(p, s.ui, role);
  await p.goto(`${s.ui.url}/cases/${pip}`);
  await p.locator('case-timeline li').first().waitFor();
  return p;
}

describe('disputes, in Chromium', { timeout: 90_000 }, () => {
  it('the employee disputes their case with a reason; it waits for HR and is on the timeline', async () => {
    const p = s.page;
    await p.goto(`${s.ui.url}/cases/${pip}`);
    await panel(p).getByText('Nobody has disputed this case.').waitFor();
    await panel(p).getByRole('button', { name: 'Dispute this' }).click();
    const reason = panel(p).getByLabel(/Why do you dispute this case/);
    await expect(reason.getAttribute('required')).resolves.not.toBeNull();
    await reason.fill(REASON);
    await panel(p).getByRole('button', { name: 'Send the dispute' }).click();
    await panel(p).locator('[data-status="open"]').getByText('waiting for HR').waitFor();
    await panel(p).getByText(REASON).waitFor();
    await expect(panel(p).getByRole('button', { name: 'Dispute this' }).count()).resolves.toBe(0);
    await panel(p).getByRole('button', { name: 'Withdraw' }).waitFor();
    await p.locator('case-timeline li[data-event="dispute"]').getByText('Disputed').waitFor();
    await p.locator('case-timeline li[data-event="dispute"]').getByText('Raised by the employee', { exact: true }).waitFor();
    await shot(p, 'employee-raised');
  });

  it('the manager sees the dispute and its reason, and cannot raise a second; a viewer sees it without the reason', async () => {
    const m = await casePage('manager');
    await panel(m).getByText(REASON).waitFor();
    await expect(panel(m).getByRole('button', { name: 'Dispute this' }).count()).resolves.toBe(0);
    await expect(panel(m).getByRole('button', { name: 'Resolve' }).count()).resolves.toBe(0);
    await m.close();
    const v = await casePage('viewer');
    await panel(v).locator('[data-status="open"]').waitFor();
    await expect(v.getByText(REASON).count()).resolves.toBe(0);
    await v.close();
  });

  it('HR overturns it from the Disputes view of the case queue, with a note', async () => {
    const h = await s.newPage();
    await signIn(h, s.ui, 'hr');
    await h.goto(`${s.ui.url}/cases`);
    await h.getByRole('navigation', { name: 'Case views' }).getByRole('link', { name: 'Disputes' }).click();
    await h.waitForURL(`${s.ui.url}/cases/disputes`);
    const row = h.locator('tr[data-dispute]');
    await row.getByText(REASON).waitFor();
    await shot(h, 'hr-queue');
    await row.getByRole('button', { name: 'Resolve' }).click();
    const form = h.locator('dispute-resolve-form');
    await form.getByRole('radio', { name: /^Overturn/ }).check();
    await form.getByText(/no longer counts toward later decisions/).waitFor();
    await form.getByLabel(/Note for the employee/).fill(NOTE);
    await form.getByRole('button', { name: 'Overturn' }).click();
    await h.getByRole('status').getByText(/Dispute \d+ is resolved\./).waitFor();
    await h.getByText('No dispute waits for a decision.').waitFor();
    expect((await s.ui.app.store.query<{ status: string }>('SELECT status FROM cases WHERE id = $1', [pip])).rows[0].status).toBe('overturned');
    await h.close();
  });

  it('the employee sees the outcome: the case overturned, HR\'s note, and both on the timeline', async () => {
    const p = s.page;
    await p.reload();
    await p.locator('[data-status="overturned"]').first().waitFor();
    await panel(p).getByText('overturned: the case no longer counts').waitFor();
    await panel(p).getByText(NOTE).waitFor();
    await expect(panel(p).getByRole('button', { name: 'Dispute this' }).count()).resolves.toBe(0);
    const timeline = p.locator('case-timeline');
    await timeline.getByText('Dispute resolved: overturned').waitFor();
    await timeline.getByText('Overturned on a dispute').waitFor();
    await shot(p, 'employee-outcome');
    expect(s.errors).toEqual([]);
  });
});
