// Plain language in the admin UI, in a real browser (Debian's headless Chromium) against a real
// server: the screens that show engine states say them in words (no "fired", "shadowed",
// "indeterminate", "inactive"), schedules read as sentences, formulas as expressions, times in
// the viewer's zone (Berlin here) with the exact UTC instant on hover, event data as sentences,
// and server errors without backticks or command-line advice. No console errors. Each test
// leaves a screenshot in test/artifacts/.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, browserSuite, signIn } from './helpers.ts';
import { SUPPORT_POLICY } from './policies.ts';

const ENGINE_WORDS = /\b(fired|shadowed|indeterminate|inactive)\b/i;
/** The fixture policies' schedules, and a 5-field cron in general. */
const RAW_CRON = /(^|\s)[\d*/,-]+ [\d*/,-]+ [\d*/,?LW-]+ [\d*/,A-Z-]+ [\d*/,A-Z#-]+(\s|$)/;
const s = browserSuite({
  setup: async ({ ui, browser, page }) => {
    // The viewer is in Berlin: times must show in CET, not in the server's UTC.
    await (await browser.context.newCDPSession(page)).send('Emulation.setTimezoneOverride', { timezoneId: 'Europe/Berlin' });
    await signIn(page, ui, 'hr');
  },
});

const shot = (p: Page, name: string) => p.screenshot({ path: new URL(`words-${name}.png`, ARTIFACTS).pathname, fullPage: true });

/** Every text node under a selector, through shadow roots (what a person can read, hidden parts included). */
async function deepText(p: Page, selector = 'appraise-app'): Promise<string> {
  return p.locator(selector).first().evaluate((root) => {
    const out: string[] = [];
    const walk = (n: Node) => {
      if (n.nodeType === Node.TEXT_NODE) out.push(n.textContent ?? '');
      if (n instanceof Element && ['STYLE', 'SCRIPT'].includes(n.tagName)) return;
      if (n instanceof Element && n.shadowRoot) walk(n.shadowRoot);
      n.childNodes.forEach(walk);
    };
    walk(root);
    return out.join(' ').replace(/\s+/g, ' ');
  });
}

/** The <time> elements under a selector, through shadow roots: their text and hover title. */
async function times(p: Page, selector = 'appraise-app'): Promise<Array<{ text: string; title: string; datetime: string }>> {
  return p.locator(selector).first().evaluate((root) => {
    const out: Array<{ text: string; title: string; datetime: string }> = [];
    const walk = (n: Node) => {
      if (n instanceof HTMLTimeElement) out.push({ text: n.textContent ?? '', title: n.title, datetime: n.dateTime });
      if (n instanceof Element && n.shadowRoot) walk(n.shadowRoot);
      n.childNodes.forEach(walk);
    };
    walk(root);
    return out;
  });
}

async function expectPlain(p: Page, selector = 'appraise-app') {
  const text = await deepText(p, selector);
  expect(text, 'engine words').not.toMatch(ENGINE_WORDS);
  expect(text).not.toContain('[object Object]');
  expect(text, 'a raw cron expression').not.toMatch(RAW_CRON);
  expect(text, 'a literal backtick').not.toContain('`');
  const ts = await times(p, selector);
  for (const t of ts) expect(t.title, `the hover title of ${t.text}`).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)? UTC$/);
  return { text, times: ts };
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${s.ui.url}${path}`, { method, headers: { authorization: `Bearer ${s.ui.tokens.admin}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

