// What an admin sees before a notice goes out: a template rendered for a real case or employee
// (sample values where the event needs more, such as a dispute's note), and a test send of it
// to an address the admin gives. A test send is recorded like any notice (audience `test`).
import { casePayload } from '../cases/payload.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { redactSecrets } from '../config/secrets.ts';
import { noticeDef, type Audience } from './events.ts';
import type { Notifier } from './notifier.ts';
import { loadNoticeFacts, type Rendered } from './render.ts';
import { smtpOf } from './settings.ts';
import { messageIdFor, sendEmail } from './smtp.ts';
import { zoneOf } from './render.ts';

export interface PreviewInput {
  template: string;
  caseId?: number;
  employeeId?: string;
  audience?: Audience;
}

const DAY = 86_400_000;

async function payloadFor(notifier: Notifier, event: string, input: PreviewInput): Promise<Record<string, unknown>> {
  const store = notifier.store;
  let payload: Record<string, unknown>;
  if (input.caseId !== undefined) {
    const found = await store.query('SELECT 1 FROM cases WHERE id = $1', [input.caseId]);
    if (!found.rows.length) throw new AppraiseError('APPRAISE_NOTIFY_NOT_FOUND', `There is no case ${input.caseId} to preview the notice with. Pick a case from the case list.`, { field: 'caseId' });
    payload = await casePayload(store, input.caseId, noticeDef(event)!.outboxEvent);
  } else {
    const id = input.employeeId ?? (await store.query<{ id: string }>('SELECT id FROM employees ORDER BY id LIMIT 1')).rows[0]?.id;
    const e = id ? (await store.query<Record<string, unknown>>('SELECT id, name, email, role, team, manager_id FROM employees WHERE id = $1', [id])).rows[0] : undefined;
    if (input.employeeId !== undefined && !e) throw new AppraiseError('APPRAISE_NOTIFY_NOT_FOUND', `There is no employee ${input.employeeId} to preview the notice with.`, { field: 'employeeId' });
    payload = {
      employee: e ? { id: e.id, name: e.name, email: e.email, role: e.role, team: e.team, managerId: e.manager_id } : { id: 'sample', name: 'Sample Person' },
      case: { type: event === 'case.opened' ? 'coaching' : 'pip', status: 'open', policyId: 'sample-policy', policyVersion: 1, ruleId: 'sample-rule', period: '2026-Q4', approval: 'required', openedAt: new Date().toISOString(), nextCheckInAt: new Date(Date.now() + 7 * DAY).toISOString(), dueAt: new Date(Date.now() + 60 * DAY).toISOString() },
      links: { case: '/cases' },
    };
  }
  // Events outside cases: sample values, marked as such.
  payload.dispute ??= { id: 0, about: 'a sample case', outcome: 'upheld', note: 'This is a sample of HR\'s note.', resolvedAt: new Date().toISOString() };
  payload.review ??= { id: 0, cycleId: '2026-Q4', cycleTitle: 'Sample review cycle', selfDueAt: new Date(Date.now() + 3 * DAY).toISOString() };
  return payload;
}

export async function previewNotice(notifier: Notifier, input: PreviewInput): Promise<Rendered & { template: string; event: string; audience: Audience }> {
  const entry = notifier.templates.byId.get(input.template);
  if (!entry) notifier.templates.forNotice('', input.template); // throws the coded "no template" error
  const t = entry!.template;
  const payload = await payloadFor(notifier, t.event, input);
  const facts = await loadNoticeFacts(notifier.store, payload);
  const audience = input.audience ?? (t.to ?? noticeDef(t.event)!.to)[0];
  const employee = payload.employee as { id?: string; name?: string };
  const attrs = employee.id ? (await notifier.store.query<{ attributes: unknown }>('SELECT attributes FROM employees WHERE id = $1', [employee.id])).rows[0]?.attributes : null;
  const name = audience === 'hr' ? 'HR' : audience === 'employee' ? String(employee.name ?? '') : facts.managerName ?? 'Manager';
  const rendered = notifier.render(t, t.event, facts, { audience, name, zone: zoneOf(attrs, notifier.settings.timezone) }, `preview:${t.id}`);
  return { ...rendered, template: t.id, event: t.event, audience };
}

/** Sends the preview to `to` now (not through the outbox: the admin waits for the answer). */
export async function testSend(notifier: Notifier, input: PreviewInput & { to: string }, actor: string): Promise<{ to: string; messageId: string; subject: string; response: string }> {
  const p = await previewNotice(notifier, input);
  const s = notifier.settings;
  const smtp = smtpOf(notifier.config);
  const key = `test:${p.template}:${Date.now()}`;
  const messageId = messageIdFor(key, input.to, s.from!);
  let response: string;
  try {
    response = await sendEmail(smtp, { from: s.from!, ...(s.replyTo ? { replyTo: s.replyTo } : {}), to: input.to, subject: `[Test] ${p.subject}`, text: p.text, html: p.html, messageId, idempotencyKey: key });
  } catch (e) {
    const message = redactSecrets((e as Error).message).replace(/^[A-Z_]+: /, '');
    await notifier.record(notifier.store, null, { audience: 'test', employeeId: null, recipient: input.to, event: p.event, essential: false, subject: `[Test] ${p.subject}`, status: 'skipped', reason: `test send by ${actor} failed: ${message}` });
    throw new AppraiseError('APPRAISE_NOTIFY_SEND_FAILED', `The test email to ${input.to} was not delivered: ${message}`, { field: 'to' });
  }
  await notifier.record(notifier.store, null, { audience: 'test', employeeId: null, recipient: input.to, event: p.event, essential: false, subject: `[Test] ${p.subject}`, status: 'sent', messageId, reason: `test send by ${actor}` });
  return { to: input.to, messageId, subject: `[Test] ${p.subject}`, response: redactSecrets(response) };
}
