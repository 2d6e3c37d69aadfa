// Issue 18 in a real browser (Debian's headless Chromium) against a real server with four-eyes
// publish on (policies.publish.approvals: 1): an HR admin previews a change and publishes it,
// which only proposes it; they cannot approve it themselves; they backtest the proposed
// version over past quarters, and the table is what the API computes, with nothing written;
// a second person (an administrator, in their own tab) approves it with a note, and it is in
// force; a later proposal is rejected and stays in the history, marked so.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, browserSuite, cursorAt, replaceBefore, signIn } from './helpers.ts';
import { POLICY_LINES } from './policies.ts';

const s = browserSuite({ server: { approvals: 1 }, setup: (x) => signIn(x.page, x.ui, 'hr') });

const shot = (p: Page, name: string) => p.screenshot({ path: new URL(`policy-review-${name}.png`, ARTIFACTS).pathname, fullPage: true });
const tab = (p: Page, name: string) => p.getByRole('navigation', { name: 'Policy' }).getByRole('link', { name, exact: true });
const awaiting = (p: Page) => p.locator('policy-proposals section');

async function versions() {
  return (await s.ui.app.store.query<{ version: number; status: string; reviewed_by: string | null; review_note: string | null }>(
    `SELECT version, status, reviewed_by, review_note FROM policy_versions WHERE policy_id = 'support-quality' ORDER BY version`,
  )).rows;
}

