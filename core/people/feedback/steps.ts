// One step of a kudos, note or upward feedback: a feedback_events row and an audit_log entry,
// written in the caller's transaction. An anonymous author's step carries no actor and only the
// day, in both places (see upward.ts): the audit says that anonymous feedback was given, never by whom.
import type { Queryable } from '../../store/store.ts';

export type Subject = 'kudos' | 'note' | 'upward';

export interface Step {
  subject: Subject;
  id: number;
  action: string;
  /** The token name of who took the step; null for an anonymous author. */
  actor: string | null;
  data?: Record<string, unknown>;
}

/** The audit log's actor for a step nobody may be named for. */
export const ANONYMOUS_ACTOR = 'anonymous';

export async function recordStep(tx: Queryable, s: Step): Promise<void> {
  // An anonymous step is dated to the day: an instant could be matched against a token's last use.
  const at = s.actor === null ? `date_trunc('day', now())` : 'now()';
  const data = JSON.stringify(s.data ?? {});
  await tx.query(`INSERT INTO feedback_events (at, subject, subject_id, action, actor, data) VALUES (${at}, $1, $2, $3, $4, $5::jsonb)`, [s.subject, s.id, s.action, s.actor, data]);
  await tx.query(`INSERT INTO audit_log (at, actor, action, target, data) VALUES (${at}, $1, $2, $3, $4::jsonb)`, [s.actor ?? ANONYMOUS_ACTOR, `${s.subject}.${s.action}`, `${s.subject}:${s.id}`, data]);
}
