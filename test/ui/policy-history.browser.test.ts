// Issue 16, "Policy history", in a real browser (Debian's headless Chromium through
// playwright-core) against a real server: the editor's did-you-mean for a misspelt metric,
// publishing a change nobody previewed asks first, a previewed change is published with its
// impact summary, and after a rollback the history compares the new version with the one it
// replaced, the comparison following the pickers and the URL. Screenshots in test/artifacts/.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, browserSuite, signIn, cursorAt, replaceBefore } from './helpers.ts';
import { POLICY_LINES } from './policies.ts';

/** SUPPORT_POLICY's `csat: { metric: customer-feedback.csat, minSamples: 3 }`. */
const CSAT_FACT_LINE = 15;

const s = browserSuite({ setup: (x) => signIn(x.page, x.ui, 'hr') });

const shot = (p: Page, name: string) => p.screenshot({ path: new URL(`policy-history-${name}.png`, ARTIFACTS).pathname, fullPage: true });

/** Sets the coaching threshold (`value: 3.5` on its line) to another three-character number. */
async function coachingThreshold(p: Page, value: string) {
  await cursorAt(p, POLICY_LINES.coachingCondition, ' }] }'.length);
  await replaceBefore(p, 3, value);
}

const dialog = () => s.page.getByRole('dialog', { name: 'Publish without a preview?' });
const tab = (name: string) => s.page.getByRole('navigation', { name: 'Policy' }).getByRole('link', { name, exact: true });
const picker = (label: 'From' | 'To') => s.page.getByRole('combobox', { name: label });

/** The changed rows of the history's diff: [left number, left text, right number, right text]. */
async function changedRows() {
  const rows = s.page.locator('diff-view tr.changed');
  await rows.first().waitFor();
  const all = [];
  for (const row of await rows.all()) all.push((await row.locator('td').allTextContents()).map((c) => c.replace(/^(changed (from|to)): /, '').trim()));
  return all;
}

