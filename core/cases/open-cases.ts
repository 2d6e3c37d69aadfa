// act: a run's fired decisions become cases. Idempotent per policy, rule, employee and period
// (a repeated or resumed run opens nothing twice); cooldowns, exemptions, audit mode, a version
// in its notice period (policies.noticeDays), a PIP
// already in force and a PIP proposal still waiting for HR suppress a case, and each
// suppression is recorded with its reason.
//
// Set-based: the state the checks need is read in a handful of queries (act-state.ts), the
// checks run in JavaScript in the order the decisions are acted on (PIPs first, then coaching,
// then recognition; within an outcome the decisions' order), each seeing the cases opened before
// it in the same run, and the cases, their events, supersessions, workflow deliveries and
// suppressions are written in multi-row statements of up to CHUNK rows. The whole act is one
// transaction: a run's cases, with their events and deliveries, are all written or none is.
import type { Queryable, Store } from '../store/store.ts';
import type { Decision } from '../run/decide.ts';
import type { Policy } from '../policy/types.ts';
import { parseDuration } from '../policy/duration.ts';
import { enqueueCaseDeliveries, type Delivery } from '../workflows/outbox.ts';
import { PIP_IN_FORCE } from '../run/history.ts';
import { INITIAL_STATUS, type CaseType } from './lifecycle.ts';
import { DEFAULT_COACHING_DUE_WITHIN_DAYS } from '../config/config.ts';
import { exemptionFor } from './exemptions.ts';
import { CHUNK, coachingKey, loadActState, ruleKey, type ActState, type Wanted } from './act-state.ts';
import { inNoticePeriod, NOTICE_PERIOD_REASON, noticePeriodWords } from '../compliance/notices/notice-period.ts';

export interface ActOptions {
  asOf: Date;
  policies: ReadonlyMap<string, Policy>;
  /** Workflows fired for every case of a type, besides the rule's own. */
  defaultWorkflows: Record<CaseType, string[]>;
  /** Days after opening that a coaching case is due when its policy gives no spec.coaching.dueWithin (config `cases.coachingDueWithinDays`; default 14). */
  coachingDueWithinDays?: number;
  /**
   * When each policy's version is enforced from (`policies.noticeDays`): before that its fired
   * decisions are suppressed as `notice-period`, as audit mode's are.
   */
  notices?: ReadonlyMap<string, { enforcedFrom: string; noticeDays: number }>;
}

/** Each run policy's notice period, for ActOptions.notices. */
export function noticesOf(policies: ReadonlyArray<{ compiled: { policy: Policy }; notice?: { enforcedFrom: string; noticeDays: number } }>): Map<string, { enforcedFrom: string; noticeDays: number }> {
  return new Map(policies.flatMap((p) => (p.notice ? [[p.compiled.policy.metadata.id, p.notice] as const] : [])));
}

export interface ActSummary {
  opened: Record<CaseType, number>;
  existing: number;
  suppressed: Record<string, number>;
  superseded: number;
  deliveries: number;
}

/** A case a check refers to: one on file, or one this act opens (its id known once inserted). */
interface CaseRef {
  id?: number;
  period: string;
  openedAt: number;
  /** One on file opened within the rule's cooldown (undefined: one this run opens). */
  recent?: boolean;
}

interface Open {
  kind: 'open';
  d: Decision;
  decisionId: number;
  status: string;
  approval: 'required' | 'none';
  workflows: string[];
  /** When the case is due (a coaching case: its policy's due-by after opening), or null. */
  dueAt: string | null;
  ref: CaseRef;
}

interface Suppress {
  kind: 'suppress';
  d: Decision;
  decisionId: number;
  reason: string;
  /** Called once every case opened before it in the run has its id. */
  detail: () => string;
}

type Step = Open | Suppress;

