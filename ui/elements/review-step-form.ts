// The form of one review step, for whoever may take it now: the employee's self-assessment (an
// answer per section), the manager's assessment (a rating on each section's scale and a comment),
// a signature, the acknowledgement (with an optional comment), or HR's cancellation (with why).
import { LitElement, html, css } from 'lit';
import { api, type ReviewDetail } from '../api/index.ts';
import { errorView } from '../lib/states.ts';
import { REVIEW_ACTION_LABEL } from '../lib/review-words.ts';
import { shared } from '../styles/shared.ts';

type Allowed = ReviewDetail['allowedActions'][number];

export class ReviewStepForm extends LitElement {
  static properties = { review: { attribute: false }, step: { attribute: false }, busy: { state: true }, error: { state: true } };
  static styles = [shared, css`
    fieldset { border: 1px solid #d0d7de; border-radius: 6px; padding: 0.5rem 0.75rem; margin: 0.5rem 0; }
    legend { font-weight: 600; }
  `];
  declare review: ReviewDetail;
  declare step: Allowed;
  declare busy: boolean;
  declare error: unknown;

  constructor() {
    super();
    this.busy = false;
    this.error = null;
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const get = (k: string) => String(f.get(k) ?? '').trim();
    const sections = this.review.template.spec.sections;
    const data = this.step.action === 'self-assess'
      ? { sections: Object.fromEntries(sections.map((s) => [s.id, get(`s-${s.id}`)])), summary: get('summary') }
      : this.step.action === 'assess'
        ? { sections: Object.fromEntries(sections.map((s) => [s.id, { rating: Number(get(`r-${s.id}`)), comment: get(`c-${s.id}`) }])), summary: get('summary') }
        : undefined;
    this.busy = true;
    this.error = null;
    try {
      const note = get('note');
      await api.reviewStep(this.review.id, { action: this.step.action, ...(note ? { note } : {}), ...(data ? { data } : {}) });
      this.dispatchEvent(new CustomEvent('review-changed', { detail: this.step, bubbles: true, composed: true }));
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private fields() {
    const t = this.review.template;
    const self = this.review.selfAssessment;
    const manager = this.review.managerAssessment;
    switch (this.step.action) {
      case 'self-assess':
        return html`${t.spec.sections.map((s) => html`<label>${s.title}: ${s.selfQuestion ?? 'Your thoughts'}
            <textarea name=${`s-${s.id}`} ?required=${Boolean(s.selfQuestion)} maxlength="10000">${self?.sections[s.id] ?? ''}</textarea></label>`)}
          ${t.spec.summary?.selfQuestion ? html`<label>${t.spec.summary.selfQuestion} <span class="muted">(optional)</span><textarea name="summary" maxlength="10000">${self?.summary ?? ''}</textarea></label>` : ''}`;
      case 'assess':
        return html`${t.spec.sections.map((s) => {
          const scale = t.spec.scales[s.scale];
          const points = Array.from({ length: scale.max - scale.min + 1 }, (_, i) => scale.min + i);
          const given = manager?.sections[s.id];
          return html`<fieldset><legend>${s.title} <span class="muted small">(weight ${s.weight})</span></legend>
            ${s.managerQuestion ? html`<p class="small muted" style="margin:0 0 0.4rem">${s.managerQuestion}</p>` : ''}
            <label>Rating for ${s.title} <select name=${`r-${s.id}`} required>
              <option value="">Choose…</option>
              ${points.map((n) => html`<option value=${n} ?selected=${given?.rating === n}>${n}${scale.labels?.[n] ? ` — ${scale.labels[n]}` : ''}</option>`)}
            </select></label>
            <label>Comment on ${s.title} <span class="muted">(optional)</span><textarea name=${`c-${s.id}`} maxlength="10000">${given?.comment ?? ''}</textarea></label>
          </fieldset>`;
        })}
          ${t.spec.summary?.managerQuestion ? html`<label>${t.spec.summary.managerQuestion} <span class="muted">(optional)</span><textarea name="summary" maxlength="10000">${manager?.summary ?? ''}</textarea></label>` : ''}`;
      case 'sign':
        return html`<p>By signing as ${this.step.as === 'employee' ? 'the employee' : 'the manager'} you confirm that you have read the review. Once both have signed, the packet is kept as it is.</p>`;
      case 'acknowledge':
        return html`<label>Your comment <span class="muted">(optional)</span><textarea name="note" maxlength="10000"></textarea></label>`;
      case 'cancel':
        return html`<label>Why the review is cancelled <textarea name="note" required maxlength="10000"></textarea></label>`;
      default:
        return '';
    }
  }

  render() {
    const label = this.step.action === 'sign' ? `Sign as ${this.step.as === 'employee' ? 'employee' : 'manager'}` : REVIEW_ACTION_LABEL[this.step.action];
    return html`<form class="stack" @submit=${this.submit} aria-label=${label}>
      ${this.fields()}
      ${this.error ? errorView(this.error) : ''}
      <div class="row"><button class=${this.step.action === 'cancel' ? 'danger' : 'primary'} type="submit" ?disabled=${this.busy}>${this.busy ? 'Saving…' : label}</button></div>
    </form>`;
  }
}
customElements.define('review-step-form', ReviewStepForm);
declare global {
  interface HTMLElementTagNameMap {
    'review-step-form': ReviewStepForm;
  }
}
