// A review's rating as the subject of a dispute (core/people/disputes/subject.ts): the employee
// or their manager disputes the rating of one section (or the review's ratings as a whole), and
// the steps go on the review's own record (review_events `dispute`), where both see them.
// - uphold: the rating stands; HR's note is on the review.
// - amend: HR gives the section's new rating (`amendment.rating`, and `amendment.section` when the
//   dispute named none); the overall score follows, the change is kept with the assessment, and
//   the packet frozen at sign-off stays as it was. Without a rating, the note is the amendment.
// - overturn: refused. A rating is corrected, never struck out: an overall score without it would
//   weigh the other sections differently from the template. Amend it instead.
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { disputeFieldError } from '../disputes/field-names.ts';
import type { DisputeSubject } from '../disputes/subject.ts';
import { recordReviewEvent } from './events.ts';
import { amendRatingIn, lockReview } from './transitions.ts';

/** Reviews closed to disputes: nothing was rated, or the review was withdrawn. */
const NOT_RATED = new Set(['open', 'self-assessed']);

export const reviewSubject: DisputeSubject = {
  type: 'review',

  noun: (id, section) => (section ? `the rating of \`${section}\` in review #${id}` : `review #${id}`),

  async load(tx, id, section) {
    const r = await lockReview(tx, id);
    const sections = r.template.spec.sections.map((s) => s.id);
    if (section && !sections.includes(section)) {
      throw disputeFieldError('APPRAISE_DISPUTE_UNKNOWN_SUBJECT', 'section', (n) => `${n('section')}: review #${id} has no section \`${section}\`. Its sections: ${sections.join(', ')}.`, { reviewId: id });
    }
    const closed = r.status === 'cancelled'
      ? `Review #${id} was cancelled.`
      : NOT_RATED.has(r.status) || !r.manager_assessment ? `Review #${id} has no ratings yet: the manager has not assessed it.` : undefined;
    return { employeeId: r.employee_id, ...(closed ? { closedToDisputes: closed } : {}) };
  },

  async record(tx, id, step) {
    const r = await lockReview(tx, id, false);
    await recordReviewEvent(tx, {
      reviewId: id, cycleId: r.cycle_id, at: step.at, actor: step.actor, event: 'dispute', from: r.status, to: r.status, note: step.note,
      data: { disputeId: step.disputeId, step: step.step, ...(step.section ? { section: step.section } : {}), ...step.data },
    }, { action: `review.dispute.${step.step}`, after: { disputeId: step.disputeId, section: step.section } });
  },

  async overturn(_tx, id) {
    throw new AppraiseError('APPRAISE_DISPUTE_NOT_DISPUTABLE',
      `A review's rating is corrected, not struck out: resolve the dispute about review #${id} with \`amend\` and give the new rating (amendment.rating), or uphold it.`, { reviewId: id, field: 'resolution' });
  },

  async amend(tx, id, step, amendment) {
    const given = amendment ?? {};
    const unknown = Object.keys(given).find((k) => k !== 'rating' && k !== 'section' && given[k] !== undefined);
    if (unknown) {
      throw disputeFieldError('APPRAISE_DISPUTE_BAD_AMENDMENT', `amendment.${unknown}`, (n) => `${n(`amendment.${unknown}`)}: an amendment of a review changes one section's rating (amendment.rating); say any other correction in the note.`, { reviewId: id });
    }
    if (given.rating === undefined) return null;
    const section = step.section ?? (typeof given.section === 'string' ? given.section : undefined);
    if (!section) {
      throw disputeFieldError('APPRAISE_DISPUTE_BAD_AMENDMENT', 'amendment.section', (n) => `${n('amendment.section')}: the dispute names no section, so say which section's rating changes.`, { reviewId: id });
    }
    if (typeof given.rating !== 'number') {
      throw disputeFieldError('APPRAISE_DISPUTE_BAD_AMENDMENT', 'amendment.rating', (n) => `${n('amendment.rating')} must be a number on the section's scale.`, { reviewId: id });
    }
    const r = await amendRatingIn(tx, id, { section, rating: given.rating, note: step.note ?? '', actor: step.actor, disputeId: step.disputeId, at: step.at });
    return { before: { section, rating: r.from }, after: { section, rating: r.to, overall: r.overall } };
  },

  async titles(db, ids) {
    const rows = (await db.query<{ id: number | string; cycle_id: string; name: string }>(
      'SELECT r.id, r.cycle_id, e.name FROM reviews r JOIN employees e ON e.id = r.employee_id WHERE r.id = ANY($1::bigint[])', [ids],
    )).rows;
    return new Map(rows.map((r) => [Number(r.id), `Review of ${r.name}, ${r.cycle_id}`]));
  },
};
