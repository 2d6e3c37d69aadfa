// Reading cases: the list with filters, sorting and paging, every case or those waiting for the
// one who asks (queue.ts), and one case with its events.
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { withLabels } from '../policy/labels.ts';
import type { Queryable } from '../store/store.ts';
import type { RuleExplanation } from '../evaluate/evaluate.ts';
import { readExplanation } from './stored-explanation.ts';
import type { Role } from '../auth/tokens.ts';
import { DUE_BY_SQL, queueSql, URGENCY_ORDER, type QueueStep } from './queue.ts';
import { orderBySql, type CaseSort } from './sort.ts';

export interface CaseFilter {
  type?: string;
  status?: string[];
  employeeId?: string;
  /** Only these employees (a manager's reporting line, an employee's own). */
  employeeIds?: string[];
  team?: string;
  policyId?: string;
  /** Only cases whose next step is due before this date (`dueBy`). */
  dueBefore?: string;
  /** `mine`: only the cases that wait for `actor` (queue.ts), most urgent first; `all` (the default): every case, newest first. */
  view?: 'all' | 'mine';
  /** Who asks: whose queue `mine` is, and whose next step each case names. */
  actor?: { role: Role; employeeId?: string };
  /** Instead of the view's own order (sort.ts). */
  sort?: CaseSort;
  /** The instant at which check-ins and end dates count as overdue (default: now). */
  now?: Date;
  limit?: number;
  offset?: number;
}

export interface CaseSummary {
  id: number;
  type: string;
  status: string;
  employeeId: string;
  employeeName: string | null;
  team: string | null;
  policyId: string;
  policyVersion: number;
  ruleId: string;
  period: string;
  approval: string;
  dueAt: string | null;
  nextCheckInAt: string | null;
  openedAt: string;
  updatedAt: string;
}

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

