// Reading disputes, scoped like cases: an employee sees the disputes about their own record, a
// manager those of their line, HR and admin all of them. A viewer sees that disputes exist and
// how they ended, never their free text (reason, notes, amendments).
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { canSee, visibleEmployees } from '../../auth/scope.ts';
import type { Principal } from '../../auth/tokens.ts';
import type { Queryable } from '../../store/store.ts';
import { subjectOf } from './subjects.ts';
import type { DisputeStatus, SubjectType } from './subject.ts';

export interface DisputeEvent {
  id: number;
  at: string;
  actor: string;
  event: string;
  from: string | null;
  to: string;
  note: string | null;
}

export interface Dispute {
  id: number;
  subjectType: SubjectType;
  subjectId: number;
  section: string | null;
  /** How the subject is named in a list (`Coaching case #12`). */
  subjectTitle: string;
  employeeId: string;
  employeeName: string | null;
  status: DisputeStatus;
  reason: string | null;
  raisedBy: string;
  raisedAs: 'employee' | 'manager';
  raisedAt: string;
  resolutionNote: string | null;
  amendment: { before: Record<string, unknown>; after: Record<string, unknown> } | null;
  closedBy: string | null;
  closedAt: string | null;
}

export interface DisputeDetail extends Dispute {
  events: DisputeEvent[];
}

export interface DisputeFilter {
  status?: DisputeStatus[];
  subjectType?: SubjectType;
  subjectId?: number;
  employeeId?: string;
  limit?: number;
  offset?: number;
}

type Viewer = Pick<Principal, 'role' | 'employeeId' | 'name'>;

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
const freeText = (viewer: Viewer) => viewer.role !== 'viewer';

function toDispute(r: Record<string, unknown>, title: string, viewer: Viewer): Dispute {
  const text = freeText(viewer);
  return {
    id: Number(r.id),
    subjectType: r.subject_type as SubjectType,
    subjectId: Number(r.subject_id),
    section: (r.section as string) ?? null,
    subjectTitle: title,
    employeeId: r.employee_id as string,
    employeeName: (r.name as string) ?? null,
    status: r.status as DisputeStatus,
    reason: text ? (r.reason as string) : null,
    raisedBy: r.raised_by as string,
    raisedAs: r.raised_as as 'employee' | 'manager',
    raisedAt: iso(r.raised_at)!,
    resolutionNote: text ? ((r.resolution_note as string) ?? null) : null,
    amendment: text ? ((r.amendment as Dispute['amendment']) ?? null) : null,
    closedBy: (r.closed_by as string) ?? null,
    closedAt: iso(r.closed_at),
  };
}

async function withTitles(db: Queryable, rows: Array<Record<string, unknown>>, viewer: Viewer): Promise<Dispute[]> {
  const titles = new Map<string, string>();
  for (const type of new Set(rows.map((r) => r.subject_type as string))) {
    const ids = rows.filter((r) => r.subject_type === type).map((r) => Number(r.subject_id));
    for (const [id, t] of await subjectOf(type).titles(db, ids)) titles.set(`${type}:${id}`, t);
  }
  return rows.map((r) => {
    const key = `${r.subject_type as string}:${Number(r.subject_id)}`;
    return toDispute(r, (titles.get(key) ?? key) + (r.section ? ` — ${r.section as string}` : ''), viewer);
  });
}

/** The disputes the viewer may see, open ones first, then the newest. */
export async function listDisputes(db: Queryable, viewer: Principal, f: DisputeFilter = {}): Promise<{ disputes: Dispute[]; total: number }> {
  const visible = await visibleEmployees(db, viewer);
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (visible !== 'all') add('d.employee_id = ANY(?::text[])', visible);
  if (f.status?.length) add('d.status = ANY(?::text[])', f.status);
  if (f.subjectType) add('d.subject_type = ?', f.subjectType);
  if (f.subjectId !== undefined) add('d.subject_id = ?', f.subjectId);
  if (f.employeeId) add('d.employee_id = ?', f.employeeId);
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM disputes d ${w}`, params)).rows[0].n);
  const rows = await db.query<Record<string, unknown>>(
    `SELECT d.*, e.name FROM disputes d LEFT JOIN employees e ON e.id = d.employee_id ${w}
     ORDER BY (d.status = 'open') DESC, d.raised_at DESC, d.id DESC LIMIT ${Math.min(f.limit ?? 50, 500)} OFFSET ${Math.max(0, f.offset ?? 0)}`,
    params,
  );
  return { disputes: await withTitles(db, rows.rows, viewer), total };
}

/** One dispute with its steps; one the viewer may not see is "not found", as a case is. */
export async function getDispute(db: Queryable, viewer: Principal, id: number): Promise<DisputeDetail> {
  const r = (await db.query<Record<string, unknown>>('SELECT d.*, e.name FROM disputes d LEFT JOIN employees e ON e.id = d.employee_id WHERE d.id = $1', [id])).rows[0];
  if (!r || !canSee(await visibleEmployees(db, viewer), r.employee_id as string)) {
    throw new AppraiseError('APPRAISE_DISPUTE_NOT_FOUND', `There is no dispute ${id}. \`npx appraise disputes list\` lists them.`, { disputeId: id });
  }
  const [dispute] = await withTitles(db, [r], viewer);
  const events = (await db.query<Record<string, unknown>>('SELECT * FROM dispute_events WHERE dispute_id = $1 ORDER BY id', [id])).rows.map((e) => ({
    id: Number(e.id), at: iso(e.at)!, actor: e.actor as string, event: e.event as string, from: (e.from_status as string) ?? null, to: e.to_status as string,
    note: freeText(viewer) ? ((e.note as string) ?? null) : null,
  }));
  return { ...dispute, events };
}

/** A case's timeline for a viewer: the dispute steps without their free text. */
export function redactDisputeEvents<E extends { event: string; note: string | null; data: Record<string, unknown> }>(events: E[], viewer: Viewer): E[] {
  if (freeText(viewer)) return events;
  return events.map((e) => (e.event === 'dispute' || e.data?.dispute ? { ...e, note: null, data: { ...e.data, dispute: undefined, reason: undefined } } : e));
}
