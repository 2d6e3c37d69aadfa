// HR's form for an open dispute: uphold, amend or overturn, each saying what it does to the case,
// with the note the employee reads (required). Amending an approved or running PIP may also give
// it new goals or a later end date.
import { LitElement, html, css } from 'lit';
import { api, type Dispute, type Resolution } from '../api/index.ts';
import { RESOLUTION } from '../lib/dispute-words.ts';
import { submitRow, submittedValues, submitting } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';

/**
 * @fires dispute-changed - `detail: {dispute}` once it is resolved.
 * @fires cancel - closed without resolving.
 */
export class DisputeResolveForm extends LitElement {
  static properties = { dispute: { attribute: false }, planAmendable: { type: Boolean }, choice: { state: true }, busy: { state: true }, error: { state: true } };
  static styles = [shared, css`
    form { display: grid; gap: 0.75rem; }
    fieldset { border: 0; padding: 0; margin: 0; display: grid; gap: 0.35rem; }
    label.choice { display: flex; gap: 0.5rem; align-items: baseline; font-weight: normal; }
    label.choice input { width: auto; margin: 0; }
    .req { color: #a40e26; }
  `];
  declare dispute: Dispute;
  /** The case is a PIP that takes a new plan (approved, active or extended). */
  declare planAmendable: boolean;
  declare choice: Resolution;
  declare busy: boolean;
  declare error: unknown;

  constructor() {
    super();
    this.planAmendable = false;
    this.choice = 'uphold';
    this.busy = false;
    this.error = null;
  }

  private async submit(e: SubmitEvent) {
    const get = submittedValues(e);
    if (!get) return;
    const goals = get('goals').split('\n').map((g) => g.trim()).filter(Boolean);
    const dueAt = get('dueAt');
    const amendment = this.choice === 'amend' && (goals.length || dueAt) ? { ...(goals.length ? { goals } : {}), ...(dueAt ? { dueAt } : {}) } : undefined;
    await submitting(this, async () => {
      const updated = await api.resolveDispute(this.dispute.id, { resolution: this.choice, note: get('note'), ...(amendment ? { amendment } : {}) });
      this.dispatchEvent(new CustomEvent('dispute-changed', { detail: { dispute: updated }, bubbles: true, composed: true }));
    });
  }

  render() {
    const choices = Object.entries(RESOLUTION) as Array<[Resolution, (typeof RESOLUTION)[Resolution]]>;
    return html`<form class="card" @submit=${this.submit} aria-label="Resolve dispute ${this.dispute.id}">
      <fieldset><legend><strong>Resolve the dispute</strong></legend>
        ${choices.map(([value, r]) => html`<label class="choice"><input type="radio" name="resolution" value=${value} .checked=${this.choice === value} @change=${() => (this.choice = value)}>
          <span><strong>${r.label}</strong> <span class="muted small">— ${r.effect}</span></span></label>`)}
      </fieldset>
      ${this.choice === 'amend' && this.planAmendable ? html`
        <label>New goals, one per line <span class="muted">(optional)</span><textarea name="goals" rows="3"></textarea></label>
        <label>New end date <span class="muted">(optional)</span><input type="date" name="dueAt"></label>` : ''}
      <label><span>Note for the employee<span class="req" aria-hidden="true"> *</span><span class="sr-only"> (required)</span></span>
        <textarea name="note" required maxlength="4000" rows="3" placeholder="What you found, and why this decision"></textarea></label>
      ${submitRow(this, RESOLUTION[this.choice].label, () => this.dispatchEvent(new CustomEvent('cancel')))}
    </form>`;
  }
}
customElements.define('dispute-resolve-form', DisputeResolveForm);
declare global {
  interface HTMLElementTagNameMap {
    'dispute-resolve-form': DisputeResolveForm;
  }
}