export async function openCases(store: Store, runId: number, decisions: Decision[], decisionIds: number[], opts: ActOptions): Promise<ActSummary> {
  const summary: ActSummary = { opened: { recognition: 0, coaching: 0, pip: 0 }, existing: 0, suppressed: {}, superseded: 0, deliveries: 0 };
  const fired = decisions.map((d, i) => ({ d, id: decisionIds[i] })).filter((x) => x.d.status === 'fired');
  // PIPs first, so that a PIP supersedes the coaching case the same run might otherwise open.
  fired.sort((a, b) => rank(a.d.outcome) - rank(b.d.outcome));
  if (!fired.length) return summary;
  return store.transaction(async (tx) => {
    const wanted: Wanted[] = [];
    for (const { d } of fired) {
      const policy = opts.policies.get(d.policyId);
      if (!policy || (policy.spec.mode ?? 'enforce') === 'audit' || inNoticePeriod(opts.asOf, opts.notices?.get(d.policyId)?.enforcedFrom)) continue;
      const cooldown = policy.spec.rules.find((r) => r.id === d.ruleId)?.cooldown;
      wanted.push({ employeeId: d.employeeId, policyId: d.policyId, ruleId: d.ruleId, period: d.period, outcome: d.outcome, ...(cooldown ? { cooldownSince: cooldownSince(opts.asOf, cooldown) } : {}) });
    }
    const state = await loadActState(tx, wanted, opts.asOf);
    const steps = decide(fired, state, opts, summary);
    for (let i = 0; i < steps.length; i += CHUNK) await write(tx, runId, steps.slice(i, i + CHUNK), state, summary);
    return summary;
  });
}

/** A case's idempotency key: policy, rule, employee and period. */
const caseKey = (policyId: string, ruleId: string, employeeId: string, period: string) => `${ruleKey(policyId, ruleId, employeeId)}\u0000${period}`;

function rank(outcome: string): number {
  return outcome === 'pip' ? 0 : outcome === 'coaching' ? 1 : 2;
}

/**
 * A new coaching case is due its policy's `spec.coaching.dueWithin` after the run's as-of instant
 * (when it is opened), else the config's days, so that it counts among the dashboard's due dates
 * and the manager's queue orders it. A PIP's due date is its plan's end, set at approval.
 */
export function coachingDueAt(opts: Pick<ActOptions, 'asOf' | 'coachingDueWithinDays'>, policy: Policy): string {
  const dueWithin = policy.spec.coaching?.dueWithin;
  const seconds = (dueWithin === undefined ? undefined : parseDuration(dueWithin)) ?? (opts.coachingDueWithinDays ?? DEFAULT_COACHING_DUE_WITHIN_DAYS) * 86400;
  return new Date(opts.asOf.getTime() + seconds * 1000).toISOString();
}

function cooldownSince(asOf: Date, cooldown: string): Date {
  return new Date(asOf.getTime() - parseDuration(cooldown)! * 1000);
}

/**
 * The checks of each fired decision, in the order they are acted on, against the state read
 * and the cases opened before it in this run. Counts suppressions and cases already on file.
 */
function decide(fired: Array<{ d: Decision; id: number }>, state: ActState, opts: ActOptions, summary: ActSummary): Step[] {
  const steps: Step[] = [];
  const asOf = opts.asOf.getTime();
  // The cases of each rule and employee (on file, latest first; then the ones this run opens).
  const ruleCases = new Map<string, CaseRef[]>(state.ruleCases);
  const pipInForce = new Map<string, CaseRef>([...state.pipInForce].map(([e, id]) => [e, { id, period: '', openedAt: 0 }]));
  const pipProposed = new Map<string, CaseRef>([...state.pipProposed].map(([e, id]) => [e, { id, period: '', openedAt: 0 }]));
  for (const { d, id } of fired) {
    const policy = opts.policies.get(d.policyId);
    if (!policy) continue;
    const rule = policy.spec.rules.find((r) => r.id === d.ruleId)!;
    const suppress = (reason: string, detail: () => string) => {
      steps.push({ kind: 'suppress', d, decisionId: id, reason, detail });
      summary.suppressed[reason] = (summary.suppressed[reason] ?? 0) + 1;
    };
    if ((policy.spec.mode ?? 'enforce') === 'audit') {
      suppress('audit', () => `${d.policyId} is in audit mode: decisions are recorded, no case is opened`);
      continue;
    }
    const notice = opts.notices?.get(d.policyId);
    if (notice && inNoticePeriod(opts.asOf, notice.enforcedFrom)) {
      suppress(NOTICE_PERIOD_REASON, () => `${d.policyId} v${d.policyVersion} is in its notice period: decisions are recorded, no case is opened; it is ${noticePeriodWords(notice.enforcedFrom, notice.noticeDays)}`);
      continue;
    }
    const exemption = exemptionFor(state.exemptions.get(d.employeeId), d.policyId, d.outcome);
    if (exemption) {
      suppress('exemption', () => `exempt from ${exemption.policyId ?? 'every policy'}${exemption.outcome ? ` (${exemption.outcome})` : ''} until ${exemption.until}: ${exemption.reason}`);
      continue;
    }
    const key = ruleKey(d.policyId, d.ruleId, d.employeeId);
    const cases = ruleCases.get(key) ?? [];
    if (cases.some((c) => c.period === d.period)) {
      summary.existing++;
      continue;
    }
    if (rule.cooldown) {
      const since = cooldownSince(opts.asOf, rule.cooldown).getTime();
      // The latest within the cooldown: the first on file (latest first) that is, unless a case
      // this run opened is later (the store's instants are finer than a millisecond).
      let recent = cases.find((c) => c.recent);
      for (const c of cases) if (c.recent === undefined && c.openedAt > since && (!recent || c.openedAt > recent.openedAt)) recent = c;
      if (recent) {
        const r = recent;
        suppress('cooldown', () => `case ${r.id} of this rule was opened ${new Date(r.openedAt).toISOString().slice(0, 10)}, within the ${rule.cooldown} cooldown`);
        continue;
      }
    }
    if (d.outcome === 'pip') {
      const inForce = pipInForce.get(d.employeeId);
      if (inForce) {
        suppress('pip-in-force', () => `PIP case ${inForce.id} is already in force for this employee`);
        continue;
      }
      // One proposal at a time: a later cycle's PIP waits for HR's decision on the first one,
      // rather than queueing a second PIP for the same person.
      const proposed = pipProposed.get(d.employeeId);
      if (proposed) {
        suppress('pip-proposed', () => `PIP case ${proposed.id} for this employee still waits for HR's decision`);
        continue;
      }
    }
    const approval = rule.approval ?? (d.outcome === 'pip' ? 'required' : 'none');
    const status = INITIAL_STATUS[d.outcome](approval);
    const workflows = [...new Set([...(rule.then.workflows ?? []), ...opts.defaultWorkflows[d.outcome]])];
    const ref: CaseRef = { period: d.period, openedAt: asOf };
    const dueAt = d.outcome === 'coaching' ? coachingDueAt(opts, policy) : null;
    steps.push({ kind: 'open', d, decisionId: id, status, approval, workflows, dueAt, ref });
    ruleCases.set(key, [...cases, ref]);
    if (d.outcome === 'pip') (PIP_IN_FORCE.includes(status) ? pipInForce : pipProposed).set(d.employeeId, ref);
  }
  return steps;
}

