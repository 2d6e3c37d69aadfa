// Accessibility (issue 16): axe-core in Debian's headless Chromium on every screen of the admin
// UI, as each role that can see it, and on the dashboard's 390-pixel layout. A screen passes
// with no serious or critical violation; a failure names the rule, its impact, the elements
// and axe's help page. Each screen leaves test/artifacts/a11y-<role>-<screen>.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Role } from '../../core/auth/tokens.ts';
import { axeViolations, formatViolations } from './axe.ts';
import { ARTIFACTS, browserSuite, signIn } from './helpers.ts';
import { SUPPORT_POLICY } from './policies.ts';
import { openCycle } from '../../core/people/reviews/cycles.ts';
import { currentQuarter, daysFromToday } from '../../ui/lib/review-words.ts';
import { quarterlyTemplate } from '../people/reviews-helpers.ts';
import { raiseDispute } from '../../core/people/disputes/disputes.ts';

/** Cases to open: the proposed PIP of the employee signed in as `employee`, and a coaching case in the manager's line. */
const cases = { pip: 0, coaching: 0, review: 0 };
const s = browserSuite({
  seed: async (ui) => {
    const q = (sql: string, params: unknown[]) => ui.app.store.query<{ id: number }>(sql, params).then((r) => Number(r.rows[0]?.id));
    cases.pip = await q(`SELECT id FROM cases WHERE type = 'pip' AND employee_id = $1 ORDER BY id LIMIT 1`, [ui.ids.employee]);
    // A review cycle of this quarter, so the Reviews screen and a review page have data.
    const { template, templateYaml } = await quarterlyTemplate();
    await openCycle(ui.app.store, { period: currentQuarter(), template, templateYaml, appliesTo: { roles: ['agent'] }, due: { self: daysFromToday(14), manager: daysFromToday(28), signoff: daysFromToday(42) }, actor: 'fixture' });
    cases.review = await q(`SELECT id FROM reviews WHERE employee_id = $1`, [ui.ids.employee]);
    cases.coaching = await q(`SELECT c.id FROM cases c JOIN employees e ON e.id = c.employee_id WHERE c.type = 'coaching' AND e.manager_id = $1 ORDER BY c.id LIMIT 1`, [ui.ids.manager]);
    // An open dispute on the coaching case, for the Disputes view and HR's resolve form.
    await raiseDispute(ui.app.store, { name: 'ui-manager', role: 'manager', employeeId: ui.ids.manager }, { subjectType: 'case', subjectId: cases.coaching, reason: 'The sample was taken in the week of the outage.' });
  },
});

/** Waits until the screen has drawn its data: a heading, no loading state, then what `ready` names. */
async function settled(page: Page, ready?: string) {
  await page.locator('h1').first().waitFor();
  await expect.poll(() => page.locator('.loading').count(), { timeout: 20_000 }).toBe(0);
  if (ready) await page.locator(ready).first().waitFor({ timeout: 20_000 });
}

/** Runs axe on the page as it is, leaves a screenshot, and fails with what axe found. */
async function audit(page: Page, name: string) {
  const violations = await axeViolations(page);
  await page.screenshot({ path: new URL(`a11y-${name}.png`, ARTIFACTS).pathname, fullPage: true });
  expect(violations, formatViolations(name, violations)).toEqual([]);
}

interface Screen {
  name: string;
  roles: Role[];
  /** Opens the screen on a signed-in page and waits until it has drawn. */
  open(page: Page, role: Role): Promise<void>;
}

const ALL: Role[] = ['admin', 'hr', 'manager', 'employee', 'viewer'];
const STAFF: Role[] = ['admin', 'hr', 'manager', 'viewer'];
/** A draft that coaches earlier than v1, so the preview has people to list and explain. */
const DRAFT = SUPPORT_POLICY.replace('operator: lessThan, value: 3.5', 'operator: lessThan, value: 4.2');
/** A draft with an unknown operator, so the editor shows a diagnostic in the text and in the problems list. */
const BROKEN = SUPPORT_POLICY.replace('operator: lessThan, value: 3.5', 'operator: lessThen, value: 3.5');

const go = (page: Page, path: string) => page.goto(`${s.ui.url}${path}`);
const withDraft = (page: Page, yaml: string) => page.evaluate(([key, value]) => sessionStorage.setItem(key, value), ['appraise.draft.support-quality', JSON.stringify({ yaml, baseVersion: 1 })]);
const dropDraft = (page: Page) => page.evaluate(() => sessionStorage.removeItem('appraise.draft.support-quality'));

