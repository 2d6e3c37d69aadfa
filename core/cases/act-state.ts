// What the act phase needs to know before it opens a run's cases, read in a handful of queries
// keyed by the run's employees, policies and rules (never one query per case): exemptions in
// force, cases of the same rule in the same period or within its cooldown, PIPs in force, and
// the open coaching a PIP would supersede.
import type { Queryable } from '../store/store.ts';
import { PIP_IN_FORCE } from '../run/history.ts';
import { activeExemptions, type Exemption } from './exemptions.ts';

export const CHUNK = 2000;

/** A fired decision of a policy in enforce mode, as the reads need it. */
export interface Wanted {
  employeeId: string;
  policyId: string;
  ruleId: string;
  period: string;
  outcome: string;
  /** Cases of the rule opened after this instant are within its cooldown; none when the rule has none. */
  cooldownSince?: Date;
}

export interface RuleCase {
  id: number;
  period: string;
  /** ms since the epoch. */
  openedAt: number;
  /** Opened within the rule's cooldown (compared in the store, to the microsecond). */
  recent: boolean;
}

export interface ActState {
  exemptions: Map<string, Exemption[]>;
  /** By ruleKey: the rule's cases of the decision's period, and those within its cooldown, latest first. */
  ruleCases: Map<string, RuleCase[]>;
  /** By employee: the PIP in force. */
  pipInForce: Map<string, number>;
  /** By employee: a PIP proposal that waits for HR's decision. */
  pipProposed: Map<string, number>;
  /** By coachingKey: open or scheduled coaching cases, by id. */
  openCoaching: Map<string, Array<{ id: number; status: string }>>;
}

export const ruleKey = (policyId: string, ruleId: string, employeeId: string) => `${policyId}\u0000${ruleId}\u0000${employeeId}`;
export const coachingKey = (employeeId: string, policyId: string) => `${employeeId}\u0000${policyId}`;

/**
 * Reads the state for `wanted` inside the act's transaction. The open coaching of the PIPs'
 * employees is locked (FOR UPDATE) until the act commits, as it may supersede it.
 */
export async function loadActState(tx: Queryable, wanted: Wanted[], asOf: Date): Promise<ActState> {
  const exemptions = await activeExemptions(tx, wanted.map((w) => w.employeeId), asOf, CHUNK);

  // One index lookup per decision (LATERAL … OFFSET 0 keeps the planner from scanning and
  // sorting every case on file, which it does on PGlite when the table has no statistics).
  const ruleCases = new Map<string, RuleCase[]>();
  const seen = new Set<number>();
  for (let i = 0; i < wanted.length; i += CHUNK) {
    const batch = wanted.slice(i, i + CHUNK);
    const rows = (await tx.query<{ id: number; policy_id: string; rule_id: string; employee_id: string; period: string; opened_at: string | Date; recent: boolean }>(
      `SELECT c.id, c.policy_id, c.rule_id, c.employee_id, c.period, c.opened_at, coalesce(c.opened_at > t.since, false) AS recent
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS t(p, r, e, per, since)
       CROSS JOIN LATERAL (
         SELECT * FROM cases c WHERE c.policy_id = t.p AND c.rule_id = t.r AND c.employee_id = t.e AND (c.period = t.per OR c.opened_at > t.since)
         OFFSET 0) c
       ORDER BY c.opened_at DESC, c.id DESC`,
      [
        batch.map((w) => w.policyId),
        batch.map((w) => w.ruleId),
        batch.map((w) => w.employeeId),
        batch.map((w) => w.period),
        batch.map((w) => w.cooldownSince?.toISOString() ?? null),
      ],
    )).rows;
    for (const r of rows) {
      const id = Number(r.id);
      if (seen.has(id)) continue;
      seen.add(id);
      const key = ruleKey(r.policy_id, r.rule_id, r.employee_id);
      const c = { id, period: r.period, openedAt: new Date(r.opened_at).getTime(), recent: r.recent };
      const list = ruleCases.get(key);
      if (list) list.push(c);
      else ruleCases.set(key, [c]);
    }
  }

  const pips = wanted.filter((w) => w.outcome === 'pip');
  const pipEmployees = [...new Set(pips.map((w) => w.employeeId))];
  const pipPolicies = [...new Set(pips.map((w) => w.policyId))];
  const pipInForce = new Map<string, number>();
  const pipProposed = new Map<string, number>();
  const openCoaching = new Map<string, Array<{ id: number; status: string }>>();
  for (let i = 0; i < pipEmployees.length; i += CHUNK) {
    const batch = pipEmployees.slice(i, i + CHUNK);
    const inForce = await tx.query<{ id: number; employee_id: string; status: string }>(
      `SELECT id, employee_id, status FROM cases WHERE employee_id = ANY($1::text[]) AND type = 'pip' AND status = ANY($2::text[]) ORDER BY id`,
      [batch, [...PIP_IN_FORCE, 'proposed']],
    );
    for (const r of inForce.rows) {
      const to = r.status === 'proposed' ? pipProposed : pipInForce;
      if (!to.has(r.employee_id)) to.set(r.employee_id, Number(r.id));
    }
    const coaching = await tx.query<{ id: number; status: string; employee_id: string; policy_id: string }>(
      `SELECT id, status, employee_id, policy_id FROM cases
       WHERE employee_id = ANY($1::text[]) AND policy_id = ANY($2::text[]) AND type = 'coaching' AND status IN ('open', 'scheduled')
       ORDER BY id FOR UPDATE`,
      [batch, pipPolicies],
    );
    for (const r of coaching.rows) {
      const key = coachingKey(r.employee_id, r.policy_id);
      const c = { id: Number(r.id), status: r.status };
      const list = openCoaching.get(key);
      if (list) list.push(c);
      else openCoaching.set(key, [c]);
    }
  }
  return { exemptions, ruleCases, pipInForce, pipProposed, openCoaching };
}
