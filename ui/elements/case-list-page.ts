// The case list: "Needs my action" (what waits for the signed-in person, most urgent first,
// decided by the server from the lifecycles) by default for everyone who acts on cases, or all
// cases; filtered by type, status, team and due date, sorted by a column. The view, the sort and
// the filters live in the URL, so a list can be bookmarked and survives a reload.
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { ifDefined } from 'lit/directives/if-defined.js';
import { api, type CaseListItem, type Principal, type QueueStep } from '../api/index.ts';
import { href, navigate } from '../router.ts';
import { OUTCOME_LABEL } from '../lib/format.ts';
import { emptyView, errorView, loadingView } from '../lib/states.ts';
import { dateView } from '../lib/time-view.ts';
import { shared } from '../styles/shared.ts';

const PAGE_SIZE = 25;
const STATUSES: Record<string, string[]> = {
  recognition: ['open', 'delivered', 'acknowledged', 'overturned'],
  coaching: ['open', 'scheduled', 'completed', 'cancelled', 'superseded', 'overturned'],
  pip: ['proposed', 'approved', 'acknowledged', 'active', 'paused', 'extended', 'rejected', 'succeeded', 'failed', 'cancelled', 'overturned'],
};
const ALL_STATUSES = [...new Set(Object.values(STATUSES).flat())];
const FILTERS = ['type', 'status', 'team', 'dueBefore', 'employeeId', 'policyId'];

type View = 'mine' | 'all';

/** What a case waits for, as the "Next step" column says it. */
const STEP_WORDS: Record<QueueStep, string> = {
  approve: 'Approve or reject',
  plan: 'Set the plan',
  close: 'Close: past its end date',
  'check-in': 'Record a check-in',
  start: 'Start the plan',
  schedule: 'Schedule the session',
  complete: 'Complete the session',
  deliver: 'Deliver',
  acknowledge: 'Acknowledge',
};

/** The sortable columns: their key in `?sort=` (core/cases/sort.ts) and how the caption reads each direction. */
const SORTS: Record<string, { label: string; up: string; down: string }> = {
  employee: { label: 'Employee', up: 'by employee, A to Z', down: 'by employee, Z to A' },
  type: { label: 'Type', up: 'PIPs first', down: 'recognitions first' },
  status: { label: 'Status', up: 'by status, A to Z', down: 'by status, Z to A' },
  due: { label: 'Due', up: 'earliest due first', down: 'latest due first' },
  opened: { label: 'Opened', up: 'oldest first', down: 'newest first' },
};

export class CaseListPage extends LitElement {
  static properties = { principal: { attribute: false }, query: { attribute: false } };
  static styles = [shared, css`
    form.filters { margin-bottom: 1rem; }
    td.due-soon { color: #a40e26; font-weight: 600; }
    th button.sort { all: unset; cursor: pointer; display: inline-flex; gap: 0.3rem; align-items: center; font-weight: 600; }
    th button.sort:focus-visible { outline: 3px solid var(--focus, #0969da); outline-offset: 2px; border-radius: 3px; }
    th button.sort .arrow { color: var(--muted, #57606a); font-size: 0.8em; }
    th[aria-sort] button.sort .arrow { color: inherit; }
    td.step { font-weight: 600; white-space: nowrap; }
  `];
  declare principal: Principal;
  declare query: URLSearchParams;

  private readonly data = new Task(this, {
    task: async ([qs, view]: [string, View], { signal }) => {
      const q = new URLSearchParams(qs);
      return api.cases({
        view, sort: q.get('sort') ?? undefined,
        type: q.get('type') ?? undefined, status: q.getAll('status'), team: q.get('team') ?? undefined, dueBefore: q.get('dueBefore') ?? undefined,
        employeeId: q.get('employeeId') ?? undefined, policyId: q.get('policyId') ?? undefined, page: Number(q.get('page') ?? 1), pageSize: PAGE_SIZE,
      }, { signal });
    },
    args: () => [this.query.toString(), this.view] as [string, View],
  });

  constructor() {
    super();
    this.query = new URLSearchParams();
  }

  /** The view in the URL, else the role's: everyone who acts on cases starts on what waits for them; a viewer acts on none. */
  private get view(): View {
    const v = this.query.get('view');
    if (v === 'mine' || v === 'all') return v;
    return this.principal?.role === 'viewer' ? 'all' : 'mine';
  }

  private go(q: URLSearchParams, replace: boolean) {
    navigate(`/cases${q.toString() ? `?${q}` : ''}`, { replace });
  }

  private setFilter(name: string, value: string) {
    const q = new URLSearchParams(this.query);
    if (value) q.set(name, value);
    else q.delete(name);
    if (name === 'type' && q.get('status') && value && !STATUSES[value].includes(q.get('status')!)) q.delete('status');
    if (name !== 'page') q.delete('page');
    this.go(q, name !== 'page');
  }

  /** First click on a column sorts it ascending, the next one descending. */
  private sortBy(key: string) {
    const q = new URLSearchParams(this.query);
    q.set('sort', q.get('sort') === key ? `-${key}` : key);
    q.delete('page');
    this.go(q, true);
  }

  /** A view's link: the same filters, from its first page, in the view's own order. */
  private viewHref(view: View): string {
    const q = new URLSearchParams(this.query);
    q.set('view', view);
    q.delete('page');
    q.delete('sort');
    return `/cases?${q}`;
  }

