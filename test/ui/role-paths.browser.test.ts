// Each role's main path through the admin UI, end to end, in Debian's headless Chromium against a
// real server (issue 16): HR from the dashboard through the case queue to approving a PIP with
// its plan, then previewing a policy draft (with its four-fifths fairness report) and publishing
// it; a manager who sees only their own line and books a coaching session; an employee who reads
// their approved plan and acknowledges it; an admin who creates a token, sees its secret once,
// and revokes it. On every screen a path visits: no serious or critical axe-core violation, and
// a screenshot in test/artifacts/role-paths/<role>-<step>.png; over the whole path, no console
// error and no uncaught exception.
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Role } from '../../core/auth/tokens.ts';
import { axeViolations, formatViolations } from './axe.ts';
import { ARTIFACTS, browserSuite, cursorAt, replaceBefore, signIn } from './helpers.ts';
import { POLICY_LINES } from './policies.ts';

const SHOTS = new URL('role-paths/', ARTIFACTS);
const DAY = 86_400_000;
const s = browserSuite({ setup: async () => { mkdirSync(SHOTS, { recursive: true }); } });

interface CaseItem { id: number; employeeId: string; employeeName: string | null; type: string; status: string; team: string | null }
interface CaseDetail extends CaseItem {
  goals: string[] | null; dueAt: string | null; checkInEveryDays: number | null; support: string | null; scheduledFor: string | null;
  events: Array<{ event: string; from?: string; to?: string; actor: string; note?: string | null }>;
}

