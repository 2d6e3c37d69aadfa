// Disputes of a review's ratings, on the review page: each with its section, reason, status and
// HR's resolution; "Dispute a rating" for the employee and their manager once the manager has
// rated (a section and a reason required); Withdraw for the one who raised an open dispute; and
// HR's resolution: uphold (the rating stands) or amend (the section's new rating). A rating is
// corrected, never struck out, so there is no overturn here (core/people/reviews/dispute-subject.ts).
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type Dispute, type Principal, type ReviewDetail } from '../api/index.ts';
import { mayResolve, mayWithdraw } from '../lib/dispute-words.ts';
import { errorView, loadingView, submittedValues, submitting } from '../lib/states.ts';
import { dateTimeView } from '../lib/time-view.ts';
import { shared } from '../styles/shared.ts';

const STATUS: Record<string, { label: string; tone: string }> = {
  open: { label: 'waiting for HR', tone: 'warning' },
  upheld: { label: 'upheld: the rating stands', tone: 'neutral' },
  amended: { label: 'amended: the rating was changed', tone: 'ok' },
  withdrawn: { label: 'withdrawn', tone: 'neutral' },
};

/** @fires dispute-changed - after a dispute was raised, withdrawn or resolved (a rating may have changed). */
export class ReviewDisputePanel extends LitElement {
  static properties = { principal: { attribute: false }, review: { attribute: false }, raising: { state: true }, resolving: { state: true }, busy: { state: true }, error: { state: true } };
  static styles = [shared, css`
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.75rem; }
    .quote { white-space: pre-wrap; background: #f6f8fa; border-radius: 6px; padding: 0.4rem 0.6rem; margin: 0.25rem 0; }
    form { display: grid; gap: 0.5rem; margin-top: 0.5rem; }
  `];
  declare principal: Principal;
  declare review: ReviewDetail;
  declare raising: boolean;
  declare resolving: number | null;
  declare busy: boolean;
  declare error: unknown;

  private readonly data = new Task(this, {
    task: async ([id]: [number], { signal }) => (await api.disputes({ subjectType: 'review', subjectId: id, pageSize: 200 }, { signal })).disputes,
    args: () => [this.review.id] as [number],
  });

  constructor() {
    super();
    this.raising = false;
    this.resolving = null;
    this.busy = false;
    this.error = null;
  }

  private sectionTitle(id: string | null) {
    return id ? this.review.template.spec.sections.find((s) => s.id === id)?.title ?? id : 'All ratings';
  }

  private async act(work: () => Promise<unknown>) {
    await submitting(this, async () => {
      await work();
      this.raising = false;
      this.resolving = null;
      await this.data.run();
      this.dispatchEvent(new CustomEvent('dispute-changed', { bubbles: true, composed: true }));
    });
  }

  private raise(e: SubmitEvent) {
    const get = submittedValues(e);
    if (get) return this.act(() => api.raiseDispute({ subjectType: 'review', subjectId: this.review.id, section: get('section'), reason: get('reason') }));
  }

  private resolve(e: SubmitEvent, d: Dispute) {
    const get = submittedValues(e);
    if (!get) return;
    const amend = get('resolution') === 'amend';
    return this.act(() => api.resolveDispute(d.id, { resolution: amend ? 'amend' : 'uphold', note: get('note'), ...(amend ? { amendment: { rating: Number(get('rating')) } } : {}) }));
  }

  private resolveForm(d: Dispute) {
    const section = this.review.template.spec.sections.find((s) => s.id === d.section);
    const scale = section ? this.review.template.spec.scales[section.scale] : undefined;
    const current = d.section ? this.review.managerAssessment?.sections[d.section]?.rating : undefined;
    return html`<form @submit=${(e: SubmitEvent) => this.resolve(e, d)} aria-label="Resolve dispute ${d.id}">
      <fieldset><legend>Decision</legend>
        <label><input type="radio" name="resolution" value="uphold" checked> Uphold: the rating stands</label>
        ${scale ? html`<label><input type="radio" name="resolution" value="amend"> Amend: give the section a new rating</label>
          <label>New rating (${scale.min} to ${scale.max}; now ${current ?? '—'}) <input type="number" name="rating" min=${scale.min} max=${scale.max} step="1" .value=${String(current ?? scale.min)}></label>` : ''}
      </fieldset>
      <label>Your note (the employee reads it)<span class="sr-only"> (required)</span><textarea name="note" required maxlength="4000" rows="3"></textarea></label>
      <div class="row"><button class="primary" type="submit" ?disabled=${this.busy}>Resolve</button><button type="button" @click=${() => (this.resolving = null)}>Cancel</button></div>
    </form>`;
  }

