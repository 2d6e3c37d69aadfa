// Review cycles on both back-ends: opening a cycle (one review per person in scope, atomic,
// idempotent), the packet (measures against standards with 4-period trends, a stated sample of
// verbatims, cases with explanations, training; no protected attribute), the lifecycle with its
// refusals, deadlines, the packet frozen at sign-off, and amending a rating.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Appraise } from '../../core/app/appraise.ts';
import { BACKENDS, postgresReachable } from '../store/backends.ts';
import { openCycle } from '../../core/people/reviews/cycles.ts';
import { getReview, listCycles, listReviews } from '../../core/people/reviews/queries.ts';
import { amendSectionRating, transitionReview } from '../../core/people/reviews/transitions.ts';
import { extendDeadline } from '../../core/people/reviews/deadlines.ts';
import { reviewPacket } from '../../core/people/reviews/packet-read.ts';
import type { MetricItem } from '../../core/people/reviews/sections/metrics.ts';
import type { VerbatimData } from '../../core/people/reviews/sections/verbatims.ts';
import type { PacketCase } from '../../core/people/reviews/sections/cases.ts';
import type { TrainingData } from '../../core/people/reviews/sections/training.ts';
import type { KudosData } from '../../core/people/reviews/sections/kudos.ts';
import type { GoalsData } from '../../core/people/reviews/sections/goals.ts';
import { createGoal } from '../../core/people/goals/index.ts';
import { raiseDispute, resolveDispute } from '../../core/people/disputes/disputes.ts';
import { packetForViewer } from '../../core/people/reviews/redact.ts';
import { giveKudos } from '../../core/people/feedback/kudos.ts';
import { ANSWERS, DUE, openApp, PERIOD, quarterlyTemplate, RATINGS, seedReviewData } from './reviews-helpers.ts';

const AT = new Date('2026-03-25T10:00:00Z');

