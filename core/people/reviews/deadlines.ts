// HR extends a deadline: of one review, or of every review of a cycle that is not closed (and the
// cycle's own). A step past its deadline is overdue (shown and counted, never blocked); moving
// the deadline is an event on each review it changes, with the note saying why.
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import type { Store } from '../../store/store.ts';
import { FieldError } from '../../cases/field-error.ts';
import { parseInstant } from '../../util/instant.ts';
import { REVIEW_TERMINAL, STEP_WORDS, type ReviewStep } from './lifecycle.ts';
import { recordReviewEvent } from './events.ts';

const COLUMN: Record<ReviewStep, string> = { self: 'self_due_at', manager: 'manager_due_at', signoff: 'signoff_due_at' };
export const STEPS = Object.keys(COLUMN) as ReviewStep[];

export async function extendDeadline(
  store: Store,
  input: { cycleId: string; reviewId?: number; step: string; dueAt: string; note: string; actor: string; at?: Date },
): Promise<{ reviews: number }> {
  const at = input.at ?? new Date();
  if (!(STEPS as string[]).includes(input.step)) {
    throw new FieldError('APPRAISE_REVIEW_MISSING_FIELD', ['step'], (n) => `${n('step')} must be ${STEPS.join(', ')} (the ${STEPS.map((s) => STEP_WORDS[s]).join(', ')}), not \`${input.step}\`.`);
  }
  const step = input.step as ReviewStep;
  const due = parseInstant(input.dueAt, 'dueAt');
  if (!input.note?.trim()) throw new FieldError('APPRAISE_REVIEW_NOTE_REQUIRED', ['note'], (n) => `Say why the deadline moves (${n('note')}).`);
  return store.transaction(async (tx) => {
    const cycle = (await tx.query('SELECT id FROM review_cycles WHERE id = $1 FOR UPDATE', [input.cycleId])).rows[0];
    if (!cycle) throw new AppraiseError('APPRAISE_REVIEW_CYCLE_NOT_FOUND', `There is no review cycle ${input.cycleId}. \`npx appraise reviews list\` lists the cycles.`, { cycleId: input.cycleId });
    const rows = (await tx.query<{ id: number; status: string; due: string | Date }>(
      `SELECT id, status, ${COLUMN[step]} AS due FROM reviews WHERE cycle_id = $1 AND ($2::bigint IS NULL OR id = $2) AND NOT (status = ANY($3::text[])) ORDER BY id FOR UPDATE`,
      [input.cycleId, input.reviewId ?? null, [...REVIEW_TERMINAL]],
    )).rows;
    if (input.reviewId !== undefined && !rows.length) {
      throw new AppraiseError('APPRAISE_REVIEW_NOT_FOUND', `There is no open review ${input.reviewId} in the cycle ${input.cycleId}.`, { reviewId: input.reviewId });
    }
    if (input.reviewId === undefined) await tx.query(`UPDATE review_cycles SET ${COLUMN[step]} = $2 WHERE id = $1`, [input.cycleId, due.toISOString()]);
    await tx.query(`UPDATE reviews SET ${COLUMN[step]} = $2, updated_at = $3 WHERE id = ANY($1::bigint[])`, [rows.map((r) => Number(r.id)), due.toISOString(), at.toISOString()]);
    for (const r of rows) {
      const from = new Date(r.due).toISOString();
      await recordReviewEvent(tx, { reviewId: Number(r.id), cycleId: input.cycleId, at, actor: input.actor, event: 'extended', from: r.status, to: r.status, note: input.note.trim(), data: { step, from, to: due.toISOString() } },
        { action: 'review.extend', before: { step, dueAt: from }, after: { step, dueAt: due.toISOString() } });
    }
    return { reviews: rows.length };
  });
}
