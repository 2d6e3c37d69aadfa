// Moving a review through its lifecycle: the action is checked against the lifecycle and the
// person's part in the review (the employee, their manager, HR), the assessment it carries is
// checked against the template, and the change, its event and its audit entry are written in
// one transaction. The second signature freezes the packet into the review.
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import type { Queryable, Store } from '../../store/store.ts';
import { FieldError } from '../../cases/field-error.ts';
import { orList } from '../../cases/lifecycle.ts';
import { didYouMean } from '../../util/did-you-mean.ts';
import {
  findReviewTransition, possibleNow, REVIEW_ACTION_WORDS, REVIEW_ACTIONS, REVIEW_LIFECYCLE, reviewActionsFor, REVIEW_TERMINAL,
  type ReviewActor, type ReviewStatus, type ReviewTransition,
} from './lifecycle.ts';
import { overallScore, type ReviewTemplate } from './template.ts';
import { recordReviewEvent } from './events.ts';
import { assembleReviewPacket, type PacketDeps } from './packet-read.ts';

export interface ReviewActionInput {
  action: string;
  /** Who acts, as the audit log names them. */
  actor: string;
  /** The parts this person may take on this review (the route decides: their own review, their line's, HR). */
  as: readonly ReviewActor[];
  /** Why (a cancellation), or the employee's comment on acknowledging. */
  note?: string;
  /** The self-assessment (`sections`: answer by section id) or the manager's (`sections`: {rating, comment}). */
  data?: { sections?: Record<string, unknown>; summary?: string };
  at?: Date;
}

interface ReviewRow {
  id: number;
  cycle_id: string;
  employee_id: string;
  status: ReviewStatus;
  template: ReviewTemplate;
  manager_assessment: { sections: Record<string, { rating: number; comment?: string }>; summary?: string; amendments?: unknown[] } | null;
}

const MAX_TEXT = 10_000;

export async function lockReview(tx: Queryable, id: number, lock = true): Promise<ReviewRow> {
  const r = (await tx.query<ReviewRow>(
    `SELECT r.id, r.cycle_id, r.employee_id, r.status, r.manager_assessment, c.template FROM reviews r JOIN review_cycles c ON c.id = r.cycle_id WHERE r.id = $1${lock ? ' FOR UPDATE OF r' : ''}`, [id],
  )).rows[0];
  if (!r) throw new AppraiseError('APPRAISE_REVIEW_NOT_FOUND', `There is no review ${id}. \`npx appraise reviews list\` lists them.`, { reviewId: id });
  return r;
}

