// The worker notice in Chromium: an employee finds "How I am evaluated" in the navigation and
// reads the notice of the policy that applies to them (its thresholds in their units, that a
// person approves every PIP, how to dispute), with the earlier version's notice kept beside it;
// HR reads the same notice on the policy's Notice tab. Both screens pass axe; no console errors.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadPolicyText } from '../../core/policy/load.ts';
import { publishPolicy } from '../../core/policy/versions.ts';
import { axeViolations, formatViolations } from './axe.ts';
import { ARTIFACTS, browserSuite, signIn } from './helpers.ts';
import { SUPPORT_POLICY } from './policies.ts';

const s = browserSuite({
  // A second version, published as the API publishes (with its notice), coaching from 3.4, under
  // a 14-day notice period (set here, after the fixture's own runs, which predate it).
  seed: async (ui) => {
    (ui.app.config.policies as { noticeDays?: number }).noticeDays = 14;
    const yaml = SUPPORT_POLICY.replace('operator: lessThan, value: 3.5', 'operator: lessThan, value: 3.4');
    const loaded = loadPolicyText('support-quality.policy.yaml', yaml, ui.app.registry);
    await publishPolicy(ui.app.store, { policy: loaded.policy!, yaml, author: 'hr-ana', comment: 'coach from 3.4', notice: ui.app.noticeContext });
  },
});

async function audit(page: Page, name: string) {
  const violations = await axeViolations(page);
  await page.screenshot({ path: new URL(`ui-${name}.png`, ARTIFACTS).pathname, fullPage: true });
  expect(violations, formatViolations(name, violations)).toEqual([]);
}

describe('worker notices in Chromium', { timeout: 90_000 }, () => {
  it('an employee reads how they are evaluated: the notice of the policy that applies to them, and the earlier version', async () => {
    const page = s.page;
    await signIn(page, s.ui, 'employee');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'How I am evaluated' }).click();
    await page.getByRole('heading', { name: 'How I am evaluated', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/how-i-am-evaluated');
    const article = page.locator('article[data-policy="support-quality"]');
    await article.getByRole('heading', { name: 'Support quality monthly review', level: 2 }).waitFor();
    const current = article.locator('worker-notice-view').first();
    const text = (await current.locator('section *').allTextContents()).join('\n');
    expect(text).toContain('your customer satisfaction (CSAT) over the last 30 days is below 3.4 out of 5 (from at least 3 customer survey responses)');
    expect(text).toContain('A person approves every improvement plan (PIP)');
    expect(text).toContain('Missing data never leads to an adverse outcome.');
    expect(text).toContain('choose “Dispute this”');
    expect(text).toMatch(/is enforced from \d{1,2} \w{3} \d{4}, after the 14-day notice period\./);
    await expect(current.locator('[data-notice-period]').textContent()).resolves.toMatch(/^Until .+ this version only records its decisions: no case is opened for anyone\.$/);
    await expect(current.getByRole('heading', { name: 'What is measured', level: 3 }).count()).resolves.toBe(1);
    // The other published policy applies to Customer Success only: not listed.
    await expect(page.locator('article[data-policy]').count()).resolves.toBe(1);

    await article.getByText('Earlier versions of this notice (1)').click();
    const earlier = article.locator('details[data-version="1"]');
    await earlier.locator('summary').click();
    const old = (await earlier.locator('worker-notice-view section *').allTextContents()).join('\n');
    expect(old).toContain('is below 3.5 out of 5');
    await audit(page, 'my-notices');

    // What the notice says to do: open a case from "My cases" and choose "Dispute this".
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My cases' }).click();
    await page.getByRole('heading', { name: 'My cases', level: 1 }).waitFor();
    await page.getByRole('link', { name: /^Open case \d+$/ }).first().click();
    await page.getByRole('button', { name: 'Dispute this' }).waitFor();
  });

  it('HR reads the same notice on the policy page, under Notice', async () => {
    const page = await s.newPage();
    await signIn(page, s.ui, 'hr');
    await page.goto(`${s.ui.url}/policies/support-quality`);
    await page.getByRole('navigation', { name: 'Policy' }).getByRole('link', { name: 'Notice' }).click();
    await page.getByRole('heading', { name: 'Worker notice', level: 2 }).waitFor();
    const view = page.locator('policy-notice worker-notice-view');
    await view.locator('section').first().waitFor();
    await expect(view.locator('section *').allTextContents().then((t) => t.join('\n'))).resolves.toContain('is below 3.4 out of 5');
    await page.getByLabel('Version').selectOption({ index: 1 });
    await expect.poll(async () => (await view.locator('section *').allTextContents()).join('\n'), { timeout: 10_000 }).toContain('is below 3.5 out of 5');
    await audit(page, 'policy-notice');
  });

  it('the policy list, a preview and a run each say that the new version is in its notice period', async () => {
    const page = await s.newPage();
    await signIn(page, s.ui, 'hr');
    await page.goto(`${s.ui.url}/policies`);
    const row = page.locator('tr[data-policy="support-quality"]');
    await row.locator('[data-notice-period]').waitFor();
    await expect(row.textContent()).resolves.toMatch(/notice periodopens cases from \d{1,2} \w{3} \d{4}/);

    await page.goto(`${s.ui.url}/policies/support-quality/preview`);
    await page.getByRole('button', { name: 'Preview impact' }).click();
    await expect(page.locator('policy-preview [data-notice-period]').textContent({ timeout: 20_000 })).resolves
      .toMatch(/^Published now, this version would open cases only from .+, after the 14-day notice period; until then its decisions are recorded and no case is opened\.$/);

    const result = await s.ui.app.run({ trigger: 'manual', policyIds: ['support-quality'] });
    expect(result.run.summary.act).toMatchObject({ opened: { coaching: 0, pip: 0, recognition: 0 } });
    await page.goto(`${s.ui.url}/runs`);
    const note = page.locator('.run-notice[data-policy="support-quality"]').first();
    await expect(note.textContent({ timeout: 20_000 })).resolves.toMatch(/^support-quality v2 was in its notice period: its decisions were recorded and no case was opened\. It opens cases from .+, after the 14-day notice period\.$/);
    await audit(page, 'runs-notice-period');
    expect(s.errors).toEqual([]);
  });
});
