// Reading cycles and reviews: the cycles with their progress (who has self-assessed, who is
// signed off, how many are overdue), the reviews of a cycle, and one review with its events.
// A step is overdue when its deadline has passed and the review still waits for it.
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import type { Queryable } from '../../store/store.ts';
import type { Selector } from '../../policy/types.ts';
import type { CaseEvent } from '../../cases/queries.ts';
import { REVIEW_STATUSES, STEP_OF, type ReviewStatus, type ReviewStep } from './lifecycle.ts';
import type { ReviewTemplate } from './template.ts';
import type { Packet } from './packet.ts';

export interface CycleSummary {
  id: string;
  period: string;
  title: string;
  templateId: string;
  appliesTo: Selector;
  due: { self: string; manager: string; signoff: string };
  status: 'open' | 'closed';
  openedBy: string;
  openedAt: string;
  /** Over the reviews the reader may see. */
  progress: { total: number; byStatus: Record<string, number>; selfAssessed: number; signedOff: number; overdue: number };
}

export interface ReviewSummary {
  id: number;
  cycleId: string;
  employeeId: string;
  employeeName: string | null;
  team: string | null;
  managerId: string | null;
  managerName: string | null;
  status: ReviewStatus;
  /** The step it waits for, its deadline, and whether that has passed. */
  step: ReviewStep | null;
  dueAt: string | null;
  overdue: boolean;
  overallScore: number | null;
}

/** A step of a review, shaped as a case's event (without the id). */
export type ReviewEvent = Omit<CaseEvent, 'id'>;

export interface ReviewDetail extends ReviewSummary {
  period: string;
  cycleTitle: string;
  template: ReviewTemplate;
  due: { self: string; manager: string; signoff: string };
  selfAssessment: { sections: Record<string, string>; summary?: string } | null;
  managerAssessment: { sections: Record<string, { rating: number; comment?: string }>; summary?: string; amendments?: Amendment[] } | null;
  employeeSignedBy: string | null;
  employeeSignedAt: string | null;
  managerSignedBy: string | null;
  managerSignedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgement: string | null;
  packetFrozenAt: string | null;
  events: ReviewEvent[];
}

export interface Amendment {
  section: string;
  from: number;
  to: number;
  note: string;
  actor: string;
  at: string;
  /** The dispute that led to it, when one did. */
  disputeId?: number;
}

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/** The deadline of the step a review waits for, as SQL over `r` (reviews). */
const DUE_SQL = `CASE r.status WHEN 'open' THEN r.self_due_at WHEN 'self-assessed' THEN r.manager_due_at
  WHEN 'manager-assessed' THEN r.signoff_due_at WHEN 'employee-signed' THEN r.signoff_due_at WHEN 'manager-signed' THEN r.signoff_due_at END`;

export async function listCycles(db: Queryable, o: { employeeIds?: string[]; now?: Date } = {}): Promise<CycleSummary[]> {
  const now = (o.now ?? new Date()).toISOString();
  const cycles = (await db.query<Record<string, unknown>>('SELECT * FROM review_cycles ORDER BY opened_at DESC, id')).rows;
  const counts = (await db.query<{ cycle_id: string; status: string; n: number; overdue: number }>(
    `SELECT r.cycle_id, r.status, count(*)::int AS n, count(*) FILTER (WHERE ${DUE_SQL} < $1)::int AS overdue
     FROM reviews r WHERE ($2::text[] IS NULL OR r.employee_id = ANY($2::text[])) GROUP BY r.cycle_id, r.status`,
    [now, o.employeeIds ?? null],
  )).rows;
  return cycles.map((c) => {
    const mine = counts.filter((x) => x.cycle_id === c.id);
    const byStatus = Object.fromEntries(REVIEW_STATUSES.map((s) => [s, mine.find((x) => x.status === s)?.n ?? 0]));
    const sum = (statuses: string[]) => statuses.reduce((t, s) => t + (byStatus[s] ?? 0), 0);
    return {
      id: String(c.id), period: String(c.period), title: String(c.title), templateId: String(c.template_id), appliesTo: c.applies_to as Selector,
      due: { self: iso(c.self_due_at)!, manager: iso(c.manager_due_at)!, signoff: iso(c.signoff_due_at)! },
      status: c.status as 'open' | 'closed', openedBy: String(c.opened_by), openedAt: iso(c.opened_at)!,
      progress: {
        total: mine.reduce((t, x) => t + x.n, 0), byStatus,
        selfAssessed: sum(['self-assessed', 'manager-assessed', 'employee-signed', 'manager-signed', 'signed-off', 'acknowledged']),
        signedOff: sum(['signed-off', 'acknowledged']),
        overdue: mine.reduce((t, x) => t + x.overdue, 0),
      },
    };
  });
}

export interface ReviewFilter {
  cycleId?: string;
  employeeId?: string;
  employeeIds?: string[];
  status?: string[];
  overdue?: boolean;
  limit?: number;
  offset?: number;
  now?: Date;
}

