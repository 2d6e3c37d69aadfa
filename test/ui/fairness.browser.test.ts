// The Fairness screen in a real browser, as HR uses it: found in the navigation, a date range,
// per cycle the people with an unknown category and the groups too small to judge (with the
// reason), the groups of each attribute and of gender × ethnicity, the CSV downloaded and the
// printable page opened; no serious accessibility problem. A viewer has no Fairness screen.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { axeViolations, formatViolations } from './axe.ts';
import { ARTIFACTS, browserSuite, signIn } from './helpers.ts';

const s = browserSuite({
  seed: async (ui) => {
    // Ethnicity for the agents: mostly A and B, one C (a group of one), two unknown (one "Prefer
    // not to say", one not recorded); one agent without a gender.
    const agents = (await ui.app.store.query<{ id: string; attributes: Record<string, unknown> }>(`SELECT id, attributes FROM employees WHERE role = 'agent' ORDER BY id`)).rows;
    const last = agents.length - 1;
    for (const [i, a] of agents.entries()) {
      const ethnicity = i === last - 2 ? 'C' : i === last - 1 ? 'Prefer not to say' : i === last ? undefined : i % 2 ? 'A' : 'B';
      const attributes = { ...(i === 0 ? {} : { gender: a.attributes.gender }), ...(ethnicity ? { ethnicity } : {}) };
      await ui.app.store.query(`UPDATE employees SET attributes = $2::jsonb, updated_at = now() WHERE id = $1`, [a.id, JSON.stringify(attributes)]);
    }
    Object.assign(ui.app.config.fairness, { protectedAttributes: ['gender', 'ethnicity'], intersections: [['gender', 'ethnicity']], minGroupSize: 3, minGroupShare: 0.02, unknownValues: ['Prefer not to say'] });
  },
});

const from = new Date(Date.now() - 100 * 86_400_000).toISOString().slice(0, 10);

describe('the Fairness screen', () => {
  it('HR finds it, picks a range and reads, per cycle, unknown counts, suppressed groups and the groups compared; axe finds nothing serious', async () => {
    const page = s.page;
    await signIn(page, s.ui, 'hr');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fairness' }).click();
    await page.getByRole('heading', { name: 'Fairness', level: 1 }).waitFor();
    await page.getByLabel('From').fill(from);
    await page.getByRole('button', { name: 'Show report' }).click();
    await page.getByRole('heading', { level: 2 }).first().waitFor({ timeout: 30_000 });
    const headings = await page.getByRole('heading', { level: 2 }).allTextContents();
    // Three monthly runs of each published policy: a heading per policy and cycle.
    expect(headings.length).toBeGreaterThanOrEqual(3);
    for (const h of headings) expect(h).toMatch(/^\d{4}-(\d{2}|Q\d): /);
    const text = (await page.locator('fairness-page').locator('*').allTextContents()).join(' ');
    expect(text).toContain('People with an unknown category');
    expect(text).toContain('gender: 1 person, counted and left out of the ratios');
    expect(text).toContain('ethnicity: 2 people, counted and left out of the ratios');
    expect(text).toContain('gender × ethnicity: 3 people, counted and left out of the ratios');
    expect(text).toMatch(/ethnicity "C" \(1 person\): fewer than 3 people and under 2% of the \d+ people evaluated|ethnicity "C" \(1 person\): fewer than 3 people/);
    expect(text).toContain('by gender × ethnicity');
    expect(text).toContain('Unknown category');
    expect(text).toContain('(four-fifths rule)');
    const violations = await axeViolations(page);
    await page.screenshot({ path: new URL('fairness-hr.png', ARTIFACTS).pathname, fullPage: true });
    expect(violations, formatViolations('fairness', violations)).toEqual([]);
  }, 120_000);

  it('downloads the CSV and opens the printable page', async () => {
    const page = s.page;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^fairness-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toBe('policy,version,cycle,run,as_of,outcome,attribute,group,size,selected,selection_rate,favourable_rate,impact_ratio,fisher_p,result,reason');
    expect(csv).toContain(',gender × ethnicity,(unknown),3,');
    const [printable] = await Promise.all([s.browser.context.waitForEvent('page'), page.getByRole('button', { name: 'Open printable page' }).click()]);
    await printable.getByRole('heading', { name: /^Fairness audit: / }).waitFor();
    expect(await printable.getByText('Counted as unknown: "Prefer not to say".', { exact: false }).count()).toBe(1);
    await printable.close();
  }, 60_000);

  it('a viewer has no Fairness screen', async () => {
    const page = await s.newPage();
    await signIn(page, s.ui, 'viewer');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).resolves.not.toContain('Fairness');
    await page.goto(`${s.ui.url}/fairness`);
    await page.getByText('Fairness reports are for HR and administrators.').waitFor();
    await page.close();
  }, 60_000);
});
