// The disputes of one case, on its page: each with its reason, status and HR's resolution; a
// "Dispute this" action for the employee and their manager (a reason required); Withdraw for
// the one who raised an open dispute; and HR's resolve form.
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type CaseDetail, type Dispute, type Principal } from '../api/index.ts';
import { DISPUTE_STATUS, mayDispute, mayResolve, mayWithdraw } from '../lib/dispute-words.ts';
import { errorView, loadingView, submittedValues, submitting } from '../lib/states.ts';
import { dateTimeView } from '../lib/time-view.ts';
import { shared } from '../styles/shared.ts';
import './dispute-resolve-form.ts';

const PLAN_STATUSES = ['approved', 'active', 'extended'];

/** @fires dispute-changed - after a dispute was raised, withdrawn or resolved (the case may have changed). */
export class DisputePanel extends LitElement {
  static properties = { principal: { attribute: false }, case: { attribute: false }, raising: { state: true }, resolving: { state: true }, busy: { state: true }, error: { state: true } };
  static styles = [shared, css`
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.75rem; }
    .quote { white-space: pre-wrap; background: #f6f8fa; border-radius: 6px; padding: 0.4rem 0.6rem; margin: 0.25rem 0; }
    form { display: grid; gap: 0.5rem; margin-top: 0.5rem; }
  `];
  declare principal: Principal;
  declare case: CaseDetail;
  declare raising: boolean;
  declare resolving: number | null;
  declare busy: boolean;
  declare error: unknown;

  private readonly data = new Task(this, {
    task: async ([id]: [number], { signal }) => (await api.disputes({ subjectType: 'case', subjectId: id, pageSize: 200 }, { signal })).disputes,
    args: () => [this.case.id] as [number],
  });

  constructor() {
    super();
    this.raising = false;
    this.resolving = null;
    this.busy = false;
    this.error = null;
  }

  private async changed() {
    this.raising = false;
    this.resolving = null;
    await this.data.run();
    this.dispatchEvent(new CustomEvent('dispute-changed', { bubbles: true, composed: true }));
  }

  private async act(work: () => Promise<unknown>) {
    await submitting(this, async () => {
      await work();
      await this.changed();
    });
  }

  private raise(e: SubmitEvent) {
    const get = submittedValues(e);
    if (get) return this.act(() => api.raiseDispute({ subjectType: 'case', subjectId: this.case.id, reason: get('reason') }));
  }

  private item(d: Dispute) {
    const s = DISPUTE_STATUS[d.status];
    return html`<li data-dispute=${d.id}>
      <div><strong>Dispute ${d.id}</strong> <span class="badge ${s.tone}" data-status=${d.status}>${s.label}</span></div>
      <div class="small muted">Raised by ${d.raisedBy} (${d.raisedAs === 'manager' ? 'manager' : 'the employee'}), ${dateTimeView(d.raisedAt)}</div>
      ${d.reason ? html`<div class="quote" aria-label="Reason">${d.reason}</div>` : ''}
      ${d.closedAt ? html`<div class="small muted">${d.status === 'withdrawn' ? 'Withdrawn' : 'Resolved'} by ${d.closedBy}, ${dateTimeView(d.closedAt)}</div>` : ''}
      ${d.resolutionNote ? html`<div class="quote" aria-label="HR's note">${d.resolutionNote}</div>` : ''}
      <div class="row">
        ${mayResolve(this.principal, d) && this.resolving !== d.id ? html`<button class="primary" @click=${() => (this.resolving = d.id)}>Resolve</button>` : ''}
        ${mayWithdraw(this.principal, d) ? html`<button ?disabled=${this.busy} @click=${() => this.act(() => api.withdrawDispute(d.id))}>Withdraw</button>` : ''}
      </div>
      ${this.resolving === d.id ? html`<dispute-resolve-form .dispute=${d} ?planAmendable=${this.case.type === 'pip' && PLAN_STATUSES.includes(this.case.status)}
        @dispute-changed=${() => this.changed()} @cancel=${() => (this.resolving = null)}></dispute-resolve-form>` : ''}
    </li>`;
  }

  private body(disputes: Dispute[]) {
    const may = mayDispute(this.principal, this.case, disputes);
    return html`
      ${disputes.length ? html`<ul>${disputes.map((d) => this.item(d))}</ul>` : html`<p class="muted">Nobody has disputed this case.</p>`}
      ${may && !this.raising ? html`<button @click=${() => (this.raising = true)}>Dispute this</button>` : ''}
      ${this.raising ? html`<form @submit=${(e: SubmitEvent) => this.raise(e)} aria-label="Dispute this case">
        <label>Why do you dispute this case?<span class="sr-only"> (required)</span>
          <textarea name="reason" required maxlength="4000" rows="3" placeholder="What the case gets wrong, and what shows it"></textarea></label>
        <p class="small muted">HR reads your reason and decides: the case stands, stands with a correction, or is overturned. You see the decision here.</p>
        <div class="row"><button class="primary" type="submit" ?disabled=${this.busy}>Send the dispute</button><button type="button" @click=${() => (this.raising = false)}>Cancel</button></div>
      </form>` : ''}
      ${this.error ? errorView(this.error) : ''}`;
  }

  render() {
    return html`<section class="card" aria-labelledby="h-disputes"><h2 id="h-disputes" style="margin-top:0">Disputes</h2>
      ${this.data.value ? this.body(this.data.value) : this.data.render({ pending: () => loadingView('Loading disputes…'), error: (e) => errorView(e, () => this.data.run()) })}
    </section>`;
  }
}
customElements.define('dispute-panel', DisputePanel);
declare global {
  interface HTMLElementTagNameMap {
    'dispute-panel': DisputePanel;
  }
}