const SCREENS: Screen[] = [
  { name: 'dashboard', roles: STAFF, open: async (p) => { await go(p, '/'); await settled(p, 'trend-chart canvas'); } },
  { name: 'policies', roles: STAFF, open: async (p) => { await go(p, '/policies'); await settled(p, 'a[href^="/policies/"]'); } },
  {
    name: 'policy-editor', roles: STAFF,
    open: async (p) => { await dropDraft(p); await go(p, '/policies/support-quality'); await settled(p, '.cm-gutters'); await p.getByText('No problems').waitFor(); },
  },
  {
    name: 'policy-editor-problem', roles: ['admin', 'hr'],
    open: async (p) => {
      await withDraft(p, BROKEN);
      await go(p, '/policies/support-quality');
      await settled(p, '.cm-lintRange-error');
      await p.getByRole('list', { name: 'Problems' }).waitFor();
    },
  },
  {
    name: 'policy-preview', roles: ['admin', 'hr'],
    open: async (p) => {
      await withDraft(p, DRAFT);
      await go(p, '/policies/support-quality/preview');
      await settled(p);
      await p.getByRole('button', { name: 'Preview impact' }).click();
      const newly = p.locator('section', { has: p.getByRole('heading', { name: /Newly affected/ }) });
      await newly.locator('li').first().waitFor({ timeout: 20_000 });
      await newly.getByRole('button', { name: 'Explain' }).first().click();
      await p.locator('fairness-report').first().waitFor();
      await newly.locator('rule-in-words').first().waitFor();
    },
  },
  {
    name: 'policy-backtest', roles: ['admin', 'hr'],
    open: async (p) => {
      await withDraft(p, DRAFT);
      await go(p, '/policies/support-quality/backtest');
      await settled(p);
      await p.getByLabel('Each').selectOption('quarter');
      await p.getByRole('button', { name: 'Run backtest' }).click();
      await p.locator('table.cycles tbody tr').first().waitFor({ timeout: 20_000 });
      await p.locator('details[data-cycle] summary').last().click();
      await p.locator('details[open] fairness-report').waitFor();
    },
  },
  {
    name: 'policy-history', roles: STAFF,
    open: async (p) => { await dropDraft(p); await go(p, '/policies/success-nps/history'); await settled(p, 'diff-view tr.changed'); },
  },
  { name: 'policy-notice', roles: STAFF, open: async (p) => { await go(p, '/policies/support-quality/notice'); await settled(p, 'worker-notice-view section'); } },
  { name: 'my-notices', roles: ['manager', 'employee'], open: async (p) => { await go(p, '/how-i-am-evaluated'); await settled(p, 'worker-notice-view section, .empty'); } },
  { name: 'cases', roles: STAFF, open: async (p) => { await go(p, '/cases'); await settled(p, 'tr[data-case]'); } },
  { name: 'case-pip', roles: ALL, open: async (p) => { await go(p, `/cases/${cases.pip}`); await settled(p, 'case-timeline li'); } },
  {
    name: 'case-pip-approve', roles: ['admin', 'hr'],
    open: async (p) => {
      await go(p, `/cases/${cases.pip}`);
      await settled(p, 'case-timeline li');
      await p.getByRole('button', { name: 'Approve' }).click();
      await p.locator('case-action-form textarea').first().waitFor();
    },
  },
  {
    name: 'case-pip-approve-measured', roles: ['admin', 'hr'],
    open: async (p) => {
      await go(p, `/cases/${cases.pip}`);
      await settled(p, 'case-timeline li');
      await p.getByRole('button', { name: 'Approve' }).click();
      await p.getByRole('button', { name: 'Add a measured goal' }).click();
      await p.getByLabel('Metric').selectOption({ label: 'Customer satisfaction (CSAT)' });
      await p.getByLabel(/Target/).waitFor();
    },
  },
  {
    name: 'employee-goal-form', roles: ['admin', 'hr', 'manager', 'employee'],
    open: async (p) => {
      await go(p, `/employees/${s.ui.ids.employee}`);
      await settled(p, 'employee-goals h2');
      await p.locator('employee-goals').getByRole('button', { name: /Add a goal|Propose a goal/ }).click();
      await p.locator('goal-form form').waitFor();
    },
  },
  { name: 'case-coaching', roles: STAFF, open: async (p) => { await go(p, `/cases/${cases.coaching}`); await settled(p, 'case-timeline li'); } },
  { name: 'disputes', roles: STAFF, open: async (p) => { await go(p, '/cases/disputes?status=all'); await settled(p, 'tr[data-dispute]'); } },
  {
    name: 'disputes-resolve', roles: ['admin', 'hr'],
    open: async (p) => {
      await go(p, '/cases/disputes');
      await settled(p, 'tr[data-dispute]');
      await p.getByRole('button', { name: 'Resolve' }).first().click();
      await p.locator('dispute-resolve-form textarea').waitFor();
    },
  },
  {
    name: 'case-pip-dispute', roles: ['employee'],
    open: async (p) => {
      await go(p, `/cases/${cases.pip}`);
      await settled(p, 'case-timeline li');
      await p.getByRole('button', { name: 'Dispute this' }).click();
      await p.locator('dispute-panel textarea').waitFor();
    },
  },
  { name: 'employees', roles: STAFF, open: async (p) => { await go(p, '/employees'); await settled(p, 'tbody tr'); } },
  { name: 'employee', roles: ALL, open: async (p) => { await go(p, `/employees/${s.ui.ids.employee}`); await settled(p, 'trend-chart canvas'); } },
  { name: 'my-cases', roles: ['employee'], open: async (p) => { await go(p, '/my-cases'); await settled(p, 'article'); } },
  { name: 'runs', roles: ['admin', 'hr', 'viewer'], open: async (p) => { await go(p, '/runs'); await settled(p, 'tr[data-run]'); } },
  { name: 'plugins', roles: STAFF, open: async (p) => { await go(p, '/plugins'); await settled(p, 'tr[data-plugin]'); } },
  // No source is configured here (its states are audited in sources.browser.test.ts).
  { name: 'sources', roles: ['admin', 'hr'], open: async (p) => { await go(p, '/sources'); await settled(p, '.empty, section[data-source]'); } },
  { name: 'reviews', roles: ALL, open: async (p) => { await go(p, '/reviews'); await settled(p, 'table[aria-label="Reviews of the cycle"]'); } },
  { name: 'review', roles: ALL, open: async (p) => { await go(p, `/reviews/${cases.review}`); await settled(p, 'review-packet-view section[data-section="training"]'); } },
  { name: 'notifications', roles: ['admin', 'hr'], open: async (p) => { await go(p, '/notifications'); await settled(p, 'notifications-page table'); } },
  { name: 'tokens', roles: ['admin'], open: async (p) => { await go(p, '/tokens'); await settled(p, 'tbody tr'); } },
  { name: 'kudos', roles: ALL, open: async (p) => { await go(p, '/kudos'); await settled(p, 'kudos-page #h-kudos-wall'); } },
  { name: 'not-found', roles: ['admin'], open: async (p) => { await go(p, '/no-such-page'); await settled(p); } },
];

describe('accessibility: no serious or critical axe-core violation', { timeout: 90_000 }, () => {
  it('sign-in page', async () => {
    const page = await s.browser.context.newPage();
    await page.goto(s.ui.url);
    await page.getByLabel('API token').waitFor();
    await audit(page, 'signed-out-sign-in');
    // …and with the error a wrong token gets
    await page.getByLabel('API token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await audit(page, 'signed-out-sign-in-error');
    await page.close();
  });

  for (const role of ALL) {
    describe(`as ${role}`, () => {
      let page: Page;
      beforeAll(async () => {
        page = await s.browser.context.newPage();
        await signIn(page, s.ui, role);
      });
      afterAll(() => page?.close());

      for (const screen of SCREENS.filter((x) => x.roles.includes(role))) {
        it(screen.name, async () => {
          await screen.open(page, role);
          await audit(page, `${role}-${screen.name}`);
        });
      }
    });
  }

  it('dashboard on a 390-pixel screen, menu open', async () => {
    const page = await s.browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, s.ui, 'hr');
    await settled(page, 'trend-chart canvas');
    await audit(page, 'hr-narrow-dashboard');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Policies' }).waitFor();
    await audit(page, 'hr-narrow-dashboard-menu');
    await page.close();
  });
});
