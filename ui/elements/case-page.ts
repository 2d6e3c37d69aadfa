// One case: what it is and for whom, the actions this user may take now (from the API's
// `allowedActions`), check-ins on a running plan, its disputes, why it was opened (the
// explanation) and what has happened since (the timeline).
import { LitElement, html, css } from 'lit';
import { Task, TaskStatus } from '@lit/task';
import { api, type CaseDetail, type Principal } from '../api/index.ts';
import { href } from '../router.ts';
import { can } from '../lib/permissions.ts';
import { formatDate, formatDateTime, OUTCOME_LABEL } from '../lib/format.ts';
import { errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';
import { ACTION_LABEL } from './case-action-form.ts';
import { approvedBy, checkInDates, suggestedGoals } from '../lib/pip-plan.ts';
import { paramsInWords } from '../lib/words.ts';
import './case-action-form.ts';
import './case-timeline.ts';
import './dispute-panel.ts';
import './explanation-view.ts';
import { pipGoalsView, proposedOutcome } from './pip-goals-view.ts';

// Check-ins are recorded on running plans (core/cases/transitions.ts recordCheckIn).
const CHECK_IN_STATUSES = ['active', 'extended'];

export class CasePage extends LitElement {
  static properties = { principal: { attribute: false }, caseId: { type: Number }, acting: { state: true }, notice: { state: true }, checkInError: { state: true } };
  static styles = [shared, css`
    .layout { display: grid; grid-template-columns: minmax(0, 1.6fr) minmax(0, 1fr); gap: 1rem; align-items: start; }
    @media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }
    .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
    ol.goals { margin: 0.25rem 0; padding-left: 1.25rem; }
  `];
  declare principal: Principal;
  declare caseId: number;
  declare acting: string | null;
  declare notice: string;
  declare checkInError: unknown;

  private readonly data = new Task(this, {
    task: async ([id]: [number], { signal }) => api.case(id, { signal }),
    args: () => [this.caseId] as [number],
  });

  constructor() {
    super();
    this.caseId = 0;
    this.acting = null;
    this.notice = '';
    this.checkInError = null;
  }

  private async changed(message: string) {
    this.acting = null;
    // The notice once the page shows the new state, never beside the old one.
    await this.data.run();
    this.notice = message;
  }

  private async checkIn(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const note = new FormData(form).get('note')?.toString().trim() ?? '';
    if (!note) return;
    this.checkInError = null;
    try {
      await api.checkIn(this.caseId, note);
      form.reset();
      await this.changed('Check-in recorded.');
    } catch (err) {
      this.checkInError = err;
    }
  }

  /** A PIP's plan as HR approved it, or what it still lacks. */
  private plan(c: CaseDetail) {
    const approval = approvedBy(c);
    const dates = checkInDates(c);
    if (!c.goals?.length) return html`<section class="card"><h2 style="margin-top:0">Plan</h2><p class="muted">No plan yet: HR sets its goals, end date, check-ins and support when approving it.</p></section>`;
    return html`<section class="card" aria-labelledby="h-plan"><h2 id="h-plan" style="margin-top:0">Plan</h2>
      <h3>Goals</h3>${c.pipGoals?.length ? pipGoalsView(c.pipGoals) : html`<ol class="goals">${c.goals.map((g) => html`<li>${g}</li>`)}</ol>`}
      ${c.support ? html`<h3>Support offered</h3><p>${c.support}</p>` : ''}
      <dl class="facts">
        ${c.dueAt ? html`<dt>Ends</dt><dd>${formatDate(c.dueAt)}</dd>` : ''}
        ${c.checkInEveryDays ? html`<dt>Check-ins</dt><dd>every ${c.checkInEveryDays} days${dates.length ? html`: ${dates.map(formatDate).join(', ')}` : ' once the plan starts'}</dd>` : ''}
        ${approval ? html`<dt>Approved by</dt><dd>${approval.actor}, ${formatDate(approval.at)}</dd>` : ''}
      </dl></section>`;
  }

  private detail(c: CaseDetail) {
    const mayCheckIn = c.type === 'pip' && CHECK_IN_STATUSES.includes(c.status) && can(this.principal.role, 'actOnCases') && this.principal.employeeId !== c.employeeId;
    return html`
      <p class="small"><a href="/cases">← Cases</a></p>
      <h1><span class="badge ${c.type}">${OUTCOME_LABEL[c.type]}</span> Case ${c.id}: ${c.employeeName ?? c.employeeId}</h1>
      ${this.notice ? html`<p class="notice success" role="status">${this.notice}</p>` : ''}
      ${this.data.status === TaskStatus.ERROR ? errorView(this.data.error, () => this.data.run()) : ''}
      <div class="layout">
        <div class="stack">
          <section class="card" aria-labelledby="h-actions">
            <h2 id="h-actions" style="margin-top:0">Status: <span class="badge neutral" data-status=${c.status}>${c.status}</span></h2>
            ${c.allowedActions.length
              ? html`<div class="actions">${c.allowedActions.map((a) => html`<button class=${a.action === 'approve' || a.action === 'acknowledge' ? 'primary' : a.action === 'reject' || a.action === 'cancel' || a.action === 'fail' ? 'danger' : ''}
                  aria-expanded=${this.acting === a.action ? 'true' : 'false'} @click=${() => (this.acting = this.acting === a.action ? null : a.action)}>${ACTION_LABEL[a.action] ?? a.action}</button>`)}</div>
                ${c.allowedActions.filter((a) => a.action === this.acting).map((a) => html`<case-action-form style="margin-top:0.75rem" .caseId=${c.id} .action=${a} .suggestedGoals=${c.goals?.length ? c.goals : suggestedGoals(c)}
                  @case-changed=${() => this.changed(`${ACTION_LABEL[a.action] ?? a.action}: the case is now ${a.to}.`)} @cancel=${() => (this.acting = null)}></case-action-form>`)}`
              : html`<p class="muted">There is nothing for you to do on this case now.</p>`}
            ${mayCheckIn ? html`<form class="stack" style="margin-top:1rem" @submit=${this.checkIn}>
                <label>Check-in note <textarea name="note" required maxlength="4000" placeholder="What was discussed, progress on each goal"></textarea></label>
                ${this.checkInError ? errorView(this.checkInError) : ''}
                <div><button type="submit">Record check-in</button></div></form>` : ''}
          </section>
          <dispute-panel .principal=${this.principal} .case=${c} @dispute-changed=${() => this.data.run()}></dispute-panel>
          <section class="card" aria-labelledby="h-why">
            <h2 id="h-why" style="margin-top:0">Why this case was opened</h2>
            <explanation-view .rule=${c.explanation} .note=${c.explanationNote}></explanation-view>
          </section>
          ${c.type === 'pip' ? html`${proposedOutcome(c)}${this.plan(c)}` : ''}
        </div>
        <div class="stack">
          <section class="card">
            <dl class="facts">
              <dt>Employee</dt><dd><a href=${href.employee(c.employeeId)}>${c.employeeName ?? c.employeeId}</a>${c.team ? html` <span class="muted">· ${c.team}</span>` : ''}</dd>
              <dt>Policy</dt><dd><a href=${href.policy(c.policyId)}>${c.policyId}</a> v${c.policyVersion}</dd>
              <dt>Rule</dt><dd><code>${c.ruleId}</code></dd>
              <dt>Period</dt><dd>${c.period}</dd>
              <dt>Opened</dt><dd>${formatDateTime(c.openedAt)}</dd>
              <dt>Approval</dt><dd>${c.approval === 'required' ? 'required (HR)' : 'none'}</dd>
              ${c.scheduledFor ? html`<dt>Session</dt><dd>${formatDateTime(c.scheduledFor)}</dd>` : ''}
              ${c.dueAt ? html`<dt>Due</dt><dd>${formatDate(c.dueAt)}</dd>` : ''}
              ${c.checkInEveryDays ? html`<dt>Check-ins</dt><dd>every ${c.checkInEveryDays} days${c.nextCheckInAt ? html`, next ${formatDate(c.nextCheckInAt)}` : ''}</dd>` : ''}
              ${paramsInWords(c.params, c.labels).map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}
              ${c.workflows.length ? html`<dt>Workflows</dt><dd>${c.workflows.join(', ')}</dd>` : ''}
            </dl>
          </section>
          <section class="card" aria-labelledby="h-timeline">
            <h2 id="h-timeline" style="margin-top:0">Timeline</h2>
            <case-timeline .events=${c.events}></case-timeline>
          </section>
          ${c.deliveries.length ? html`<section class="card"><h2 style="margin-top:0">Workflow deliveries</h2>
            <ul>${c.deliveries.map((d) => html`<li>${d.workflow} · ${d.event}: <span class="badge ${d.status === 'delivered' ? 'ok' : d.status === 'dead' ? 'error' : 'warning'}">${d.status}</span> after ${d.attempts} attempt(s)${d.lastError ? html` <span class="small muted">${d.lastError}</span>` : ''}</li>`)}</ul></section>` : ''}
        </div>
      </div>`;
  }

  render() {
    const v = this.data.value;
    if (v && v.id === this.caseId) return this.detail(v);
    return this.data.render({
      pending: () => loadingView('Loading the case…'),
      error: (e) => html`<p class="small"><a href="/cases">← Cases</a></p>${errorView(e, () => this.data.run())}`,
    });
  }
}
customElements.define('case-page', CasePage);
declare global {
  interface HTMLElementTagNameMap {
    'case-page': CasePage;
  }
}
