// The daily digest: notices held for a person (they chose the digest, or the storm guard held
// them) go out as one email a day, from notifications.digest.hour in the reader's zone. The
// worker gathers each person's held notices of the day under the key
// `digest-<person>@<local date>` and queues one outbox delivery of the core workflow
// `email.digest` in the same transaction; the outbox then gives it retries, idempotency and
// dead letters, so a worker killed mid-send never sends a day's digest twice.
import { DateTime } from 'luxon';
import type { Store } from '../store/store.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';
import { enqueueSubject, subjectIdempotencyKey } from '../workflows/outbox.ts';
import type { WorkflowDelivery } from '../plugins/api.ts';
import { zoneOf } from './render.ts';
import { messageIdFor, sendEmail } from './smtp.ts';
import type { Notifier } from './notifier.ts';
import { NoticeRefused } from './notifier.ts';

const NO_DELIVERY: ErrorCode = 'APPRAISE_NOTIFY_NO_DELIVERY';

export const DIGEST_WORKFLOW = 'email.digest';
export const DIGEST_EVENT = 'notice.digest';

/** Queues today's digest of everyone whose digest hour has come; returns how many were queued. */
export async function gatherDigests(store: Store, notifier: Notifier, now: Date = new Date()): Promise<number> {
  const n = notifier.settings;
  const people = await store.query<{ recipient: string; employee_id: string | null; attributes: unknown }>(
    `SELECT DISTINCT s.recipient, s.employee_id, e.attributes FROM notifications_sent s LEFT JOIN employees e ON e.id = s.employee_id
     WHERE s.status = 'held' AND s.digest_key IS NULL AND s.recipient IS NOT NULL`);
  let queued = 0;
  for (const p of people.rows) {
    const zone = zoneOf(p.attributes, n.timezone);
    const local = DateTime.fromJSDate(now).setZone(zone);
    const cutoff = local.set({ hour: n.digest.hour, minute: 0, second: 0, millisecond: 0 });
    if (local < cutoff) continue;
    const key = `digest-${p.employee_id ?? p.recipient}@${local.toISODate()}`;
    queued += await store.transaction(async (tx) => {
      // Today's digest already went: what was held since waits for tomorrow's.
      const outboxKey = subjectIdempotencyKey({ subject: key, event: DIGEST_EVENT, workflow: DIGEST_WORKFLOW });
      if ((await tx.query(`SELECT 1 FROM outbox WHERE idempotency_key = $1`, [outboxKey])).rows.length) return 0;
      const r = await tx.query(
        `UPDATE notifications_sent SET digest_key = $1
         WHERE status = 'held' AND digest_key IS NULL AND recipient = $2 AND employee_id IS NOT DISTINCT FROM $3 AND at < $4`,
        [key, p.recipient, p.employee_id, cutoff.toJSDate().toISOString()],
      );
      if ((r.affectedRows ?? 0) === 0) return 0;
      return enqueueSubject(tx, [{ subject: key, workflow: DIGEST_WORKFLOW, event: DIGEST_EVENT, payload: { event: DIGEST_EVENT, digest: key, recipient: p.recipient, employee: { id: p.employee_id } } }]);
    });
  }
  return queued;
}

interface HeldRow {
  audience: string;
  employee_id: string | null;
  recipient: string;
  event: string;
  subject: string;
  body: { title: string; text: string; link: string | null };
  at: string | Date;
}

/** The `email.digest` workflow: the day's held notices of one person in one email. */
export async function sendDigest(notifier: Notifier, delivery: WorkflowDelivery): Promise<void> {
  const store = notifier.store;
  const outbox = (await store.query<{ id: number; payload: { digest?: string } }>('SELECT id, payload FROM outbox WHERE idempotency_key = $1', [delivery.idempotencyKey])).rows[0];
  const key = String(outbox?.payload.digest ?? delivery.idempotencyKey);
  const items = (await store.query<HeldRow>(
    `SELECT audience, employee_id, recipient, event, subject, body, at FROM notifications_sent WHERE digest_key = $1 AND status = 'held' ORDER BY at, id`, [key])).rows;
  if (!outbox || items.length === 0) throw new NoticeRefused(`${NO_DELIVERY}: the digest ${key} holds no notices.`);
  const done = await store.query('SELECT 1 FROM notifications_sent WHERE outbox_id = $1', [Number(outbox.id)]);
  if (done.rows.length) return;
  const first = items[0];
  const day = key.slice(key.lastIndexOf('@') + 1);
  const dayWords = DateTime.fromISO(day).toFormat('d LLLL yyyy');
  const subject = `Your Appraise notices of ${dayWords} (${items.length})`;
  const text = [`Hello,`, `Here ${items.length === 1 ? 'is the notice' : `are the ${items.length} notices`} Appraise held for you, gathered in one email:`,
    ...items.map((i, n) => `${n + 1}. ${i.body.title}\n\n${i.body.text}`)].join('\n\n');
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<p>Hello,</p><p>Here ${items.length === 1 ? 'is the notice' : `are the ${items.length} notices`} Appraise held for you, gathered in one email:</p><ol>${items
    .map((i) => `<li><p><strong>${esc(i.body.title)}</strong></p>${i.body.text.split(/\n{2,}/).map((p) => `<p>${esc(p).replace(/\n/g, '<br>')}</p>`).join('')}${i.body.link ? `<p><a href="${esc(i.body.link)}">Open in Appraise</a></p>` : ''}</li>`)
    .join('')}</ol>`;
  const s = notifier.settings;
  const messageId = messageIdFor(delivery.idempotencyKey, first.recipient, s.from ?? '');
  await sendEmail(notifier.smtp(), { from: s.from!, ...(s.replyTo ? { replyTo: s.replyTo } : {}), to: first.recipient, subject, text, html, messageId, idempotencyKey: delivery.idempotencyKey });
  await notifier.record(store, Number(outbox.id), { audience: first.audience as 'employee', employeeId: first.employee_id, recipient: first.recipient, event: DIGEST_EVENT, essential: false, subject, status: 'sent', messageId, digestKey: key });
}