  private item(d: Dispute) {
    const s = STATUS[d.status] ?? { label: d.status, tone: 'neutral' };
    const change = d.amendment ? `${String(d.amendment.before.rating)} → ${String(d.amendment.after.rating)}` : '';
    return html`<li data-dispute=${d.id}>
      <div><strong>${this.sectionTitle(d.section)}</strong> <span class="badge ${s.tone}" data-status=${d.status}>${s.label}</span>${change ? html` <span class="small">${change}</span>` : ''}</div>
      <div class="small muted">Raised by ${d.raisedBy} (${d.raisedAs === 'manager' ? 'manager' : 'the employee'}), ${dateTimeView(d.raisedAt)}</div>
      ${d.reason ? html`<div class="quote" aria-label="Reason">${d.reason}</div>` : ''}
      ${d.closedAt ? html`<div class="small muted">${d.status === 'withdrawn' ? 'Withdrawn' : 'Resolved'} by ${d.closedBy}, ${dateTimeView(d.closedAt)}</div>` : ''}
      ${d.resolutionNote ? html`<div class="quote" aria-label="HR's note">${d.resolutionNote}</div>` : ''}
      <div class="row">
        ${mayResolve(this.principal, d) && this.resolving !== d.id ? html`<button class="primary" @click=${() => (this.resolving = d.id)}>Resolve</button>` : ''}
        ${mayWithdraw(this.principal, d) ? html`<button ?disabled=${this.busy} @click=${() => this.act(() => api.withdrawDispute(d.id))}>Withdraw</button>` : ''}
      </div>
      ${this.resolving === d.id ? this.resolveForm(d) : ''}
    </li>`;
  }

  private body(disputes: Dispute[]) {
    const r = this.review;
    const p = this.principal;
    const rated = Boolean(r.managerAssessment) && r.status !== 'cancelled';
    const party = p.employeeId === r.employeeId || (p.role === 'manager' && Boolean(p.employeeId) && p.employeeId !== r.employeeId);
    const may = rated && party && !disputes.some((d) => d.status === 'open');
    return html`
      ${disputes.length ? html`<ul>${disputes.map((d) => this.item(d))}</ul>` : html`<p class="muted">Nobody has disputed a rating of this review.</p>`}
      ${may && !this.raising ? html`<button @click=${() => (this.raising = true)}>Dispute a rating</button>` : ''}
      ${this.raising ? html`<form @submit=${(e: SubmitEvent) => this.raise(e)} aria-label="Dispute a rating">
        <label>Which rating<select name="section" required>${r.template.spec.sections.map((s) => html`<option value=${s.id}>${s.title}</option>`)}</select></label>
        <label>Why do you dispute it?<span class="sr-only"> (required)</span>
          <textarea name="reason" required maxlength="4000" rows="3" placeholder="What the rating gets wrong, and what shows it"></textarea></label>
        <p class="small muted">HR reads your reason and decides: the rating stands, or it is changed. You see the decision here.</p>
        <div class="row"><button class="primary" type="submit" ?disabled=${this.busy}>Send the dispute</button><button type="button" @click=${() => (this.raising = false)}>Cancel</button></div>
      </form>` : ''}
      ${this.error ? errorView(this.error) : ''}`;
  }

  render() {
    return html`<section class="card" aria-labelledby="h-review-disputes"><h2 id="h-review-disputes" style="margin-top:0">Disputes</h2>
      ${this.data.value ? this.body(this.data.value) : this.data.render({ pending: () => loadingView('Loading disputes…'), error: (e) => errorView(e, () => this.data.run()) })}
    </section>`;
  }
}
customElements.define('review-dispute-panel', ReviewDisputePanel);
declare global {
  interface HTMLElementTagNameMap {
    'review-dispute-panel': ReviewDisputePanel;
  }
}