const SUMMARY_SQL = `SELECT r.*, ${DUE_SQL} AS due_at, e.name AS employee_name, e.team, m.name AS manager_name
  FROM reviews r LEFT JOIN employees e ON e.id = r.employee_id LEFT JOIN employees m ON m.id = r.manager_id`;

function toSummary(r: Record<string, unknown>, now: Date): ReviewSummary {
  const status = r.status as ReviewStatus;
  const due = iso(r.due_at);
  return {
    id: Number(r.id), cycleId: String(r.cycle_id), employeeId: String(r.employee_id), employeeName: (r.employee_name as string) ?? null, team: (r.team as string) ?? null,
    managerId: (r.manager_id as string) ?? null, managerName: (r.manager_name as string) ?? null, status, step: STEP_OF[status] ?? null,
    dueAt: due, overdue: due !== null && new Date(due) < now, overallScore: r.overall_score === null || r.overall_score === undefined ? null : Number(r.overall_score),
  };
}

export async function listReviews(db: Queryable, f: ReviewFilter = {}): Promise<{ reviews: ReviewSummary[]; total: number }> {
  const now = f.now ?? new Date();
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (f.cycleId) add('r.cycle_id = ?', f.cycleId);
  if (f.employeeId) add('r.employee_id = ?', f.employeeId);
  if (f.employeeIds) add('r.employee_id = ANY(?::text[])', f.employeeIds);
  if (f.status?.length) add('r.status = ANY(?::text[])', f.status);
  if (f.overdue) add(`${DUE_SQL} < ?`, now.toISOString());
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM reviews r ${w}`, params)).rows[0].n);
  const rows = (await db.query<Record<string, unknown>>(`${SUMMARY_SQL} ${w} ORDER BY r.cycle_id DESC, e.name, r.id LIMIT ${Math.floor(f.limit ?? 200)} OFFSET ${Math.floor(f.offset ?? 0)}`, params)).rows;
  return { reviews: rows.map((r) => toSummary(r, now)), total };
}

export async function getReview(db: Queryable, id: number, now: Date = new Date()): Promise<ReviewDetail> {
  const r = (await db.query<Record<string, unknown>>(
    `SELECT x.*, c.period, c.title AS cycle_title, c.template FROM (${SUMMARY_SQL} WHERE r.id = $1) x JOIN review_cycles c ON c.id = x.cycle_id`, [id],
  )).rows[0];
  if (!r) throw new AppraiseError('APPRAISE_REVIEW_NOT_FOUND', `There is no review ${id}. \`npx appraise reviews list\` lists them.`, { reviewId: id });
  const events = (await db.query<Record<string, unknown>>('SELECT * FROM review_events WHERE review_id = $1 ORDER BY id', [id])).rows.map((e): ReviewEvent => ({
    at: iso(e.at)!, actor: String(e.actor), event: String(e.event), from: (e.from_status as string) ?? null, to: (e.to_status as string) ?? null, note: (e.note as string) ?? null, data: (e.data as Record<string, unknown>) ?? {},
  }));
  return {
    ...toSummary(r, now),
    period: String(r.period), cycleTitle: String(r.cycle_title), template: r.template as ReviewTemplate,
    due: { self: iso(r.self_due_at)!, manager: iso(r.manager_due_at)!, signoff: iso(r.signoff_due_at)! },
    selfAssessment: (r.self_assessment as ReviewDetail['selfAssessment']) ?? null,
    managerAssessment: (r.manager_assessment as ReviewDetail['managerAssessment']) ?? null,
    employeeSignedBy: (r.employee_signed_by as string) ?? null, employeeSignedAt: iso(r.employee_signed_at),
    managerSignedBy: (r.manager_signed_by as string) ?? null, managerSignedAt: iso(r.manager_signed_at),
    acknowledgedAt: iso(r.acknowledged_at), acknowledgement: (r.acknowledgement as string) ?? null,
    packetFrozenAt: iso(r.packet_frozen_at), events,
  };
}

/** The packet frozen at sign-off, or undefined while the review runs. */
export async function frozenPacket(db: Queryable, id: number): Promise<Packet | undefined> {
  const r = (await db.query<{ packet: Packet | null }>('SELECT packet FROM reviews WHERE id = $1', [id])).rows[0];
  return r?.packet ?? undefined;
}

/**
 * What a viewer gets: the progress and the ratings, none of the free text (self-assessment,
 * comments, the acknowledgement, notes).
 */
export function withoutFreeText(r: ReviewDetail): ReviewDetail {
  return {
    ...r,
    selfAssessment: r.selfAssessment ? { sections: Object.fromEntries(Object.keys(r.selfAssessment.sections).map((k) => [k, ''])) } : null,
    managerAssessment: r.managerAssessment
      ? { sections: Object.fromEntries(Object.entries(r.managerAssessment.sections).map(([k, v]) => [k, { rating: v.rating }])), amendments: r.managerAssessment.amendments?.map((a) => ({ ...a, note: '' })) }
      : null,
    acknowledgement: null,
    events: r.events.map((e) => ({ ...e, note: null, data: {} })),
  };
}