/** Writes a run of steps: their cases, then events, supersessions and deliveries of the cases opened, then suppressions. */
async function write(tx: Queryable, runId: number, steps: Step[], state: ActState, summary: ActSummary): Promise<void> {
  const opens = steps.filter((s): s is Open => s.kind === 'open');
  const opened = await insertCases(tx, runId, opens, summary);
  const actor = `system:run-${runId}`;
  const events: Array<[caseId: number, event: string, from: string | null, to: string, note: string, data: string]> = [];
  const supersede: Array<[id: number, by: number]> = [];
  const deliveries: Array<Omit<Delivery, 'payload'>> = [];
  for (const o of opened) {
    const { d } = o;
    const caseId = o.ref.id!;
    events.push([caseId, 'opened', null, o.status, `${d.policyId} v${d.policyVersion} rule ${d.ruleId} fired for ${d.period}`, JSON.stringify({ runId, decisionId: o.decisionId })]);
    summary.opened[d.outcome]++;
    if (d.outcome === 'pip') {
      // A PIP supersedes the employee's open coaching case of the same policy; recorded on both.
      const key = coachingKey(d.employeeId, d.policyId);
      const coaching = state.openCoaching.get(key) ?? [];
      state.openCoaching.delete(key);
      for (const c of coaching) {
        supersede.push([c.id, caseId]);
        events.push([c.id, 'transition', c.status, 'superseded', `superseded by PIP case ${caseId}`, JSON.stringify({ action: 'supersede', supersededBy: caseId })]);
      }
      summary.superseded += coaching.length;
    }
    for (const workflow of o.workflows) deliveries.push({ caseId, workflow, event: 'case.opened' });
  }
  if (events.length) {
    await tx.query(
      `INSERT INTO case_events (case_id, actor, event, from_status, to_status, note, data)
       SELECT c, $1, e, f, t, n, da
       FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[]) WITH ORDINALITY AS x(c, e, f, t, n, da, i)
       ORDER BY i`,
      [actor, ...[0, 1, 2, 3, 4, 5].map((k) => events.map((e) => e[k]))],
    );
  }
  if (supersede.length) {
    await tx.query(
      `UPDATE cases c SET status = 'superseded', superseded_by = x.by, updated_at = now(), closed_at = now()
       FROM unnest($1::bigint[], $2::bigint[]) AS x(id, by) WHERE c.id = x.id`,
      [supersede.map((s) => s[0]), supersede.map((s) => s[1])],
    );
  }
  // Queued after the supersessions, as before: a delivery's payload is its case as it then stands.
  summary.deliveries += await enqueueCaseDeliveries(tx, deliveries, CHUNK);
  const suppressions = steps.filter((s): s is Suppress => s.kind === 'suppress');
  if (suppressions.length) {
    await tx.query(
      `INSERT INTO suppressions (run_id, decision_id, employee_id, policy_id, rule_id, outcome, reason, detail)
       SELECT $1, di, e, p, r, o, re, de
       FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY AS x(di, e, p, r, o, re, de, i)
       ORDER BY i`,
      [
        runId,
        suppressions.map((s) => s.decisionId ?? null),
        suppressions.map((s) => s.d.employeeId),
        suppressions.map((s) => s.d.policyId),
        suppressions.map((s) => s.d.ruleId),
        suppressions.map((s) => s.d.outcome),
        suppressions.map((s) => s.reason),
        suppressions.map((s) => s.detail()),
      ],
    );
  }
}