describe('plain language in the admin UI', { timeout: 60_000 }, () => {
  it('policies: schedules in words (the cron on hover), publish times in the viewer’s zone', async () => {
    await s.page.goto(`${s.ui.url}/policies`);
    const row = s.page.locator('tr[data-policy="support-quality"]');
    await row.waitFor();
    await expect(row.locator('td').nth(4).textContent()).resolves.toMatch(/^At 06:00, on day 1 of the month \(UTC\)$/);
    await expect(row.locator('td').nth(4).locator('span').getAttribute('title')).resolves.toBe('cron: 0 6 1 * *');
    await expect(s.page.locator('tr[data-policy="success-nps"] td').nth(4).textContent()).resolves.toBe('only when started by hand');
    const { times: ts } = await expectPlain(s.page);
    expect(ts.length).toBeGreaterThanOrEqual(2);
    expect(ts[0].text).toMatch(/^\d{1,2} \w{3} \d{4}, \d{2}:\d{2} (CET|CEST)$/);
    await shot(s.page, 'policies');
  });

  it('plugins: states are active, ready or failed with what they mean; formulas read as expressions', async () => {
    await s.page.goto(`${s.ui.url}/plugins`);
    await s.page.locator('tr[data-plugin]').first().waitFor();
    const states = await s.page.locator('tr[data-plugin] .badge[data-state]').allTextContents();
    expect(states.length).toBeGreaterThan(3);
    for (const s of states) expect(['active', 'ready', 'failed', 'not in use']).toContain(s.trim());
    // the built-in data plugins have not loaded code: "ready", never "inactive"
    await expect(s.page.locator('tr[data-plugin="customer-feedback"] .badge[data-state]').textContent()).resolves.toBe('ready');
    const formulas = await s.page.locator('td.formula').allTextContents();
    expect(formulas).toContain('100 × (share(nps ≥ 9 among records with nps) − share(nps ≤ 6 among records with nps))');
    await expectPlain(s.page);
    await shot(s.page, 'plugins');
  });

  it('runs: what each run found in words, schedules with their next run, times with their UTC instant', async () => {
    await s.page.goto(`${s.ui.url}/runs`);
    await s.page.locator('tr[data-run]').first().waitFor();
    await s.page.getByRole('heading', { name: 'Schedules' }).waitFor();
    await expect(s.page.locator('li[data-policy="support-quality"]').textContent()).resolves.toMatch(/Support quality monthly review: At 06:00, on day 1 of the month \(UTC\) · next run \d{1,2} \w{3} \d{4}, 07:00 CET/);
    await expect(s.page.locator('th', { hasText: 'Rules met, cases opened' }).count()).resolves.toBe(1);
    await expect(s.page.locator('tr[data-run] .badge[data-outcome="coaching"]').first().textContent()).resolves.toMatch(/^Coaching: \d+ met, \d+ opened$/);
    const { times: ts } = await expectPlain(s.page);
    expect(ts.length).toBeGreaterThan(3);
    await shot(s.page, 'runs');
  });

  it('preview: rules and conditions read in words, none in code', async () => {
    const draft = SUPPORT_POLICY.replace(
      'when: { any: [{ fact: csat, operator: lessThan, value: 3.5 }] }',
      'when: { all: [{ fact: csat, operator: lessThan, value: 4.2 }, { fact: history.pip.isActive, operator: equal, value: false }] }',
    );
    expect(draft).not.toBe(SUPPORT_POLICY);
    await s.page.evaluate((yaml) => sessionStorage.setItem('appraise.draft.support-quality', JSON.stringify({ yaml, baseVersion: 1 })), draft);
    await s.page.goto(`${s.ui.url}/policies/support-quality/preview`);
    await s.page.getByRole('button', { name: 'Preview impact' }).click();
    const newly = s.page.locator('section', { has: s.page.getByRole('heading', { name: /Newly affected/ }) });
    await newly.locator('li[data-employee]').first().waitFor();
    await newly.getByRole('button', { name: 'Explain' }).first().click();
    const rule = newly.locator('rule-in-words').first();
    await expect(rule.locator('[data-status]').textContent()).resolves.toBe('met');
    const conditions = await rule.locator('.cond .what').allTextContents();
    expect(conditions).toEqual(['csat below 4.2', 'has an active improvement plan: no']);
    await expect(rule.locator('.cond').first().textContent()).resolves.toMatch(/✔ met\s+csat below 4\.2\s+was [\d.]+ · \d+ \w+ \d{4} – \d+ \w+ \d{4} · \d+ data points \(at least 3 needed\)/);
    await expectPlain(s.page, 'policy-preview');
    await shot(s.page, 'preview');
    await s.page.evaluate(() => sessionStorage.removeItem('appraise.draft.support-quality'));
  });

  it('case timeline: who and when in words, a scheduled session as a sentence in the viewer’s time', async () => {
    const open = await api<{ cases: Array<{ id: number }> }>('GET', '/api/cases?type=coaching&status=open&pageSize=1');
    const id = open.cases[0].id;
    await api('POST', `/api/cases/${id}/transitions`, { action: 'schedule', data: { scheduledFor: '2026-12-10T10:00:00.000Z' } });
    await s.page.goto(`${s.ui.url}/cases/${id}`);
    const timeline = s.page.locator('case-timeline');
    await timeline.locator('li[data-event]').nth(1).waitFor();
    const opened = await timeline.locator('li[data-event="opened"]').textContent();
    expect(opened).toMatch(/Opened[\s\S]*Appraise \(run #\d+\)[\s\S]*The rule “coaching-dip” of support-quality \(version 1\) was met for \d{4}-\d{2}\./);
    const scheduled = timeline.locator('li[data-event="transition"]').last();
    await expect(scheduled.textContent()).resolves.toMatch(/Session scheduled[\s\S]*open → scheduled[\s\S]*Coaching session on 10 Dec 2026, 11:00 CET/);
    await expect(scheduled.locator('time').last().getAttribute('title')).resolves.toBe('2026-12-10 10:00:00 UTC');
    const { text } = await expectPlain(s.page, 'case-timeline');
    expect(text).not.toMatch(/scheduledFor|action:|runId/);
    await shot(s.page, 'case-timeline');
  });

  it('a case carries the titles its policy declares for its award ids', async () => {
    const recognitions = await api<{ cases: Array<{ id: number }> }>('GET', '/api/cases?type=recognition&pageSize=1');
    const c = await api<{ params: Record<string, unknown>; labels: Record<string, string> }>('GET', `/api/cases/${recognitions.cases[0].id}`);
    expect(c.params.award).toBeTypeOf('string');
    expect(c.labels).toEqual({}); // the fixture policy declares none: the UI reads the id aloud
  });

  it('cases: dates carry their UTC instant on hover', async () => {
    await s.page.goto(`${s.ui.url}/cases`);
    await s.page.locator('tr[data-case]').first().waitFor();
    const { times: ts } = await expectPlain(s.page);
    expect(ts.length).toBeGreaterThan(0);
    await shot(s.page, 'cases');
  });

  it('no console error on these screens', () => {
    expect(s.errors).toEqual([]);
  });

  it('an API error shows code as code and what to do in the UI, never a command to run', async () => {
    const errors = await s.browser.context.newPage();
    const seen: string[] = [];
    errors.on('console', (m) => { if (m.type() === 'error') seen.push(m.text()); });
    errors.on('pageerror', (e) => seen.push(e.message));
    await signIn(errors, s.ui, 'hr');
    await errors.goto(`${s.ui.url}/policies/no-such-policy`);
    const alert = errors.getByRole('alert').first();
    await alert.waitFor();
    await expect(alert.locator('strong').textContent()).resolves.toBe('No policy no-such-policy has been published.');
    await expect(alert.locator('strong code').textContent()).resolves.toBe('no-such-policy');
    await expect(alert.getByRole('link', { name: /The Policies page lists the published policies/ }).getAttribute('href')).resolves.toBe('/policies');
    const text = await deepText(errors, 'appraise-app');
    expect(text).not.toMatch(/npx|npm |`/);
    await expect(alert.textContent()).resolves.toMatch(/APPRAISE_POLICY_NOT_FOUND/);
    await shot(errors, 'api-error');
    // the only console errors are the browser's own line for the 404 answer
    expect(seen.filter((m) => !/Failed to load resource: the server responded with a status of 404/.test(m))).toEqual([]);
    await errors.close();
  });
});
