// Upward feedback: an employee to their manager. Lifecycle: given → acknowledged (by the manager).
// Anonymous only where the manager's group (their direct reports) has at least
// MIN_ANONYMOUS_GROUP people; in a smaller group the manager could tell who wrote it. An
// anonymous feedback keeps no trace of its author: no author column, no actor on its event or
// in the audit log, and only the day it was given, never the instant.
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import type { Principal } from '../../auth/tokens.ts';
import type { Queryable, Store } from '../../store/store.ts';
import { actingPerson, directReports, findPerson, isHr, MIN_ANONYMOUS_GROUP, requireText } from './people.ts';
import { recordStep } from './steps.ts';

export interface UpwardFeedback {
  id: number;
  managerId: string;
  managerName: string | null;
  anonymous: boolean;
  /** Null when anonymous. */
  authorId: string | null;
  author: string | null;
  body: string;
  status: 'given' | 'acknowledged';
  givenOn: string;
  acknowledgedAt: string | null;
}

const toUpward = (r: Record<string, unknown>): UpwardFeedback => ({
  id: Number(r.id),
  managerId: r.manager_id as string,
  managerName: (r.manager_name as string) ?? null,
  anonymous: Boolean(r.anonymous),
  authorId: (r.author_id as string) ?? null,
  author: (r.author as string) ?? null,
  body: r.body as string,
  status: r.status as UpwardFeedback['status'],
  givenOn: typeof r.given_on === 'string' ? r.given_on.slice(0, 10) : new Date(r.given_on as Date).toISOString().slice(0, 10),
  acknowledgedAt: r.acknowledged_at ? new Date(r.acknowledged_at as string).toISOString() : null,
});

export interface UpwardOptions {
  /** Null for someone without a manager in the employee list: there is nobody to send it to. */
  managerId: string | null;
  managerName: string | null;
  groupSize: number;
  /** Whether the author may stay anonymous, and why not when not. */
  anonymousAllowed: boolean;
  minGroupSize: number;
}

/** What the form offers the employee: their manager, and whether anonymity is possible. */
export async function upwardOptions(db: Queryable, actor: Principal): Promise<UpwardOptions> {
  const me = await actingPerson(db, actor, 'give upward feedback');
  if (!me.managerId) return { managerId: null, managerName: null, groupSize: 0, anonymousAllowed: false, minGroupSize: MIN_ANONYMOUS_GROUP };
  const manager = await findPerson(db, me.managerId);
  const groupSize = await directReports(db, manager.id);
  return { managerId: manager.id, managerName: manager.name, groupSize, anonymousAllowed: groupSize >= MIN_ANONYMOUS_GROUP, minGroupSize: MIN_ANONYMOUS_GROUP };
}

export async function giveUpward(store: Store, actor: Principal, input: { body: string; anonymous: boolean }): Promise<UpwardFeedback> {
  const options = await upwardOptions(store, actor);
  if (!options.managerId) throw new AppraiseError('APPRAISE_FEEDBACK_NO_MANAGER', `${actor.employeeId} has no manager in the employee list, so there is nobody to give upward feedback to. Ask HR to set the manager (managerId) in the employee import.`);
  const managerId = options.managerId;
  const body = requireText(input.body, 'body', 'your feedback');
  if (input.anonymous && !options.anonymousAllowed) {
    throw new AppraiseError('APPRAISE_FEEDBACK_ANONYMITY_UNAVAILABLE', `${options.managerName} has ${options.groupSize} direct report${options.groupSize === 1 ? '' : 's'}; feedback can be anonymous only in a group of at least ${MIN_ANONYMOUS_GROUP}, where it cannot be told who wrote it. Send it with your name (anonymous: false), or talk to HR.`, { field: 'anonymous', groupSize: options.groupSize, minGroupSize: MIN_ANONYMOUS_GROUP });
  }
  const id = await store.transaction(async (tx) => {
    const r = await tx.query<{ id: number }>(
      input.anonymous
        ? `INSERT INTO upward_feedback (manager_id, anonymous, body, given_on) VALUES ($1, true, $2, current_date) RETURNING id`
        : `INSERT INTO upward_feedback (manager_id, anonymous, author_id, author, body, given_on, given_at) VALUES ($1, false, $3, $4, $2, current_date, now()) RETURNING id`,
      input.anonymous ? [managerId, body] : [managerId, body, actor.employeeId, actor.name],
    );
    const id = Number(r.rows[0].id);
    await recordStep(tx, { subject: 'upward', id, action: 'give', actor: input.anonymous ? null : actor.name, data: { managerId, anonymous: input.anonymous } });
    return id;
  });
  // The author reads back what they sent, without anything that names them if anonymous.
  return getUpward(store, id);
}

async function getUpward(db: Queryable, id: number): Promise<UpwardFeedback> {
  const r = await db.query(`SELECT u.*, m.name AS manager_name FROM upward_feedback u LEFT JOIN employees m ON m.id = u.manager_id WHERE u.id = $1`, [id]);
  if (!r.rows.length) throw new AppraiseError('APPRAISE_FEEDBACK_NOT_FOUND', `There is no upward feedback ${id}.`, { upwardId: id });
  return toUpward(r.rows[0]);
}

/** given → acknowledged, by the manager it was given to. */
export async function acknowledgeUpward(store: Store, actor: Principal, id: number): Promise<UpwardFeedback> {
  const u = await getUpward(store, id);
  if (u.managerId !== actor.employeeId) throw new AppraiseError('APPRAISE_FEEDBACK_NOT_FOUND', `There is no upward feedback ${id} to you.`, { upwardId: id });
  await store.transaction(async (tx) => {
    const r = await tx.query(`UPDATE upward_feedback SET status = 'acknowledged', acknowledged_at = now() WHERE id = $1 AND status = 'given'`, [id]);
    if (!r.affectedRows) throw new AppraiseError('APPRAISE_FEEDBACK_ILLEGAL_TRANSITION', `Upward feedback ${id} is already acknowledged.`, { upwardId: id });
    await recordStep(tx, { subject: 'upward', id, action: 'acknowledge', actor: actor.name });
  });
  return getUpward(store, id);
}

/**
 * Upward feedback the reader may read: to them (a manager), or all of it (HR and admin); the
 * named feedback they gave themselves (the anonymous ones cannot be found again: nothing links them).
 */
export async function listUpward(db: Queryable, reader: Principal, filter: { managerId?: string } = {}): Promise<UpwardFeedback[]> {
  if (reader.role === 'viewer') throw new AppraiseError('APPRAISE_FEEDBACK_FORBIDDEN', 'Upward feedback is free text, which the viewer role does not read.');
  const params: unknown[] = [];
  const where: string[] = [];
  if (!isHr(reader)) {
    params.push(reader.employeeId ?? '');
    where.push(`(u.manager_id = $1 OR u.author_id = $1)`);
  }
  if (filter.managerId) {
    params.push(filter.managerId);
    where.push(`u.manager_id = $${params.length}`);
  }
  const r = await db.query(`SELECT u.*, m.name AS manager_name FROM upward_feedback u LEFT JOIN employees m ON m.id = u.manager_id${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY u.given_on DESC, u.id DESC`, params);
  return r.rows.map(toUpward);
}
