// The events outside cases go through the same outbox: a dispute resolved (queued in the
// resolving transaction) and a review self-assessment coming due (queued by the worker once per
// review and due date), each mailed to the employee with its own template. Both store back-ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Appraise } from '../../core/app/appraise.ts';
import { raiseDispute, resolveDispute } from '../../core/people/disputes/disputes.ts';
import { POSTGRES_URL, freshSchemaName, dropSchema, postgresReachable } from '../store/backends.ts';
import { SmtpReceiver } from './smtp-receiver.ts';
import { addCase, dispatch, notificationsYaml, openApp, seedPeople, sentRows } from './helpers.ts';

const DAY = 86_400_000;

for (const backend of ['pglite', 'postgres'] as const) {
  const skip = backend === 'postgres' && !(await postgresReachable());
  describe.skipIf(skip)(`people events by email (${backend})`, () => {
    const receiver = new SmtpReceiver();
    let app: Appraise;
    const schema = backend === 'postgres' ? freshSchemaName() : undefined;
    beforeAll(async () => {
      await receiver.start();
      app = await openApp(notificationsYaml(receiver), schema ? { databaseUrl: POSTGRES_URL, schema } : {});
      await seedPeople(app.store);
    }, 60_000);
    afterAll(async () => {
      await app?.close();
      await receiver.stop();
      if (schema) await dropSchema(schema);
    });

    it('a dispute resolved: the employee hears the decision and HR\'s note once, even when resolved notices are retried', async () => {
      expect(app.config.notifications.people.workflows).toEqual(['email.send']); // the default once SMTP is set
      const caseId = await addCase(app.store, { type: 'coaching', status: 'open', employeeId: 'e1' });
      const id = await raiseDispute(app.store, { name: 'dana', role: 'employee', employeeId: 'e1' }, { subjectType: 'case', subjectId: caseId, reason: 'Those surveys were not mine.' });
      await resolveDispute(app.store, { name: 'hr-ana', role: 'hr' }, id, { resolution: 'overturn', note: 'The import mixed up two teams.' }, { notify: app.config.notifications.people.workflows });
      const keys = (await app.store.query<{ idempotency_key: string; case_id: number | null }>(`SELECT idempotency_key, case_id FROM outbox WHERE event = 'dispute.resolved'`)).rows;
      expect(keys.map((k) => [k.idempotency_key, Number(k.case_id)])).toEqual([[`dispute-${id}:dispute.resolved:email.send`, caseId]]);
      await dispatch(app);
      await dispatch(app);
      const mails = receiver.accepted.filter((m) => m.subject.startsWith('Your dispute'));
      expect(mails).toHaveLength(1);
      expect(mails[0].to).toEqual(['dana@example.com']);
      expect(mails[0].subject).toBe(`Your dispute about coaching case #${caseId}: overturned`);
      expect(mails[0].text).toContain('It was overturned: it no longer counts.');
      expect(mails[0].text).toContain('The import mixed up two teams.');
      expect(mails[0].text).toContain(`https://appraise.example.com/cases/${caseId}`);
    });

    it('a self-assessment coming due: one reminder per review and due date, in the employee\'s zone; a moved deadline reminds again', async () => {
      const now = new Date();
      const due = new Date(now.getTime() + 2 * DAY);
      await app.store.query(
        `INSERT INTO review_cycles (id, period, period_from, period_to, title, template_id, template_yaml, template, self_due_at, manager_due_at, signoff_due_at, opened_by)
         VALUES ('2026-Q4', '2026-Q4', '2026-10-01', '2027-01-01', 'Q4 2026 reviews', 'quarterly', '', '{}'::jsonb, $1, $2, $2, 'hr')`, [due.toISOString(), new Date(now.getTime() + 9 * DAY).toISOString()]);
      const r = await app.store.query<{ id: number }>(
        `INSERT INTO reviews (cycle_id, employee_id, manager_id, self_due_at, manager_due_at, signoff_due_at) VALUES ('2026-Q4', 'e1', 'mgr', $1, $2, $2) RETURNING id`,
        [due.toISOString(), new Date(now.getTime() + 9 * DAY).toISOString()]);
      const reviewId = Number(r.rows[0].id);
      expect(await app.queueNotices(now)).toMatchObject({ reminders: 1 });
      expect(await app.queueNotices(now)).toMatchObject({ reminders: 0 });
      await dispatch(app);
      const reminders = () => receiver.accepted.filter((m) => m.subject.startsWith('Your self-assessment'));
      expect(reminders()).toHaveLength(1);
      const dueInTokyo = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', day: 'numeric', month: 'long', year: 'numeric' }).format(due);
      expect(reminders()[0].subject).toBe(`Your self-assessment for Q4 2026 reviews is due on ${dueInTokyo}`);
      expect(reminders()[0].text).toContain(`https://appraise.example.com/reviews/${reviewId}`);

      const moved = new Date(due.getTime() + DAY);
      await app.store.query('UPDATE reviews SET self_due_at = $1 WHERE id = $2', [moved.toISOString(), reviewId]);
      expect(await app.queueNotices(now)).toMatchObject({ reminders: 1 });
      await dispatch(app);
      expect(reminders()).toHaveLength(2);
      expect((await sentRows(app.store)).filter((s) => s.event === 'review.self-assessment-due').map((s) => s.status)).toEqual(['sent', 'sent']);
    });
  });
}
