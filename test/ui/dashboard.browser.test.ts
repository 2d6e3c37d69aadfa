// The dashboard in a real browser (Debian's headless Chromium through playwright-core), issue 16
// "Charts worth reading": it opens on the whole organisation with its departments side by side
// and all five due-date tiles; the axes read in the metric's unit (a first response time of
// about a minute under a 4-hour standard, CSAT in half points), never below zero; charts span
// their card; the team picker finds a team from part of its name, charts it, and keeps it in
// the URL. The fixture of the other browser tests, plus support tickets and a policy on them.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadPolicyText } from '../../core/policy/load.ts';
import { publishPolicy } from '../../core/policy/versions.ts';
import { ARTIFACTS, browserSuite, signIn, type UiServer } from './helpers.ts';

const DAY = 86_400_000;
const s = browserSuite({ seed: addTickets });

const shot = (p: Page, name: string) => p.screenshot({ path: new URL(`ui-${name}.png`, ARTIFACTS).pathname, fullPage: true });

const RESPONSE_POLICY = `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: support-response, title: Support responsiveness, owner: hr-support@example.com }
spec:
  appliesTo: { roles: [agent], departments: [Customer Support] }
  window: 30d
  cycle: month
  facts:
    firstResponse: { metric: support.first-response-time, minSamples: 3 }
  rules:
    - id: slow-first-response
      when: { all: [{ fact: firstResponse, operator: greaterThan, value: 4h }] }
      then: { outcome: coaching }
`;

/** Six months of tickets for the support agents, each answered in 80 to 100 seconds. */
async function addTickets(u: UiServer) {
  const store = u.app.store;
  const agents = (await store.query<{ id: string }>(`SELECT id FROM employees WHERE department = 'Customer Support' AND role = 'agent' ORDER BY id`)).rows.map((r) => r.id);
  const now = Math.floor(Date.now() / DAY) * DAY;
  const rows: unknown[][] = [];
  agents.forEach((id, i) => {
    for (let day = 180; day >= 1; day -= 2) {
      const opened = new Date(now - day * DAY + 9 * 3600_000);
      const answered = new Date(opened.getTime() + (80 + ((i * 7 + day * 13) % 21)) * 1000);
      rows.push([id, opened.toISOString(), JSON.stringify({ openedAt: opened.toISOString(), firstResponseAt: answered.toISOString() }), `${id}-ticket-${day}`]);
    }
  });
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await store.query(
      `INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ${chunk.map((_, k) => `('support.ticket', $${k * 4 + 1}, $${k * 4 + 2}, $${k * 4 + 3}::jsonb, $${k * 4 + 4})`).join(', ')}`,
      chunk.flat(),
    );
  }
  const loaded = loadPolicyText('support-response.policy.yaml', RESPONSE_POLICY, u.app.registry);
  if (!loaded.policy) throw new Error(`fixture policy does not load: ${JSON.stringify(loaded.diagnostics)}`);
  await publishPolicy(store, { policy: loaded.policy, yaml: RESPONSE_POLICY, author: 'hr-ana', comment: 'response times' });
}

interface DrawnChart {
  heading: string;
  fact: string | null;
  scale: string;
  ticks: Array<{ value: number; label: string }>;
  canvasWidth: number;
  cardContentWidth: number;
}

/** What each chart on the screen draws: its value axis's ticks as Chart.js labels them, and its width against its card's. */
function drawnCharts(p: Page): Promise<DrawnChart[]> {
  // A string, not a function: the test's transpiler would add helpers the page does not have.
  return p.evaluate(`(() => {
    const found = [];
    const walk = (root) => { found.push(...root.querySelectorAll('trend-chart, outcome-chart')); root.querySelectorAll('*').forEach((e) => e.shadowRoot && walk(e.shadowRoot)); };
    walk(document);
    return found.map((el) => {
      const card = el.closest('.card');
      const style = getComputedStyle(card);
      return {
        heading: el.heading,
        fact: card.getAttribute('data-fact'),
        scale: el.chart.scales.y.type,
        ticks: el.chart.scales.y.ticks.map((t) => ({ value: t.value, label: t.label })),
        canvasWidth: el.shadowRoot.querySelector('canvas').getBoundingClientRect().width,
        cardContentWidth: card.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
      };
    });
  })()`);
}

const chartsOf = (p: Page, group: string) => p.locator(`.charts[data-group="${group}"][aria-busy="false"] trend-chart canvas`).first().waitFor();

