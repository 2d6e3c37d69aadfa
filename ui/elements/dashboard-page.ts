// The landing page: the whole organisation's metric trends against the policy thresholds, with a
// picker that finds a team or department by any part of its name and charts it instead (the
// choice kept in the URL, `/?group=team:<name>`, so it can be bookmarked and Back returns); the
// organisation and each department side by side at the last period; outcome counts per period;
// open cases by status and due date; and a wall of recent recognitions. One call: GET /api/dashboard.
import { LitElement, html, css, nothing, unsafeCSS } from 'lit';
import { Task, TaskStatus } from '@lit/task';
import { api, type Dashboard, type OverviewColumn, type OverviewRow, type Principal } from '../api/index.ts';
import { ApiError } from '../api/client.ts';
import { href, NAVIGATE_EVENT } from '../router.ts';
import { chartValue } from '../lib/axis.ts';
import { formatDate, OUTCOME_LABEL, plural } from '../lib/format.ts';
import { findGroups, groupKey, groupKind, groupName, ORGANISATION, type GroupRef } from '../lib/groups.ts';
import { emptyView, errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';
import { labelFor } from '../lib/words.ts';
import './trend-chart.ts';
import './outcome-chart.ts';
import { kudosCard, KUDOS_CSS } from './kudos-card.ts';

type Cycle = 'week' | 'month' | 'quarter';
const CYCLES: Cycle[] = ['week', 'month', 'quarter'];
const PERIODS = [3, 6, 12];
const DEFAULTS = { cycle: 'month' as Cycle, periods: 6, group: ORGANISATION };
/** Matches listed under the picker; more means the name typed is not yet telling. */
const MATCHES_SHOWN = 8;
const DUE: ReadonlyArray<[keyof Dashboard['openCases']['byDue'], string]> = [
  ['overdue', 'Overdue'], ['next7Days', 'Due in 7 days'], ['next30Days', 'Due in 30 days'], ['later', 'Due later'], ['noDueDate', 'No due date'],
];

/** The dashboard's link for a group, keeping the other choices of the current URL. */
function groupHref(key: string): string {
  const q = new URLSearchParams(location.search);
  if (key === ORGANISATION) q.delete('group');
  else q.set('group', key);
  return `/${q.toString() ? `?${q}` : ''}`;
}

export class DashboardPage extends LitElement {
  static properties = { principal: { attribute: false }, cycle: { state: true }, periods: { state: true }, group: { state: true }, typed: { state: true } };
  static styles = [shared, css`
    .picker { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: end; }
    .picker input { width: 20rem; }
    .showing { margin: 0; padding-bottom: 0.4rem; }
    .matches { list-style: none; margin: 0.4rem 0 0; padding: 0.25rem; max-width: 32rem; background: #fff; border: 1px solid #d0d7de; border-radius: 8px; }
    .matches li a { display: flex; justify-content: space-between; gap: 1rem; padding: 0.35rem 0.5rem; border-radius: 6px; text-decoration: none; color: inherit; }
    .matches li a:hover, .matches li a:focus-visible { background: #ddf4ff; }
    .matches .kind { color: #57606a; font-size: 0.85rem; white-space: nowrap; }
    .charts { display: grid; gap: 1rem; grid-template-columns: minmax(0, 1fr); margin-top: 0.75rem; }
    @media (min-width: 900px) {
      .charts { grid-template-columns: repeat(2, minmax(0, 1fr)); }
      /* An odd last chart takes the whole row rather than half of it. */
      .charts > :last-child:nth-child(odd) { grid-column: 1 / -1; }
    }
    .charts[aria-busy='true'] { opacity: 0.55; }
    /* Positioned, so that the visually hidden words inside a table that scrolls sideways stay inside it (else they widen the page). */
    .table-wrap { position: relative; }
    .overview td.num { white-space: nowrap; }
    .change { font-size: 0.8rem; margin-left: 0.3rem; }
    .change.better { color: #116329; }
    .change.worse { color: #a40e26; }
    .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(6.5rem, 1fr)); gap: 0.75rem; margin: 0; padding: 0; list-style: none; }
    .tile { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 0.6rem 0.8rem; }
    .tile .n { font-size: 1.6rem; font-weight: 700; line-height: 1.2; }
    .tile.overdue .n { color: #a40e26; }
    .wall { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 10rem), 1fr)); gap: 0.75rem; }
    .award { background: linear-gradient(135deg, #dafbe1, #fff); border: 1px solid #aceebb; border-radius: 10px; padding: 0.75rem; }
    .award .who { font-weight: 700; }
    .award .star { color: #bf8700; font-size: 1.3rem; line-height: 1; }
    .two { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; align-items: start; }
    .outcomes { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 24rem), 1fr)); }
    @media (max-width: 900px) { .two { grid-template-columns: 1fr; } }
    section > h2 { margin-top: 1.5rem; }
    ${unsafeCSS(KUDOS_CSS)}
  `];
  declare principal: Principal;
  declare cycle: Cycle;
  declare periods: number;
  /** `organisation`, `team:NAME` or `department:NAME`: the server sends this group's trends only. */
  declare group: string;
  /** What is typed in the team picker. */
  declare typed: string;

  private readonly data = new Task(this, {
    task: async ([cycle, periods, group]: [string, number, string], { signal }) => api.dashboard({ cycle, periods, group }, { signal }),
    args: () => [this.cycle, this.periods, this.group] as [string, number, string],
  });

  constructor() {
    super();
    this.cycle = DEFAULTS.cycle;
    this.periods = DEFAULTS.periods;
    this.group = DEFAULTS.group;
    this.typed = '';
    this.readLocation();
  }

  /** The choices in the URL: `group`, `cycle` and `periods`, each left out when the default. */
  private readonly readLocation = () => {
    if (location.pathname !== '/') return;
    const q = new URLSearchParams(location.search);
    const cycle = q.get('cycle') as Cycle;
    this.cycle = CYCLES.includes(cycle) ? cycle : DEFAULTS.cycle;
    const periods = Number(q.get('periods'));
    this.periods = PERIODS.includes(periods) ? periods : DEFAULTS.periods;
    this.group = q.get('group') || DEFAULTS.group;
  };

  connectedCallback() {
    super.connectedCallback();
    window.addEventListener('popstate', this.readLocation);
    window.addEventListener(NAVIGATE_EVENT, this.readLocation);
  }

  disconnectedCallback() {
    window.removeEventListener('popstate', this.readLocation);
    window.removeEventListener(NAVIGATE_EVENT, this.readLocation);
    super.disconnectedCallback();
  }

  /**
   * Writes a choice to the URL and shows it. A new group is a new history entry (Back returns to
   * the previous one); the periods replace the current one. The URL is written here rather than
   * with the router's navigate(), which moves focus to the top of the screen.
   */
  private choose(changes: { group?: string; cycle?: Cycle; periods?: number }) {
    const q = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) continue;
      if (v === DEFAULTS[k as keyof typeof DEFAULTS]) q.delete(k);
      else q.set(k, String(v));
    }
    const url = `/${q.toString() ? `?${q}` : ''}`;
    if (changes.group !== undefined && changes.group !== this.group) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
    Object.assign(this, Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)));
  }

  private chooseGroup(g: GroupRef, e?: Event) {
    e?.preventDefault();
    this.typed = '';
    this.choose({ group: groupKey(g) });
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#find-group')?.focus());
  }

  private onFinderKey(e: KeyboardEvent, first?: GroupRef) {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      this.renderRoot.querySelector<HTMLAnchorElement>('.matches a')?.focus();
    } else if (e.key === 'Escape') {
      this.typed = '';
    } else if (e.key === 'Enter' && first) {
      this.chooseGroup(first, e);
    }
  }

  private onMatchKey(e: KeyboardEvent) {
    const links = [...this.renderRoot.querySelectorAll<HTMLAnchorElement>('.matches a')];
    const i = links.indexOf(e.target as HTMLAnchorElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = e.key === 'ArrowDown' ? links[i + 1] : links[i - 1];
      (next ?? this.renderRoot.querySelector<HTMLInputElement>('#find-group'))?.focus();
    } else if (e.key === 'Escape') {
      this.typed = '';
      this.renderRoot.querySelector<HTMLInputElement>('#find-group')?.focus();
    }
  }

  private picker(d: Dashboard, shown: GroupRef & { members: number }) {
    const matches = findGroups(d.groups, this.typed);
    const findable = d.groups.filter((g) => g.by !== 'organisation');
    return html`
      <div class="picker">
        <form role="search" aria-label="Teams and departments" @submit=${(e: Event) => e.preventDefault()}>
          <label for="find-group">Find a team or department</label>
          <input id="find-group" type="search" autocomplete="off" placeholder=${findable.length ? `Type part of a name (${plural(findable.length, 'group')})` : 'No team or department to choose'}
            aria-describedby="find-hint" aria-controls=${this.typed.trim() ? 'group-matches' : nothing} .value=${this.typed}
            @input=${(e: Event) => (this.typed = (e.target as HTMLInputElement).value)}
            @keydown=${(e: KeyboardEvent) => this.onFinderKey(e, matches[0])}>
          <span id="find-hint" class="sr-only">Matches are listed below the field: Enter shows the first, Down arrow moves to the list.</span>
        </form>
        <p class="showing" role="status">Showing <strong>${groupName(shown)}</strong> (${plural(shown.members, 'person', 'people')})${shown.by === 'organisation' ? nothing : html` ·
          <a href=${groupHref(ORGANISATION)} @click=${(e: Event) => this.chooseGroup({ by: 'organisation', group: '' }, e)}>Back to the whole organisation</a>`}</p>
      </div>
      ${this.typed.trim() ? html`
        <ul class="matches" id="group-matches" aria-label="Matching teams and departments">
          ${matches.slice(0, MATCHES_SHOWN).map((g) => html`<li><a href=${groupHref(groupKey(g))} @click=${(e: Event) => this.chooseGroup(g, e)} @keydown=${(e: KeyboardEvent) => this.onMatchKey(e)}>
            <span>${g.group}</span><span class="kind">${groupKind(g)} · ${plural(g.members, 'person', 'people')}</span></a></li>`)}
          ${matches.length === 0 ? html`<li class="muted" style="padding:0.35rem 0.5rem">No team or department has “${this.typed.trim()}” in its name.</li>` : nothing}
          ${matches.length > MATCHES_SHOWN ? html`<li class="small muted" style="padding:0.35rem 0.5rem">${matches.length - MATCHES_SHOWN} more: type more of the name.</li>` : nothing}
        </ul>` : nothing}`;
  }

  private trends(d: Dashboard, loading: boolean) {
    const selected = d.trends[0];
    if (!selected) return emptyView('No team has a published policy with a chartable metric yet.');
    const name = groupName(selected);
    return html`
      ${this.picker(d, selected)}
      <p class="small muted">Each point is the mean of the members' values with enough data in the fact's window ending at the period's end; dashed lines are the policies' standards.</p>
      ${selected.series.length ? '' : emptyView(`No published policy with a chartable metric applies to ${name}.`)}
      <div class="charts" aria-busy=${loading ? 'true' : 'false'} data-group=${groupKey(selected)}>${selected.series.map((s) => html`<div class="card" data-fact=${s.fact}>
        <trend-chart .heading=${s.title} .subheading=${`${s.policyId} · ${s.fact}`} .unit=${s.unit} .range=${s.range ?? null} .seriesLabel=${`Average for ${name}`}
          .labels=${s.points.map((p) => p.period)} .values=${s.points.map((p) => p.value)} .thresholds=${s.thresholds}
          .notes=${s.points.map((p) => `${p.withData} of ${p.members} members with enough data`)}></trend-chart></div>`)}</div>`;
  }

  /** The value of one group and metric at the last period, with its change since the period before. */
  private cell(c: OverviewRow['cells'][number], col: OverviewColumn) {
    if (!c) return html`<td class="num muted">not covered</td>`;
    if (c.value === null) return html`<td class="num muted" title=${`${c.withData} of ${c.members} with enough data`}>not enough data</td>`;
    const delta = c.previous === null ? null : c.value - c.previous;
    const better = delta !== null && (col.direction === 'lowerIsBetter' ? delta < 0 : delta > 0);
    const change = delta === null || chartValue(Math.abs(delta), col.unit) === chartValue(0, col.unit)
      ? nothing
      : html`<span class="change ${better ? 'better' : 'worse'}">${delta > 0 ? '▲' : '▼'} ${chartValue(Math.abs(delta), col.unit)}<span class="sr-only"> since the period before</span></span>`;
    return html`<td class="num">${chartValue(c.value, col.unit)}${change}</td>`;
  }

  private overview(d: Dashboard) {
    const { columns, rows } = d.overview;
    if (!columns.length) return emptyView('No published policy with a chartable metric yet.');
    const last = d.periods.at(-1)?.period ?? '';
    return html`<div class="table-wrap"><table class="overview">
      <caption class="sr-only">Each department's average at ${last}, with its change since the period before</caption>
      <thead><tr><th>Group</th><th class="num">People</th>${columns.map((c) => html`<th class="num">${c.title}<div class="small muted" style="font-weight:400">${c.policyId}</div></th>`)}</tr></thead>
      <tbody>${rows.map((r) => html`<tr>
        <th scope="row" style="background:none; font-weight:${r.by === 'organisation' ? 700 : 400}">
          <a href=${groupHref(groupKey(r))} @click=${(e: Event) => this.chooseGroup(r, e)}>${r.by === 'organisation' ? 'Whole organisation' : r.group}</a></th>
        <td class="num">${r.members}</td>${r.cells.map((c, i) => this.cell(c, columns[i]))}</tr>`)}</tbody>
    </table></div>
    <p class="small muted">Averages at ${last}; ▲ ▼ the change since the period before, green where it is better.${rows.length < 2 ? ' No department is set on the employees.' : ''}</p>`;
  }

  private cases(d: Dashboard) {
    const o = d.openCases;
    return html`<div class="two">
      <div class="stack">
        <ul class="tiles" aria-label="Open cases by due date">
          ${DUE.map(([k, label]) => html`<li class="tile ${k === 'overdue' && o.byDue[k] ? 'overdue' : ''}" data-due=${k}><div class="n">${o.byDue[k]}</div><div class="small muted">${label}</div></li>`)}
        </ul>
        <p class="small muted" style="margin-top:0.4rem">A case is due at its due date (a PIP's end, a coaching case's due-by), else its coaching session, else its next check-in.</p>
        ${o.byStatus.length ? html`<div class="table-wrap"><table>
          <caption class="sr-only">Open cases by status</caption>
          <thead><tr><th>Type</th><th>Status</th><th class="num">Open</th></tr></thead>
          <tbody>${o.byStatus.map((s) => html`<tr><td><span class="badge ${s.type}">${OUTCOME_LABEL[s.type]}</span></td>
            <td><a href="/cases?view=all&type=${s.type}&status=${s.status}">${s.status}</a></td><td class="num">${s.count}</td></tr>`)}</tbody></table></div>` : emptyView('No open cases.')}
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

  private content(d: Dashboard, loading: boolean) {
    return html`
      <section aria-labelledby="h-trends"><h2 id="h-trends">Metrics by team and department</h2>${this.trends(d, loading)}</section>
      <section aria-labelledby="h-departments"><h2 id="h-departments">Departments side by side</h2>${this.overview(d)}</section>
      <section aria-labelledby="h-outcomes"><h2 id="h-outcomes">Outcomes over time</h2>
        <div class="outcomes">
          <div class="card"><outcome-chart .heading=${'People for whom a rule was met'} .labels=${d.outcomes.map((p) => p.period)} .counts=${d.outcomes.map((p) => p.decisions)}></outcome-chart></div>
          <div class="card"><outcome-chart .heading=${'Cases opened'} .labels=${d.outcomes.map((p) => p.period)} .counts=${d.outcomes.map((p) => p.cases)}></outcome-chart></div>
        </div></section>
      <section aria-labelledby="h-open"><h2 id="h-open">Open cases <span class="badge neutral">${d.openCases.total}</span></h2>${this.cases(d)}</section>
      <section aria-labelledby="h-wall"><h2 id="h-wall">Recognition wall</h2>
        ${d.recognitions.length ? html`<div class="wall">${d.recognitions.map((r) => html`<a class="award" href=${href.case(r.id)} style="text-decoration:none;color:inherit">
            <div class="star" aria-hidden="true">★</div>
            <div class="who">${r.employeeName ?? r.employeeId}</div>
            <div class="small muted">${r.team ?? ''}</div>
            <div class="small">${r.params?.award ? labelFor(String(r.params.award), r.labels) : r.ruleId} · ${formatDate(r.openedAt)}</div></a>`)}</div>` : emptyView('No recognition yet.')}
        ${d.kudos?.length ? html`<h3>Kudos from colleagues and customers</h3><div class="kudos-wall">${d.kudos.map(kudosCard)}</div><p class="small"><a href="/kudos">All kudos</a></p>` : nothing}
      </section>`;
  }

  private body() {
    // While another group or period loads, the last dashboard stays (dimmed) so that the picker keeps its focus.
    const last = this.data.value;
    if (this.data.status === TaskStatus.PENDING && last) return html`${loadingView('Computing the dashboard…')}${this.content(last, true)}`;
    return this.data.render({
      pending: () => loadingView('Computing the dashboard…'),
      error: (e) => (e instanceof ApiError && e.code === 'APPRAISE_GROUP_NOT_FOUND'
        ? html`${errorView(e)}<p><a href=${groupHref(ORGANISATION)} @click=${(ev: Event) => this.chooseGroup({ by: 'organisation', group: '' }, ev)}>Show the whole organisation</a></p>`
        : errorView(e, () => this.data.run())),
      complete: (d) => (d.employees === 0 ? emptyView('There are no employees yet. Import them with `npx appraise import employees`, then run the policies.') : this.content(d, false)),
    });
  }

  render() {
    return html`
      <div class="row" style="align-items:center">
        <h1 style="margin:0">Dashboard</h1><span class="spacer"></span>
        <form class="row" aria-label="Periods" @submit=${(e: Event) => e.preventDefault()}>
          <label>Period <select @change=${(e: Event) => this.choose({ cycle: (e.target as HTMLSelectElement).value as Cycle })}>
            ${CYCLES.map((c) => html`<option value=${c} ?selected=${c === this.cycle}>${c}</option>`)}</select></label>
          <label>How many <select @change=${(e: Event) => this.choose({ periods: Number((e.target as HTMLSelectElement).value) })}>
            ${PERIODS.map((n) => html`<option value=${n} ?selected=${n === this.periods}>${n}</option>`)}</select></label>
        </form>
      </div>
      ${this.body()}`;
  }
}
customElements.define('dashboard-page', DashboardPage);
declare global {
  interface HTMLElementTagNameMap {
    'dashboard-page': DashboardPage;
  }
}
