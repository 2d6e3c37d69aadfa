// Employees the user may see, searchable by name, id or email and filterable by team and
// department (the search waits for a pause in typing).
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type Principal } from '../api/index.ts';
import { href, navigate } from '../router.ts';
import { emptyView, errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';

const PAGE_SIZE = 50;

export class EmployeeListPage extends LitElement {
  static properties = { principal: { attribute: false }, query: { attribute: false } };
  static styles = [shared, css`form { margin-bottom: 1rem; } input[type='search'] { min-width: min(22rem, 100%); }`];
  declare principal: Principal;
  declare query: URLSearchParams;
  private timer?: number;

  private readonly data = new Task(this, {
    task: async ([qs]: [string], { signal }) => {
      const q = new URLSearchParams(qs);
      return api.employees({ q: q.get('q') ?? undefined, team: q.get('team') ?? undefined, department: q.get('department') ?? undefined, page: Number(q.get('page') ?? 1), pageSize: PAGE_SIZE }, { signal });
    },
    args: () => [this.query.toString()] as [string],
  });

  constructor() {
    super();
    this.query = new URLSearchParams();
  }

  private set(name: string, value: string, delay = 0) {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => {
      const q = new URLSearchParams(this.query);
      if (value) q.set(name, value);
      else q.delete(name);
      if (name !== 'page') q.delete('page');
      navigate(`/employees${q.toString() ? `?${q}` : ''}`, { replace: true });
    }, delay);
  }

  render() {
    const q = this.query;
    const page = Number(q.get('page') ?? 1);
    return html`
      <h1>Employees</h1>
      <form class="row" role="search" aria-label="Search employees" @submit=${(e: Event) => e.preventDefault()}>
        <label>Search <input type="search" name="q" placeholder="Name, id or email" .value=${q.get('q') ?? ''} @input=${(e: Event) => this.set('q', (e.target as HTMLInputElement).value.trim(), 300)}></label>
        <label>Team <input name="team" .value=${q.get('team') ?? ''} size="14" @change=${(e: Event) => this.set('team', (e.target as HTMLInputElement).value.trim())}></label>
        <label>Department <input name="department" .value=${q.get('department') ?? ''} size="14" @change=${(e: Event) => this.set('department', (e.target as HTMLInputElement).value.trim())}></label>
      </form>
      ${this.data.render({
        pending: () => loadingView('Loading employees…'),
        error: (e) => errorView(e, () => this.data.run()),
        complete: (r) => r.employees.length === 0
          ? emptyView(q.toString() ? 'Nobody matches this search.' : 'There are no employees yet. Import them with `npx appraise import employees`.')
          : html`<div class="table-wrap"><table>
              <caption class="sr-only">Employees</caption>
              <thead><tr><th>Name</th><th>Id</th><th>Role</th><th>Team</th><th>Department</th><th>Manager</th><th class="num">Tenure (days)</th></tr></thead>
              <tbody>${r.employees.map((e) => html`<tr>
                <td><a href=${href.employee(e.id)}>${e.name}</a></td><td class="mono">${e.id}</td><td>${e.role ?? '—'}</td><td>${e.team ?? '—'}</td>
                <td>${e.department ?? '—'}</td><td>${e.managerId ? html`<a href=${href.employee(e.managerId)}>${e.managerId}</a>` : '—'}</td><td class="num">${e.tenureDays ?? '—'}</td></tr>`)}</tbody>
            </table></div>
            <div class="row" style="margin-top:0.75rem; align-items:center">
              <span class="muted small">${(page - 1) * PAGE_SIZE + 1}–${(page - 1) * PAGE_SIZE + r.employees.length} of ${r.total}</span><span class="spacer"></span>
              <button ?disabled=${page <= 1} @click=${() => this.set('page', String(page - 1))}>Previous</button>
              <button ?disabled=${page * PAGE_SIZE >= r.total} @click=${() => this.set('page', String(page + 1))}>Next</button>
            </div>`,
      })}`;
  }
}
customElements.define('employee-list-page', EmployeeListPage);
declare global {
  interface HTMLElementTagNameMap {
    'employee-list-page': EmployeeListPage;
  }
}
