// The landing page: for a chosen team or department, each metric's trend against the policy
// thresholds; outcome counts per period; open cases by status and due date; and a wall of
// recent recognitions. One call: GET /api/dashboard.
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type Dashboard, type Principal } from '../api/index.ts';
import { href } from '../router.ts';
import { formatDate, OUTCOME_LABEL } from '../lib/format.ts';
import { emptyView, errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';
import './trend-chart.ts';
import './outcome-chart.ts';

export class DashboardPage extends LitElement {
  static properties = { principal: { attribute: false }, cycle: { state: true }, periods: { state: true }, group: { state: true } };
  static styles = [shared, css`
    .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(8.5rem, 1fr)); gap: 0.75rem; }
    .tile { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 0.6rem 0.8rem; }
    .tile .n { font-size: 1.6rem; font-weight: 700; line-height: 1.2; }
    .tile.overdue .n { color: #a40e26; }
    .wall { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 10rem), 1fr)); gap: 0.75rem; }
    .award { background: linear-gradient(135deg, #dafbe1, #fff); border: 1px solid #aceebb; border-radius: 10px; padding: 0.75rem; }
    .award .who { font-weight: 700; }
    .award .star { color: #bf8700; font-size: 1.3rem; line-height: 1; }
    .two { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; align-items: start; }
    @media (max-width: 900px) { .two { grid-template-columns: 1fr; } }
    section > h2 { margin-top: 1.5rem; }
  `];
  declare principal: Principal;
  declare cycle: 'week' | 'month' | 'quarter';
  declare periods: number;
  /** `organisation`, `team:NAME` or `department:NAME`: the server sends this group's trends only. */
  declare group: string;

  private readonly data = new Task(this, {
    task: async ([cycle, periods, group]: [string, number, string], { signal }) => api.dashboard({ cycle, periods, group }, { signal }),
    args: () => [this.cycle, this.periods, this.group] as [string, number, string],
  });

  constructor() {
    super();
    this.cycle = 'month';
    this.periods = 6;
    this.group = 'organisation';
  }

  private trends(d: Dashboard) {
    const selected = d.trends[0];
    if (!selected) return emptyView('No team has a published policy with a chartable metric yet.');
    const key = (t: { by: string; group: string }) => (t.by === 'organisation' ? 'organisation' : `${t.by}:${t.group}`);
    return html`
      <div class="row"><label>Team or department
        <select @change=${(e: Event) => (this.group = (e.target as HTMLSelectElement).value)}>
          ${d.groups.filter((g) => g.by === 'organisation').map((g) => html`<option value=${key(g)} ?selected=${key(g) === key(selected)}>Everyone (${g.members})</option>`)}
          ${(['team', 'department'] as const).map((by) => html`<optgroup label=${by === 'team' ? 'Teams' : 'Departments'}>
            ${d.groups.filter((g) => g.by === by).map((g) => html`<option value=${key(g)} ?selected=${key(g) === key(selected)}>${g.group} (${g.members})</option>`)}</optgroup>`)}
        </select></label>
        <p class="small muted" style="flex:1; min-width: 14rem">Each point is the mean of the members' values with enough data in the fact's window ending at the period's end; dashed lines are the policy thresholds.</p>
      </div>
      ${selected.series.length ? '' : emptyView(`No published policy with a chartable metric applies to ${selected.group}.`)}
      <div class="grid" style="margin-top:0.75rem">${selected.series.map((s) => html`<div class="card">
        <trend-chart .heading=${s.title} .subheading=${`${s.policyId} · ${s.fact}`} .unit=${s.unit} .labels=${s.points.map((p) => p.period)}
          .values=${s.points.map((p) => p.value)} .thresholds=${s.thresholds} .notes=${s.points.map((p) => `${p.withData} of ${p.members} members with enough data`)}></trend-chart></div>`)}</div>`;
  }

  private cases(d: Dashboard) {
    const o = d.openCases;
    return html`<div class="two">
      <div class="stack">
        <div class="tiles" role="list" aria-label="Open cases by due date">
          ${([['overdue', 'Overdue'], ['next7Days', 'Due in 7 days'], ['next30Days', 'Due in 30 days'], ['later', 'Later'], ['noDueDate', 'No due date']] as const).map(([k, label]) => html`
            <div class="tile ${k === 'overdue' && o.byDue[k] ? 'overdue' : ''}" role="listitem"><div class="n">${o.byDue[k]}</div><div class="small muted">${label}</div></div>`)}
        </div>
        ${o.byStatus.length ? html`<div class="table-wrap"><table>
          <caption class="sr-only">Open cases by status</caption>
          <thead><tr><th>Type</th><th>Status</th><th class="num">Open</th></tr></thead>
          <tbody>${o.byStatus.map((s) => html`<tr><td><span class="badge ${s.type}">${OUTCOME_LABEL[s.type]}</span></td>
            <td><a href="/cases?type=${s.type}&status=${s.status}">${s.status}</a></td><td class="num">${s.count}</td></tr>`)}</tbody></table></div>` : emptyView('No open cases.')}
      </div>
      <div>
        <h3 style="margin-top:0">Due next</h3>
        ${o.upcoming.length ? html`<div class="table-wrap"><table>
          <thead><tr><th>Case</th><th>Employee</th><th>Status</th><th>Due</th></tr></thead>
          <tbody>${o.upcoming.map((c) => html`<tr><td><a href=${href.case(c.id)}><span class="badge ${c.type}">${OUTCOME_LABEL[c.type]}</span> #${c.id}</a></td>
            <td>${c.employeeName ?? c.employeeId}</td><td>${c.status}</td><td>${formatDate(c.dueAt ?? c.scheduledFor ?? c.nextCheckInAt)}</td></tr>`)}</tbody></table></div>` : emptyView('Nothing has a due date.')}
      </div>
    </div>`;
  }

  private content(d: Dashboard) {
    return html`
      <section aria-labelledby="h-trends"><h2 id="h-trends">Metrics by team and department</h2>${this.trends(d)}</section>
      <section aria-labelledby="h-outcomes"><h2 id="h-outcomes">Outcomes over time</h2>
        <div class="grid">
          <div class="card"><outcome-chart .heading=${'People with a fired decision'} .labels=${d.outcomes.map((p) => p.period)} .counts=${d.outcomes.map((p) => p.decisions)}></outcome-chart></div>
          <div class="card"><outcome-chart .heading=${'Cases opened'} .labels=${d.outcomes.map((p) => p.period)} .counts=${d.outcomes.map((p) => p.cases)}></outcome-chart></div>
        </div></section>
      <section aria-labelledby="h-open"><h2 id="h-open">Open cases <span class="badge neutral">${d.openCases.total}</span></h2>${this.cases(d)}</section>
      <section aria-labelledby="h-wall"><h2 id="h-wall">Recognition wall</h2>
        ${d.recognitions.length ? html`<div class="wall">${d.recognitions.map((r) => html`<a class="award" href=${href.case(r.id)} style="text-decoration:none;color:inherit">
            <div class="star" aria-hidden="true">★</div>
            <div class="who">${r.employeeName ?? r.employeeId}</div>
            <div class="small muted">${r.team ?? ''}</div>
            <div class="small">${r.params?.award ? String(r.params.award) : r.ruleId} · ${formatDate(r.openedAt)}</div></a>`)}</div>` : emptyView('No recognition yet.')}
      </section>`;
  }

  render() {
    return html`
      <div class="row" style="align-items:center">
        <h1 style="margin:0">Dashboard</h1><span class="spacer"></span>
        <form class="row" aria-label="Periods" @submit=${(e: Event) => e.preventDefault()}>
          <label>Period <select @change=${(e: Event) => (this.cycle = (e.target as HTMLSelectElement).value as 'month')}>
            ${['week', 'month', 'quarter'].map((c) => html`<option value=${c} ?selected=${c === this.cycle}>${c}</option>`)}</select></label>
          <label>How many <select @change=${(e: Event) => (this.periods = Number((e.target as HTMLSelectElement).value))}>
            ${[3, 6, 12].map((n) => html`<option value=${n} ?selected=${n === this.periods}>${n}</option>`)}</select></label>
        </form>
      </div>
      ${this.data.render({
        pending: () => loadingView('Computing the dashboard…'),
        error: (e) => errorView(e, () => this.data.run()),
        complete: (d) => (d.employees === 0 ? emptyView('There are no employees yet. Import them with `npx appraise import employees`, then run the policies.') : this.content(d)),
      })}`;
  }
}
customElements.define('dashboard-page', DashboardPage);
declare global {
  interface HTMLElementTagNameMap {
    'dashboard-page': DashboardPage;
  }
}
