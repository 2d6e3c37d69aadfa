// The form for one case action from GET /api/cases/:id `allowedActions`: the note (required
// when the lifecycle says so, e.g. approving a PIP) and the data the action needs (a coaching
// session's time; a PIP's plan: goals, end date, check-in interval and the support offered).
// A plan's goals start from the numbers that opened the case, so each names a measurable target.
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type AllowedAction, type CaseDetail, type TransitionRequest } from '../api/index.ts';
import { measureFromForm } from './measure-fields.ts';
import './measure-fields.ts';
import { submitRow, submittedValues } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';

export const ACTION_LABEL: Record<string, string> = {
  approve: 'Approve', plan: 'Set the plan', reject: 'Reject', acknowledge: 'Acknowledge', start: 'Start the plan', 'edit-goals': 'Change goals', extend: 'Extend',
  succeed: 'Close as succeeded', fail: 'Close as failed', cancel: 'Cancel', schedule: 'Schedule', complete: 'Mark completed', deliver: 'Mark delivered',
};

/**
 * @fires case-changed - `detail: {case}` after the action was taken.
 * @fires cancel - the form was closed without acting.
 */
export class CaseActionForm extends LitElement {
  static properties = { caseId: { type: Number }, action: { attribute: false }, suggestedGoals: { attribute: false }, measured: { state: true }, busy: { state: true }, error: { state: true } };
  static styles = [shared, css`form { display: grid; gap: 0.75rem; } .req { color: #a40e26; }`];
  declare caseId: number;
  declare action: AllowedAction;
  /** Goals to start from (one per line), e.g. from the case's explanation. */
  declare suggestedGoals: string[];
  /** How many measured goals (a metric and a target) the plan form holds beside the written ones. */
  declare measured: number;
  declare busy: boolean;
  declare error: unknown;

  /** The metrics a measured goal may use (only fetched when the action sets goals). */
  private readonly metrics = new Task(this, {
    task: async ([needs], { signal }) => (needs ? (await api.catalogue({ signal })).metrics : []),
    args: () => [Boolean(this.action?.requires.includes('goals'))] as const,
  });

  constructor() {
    super();
    this.caseId = 0;
    this.measured = 0;
    this.suggestedGoals = [];
    this.busy = false;
    this.error = null;
  }

  protected firstUpdated() {
    this.renderRoot.querySelector<HTMLElement>('textarea, input')?.focus();
  }

  private async submit(e: SubmitEvent) {
    const get = submittedValues(e);
    if (!get) return;
    const data: NonNullable<TransitionRequest['data']> = {};
    for (const r of this.action.requires) {
      if (r === 'goals') {
        // Measured goals first (each a metric and a target), then the written criteria, one per line.
        const f = new FormData(e.target as HTMLFormElement);
        const measured = Array.from({ length: this.measured }, (_, i) => ({ title: get(`m${i}.title`), measure: measureFromForm(f, `m${i}.`) }))
          .filter((g) => g.measure).map((g) => ({ ...(g.title ? { title: g.title } : {}), measure: g.measure! }));
        data.goals = [...measured, ...get('goals').split('\n').map((g) => g.trim()).filter(Boolean)];
      }
      if (r === 'checkInEveryDays') data.checkInEveryDays = Number(get('checkInEveryDays'));
      if (r === 'dueAt') data.dueAt = get('dueAt');
      if (r === 'scheduledFor') data.scheduledFor = new Date(get('scheduledFor')).toISOString();
      if (r === 'support') data.support = get('support');
    }
    const note = get('note');
    this.busy = true;
    this.error = null;
    try {
      const updated: CaseDetail = await api.transition(this.caseId, { action: this.action.action, ...(note ? { note } : {}), ...(this.action.requires.length ? { data } : {}) });
      this.dispatchEvent(new CustomEvent('case-changed', { detail: { case: updated }, bubbles: true, composed: true }));
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  render() {
    const a = this.action;
    const req = (on: boolean) => (on ? html` <span class="req" aria-hidden="true">*</span>` : '');
    return html`<form class="card" @submit=${this.submit} aria-label=${ACTION_LABEL[a.action] ?? a.action}>
      <div><strong>${ACTION_LABEL[a.action] ?? a.action}</strong> <span class="muted small">→ ${a.to}. ${a.description}</span></div>
      ${a.requires.includes('scheduledFor') ? html`<label>Session date and time${req(true)} <input type="datetime-local" name="scheduledFor" required></label>` : ''}
      ${a.requires.includes('goals') ? html`<label>Goals, one per line, each with a measurable target or a written criterion${req(!this.measured)}
        <textarea name="goals" ?required=${!this.measured} rows="3" placeholder="Bring average CSAT to at least 3.6 by the end of the plan" .value=${this.suggestedGoals.join('\n')}></textarea></label>
        ${Array.from({ length: this.measured }, (_, i) => html`<div class="card" data-measured-goal=${i}>
          <label>Measured goal ${i + 1}: title <span class="muted">(optional)</span> <input name=${`m${i}.title`} maxlength="300"></label>
          <measure-fields .metrics=${this.metrics.value ?? []} prefix=${`m${i}.`} legend="Measured by"></measure-fields></div>`)}
        <div><button type="button" @click=${() => this.measured++}>Add a measured goal</button>
          <span class="small muted">Progress is then computed from the data; at the end date Appraise proposes the outcome.</span></div>` : ''}
      ${a.requires.includes('dueAt') ? html`<label>${a.action === 'extend' ? 'New end date' : 'End date'}${req(true)} <input type="date" name="dueAt" required></label>` : ''}
      ${a.requires.includes('checkInEveryDays') ? html`<label>Check in every (days)${req(true)} <input type="number" name="checkInEveryDays" min="1" max="90" value="14" required></label>` : ''}
      ${a.requires.includes('support') ? html`<label>Support offered${req(true)} <textarea name="support" required maxlength="2000" rows="2" placeholder="Weekly coaching with the team lead; the customer-care refresher course"></textarea></label>` : ''}
      <label>Note${req(a.noteRequired)}${a.noteRequired ? html`<span class="sr-only"> (required)</span>` : html` <span class="muted">(optional)</span>`}
        <textarea name="note" maxlength="4000" ?required=${a.noteRequired}></textarea></label>
      ${submitRow(this, ACTION_LABEL[a.action] ?? a.action, () => this.dispatchEvent(new CustomEvent('cancel')))}
    </form>`;
  }
}
customElements.define('case-action-form', CaseActionForm);
declare global {
  interface HTMLElementTagNameMap {
    'case-action-form': CaseActionForm;
  }
}