/**
 * Inserts the cases of `opens` in their order (so their ids follow it) and returns those it
 * opened. A case that another run opened meanwhile (the unique key of policy, rule, employee and
 * period) is skipped, counted as existing, and gets no event or delivery; a check that referred
 * to it sees that run's case.
 */
async function insertCases(tx: Queryable, runId: number, opens: Open[], summary: ActSummary): Promise<Open[]> {
  if (!opens.length) return [];
  // The rows as one JSON parameter: PGlite reads a large JSON text several times faster than
  // the same values as arrays of JSON texts.
  const rows = (await tx.query<{ id: number; policy_id: string; rule_id: string; employee_id: string; period: string }>(
    `INSERT INTO cases (type, status, employee_id, policy_id, policy_version, rule_id, period, run_id, decision_id, params, explanation, approval, workflows, due_at, opened_at)
     SELECT r->>0, r->>1, r->>2, r->>3, (r->>4)::int, r->>5, r->>6, $1, (r->>7)::bigint, r->8, r->9, r->>10, r->11, (r->>12)::timestamptz, $2
     FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS x(r, i)
     ORDER BY i
     ON CONFLICT (policy_id, rule_id, employee_id, period) DO NOTHING
     RETURNING id, policy_id, rule_id, employee_id, period`,
    [
      runId,
      new Date(opens[0].ref.openedAt).toISOString(),
      JSON.stringify(opens.map((o) => [o.d.outcome, o.status, o.d.employeeId, o.d.policyId, o.d.policyVersion, o.d.ruleId, o.d.period, o.decisionId ?? null, o.d.params, o.d.explanation, o.approval, o.workflows, o.dueAt])),
    ],
  )).rows;
  const ids = new Map(rows.map((r) => [caseKey(r.policy_id, r.rule_id, r.employee_id, r.period), Number(r.id)]));
  const opened: Open[] = [];
  const skipped: Open[] = [];
  for (const o of opens) {
    const id = ids.get(caseKey(o.d.policyId, o.d.ruleId, o.d.employeeId, o.d.period));
    if (id === undefined) {
      skipped.push(o);
    } else {
      o.ref.id = id;
      opened.push(o);
    }
  }
  if (skipped.length) {
    summary.existing += skipped.length;
    await adoptSkipped(tx, skipped);
  }
  return opened;
}

/** The cases another run opened in place of `skipped`: counted as existing, referred to by their own id and instant. */
async function adoptSkipped(tx: Queryable, skipped: Open[]): Promise<void> {
  const rows = (await tx.query<{ id: number; policy_id: string; rule_id: string; employee_id: string; period: string; opened_at: string | Date }>(
    `SELECT c.id, c.policy_id, c.rule_id, c.employee_id, c.period, c.opened_at
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(p, r, e, per)
     JOIN cases c ON c.policy_id = x.p AND c.rule_id = x.r AND c.employee_id = x.e AND c.period = x.per`,
    [skipped.map((o) => o.d.policyId), skipped.map((o) => o.d.ruleId), skipped.map((o) => o.d.employeeId), skipped.map((o) => o.d.period)],
  )).rows;
  const byKey = new Map(rows.map((r) => [caseKey(r.policy_id, r.rule_id, r.employee_id, r.period), r]));
  for (const o of skipped) {
    const r = byKey.get(caseKey(o.d.policyId, o.d.ruleId, o.d.employeeId, o.d.period));
    if (r) Object.assign(o.ref, { id: Number(r.id), openedAt: new Date(r.opened_at).getTime() });
  }
}
