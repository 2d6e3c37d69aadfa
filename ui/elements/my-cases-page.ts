// An employee's own cases: why each was opened, in plain words; a plan's goals, due date and
// check-ins; and the acknowledge action when it is theirs to take.
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type CaseDetail, type Principal } from '../api/index.ts';
import { explainForEmployee } from '../lib/explain-words.ts';
import { approvedBy, checkInDates, nextStep } from '../lib/pip-plan.ts';
import { labelFor } from '../lib/words.ts';
import { formatDate, formatDateTime, OUTCOME_LABEL } from '../lib/format.ts';
import { emptyView, errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';
import { href } from '../router.ts';
import { pipGoalsView } from './pip-goals-view.ts';
import './notification-settings.ts';

const TITLE: Record<string, string> = { recognition: 'Recognition', coaching: 'Coaching', pip: 'Performance improvement plan' };

export class MyCasesPage extends LitElement {
  static properties = { principal: { attribute: false }, busy: { state: true }, error: { state: true }, notice: { state: true } };
  static styles = [shared, css`
    article { margin-bottom: 1rem; }
    article h2 { margin-top: 0; display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
    ul.words { list-style: none; padding: 0; margin: 0.5rem 0; }
    ul.words li { padding: 0.35rem 0.6rem; margin: 0.25rem 0; border-left: 4px solid #d0d7de; background: #f6f8fa; border-radius: 0 6px 6px 0; }
    ul.words li[data-result='pass'] { border-left-color: #1a7f37; }
    ul.words li[data-result='fail'] { border-left-color: #8c959f; }
    ul.words li[data-result='unknown'] { border-left-color: #bf8700; }
    ul.words li[data-result='group'] { background: none; font-weight: 600; }
  `];
  declare principal: Principal;
  declare busy: number | null;
  declare error: { id: number; e: unknown } | null;
  declare notice: string;

  private readonly data = new Task(this, {
    task: async (_: [], { signal }) => {
      const list = await api.cases({ pageSize: 100 }, { signal });
      return Promise.all(list.cases.map((c) => api.case(c.id, { signal })));
    },
    args: () => [] as [],
  });

  constructor() {
    super();
    this.busy = null;
    this.error = null;
    this.notice = '';
  }

  private async acknowledge(c: CaseDetail) {
    this.busy = c.id;
    this.error = null;
    try {
      await api.transition(c.id, { action: 'acknowledge' });
      await this.data.run();
      this.notice = `You acknowledged the ${TITLE[c.type].toLowerCase()}.`;
    } catch (e) {
      this.error = { id: c.id, e };
    } finally {
      this.busy = null;
    }
  }

  /** The plan the employee is asked to acknowledge: goals, support, dates, who approved it, what comes next. */
  private plan(c: CaseDetail) {
    const approval = approvedBy(c);
    const dates = checkInDates(c);
    return html`<section class="plan" aria-label=${`Your plan (case ${c.id})`}>
      ${c.pipGoals?.length ? html`<h3>Your goals</h3>${pipGoalsView(c.pipGoals)}` : c.goals?.length ? html`<h3>Your goals</h3><ol>${c.goals.map((g) => html`<li>${g}</li>`)}</ol>` : ''}
      ${c.support ? html`<h3>Support you are offered</h3><p>${c.support}</p>` : ''}
      ${c.dueAt || c.checkInEveryDays || approval ? html`<dl class="facts">
        ${c.dueAt ? html`<dt>The plan ends</dt><dd>${formatDate(c.dueAt)}</dd>` : ''}
        ${c.checkInEveryDays ? html`<dt>Check-ins with your manager</dt><dd>every ${c.checkInEveryDays} days${dates.length ? html`: ${dates.map(formatDate).join(', ')}` : ', once the plan starts'}</dd>` : ''}
        ${approval ? html`<dt>Approved by</dt><dd>${approval.actor} on ${formatDate(approval.at)}</dd>` : ''}
      </dl>` : ''}
      <p><strong>What happens next:</strong> ${nextStep(c)}</p>
    </section>`;
  }

  private card(c: CaseDetail) {
    const words = c.explanation ? explainForEmployee(c.explanation) : null;
    const checkIns = c.events.filter((e) => e.event === 'checkin');
    const ack = c.allowedActions.find((a) => a.action === 'acknowledge');
    return html`<article class="card" data-case=${c.id} aria-labelledby="case-${c.id}">
      <h2 id="case-${c.id}"><span class="badge ${c.type}">${OUTCOME_LABEL[c.type]}</span> ${TITLE[c.type]} <span class="muted small">${c.period} · ${c.status}</span></h2>
      ${words ? html`<p>${words.summary}</p><ul class="words">${words.lines.map((l) => html`<li data-result=${l.result} style="margin-left:${l.depth * 1.2}rem">${l.text}</li>`)}</ul>`
        : html`<p class="muted">${c.explanationNote ? `This case was recorded without the policy's reasons. Note: ${c.explanationNote}` : 'This case was recorded without the policy\'s reasons.'}</p>`}
      ${c.type === 'recognition' && c.params?.award ? html`<p>Award: <strong>${labelFor(String(c.params.award), c.labels)}</strong></p>` : ''}
      ${c.type === 'pip' ? this.plan(c) : c.goals?.length ? html`<h3>Your goals</h3><ol>${c.goals.map((g) => html`<li>${g}</li>`)}</ol>` : ''}
      <dl class="facts">
        <dt>Opened</dt><dd>${formatDate(c.openedAt)}</dd>
        ${c.scheduledFor ? html`<dt>Coaching session</dt><dd>${formatDateTime(c.scheduledFor)}</dd>` : ''}
        ${c.type !== 'pip' && c.dueAt ? html`<dt>Due</dt><dd>${formatDate(c.dueAt)}</dd>` : ''}
      </dl>
      ${checkIns.length ? html`<h3>Check-ins</h3><ul>${checkIns.map((e) => html`<li><span class="muted small">${formatDate(e.at)}, ${e.actor}:</span> ${e.note}</li>`)}</ul>` : ''}
      <p class="small"><a href=${href.case(c.id)}>Open case ${c.id}</a> to see its history, or to dispute it if you think it is wrong.</p>
      ${this.error?.id === c.id ? errorView(this.error.e) : ''}
      ${ack ? html`<p><button class="primary" ?disabled=${this.busy === c.id} @click=${() => this.acknowledge(c)}>Acknowledge</button>
        <span class="small muted">${ack.description}</span></p>` : ''}
    </article>`;
  }

  render() {
    return html`
      <h1>My cases</h1>
      ${this.notice ? html`<p class="notice success" role="status">${this.notice}</p>` : ''}
      ${this.data.render({
        pending: () => loadingView('Loading your cases…'),
        error: (e) => errorView(e, () => this.data.run()),
        complete: (cases) => (cases.length ? cases.map((c) => this.card(c)) : emptyView('You have no cases.')),
      })}
      ${this.principal?.employeeId ? html`<notification-settings></notification-settings>` : ''}`;
  }
}
customElements.define('my-cases-page', MyCasesPage);
declare global {
  interface HTMLElementTagNameMap {
    'my-cases-page': MyCasesPage;
  }
}