/** Rows of every table a run, a case, a delivery or a publish writes to. */
async function writtenRows(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['runs', 'decisions', 'cases', 'case_events', 'outbox', 'audit_log', 'policy_versions']) {
    out[table] = Number((await s.ui.app.store.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  }
  return out;
}

describe('four-eyes publish and backtest in the editor, in Chromium', { timeout: 90_000 }, () => {
  it('a previewed publish is only proposed; its author sees it awaiting approval and cannot approve it', async () => {
    const p = s.page;
    await p.goto(`${s.ui.url}/policies/support-quality`);
    await p.getByText('No problems').waitFor();
    await cursorAt(p, POLICY_LINES.coachingCondition, ' }] }'.length);
    await replaceBefore(p, 3, '4.2');
    await tab(p, 'Preview').click();
    await p.getByRole('button', { name: 'Preview impact' }).click();
    await p.getByRole('heading', { name: /Newly affected/ }).waitFor();
    await tab(p, 'Edit').click();
    await p.locator('form.publish [data-impact="gain-coaching"]').waitFor();
    await p.getByLabel('Comment (why this version)').fill('Coach from 4.2');
    await p.getByRole('button', { name: 'Publish', exact: true }).click();
    await p.getByText('Proposed v2. It goes in force once another person with the HR or administrator role approves it.').waitFor();

    expect(await versions()).toEqual([
      { version: 1, status: 'published', reviewed_by: null, review_note: null },
      { version: 2, status: 'proposed', reviewed_by: null, review_note: null },
    ]);
    // v1 is still in force, and the editor holds its text again
    await expect(p.locator('.meta').textContent()).resolves.toMatch(/^v1 published/);
    await p.getByText('The editor holds v1 as published.').waitFor();
    const card = awaiting(p).locator('article[data-version="2"]');
    await card.getByText('Coach from 4.2').waitFor();
    // what the author saw travels with the proposal, for the reviewer
    await expect(card.locator('[data-impact="gain-coaching"]').count()).resolves.toBe(1);
    await card.locator('[data-own]').getByText('you cannot approve it yourself').waitFor();
    await expect(card.getByRole('button', { name: /Approve/ }).count()).resolves.toBe(0);
    await shot(p, 'own-proposal');
  });

  it('the proposed version backtests over past quarters: the table is the API\'s figures, and nothing is written', async () => {
    const p = s.page;
    const before = await writtenRows();
    await awaiting(p).getByRole('link', { name: 'Backtest v2' }).click();
    await p.waitForURL(`${s.ui.url}/policies/support-quality/backtest?version=2`);
    await p.getByText('Judging proposed v2 by ui-hr, not in force yet.').waitFor();
    await expect(tab(p, 'Backtest').getAttribute('aria-current')).resolves.toBe('page');
    const to = new Date().toISOString().slice(0, 10);
    const from = `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`;
    await p.getByLabel('From').fill(from);
    await p.getByLabel('To').fill(to);
    await p.getByLabel('Each').selectOption('quarter');
    await p.getByRole('button', { name: 'Run backtest' }).click();
    const rows = p.locator('table.cycles tbody tr');
    await rows.first().waitFor();

    const v2 = (await s.ui.app.store.query<{ yaml: string }>(`SELECT yaml FROM policy_versions WHERE policy_id = 'support-quality' AND version = 2`)).rows[0].yaml;
    const r = await fetch(`${s.ui.url}/api/policies/support-quality/backtest`, {
      method: 'POST', headers: { authorization: `Bearer ${s.ui.tokens.hr}`, 'content-type': 'application/json' },
      body: JSON.stringify({ yaml: v2, from, to, cycle: 'quarter' }),
    });
    expect(r.status).toBe(200);
    const api = (await r.json()) as { comparedVersion: number; cycles: Array<{ cycle: string; inScope: { draft: number }; counts: Record<'draft' | 'compared', Record<string, number>>; newly: Record<string, unknown[]> }> };
    expect(api.comparedVersion).toBe(1);
    expect(api.cycles.length).toBe(4);
    await expect(rows.count()).resolves.toBe(4);
    for (const c of api.cycles) {
      const row = p.locator(`table.cycles tbody tr[data-cycle="${c.cycle}"]`);
      const shown = (o: string) => (c.counts.draft[o] === c.counts.compared[o] ? String(c.counts.draft[o]) : `${c.counts.compared[o]} → ${c.counts.draft[o]}`);
      for (const o of ['recognition', 'coaching', 'pip']) await expect(row.locator(`td[data-outcome="${o}"]`).textContent()).resolves.toBe(shown(o));
    }
    // the surveys start six months back: in the last quarters with data, coaching from 4.2 coaches more people than from 3.5
    const withData = api.cycles.filter((c) => c.counts.compared.coaching + c.counts.compared.pip + c.counts.compared.recognition > 0);
    expect(withData.length).toBeGreaterThanOrEqual(1);
    expect(withData.some((c) => c.counts.draft.coaching > c.counts.compared.coaching && c.newly.coaching.length > 0)).toBe(true);
    // a cycle opens to the people and its fairness report
    const busy = withData.find((c) => c.newly.coaching.length > 0)!;
    const details = p.locator(`details[data-cycle="${busy.cycle}"]`);
    await details.locator('summary').click();
    await expect(details.locator('[data-change="newly-coaching"]').textContent()).resolves.toMatch(new RegExp(`newly for ${busy.newly.coaching.length}\\b`));
    await details.locator('fairness-report').waitFor();
    await shot(p, 'backtest');
    expect(await writtenRows()).toEqual(before);
  });

  it('another person approves it in their own tab, with a note; it is in force and the history says who approved it', async () => {
    const admin = await s.newPage();
    await signIn(admin, s.ui, 'admin');
    await admin.goto(`${s.ui.url}/policies/support-quality`);
    const card = awaiting(admin).locator('article[data-version="2"]');
    await card.getByText('Coach from 4.2').waitFor();
    const approve = card.getByRole('button', { name: 'Approve v2' });
    await expect(approve.isDisabled()).resolves.toBe(true); // a note first
    await card.getByLabel('Your note (why you approve or reject it)').fill('Backtest looks right; fairness clean');
    await shot(admin, 'review');
    await approve.click();
    await admin.getByText('Approved v2: it is in force from the next run.').waitFor();
    await expect(admin.locator('.meta').textContent()).resolves.toMatch(/^v2 published .* by ui-hr/);
    await expect(admin.locator('policy-proposals section').count()).resolves.toBe(0);
    expect((await versions())[1]).toEqual({ version: 2, status: 'published', reviewed_by: 'ui-admin', review_note: 'Backtest looks right; fairness clean' });
    const audit = await s.ui.app.store.query<{ actor: string; action: string }>(`SELECT actor, action FROM audit_log WHERE target = 'policy:support-quality' ORDER BY id`);
    expect(audit.rows.map((a) => `${a.actor} ${a.action}`)).toEqual(['ui-hr policy.propose', 'ui-admin policy.approve']);

    await tab(admin, 'History').click();
    const row = admin.locator('policy-history tr[data-version="2"]');
    await row.getByText('in force').waitFor();
    await row.getByText('Approved by ui-admin: “Backtest looks right; fairness clean”').waitFor();
    await admin.close();
  });

  it('a rejected proposal stays in the history, marked rejected with the note, and v2 stays in force', async () => {
    const p = s.page;
    await p.goto(`${s.ui.url}/policies/support-quality`);
    await p.getByText('The editor holds v2 as published.').waitFor();
    await cursorAt(p, POLICY_LINES.coachingCondition, ' }] }'.length);
    await replaceBefore(p, 3, '4.6');
    await p.getByLabel('Comment (why this version)').fill('Coach nearly everyone');
    await p.getByRole('button', { name: 'Publish', exact: true }).click();
    await p.getByRole('dialog', { name: 'Publish without a preview?' }).getByRole('button', { name: 'Publish anyway' }).click();
    await p.getByText('Proposed v3.', { exact: false }).waitFor();
    await awaiting(p).locator('article[data-version="3"] [data-preview="none"]').waitFor();

    const admin = await s.newPage();
    await signIn(admin, s.ui, 'admin');
    await admin.goto(`${s.ui.url}/policies/support-quality`);
    const card = awaiting(admin).locator('article[data-version="3"]');
    await card.getByLabel('Your note (why you approve or reject it)').fill('Not previewed; 4.6 would coach most of the team');
    await card.getByRole('button', { name: 'Reject v3' }).click();
    await admin.getByText('Rejected v3: it stays in the history, marked rejected.').waitFor();
    expect((await versions()).map((v) => v.status)).toEqual(['published', 'published', 'rejected']);
    await tab(admin, 'History').click();
    const row = admin.locator('policy-history tr[data-version="3"]');
    await row.locator('.badge.error').getByText('rejected').waitFor();
    await row.getByText('Rejected by ui-admin: “Not previewed; 4.6 would coach most of the team”').waitFor();
    // a rejected version is never offered for a rollback
    await expect(row.getByRole('button', { name: /Roll back/ }).count()).resolves.toBe(0);
    await admin.locator('policy-history tr[data-version="2"]').getByText('in force').waitFor();
    await shot(admin, 'rejected');
    await admin.close();
    expect(s.errors).toEqual([]);
  });
});
