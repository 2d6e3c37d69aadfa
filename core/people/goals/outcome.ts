// At a PIP's end date Appraise proposes its outcome from the data, and HR confirms it with the
// PIP's own succeed / fail actions:
//   - succeeded: every measured goal is met with enough data;
//   - failed: a measured goal is missed with enough data (and none lacks data);
//   - neither: a measured goal lacks data (or could not be computed), or no goal is measured;
//     the proposal says why. Missing data never proposes failure.
// Goals with a written criterion are listed for HR to judge. The proposal is a case event
// (`outcome-proposed`), written once per end date (an extended PIP gets a new one at its new end).
import type { Store } from '../../store/store.ts';
import { pipGoalSnapshot, type PipGoalSnapshot } from './pip.ts';
import type { ProgressDeps } from './progress.ts';

export type ProposedOutcome = 'succeeded' | 'failed' | 'neither';

export interface OutcomeProposal {
  proposal: ProposedOutcome;
  dueAt: string;
  /** Why, in plain words. */
  words: string;
  goals: PipGoalSnapshot[];
  /** Titles of the goals HR judges by their written criterion. */
  toJudge: string[];
}

const list = (goals: PipGoalSnapshot[]) => goals.map((g) => `“${g.title}”`).join(', ');

/** The outcome a PIP's goals propose at its end date. */
export function proposeOutcome(goals: PipGoalSnapshot[], dueAt: string): OutcomeProposal {
  const measured = goals.filter((g) => g.measureWords !== null);
  const written = goals.filter((g) => g.measureWords === null);
  const toJudge = written.map((g) => g.title);
  const judge = toJudge.length ? ` HR judges the written goals: ${list(written)}.` : '';
  const lacking = measured.filter((g) => g.progress.state !== 'met' && g.progress.state !== 'not-met');
  const missed = measured.filter((g) => g.progress.state === 'not-met');
  let proposal: ProposedOutcome;
  let words: string;
  if (!measured.length) {
    proposal = 'neither';
    words = `No goal of this plan is measured, so Appraise proposes no outcome.${judge}`;
  } else if (lacking.length) {
    proposal = 'neither';
    words = `Appraise proposes no outcome: there is not enough data to judge ${list(lacking)} (${lacking.map((g) => g.progress.words).join(' ')}). Missing data is never counted as a failure; HR decides.${judge}`;
  } else if (missed.length) {
    proposal = 'failed';
    words = `Appraise proposes that the plan failed: ${list(missed)} ${missed.length === 1 ? 'was' : 'were'} missed with enough data (${missed.map((g) => g.progress.words).join(' ')}).${judge}`;
  } else {
    proposal = 'succeeded';
    words = `Appraise proposes that the plan succeeded: every measured goal was met with enough data.${judge}`;
  }
  return { proposal, dueAt, words, goals, toJudge };
}

/**
 * Writes the outcome proposal of every PIP in force whose end date has passed and that has no
 * proposal for that end date yet; returns how many it wrote. Called by the worker's tick.
 */
export async function proposePipOutcomes(store: Store, deps: ProgressDeps, now = new Date()): Promise<number> {
  const due = (await store.query<{ id: number; due_at: string | Date }>(
    `SELECT c.id, c.due_at FROM cases c
     WHERE c.type = 'pip' AND c.status IN ('active', 'extended') AND c.due_at <= $1
       AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.event = 'outcome-proposed' AND (e.data->>'dueAt')::timestamptz = c.due_at)
     ORDER BY c.id`,
    [now.toISOString()],
  )).rows;
  let n = 0;
  for (const c of due) {
    const dueAt = new Date(c.due_at);
    const p = proposeOutcome(await pipGoalSnapshot(store, deps, Number(c.id), dueAt), dueAt.toISOString());
    await store.transaction(async (tx) => {
      // Written once per end date, even when two workers tick together.
      const again = await tx.query(`SELECT 1 FROM cases WHERE id = $1 FOR UPDATE`, [c.id]);
      if (!again.rows.length) return;
      const exists = await tx.query(`SELECT 1 FROM case_events WHERE case_id = $1 AND event = 'outcome-proposed' AND data->>'dueAt' = $2`, [c.id, p.dueAt]);
      if (exists.rows.length) return;
      await tx.query(`INSERT INTO case_events (case_id, at, actor, event, note, data) VALUES ($1, $2, 'appraise', 'outcome-proposed', $3, $4::jsonb)`,
        [c.id, now.toISOString(), p.words, JSON.stringify(p)]);
      await tx.query(`INSERT INTO audit_log (at, actor, action, target, after) VALUES ($1, 'appraise', 'case.outcome-proposed', $2, $3::jsonb)`,
        [now.toISOString(), `case:${c.id}`, JSON.stringify({ proposal: p.proposal, dueAt: p.dueAt })]);
      n++;
    });
  }
  return n;
}
