// Each person's choice about non-essential notices: none at all (opt out), or gathered in one
// email a day (digest). Essential notices ignore both. Kept with who changed it and when; the
// audit log keeps every earlier value.
import type { Queryable, Store } from '../store/store.ts';

export interface NotificationPreferences {
  employeeId: string;
  optOut: boolean;
  digest: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
}

export async function getPreferences(db: Queryable, employeeId: string): Promise<NotificationPreferences> {
  const r = (await db.query<{ opt_out: boolean; digest: boolean; updated_by: string; updated_at: string | Date }>(
    'SELECT opt_out, digest, updated_by, updated_at FROM notification_preferences WHERE employee_id = $1', [employeeId])).rows[0];
  return r
    ? { employeeId, optOut: r.opt_out, digest: r.digest, updatedBy: r.updated_by, updatedAt: new Date(r.updated_at).toISOString() }
    : { employeeId, optOut: false, digest: false, updatedBy: null, updatedAt: null };
}

export async function setPreferences(store: Store, employeeId: string, input: { optOut: boolean; digest: boolean }, actor: string): Promise<NotificationPreferences> {
  await store.transaction(async (tx) => {
    const before = await getPreferences(tx, employeeId);
    await tx.query(
      `INSERT INTO notification_preferences (employee_id, opt_out, digest, updated_by, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (employee_id) DO UPDATE SET opt_out = EXCLUDED.opt_out, digest = EXCLUDED.digest, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [employeeId, input.optOut, input.digest, actor],
    );
    await tx.query(
      `INSERT INTO audit_log (actor, action, target, before, after) VALUES ($1, 'notifications.preferences', $2, $3::jsonb, $4::jsonb)`,
      [actor, `employee:${employeeId}`, JSON.stringify({ optOut: before.optOut, digest: before.digest }), JSON.stringify(input)],
    );
  });
  return getPreferences(store, employeeId);
}

export interface SentNotice {
  id: number;
  outboxId: number | null;
  audience: string;
  recipient: string | null;
  channel: string;
  event: string;
  essential: boolean;
  subject: string | null;
  status: 'sent' | 'skipped' | 'held';
  reason: string | null;
  messageId: string | null;
  at: string;
}

/** Every notice for a person, newest first: what a data-subject export lists as "notifications sent". */
export async function noticesFor(db: Queryable, employeeId: string, limit = 200): Promise<SentNotice[]> {
  const r = await db.query<Record<string, unknown>>(
    `SELECT id, outbox_id, audience, recipient, channel, event, essential, subject, status, reason, message_id, at
     FROM notifications_sent WHERE employee_id = $1 ORDER BY at DESC, id DESC LIMIT $2`, [employeeId, limit]);
  return r.rows.map((x) => ({
    id: Number(x.id), outboxId: x.outbox_id === null ? null : Number(x.outbox_id), audience: String(x.audience), recipient: (x.recipient as string | null) ?? null,
    channel: String(x.channel), event: String(x.event), essential: Boolean(x.essential), subject: (x.subject as string | null) ?? null,
    status: x.status as SentNotice['status'], reason: (x.reason as string | null) ?? null, messageId: (x.message_id as string | null) ?? null,
    at: new Date(x.at as string).toISOString(),
  }));
}
