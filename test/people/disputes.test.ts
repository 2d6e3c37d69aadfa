// Disputes on both store back-ends: the employee or their manager disputes a case with a reason,
// HR upholds, amends or overturns it with a note, and each step is on the case's timeline and in
// the audit log. An overturned coaching case no longer counts in history.coaching.completed, so
// the PIP rule that needs completed coaching does not fire on the next run.
import { beforeAll, describe, expect, it } from 'vitest';
import { discoverPlugins, type PluginSet } from '../../core/plugins/discovery.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { compilePolicy } from '../../core/evaluate/compile.ts';
import { runPolicies } from '../../core/run/run.ts';
import { openCases } from '../../core/cases/open-cases.ts';
import { historyFacts } from '../../core/run/history.ts';
import { getCase, listCases } from '../../core/cases/queries.ts';
import { transitionCase } from '../../core/cases/transitions.ts';
import { raiseDispute, resolveDispute, withdrawDispute, type Actor } from '../../core/people/disputes/disputes.ts';
import { getDispute, listDisputes } from '../../core/people/disputes/queries.ts';
import { checkDisputeStatuses } from '../../core/people/disputes/subject.ts';
import { TERMINAL } from '../../core/cases/lifecycle.ts';
import { isBuiltinFact } from '../../core/policy/builtin-facts.ts';
import type { Principal } from '../../core/auth/tokens.ts';
import type { Store } from '../../core/store/store.ts';
import { BACKENDS, storeForSuite } from '../store/backends.ts';
import { insertCase } from '../cases/helpers.ts';

const POLICY = `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: support, title: Support, owner: hr }
spec:
  appliesTo: {}
  window: 30d
  hitPolicy: first
  facts:
    csat: { metric: customer-feedback.csat, minSamples: 1 }
  rules:
    - id: pip
      when: { all: [{ fact: csat, operator: lessThan, value: 2.5 }, { fact: history.coaching.completed, operator: greaterThanInclusive, value: 1 }] }
      then: { outcome: pip }
`;

const hr: Actor = { name: 'hr-ana', role: 'hr' };
const ida: Actor = { name: 'ida', role: 'employee', employeeId: 'ida' };
const max: Actor = { name: 'max', role: 'employee', employeeId: 'max' };
const lead: Actor = { name: 'lena', role: 'manager', employeeId: 'lena' };
const principal = (a: Actor): Principal => ({ tokenId: 1, ...a });

let set: PluginSet;
beforeAll(async () => {
  set = await discoverPlugins();
});

async function people(store: Store) {
  await store.query(`INSERT INTO employees (id, name, manager_id, content_hash) VALUES ('lena', 'Lena', NULL, 'x'), ('ida', 'Ida', 'lena', 'x'), ('max', 'Max', 'lena', 'x'), ('ola', 'Ola', NULL, 'x')`);
}

async function runAt(store: Store, asOf: string) {
  const loaded = loadPolicyText('support.policy.yaml', POLICY, set.registry);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const at = new Date(asOf);
  await runPolicies(store, {
    asOf: at, trigger: 'manual', dryRun: false, policies: [{ compiled: compilePolicy(loaded.policy!, set.registry), version: 1 }], metrics: set.metrics,
    act: (s, runId, decisions, ids) => openCases(s, runId, decisions, ids, { asOf: at, policies: new Map([['support', loaded.policy!]]), defaultWorkflows: { recognition: [], coaching: [], pip: [] } }) as never,
  });
}