/** The transition the person takes, or why they cannot: an unknown action (400), not theirs (403), not now (409). */
export function resolveReviewTransition(status: ReviewStatus, action: string, as: readonly ReviewActor[], reviewId: number): ReviewTransition {
  if (!(REVIEW_ACTIONS as readonly string[]).includes(action)) {
    throw new FieldError('APPRAISE_REVIEW_UNKNOWN_ACTION', ['action'], (n) => `${n('action')}: \`${action}\` is not a review action.${didYouMean(action, REVIEW_ACTIONS)} The actions are ${orList(REVIEW_ACTIONS, 'and')}.`, { reviewId, allowed: [...REVIEW_ACTIONS] });
  }
  for (const by of as) {
    const t = findReviewTransition(status, action, by);
    if (t) return t;
  }
  const words = REVIEW_ACTION_WORDS[action as keyof typeof REVIEW_ACTION_WORDS];
  const whose = [...new Set(REVIEW_LIFECYCLE.filter((t) => t.action === action).map((t) => t.by))];
  if (!whose.some((b) => as.includes(b))) {
    const who = orList(whose.map((b) => (b === 'hr' ? 'HR' : b === 'employee' ? 'the employee reviewed' : 'their manager (or HR)')));
    throw new AppraiseError('APPRAISE_REVIEW_FORBIDDEN', `Only ${who} can ${words.to} this review.`, { reviewId, action });
  }
  const allowed = reviewActionsFor(status, as).map((t) => t.action);
  throw new AppraiseError('APPRAISE_REVIEW_ILLEGAL_TRANSITION',
    `A review in status ${status} cannot be ${words.done}${REVIEW_TERMINAL.includes(status) ? '' : ` by you now`}. ${allowed.length ? `You can now: ${orList([...new Set(allowed)])}.` : possibleNow(status)}`,
    { reviewId, status, action, allowed: [...new Set(allowed)] });
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

function selfAssessment(t: ReviewTemplate, data: ReviewActionInput['data'], reviewId: number) {
  const given = data?.sections ?? {};
  const ids = t.spec.sections.map((s) => s.id);
  for (const k of Object.keys(given)) {
    if (!ids.includes(k)) throw new FieldError('APPRAISE_REVIEW_MISSING_FIELD', [`data.sections.${k}`], (n) => `${n(`data.sections.${k}`)}: the template has no section \`${k}\`.${didYouMean(k, ids)}`, { reviewId });
  }
  const sections: Record<string, string> = {};
  for (const s of t.spec.sections) {
    const answer = text(given[s.id]);
    if (s.selfQuestion && !answer) throw new FieldError('APPRAISE_REVIEW_MISSING_FIELD', [`data.sections.${s.id}`], (n) => `Answer "${s.selfQuestion}" (${n(`data.sections.${s.id}`)}) for the section ${s.title}.`, { reviewId });
    if (answer.length > MAX_TEXT) throw new FieldError('APPRAISE_REVIEW_MISSING_FIELD', [`data.sections.${s.id}`], (n) => `${n(`data.sections.${s.id}`)} is longer than ${MAX_TEXT} characters.`, { reviewId });
    if (answer) sections[s.id] = answer;
  }
  const summary = text(data?.summary).slice(0, MAX_TEXT);
  return { sections, ...(summary ? { summary } : {}) };
}

function checkRating(t: ReviewTemplate, sectionId: string, rating: unknown, field: string, reviewId: number): number {
  const s = t.spec.sections.find((x) => x.id === sectionId)!;
  const scale = t.spec.scales[s.scale];
  if (typeof rating !== 'number' || !Number.isInteger(rating) || rating < scale.min || rating > scale.max) {
    throw new FieldError('APPRAISE_REVIEW_BAD_RATING', [field], (n) => `Rate ${s.title} (${n(field)}) with a whole number from ${scale.min} to ${scale.max}${rating === undefined ? '' : `, not ${JSON.stringify(rating)}`}.`, { reviewId, section: sectionId });
  }
  return rating;
}

function managerAssessment(t: ReviewTemplate, data: ReviewActionInput['data'], reviewId: number) {
  const given = (data?.sections ?? {}) as Record<string, { rating?: unknown; comment?: unknown } | undefined>;
  const ids = t.spec.sections.map((s) => s.id);
  for (const k of Object.keys(given)) {
    if (!ids.includes(k)) throw new FieldError('APPRAISE_REVIEW_MISSING_FIELD', [`data.sections.${k}`], (n) => `${n(`data.sections.${k}`)}: the template has no section \`${k}\`.${didYouMean(k, ids)}`, { reviewId });
  }
  const sections: Record<string, { rating: number; comment?: string }> = {};
  for (const s of t.spec.sections) {
    const rating = checkRating(t, s.id, given[s.id]?.rating, `data.sections.${s.id}.rating`, reviewId);
    const comment = text(given[s.id]?.comment).slice(0, MAX_TEXT);
    sections[s.id] = { rating, ...(comment ? { comment } : {}) };
  }
  const summary = text(data?.summary).slice(0, MAX_TEXT);
  const overall = overallScore(t, Object.fromEntries(Object.entries(sections).map(([k, v]) => [k, v.rating])))!;
  return { assessment: { sections, ...(summary ? { summary } : {}) }, overall };
}

/** Applies one action to a review; returns its new status. */
export async function transitionReview(store: Store, deps: PacketDeps, reviewId: number, input: ReviewActionInput): Promise<{ from: string; to: string }> {
  const at = input.at ?? new Date();
  // The packet is assembled before the transaction that freezes it (its reads are many and slow).
  const before = await lockReview(store, reviewId, false);
  const planned = resolveReviewTransition(before.status, input.action, input.as, reviewId);
  const packet = planned.to === 'signed-off' ? await assembleReviewPacket(store, deps, reviewId, at) : undefined;
  return store.transaction(async (tx) => {
    const r = await lockReview(tx, reviewId);
    const t = resolveReviewTransition(r.status, input.action, input.as, reviewId);
    if (t.to === 'signed-off' && !packet) throw new AppraiseError('APPRAISE_REVIEW_ILLEGAL_TRANSITION', 'The review changed while it was being signed. Reload it and sign again.', { reviewId });
    const note = text(input.note);
    if (t.noteRequired && !note) throw new FieldError('APPRAISE_REVIEW_NOTE_REQUIRED', ['note'], (n) => `To ${REVIEW_ACTION_WORDS[t.action].to} this review, give a note saying why (${n('note')}).`, { reviewId });
    const sets = ['status = $2', 'updated_at = $3'];
    const params: unknown[] = [reviewId, t.to, at.toISOString()];
    const set = (column: string, value: unknown, cast = '') => {
      params.push(value);
      sets.push(`${column} = $${params.length}${cast}`);
    };
    let data: Record<string, unknown> = { action: t.action, as: t.by };
    if (t.action === 'self-assess') {
      const self = selfAssessment(r.template, input.data, reviewId);
      set('self_assessment', JSON.stringify(self), '::jsonb');
      data = { ...data, sections: Object.keys(self.sections) };
    } else if (t.action === 'assess') {
      const { assessment, overall } = managerAssessment(r.template, input.data, reviewId);
      set('manager_assessment', JSON.stringify(assessment), '::jsonb');
      set('overall_score', overall);
      data = { ...data, ratings: Object.fromEntries(Object.entries(assessment.sections).map(([k, v]) => [k, v.rating])), overall };
    } else if (t.action === 'sign') {
      set(t.by === 'employee' ? 'employee_signed_by' : 'manager_signed_by', input.actor);
      set(t.by === 'employee' ? 'employee_signed_at' : 'manager_signed_at', at.toISOString());
      if (t.to === 'signed-off') {
        set('packet', JSON.stringify(packet), '::jsonb');
        set('packet_frozen_at', at.toISOString());
      }
    } else if (t.action === 'acknowledge') {
      set('acknowledged_at', at.toISOString());
      if (note) set('acknowledgement', note.slice(0, MAX_TEXT));
    }
    await tx.query(`UPDATE reviews SET ${sets.join(', ')} WHERE id = $1`, params);
    await recordReviewEvent(tx, { reviewId, cycleId: r.cycle_id, at, actor: input.actor, event: 'transition', from: r.status, to: t.to, note: note || null, data },
      { action: `review.${t.action}`, before: { status: r.status }, after: { status: t.to, ...data } });
    return { from: r.status, to: t.to };
  });
}

/**
 * Amends one section's rating after the manager's assessment, with a note; the way a dispute of
 * a review rating is resolved ("amend"). Any status past the assessment, a signed-off one too:
 * the frozen packet stays as it was, the amendment is added to the assessment, the overall score
 * is computed again, and the change is an event and an audit entry.
 */
export async function amendSectionRating(
  store: Store, reviewId: number,
  input: { section: string; rating: number; note: string; actor: string; disputeId?: number; at?: Date },
): Promise<{ from: number; to: number; overall: number }> {
  return store.transaction((tx) => amendRatingIn(tx, reviewId, input));
}

/** amendSectionRating inside a transaction the caller holds (a dispute's resolution, core/people/reviews/dispute-subject.ts). */
export async function amendRatingIn(
  tx: Queryable, reviewId: number,
  input: { section: string; rating: number; note: string; actor: string; disputeId?: number; at?: Date },
): Promise<{ from: number; to: number; overall: number }> {
  const at = input.at ?? new Date();
  const r = await lockReview(tx, reviewId);
  const a = r.manager_assessment;
  if (!a) throw new AppraiseError('APPRAISE_REVIEW_NOT_ASSESSED', `Review ${reviewId} has no manager assessment yet, so no rating can be amended. Its status is ${r.status}.`, { reviewId, status: r.status });
  const ids = r.template.spec.sections.map((s) => s.id);
  if (!ids.includes(input.section)) throw new FieldError('APPRAISE_REVIEW_MISSING_FIELD', ['section'], (n) => `${n('section')}: the review has no section \`${input.section}\`.${didYouMean(input.section, ids)}`, { reviewId });
  const rating = checkRating(r.template, input.section, input.rating, 'rating', reviewId);
  if (!input.note?.trim()) throw new FieldError('APPRAISE_REVIEW_NOTE_REQUIRED', ['note'], (n) => `An amended rating needs a note saying why (${n('note')}).`, { reviewId });
  const from = a.sections[input.section].rating;
  const amendment = { section: input.section, from, to: rating, note: input.note.trim(), actor: input.actor, at: at.toISOString(), ...(input.disputeId ? { disputeId: input.disputeId } : {}) };
  const next = { ...a, sections: { ...a.sections, [input.section]: { ...a.sections[input.section], rating } }, amendments: [...(a.amendments ?? []), amendment] };
  const overall = overallScore(r.template, Object.fromEntries(Object.entries(next.sections).map(([k, v]) => [k, v.rating])))!;
  await tx.query('UPDATE reviews SET manager_assessment = $2::jsonb, overall_score = $3, updated_at = $4 WHERE id = $1', [reviewId, JSON.stringify(next), overall, at.toISOString()]);
  await recordReviewEvent(tx, { reviewId, cycleId: r.cycle_id, at, actor: input.actor, event: 'amended', from: r.status, to: r.status, note: amendment.note, data: { section: input.section, from, to: rating, overall, ...(input.disputeId ? { disputeId: input.disputeId } : {}) } },
    { action: 'review.amend', before: { section: input.section, rating: from }, after: { section: input.section, rating, overall, note: amendment.note } });
  return { from, to: rating, overall };
}
