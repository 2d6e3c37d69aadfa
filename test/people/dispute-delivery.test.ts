// An overturned case's workflows get a follow-up delivery through the outbox: a real local HTTP
// receiver gets `case.overturned` with the dispute's note, once, under the case's idempotency
// key. Both store back-ends.
import { describe, expect, it } from 'vitest';
import { dispatchOnce } from '../../core/workflows/dispatcher.ts';
import { createWorkflowRunner } from '../../core/workflows/runner.ts';
import { raiseDispute, resolveDispute } from '../../core/people/disputes/disputes.ts';
import { BACKENDS, storeForSuite } from '../store/backends.ts';
import { insertCase } from '../cases/helpers.ts';
import { deliveryTests, hostFor } from '../workflows/helpers.ts';

for (const backend of BACKENDS) {
  describe(`the overturn's follow-up delivery (${backend.name})`, async () => {
    const suite = await storeForSuite(backend);
    const live = deliveryTests({ emptyOutbox: suite });
    const [receiver] = live.receivers;

    it.skipIf(suite.skip)('reaches the receiver once, as case.overturned with the dispute note, to the workflows the case fired', async () => {
      const store = suite.store;
      live.host = await hostFor(receiver);
      const options = { run: createWorkflowRunner(store, live.host), baseDelayMs: 30_000, maxAttempts: 3, random: () => 0.5 };
      const caseId = await insertCase(store, { type: 'coaching', status: 'completed', employeeId: 'kim', workflows: ['webhook.post'] });
      const id = await raiseDispute(store, { name: 'kim', role: 'employee', employeeId: 'kim' }, { subjectType: 'case', subjectId: caseId, reason: 'Surveys of another team were filed under my id.' });
      await resolveDispute(store, { name: 'hr-ana', role: 'hr' }, id, { resolution: 'overturn', note: 'The survey import mixed up two teams.' });

      expect(await dispatchOnce(store, options)).toMatchObject({ delivered: 1 });
      expect(await dispatchOnce(store, options)).toMatchObject({ claimed: 0 });
      expect(receiver.received).toHaveLength(1);
      const [r] = receiver.received;
      expect(r.headers['x-appraise-event']).toBe('case.overturned');
      expect(r.headers['idempotency-key']).toBe(`case-${caseId}:case.overturned:webhook.post`);
      expect(JSON.parse(r.body)).toMatchObject({
        event: 'case.overturned',
        case: {
          id: caseId, type: 'coaching', status: 'overturned',
          dispute: { id, resolution: 'overturned', note: 'The survey import mixed up two teams.', reason: 'Surveys of another team were filed under my id.' },
        },
        employee: { id: 'kim' },
      });
    });
  });
}