for (const backend of BACKENDS) {
  describe(`disputes (${backend.name})`, async () => {
    const suite = await storeForSuite(backend, people);

    it.skipIf(suite.skip)('an overturned coaching case no longer counts toward history.coaching.completed: the PIP rule that needs it does not fire', async () => {
      const store = suite.store;
      // Ida and Max each had coaching completed last month, and both score low this month.
      const coached: Record<string, number> = {};
      for (const who of ['ida', 'max']) {
        const r = await store.query<{ id: number }>(
          `INSERT INTO cases (type, status, employee_id, policy_id, policy_version, rule_id, period, explanation, workflows, opened_at, closed_at)
           VALUES ('coaching', 'completed', $1, 'support', 1, 'coach', '2026-Q3', '{}', '["log.write"]', '2026-09-01T00:00:00Z', '2026-09-10T00:00:00Z') RETURNING id`, [who]);
        coached[who] = Number(r.rows[0].id);
        await store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('customer-feedback.survey', $1, '2026-10-10T10:00:00Z', '{"csat": 2}', $2)`, [who, `s-${who}`]);
      }
      // Ida disputes her coaching; HR overturns it.
      const id = await raiseDispute(store, ida, { subjectType: 'case', subjectId: coached.ida, reason: 'The low scores were for tickets routed to me while I was on leave.' });
      expect(await resolveDispute(store, hr, id, { resolution: 'overturn', note: 'Confirmed: the tickets were misrouted during her leave.' })).toBe('overturned');
      expect((await getCase(store, coached.ida)).status).toBe('overturned');

      await runAt(store, '2026-10-20T00:00:00Z');
      const pips = (await listCases(store, { type: 'pip' })).cases;
      expect(pips.map((c) => c.employeeId)).toEqual(['max']);
      const facts = await historyFacts(store, new Date('2026-10-20T00:00:00Z'), [{ key: 'c', fact: 'history.coaching.completed' }, { key: 't', fact: 'history.coaching.total' }], ['ida', 'max']);
      expect(Object.fromEntries([...facts].map(([who, f]) => [who, [f.get('c')?.value, f.get('t')?.value]]))).toEqual({ ida: [0, 0], max: [1, 1] });
    });

    it.skipIf(suite.skip)('the dispute and its resolution are on the case timeline, in the audit log, and its workflows hear case.overturned once', async () => {
      const store = suite.store;
      const [dispute] = (await listDisputes(store, principal(ida))).disputes;
      expect(dispute).toMatchObject({ status: 'overturned', raisedAs: 'employee', raisedBy: 'ida', subjectTitle: expect.stringMatching(/^Coaching case #\d+$/), resolutionNote: expect.stringMatching(/misrouted/), closedBy: 'hr-ana' });
      const c = await getCase(store, dispute.subjectId);
      expect(c.events.filter((e) => e.event !== 'opened').map((e) => [e.event, e.data.step ?? e.data.action, e.to])).toEqual([
        ['dispute', 'raised', null], ['dispute', 'overturned', null], ['transition', 'overturn', 'overturned'],
      ]);
      expect(c.deliveries).toEqual([expect.objectContaining({ workflow: 'log.write', event: 'case.overturned' })]);
      const payload = (await store.query<{ payload: unknown }>(`SELECT payload FROM outbox WHERE case_id = $1`, [c.id])).rows[0].payload;
      expect(payload).toMatchObject({ case: { status: 'overturned', dispute: { id: dispute.id, resolution: 'overturned', note: expect.stringMatching(/misrouted/), reason: expect.stringMatching(/on leave/) } } });
      const audit = (await store.query<{ action: string }>(`SELECT action FROM audit_log WHERE target = $1 OR target = $2 ORDER BY id`, [`dispute:${dispute.id}`, `case:${c.id}`])).rows.map((r) => r.action);
      expect(audit).toEqual(['dispute.raise', 'dispute.overturn', 'case.transition']);
      // Overturned for good: not disputed again.
      await expect(raiseDispute(store, ida, { subjectType: 'case', subjectId: c.id, reason: 'again' })).rejects.toMatchObject({ code: 'APPRAISE_DISPUTE_NOT_DISPUTABLE' });
      await expect(resolveDispute(store, hr, dispute.id, { resolution: 'uphold', note: 'x' })).rejects.toMatchObject({ code: 'APPRAISE_DISPUTE_CLOSED' });
      await expect(transitionCase(store, c.id, { action: 'overturn', actor: 'hr-ana', note: 'x' })).rejects.toMatchObject({ code: 'APPRAISE_CASE_ILLEGAL_TRANSITION', message: expect.stringMatching(/by resolving a dispute/) });
    });

    it.skipIf(suite.skip)('one open dispute per case; only the employee or their manager raises it, and only the one who raised it withdraws it', async () => {
      const store = suite.store;
      const caseId = await insertCase(store, { type: 'coaching', status: 'open', employeeId: 'max' });
      await expect(raiseDispute(store, { name: 'ola', role: 'manager', employeeId: 'ola' }, { subjectType: 'case', subjectId: caseId, reason: 'x' })).rejects.toMatchObject({ code: 'APPRAISE_DISPUTE_FORBIDDEN' });
      await expect(raiseDispute(store, ida, { subjectType: 'case', subjectId: caseId, reason: 'x' })).rejects.toMatchObject({ code: 'APPRAISE_DISPUTE_FORBIDDEN' });
      await expect(raiseDispute(store, max, { subjectType: 'case', subjectId: caseId, reason: '  ' })).rejects.toMatchObject({ code: 'APPRAISE_DISPUTE_NOTE_REQUIRED', details: { field: 'reason' } });
      const id = await raiseDispute(store, lead, { subjectType: 'case', subjectId: caseId, reason: 'Max was covering the night queue alone.' });
      expect((await getDispute(store, principal(max), id)).raisedAs).toBe('manager');
      await expect(raiseDispute(store, max, { subjectType: 'case', subjectId: caseId, reason: 'me too' })).rejects.toMatchObject({ code: 'APPRAISE_DISPUTE_ALREADY_OPEN', details: { disputeId: id } });
      await expect(withdrawDispute(store, max, id)).rejects.toMatchObject({ code: 'APPRAISE_DISPUTE_FORBIDDEN' });
      await withdrawDispute(store, lead, id, { note: 'We talked it through.' });
      expect(await getDispute(store, principal(hr), id)).toMatchObject({ status: 'withdrawn', events: [{ event: 'raised', to: 'open' }, { event: 'withdrawn', from: 'open', to: 'withdrawn', note: 'We talked it through.' }] });
      expect((await getCase(store, caseId)).status).toBe('open');
      // Withdrawn, the case may be disputed again; HR upholds this one and the case stands.
      const again = await raiseDispute(store, max, { subjectType: 'case', subjectId: caseId, reason: 'The survey sample was three customers.' });
      await expect(resolveDispute(store, lead, again, { resolution: 'uphold', note: 'x' })).rejects.toMatchObject({ code: 'APPRAISE_DISPUTE_FORBIDDEN' });
      await expect(resolveDispute(store, hr, again, { resolution: 'uphold', note: '' })).rejects.toMatchObject({ code: 'APPRAISE_DISPUTE_NOTE_REQUIRED', details: { field: 'note' } });
      await resolveDispute(store, hr, again, { resolution: 'uphold', note: 'Thirty surveys over the month; the rule stands.' });
      const c = await getCase(store, caseId);
      expect(c.status).toBe('open');
      expect(c.events.filter((e) => e.event === 'dispute').map((e) => [e.data.step, e.note])).toEqual([
        ['raised', 'Max was covering the night queue alone.'], ['withdrawn', 'We talked it through.'],
        ['raised', 'The survey sample was three customers.'], ['upheld', 'Thirty surveys over the month; the rule stands.'],
      ]);
    });

    it.skipIf(suite.skip)("amend: a coaching case takes only the note; a running PIP takes new goals (paused until the employee acknowledges them) and a later end date", async () => {
      const store = suite.store;
      const coaching = await insertCase(store, { type: 'coaching', status: 'completed', employeeId: 'max' });
      const d1 = await raiseDispute(store, max, { subjectType: 'case', subjectId: coaching, reason: 'The summary says I missed a session; I did not.' });
      await expect(resolveDispute(store, hr, d1, { resolution: 'amend', note: 'x', amendment: { goals: ['a'] } })).rejects.toMatchObject({ code: 'APPRAISE_DISPUTE_BAD_AMENDMENT', details: { field: 'amendment.goals' } });
      await expect(resolveDispute(store, hr, d1, { resolution: 'uphold', note: 'x', amendment: { goals: ['a'] } })).rejects.toMatchObject({ code: 'APPRAISE_DISPUTE_BAD_AMENDMENT' });
      await resolveDispute(store, hr, d1, { resolution: 'amend', note: 'Correction: all four sessions took place.' });
      expect(await getCase(store, coaching)).toMatchObject({ status: 'completed' });
      expect(await getDispute(store, principal(max), d1)).toMatchObject({ status: 'amended', amendment: null, resolutionNote: 'Correction: all four sessions took place.' });

      const pip = await insertCase(store, { type: 'pip', status: 'active', employeeId: 'max', workflows: ['log.write'] });
      const d2 = await raiseDispute(store, lead, { subjectType: 'case', subjectId: pip, reason: 'A 2-hour first reply is not possible on the night shift.' });
      await expect(resolveDispute(store, hr, d2, { resolution: 'amend', note: 'x', amendment: { dueAt: '2020-01-01' } })).rejects.toMatchObject({ code: 'APPRAISE_CASE_MISSING_FIELD', details: { field: 'amendment.dueAt' }, message: expect.stringMatching(/`amendment\.dueAt` must be in the future/) });
      await resolveDispute(store, hr, d2, { resolution: 'amend', note: 'Night-shift goal: first reply within 4h.', amendment: { goals: ['First reply within 4h', 'CSAT ≥ 4.2'], dueAt: '2099-06-01' } });
      const c = await getCase(store, pip);
      expect(c).toMatchObject({ status: 'paused', goals: ['First reply within 4h', 'CSAT ≥ 4.2'], dueAt: '2099-06-01T00:00:00.000Z' });
      expect(await getDispute(store, principal(hr), d2)).toMatchObject({ amendment: { before: { goals: ['Answer within 2h', 'CSAT ≥ 4.2'] }, after: { goals: ['First reply within 4h', 'CSAT ≥ 4.2'], dueAt: '2099-06-01T00:00:00.000Z' } } });
      expect(c.deliveries.map((d) => d.event)).toEqual(['pip.extended', 'pip.paused', 'case.amended']);
    });

    it.skipIf(suite.skip)('who sees what: the employee their own, the manager their line, HR all; a viewer none of the free text', async () => {
      const store = suite.store;
      const ola = await insertCase(store, { type: 'recognition', status: 'open', employeeId: 'ola' });
      const olaDispute = await raiseDispute(store, { name: 'ola', role: 'employee', employeeId: 'ola' }, { subjectType: 'case', subjectId: ola, reason: 'Wrong award title.' });
      const all = (await listDisputes(store, principal(hr))).disputes;
      expect(all.length).toBeGreaterThanOrEqual(5);
      expect(all[0].status).toBe('open'); // open ones first
      expect((await listDisputes(store, principal(ida))).disputes.map((d) => d.employeeId)).toEqual(['ida']);
      expect(new Set((await listDisputes(store, principal(lead))).disputes.map((d) => d.employeeId))).toEqual(new Set(['ida', 'max']));
      await expect(getDispute(store, principal(lead), olaDispute)).rejects.toMatchObject({ code: 'APPRAISE_DISPUTE_NOT_FOUND' });
      const seen = await getDispute(store, { tokenId: 9, name: 'v', role: 'viewer' }, olaDispute);
      expect(seen).toMatchObject({ status: 'open', reason: null, events: [{ event: 'raised', note: null }] });
      expect((await listDisputes(store, principal(hr), { status: ['open'] })).disputes.map((d) => d.id)).toEqual([olaDispute]);
    });
  });
}

describe('dispute words', () => {
  it('a status filter with a typo is an error with a did-you-mean, not an empty list', () => {
    expect(() => checkDisputeStatuses(['overtruned'], 'status')).toThrow(expect.objectContaining({ code: 'APPRAISE_DISPUTE_UNKNOWN_STATUS', message: expect.stringMatching(/Did you mean `overturned`\?/) }));
    expect(checkDisputeStatuses(['open', 'withdrawn'], 'status')).toEqual(['open', 'withdrawn']);
  });

  it('an overturned case is a status of every case type, closed, and no history fact counts it', () => {
    for (const type of ['recognition', 'coaching', 'pip'] as const) {
      expect(TERMINAL[type]).toContain('overturned');
      expect(isBuiltinFact(`history.${type}.overturned`)).toBe(false);
    }
    expect(isBuiltinFact('history.coaching.completed')).toBe(true);
  });
});
