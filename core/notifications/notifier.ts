// The `email.send` workflow: for one outbox delivery, each reader (employee, manager, HR) gets
// the notice rendered in their zone, unless they opted out (non-essential only), chose the daily
// digest, or had more than the storm guard allows this hour (then it is held for their digest).
// Every reader's outcome is one notifications_sent row, written right after the server accepted
// the email: a retry of the delivery skips readers already done, so nobody is mailed twice.
import type { AppConfig } from '../config/config.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';
import { redactSecrets } from '../config/secrets.ts';
import type { WorkflowDelivery } from '../plugins/api.ts';
import type { Queryable, Store } from '../store/store.ts';
import { AUDIENCES, noticeDef, noticeOf, type Audience } from './events.ts';
import type { NotificationMessage } from './message.ts';
import { resolveRecipients, type Recipient } from './recipients.ts';
import { buildView, loadNoticeFacts, renderTemplate, type Reader, type Rendered } from './render.ts';
import { smtpOf } from './settings.ts';
import { messageIdFor, sendEmail } from './smtp.ts';
import type { TemplateEntry, TemplateSet } from './template-set.ts';

/** Codes of the messages below (a message is all that reaches the outbox). */
const NO_ADDRESS: ErrorCode = 'APPRAISE_NOTIFY_NO_ADDRESS';
const NO_DELIVERY: ErrorCode = 'APPRAISE_NOTIFY_NO_DELIVERY';

/** A refusal: never sent, retrying cannot help until something changes (dead at once). */
export class NoticeRefused extends Error {
  readonly permanent = true;
}

interface OutboxRow {
  id: number;
  event: string;
  payload: Record<string, unknown>;
}

export function audiencesOf(config: Readonly<Record<string, unknown>>, fallback: readonly Audience[]): Audience[] {
  const to = config.to;
  const list = Array.isArray(to) ? to : typeof to === 'string' ? [to] : [];
  const valid = list.filter((x): x is Audience => (AUDIENCES as readonly string[]).includes(String(x)));
  return valid.length ? valid : [...fallback];
}

export class Notifier {
  constructor(
    readonly store: Store,
    readonly config: AppConfig,
    readonly templates: TemplateSet,
  ) {}

  get settings() {
    return this.config.notifications;
  }

  /**
   * The SMTP settings, password resolved. Missing settings or a password that is not set are
   * refused (dead at once with their code): retrying cannot help until the config changes.
   */
  smtp(): ReturnType<typeof smtpOf> {
    try {
      return smtpOf(this.config);
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw code ? new NoticeRefused(`${code}: ${(e as Error).message}`) : e;
    }
  }

  /** One attempt's limit: the SMTP time-out, plus room for the store. */
  get timeoutMs(): number {
    return (this.settings.smtp?.timeoutMs ?? 30_000) + 5_000;
  }

  private async outboxRow(idempotencyKey: string): Promise<OutboxRow> {
    const r = (await this.store.query<OutboxRow>('SELECT id, event, payload FROM outbox WHERE idempotency_key = $1', [idempotencyKey])).rows[0];
    if (!r) throw new NoticeRefused(`${NO_DELIVERY}: no outbox delivery has the key ${idempotencyKey}.`);
    return { ...r, id: Number(r.id) };
  }

  /** The template a delivery renders with, or undefined when its event has no notice. */
  private templateOf(event: string, payload: Record<string, unknown>, config: Readonly<Record<string, unknown>>): { notice: string; entry: TemplateEntry } | undefined {
    const notice = noticeOf(event, payload as { case?: Record<string, unknown> });
    if (!notice) return undefined;
    let entry: TemplateEntry | undefined;
    try {
      entry = this.templates.forNotice(notice, typeof config.template === 'string' ? config.template : undefined);
    } catch (e) {
      throw new NoticeRefused((e as Error & { code?: string }).code ? `${(e as { code: string }).code}: ${(e as Error).message}` : (e as Error).message);
    }
    if (!entry) throw new NoticeRefused(`APPRAISE_NOTIFY_UNKNOWN_TEMPLATE: there is no template for ${notice} in ${this.settings.templatesDir} or the shipped templates; add one.`);
    return { notice, entry };
  }

  /**
   * The channel-neutral message of a delivery, as Slack and Teams render it: the template of its
   * event, for a reader of `audience` (default: HR, the channel's readers) with dates in `zone`
   * (default notifications.timezone). Undefined when the event has no notice.
   */
  async messageFor(delivery: Pick<WorkflowDelivery, 'idempotencyKey' | 'event' | 'config'>, o: { audience?: Audience; zone?: string } = {}): Promise<NotificationMessage | undefined> {
    const row = await this.outboxRow(delivery.idempotencyKey);
    const t = this.templateOf(delivery.event, row.payload, delivery.config);
    if (!t) return undefined;
    const facts = await loadNoticeFacts(this.store, row.payload);
    const reader: Reader = { audience: o.audience ?? 'hr', name: o.audience === 'employee' ? String((row.payload.employee as { name?: string })?.name ?? '') : 'team', zone: o.zone ?? this.settings.timezone };
    return renderTemplate(t.entry.template, buildView(facts, reader, this.settings.publicUrl), t.notice, delivery.idempotencyKey).message;
  }

