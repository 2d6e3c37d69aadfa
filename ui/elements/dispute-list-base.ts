// What the disputes of one subject share on its page (a case, a review): the list with each
// dispute's reason, who raised it, HR's resolution, Withdraw for the one who raised an open one and
// Resolve for HR; the raise form's frame; reloading after a step. A subclass says which subject,
// how its statuses read, and what its raise and resolve forms ask.
import { LitElement, html, css, type PropertyDeclarations, type TemplateResult } from 'lit';
import { Task } from '@lit/task';
import { api, type Dispute, type Principal, type SubjectType } from '../api/index.ts';
import { mayResolve, mayWithdraw } from '../lib/dispute-words.ts';
import { errorView, loadingView, submitting } from '../lib/states.ts';
import { dateTimeView } from '../lib/time-view.ts';
import { shared } from '../styles/shared.ts';

/** @fires dispute-changed - after a dispute was raised, withdrawn or resolved (the subject may have changed). */
export abstract class DisputeListBase extends LitElement {
  // Typed as declarations, so a subclass adds its own (Lit keeps the inherited ones).
  static properties: PropertyDeclarations = { principal: { attribute: false }, raising: { state: true }, resolving: { state: true }, busy: { state: true }, error: { state: true } };
  static styles = [shared, css`
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.75rem; }
    .quote { white-space: pre-wrap; background: #f6f8fa; border-radius: 6px; padding: 0.4rem 0.6rem; margin: 0.25rem 0; }
    form { display: grid; gap: 0.5rem; margin-top: 0.5rem; }
  `];
  declare principal: Principal;
  declare raising: boolean;
  declare resolving: number | null;
  declare busy: boolean;
  declare error: unknown;

  protected abstract readonly subjectType: SubjectType;
  protected abstract subjectId(): number;
  /** The dispute's heading and how its status reads. */
  protected abstract heading(d: Dispute): TemplateResult | string;
  protected abstract status(d: Dispute): { label: string; tone: string };
  /** HR's resolve form for this subject; it calls `this.changed()` once resolved. */
  protected abstract resolveForm(d: Dispute): TemplateResult;
  /** The list, the raise button and its form. */
  protected abstract body(disputes: Dispute[]): TemplateResult;

  protected readonly data = new Task(this, {
    task: async ([type, id]: [SubjectType, number], { signal }) => (await api.disputes({ subjectType: type, subjectId: id, pageSize: 200 }, { signal })).disputes,
    args: () => [this.subjectType, this.subjectId()] as [SubjectType, number],
  });

  constructor() {
    super();
    this.raising = false;
    this.resolving = null;
    this.busy = false;
    this.error = null;
  }

  protected async changed() {
    this.raising = false;
    this.resolving = null;
    await this.data.run();
    this.dispatchEvent(new CustomEvent('dispute-changed', { bubbles: true, composed: true }));
  }

  protected async act(work: () => Promise<unknown>) {
    await submitting(this, async () => {
      await work();
      await this.changed();
    });
  }

  protected item(d: Dispute) {
    const s = this.status(d);
    return html`<li data-dispute=${d.id}>
      <div><strong>${this.heading(d)}</strong> <span class="badge ${s.tone}" data-status=${d.status}>${s.label}</span></div>
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

  /** The raise form's frame: the subject's own fields, then the reason and the buttons. */
  protected raiseForm(label: string, fields: TemplateResult | string, question: string, placeholder: string, after: string, submit: (e: SubmitEvent) => void) {
    return html`<form @submit=${submit} aria-label=${label}>
      ${fields}
      <label>${question}<span class="sr-only"> (required)</span>
        <textarea name="reason" required maxlength="4000" rows="3" placeholder=${placeholder}></textarea></label>
      <p class="small muted">${after}</p>
      <div class="row"><button class="primary" type="submit" ?disabled=${this.busy}>Send the dispute</button><button type="button" @click=${() => (this.raising = false)}>Cancel</button></div>
    </form>`;
  }

  render() {
    return html`<section class="card" aria-labelledby="h-disputes"><h2 id="h-disputes" style="margin-top:0">Disputes</h2>
      ${this.data.value ? html`${this.body(this.data.value)}${this.error ? errorView(this.error) : ''}` : this.data.render({ pending: () => loadingView('Loading disputes…'), error: (e) => errorView(e, () => this.data.run()) })}
    </section>`;
  }
}