  private views() {
    // A viewer acts on no case: nothing ever waits for them.
    if (this.principal?.role === 'viewer') return '';
    const current = this.view;
    const link = (view: View, label: string) => html`<a href=${this.viewHref(view)} data-view=${view} aria-current=${current === view ? 'page' : 'false'}>${label}</a>`;
    return html`<nav class="tabs" aria-label="Case views">${link('mine', 'Needs my action')}${link('all', 'All cases')}<a href="/cases/disputes" aria-current="false">Disputes</a></nav>`;
  }

  private filters() {
    const q = this.query;
    const type = q.get('type') ?? '';
    const statuses = type ? STATUSES[type] : ALL_STATUSES;
    const on = (name: string) => (e: Event) => this.setFilter(name, (e.target as HTMLInputElement).value);
    const clear = () => {
      const kept = new URLSearchParams(this.query);
      for (const f of [...FILTERS, 'page']) kept.delete(f);
      this.go(kept, true);
    };
    return html`<form class="filters row" role="search" aria-label="Filter cases" @submit=${(e: Event) => e.preventDefault()}>
      <label>Type <select name="type" @change=${on('type')}>
        <option value="">All</option>${Object.keys(STATUSES).map((t) => html`<option value=${t} ?selected=${t === type}>${OUTCOME_LABEL[t]}</option>`)}</select></label>
      <label>Status <select name="status" @change=${on('status')}>
        <option value="">All</option>${statuses.map((s) => html`<option value=${s} ?selected=${s === q.get('status')}>${s}</option>`)}</select></label>
      <label>Team <input name="team" .value=${q.get('team') ?? ''} @change=${on('team')} placeholder="Any team" size="14"></label>
      <label>Due before <input type="date" name="dueBefore" .value=${q.get('dueBefore') ?? ''} @change=${on('dueBefore')}></label>
      ${FILTERS.some((f) => q.has(f)) ? html`<button type="button" @click=${clear}>Clear filters</button>` : ''}
    </form>`;
  }

  /** A sortable column header: a button that says what it does, and aria-sort on the sorted one. */
  private header(key: string) {
    const sort = this.query.get('sort');
    const direction = sort === key ? 'ascending' : sort === `-${key}` ? 'descending' : undefined;
    const next = direction === 'ascending' ? SORTS[key].down : SORTS[key].up;
    return html`<th aria-sort=${ifDefined(direction)} data-sort=${key}><button type="button" class="sort" title=${`Sort ${next}`} @click=${() => this.sortBy(key)}>
      ${SORTS[key].label}<span class="arrow" aria-hidden="true">${direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : '↕'}</span></button></th>`;
  }

  private caption(): string {
    const sort = this.query.get('sort');
    const key = sort?.replace(/^-/, '');
    if (key && SORTS[key]) return `${this.view === 'mine' ? 'Cases waiting for you' : 'Cases'}, ${sort!.startsWith('-') ? SORTS[key].down : SORTS[key].up}`;
    return this.view === 'mine' ? 'Cases waiting for you, most urgent first' : 'Cases, newest first';
  }

  private empty() {
    const filtered = FILTERS.some((f) => this.query.has(f));
    if (this.view === 'all') {
      return emptyView(filtered ? 'No case matches these filters.' : 'There are no cases yet. A case opens when a run finds that a rule of a policy is met for someone.');
    }
    return html`<p class="empty">${filtered ? 'Nothing that waits for you matches these filters.' : 'Nothing waits for your action.'}
      <a href=${this.viewHref('all')}>All cases</a> lists every case you can see.</p>`;
  }

  private row(c: CaseListItem, now: number) {
    const due = c.dueBy ? new Date(c.dueBy).getTime() : undefined;
    const overdue = due !== undefined && due < now;
    return html`<tr data-case=${c.id} data-step=${c.nextStep ?? ''}>
      <td><a href=${href.case(c.id)}>#${c.id}</a></td>
      <td><a href=${href.employee(c.employeeId)}>${c.employeeName ?? c.employeeId}</a></td>
      <td>${c.team ?? '—'}</td>
      <td><span class="badge ${c.type}">${OUTCOME_LABEL[c.type]}</span></td>
      <td>${c.status}</td>
      <td class="step">${c.nextStep ? STEP_WORDS[c.nextStep] : html`<span class="muted">—</span>`}</td>
      <td class="small">${c.policyId} · <code>${c.ruleId}</code></td>
      <td>${c.period}</td>
      <td class=${due !== undefined && due < now + 7 * 86_400_000 ? 'due-soon' : ''}>${dateView(c.dueBy)}${overdue ? html` <span class="badge fail">overdue</span>` : ''}</td>
      <td>${dateView(c.openedAt)}</td></tr>`;
  }

  render() {
    const page = Number(this.query.get('page') ?? 1);
    const now = Date.now();
    return html`
      <h1>Cases</h1>
      ${this.views()}
      ${this.filters()}
      ${this.data.render({
        pending: () => loadingView('Loading cases…'),
        error: (e) => errorView(e, () => this.data.run()),
        complete: (r) => r.cases.length === 0
          ? this.empty()
          : html`
            <div class="table-wrap"><table>
              <caption class="sr-only">${this.caption()}</caption>
              <thead><tr><th>Case</th>${this.header('employee')}<th>Team</th>${this.header('type')}${this.header('status')}<th>Next step</th><th>Policy · rule</th><th>Period</th>${this.header('due')}${this.header('opened')}</tr></thead>
              <tbody>${r.cases.map((c) => this.row(c, now))}</tbody>
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
