// The runs screen says what a run's numbers rest on, in a real browser against a real server: its
// point in time in words, and, when no stored ticket has the field a fact reads, that the fact
// had no data for anyone and what to map — rather than a row of "could not be decided" alone.
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, browserSuite, signIn } from './helpers.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { publishPolicy } from '../../core/policy/versions.ts';

const POLICY = `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: responders, title: Responders, owner: hr }
spec:
  appliesTo: { roles: [agent] }
  window: 30d
  facts:
    firstResponse: { metric: support.first-response-time, minSamples: 1 }
  rules:
    - id: slow
      when: { all: [{ fact: firstResponse, operator: greaterThan, value: 1h }] }
      then: { outcome: coaching }
`;

const s = browserSuite({
  seed: async (ui) => {
    // Tickets resolved, but none with a first response: the export had no such column mapped.
    const opened = new Date(Date.now() - 5 * 86_400_000).toISOString();
    const resolved = new Date(Date.now() - 4 * 86_400_000).toISOString();
    for (const [n, e] of ['e01', 'e02', 'e03'].entries()) {
      await ui.app.store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('support.ticket', $1, $2, $3::jsonb, $4)`, [e, opened, JSON.stringify({ openedAt: opened, resolvedAt: resolved }), `notes-${n}`]);
    }
    const loaded = loadPolicyText('responders.policy.yaml', POLICY, ui.app.registry);
    if (!loaded.policy) throw new Error(JSON.stringify(loaded.diagnostics));
    await publishPolicy(ui.app.store, { policy: loaded.policy, yaml: POLICY, author: 'hr', comment: 'first response' });
    await ui.app.run({ trigger: 'manual', policyIds: ['responders'], asOf: new Date('2026-01-15T00:00:00Z') });
  },
  setup: async ({ ui, page }) => signIn(page, ui, 'hr'),
});

describe('the runs screen', () => {
  it('shows the run point in time in words and why a fact had no data, with what to map', async () => {
    await s.page.goto(`${s.ui.url}/runs`);
    const warning = s.page.locator('.run-warning').first();
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(/No support ticket in the store has a value for firstResponseAt.*Map a column to firstResponseAt/);
    expect(await s.page.locator('.run-view').first().textContent()).toMatch(/^As things stood on 15 Jan 2026/);
    await s.page.screenshot({ path: new URL('run-notes.png', ARTIFACTS).pathname, fullPage: true });
    expect(s.errors).toEqual([]);
  });
});