for (const backend of BACKENDS) {
  describe(`review cycles (${backend.name})`, async () => {
    const skip = backend.name === 'postgres' && !(await postgresReachable());
    let app: Appraise;
    let close: () => Promise<void>;
    const deps = () => ({ registry: app.registry, metrics: app.plugins.metrics, host: app.host });
    const reviewOf = async (employeeId: string) => (await listReviews(app.store, { cycleId: PERIOD, employeeId })).reviews[0];

    beforeAll(async () => {
      if (skip) return;
      ({ app, close } = await openApp(backend.name));
      await seedReviewData(app);
    }, 120_000);
    afterAll(async () => close?.());

    it.skipIf(skip)('opens one review per agent, at once, and opening again adds none', async () => {
      const t = await quarterlyTemplate();
      const first = await openCycle(app.store, { period: PERIOD, ...t, appliesTo: { roles: ['agent'] }, due: DUE, actor: 'hr-ana', at: AT });
      expect(first).toEqual({ cycleId: PERIOD, created: 20, existing: 0 });
      const again = await openCycle(app.store, { period: PERIOD, ...t, appliesTo: { roles: ['agent'] }, due: DUE, actor: 'hr-ana', at: AT });
      expect(again).toEqual({ cycleId: PERIOD, created: 0, existing: 20 });
      await expect(openCycle(app.store, { period: PERIOD, ...t, appliesTo: { roles: ['team-lead'] }, due: DUE, actor: 'hr-ana', at: AT }))
        .rejects.toMatchObject({ code: 'APPRAISE_REVIEW_CYCLE_EXISTS' });
      const [cycle] = await listCycles(app.store, { now: AT });
      expect(cycle).toMatchObject({ id: PERIOD, templateId: 'quarterly', progress: { total: 20, selfAssessed: 0, signedOff: 0, overdue: 0 } });
      const audit = (await app.store.query(`SELECT action FROM audit_log WHERE target = $1`, [`review-cycle:${PERIOD}`])).rows;
      expect(audit).toEqual([{ action: 'review.cycle.open' }]);
      expect((await getReview(app.store, (await reviewOf('w1')).id)).events).toMatchObject([{ event: 'opened', to: 'open', actor: 'hr-ana' }]);
    });

    it.skipIf(skip)('refuses a population, deadlines or period that make no sense, at their field', async () => {
      const t = await quarterlyTemplate();
      await expect(openCycle(app.store, { id: 'x1', period: PERIOD, ...t, appliesTo: { role: ['agent'] } as never, due: DUE, actor: 'hr' }))
        .rejects.toMatchObject({ code: 'APPRAISE_REVIEW_BAD_POPULATION', message: expect.stringContaining('`appliesTo.role`') });
      await expect(openCycle(app.store, { id: 'x2', period: PERIOD, ...t, due: { ...DUE, signoff: '2026-04-01' }, actor: 'hr' }))
        .rejects.toMatchObject({ code: 'APPRAISE_REVIEW_BAD_DEADLINES', details: { field: 'due.signoff' } });
      await expect(openCycle(app.store, { id: 'x3', period: '2026-Q5', ...t, due: DUE, actor: 'hr' })).rejects.toMatchObject({ code: 'APPRAISE_REVIEW_BAD_PERIOD' });
      expect((await app.store.query(`SELECT id FROM review_cycles WHERE id LIKE 'x%'`)).rows).toEqual([]);
    });

    it.skipIf(skip)('assembles the packet: standards in words, 4-period trends, a stated sample of comments, cases, training; no protected attribute', async () => {
      const { id } = await reviewOf('w1');
      // Kudos from two colleagues in the quarter, and one after it that the packet leaves out.
      const colleague = (employeeId: string) => ({ tokenId: 0, name: employeeId, role: 'employee' as const, employeeId });
      await giveKudos(app.store, colleague('w2'), { receiverId: 'w1', message: 'Took my escalations during the outage', value: 'Teamwork' }, ['Teamwork'], new Date('2026-02-10T09:00:00Z'));
      await giveKudos(app.store, colleague('w3'), { receiverId: 'w1', message: 'Patient with a hard customer' }, ['Teamwork'], new Date('2026-03-02T09:00:00Z'));
      await giveKudos(app.store, colleague('w3'), { receiverId: 'w1', message: 'Next quarter' }, ['Teamwork'], new Date('2026-04-02T09:00:00Z'));
      // A measured goal of the quarter (w1's 57 comments average CSAT 3), and one of the next quarter that the packet leaves out.
      const manager = { tokenId: 0, name: 'mgr-a', role: 'manager' as const, employeeId: 'mgr-a' };
      const csatGoal = { metric: 'customer-feedback.csat', target: 2.8, direction: 'atLeast', minSamples: 20 };
      await createGoal(app.store, app.plugins.metrics, manager, { employeeId: 'w1', title: 'Keep CSAT above 2.8', startsAt: '2026-01-01', dueAt: '2026-03-31', measure: csatGoal }, new Date('2026-01-01T00:00:00Z'));
      await createGoal(app.store, app.plugins.metrics, manager, { employeeId: 'w1', title: 'Next quarter', startsAt: '2026-04-02', dueAt: '2026-06-30', measure: csatGoal }, new Date('2026-01-01T00:00:00Z'));
      const { frozen, packet } = await reviewPacket(app.store, deps(), id);
      expect(frozen).toBe(false);
      expect(packet.sections.map((s) => s.id)).toEqual(['metrics', 'verbatims', 'cases', 'training', 'goals', 'kudos']);
      const goals = packet.sections.find((s) => s.id === 'goals')!;
      expect(goals.summary).toBe("1 goal in the period, 1 measured: 1 met as of the packet's date.");
      expect((goals.data as GoalsData).goals.map((g) => [g.title, g.progress.state, g.progress.samples >= 20])).toEqual([['Keep CSAT above 2.8', 'met', true]]);
      const kudos = packet.sections.find((s) => s.id === 'kudos')!;
      expect(kudos.summary).toBe("2 kudos in the period: 2 from colleagues and 0 from customers' compliments.");
      expect((kudos.data as KudosData).kudos.map((k) => [k.giverId, k.message, k.value])).toEqual([
        ['w2', 'Took my escalations during the outage', 'Teamwork'], ['w3', 'Patient with a hard customer', null],
      ]);
      // A viewer reads the counts, not the messages.
      expect((packetForViewer(packet).sections.find((s) => s.id === 'kudos')!.data as KudosData).kudos.map((k) => k.message)).toEqual([null, null]);
      const section = <T>(sid: string) => packet.sections.find((s) => s.id === sid)!.data as T;

      const { items } = section<{ items: MetricItem[] }>('metrics');
      const csat = items.find((i) => i.metric === 'customer-feedback.csat')!;
      expect(csat.trend.map((p) => p.period)).toEqual(['2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1']);
      expect(csat.standardWords).toBe('Improvement plan when below 2; Recognition when at least 4.5');
      expect(csat.current.status).toBe('ok');

      const v = section<VerbatimData>('verbatims');
      expect(v.statement).toBe('3 lowest, 3 highest and 4 at random of 57 comments.');
      expect(v.comments.map((c) => c.picked)).toEqual(['lowest', 'lowest', 'lowest', 'random', 'random', 'random', 'random', 'highest', 'highest', 'highest']);
      expect(v.comments.slice(0, 3).every((c) => c.score === 'satisfaction 1 of 5')).toBe(true);
      expect(v.comments.slice(-3).every((c) => c.score === 'satisfaction 5 of 5')).toBe(true);
      // Seeded: the same packet shows the same comments every time.
      const again = (await reviewPacket(app.store, deps(), id)).packet.sections.find((s) => s.id === 'verbatims')!.data as VerbatimData;
      expect(again.comments).toEqual(v.comments);

      const { cases } = section<{ cases: PacketCase[] }>('cases');
      expect(cases).toHaveLength(1);
      expect(cases[0]).toMatchObject({ type: 'pip', period: PERIOD });
      expect(cases[0].explanation).toEqual([expect.stringMatching(/^✔ csat .* is 1\.5; the condition needs it below 2: met$/)]);

      const training = section<TrainingData>('training');
      expect(training.courses.map((c) => [c.course, c.change])).toEqual([['Handling complaints', 25], ['Product basics', null]]);
      expect(training.impact).not.toBeNull();
      expect(packet.sections.find((s) => s.id === 'training')!.summary).toMatch(/^2 courses completed in this period\./);

      const text = JSON.stringify(packet);
      expect(text).not.toMatch(/gender/);
      expect(packet.employee).toEqual({ id: 'w1', name: 'Agent w1', role: 'agent', team: 'A', department: null, managerId: 'mgr-a', managerName: 'Ada Manager' });
    });

    it.skipIf(skip)('walks the lifecycle; each refusal says what is possible; the packet is frozen at sign-off', async () => {
      const { id } = await reviewOf('w1');
      const act = (action: string, as: Array<'employee' | 'manager' | 'hr'>, o: { actor?: string; data?: object; note?: string } = {}) =>
        transitionReview(app.store, deps(), id, { action, as, actor: o.actor ?? (as[0] === 'employee' ? 'w1' : 'mgr-a'), data: o.data, note: o.note, at: AT });
      await expect(act('sign', ['employee'])).rejects.toMatchObject({ code: 'APPRAISE_REVIEW_ILLEGAL_TRANSITION', details: { allowed: ['self-assess'] } });
      await expect(act('assess', ['employee'], { data: { sections: RATINGS } })).rejects.toMatchObject({ code: 'APPRAISE_REVIEW_FORBIDDEN' });
      await expect(act('self-assess', ['employee'], { data: { sections: { ...ANSWERS, growth: ' ' } } }))
        .rejects.toMatchObject({ code: 'APPRAISE_REVIEW_MISSING_FIELD', details: { field: 'data.sections.growth' } });
      await expect(act('sel-assess', ['employee'])).rejects.toMatchObject({ code: 'APPRAISE_REVIEW_UNKNOWN_ACTION', message: expect.stringContaining('Did you mean `self-assess`?') });
      expect(await act('self-assess', ['employee'], { data: { sections: ANSWERS, summary: 'More next time.' } })).toEqual({ from: 'open', to: 'self-assessed' });
      await expect(act('assess', ['manager'], { data: { sections: { ...RATINGS, growth: { rating: 6 } } } }))
        .rejects.toMatchObject({ code: 'APPRAISE_REVIEW_BAD_RATING', details: { field: 'data.sections.growth.rating' } });
      expect(await act('assess', ['manager'], { data: { sections: RATINGS, summary: 'Improving.' } })).toEqual({ from: 'self-assessed', to: 'manager-assessed' });
      // 40% at 2, 20% at 3, 40% at 4 on 1–5: 0.4·0.25 + 0.2·0.5 + 0.4·0.75 = 0.5 → 3.
      expect((await getReview(app.store, id)).overallScore).toBe(3);
      expect(await act('sign', ['manager'])).toEqual({ from: 'manager-assessed', to: 'manager-signed' });
      await expect(act('sign', ['manager'])).rejects.toMatchObject({ code: 'APPRAISE_REVIEW_ILLEGAL_TRANSITION', details: { allowed: [] } });
      await expect(act('acknowledge', ['employee'])).rejects.toMatchObject({ code: 'APPRAISE_REVIEW_ILLEGAL_TRANSITION', details: { allowed: ['sign'] } });
      expect(await act('sign', ['employee'])).toEqual({ from: 'manager-signed', to: 'signed-off' });

      const frozenBefore = await reviewPacket(app.store, deps(), id);
      expect(frozenBefore.frozen).toBe(true);
      // New data after sign-off changes nothing in the record kept.
      await app.store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('customer-feedback.survey', 'w1', '2026-03-30T10:00:00Z', '{"csat":1,"comment":"late"}'::jsonb, 'late')`);
      expect((await reviewPacket(app.store, deps(), id)).packet).toEqual(frozenBefore.packet);

      expect(await act('acknowledge', ['employee'], { note: 'I disagree with the first rating.' })).toEqual({ from: 'signed-off', to: 'acknowledged' });
      await expect(act('cancel', ['hr'], { note: 'x' })).rejects.toMatchObject({ code: 'APPRAISE_REVIEW_ILLEGAL_TRANSITION', message: expect.stringContaining('closed') });
      const r = await getReview(app.store, id);
      expect(r).toMatchObject({ status: 'acknowledged', acknowledgement: 'I disagree with the first rating.', employeeSignedBy: 'w1', managerSignedBy: 'mgr-a' });
      expect(r.events.map((e) => `${e.from ?? ''}>${e.to}`)).toEqual(['>open', 'open>self-assessed', 'self-assessed>manager-assessed', 'manager-assessed>manager-signed', 'manager-signed>signed-off', 'signed-off>acknowledged']);
      const audit = (await app.store.query<{ action: string }>(`SELECT action FROM audit_log WHERE target = $1 ORDER BY id`, [`review:${id}`])).rows.map((x) => x.action);
      expect(audit).toEqual(['review.self-assess', 'review.assess', 'review.sign', 'review.sign', 'review.acknowledge']);
      const [cycle] = await listCycles(app.store, { now: AT });
      expect(cycle.progress).toMatchObject({ selfAssessed: 1, signedOff: 1 });
    });

    it.skipIf(skip)('amends a rating with a note (for disputes): the overall score follows, the frozen packet stays', async () => {
      const { id } = await reviewOf('w1');
      await expect(amendSectionRating(app.store, id, { section: 'customer-outcomes', rating: 3, note: ' ', actor: 'hr-ana' })).rejects.toMatchObject({ code: 'APPRAISE_REVIEW_NOTE_REQUIRED' });
      expect(await amendSectionRating(app.store, id, { section: 'customer-outcomes', rating: 3, note: 'Dispute upheld in part: two surveys were misrouted.', actor: 'hr-ana', disputeId: 7 }))
        .toEqual({ from: 2, to: 3, overall: 3.4 });
      const r = await getReview(app.store, id);
      expect(r.managerAssessment!.amendments).toMatchObject([{ section: 'customer-outcomes', from: 2, to: 3, actor: 'hr-ana', disputeId: 7 }]);
      expect(r.events.at(-1)).toMatchObject({ event: 'amended', note: 'Dispute upheld in part: two surveys were misrouted.' });
      const open = await reviewOf('w2');
      await expect(amendSectionRating(app.store, open.id, { section: 'growth', rating: 3, note: 'n', actor: 'hr' })).rejects.toMatchObject({ code: 'APPRAISE_REVIEW_NOT_ASSESSED' });
    });

    it.skipIf(skip)('the employee disputes a rating; HR amends it through the dispute; it cannot be struck out; an unrated review cannot be disputed', async () => {
      const { id } = await reviewOf('w1');
      const employee = { name: 'w1', role: 'employee' as const, employeeId: 'w1' };
      const hr = { name: 'hr-bo', role: 'hr' as const };
      const first = await raiseDispute(app.store, employee, { subjectType: 'review', subjectId: id, section: 'customer-outcomes', reason: 'The misrouted surveys were not mine.' });
      await expect(resolveDispute(app.store, hr, first, { resolution: 'overturn', note: 'x' })).rejects.toMatchObject({ code: 'APPRAISE_DISPUTE_NOT_DISPUTABLE', message: expect.stringContaining('amend') });
      expect(await resolveDispute(app.store, hr, first, { resolution: 'amend', note: 'Agreed: 4 without the misrouted surveys.', amendment: { rating: 4 } })).toBe('amended');
      const r = await getReview(app.store, id);
      expect(r.managerAssessment!.sections['customer-outcomes'].rating).toBe(4);
      expect(r.managerAssessment!.amendments!.at(-1)).toMatchObject({ section: 'customer-outcomes', from: 3, to: 4, actor: 'hr-bo', disputeId: first });
      // The dispute's steps are on the review's own record, where the employee reads them.
      expect(r.events.filter((e) => e.event === 'dispute' || (e.event === 'amended' && e.data.disputeId === first)).map((e) => [e.event, e.data.step ?? null, e.note])).toEqual([
        ['dispute', 'raised', 'The misrouted surveys were not mine.'],
        ['dispute', 'amended', 'Agreed: 4 without the misrouted surveys.'],
        ['amended', null, 'Agreed: 4 without the misrouted surveys.'],
      ]);
      // A section the review does not have, and a review nobody has rated yet.
      await expect(raiseDispute(app.store, employee, { subjectType: 'review', subjectId: id, section: 'charm', reason: 'r' })).rejects.toMatchObject({ details: { field: 'section' } });
      const unrated = await reviewOf('w2');
      await expect(raiseDispute(app.store, { name: 'w2', role: 'employee', employeeId: 'w2' }, { subjectType: 'review', subjectId: unrated.id, reason: 'r' }))
        .rejects.toMatchObject({ message: expect.stringContaining('no ratings yet') });
    });

    it.skipIf(skip)('counts overdue steps; HR extends a deadline with a note', async () => {
      const late = new Date('2026-04-15T00:00:00Z');
      expect((await listReviews(app.store, { cycleId: PERIOD, overdue: true, now: late })).total).toBe(19);
      expect((await reviewOf('w2'))).toMatchObject({ step: 'self', dueAt: '2026-04-10T00:00:00.000Z' });
      await expect(extendDeadline(app.store, { cycleId: PERIOD, reviewId: (await reviewOf('w2')).id, step: 'self', dueAt: '2026-04-20', note: '', actor: 'hr' })).rejects.toMatchObject({ code: 'APPRAISE_REVIEW_NOTE_REQUIRED' });
      expect(await extendDeadline(app.store, { cycleId: PERIOD, reviewId: (await reviewOf('w2')).id, step: 'self', dueAt: '2026-04-20', note: 'On leave', actor: 'hr-ana' })).toEqual({ reviews: 1 });
      expect((await listReviews(app.store, { cycleId: PERIOD, overdue: true, now: late })).total).toBe(18);
      expect((await getReview(app.store, (await reviewOf('w2')).id)).events.at(-1)).toMatchObject({ event: 'extended', note: 'On leave', data: { step: 'self', to: '2026-04-20T00:00:00.000Z' } });
      expect((await listCycles(app.store, { now: late }))[0].progress.overdue).toBe(18);
    });
  });
}
