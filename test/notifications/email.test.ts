// email.send end to end on the embedded store: deliveries queued as cases and transitions queue
// them, dispatched by the real outbox dispatcher, sent with nodemailer to a real SMTP server in
// this process; what arrives is what a reader sees.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Appraise } from '../../core/app/appraise.ts';
import { messageIdFor } from '../../core/notifications/smtp.ts';
import { setPreferences } from '../../core/notifications/preferences.ts';
import { gatherDigests } from '../../core/notifications/digest.ts';
import { outbox } from '../workflows/helpers.ts';
import { SmtpReceiver } from './smtp-receiver.ts';
import { addCase, dispatch, notificationsYaml, openApp, queueCaseNotice, seedPeople, sentRows } from './helpers.ts';

describe('email.send', () => {
  const receiver = new SmtpReceiver();
  let app: Appraise;
  let extra: string[] = [];
  beforeAll(async () => {
    await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
  });
  beforeEach(async () => {
    app = await openApp(notificationsYaml(receiver, extra));
    await seedPeople(app.store);
  });
  afterEach(async () => {
    await app.close();
    receiver.reset();
    extra = [];
  });

  it('a coaching case opened: the employee and the manager each get one email, text and HTML, dates in their own zone, the name HTML-escaped', async () => {
    const caseId = await addCase(app.store, { type: 'coaching', status: 'open', employeeId: 'e1' });
    const key = await queueCaseNotice(app.store, caseId, 'case.opened');
    expect(await dispatch(app)).toMatchObject({ delivered: 1, dead: 0 });
    expect(receiver.accepted.map((m) => m.to)).toEqual([['dana@example.com'], ['mia@example.com']]);
    const [toEmployee, toManager] = receiver.accepted;
    expect(toEmployee.subject).toBe('Coaching for Dana <b>Reyes</b> & Co');
    expect(toEmployee.text).toContain('A coaching conversation was suggested for you for 2026-Q4 (opened on 1 December 2026).');
    expect(toEmployee.text).toContain(`https://appraise.example.com/cases/${caseId}`);
    expect(toManager.text).toContain('A coaching conversation was suggested for Dana <b>Reyes</b> & Co for 2026-Q4');
    expect(toManager.html).toContain('Dana &lt;b&gt;Reyes&lt;&#x2F;b&gt; &amp; Co');
    expect(toManager.html).not.toContain('<b>Reyes</b>');
    expect(toEmployee.headers['reply-to']).toBe('hr@example.com');
    expect(toEmployee.from).toBe('appraise@example.com');
    // Message-ID from the idempotency key: the same on every attempt of this delivery to this reader.
    expect(toEmployee.messageId).toBe(messageIdFor(key, 'employee|dana@example.com', 'Appraise <appraise@example.com>'));
    expect(toEmployee.headers['x-appraise-idempotency-key']).toBe(key);
    expect((await sentRows(app.store)).map((r) => [r.audience, r.recipient, r.event, r.status])).toEqual([
      ['employee', 'dana@example.com', 'case.opened', 'sent'],
      ['manager', 'mia@example.com', 'case.opened', 'sent'],
    ]);
  });

  it('a PIP proposed goes to HR only (every address in notifications.hr), essential even for an employee who opted out', async () => {
    await setPreferences(app.store, 'e1', { optOut: true, digest: false }, 'dana');
    const caseId = await addCase(app.store, { type: 'pip', status: 'proposed', employeeId: 'e1', approval: 'required' });
    await queueCaseNotice(app.store, caseId, 'case.opened');
    await dispatch(app);
    expect(receiver.accepted.map((m) => m.to[0]).sort()).toEqual(['hr-one@example.com', 'hr-two@example.com']);
    expect(receiver.accepted[0].subject).toBe('A performance improvement plan is proposed for Dana <b>Reyes</b> & Co');
    expect(receiver.accepted[0].text).toContain('It waits for your approval');
  });

  it('a PIP plan reaches the employee who opted out (essential), with its goals and end date in their zone; a coaching session does not', async () => {
    await setPreferences(app.store, 'e1', { optOut: true, digest: false }, 'dana');
    const pip = await addCase(app.store, { type: 'pip', status: 'approved', employeeId: 'e1' });
    await queueCaseNotice(app.store, pip, 'pip.approved', { to: 'employee' });
    const coaching = await addCase(app.store, { type: 'coaching', status: 'scheduled', employeeId: 'e1', scheduledFor: '2026-12-10T14:30:00Z' });
    await queueCaseNotice(app.store, coaching, 'coaching.scheduled');
    expect(await dispatch(app)).toMatchObject({ delivered: 2, dead: 0 });
    const plan = receiver.accepted.find((m) => m.subject === 'Your performance improvement plan')!;
    expect(plan.to).toEqual(['dana@example.com']);
    expect(plan.text).toContain('- Answer first replies within 4 hours');
    expect(plan.text).toContain('The plan ends on 1 March 2027.'); // 2027-02-28T17:00Z is 1 March in Tokyo
    expect(plan.html).toContain('<li>Keep CSAT at 4.2 or above</li>');
    const session = receiver.accepted.filter((m) => m.subject.startsWith('Coaching session'));
    expect(session.map((m) => m.to[0])).toEqual(['mia@example.com']); // the manager, in New York time
    expect(session[0].subject).toBe('Coaching session on 10 December 2026, 09:30 (America/New_York)');
    expect((await sentRows(app.store)).find((r) => r.recipient === 'dana@example.com' && r.event === 'coaching.scheduled')).toMatchObject({ status: 'skipped', reason: 'opted out of non-essential notices' });
  });

  it('a reader without an address is recorded as skipped with the reason; when nobody can be reached the delivery is dead with a coded message', async () => {
    const c1 = await addCase(app.store, { type: 'recognition', status: 'open', employeeId: 'e2' });
    await queueCaseNotice(app.store, c1, 'case.opened');
    const c2 = await addCase(app.store, { type: 'pip', status: 'approved', employeeId: 'e3' });
    await queueCaseNotice(app.store, c2, 'pip.approved', { to: 'manager' });
    const r = await dispatch(app);
    expect(r).toMatchObject({ delivered: 1, dead: 1 });
    expect(receiver.accepted.map((m) => m.to[0])).toEqual(['mia@example.com']);
    const rows = await sentRows(app.store);
    expect(rows.find((x) => x.audience === 'employee' && x.employee_id === 'e2')!.reason).toMatch(/^APPRAISE_NOTIFY_NO_ADDRESS: Noel Nomail \(employee, employee e2\) has no email address on file/);
    const dead = (await outbox(app.store)).find((o) => o.status === 'dead')!;
    expect(dead.last_error).toMatch(/^APPRAISE_NOTIFY_NO_ADDRESS: the pip\.plan notice reached nobody: Olive Orphan \(employee e3\) has no manager on file/);
  });

  it('a recipient the server refuses permanently (550) is dead at once, not retried', async () => {
    receiver.rejectRecipients.add('dana@example.com');
    const c = await addCase(app.store, { type: 'recognition', status: 'open', employeeId: 'e1' });
    await queueCaseNotice(app.store, c, 'case.opened', { to: 'employee' });
    expect(await dispatch(app)).toMatchObject({ dead: 1, retried: 0 });
    const [row] = await outbox(app.store);
    expect(row.last_error).toMatch(/^APPRAISE_NOTIFY_REFUSED: the SMTP server 127\.0\.0\.1:\d+ refused the recipient dana@example\.com permanently/);
    expect(row.attempts).toBe(1);
  });

  it('an employee on the daily digest gets one email a day gathering the non-essential notices, from the digest hour in their zone, and never a second that day', async () => {
    await setPreferences(app.store, 'e1', { optOut: false, digest: true }, 'dana');
    for (const type of ['recognition', 'coaching'] as const) {
      const c = await addCase(app.store, { type, status: 'open', employeeId: 'e1' });
      await queueCaseNotice(app.store, c, 'case.opened', { to: 'employee' });
    }
    const s = await addCase(app.store, { type: 'coaching', status: 'scheduled', employeeId: 'e1', scheduledFor: '2026-12-10T14:30:00Z' });
    await queueCaseNotice(app.store, s, 'coaching.scheduled', { to: 'employee' });
    const pip = await addCase(app.store, { type: 'pip', status: 'approved', employeeId: 'e1' });
    await queueCaseNotice(app.store, pip, 'pip.approved', { to: 'employee' });
    expect(await dispatch(app)).toMatchObject({ delivered: 4 });
    // The essential PIP plan went at once; the three others wait.
    expect(receiver.accepted.map((m) => m.subject)).toEqual(['Your performance improvement plan']);
    expect((await sentRows(app.store)).filter((r) => r.status === 'held')).toHaveLength(3);

    // 07:59 in Tokyo on a day to come: not yet. 08:00: one digest.
    const tomorrow = new Date(Date.now() + 2 * 86_400_000);
    const tokyo = (h: number, m = 0) => new Date(Date.UTC(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth(), tomorrow.getUTCDate(), h - 9, m));
    const before = tokyo(7, 59);
    const at = tokyo(8, 0);
    expect(await gatherDigests(app.store, app.notifier, before)).toBe(0);
    expect(await gatherDigests(app.store, app.notifier, at)).toBe(1);
    expect(await gatherDigests(app.store, app.notifier, new Date(at.getTime() + 60_000))).toBe(0);
    expect(await dispatch(app, at)).toMatchObject({ delivered: 1 });
    const digest = receiver.accepted[1];
    expect(digest.to).toEqual(['dana@example.com']);
    expect(digest.subject).toMatch(/^Your Appraise notices of \d+ \w+ \d{4} \(3\)$/);
    expect(digest.text).toContain('1. Recognition for Dana <b>Reyes</b> & Co');
    expect(digest.text).toContain('2. Coaching suggested for Dana <b>Reyes</b> & Co');
    expect(digest.text).toContain('3. Coaching with Dana <b>Reyes</b> & Co on 10 December 2026, 23:30 (Asia/Tokyo)');
    expect(digest.html).toContain('Dana &#60;b&#62;Reyes&#60;/b&#62; &#38; Co');
    expect(receiver.accepted).toHaveLength(2);
  });

  it('the storm guard: past notifications.storm.maxPerHour to one person within an hour, non-essential notices are held for the digest', async () => {
    await app.close();
    app = await openApp(notificationsYaml(receiver, ['  storm: { maxPerHour: 2 }']));
    await seedPeople(app.store);
    for (let i = 0; i < 4; i++) {
      const c = await addCase(app.store, { type: 'coaching', status: 'open', employeeId: 'e1' });
      await queueCaseNotice(app.store, c, 'case.opened', { to: 'manager' });
      await dispatch(app);
    }
    expect(receiver.accepted).toHaveLength(2);
    expect((await sentRows(app.store)).map((r) => r.status)).toEqual(['sent', 'sent', 'held', 'held']);
    expect((await sentRows(app.store))[3].reason).toBe('more than 2 notices within an hour (storm guard)');
  });

  it('an event without a notice sends nothing and says so in the record', async () => {
    const c = await addCase(app.store, { type: 'coaching', status: 'open', employeeId: 'e1' });
    await queueCaseNotice(app.store, c, 'case.overturned');
    expect(await dispatch(app)).toMatchObject({ delivered: 1 });
    expect(receiver.accepted).toHaveLength(0);
    expect((await sentRows(app.store))[0]).toMatchObject({ status: 'skipped', reason: 'no notice is sent for case.overturned' });
  });

  it('a retry after a failed attempt sends only to the readers not reached yet, with the same Message-ID', async () => {
    receiver.rejectRecipients.clear();
    const c = await addCase(app.store, { type: 'coaching', status: 'open', employeeId: 'e1' });
    await queueCaseNotice(app.store, c, 'case.opened');
    // The manager's address is unreachable for a moment: a 4xx-free network failure before sending.
    await app.store.query(`UPDATE employees SET email = 'mia@unreachable.invalid' WHERE id = 'mgr'`);
    receiver.rejectRecipients.add('mia@unreachable.invalid');
    const first = await dispatch(app);
    expect(first).toMatchObject({ dead: 1 }); // 550: permanent
    expect(receiver.accepted.map((m) => m.to[0])).toEqual(['dana@example.com']);
    // Fixed, and retried by hand: the employee is not mailed again.
    await app.store.query(`UPDATE employees SET email = 'mia@example.com' WHERE id = 'mgr'`);
    await app.store.query(`UPDATE outbox SET status = 'pending', next_attempt_at = now()`);
    await dispatch(app);
    expect(receiver.accepted.map((m) => m.to[0])).toEqual(['dana@example.com', 'mia@example.com']);
  });

  it('a worker that stopped after the server accepted an email but before the outbox heard of it: the retry finds the record and sends nothing again', async () => {
    const c = await addCase(app.store, { type: 'coaching', status: 'open', employeeId: 'e1' });
    await queueCaseNotice(app.store, c, 'case.opened');
    await dispatch(app);
    expect(receiver.accepted).toHaveLength(2);
    // As if the worker had died right after recording: the delivery is attempted again.
    await app.store.query(`UPDATE outbox SET status = 'pending', next_attempt_at = now(), delivered_at = NULL`);
    expect(await dispatch(app)).toMatchObject({ delivered: 1 });
    expect(receiver.accepted).toHaveLength(2);

    // The same for a day's digest.
    await setPreferences(app.store, 'e1', { optOut: false, digest: true }, 'dana');
    const d = await addCase(app.store, { type: 'recognition', status: 'open', employeeId: 'e1' });
    await queueCaseNotice(app.store, d, 'case.opened', { to: 'employee' });
    await dispatch(app);
    const day = new Date(Date.now() + 2 * 86_400_000);
    const later = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 8 - 9)); // 08:00 in Tokyo
    expect(await gatherDigests(app.store, app.notifier, later)).toBe(1);
    await dispatch(app, later);
    expect(receiver.accepted).toHaveLength(3);
    await app.store.query(`UPDATE outbox SET status = 'pending', next_attempt_at = now() WHERE workflow = 'email.digest'`);
    expect(await dispatch(app, later)).toMatchObject({ delivered: 1 });
    expect(receiver.accepted).toHaveLength(3);
  });
});