  /** `email.send` for one delivery (see the module comment). */
  async send(delivery: WorkflowDelivery): Promise<void> {
    const row = await this.outboxRow(delivery.idempotencyKey);
    const t = this.templateOf(delivery.event, row.payload, delivery.config);
    if (!t) {
      await this.record(this.store, row.id, { audience: 'hr', employeeId: null, recipient: null, event: delivery.event, essential: false, status: 'skipped', reason: `no notice is sent for ${delivery.event}` });
      return;
    }
    const def = noticeDef(t.notice)!;
    const template = t.entry.template;
    const essential = template.essential ?? def.essential;
    const audiences = audiencesOf(delivery.config, template.to ?? def.to);
    const employeeId = (row.payload.employee as { id?: string } | undefined)?.id;
    const readers = await resolveRecipients(this.store, this.settings, employeeId, audiences);
    const facts = await loadNoticeFacts(this.store, row.payload);
    const done = await this.doneFor(row.id);
    const unreachable = readers.filter((r) => !r.email);
    for (const r of readers) {
      if (done.has(`${r.audience}|${r.email ?? ''}`)) continue;
      const base = { audience: r.audience, employeeId: r.employeeId, recipient: r.email, event: t.notice, essential };
      if (!r.email) {
        await this.record(this.store, row.id, { ...base, status: 'skipped', reason: `${NO_ADDRESS}: ${r.missing}` });
        continue;
      }
      if (!essential && r.optOut) {
        await this.record(this.store, row.id, { ...base, status: 'skipped', reason: 'opted out of non-essential notices' });
        continue;
      }
      const rendered = this.render(template, t.notice, facts, r, delivery.idempotencyKey);
      const hold = !essential && (r.digest ? 'chose the daily digest' : (await this.overStorm(r.email)) ? `more than ${this.settings.storm.maxPerHour} notices within an hour (storm guard)` : undefined);
      if (hold) {
        await this.record(this.store, row.id, { ...base, subject: rendered.subject, status: 'held', reason: hold, body: { title: rendered.message.title, text: rendered.text, link: rendered.message.link?.url ?? null } });
        continue;
      }
      const smtp = this.smtp();
      const messageId = messageIdFor(delivery.idempotencyKey, `${r.audience}|${r.email}`, this.settings.from!);
      await sendEmail(smtp, { from: this.settings.from!, ...(this.settings.replyTo ? { replyTo: this.settings.replyTo } : {}), to: r.email, subject: rendered.subject, text: rendered.text, html: rendered.html, messageId, idempotencyKey: delivery.idempotencyKey });
      await this.record(this.store, row.id, { ...base, subject: rendered.subject, status: 'sent', messageId });
    }
    if (readers.length > 0 && unreachable.length === readers.length) {
      throw new NoticeRefused(`${NO_ADDRESS}: the ${t.notice} notice reached nobody: ${unreachable.map((r) => r.missing).join('; ')}.`);
    }
  }

  render(template: TemplateEntry['template'], notice: string, facts: Awaited<ReturnType<typeof loadNoticeFacts>>, r: Pick<Recipient, 'audience' | 'name' | 'zone'>, idempotencyKey: string): Rendered {
    return renderTemplate(template, buildView(facts, { audience: r.audience, name: r.name, zone: r.zone }, this.settings.publicUrl), notice, idempotencyKey);
  }

  private async doneFor(outboxId: number): Promise<Set<string>> {
    const r = await this.store.query<{ audience: string; recipient: string | null }>('SELECT audience, recipient FROM notifications_sent WHERE outbox_id = $1', [outboxId]);
    return new Set(r.rows.map((x) => `${x.audience}|${x.recipient ?? ''}`));
  }

  private async overStorm(email: string): Promise<boolean> {
    const r = await this.store.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications_sent WHERE lower(recipient) = lower($1) AND status = 'sent' AND at > now() - interval '1 hour'`, [email]);
    return Number(r.rows[0].n) >= this.settings.storm.maxPerHour;
  }

  async record(db: Queryable, outboxId: number | null, n: { audience: Audience | 'test'; employeeId: string | null; recipient: string | null; event: string; essential: boolean; subject?: string; status: 'sent' | 'skipped' | 'held'; reason?: string; messageId?: string; body?: unknown; digestKey?: string }): Promise<void> {
    await db.query(
      `INSERT INTO notifications_sent (outbox_id, employee_id, audience, recipient, event, essential, subject, status, reason, message_id, body, digest_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12) ON CONFLICT DO NOTHING`,
      [outboxId, n.employeeId, n.audience, n.recipient, n.event, n.essential, n.subject ?? null, n.status, n.reason ? redactSecrets(n.reason) : null, n.messageId ?? null, n.body === undefined ? null : JSON.stringify(n.body), n.digestKey ?? null],
    );
  }
}
