// The Disputes view of the case queue: HR starts on the open disputes and resolves them here;
// everyone else sees the disputes about their own cases (or their line's) and how they ended.
// The status filter lives in the URL (`?status=`), so the view can be bookmarked.
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type Dispute, type DisputeStatus, type Principal } from '../api/index.ts';
import { href, navigate } from '../router.ts';
import { DISPUTE_STATUS, mayResolve } from '../lib/dispute-words.ts';
import { emptyView, errorView, loadingView } from '../lib/states.ts';
import { dateView } from '../lib/time-view.ts';
import { shared } from '../styles/shared.ts';
import './dispute-resolve-form.ts';

const STATUSES = Object.keys(DISPUTE_STATUS) as DisputeStatus[];

export class DisputeListPage extends LitElement {
  static properties = { principal: { attribute: false }, query: { attribute: false }, resolving: { state: true }, notice: { state: true } };
  static styles = [shared, css`
    td.reason { max-width: 28rem; white-space: pre-wrap; }
    tr.form td { background: #f6f8fa; }
  `];
  declare principal: Principal;
  declare query: URLSearchParams;
  declare resolving: number | null;
  declare notice: string;

  private readonly data = new Task(this, {
    task: async ([status]: [string], { signal }) => api.disputes({ ...(status === 'all' ? {} : { status: [status as DisputeStatus] }), pageSize: 200 }, { signal }),
    args: () => [this.status] as [string],
  });

  constructor() {
    super();
    this.query = new URLSearchParams();
    this.resolving = null;
    this.notice = '';
  }

  /** The filter in the URL, else HR's queue (open disputes) or, for everyone else, all of theirs. */
  private get status(): string {
    const s = this.query.get('status');
    if (s && (s === 'all' || (STATUSES as string[]).includes(s))) return s;
    return this.principal?.role === 'hr' || this.principal?.role === 'admin' ? 'open' : 'all';
  }

  private setStatus(status: string) {
    navigate(`/cases/disputes?status=${encodeURIComponent(status)}`, { replace: true });
  }

  private async resolved(d: Dispute) {
    this.resolving = null;
    await this.data.run();
    this.notice = `Dispute ${d.id} is resolved.`;
  }

  private row(d: Dispute) {
    const s = DISPUTE_STATUS[d.status];
    return html`<tr data-dispute=${d.id}>
        <td>#${d.id}</td>
        <td><a href=${d.subjectType === 'review' ? href.review(d.subjectId) : href.case(d.subjectId)}>${d.subjectTitle}</a>${d.section ? html` <span class="small muted">(${d.section})</span>` : ''}</td>
        <td><a href=${href.employee(d.employeeId)}>${d.employeeName ?? d.employeeId}</a></td>
        <td>${d.raisedBy} <span class="muted small">(${d.raisedAs === 'manager' ? 'manager' : 'employee'})</span></td>
        <td class="reason">${d.reason ?? html`<span class="muted">—</span>`}</td>
        <td><span class="badge ${s.tone}" data-status=${d.status}>${s.label}</span></td>
        <td>${dateView(d.raisedAt)}</td>
        <td>${mayResolve(this.principal, d) ? html`<button aria-expanded=${this.resolving === d.id ? 'true' : 'false'} @click=${() => (this.resolving = this.resolving === d.id ? null : d.id)}>Resolve</button>` : ''}</td>
      </tr>
      ${this.resolving === d.id ? html`<tr class="form"><td colspan="8">
        <dispute-resolve-form .dispute=${d} @dispute-changed=${() => this.resolved(d)} @cancel=${() => (this.resolving = null)}></dispute-resolve-form>
        <p class="small muted">To amend a PIP's goals or end date, resolve it from <a href=${href.case(d.subjectId)}>the case page</a>.</p></td></tr>` : ''}`;
  }

  render() {
    const status = this.status;
    return html`
      <h1>Cases</h1>
      <nav class="tabs" aria-label="Case views">
        <a href="/cases?view=mine" aria-current="false">Needs my action</a><a href="/cases?view=all" aria-current="false">All cases</a><a href="/cases/disputes" aria-current="page">Disputes</a>
      </nav>
      <form class="filters row" role="search" aria-label="Filter disputes" @submit=${(e: Event) => e.preventDefault()}>
        <label>Status <select name="status" @change=${(e: Event) => this.setStatus((e.target as HTMLSelectElement).value)}>
          <option value="all" ?selected=${status === 'all'}>All</option>
          ${STATUSES.map((s) => html`<option value=${s} ?selected=${s === status}>${DISPUTE_STATUS[s].label}</option>`)}
        </select></label>
      </form>
      ${this.notice ? html`<p class="notice success" role="status">${this.notice}</p>` : ''}
      ${this.data.render({
        pending: () => loadingView('Loading disputes…'),
        error: (e) => errorView(e, () => this.data.run()),
        complete: (r) => r.disputes.length === 0
          ? emptyView(status === 'open' ? 'No dispute waits for a decision.' : 'No dispute matches this filter.')
          : html`<div class="table-wrap"><table>
              <caption class="sr-only">Disputes${status === 'all' ? '' : `: ${DISPUTE_STATUS[status as DisputeStatus].label}`}, open ones first, then the newest</caption>
              <thead><tr><th>Dispute</th><th>Case</th><th>Employee</th><th>Raised by</th><th>Reason</th><th>Status</th><th>Raised</th><th><span class="sr-only">Actions</span></th></tr></thead>
              <tbody>${r.disputes.map((d) => this.row(d))}</tbody>
            </table></div>`,
      })}`;
  }
}
customElements.define('dispute-list-page', DisputeListPage);
declare global {
  interface HTMLElementTagNameMap {
    'dispute-list-page': DisputeListPage;
  }
}
