// What Salesforce records become in Appraise: a closed Opportunity → a `sales.deal`, a
// ForecastingQuota → a `sales.quota`, a User → an employee. Only the fields named here are read;
// any other field in an answer (a newer API version adds some) is ignored.
import type { SourceEmployee, SourceRecord } from 'appraise/plugin-api';

type Row = Record<string, unknown>;

/** Salesforce's `2013-05-07T22:07:19.000+0000` as ISO-8601 in UTC (`…Z`); undefined when absent or unreadable. */
export function isoDateTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const t = Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** A Salesforce date (`2026-03-31`, no zone) as the start of that day in UTC. */
export function isoDate(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const t = Date.parse(`${value}T00:00:00.000Z`);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

export type DealOutcome = { record: SourceRecord } | { open: true } | { skipped: string };

/**
 * A closed Opportunity is stored once as a deal: won or lost, its amount, closed at its
 * CloseDate, engaged at its CreatedDate, the owner as the person. An open one is not stored
 * yet: records are write-once, so it is stored when a later sync sees it closed.
 */
export function dealFrom(o: Row): DealOutcome {
  const id = o.Id;
  if (typeof id !== 'string') return { skipped: 'an Opportunity without an Id' };
  if (o.IsClosed !== true) return { open: true };
  const owner = o.OwnerId;
  const closedAt = isoDate(o.CloseDate);
  if (typeof owner !== 'string') return { skipped: `Opportunity ${id} has no OwnerId` };
  if (!closedAt) return { skipped: `Opportunity ${id} is closed without a CloseDate` };
  const payload: Record<string, unknown> = { stage: o.IsWon === true ? 'won' : 'lost', closedAt };
  if (typeof o.Amount === 'number' && o.Amount >= 0) payload.amount = o.Amount;
  const engagedAt = isoDateTime(o.CreatedDate);
  if (engagedAt) payload.engagedAt = engagedAt;
  if (typeof o.AccountId === 'string' && o.AccountId) payload.account = o.AccountId;
  return { record: { kind: 'sales.deal', id, person: owner, occurredAt: closedAt, payload } };
}

/** A revenue quota for one user and one period; its time is the period's start. */
export function quotaFrom(q: Row, periodEnds: ReadonlyMap<string, string>): { record: SourceRecord } | { skipped: string } {
  const id = q.Id;
  if (typeof id !== 'string') return { skipped: 'a ForecastingQuota without an Id' };
  const owner = q.QuotaOwnerId;
  const start = isoDate(q.StartDate);
  if (typeof owner !== 'string') return { skipped: `quota ${id} has no QuotaOwnerId` };
  if (!start) return { skipped: `quota ${id} has no StartDate` };
  if (typeof q.QuotaAmount !== 'number' || !(q.QuotaAmount > 0)) return { skipped: `quota ${id} has no positive QuotaAmount` };
  const payload: Record<string, unknown> = { amount: q.QuotaAmount };
  const end = typeof q.PeriodId === 'string' ? periodEnds.get(q.PeriodId) : undefined;
  if (end) payload.periodEnd = end;
  return { record: { kind: 'sales.quota', id, person: owner, occurredAt: start, payload } };
}

/** A Salesforce User as the person records name; EmployeeNumber (else a FederationIdentifier that is not an email) as the HR id. */
export function employeeFrom(u: Row): SourceEmployee | undefined {
  if (typeof u.Id !== 'string') return undefined;
  const e: SourceEmployee = { id: u.Id, name: typeof u.Name === 'string' && u.Name ? u.Name : u.Id };
  if (typeof u.Email === 'string' && u.Email) e.email = u.Email;
  if (typeof u.EmployeeNumber === 'string' && u.EmployeeNumber.trim()) e.employeeId = u.EmployeeNumber.trim();
  else if (typeof u.FederationIdentifier === 'string' && u.FederationIdentifier.trim() && !u.FederationIdentifier.includes('@')) e.employeeId = u.FederationIdentifier.trim();
  if (typeof u.Title === 'string' && u.Title) e.role = u.Title;
  if (typeof u.Department === 'string' && u.Department) e.department = u.Department;
  if (typeof u.IsActive === 'boolean') e.active = u.IsActive;
  return e;
}
