// Disputes of a review's ratings, on the review page: each with its section, reason, status and
// HR's resolution; "Dispute a rating" for the employee and their manager once the manager has
// rated (a section and a reason required); Withdraw for the one who raised an open dispute; and
// HR's resolution: uphold (the rating stands) or amend (the section's new rating). A rating is
// corrected, never struck out, so there is no overturn here (core/people/reviews/dispute-subject.ts).
import { html } from 'lit';
import { api, type Dispute, type ReviewDetail } from '../api/index.ts';
import { submittedValues } from '../lib/states.ts';
import { DisputeListBase } from './dispute-list-base.ts';

const STATUS: Record<string, { label: string; tone: string }> = {
  open: { label: 'waiting for HR', tone: 'warning' },
  upheld: { label: 'upheld: the rating stands', tone: 'neutral' },
  amended: { label: 'amended: the rating was changed', tone: 'ok' },
  withdrawn: { label: 'withdrawn', tone: 'neutral' },
};

/** @fires dispute-changed - after a dispute was raised, withdrawn or resolved (a rating may have changed). */
export class ReviewDisputePanel extends DisputeListBase {
  static properties = { review: { attribute: false } };
  declare review: ReviewDetail;
  protected readonly subjectType = 'review' as const;
  protected subjectId() {
    return this.review.id;
  }

  protected heading(d: Dispute) {
    const title = d.section ? this.review.template.spec.sections.find((s) => s.id === d.section)?.title ?? d.section : 'All ratings';
    const change = d.amendment ? ` ${String(d.amendment.before.rating)} → ${String(d.amendment.after.rating)}` : '';
    return `${title}${change}`;
  }

  protected status(d: Dispute) {
    return STATUS[d.status] ?? { label: d.status, tone: 'neutral' };
  }

  private resolve(e: SubmitEvent, d: Dispute) {
    const get = submittedValues(e);
    if (!get) return;
    const amend = get('resolution') === 'amend';
    return this.act(() => api.resolveDispute(d.id, { resolution: amend ? 'amend' : 'uphold', note: get('note'), ...(amend ? { amendment: { rating: Number(get('rating')) } } : {}) }));
  }

  protected resolveForm(d: Dispute) {
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

  private raise(e: SubmitEvent) {
    const get = submittedValues(e);
    if (get) return this.act(() => api.raiseDispute({ subjectType: 'review', subjectId: this.review.id, section: get('section'), reason: get('reason') }));
  }

  protected body(disputes: Dispute[]) {
    const r = this.review;
    const p = this.principal;
    const rated = Boolean(r.managerAssessment) && r.status !== 'cancelled';
    const party = p.employeeId === r.employeeId || (p.role === 'manager' && Boolean(p.employeeId) && p.employeeId !== r.employeeId);
    const may = rated && party && !disputes.some((d) => d.status === 'open');
    const section = html`<label>Which rating<select name="section" required>${r.template.spec.sections.map((s) => html`<option value=${s.id}>${s.title}</option>`)}</select></label>`;
    return html`
      ${disputes.length ? html`<ul>${disputes.map((d) => this.item(d))}</ul>` : html`<p class="muted">Nobody has disputed a rating of this review.</p>`}
      ${may && !this.raising ? html`<button @click=${() => (this.raising = true)}>Dispute a rating</button>` : ''}
      ${this.raising ? this.raiseForm('Dispute a rating', section, 'Why do you dispute it?', 'What the rating gets wrong, and what shows it',
        'HR reads your reason and decides: the rating stands, or it is changed. You see the decision here.', (e) => this.raise(e)) : ''}`;
  }
}
customElements.define('review-dispute-panel', ReviewDisputePanel);
declare global {
  interface HTMLElementTagNameMap {
    'review-dispute-panel': ReviewDisputePanel;
  }
}
