// The disputes of one case, on its page: each with its reason, status and HR's resolution; a
// "Dispute this" action for the employee and their manager (a reason required); Withdraw for
// the one who raised an open dispute; and HR's resolve form (dispute-list-base.ts).
import { html } from 'lit';
import { api, type CaseDetail, type Dispute } from '../api/index.ts';
import { DISPUTE_STATUS, mayDispute } from '../lib/dispute-words.ts';
import { submittedValues } from '../lib/states.ts';
import { DisputeListBase } from './dispute-list-base.ts';
import './dispute-resolve-form.ts';

const PLAN_STATUSES = ['approved', 'active', 'extended'];

/** @fires dispute-changed - after a dispute was raised, withdrawn or resolved (the case may have changed). */
export class DisputePanel extends DisputeListBase {
  static properties = { case: { attribute: false } };
  declare case: CaseDetail;
  protected readonly subjectType = 'case' as const;
  protected subjectId() {
    return this.case.id;
  }

  protected heading(d: Dispute) {
    return `Dispute ${d.id}`;
  }

  protected status(d: Dispute) {
    return DISPUTE_STATUS[d.status];
  }

  protected resolveForm(d: Dispute) {
    return html`<dispute-resolve-form .dispute=${d} ?planAmendable=${this.case.type === 'pip' && PLAN_STATUSES.includes(this.case.status)}
      @dispute-changed=${() => this.changed()} @cancel=${() => (this.resolving = null)}></dispute-resolve-form>`;
  }

  private raise(e: SubmitEvent) {
    const get = submittedValues(e);
    if (get) return this.act(() => api.raiseDispute({ subjectType: 'case', subjectId: this.case.id, reason: get('reason') }));
  }

  protected body(disputes: Dispute[]) {
    const may = mayDispute(this.principal, this.case, disputes);
    return html`
      ${disputes.length ? html`<ul>${disputes.map((d) => this.item(d))}</ul>` : html`<p class="muted">Nobody has disputed this case.</p>`}
      ${may && !this.raising ? html`<button @click=${() => (this.raising = true)}>Dispute this</button>` : ''}
      ${this.raising ? this.raiseForm('Dispute this case', '', 'Why do you dispute this case?', 'What the case gets wrong, and what shows it',
        'HR reads your reason and decides: the case stands, stands with a correction, or is overturned. You see the decision here.', (e) => this.raise(e)) : ''}`;
  }
}
customElements.define('dispute-panel', DisputePanel);
declare global {
  interface HTMLElementTagNameMap {
    'dispute-panel': DisputePanel;
  }
}
