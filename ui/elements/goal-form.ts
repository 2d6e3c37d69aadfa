// Setting a goal (a manager or HR, for one employee; active at once) or proposing one (the
// employee, for themself; it waits for their manager). A measure is optional: without one the
// goal is judged by hand with notes. Employees propose without the metric picker (the metric
// catalogue is for the policy-reading roles), so their proposals are judged by hand.
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type Principal } from '../api/index.ts';
import { can } from '../lib/permissions.ts';
import { errorView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';
import { measureFromForm } from './measure-fields.ts';
import './measure-fields.ts';

/**
 * @fires goal-added - after the goal was stored.
 * @fires cancel - the form was closed.
 */
export class GoalForm extends LitElement {
  static properties = { principal: { attribute: false }, employeeId: {}, busy: { state: true }, error: { state: true } };
  static styles = [shared, css`form { display: grid; gap: 0.75rem; } .req { color: #a40e26; }`];
  declare principal: Principal;
  declare employeeId: string;
  declare busy: boolean;
  declare error: unknown;

  private readonly catalogue = new Task(this, {
    task: async ([role], { signal }) => (can(role, 'readPolicies') ? (await api.catalogue({ signal })).metrics : []),
    args: () => [this.principal?.role] as const,
  });

  constructor() {
    super();
    this.employeeId = '';
    this.busy = false;
    this.error = null;
  }

  private get proposing(): boolean {
    return this.principal.employeeId === this.employeeId;
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (!form.reportValidity()) return;
    const f = new FormData(form);
    const get = (k: string) => f.get(k)?.toString().trim() ?? '';
    const measure = measureFromForm(f);
    const weight = get('weight');
    this.busy = true;
    this.error = null;
    try {
      await api.createGoal({
        employeeId: this.employeeId, title: get('title'), dueAt: get('dueAt'),
        ...(get('description') ? { description: get('description') } : {}), ...(get('startsAt') ? { startsAt: get('startsAt') } : {}),
        ...(weight ? { weight: Number(weight) } : {}), ...(measure ? { measure } : {}),
      });
      this.dispatchEvent(new CustomEvent('goal-added', { bubbles: true, composed: true }));
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  render() {
    const label = this.proposing ? 'Propose a goal' : 'Add a goal';
    const req = html` <span class="req" aria-hidden="true">*</span>`;
    return html`<form class="card" @submit=${this.submit} aria-label=${label}>
      <strong>${label}</strong>
      ${this.proposing ? html`<p class="small muted">Your manager accepts or declines what you propose.</p>` : ''}
      <label>Title${req} <input name="title" required maxlength="300" placeholder="Customer satisfaction at 4.3 or more this quarter"></label>
      <label>Description <span class="muted">(optional)</span> <textarea name="description" maxlength="4000" rows="2"></textarea></label>
      <div class="row">
        <label>Starts <span class="muted">(default today)</span> <input type="date" name="startsAt"></label>
        <label>Due${req} <input type="date" name="dueAt" required></label>
        <label>Weight <input type="number" name="weight" min="0.1" max="100" step="any" value="1"></label>
      </div>
      ${(this.catalogue.value ?? []).length ? html`<measure-fields .metrics=${this.catalogue.value}></measure-fields>` : ''}
      ${this.error ? errorView(this.error) : ''}
      <div class="row">
        <button class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Saving…' : label}</button>
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('cancel'))}>Cancel</button>
      </div>
    </form>`;
  }
}
customElements.define('goal-form', GoalForm);
declare global {
  interface HTMLElementTagNameMap {
    'goal-form': GoalForm;
  }
}
