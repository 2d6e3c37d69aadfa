// The case queue: filtered by type, status, team and due date (kept in the URL, so a filtered
// queue can be bookmarked), newest first, a page at a time.
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type Principal } from '../api/index.ts';
import { href, navigate } from '../router.ts';
import { OUTCOME_LABEL } from '../lib/format.ts';
import { emptyView, errorView, loadingView } from '../lib/states.ts';
import { dateView } from '../lib/time-view.ts';
import { shared } from '../styles/shared.ts';

const PAGE_SIZE = 25;
const STATUSES: Record<string, string[]> = {
  recognition: ['open', 'delivered', 'acknowledged'],
  coaching: ['open', 'scheduled', 'completed', 'cancelled', 'superseded'],
  pip: ['proposed', 'approved', 'acknowledged', 'active', 'paused', 'extended', 'rejected', 'succeeded', 'failed', 'cancelled'],
};
const ALL_STATUSES = [...new Set(Object.values(STATUSES).flat())];

export class CaseListPage extends LitElement {
  static properties = { principal: { attribute: false }, query: { attribute: false } };
  static styles = [shared, css`form.filters { margin-bottom: 1rem; } td.due-soon { color: #a40e26; font-weight: 600; }`];
  declare principal: Principal;
  declare query: URLSearchParams;

  private readonly data = new Task(this, {
    task: async ([qs]: [string], { signal }) => {
      const q = new URLSearchParams(qs);
      return api.cases({
        type: q.get('type') ?? undefined, status: q.getAll('status'), team: q.get('team') ?? undefined, dueBefore: q.get('dueBefore') ?? undefined,
        employeeId: q.get('employeeId') ?? undefined, policyId: q.get('policyId') ?? undefined, page: Number(q.get('page') ?? 1), pageSize: PAGE_SIZE,
      }, { signal });
    },
    args: () => [this.query.toString()] as [string],
  });

  constructor() {
    super();
    this.query = new URLSearchParams();
  }

  private setFilter(name: string, value: string) {
    const q = new URLSearchParams(this.query);
    if (value) q.set(name, value);
    else q.delete(name);
    if (name === 'type' && q.get('status') && value && !STATUSES[value].includes(q.get('status')!)) q.delete('status');
    if (name !== 'page') q.delete('page');
    navigate(`/cases${q.toString() ? `?${q}` : ''}`, { replace: name !== 'page' });
  }

  private filters() {
    const q = this.query;
    const type = q.get('type') ?? '';
    const statuses = type ? STATUSES[type] : ALL_STATUSES;
    const on = (name: string) => (e: Event) => this.setFilter(name, (e.target as HTMLInputElement).value);
    return html`<form class="filters row" role="search" aria-label="Filter cases" @submit=${(e: Event) => e.preventDefault()}>
      <label>Type <select name="type" @change=${on('type')}>
        <option value="">All</option>${Object.keys(STATUSES).map((t) => html`<option value=${t} ?selected=${t === type}>${OUTCOME_LABEL[t]}</option>`)}</select></label>
      <label>Status <select name="status" @change=${on('status')}>
        <option value="">All</option>${statuses.map((s) => html`<option value=${s} ?selected=${s === q.get('status')}>${s}</option>`)}</select></label>
      <label>Team <input name="team" .value=${q.get('team') ?? ''} @change=${on('team')} placeholder="Any team" size="14"></label>
      <label>Due before <input type="date" name="dueBefore" .value=${q.get('dueBefore') ?? ''} @change=${on('dueBefore')}></label>
      ${q.toString() ? html`<button type="button" @click=${() => navigate('/cases', { replace: true })}>Clear filters</button>` : ''}
    </form>`;
  }

  render() {
    const page = Number(this.query.get('page') ?? 1);
    const soon = Date.now() + 7 * 86_400_000;
    return html`
      <h1>Cases</h1>
      ${this.filters()}
      ${this.data.render({
        pending: () => loadingView('Loading cases…'),
        error: (e) => errorView(e, () => this.data.run()),
        complete: (r) => r.cases.length === 0
          ? emptyView(this.query.toString() ? 'No case matches these filters.' : 'There are no cases yet. A case opens when a run finds that a rule of a policy is met for someone.')
          : html`
            <div class="table-wrap"><table>
              <caption class="sr-only">Cases, newest first</caption>
              <thead><tr><th>Case</th><th>Employee</th><th>Team</th><th>Type</th><th>Status</th><th>Policy · rule</th><th>Period</th><th>Due</th><th>Opened</th></tr></thead>
              <tbody>${r.cases.map((c) => {
                const due = c.dueAt ?? c.nextCheckInAt;
                return html`<tr data-case=${c.id}>
                  <td><a href=${href.case(c.id)}>#${c.id}</a></td>
                  <td><a href=${href.employee(c.employeeId)}>${c.employeeName ?? c.employeeId}</a></td>
                  <td>${c.team ?? '—'}</td>
                  <td><span class="badge ${c.type}">${OUTCOME_LABEL[c.type]}</span></td>
                  <td>${c.status}</td>
                  <td class="small">${c.policyId} · <code>${c.ruleId}</code></td>
                  <td>${c.period}</td>
                  <td class=${due && new Date(due).getTime() < soon ? 'due-soon' : ''}>${dateView(due)}</td>
                  <td>${dateView(c.openedAt)}</td></tr>`;
              })}</tbody>
            </table></div>
            <div class="row" style="margin-top:0.75rem; align-items:center">
              <span class="muted small">${(page - 1) * PAGE_SIZE + 1}–${(page - 1) * PAGE_SIZE + r.cases.length} of ${r.total}</span>
              <span class="spacer"></span>
              <button ?disabled=${page <= 1} @click=${() => this.setFilter('page', String(page - 1))}>Previous</button>
              <button ?disabled=${page * PAGE_SIZE >= r.total} @click=${() => this.setFilter('page', String(page + 1))}>Next</button>
            </div>`,
      })}`;
  }
}
customElements.define('case-list-page', CaseListPage);
declare global {
  interface HTMLElementTagNameMap {
    'case-list-page': CaseListPage;
  }
}
