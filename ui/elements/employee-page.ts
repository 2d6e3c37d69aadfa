// One employee: who they are, their metrics per period as trend charts with the policy
// thresholds drawn on them, their recent decisions (each with its explanation) and their cases.
// Protected attributes never sit beside this performance data: an admin may open them on a
// separate panel at the foot of the page, fetched only when asked for.
import { LitElement, html, css, nothing } from 'lit';
import { Task } from '@lit/task';
import { api, type Principal } from '../api/index.ts';
import { href } from '../router.ts';
import { can } from '../lib/permissions.ts';
import { formatDate, OUTCOME_LABEL, plural } from '../lib/format.ts';
import { emptyView, errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';
import './trend-chart.ts';
import './explanation-view.ts';
import './feedback-notes.ts';
import './employee-goals.ts';

export class EmployeePage extends LitElement {
  static properties = { principal: { attribute: false }, employeeId: {}, cycle: { state: true }, periods: { state: true }, openDecision: { state: true }, showAttributes: { state: true } };
  static styles = [shared, css`.charts { margin-top: 0.5rem; } .explain td { background: #f6f8fa; }`];
  declare principal: Principal;
  declare employeeId: string;
  declare cycle: 'week' | 'month' | 'quarter';
  declare periods: number;
  declare openDecision: number | null;
  declare showAttributes: boolean;

  private readonly attributeTask = new Task(this, {
    task: async ([id, show]: [string, boolean], { signal }) => (show ? api.employeeAttributes(id, { signal }) : null),
    args: () => [this.employeeId, this.showAttributes] as [string, boolean],
  });

  private readonly person = new Task(this, {
    task: async ([id]: [string], { signal }) => api.employee(id, { signal }),
    args: () => [this.employeeId] as [string],
  });

  private readonly trends = new Task(this, {
    task: async ([id, cycle, periods]: [string, string, number], { signal }) => api.employeeMetrics(id, { cycle, periods }, { signal }),
    args: () => [this.employeeId, this.cycle, this.periods] as [string, string, number],
  });

  constructor() {
    super();
    this.employeeId = '';
    this.cycle = 'month';
    this.periods = 6;
    this.openDecision = null;
    this.showAttributes = false;
  }

  /** The admin's explicit panel: attributes used for fairness reports, apart from performance. */
  private attributesPanel() {
    if (!can(this.principal.role, 'seeProtectedAttributes')) return nothing;
    return html`<section class="card" aria-labelledby="attributes-h">
      <h2 id="attributes-h">Attributes for fairness reports</h2>
      <p class="small muted">Used only to check that outcomes are fair across groups; never part of a decision. Shown to administrators only.</p>
      ${!this.showAttributes ? html`<button @click=${() => (this.showAttributes = true)}>Show attributes</button>` : this.attributeTask.render({
        pending: () => loadingView('Loading…'),
        error: (e) => errorView(e, () => this.attributeTask.run()),
        complete: (a) => a && Object.keys(a.attributes).length
          ? html`<dl class="facts">${Object.entries(a.attributes).map(([k, v]) => html`<dt>${k}</dt><dd>${String(v)}</dd>`)}</dl>
            <button @click=${() => (this.showAttributes = false)}>Hide attributes</button>`
          : emptyView('No attributes are recorded for this employee.'),
      })}
    </section>`;
  }

  private charts() {
    return html`
      <form class="row" @submit=${(e: Event) => e.preventDefault()} aria-label="Chart periods">
        <label>Period <select @change=${(e: Event) => (this.cycle = (e.target as HTMLSelectElement).value as 'month')}>
          ${['week', 'month', 'quarter'].map((c) => html`<option value=${c} ?selected=${c === this.cycle}>${c}</option>`)}</select></label>
        <label>How many <select @change=${(e: Event) => (this.periods = Number((e.target as HTMLSelectElement).value))}>
          ${[3, 6, 12].map((n) => html`<option value=${n} ?selected=${n === this.periods}>${n}</option>`)}</select></label>
      </form>
      <div class="charts">${this.trends.render({
        pending: () => loadingView('Computing metrics per period…'),
        error: (e) => errorView(e, () => this.trends.run()),
        complete: (t) => t.series.length === 0
          ? emptyView('No published policy with a chartable metric applies to this employee.')
          : html`<div class="grid">${t.series.map((s) => html`<div class="card" data-fact=${s.fact}>
              <trend-chart .heading=${s.title} .subheading=${`${s.policyId} · fact ${s.fact}`} .unit=${s.unit} .range=${s.range ?? null}
                .labels=${s.points.map((p) => p.period)} .values=${s.points.map((p) => p.value)} .thresholds=${s.thresholds}
                .notes=${s.points.map((p) => (p.status === 'ok' ? plural(p.samples, 'sample') : `insufficient data: ${p.samples} of ${p.minSamples} samples`))}></trend-chart></div>`)}</div>`,
      })}</div>`;
  }

  render() {
    return this.person.render({
      pending: () => loadingView('Loading the employee…'),
      error: (e) => html`<p class="small"><a href="/employees">← Employees</a></p>${errorView(e, () => this.person.run())}`,
      complete: ({ employee: e, cases, decisions }) => html`
        ${this.principal.role !== 'employee' ? html`<p class="small"><a href="/employees">← Employees</a></p>` : ''}
        <h1>${e.name}</h1>
        <div class="card"><dl class="facts">
          <dt>Id</dt><dd class="mono">${e.id}</dd>
          ${e.role ? html`<dt>Role</dt><dd>${e.role}</dd>` : ''}
          ${e.team ? html`<dt>Team</dt><dd>${e.team}${e.department ? ` · ${e.department}` : ''}</dd>` : ''}
          ${e.managerId ? html`<dt>Manager</dt><dd><a href=${href.employee(e.managerId)}>${e.managerName ?? e.managerId}</a></dd>` : ''}
          ${e.hireDate ? html`<dt>Hired</dt><dd>${formatDate(e.hireDate)}${e.tenureDays !== null ? ` (${e.tenureDays} days)` : ''}</dd>` : ''}
        </dl></div>
        <h2>Metrics over time</h2>
        ${this.charts()}
        <employee-goals .principal=${this.principal} .employeeId=${e.id}></employee-goals>
        <h2>Cases</h2>
        ${cases.length === 0 ? emptyView('No cases.') : html`<div class="table-wrap"><table>
          <thead><tr><th>Case</th><th>Type</th><th>Status</th><th>Policy · rule</th><th>Period</th><th>Opened</th></tr></thead>
          <tbody>${cases.map((c) => html`<tr><td><a href=${href.case(c.id)}>#${c.id}</a></td><td><span class="badge ${c.type}">${OUTCOME_LABEL[c.type]}</span></td>
            <td>${c.status}</td><td class="small">${c.policyId} · <code>${c.ruleId}</code></td><td>${c.period}</td><td>${formatDate(c.openedAt)}</td></tr>`)}</tbody></table></div>`}
        <h2>Recent decisions</h2>
        ${decisions.length === 0 ? emptyView('No decisions yet: no run has found a rule to fire or leave undecided for this employee.') : html`<div class="table-wrap"><table>
          <thead><tr><th>As of</th><th>Policy · rule</th><th>Outcome</th><th>Status</th><th><span class="sr-only">Explanation</span></th></tr></thead>
          <tbody>${decisions.map((d) => html`<tr>
              <td>${formatDate(d.asOf)}</td><td class="small">${d.policyId} v${d.policyVersion} · <code>${d.ruleId}</code></td>
              <td><span class="badge ${d.outcome}">${OUTCOME_LABEL[d.outcome]}</span></td><td>${d.status}</td>
              <td><button class="link" aria-expanded=${this.openDecision === d.id ? 'true' : 'false'} @click=${() => (this.openDecision = this.openDecision === d.id ? null : d.id)}>${this.openDecision === d.id ? 'Hide' : 'Explain'}</button></td></tr>
            ${this.openDecision === d.id ? html`<tr class="explain"><td colspan="5"><explanation-view .rule=${d.explanation}></explanation-view></td></tr>` : nothing}`)}</tbody></table></div>`}
        <feedback-notes .principal=${this.principal} .employeeId=${e.id}></feedback-notes>
        ${this.attributesPanel()}`,
    });
  }
}
customElements.define('employee-page', EmployeePage);
declare global {
  interface HTMLElementTagNameMap {
    'employee-page': EmployeePage;
  }
}
