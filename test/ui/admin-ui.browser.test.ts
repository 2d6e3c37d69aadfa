// The admin UI in a real browser (Debian's headless Chromium through playwright-core) against a
// real server on a random port: sign in, edit a policy and see the server's diagnostic at its
// line, preview a change and its affected people, publish it and compare versions side by side,
// approve a proposed PIP, read an employee's trend chart, the employee's own view, a run, an
// API error, and the narrow screen. Each test leaves a screenshot in test/artifacts/.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, browserSuite, signIn, cursorAt, replaceBefore } from './helpers.ts';
import { POLICY_LINES } from './policies.ts';

const s = browserSuite();

const shot = (p: Page, name: string) => p.screenshot({ path: new URL(`ui-${name}.png`, ARTIFACTS).pathname, fullPage: true });

describe('the admin UI in Chromium', { timeout: 60_000 }, () => {
  it('signs in with a token from the keyboard and lands on the dashboard, showing the role', async () => {
    await s.page.goto(s.ui.url);
    await s.page.keyboard.press('Tab');
    await expect.poll(() => s.page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.shadowRoot?.activeElement?.id)).toBe('token');
    await s.page.keyboard.type(s.ui.tokens.hr);
    await shot(s.page, 'sign-in');
    await s.page.keyboard.press('Enter');
    await expect(s.page.locator('[data-role="hr"]').textContent()).resolves.toBe('HR');
    await s.page.getByRole('heading', { name: 'Metrics by team and department' }).waitFor();
    await s.page.locator('trend-chart canvas').first().waitFor();
    await expect(s.page.getByRole('heading', { name: 'Recognition wall' }).isVisible()).resolves.toBe(true);
    // HR may not read the audit log: no such control; runs, fairness, sources, plugins and notifications are there
    await expect(s.page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).resolves.toEqual(['Dashboard', 'Policies', 'Cases', 'Employees', 'Reviews', 'Kudos', 'Runs', 'Fairness', 'Sources', 'Plugins', 'Notifications']);
    await shot(s.page, 'dashboard');
  });

  it('editor: a typo gets its diagnostic at its line and column as one types (a line with an emoji before it), and the fix clears it', async () => {
    await s.page.getByRole('link', { name: 'Policies' }).click();
    await s.page.getByRole('link', { name: 'Support quality monthly review' }).click();
    await s.page.getByText('No problems').waitFor();
    // `…, operator: lessThan, value: 2.5 }] }`: the cursor after lessThan, then lessThan → lessThen
    await cursorAt(s.page, POLICY_LINES.pipCondition, ', value: 2.5 }] }'.length);
    await replaceBefore(s.page, 4, 'Then');
    const mark = s.page.locator('.cm-lintRange-error');
    await mark.waitFor({ timeout: 5000 });
    await expect(mark.textContent()).resolves.toBe('lessThen');
    const typoLine = '      when: { all: [{ name: "Zufriedenheit sehr niedrig 😟", fact: csat, operator: lessThen, value: 2.5 }] }';
    expect(await mark.evaluate((el) => el.closest('.cm-line')?.textContent)).toBe(typoLine);
    // the server counts columns in UTF-16 units, like the editor: the emoji is two
    const column = typoLine.indexOf('lessThen') + 1;
    const problem = s.page.getByRole('list', { name: 'Problems' }).getByRole('button');
    await expect(problem.getAttribute('data-line')).resolves.toBe(String(POLICY_LINES.pipCondition));
    await expect(problem.textContent()).resolves.toMatch(new RegExp(`line ${POLICY_LINES.pipCondition}, column ${column}.*Did you mean \`lessThan\``, 's'));
    await expect(s.page.locator('.cm-lint-marker-error').count()).resolves.toBe(1);
    await shot(s.page, 'editor-diagnostic');
    await replaceBefore(s.page, 4, 'Than');
    await s.page.getByText('No problems').waitFor();
    await expect(mark.count()).resolves.toBe(0);
  });

  it('editor: metric ids complete from the catalogue, and a draft can be discarded', async () => {
    await s.page.keyboard.press('Control+End');
    await s.page.keyboard.press('Enter');
    await s.page.keyboard.type('extra: { metric: customer-f');
    const options = s.page.locator('.cm-tooltip-autocomplete li');
    await options.first().waitFor();
    await expect(options.allTextContents()).resolves.toEqual(expect.arrayContaining([expect.stringContaining('customer-feedback.csat'), expect.stringContaining('customer-feedback.nps')]));
    await shot(s.page, 'editor-completion');
    await s.page.keyboard.press('Escape');
    await s.page.getByRole('button', { name: 'Discard draft' }).click();
    await s.page.getByText('The editor holds v1 as published.').waitFor();
    await expect(s.page.locator('.cm-content').textContent()).resolves.not.toMatch(/extra:/);
  });

  it('preview: a higher coaching threshold shows who is newly coached, each with their explanation one click away, and the fairness report', async () => {
    await cursorAt(s.page, POLICY_LINES.coachingCondition, ' }] }'.length);
    await replaceBefore(s.page, 3, '4.2');
    await s.page.getByRole('link', { name: 'Preview' }).click();
    await s.page.getByText('Previewing your draft (based on v1).').waitFor();
    await s.page.getByRole('button', { name: 'Preview impact' }).click();
    const newly = s.page.locator('section', { has: s.page.getByRole('heading', { name: /Newly affected/ }) });
    await newly.locator('li').first().waitFor();
    expect(await newly.locator('li').count()).toBeGreaterThan(0);
    await expect(newly.locator('.badge.coaching').count()).resolves.toBe(await newly.locator('li').count());
    await newly.getByRole('button', { name: 'Explain' }).first().click();
    const explanation = newly.locator('rule-in-words').first();
    await expect(explanation.locator('.cond').first().textContent()).resolves.toMatch(/csat below 4\.2/);
    await expect(explanation.locator('.badge.pass').first().isVisible()).resolves.toBe(true);
    await expect(s.page.locator('fairness-report table').first().isVisible()).resolves.toBe(true);
    await shot(s.page, 'preview');
  });

  it('publish keeps the draft across tabs, publishes it with a comment, and the history shows the change side by side', async () => {
    await s.page.getByRole('link', { name: 'Edit' }).click();
    await s.page.getByText('Unpublished changes').waitFor();
    await s.page.getByLabel('Comment (why this version)').fill('Coach earlier: 4.2 is where satisfaction starts to slip');
    await s.page.getByRole('button', { name: 'Publish', exact: true }).click();
    await s.page.getByText('Published v2.').waitFor();
    await s.page.getByText('v2 published').waitFor();
    await shot(s.page, 'published');
    await s.page.getByRole('link', { name: 'History' }).click();
    const changed = s.page.locator('diff-view tr.changed');
    await changed.waitFor();
    await expect(changed.count()).resolves.toBe(1);
    const cells = await changed.locator('td').allTextContents();
    expect(cells.map((c) => c.replace(/^(changed (from|to)): /, '').trim())).toEqual([
      String(POLICY_LINES.coachingCondition), 'when: { any: [{ fact: csat, operator: lessThan, value: 3.5 }] }',
      String(POLICY_LINES.coachingCondition), 'when: { any: [{ fact: csat, operator: lessThan, value: 4.2 }] }',
    ]);
    await expect(s.page.locator('diff-view tr.removed, diff-view tr.added').count()).resolves.toBe(0);
    await shot(s.page, 'history-diff');
  });

  it('approving a proposed PIP needs a note and the plan: measurable goals (suggested from the numbers), an end date, check-ins and support; all appear on the case', async () => {
    await s.page.goto(`${s.ui.url}/cases?type=pip&status=proposed`);
    await s.page.locator('tr', { hasText: 'Ana Souza' }).first().getByRole('link', { name: /^#\d+$/ }).click();
    await s.page.getByRole('heading', { name: 'Why this case was opened' }).waitFor();
    await s.page.getByText('No plan yet').waitFor();
    await s.page.getByRole('button', { name: 'Approve' }).click();
    const form = s.page.locator('case-action-form');
    // The goals start from the condition that opened the PIP: a metric and a target.
    await expect(form.getByRole('textbox', { name: /Goals/ }).inputValue()).resolves.toMatch(/^Bring csat to at least 2\.5 by the end of the plan \(now [\d.]+\)$/);
    await form.getByRole('button', { name: 'Approve' }).click();
    for (const name of [/Note/, /Support offered/]) {
      await expect(form.getByRole('textbox', { name }).evaluate((el) => (el as HTMLTextAreaElement).validity.valueMissing)).resolves.toBe(true);
    }
    await expect(form.getByLabel(/End date/).evaluate((el) => (el as HTMLInputElement).validity.valueMissing)).resolves.toBe(true);
    await form.getByLabel(/End date/).fill('2099-03-31');
    await form.getByRole('textbox', { name: /Support offered/ }).fill('Weekly coaching with the team lead; the customer-care refresher course.');
    await form.getByRole('textbox', { name: /Note/ }).fill('Two months under 2.5 after coaching; agreed with the team lead.');
    await form.getByRole('button', { name: 'Approve' }).click();
    await s.page.getByText('Approve: the case is now approved.').waitFor();
    // The page shows the success message, then redraws with the new state: wait for that state.
    const timeline = s.page.locator('case-timeline');
    await expect.poll(() => timeline.locator('li').last().textContent()).toMatch(/proposed → approved[\s\S]*ui-hr[\s\S]*Two months under 2\.5 after coaching/);
    await expect.poll(() => s.page.locator('[data-status]').textContent()).toBe('approved');
    const plan = s.page.locator('section', { has: s.page.getByRole('heading', { name: 'Plan' }) });
    await expect.poll(() => plan.textContent()).toMatch(/Bring csat to at least 2\.5[\s\S]*Weekly coaching with the team lead[\s\S]*31 Mar 2099[\s\S]*every 14 days once the plan starts[\s\S]*Approved byui-hr/);
    await shot(s.page, 'pip-approved');
  });

  it("an employee's page draws their metric per period with the policy thresholds", async () => {
    await s.page.goto(`${s.ui.url}/employees/${s.ui.ids.employee}`);
    const chart = s.page.locator('[data-fact="csat"] trend-chart');
    const canvas = chart.locator('canvas');
    await canvas.waitFor();
    const box = await canvas.boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    await expect(canvas.getAttribute('aria-label')).resolves.toMatch(/^Customer satisfaction \(CSAT\): latest [\d.]+; thresholds PIP < 2\.5, Coaching < 4\.2, Recognition ≥ 4\.5$/);
    await chart.getByText('Data').click();
    await expect(chart.locator('tbody tr').count()).resolves.toBe(6);
    await shot(s.page, 'employee-trends');
  });

  it('the employee sees their plan in plain words and acknowledges it', async () => {
    const mine = await s.browser.context.newPage();
    await signIn(mine, s.ui, 'employee');
    await expect(mine.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).resolves.toEqual(['My cases', 'How I am evaluated', 'My reviews', 'My metrics', 'Kudos']);
    const plan = mine.locator('article', { hasText: 'approved' }).first();
    await expect(plan.textContent()).resolves.toMatch(/This improvement plan was proposed because[\s\S]*csat from .* \(\d+ data points\) was [\d.]+; the policy looks for below 2\.5\. This was the case\./);
    // The plan HR approved: goals, support, end date, check-ins, who approved it, what comes next.
    await expect(plan.locator('.plan').textContent()).resolves.toMatch(/Your goals[\s\S]*Bring csat to at least 2\.5[\s\S]*Support you are offered[\s\S]*Weekly coaching[\s\S]*The plan ends31 Mar 2099[\s\S]*every 14 days, once the plan starts[\s\S]*Approved byui-hr[\s\S]*What happens next: Read the plan and acknowledge it/);
    await plan.getByRole('button', { name: 'Acknowledge' }).click();
    await mine.getByText('You acknowledged the performance improvement plan.').waitFor();
    await shot(mine, 'my-cases');
    await mine.close();
  });

  it('a run started from the UI is watched until it has completed', async () => {
    await s.page.goto(`${s.ui.url}/runs`);
    await s.page.getByRole('button', { name: 'Start run' }).click();
    await s.page.getByText(/Run #\d+ completed in/).waitFor({ timeout: 20_000 });
    await expect(s.page.locator('tr[data-run]').count()).resolves.toBe(4);
    await shot(s.page, 'runs');
  });

  it('a viewer is shown no control their role may not use', async () => {
    const viewer = await s.browser.context.newPage();
    await signIn(viewer, s.ui, 'viewer');
    await viewer.goto(`${s.ui.url}/policies/support-quality`);
    await viewer.getByText('No problems').waitFor();
    await expect(viewer.getByRole('navigation', { name: 'Policy' }).getByRole('link').allTextContents()).resolves.toEqual(['Text', 'History', 'Notice']);
    await expect(viewer.getByRole('button', { name: 'Publish' }).count()).resolves.toBe(0);
    await expect(viewer.locator('.cm-content').getAttribute('aria-readonly')).resolves.toBe('true');
    await viewer.locator('.cm-content').click();
    await viewer.keyboard.type('typed by a viewer');
    await expect(viewer.locator('.cm-content').textContent()).resolves.not.toMatch(/typed by a viewer/);
    await viewer.goto(`${s.ui.url}/runs`);
    await viewer.locator('tr[data-run]').first().waitFor();
    await expect(viewer.getByRole('button', { name: 'Start run' }).count()).resolves.toBe(0);
    await viewer.goto(`${s.ui.url}/cases?type=pip&status=proposed`);
    await viewer.locator('tr[data-case]').first().getByRole('link').first().click();
    await viewer.getByText('There is nothing for you to do on this case now.').waitFor();
    await shot(viewer, 'viewer-case');
    await viewer.close();
  });

  it("an API error shows the server's message, never a blank page", async () => {
    await s.page.goto(`${s.ui.url}/cases/999999`);
    await s.page.getByRole('alert').getByText('There is no case 999999.').waitFor();
    await expect(s.page.getByRole('alert').textContent()).resolves.toMatch(/APPRAISE_CASE_NOT_FOUND/);
    await shot(s.page, 'api-error');
  });

  it('on a 390-pixel screen nothing overflows sideways and the menu opens', async () => {
    await s.page.setViewportSize({ width: 390, height: 844 });
    for (const [path, ready, name] of [['/', '.award', 'narrow-dashboard'], ['/cases?type=pip', 'tr[data-case]', 'narrow-cases'], [`/employees/${s.ui.ids.employee}`, 'trend-chart canvas', 'narrow-employee']] as const) {
      await s.page.goto(`${s.ui.url}${path}`);
      await s.page.locator(ready).first().waitFor();
      expect(await s.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await shot(s.page, name);
    }
    await s.page.getByRole('button', { name: 'Menu' }).click();
    await s.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Policies' }).click();
    await s.page.getByRole('heading', { name: 'Policies' }).waitFor();
    expect(await s.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(s.page, 'narrow-policies');
    await s.page.setViewportSize({ width: 1280, height: 800 });
  });
});
