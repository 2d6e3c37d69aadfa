// A PIP's goals with their progress (now, or at a check-in), and the outcome Appraise proposed
// at the plan's end date: succeeded, failed, or none when data is missing, which HR confirms
// with the plan's own actions. Plain words: "not enough data" is never shown as missed.
import { html, nothing, type TemplateResult } from 'lit';
import type { CaseDetail, PipGoalSnapshot } from '../api/index.ts';
import { formatDate } from '../lib/format.ts';
import { progressLabel } from './employee-goals.ts';

/** The goals as a list: title, measure or criterion, a badge and the progress in words. */
export function pipGoalsView(goals: readonly PipGoalSnapshot[]): TemplateResult {
  return html`<ol class="goals">${goals.map((g) => {
    const label = progressLabel(g);
    // A written goal has no progress to badge: HR judges it against its words.
    const badge = g.progress.state === 'by-hand' ? '' : html` <span class="badge ${label.tone}" data-progress=${g.progress.state}>${label.text}</span>`;
    return html`<li data-pip-goal>${g.title}${badge}
      ${g.measureWords && g.measureWords !== g.title ? html`<div class="small muted">Measured by: ${g.measureWords}</div>` : ''}
      ${g.progress.state !== 'by-hand' ? html`<div class="small">${g.progress.words}</div>` : g.criterion && g.criterion !== g.title ? html`<div class="small">Criterion: ${g.criterion}</div>` : ''}</li>`;
  })}</ol>`;
}

const PROPOSAL: Record<string, string> = { succeeded: 'Succeeded', failed: 'Not met', neither: 'No outcome proposed' };

/** The latest outcome proposal of a PIP, while the plan is still open for HR to close. */
export function proposedOutcome(c: Pick<CaseDetail, 'events' | 'status'>): TemplateResult | typeof nothing {
  const e = [...c.events].reverse().find((x) => x.event === 'outcome-proposed');
  if (!e) return nothing;
  const proposal = String(e.data.proposal);
  const open = c.status === 'active' || c.status === 'extended';
  return html`<section class="card" aria-labelledby="h-outcome" data-proposal=${proposal}>
    <h2 id="h-outcome" style="margin-top:0">Proposed outcome at the end date (${formatDate(String(e.data.dueAt))}):
      <span class="badge ${proposal === 'succeeded' ? 'ok' : proposal === 'failed' ? 'fail' : 'neutral'}">${PROPOSAL[proposal] ?? proposal}</span></h2>
    <p>${e.note}</p>
    ${Array.isArray(e.data.goals) ? pipGoalsView(e.data.goals as PipGoalSnapshot[]) : ''}
    ${open ? html`<p class="small muted">HR confirms the outcome by closing the plan as succeeded or failed; nothing closes by itself.</p>` : ''}
  </section>`;
}