/** The HTTP API as a role's token sees it (what a script or the next screen would read). */
async function api<T>(role: Role | string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const token = role in s.ui.tokens ? s.ui.tokens[role as Role] : role;
  const res = await fetch(`${s.ui.url}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function get<T>(role: Role, path: string): Promise<T> {
  const r = await api<T>(role, 'GET', path);
  expect(r.status, `GET ${path} as ${role}: ${JSON.stringify(r.body)}`).toBe(200);
  return r.body;
}

/** Waits until the screen has drawn: its heading there and no loading state left anywhere on it. */
async function settled(page: Page) {
  await page.locator('h1').first().waitFor();
  await expect.poll(() => page.locator('.loading').count(), { timeout: 20_000 }).toBe(0);
}

/** One step of a path: a screenshot of the screen as it is, then axe-core on it. */
async function step(page: Page, role: Role, name: string) {
  await page.screenshot({ path: new URL(`${role}-${name}.png`, SHOTS).pathname, fullPage: true });
  const violations = await axeViolations(page);
  expect(violations, formatViolations(`${role}: ${name}`, violations)).toEqual([]);
}

/** The element that has the keyboard focus, through the shadow roots: its tag and id. */
const focused = (page: Page) => page.evaluate(() => {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a ? `${a.tagName.toLowerCase()}${a.id ? `#${a.id}` : ''}` : null;
});

/** Whether the keyboard focus is inside the screen (in <main>, not on it), past the header and its menu. */
const inMain = (page: Page) => page.evaluate(() => {
  const shell = document.querySelector('appraise-app')?.shadowRoot?.activeElement;
  return !!shell && shell.tagName !== 'MAIN' && !!shell.closest('main');
});

/** A calendar day `days` from today (UTC), as `YYYY-MM-DD` and as the UI shows a date. */
function dayAhead(days: number) {
  const d = new Date(Date.now() + days * DAY);
  return { iso: d.toISOString().slice(0, 10), shown: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(d) };
}

/** A page of the suite's browser for one role's path; its errors are the ones logged from now on. */
async function pathPage() {
  const from = s.errors.length;
  const page = await s.newPage();
  return { page, errors: () => s.errors.slice(from) };
}

/** The cases the list on the screen shows, in its order. */
const rowIds = (page: Page) => page.locator('tr[data-case]').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-case'))));

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

describe('each role walks its main path in Chromium', { timeout: 120_000 }, () => {
  it('HR: dashboard → case queue → approves a proposed PIP with its plan → previews a policy draft with its fairness report → publishes it', async () => {
    const { page, errors } = await pathPage();
    await signIn(page, s.ui, 'hr');
    await page.getByRole('heading', { name: 'Metrics by team and department' }).waitFor();
    await page.locator('trend-chart canvas').first().waitFor({ timeout: 20_000 });
    await settled(page);
    await expect(page.locator('[data-role="hr"]').textContent()).resolves.toBe('HR');

    // A keyboard user skips the navigation: the first Tab on a freshly loaded page (the reload
    // starts the Tab order from the top, not from where the sign-in form was) reaches "Skip to
    // content", which puts the focus on the screen itself, so the next Tab lands in the screen.
    await page.reload();
    await page.locator('trend-chart canvas').first().waitFor({ timeout: 20_000 });
    await settled(page);
    const skip = page.getByRole('link', { name: 'Skip to content' });
    const onScreen = async () => { const box = await skip.boundingBox(); return !!box && box.x >= 0 && box.y >= 0; };
    await expect(onScreen()).resolves.toBe(false);
    await page.keyboard.press('Tab');
    await expect.poll(() => skip.evaluate((a) => a.matches(':focus'))).toBe(true);
    await expect(onScreen()).resolves.toBe(true);
    const before = page.url();
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('main#main');
    expect(page.url(), 'skipping is no navigation: Back still leaves the page').toBe(before);
    await page.keyboard.press('Tab');
    await expect.poll(() => inMain(page)).toBe(true);
    await step(page, 'hr', 'dashboard');

    // The case queue opens on what waits for HR: the proposed PIPs. One that is not the
    // employee's of the employee path below.
    await nav(page, 'Cases').click();
    await page.locator('tr[data-case]').first().waitFor();
    await settled(page);
    const queue = await get<{ cases: CaseItem[] }>('hr', '/api/cases?view=mine&pageSize=25');
    const pip = queue.cases.find((c) => c.type === 'pip' && c.status === 'proposed' && c.employeeId !== s.ui.ids.employee);
    expect(pip, 'a proposed PIP in HR\'s queue').toBeDefined();
    const row = page.locator(`tr[data-case="${pip!.id}"]`);
    await expect(row.locator('td').allInnerTexts()).resolves.toEqual(expect.arrayContaining([pip!.employeeName, 'PIP', 'proposed', 'Approve or reject']));
    await expect(page.getByRole('navigation', { name: 'Case views' }).getByRole('link', { name: 'Needs my action' }).getAttribute('aria-current')).resolves.toBe('page');
    await step(page, 'hr', 'case-queue');

    await row.getByRole('link', { name: `#${pip!.id}` }).click();
    await page.getByRole('heading', { name: `Case ${pip!.id}: ${pip!.employeeName}` }).waitFor();
    await page.getByRole('heading', { name: 'Why this case was opened' }).waitFor();
    await settled(page);
    await expect(page.locator('[data-status]').textContent()).resolves.toBe('proposed');
    await expect(page.getByText('No plan yet').isVisible()).resolves.toBe(true);
    await step(page, 'hr', 'pip-proposed');

    // Approving asks for the plan: goals (suggested from the numbers), end date, check-ins, support.
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    const form = page.locator('case-action-form');
    const goals = form.getByRole('textbox', { name: /Goals/ });
    await expect(goals.inputValue()).resolves.toMatch(/^Bring csat to at least 2\.5 by the end of the plan \(now [\d.]+\)$/);
    const suggested = await goals.inputValue();
    const ends = dayAhead(90);
    await goals.fill(`${suggested}\nAnswer every survey comment within two working days`);
    await form.getByLabel(/End date/).fill(ends.iso);
    await form.getByLabel(/Check in every/).fill('7');
    await form.getByRole('textbox', { name: /Support offered/ }).fill('Weekly coaching with the team lead; the customer-care refresher course.');
    await form.getByRole('textbox', { name: /Note/ }).fill('Three months under 2.5; agreed with the team lead.');
    await step(page, 'hr', 'pip-approve-form');
    await form.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Approve: the case is now approved.').waitFor();
    await expect.poll(() => page.locator('[data-status]').textContent()).toBe('approved');
    const plan = page.getByRole('region', { name: 'Plan' });
    await expect.poll(() => plan.textContent()).toMatch(new RegExp(
      `Goals[\\s\\S]*Bring csat to at least 2\\.5[\\s\\S]*Answer every survey comment within two working days[\\s\\S]*`
      + `Support offered[\\s\\S]*Weekly coaching with the team lead[\\s\\S]*Ends${ends.shown}[\\s\\S]*every 7 days once the plan starts[\\s\\S]*Approved byui-hr`,
    ));
    await expect.poll(() => page.locator('case-timeline li').last().textContent()).toMatch(/proposed → approved[\s\S]*ui-hr[\s\S]*Three months under 2\.5/);
    await expect(page.getByRole('button', { name: 'Approve', exact: true }).count()).resolves.toBe(0);
    await settled(page);
    await step(page, 'hr', 'pip-approved');
    const approved = await get<CaseDetail>('hr', `/api/cases/${pip!.id}`);
    expect(approved).toMatchObject({
      status: 'approved', goals: [suggested, 'Answer every survey comment within two working days'], checkInEveryDays: 7,
      support: 'Weekly coaching with the team lead; the customer-care refresher course.',
    });
    expect(approved.dueAt?.slice(0, 10)).toBe(ends.iso);

    // The policy: a draft that coaches earlier, previewed, then published.
    await nav(page, 'Policies').click();
    await page.getByRole('link', { name: 'Support quality monthly review' }).click();
    await page.getByText('No problems').waitFor();
    await settled(page);
    await step(page, 'hr', 'policy-editor');
    await cursorAt(page, POLICY_LINES.coachingCondition, ' }] }'.length);
    await replaceBefore(page, 3, '4.2');
    await page.getByText('Unpublished changes').waitFor();
    await expect(page.locator('[data-preview="none"]').textContent()).resolves.toMatch(/Not previewed yet/);
    await page.getByText('No problems').waitFor();
    await step(page, 'hr', 'policy-draft');

    await page.getByRole('navigation', { name: 'Policy' }).getByRole('link', { name: 'Preview' }).click();
    await page.getByText('Previewing your draft (based on v1).').waitFor();
    await page.getByRole('button', { name: 'Preview impact' }).click();
    const newly = page.getByRole('region', { name: /Newly affected/ });
    await newly.locator('li').first().waitFor({ timeout: 30_000 });
    await expect(newly.locator('.badge.coaching').count()).resolves.toBeGreaterThan(0);
    // The fairness report: the four-fifths rule's verdict, then the groups by the protected attribute.
    const fairness = page.locator('fairness-report');
    await expect(fairness.locator('.notice').first().textContent()).resolves.toMatch(/four-fifths rule/);
    await expect(fairness.locator('caption').first().textContent()).resolves.toMatch(/by gender/);
    await expect(fairness.getByRole('columnheader', { name: 'Impact ratio' }).first().isVisible()).resolves.toBe(true);
    await expect(fairness.locator('tbody tr').count()).resolves.toBeGreaterThanOrEqual(2);
    await settled(page);
    await step(page, 'hr', 'policy-preview');

    // Back to the editor: Publish shows what the preview found, and publishes without asking.
    await page.getByRole('navigation', { name: 'Policy' }).getByRole('link', { name: 'Edit' }).click();
    const impact = page.getByRole('region', { name: 'Who this change affects' });
    await impact.locator('[data-impact="gain-coaching"]').waitFor();
    await expect(impact.locator('[data-fairness]').textContent()).resolves.toMatch(/four-fifths rule/);
    await page.getByLabel('Comment (why this version)').fill('Coach earlier: 4.2 is where satisfaction starts to slip');
    await step(page, 'hr', 'policy-publish-form');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText('Published v2.').waitFor();
    await expect(page.getByRole('dialog').count()).resolves.toBe(0);
    await page.locator('[data-published="2"]').getByRole('heading', { name: 'Who v2 affects' }).waitFor();
    await expect(page.getByText('The editor holds v2 as published.').isVisible()).resolves.toBe(true);
    await settled(page);
    await step(page, 'hr', 'policy-published');
    const policy = await get<{ latest: { version: number; yaml: string; comment: string; author: string } }>('hr', '/api/policies/support-quality');
    expect(policy.latest.version).toBe(2);
    expect(policy.latest.yaml).toContain('operator: lessThan, value: 4.2');
    expect(policy.latest.comment).toMatch(/^Coach earlier: 4\.2 is where satisfaction starts to slip \(Previewed before publishing: newly \d+ coaching.*; (no fairness flags|\d+ fairness flags?)\.\)$/);

    expect(errors()).toEqual([]);
    await page.close();
  });

  it("manager: sees only their own line in the queue → schedules the coaching of one of their people", async () => {
    const { page, errors } = await pathPage();
    const everyone = await get<{ employees: Array<{ id: string; name: string; managerId?: string }> }>('hr', '/api/employees?pageSize=200');
    const line = everyone.employees.filter((e) => e.managerId === s.ui.ids.manager);
    expect(line.length).toBeGreaterThan(0);
    const inLine = new Set(line.map((e) => e.id));
    // Someone with coaching of their own, in another manager's line: HR sees their cases; this manager must not.
    const hrCoaching = await get<{ cases: CaseItem[] }>('hr', '/api/cases?view=all&type=coaching&pageSize=200');
    const outsider = hrCoaching.cases.find((c) => !inLine.has(c.employeeId));
    expect(outsider, 'a coaching case outside the manager\'s line').toBeDefined();

    await signIn(page, s.ui, 'manager');
    await page.locator('trend-chart canvas').first().waitFor({ timeout: 20_000 });
    await settled(page);
    await expect(page.locator('[data-role="manager"]').textContent()).resolves.toBe('Manager');
    await step(page, 'manager', 'dashboard');

    await nav(page, 'Cases').click();
    const mine = await get<{ cases: CaseItem[] }>('manager', '/api/cases?view=mine&pageSize=25');
    await expect.poll(() => rowIds(page)).toEqual(mine.cases.map((c) => c.id));
    await settled(page);
    const rows = page.locator('tr[data-case]');
    const shownNames = () => rows.evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td')[1].textContent!.trim()));
    const lineNames = new Set(line.map((e) => e.name));
    expect((await shownNames()).every((n) => lineNames.has(n)), `only ${[...lineNames].join(', ')}`).toBe(true);
    await expect(page.getByRole('link', { name: outsider!.employeeName!, exact: true }).count()).resolves.toBe(0);
    await expect(page.locator('tr[data-step="schedule"]').first().locator('td').allInnerTexts()).resolves.toEqual(expect.arrayContaining(['Coaching', 'open', 'Schedule the session']));
    await step(page, 'manager', 'case-queue');

    // "All cases" is still only their line.
    await page.getByRole('navigation', { name: 'Case views' }).getByRole('link', { name: 'All cases' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('view')).toBe('all');
    const firstPage = await get<{ cases: CaseItem[] }>('manager', '/api/cases?view=all&pageSize=25');
    await expect.poll(() => rowIds(page)).toEqual(firstPage.cases.map((c) => c.id));
    await settled(page);
    const all = await get<{ cases: CaseItem[]; total: number }>('manager', '/api/cases?view=all&pageSize=200');
    expect(all.total).toBe(all.cases.length);
    expect(all.cases.every((c) => inLine.has(c.employeeId))).toBe(true);
    expect((await shownNames()).every((n) => lineNames.has(n))).toBe(true);
    await expect(page.getByRole('link', { name: outsider!.employeeName!, exact: true }).count()).resolves.toBe(0);
    await step(page, 'manager', 'all-cases');
    // Nor can the API be asked for them: the outsider's case is not there for this manager.
    expect((await get<{ total: number }>('manager', `/api/cases?view=all&employeeId=${encodeURIComponent(outsider!.employeeId)}`)).total).toBe(0);
    expect((await api('manager', 'GET', `/api/cases/${outsider!.id}`)).status).toBe(404);

    // Back to what waits for them: the coaching to schedule.
    await page.getByRole('navigation', { name: 'Case views' }).getByRole('link', { name: 'Needs my action' }).click();
    await expect.poll(() => rowIds(page)).toEqual(mine.cases.map((c) => c.id));
    const toSchedule = page.locator('tr[data-step="schedule"]').first();
    const caseId = Number(await toSchedule.getAttribute('data-case'));
    const who = (await toSchedule.locator('td').nth(1).textContent())!.trim();
    expect(lineNames.has(who)).toBe(true);
    await toSchedule.getByRole('link', { name: `#${caseId}` }).click();
    await page.getByRole('heading', { name: `Case ${caseId}: ${who}` }).waitFor();
    await settled(page);
    await expect(page.locator('[data-status]').textContent()).resolves.toBe('open');
    await step(page, 'manager', 'coaching-open');

    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    const form = page.locator('case-action-form');
    const session = `${dayAhead(7).iso}T10:30`;
    await form.getByLabel(/Session date and time/).fill(session);
    await form.getByRole('textbox', { name: /Note/ }).fill('Thirty minutes on the surveys of the last month.');
    await step(page, 'manager', 'schedule-form');
    await form.getByRole('button', { name: 'Schedule' }).click();
    await page.getByText('Schedule: the case is now scheduled.').waitFor();
    await expect.poll(() => page.locator('[data-status]').textContent()).toBe('scheduled');
    // The session reads in the manager's own time, as they entered it.
    const instant = await page.evaluate((local) => new Date(local).toISOString(), session);
    const shownSession = page.locator('dt', { hasText: 'Session' }).locator('xpath=following-sibling::dd[1]');
    await expect.poll(() => shownSession.textContent()).toMatch(new RegExp(`^${dayAhead(7).shown}, 10:30`));
    await expect(page.getByRole('button', { name: 'Mark completed' }).isVisible()).resolves.toBe(true);
    await settled(page);
    await step(page, 'manager', 'coaching-scheduled');
    const scheduled = await get<CaseDetail>('manager', `/api/cases/${caseId}`);
    expect(scheduled).toMatchObject({ status: 'scheduled', scheduledFor: instant });

    // The queue now asks for the session to be completed, not scheduled.
    await page.getByRole('link', { name: '← Cases' }).click();
    const after = page.locator(`tr[data-case="${caseId}"]`);
    await after.waitFor();
    await expect(after.getAttribute('data-step')).resolves.toBe('complete');
    await expect(after.locator('td').allInnerTexts()).resolves.toEqual(expect.arrayContaining(['scheduled', 'Complete the session']));
    await settled(page);
    await step(page, 'manager', 'case-queue-after');

    expect(errors()).toEqual([]);
    await page.close();
  });

  it('employee: My cases → reads the approved PIP plan (goals, support, check-ins, who approved it, what happens next) → acknowledges it', async () => {
    // HR approves one of the employee's proposed PIPs with its plan, through the API.
    const theirs = await get<{ cases: CaseItem[] }>('hr', `/api/cases?view=all&type=pip&status=proposed&employeeId=${s.ui.ids.employee}`);
    const pip = theirs.cases.at(-1);
    expect(pip, 'a proposed PIP of the employee').toBeDefined();
    const ends = dayAhead(60);
    const planned = await api<CaseDetail>('hr', 'POST', `/api/cases/${pip!.id}/transitions`, {
      action: 'approve', note: 'Agreed with the team lead after two months of coaching.',
      data: { goals: ['Bring csat to at least 2.5 by the end of the plan', 'Close every escalated ticket within 3 days'], dueAt: ends.iso, checkInEveryDays: 14, support: 'A weekly hour with the team lead and the de-escalation course.' },
    });
    expect(planned.status, JSON.stringify(planned.body)).toBe(200);

    const { page, errors } = await pathPage();
    await signIn(page, s.ui, 'employee');
    await expect(nav(page, 'My cases').getAttribute('aria-current')).resolves.toBe('page');
    await page.getByRole('heading', { name: 'My cases', level: 1 }).waitFor();
    const card = page.locator(`article[data-case="${pip!.id}"]`);
    await card.waitFor();
    await settled(page);
    await expect(card.getByRole('heading', { level: 2 }).textContent()).resolves.toMatch(/Performance improvement plan[\s\S]*approved/);
    await step(page, 'employee', 'my-cases');

    // The plan, in the employee's words.
    const plan = page.getByRole('region', { name: `Your plan (case ${pip!.id})` });
    await plan.scrollIntoViewIfNeeded();
    await expect(plan.getByRole('heading', { name: 'Your goals' }).isVisible()).resolves.toBe(true);
    await expect(plan.getByRole('listitem').allInnerTexts()).resolves.toEqual(['Bring csat to at least 2.5 by the end of the plan', 'Close every escalated ticket within 3 days']);
    await expect(plan.textContent()).resolves.toMatch(new RegExp(
      'Support you are offered[\\s\\S]*A weekly hour with the team lead and the de-escalation course\\.[\\s\\S]*'
      + `The plan ends${ends.shown}[\\s\\S]*Check-ins with your manager[\\s\\S]*every 14 days, once the plan starts[\\s\\S]*`
      + 'Approved byui-hr on [\\s\\S]*What happens next: Read the plan and acknowledge it\\. Your manager then starts it and the check-ins begin\\.',
    ));
    await expect(plan.isVisible()).resolves.toBe(true);
    await step(page, 'employee', 'plan');

    await card.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByText('You acknowledged the performance improvement plan.').waitFor();
    await expect.poll(() => card.getByRole('heading', { level: 2 }).textContent()).toMatch(/acknowledged/);
    await expect(plan.textContent()).resolves.toMatch(/What happens next: Your manager starts the plan; check-ins then begin\./);
    await expect(card.getByRole('button', { name: 'Acknowledge' }).count()).resolves.toBe(0);
    await settled(page);
    await step(page, 'employee', 'acknowledged');
    const after = await get<CaseDetail>('employee', `/api/cases/${pip!.id}`);
    expect(after.status).toBe('acknowledged');
    expect(after.events.at(-1)).toMatchObject({ event: 'transition', from: 'approved', to: 'acknowledged', actor: 'ui-employee' });

    expect(errors()).toEqual([]);
    await page.close();
  });

  it('admin: creates a token (its secret shown once) and revokes it; the revoked token then gets a 401 from the API', async () => {
    const { page, errors } = await pathPage();
    const name = 'Payroll export';
    await signIn(page, s.ui, 'admin');
    await page.locator('trend-chart canvas').first().waitFor({ timeout: 20_000 });
    await settled(page);
    await step(page, 'admin', 'dashboard');

    await nav(page, 'Access tokens').click();
    await page.getByRole('heading', { name: 'Access tokens', level: 1 }).waitFor();
    await page.locator('tr', { hasText: 'ui-admin' }).waitFor();
    await settled(page);
    await step(page, 'admin', 'tokens');

    await page.locator('token-form #name').fill(name);
    await page.locator('token-form #role').selectOption('viewer');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('heading', { name: `Token “${name}” created` }).waitFor();
    await expect(page.getByText('Copy this token now. It will not be shown again').isVisible()).resolves.toBe(true);
    const secret = await page.locator('#secret').inputValue();
    expect(secret).toMatch(/^apr_[A-Za-z0-9_-]{43}$/);
    await step(page, 'admin', 'token-secret');
    const me = await api<{ name: string; role: string }>(secret, 'GET', '/api/me');
    expect(me).toMatchObject({ status: 200, body: { name, role: 'viewer' } });

    // Once dismissed, the secret is gone from the page; the token is listed as active.
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await expect.poll(() => page.locator('#secret').count()).toBe(0);
    const row = page.locator('tr', { hasText: name });
    await row.getByText('Active').waitFor();
    await step(page, 'admin', 'token-created');

    await row.getByRole('button', { name: `Revoke ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Revoke “${name}”?` });
    await dialog.waitFor();
    await step(page, 'admin', 'token-confirm-revoke');
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText('Revoked').waitFor();
    await expect(row.getByRole('button', { name: `Revoke ${name}` }).count()).resolves.toBe(0);
    await settled(page);
    await step(page, 'admin', 'token-revoked');

    const refused = await api<{ error: { code: string } }>(secret, 'GET', '/api/me');
    expect(refused).toMatchObject({ status: 401, body: { error: { code: 'APPRAISE_API_UNAUTHORIZED' } } });
    expect((await api(secret, 'GET', '/api/cases')).status).toBe(401);

    expect(errors()).toEqual([]);
    await page.close();
  });
});
