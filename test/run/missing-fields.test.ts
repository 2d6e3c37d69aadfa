// A store whose tickets all lack a first response makes every agent "not enough data" on first
// response time; the run, its stored summary, the API and a preview say why, naming the field
// and what to map. Facts that are merely empty in their window, or kinds with no records at
// all, get no such warning.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AS_OF, testServer, type TestServer } from '../server/helpers.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { publishPolicy } from '../../core/policy/versions.ts';
import { compilePolicy } from '../../core/evaluate/compile.ts';
import { runPolicies } from '../../core/run/run.ts';
import { formatRunSummary } from '../../core/cli/run-command.ts';

const POLICY = `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: responders, title: Responders, owner: hr }
spec:
  appliesTo: { roles: [agent] }
  window: 30d
  facts:
    firstResponse: { metric: support.first-response-time, minSamples: 1 }
    resolved: { metric: support.tickets-resolved }
  rules:
    - id: slow
      when: { any: [{ fact: firstResponse, operator: greaterThan, value: 1h }, { fact: resolved, operator: lessThan, value: 1 }] }
      then: { outcome: coaching }
`;

const MESSAGE = "No support ticket in the store has a value for firstResponseAt, so `firstResponse` (first response time) of the policy responders is 'not enough data' for everyone. Map a column to firstResponseAt when importing support tickets.";

let t: TestServer;
let ticket = 0;
async function addTicket(employee: string, opened: string, extra: Record<string, string> = {}): Promise<void> {
  await t.app.store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('support.ticket', $1, $2, $3::jsonb, $4)`, [employee, opened, JSON.stringify({ openedAt: opened, ...extra }), `ticket-${ticket++}`]);
}

beforeAll(async () => {
  t = await testServer({}, { tokens: ['hr', 'admin'] });
  // Tickets opened and resolved, but not one with a first response: no column was mapped to it.
  for (const e of ['w1', 'w2', 'm1']) await addTicket(e, '2026-03-10T09:00:00Z', { resolvedAt: '2026-03-10T12:00:00Z' });
  await publishPolicy(t.app.store, { policy: loadPolicyText('responders.policy.yaml', POLICY, t.app.registry).policy!, yaml: POLICY, author: 'setup', comment: 'initial' });
});
afterAll(async () => {
  await t?.close();
});

describe('a fact without data for want of a field', () => {
  it('a run warns, naming the fact, the field and what to map; the stored run and the API carry it', async () => {
    const r = await t.call('admin', 'POST', '/api/runs', { asOf: AS_OF, policyIds: ['responders'] });
    expect(r.statusCode, r.body).toBe(200);
    const run = r.json();
    expect(run.summary.warnings).toEqual([{
      code: 'APPRAISE_RUN_FIELD_MISSING', policyId: 'responders', fact: 'firstResponse', metric: 'support.first-response-time',
      recordKind: 'support.ticket', fields: ['firstResponseAt'], message: MESSAGE,
    }]);
    // every agent is undecided on it, and the warning says why
    expect(run.summary.fired.coaching).toBe(0);
    const again = (await t.call('admin', 'GET', `/api/runs/${run.id}`)).json();
    expect(again.summary.warnings.map((w: { message: string }) => w.message)).toEqual([MESSAGE]);
  });

  it('the CLI prints the warning under the run summary', async () => {
    const loaded = loadPolicyText('responders.policy.yaml', POLICY, t.app.registry);
    const result = await runPolicies(t.app.store, { asOf: new Date(AS_OF), trigger: 'manual', dryRun: true, policies: [{ compiled: compilePolicy(loaded.policy!, t.app.registry), version: 0 }], metrics: t.app.plugins.metrics, host: t.app.host });
    expect(formatRunSummary(result)).toContain(`warning APPRAISE_RUN_FIELD_MISSING ${MESSAGE}`);
  });

  it('a preview of a draft warns the same way', async () => {
    const r = await t.call('hr', 'POST', '/api/policies/responders/simulate', { yaml: POLICY.replace('value: 1h', 'value: 2h'), asOf: AS_OF });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().warnings.map((w: { message: string }) => w.message)).toEqual([MESSAGE]);
  });

  it('no warning when the field exists but not in the window, nor for a record kind with no records', async () => {
    // one ticket with a first response, a year before the window: the store has the field
    await addTicket('w1', '2025-03-10T09:00:00Z', { firstResponseAt: '2025-03-10T09:30:00Z' });
    const yaml = POLICY.replace('    resolved: { metric: support.tickets-resolved }', '    resolved: { metric: sales.win-rate }');
    const loaded = loadPolicyText('responders.policy.yaml', yaml, t.app.registry);
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const result = await runPolicies(t.app.store, { asOf: new Date(AS_OF), trigger: 'manual', dryRun: true, policies: [{ compiled: compilePolicy(loaded.policy!, t.app.registry), version: 0 }], metrics: t.app.plugins.metrics, host: t.app.host });
    expect(result.decisions.filter((d) => d.employeeId === 'w1').map((d) => d.status)).toEqual(['indeterminate']);
    expect(result.run.summary.warnings).toEqual([]);
  });
});