describe('the dashboard in Chromium', { timeout: 60_000 }, () => {
  it('opens on the whole organisation, with its departments side by side and all five due-date tiles', async () => {
    await signIn(s.page, s.ui, 'hr');
    await chartsOf(s.page, 'organisation');
    await expect(s.page.getByRole('status').filter({ hasText: 'Showing' }).textContent()).resolves.toBe('Showing the whole organisation (24 people)');
    const departments = s.page.getByRole('table').filter({ has: s.page.getByRole('columnheader', { name: /People/ }) });
    await expect(departments.getByRole('rowheader').allInnerTexts()).resolves.toEqual(['Whole organisation', 'Customer Success', 'Customer Support']);
    const api = JSON.parse((await s.ui.server.inject({ method: 'GET', url: '/api/dashboard', headers: { authorization: `Bearer ${s.ui.tokens.hr}` } })).body);
    const tiles = s.page.getByRole('list', { name: 'Open cases by due date' }).getByRole('listitem');
    await expect(tiles.allInnerTexts()).resolves.toEqual([
      `${api.openCases.byDue.overdue}\nOverdue`, `${api.openCases.byDue.next7Days}\nDue in 7 days`, `${api.openCases.byDue.next30Days}\nDue in 30 days`,
      `${api.openCases.byDue.later}\nDue later`, `${api.openCases.byDue.noDueDate}\nNo due date`,
    ]);
    expect(api.openCases.byDue.noDueDate).toBeGreaterThan(0);
    await shot(s.page, 'dashboard-organisation');
  });

  it('reads a one-minute response time under a 4 h standard in minutes and hours, CSAT in half points, and never below zero', async () => {
    const charts = await drawnCharts(s.page);
    const response = charts.find((c) => c.fact === 'firstResponse')!;
    expect(response.scale).toBe('logarithmic');
    expect(response.ticks.map((t) => t.label)).toEqual(['1 min', '5 min', '10 min', '30 min', '1 h', '6 h']);
    const csat = charts.find((c) => c.fact === 'csat')!;
    expect(csat.ticks.map((t) => t.label)).toEqual(['2.0', '2.5', '3.0', '3.5', '4.0', '4.5', '5.0']);
    for (const c of charts.filter((x) => x.fact !== 'nps')) {
      expect(c.ticks.every((t) => t.value >= 0 && !/^[-−]/.test(t.label)), c.heading).toBe(true);
    }
    const legend = s.page.locator('[data-fact="firstResponse"]').getByRole('list', { name: 'Legend of First response time' });
    await expect(legend.getByRole('listitem').allInnerTexts()).resolves.toEqual(['Average for the whole organisation', 'Standard for coaching: 4 h (coaching above it)']);
    await expect(s.page.locator('[data-fact="csat"]').getByRole('list', { name: /^Legend/ }).getByRole('listitem').allInnerTexts()).resolves.toEqual([
      'Average for the whole organisation', 'Standard for recognition: 4.5 (recognition at or above it)', 'Standard for coaching: 3.5 (coaching below it)', 'Standard for a PIP: 2.5 (a PIP below it)',
    ]);
  });

  it('draws every chart across the full width of its card', async () => {
    const charts = await drawnCharts(s.page);
    expect(charts.length).toBeGreaterThanOrEqual(5);
    for (const c of charts) expect(Math.abs(c.canvasWidth - c.cardContentWidth), c.heading).toBeLessThanOrEqual(2);
    // two charts a row on a wide screen: each at least 40% of the page, never a third of it
    expect(Math.min(...charts.map((c) => c.canvasWidth))).toBeGreaterThan(1280 * 0.4);
  });

  it('finds a team from part of its name, charts it, and keeps it in the URL', async () => {
    const finder = s.page.getByLabel('Find a team or department');
    await finder.click();
    await s.page.keyboard.type('nor');
    const matches = s.page.getByRole('list', { name: 'Matching teams and departments' }).getByRole('link');
    await expect(matches.allInnerTexts()).resolves.toEqual([expect.stringMatching(/^Support North\s+team · 8 people$/)]);
    await s.page.keyboard.press('ArrowDown');
    await s.page.keyboard.press('Enter');
    await chartsOf(s.page, 'team:Support North');
    await expect(s.page.getByRole('status').filter({ hasText: 'Showing' }).textContent()).resolves.toMatch(/^Showing Support North \(8 people\)/);
    expect(new URL(s.page.url()).searchParams.get('group')).toBe('team:Support North');
    const legend = s.page.locator('[data-fact="firstResponse"]').getByRole('list', { name: /^Legend/ });
    await expect(legend.getByRole('listitem').first().innerText()).resolves.toBe('Average for Support North');
    await shot(s.page, 'dashboard-team');

    await s.page.reload();
    await chartsOf(s.page, 'team:Support North');
    await s.page.goBack();
    await chartsOf(s.page, 'organisation');
    expect(new URL(s.page.url()).searchParams.get('group')).toBeNull();

    // Enter takes the first match: names that start with what was typed come first
    await finder.fill('success');
    await expect(matches.allInnerTexts()).resolves.toEqual([expect.stringMatching(/^Success\s+team/), expect.stringMatching(/^Customer Success\s+department/)]);
    await finder.press('Enter');
    await chartsOf(s.page, 'team:Success');
    // a department from the table side by side
    await s.page.getByRole('rowheader', { name: 'Customer Support' }).getByRole('link').click();
    await chartsOf(s.page, 'department:Customer Support');
    expect(new URL(s.page.url()).searchParams.get('group')).toBe('department:Customer Support');
    expect(await s.page.locator('[data-fact="firstResponse"] trend-chart').count()).toBe(1);
  });

  it('logged no error to the console', () => {
    expect(s.errors).toEqual([]);
  });
});