function toSummary(r: Record<string, unknown>): CaseSummary {
  return {
    id: Number(r.id),
    type: r.type as string,
    status: r.status as string,
    employeeId: r.employee_id as string,
    employeeName: (r.name as string) ?? null,
    team: (r.team as string) ?? null,
    policyId: r.policy_id as string,
    policyVersion: Number(r.policy_version),
    ruleId: r.rule_id as string,
    period: r.period as string,
    approval: r.approval as string,
    dueAt: iso(r.due_at),
    nextCheckInAt: iso(r.next_checkin_at),
    openedAt: iso(r.opened_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

/** A case as the list shows it: with when its next step is due and, for the one who asks, what that step is. */
export interface CaseListItem extends CaseSummary {
  /** When the case's next step is due (queue.ts DUE_BY_SQL); null for a closed case or one without a date. */
  dueBy: string | null;
  /** What the case waits for from the one who asked; null when nothing. */
  nextStep: QueueStep | null;
}

export async function listCases(db: Queryable, f: CaseFilter = {}): Promise<{ cases: CaseListItem[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const add = (sql: string, v: unknown) => where.push(sql.replace('?', param(v)));
  if (f.type) add('c.type = ?', f.type);
  if (f.status?.length) add('c.status = ANY(?::text[])', f.status);
  if (f.employeeId) add('c.employee_id = ?', f.employeeId);
  if (f.employeeIds) add('c.employee_id = ANY(?::text[])', f.employeeIds);
  if (f.team) add('e.team = ?', f.team);
  if (f.policyId) add('c.policy_id = ?', f.policyId);
  // The date the list shows as due: a running PIP's check-in counts, a closed case never does.
  if (f.dueBefore) add(`(${DUE_BY_SQL}) < ?::timestamptz`, f.dueBefore);
  let nowParam: string | undefined;
  const now = () => (nowParam ??= param((f.now ?? new Date()).toISOString()));
  const mine = f.view === 'mine';
  if (mine && !f.actor) throw new Error('the `mine` view needs the actor whose queue it is');
  // The queue's parameters belong to the WHERE clause when it filters by them (and the count
  // reads them too), else only to the page's SELECT, after the count's.
  let queue = mine ? queueSql(f.actor!, now, param) : undefined;
  if (queue) where.push(queue.needsAction);
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases c LEFT JOIN employees e ON e.id = c.employee_id ${w}`, [...params])).rows[0].n);
  if (!queue && f.actor) queue = queueSql(f.actor, now, param);
  const limit = Math.min(f.limit ?? 50, 500);
  const order = f.sort ? orderBySql(f.sort) : mine ? URGENCY_ORDER : 'c.id DESC';
  const rows = await db.query<Record<string, unknown>>(
    `SELECT c.*, e.name, e.team, ${DUE_BY_SQL} AS due_by, ${queue?.nextStep ?? 'NULL::text'} AS next_step
     FROM cases c LEFT JOIN employees e ON e.id = c.employee_id ${w}
     ORDER BY ${order} LIMIT ${limit} OFFSET ${Math.max(0, f.offset ?? 0)}`,
    params,
  );
  return { cases: rows.rows.map((r) => ({ ...toSummary(r), dueBy: iso(r.due_by), nextStep: (r.next_step as QueueStep) ?? null })), total };
}

export interface CaseEvent {
  id: number;
  at: string;
  actor: string;
  event: string;
  from: string | null;
  to: string | null;
  note: string | null;
  data: Record<string, unknown>;
}

export interface CaseDetail extends CaseSummary {
  params: Record<string, unknown>;
  /** Plain titles of the ids in params that the case's policy version declares (spec.labels). */
  labels: Record<string, string>;
  /** The rule's explanation; null for a case recorded without one (see explanationNote). */
  explanation: RuleExplanation | null;
  /** What a case recorded without a rule explanation carries instead (a historical case's note). */
  explanationNote: string | null;
  goals: string[] | null;
  /** A PIP's support offered (coaching, training, time), set with its plan. */
  support: string | null;
  checkInEveryDays: number | null;
  scheduledFor: string | null;
  supersededBy: number | null;
  workflows: string[];
  events: CaseEvent[];
  deliveries: Array<{ id: number; workflow: string; event: string; status: string; attempts: number; lastError: string | null }>;
}

export async function getCase(db: Queryable, id: number): Promise<CaseDetail> {
  const r = (await db.query<Record<string, unknown>>(`SELECT c.*, e.name, e.team FROM cases c LEFT JOIN employees e ON e.id = c.employee_id WHERE c.id = $1`, [id])).rows[0];
  if (!r) throw new AppraiseError('APPRAISE_CASE_NOT_FOUND', `There is no case ${id}.`, { caseId: id });
  const events = (await db.query<Record<string, unknown>>('SELECT * FROM case_events WHERE case_id = $1 ORDER BY id', [id])).rows.map((e) => ({
    id: Number(e.id), at: iso(e.at)!, actor: e.actor as string, event: e.event as string, from: (e.from_status as string) ?? null, to: (e.to_status as string) ?? null, note: (e.note as string) ?? null, data: e.data as Record<string, unknown>,
  }));
  const deliveries = (await db.query<Record<string, unknown>>('SELECT id, workflow, event, status, attempts, last_error FROM outbox WHERE case_id = $1 ORDER BY id', [id])).rows.map((d) => ({
    id: Number(d.id), workflow: d.workflow as string, event: d.event as string, status: d.status as string, attempts: Number(d.attempts), lastError: (d.last_error as string) ?? null,
  }));
  const summary = toSummary(r);
  const params = (r.params as Record<string, unknown>) ?? {};
  const [{ labels }] = await withLabels(db, [{ policyId: summary.policyId, policyVersion: summary.policyVersion, params }]);
  return {
    ...summary,
    params,
    labels,
    ...readExplanation(r.explanation),
    goals: (r.goals as string[]) ?? null,
    support: (r.support as string) ?? null,
    checkInEveryDays: r.checkin_every_days === null ? null : Number(r.checkin_every_days),
    scheduledFor: iso(r.scheduled_for),
    supersededBy: r.superseded_by === null ? null : Number(r.superseded_by),
    workflows: r.workflows as string[],
    events,
    deliveries,
  };
}