describe('policy history and publish, in Chromium', { timeout: 60_000 }, () => {
  it('the editor suggests csat for the misspelt metric `cast`, with or without its plugin', async () => {
    await s.page.goto(`${s.ui.url}/policies/support-quality`);
    await s.page.getByText('No problems').waitFor();
    // `csat: { metric: customer-feedback.csat, minSamples: 3 }` → customer-feedback.cast
    await cursorAt(s.page, CSAT_FACT_LINE, ', minSamples: 3 }'.length);
    await replaceBefore(s.page, 4, 'cast');
    const problems = s.page.getByRole('list', { name: 'Problems' });
    await problems.getByText('No plugin contributes the metric `customer-feedback.cast`').waitFor();
    await expect(problems.textContent()).resolves.toMatch(/Did you mean `customer-feedback\.csat`\?/);
    await expect(problems.textContent()).resolves.not.toMatch(/customer-feedback\.ces/);
    await shot(s.page, 'did-you-mean');
    // the short name alone: `metric: cast`
    await replaceBefore(s.page, 'customer-feedback.cast'.length, 'cast');
    await problems.getByText('`cast` is not a metric id').waitFor();
    await expect(problems.textContent()).resolves.toMatch(/Did you mean `customer-feedback\.csat`\?/);
    await s.page.getByRole('button', { name: 'Discard draft' }).click();
    await s.page.getByText('No problems').waitFor();
  });

  it('publishing a change that was not previewed asks first, and Preview leads to the preview', async () => {
    await coachingThreshold(s.page, '4.2');
    await s.page.getByText('Unpublished changes').waitFor();
    await s.page.getByText('Not previewed yet.').waitFor();
    await s.page.getByLabel('Comment (why this version)').fill('Coach earlier: 4.2 is where satisfaction starts to slip');
    await s.page.getByRole('button', { name: 'Publish', exact: true }).click();
    await dialog().waitFor();
    await expect(dialog().getByText('You have not previewed this change. Publish without knowing who it affects?').isVisible()).resolves.toBe(true);
    // the dialog is modal and has the focus, on its first choice
    expect(await s.page.evaluate(() => document.querySelector('appraise-app')!.shadowRoot!.querySelector('policy-page')!.shadowRoot!.activeElement?.textContent)).toBe('Preview');
    await expect(dialog().getByRole('button').allTextContents()).resolves.toEqual(['Preview', 'Publish anyway']);
    await shot(s.page, 'confirm');
    // Escape keeps the draft and publishes nothing
    await s.page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'hidden' });
    await s.page.getByRole('button', { name: 'Publish', exact: true }).click();
    await dialog().getByRole('button', { name: 'Preview' }).click();
    await s.page.waitForURL(`${s.ui.url}/policies/support-quality/preview`);
    await s.page.getByText('Previewing your draft (based on v1).').waitFor();
    await expect(dialog().count()).resolves.toBe(0);
    await expect((await s.ui.app.store.query('SELECT count(*)::int AS n FROM policy_versions WHERE policy_id = $1', ['support-quality'])).rows[0]).toEqual({ n: 1 });
  });

  it('a previewed change publishes without asking and shows who it affects, and the comment says it was previewed', async () => {
    await s.page.getByRole('button', { name: 'Preview impact' }).click();
    const newly = s.page.locator('section', { has: s.page.getByRole('heading', { name: /Newly affected/ }) });
    await newly.locator('li').first().waitFor();
    const coached = (await newly.locator('li', { has: s.page.locator('.badge.coaching') }).locator('a').allTextContents()).sort();
    expect(coached.length).toBeGreaterThan(0);
    await tab('Edit').click();
    const summary = s.page.locator('form.publish impact-summary');
    const gain = summary.locator('[data-impact="gain-coaching"]');
    await gain.waitFor();
    await expect(gain.textContent()).resolves.toMatch(new RegExp(`newly for ${coached.length}\\b`));
    expect((await gain.locator('a').allTextContents()).sort()).toEqual(coached.slice(0, 8));
    await expect(summary.locator('[data-fairness]').count()).resolves.toBe(1);
    // the summary belongs to this exact text: one more character and it is gone, and back with the text
    await s.page.locator('.cm-content').click();
    await s.page.keyboard.press('Control+End');
    await s.page.keyboard.type('#');
    await s.page.getByText('Not previewed yet.').waitFor();
    await s.page.keyboard.press('Backspace');
    await gain.waitFor();
    await shot(s.page, 'impact-before-publish');

    await s.page.getByLabel('Comment (why this version)').fill('Coach earlier: 4.2 is where satisfaction starts to slip');
    await s.page.getByRole('button', { name: 'Publish', exact: true }).click();
    await s.page.getByText('Published v2.').waitFor();
    await expect(dialog().count()).resolves.toBe(0);
    const published = s.page.locator('section[data-published="2"]');
    await published.getByRole('heading', { name: 'Who v2 affects' }).waitFor();
    await expect(published.locator('[data-impact="gain-coaching"]').textContent()).resolves.toMatch(new RegExp(`newly for ${coached.length}\\b`));
    await expect(s.page.locator('.meta').textContent()).resolves.toMatch(new RegExp(`Coach earlier: 4\\.2 is where satisfaction starts to slip \\(Previewed before publishing: newly ${coached.length} coaching.*\\.\\)`));
    await shot(s.page, 'impact-after-publish');
  });

  it('"Publish anyway" publishes, and the comment says it was not previewed', async () => {
    await coachingThreshold(s.page, '4.0');
    await s.page.getByLabel('Comment (why this version)').fill('4.2 coached too many');
    await s.page.getByRole('button', { name: 'Publish', exact: true }).click();
    await dialog().getByRole('button', { name: 'Publish anyway' }).click();
    await s.page.getByText('Published v3.').waitFor();
    await s.page.locator('section[data-published="3"]').getByText('Published without a preview').waitFor();
    await expect(s.page.locator('.meta').textContent()).resolves.toMatch(/4\.2 coached too many \(Published without a preview\.\)/);
  });

  it('the history compares the latest version with the one before it, follows the pickers and the URL, and after a rollback shows the new version against its predecessor', async () => {
    await tab('History').click();
    await s.page.waitForURL(`${s.ui.url}/policies/support-quality/history`);
    // default: v3 against v2
    await expect(changedRows()).resolves.toEqual([[String(POLICY_LINES.coachingCondition), 'when: { any: [{ fact: csat, operator: lessThan, value: 4.2 }] }', String(POLICY_LINES.coachingCondition), 'when: { any: [{ fact: csat, operator: lessThan, value: 4.0 }] }']]);
    await expect(picker('From').inputValue()).resolves.toBe('2');
    await expect(picker('To').inputValue()).resolves.toBe('3');

    // a picker changes the comparison and the URL
    await picker('From').selectOption('1');
    await s.page.waitForURL(`${s.ui.url}/policies/support-quality/history?from=1&to=3`);
    await s.page.locator('diff-view').getByText('v1', { exact: true }).first().waitFor();
    await expect.poll(() => changedRows().then((r) => r[0]?.[1])).toBe('when: { any: [{ fact: csat, operator: lessThan, value: 3.5 }] }');
    await expect(s.page.locator('tr[data-compare]').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-version')}:${r.getAttribute('data-compare')}`))).resolves.toEqual(['3:to', '1:from']);
    // the URL survives a reload and drives the pickers
    await s.page.reload();
    await expect.poll(() => picker('From').inputValue()).toBe('1');
    await expect(picker('To').inputValue()).resolves.toBe('3');
    await s.page.goto(`${s.ui.url}/policies/support-quality/history?from=1&to=2`);
    await expect.poll(() => picker('To').inputValue()).toBe('2');
    await expect.poll(() => changedRows().then((r) => r[0]?.[3])).toBe('when: { any: [{ fact: csat, operator: lessThan, value: 4.2 }] }');
    // a row's "v2 → v3" link selects that pair
    await s.page.getByRole('link', { name: 'v2 → v3' }).click();
    await s.page.waitForURL(`${s.ui.url}/policies/support-quality/history?from=2&to=3`);
    await expect.poll(() => picker('From').inputValue()).toBe('2');
    await expect(s.page.getByRole('link', { name: 'v2 → v3' }).getAttribute('aria-current')).resolves.toBe('true');
    await shot(s.page, 'compare-picked');

    // roll back to v1 while v2 → v3 is selected: v4 (v1's text) is then compared with v3
    await s.page.locator('tr[data-version="1"]').getByRole('button', { name: 'Roll back to v1' }).click();
    await s.page.getByLabel('Comment').fill('back to the original thresholds');
    await s.page.getByRole('button', { name: "Publish v1's text" }).click();
    await s.page.getByText('Rolled back: v4 has the text of v1.').waitFor();
    await s.page.waitForURL(`${s.ui.url}/policies/support-quality/history`);
    await expect.poll(() => picker('To').inputValue()).toBe('4');
    await expect(picker('From').inputValue()).resolves.toBe('3');
    await expect.poll(() => changedRows()).toEqual([[String(POLICY_LINES.coachingCondition), 'when: { any: [{ fact: csat, operator: lessThan, value: 4.0 }] }', String(POLICY_LINES.coachingCondition), 'when: { any: [{ fact: csat, operator: lessThan, value: 3.5 }] }']]);
    await expect(s.page.locator('tr[data-version="4"]').textContent()).resolves.toMatch(/rollback to v1/);
    await shot(s.page, 'after-rollback');

    // and from the default comparison: rolling back to v2 compares v5 with v4
    await s.page.locator('tr[data-version="2"]').getByRole('button', { name: 'Roll back to v2' }).click();
    await s.page.getByRole('button', { name: "Publish v2's text" }).click();
    await s.page.getByText('Rolled back: v5 has the text of v2.').waitFor();
    await expect.poll(() => picker('To').inputValue()).toBe('5');
    await expect(picker('From').inputValue()).resolves.toBe('4');
    await expect.poll(() => changedRows().then((r) => [r[0]?.[1], r[0]?.[3]])).toEqual(['when: { any: [{ fact: csat, operator: lessThan, value: 3.5 }] }', 'when: { any: [{ fact: csat, operator: lessThan, value: 4.2 }] }']);
    expect(s.page.url()).toBe(`${s.ui.url}/policies/support-quality/history`);
  });

  it('nothing was logged to the console as an error', () => {
    expect(s.errors).toEqual([]);
  });
});
