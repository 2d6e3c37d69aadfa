// The Reviews screen: each cycle's progress (who has self-assessed, who is signed off, how many
// are overdue), the reviews of the chosen cycle with the step each waits for, and for HR the
// form that opens a cycle. Employees see their own reviews; managers their line's.
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type Principal, type ReviewCycle } from '../api/index.ts';
import { href, navigate } from '../router.ts';
import { can } from '../lib/permissions.ts';
import { formatDate, plural } from '../lib/format.ts';
import { emptyView, errorView, loadingView } from '../lib/states.ts';
import { REVIEW_STATUS_WORDS, STEP_NAME } from '../lib/review-words.ts';
import { shared } from '../styles/shared.ts';
import './review-open-form.ts';

export class ReviewCyclesPage extends LitElement {
  static properties = { principal: { attribute: false }, query: { attribute: false }, opening: { state: true }, notice: { state: true }, extendError: { state: true } };
  static styles = [shared, css`
    .progress { display: flex; flex-wrap: wrap; gap: 1.25rem; margin: 0.5rem 0; }
    .progress div { display: flex; flex-direction: column; }
    .progress strong { font-size: 1.4rem; }
    .cycles { display: grid; gap: 0.75rem; }
    .cycle[aria-current='true'] { border-color: #0969da; }
  `];
  declare principal: Principal;
  declare query: URLSearchParams;
  declare opening: boolean;
  declare notice: string;
  declare extendError: { cycleId: string; e: unknown } | null;

  private readonly cycles = new Task(this, { task: async (_: [], { signal }) => (await api.reviewCycles({ signal })).cycles, args: () => [] as [] });
  private readonly reviews = new Task(this, {
    task: async ([cycleId]: [string | undefined], { signal }) => (cycleId ? (await api.reviews({ cycleId, pageSize: 200 }, { signal })) : null),
    args: () => [this.selected()] as [string | undefined],
  });

  constructor() {
    super();
    this.query = new URLSearchParams();
    this.opening = false;
    this.notice = '';
    this.extendError = null;
  }

  /** HR moves a deadline of every open review of the cycle, with a note saying why. */
  private async extend(e: SubmitEvent, c: ReviewCycle) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const step = String(f.get('step')) as 'self' | 'manager' | 'signoff';
    this.extendError = null;
    try {
      const r = await api.extendReviewDeadline(c.id, { step, dueAt: String(f.get('dueAt')), note: String(f.get('note')).trim() });
      form.reset();
      await Promise.all([this.cycles.run(), this.reviews.run()]);
      this.notice = `${STEP_NAME[step]} deadline of ${plural(r.reviews, 'review')} moved to ${formatDate(String(f.get('dueAt')))}.`;
    } catch (err) {
      this.extendError = { cycleId: c.id, e: err };
    }
  }

  private extendForm(c: ReviewCycle) {
    return html`<details style="margin-top:0.5rem"><summary>Move a deadline</summary>
      <form class="row" style="align-items:end;margin-top:0.5rem" aria-label=${`Move a deadline of ${c.title}`} @submit=${(e: SubmitEvent) => this.extend(e, c)}>
        <label>Step <select name="step">${Object.entries(STEP_NAME).map(([k, v]) => html`<option value=${k}>${v}</option>`)}</select></label>
        <label>New deadline <input type="date" name="dueAt" required></label>
        <label style="flex:1">Why <input name="note" required maxlength="4000"></label>
        <button type="submit">Move the deadline</button>
      </form>
      ${this.extendError?.cycleId === c.id ? errorView(this.extendError.e) : ''}</details>`;
  }

  private selected(): string | undefined {
    return this.query.get('cycle') ?? this.cycles.value?.[0]?.id;
  }

  private async opened(e: CustomEvent<{ cycleId: string; created: number; existing: number }>) {
    this.opening = false;
    await this.cycles.run();
    navigate(`/reviews?cycle=${encodeURIComponent(e.detail.cycleId)}`);
    this.notice = `The cycle ${e.detail.cycleId} is open: ${plural(e.detail.created, 'review')} created${e.detail.existing ? `, ${e.detail.existing} already there` : ''}.`;
  }

  private cycleCard(c: ReviewCycle) {
    const p = c.progress;
    const current = c.id === this.selected();
    return html`<section class="card cycle" aria-current=${current ? 'true' : 'false'} aria-labelledby=${`c-${c.id}`}>
      <h2 id=${`c-${c.id}`} style="margin:0"><a href=${`/reviews?cycle=${encodeURIComponent(c.id)}`}>${c.title}</a> <span class="badge neutral">${c.period}</span></h2>
      <div class="progress" data-cycle=${c.id}>
        <div><strong data-count="total">${p.total}</strong><span class="small muted">reviews</span></div>
        <div><strong data-count="self-assessed">${p.selfAssessed}</strong><span class="small muted">self-assessed</span></div>
        <div><strong data-count="signed-off">${p.signedOff}</strong><span class="small muted">signed off</span></div>
        <div><strong data-count="overdue">${p.overdue}</strong><span class="small muted">overdue</span></div>
      </div>
      <p class="small muted" style="margin:0">Self-assessment due ${formatDate(c.due.self)} · manager assessment ${formatDate(c.due.manager)} · sign-off ${formatDate(c.due.signoff)} · opened by ${c.openedBy}</p>
      ${can(this.principal.role, 'manageReviews') ? this.extendForm(c) : ''}
    </section>`;
  }

  private reviewTable() {
    return this.reviews.render({
      pending: () => loadingView('Loading the reviews…'),
      error: (e) => errorView(e, () => this.reviews.run()),
      complete: (r) => !r ? '' : !r.reviews.length ? emptyView('No review in this cycle that you may see.') : html`
        <div class="table-wrap"><table aria-label="Reviews of the cycle">
          <thead><tr><th scope="col">Employee</th><th scope="col">Team</th><th scope="col">Manager</th><th scope="col">Status</th><th scope="col">Next step due</th></tr></thead>
          <tbody>${r.reviews.map((x) => html`<tr data-employee=${x.employeeId}>
            <td><a href=${href.review(x.id)}>${x.employeeName ?? x.employeeId}</a></td>
            <td>${x.team ?? '—'}</td><td>${x.managerName ?? '—'}</td>
            <td data-status=${x.status}>${REVIEW_STATUS_WORDS[x.status]}</td>
            <td>${x.step ? html`${STEP_NAME[x.step]}: ${formatDate(x.dueAt)} ${x.overdue ? html`<span class="badge fail">Overdue</span>` : ''}` : '—'}</td>
          </tr>`)}</tbody>
        </table></div>`,
    });
  }

  render() {
    const mayOpen = can(this.principal.role, 'manageReviews');
    return html`
      <div class="row"><h1 style="margin-right:auto">${this.principal.role === 'employee' ? 'My reviews' : 'Reviews'}</h1>
        ${mayOpen && !this.opening ? html`<button class="primary" @click=${() => (this.opening = true)}>Open a review cycle</button>` : ''}</div>
      ${this.notice ? html`<p class="notice success" role="status">${this.notice}</p>` : ''}
      ${this.opening ? html`<review-open-form @cycle-opened=${this.opened} @cancel=${() => (this.opening = false)}></review-open-form>` : ''}
      ${this.cycles.render({
        pending: () => loadingView('Loading the review cycles…'),
        error: (e) => errorView(e, () => this.cycles.run()),
        complete: (cycles) => cycles.length
          ? html`<div class="cycles">${cycles.map((c) => this.cycleCard(c))}</div><h2>Reviews of ${this.selected()}</h2>${this.reviewTable()}`
          : emptyView(mayOpen ? 'No review cycle yet. Open one to start the reviews of a period.' : 'No review cycle yet.'),
      })}`;
  }
}
customElements.define('review-cycles-page', ReviewCyclesPage);
declare global {
  interface HTMLElementTagNameMap {
    'review-cycles-page': ReviewCyclesPage;
  }
}
