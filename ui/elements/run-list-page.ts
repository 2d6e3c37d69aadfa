// Runs: their history with counts, starting one (POST /api/runs with wait:false) and watching
// it until it has completed (polling GET /api/runs/:id).
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type Outcome, type Principal, type Run } from '../api/index.ts';
import { can } from '../lib/permissions.ts';
import { formatDateTime, OUTCOME_LABEL } from '../lib/format.ts';
import { emptyView, errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';

const POLL_MS = 500;
const OUTCOMES: Outcome[] = ['recognition', 'coaching', 'pip'];

function duration(r: Run): string {
  if (!r.startedAt) return '—';
  const end = r.finishedAt ? new Date(r.finishedAt).getTime() : Date.now();
  const ms = end - new Date(r.startedAt).getTime();
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export class RunListPage extends LitElement {
  static properties = { principal: { attribute: false }, watching: { state: true }, startError: { state: true }, starting: { state: true } };
  static styles = [shared, css`
    .progress { display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; }
    progress { width: 12rem; }
    fieldset { border: 1px solid #d0d7de; border-radius: 6px; padding: 0.4rem 0.75rem; margin: 0; }
    fieldset label { flex-direction: row; align-items: center; font-weight: 400; gap: 0.35rem; }
  `];
  declare principal: Principal;
  /** The run being watched, as last polled. */
  declare watching: Run | null;
  declare startError: unknown;
  declare starting: boolean;
  private stopped = false;

  private readonly runs = new Task(this, { task: async (_: [], { signal }) => api.runs({ pageSize: 50 }, { signal }), args: () => [] as [] });
  private readonly policies = new Task(this, { task: async (_: [], { signal }) => (can(this.principal?.role, 'runPolicies') ? (await api.policies({ signal })).policies : []), args: () => [] as [] });

  constructor() {
    super();
    this.watching = null;
    this.startError = null;
    this.starting = false;
  }

  disconnectedCallback() {
    this.stopped = true;
    super.disconnectedCallback();
  }

  connectedCallback() {
    super.connectedCallback();
    this.stopped = false;
  }

  private async start(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const asOf = f.get('asOf')?.toString() || undefined;
    const policyIds = f.getAll('policy').map(String);
    this.starting = true;
    this.startError = null;
    try {
      const { runId } = await api.startRun({ asOf, ...(policyIds.length ? { policyIds } : {}) });
      await this.watch(runId);
    } catch (err) {
      this.startError = err;
    } finally {
      this.starting = false;
    }
  }

  private async watch(id: number) {
    let run = await api.run(id);
    this.watching = run;
    while (run.status === 'running' && !this.stopped) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      run = await api.run(id);
      this.watching = run;
    }
    await this.runs.run();
  }

  private counts(r: Run) {
    const fired = r.counts?.fired ?? {};
    const opened = r.summary?.act?.opened ?? {};
    return html`${OUTCOMES.map((o) => html`<span class="badge ${o}" title="${OUTCOME_LABEL[o]}: fired / cases opened">${OUTCOME_LABEL[o]} ${fired[o] ?? 0}/${opened[o] ?? 0}</span> `)}`;
  }

  private startForm() {
    return html`<form class="card stack" @submit=${this.start} aria-labelledby="h-start">
      <h2 id="h-start" style="margin-top:0">Start a run</h2>
      <div class="row">
        <label>As of (default now) <input type="date" name="asOf"></label>
        ${this.policies.render({
          pending: () => loadingView('Loading policies…'),
          error: (e) => errorView(e),
          complete: (ps) => html`<fieldset><legend class="small">Policies (none ticked: all published)</legend>
            <div class="row">${ps.map((p) => html`<label><input type="checkbox" name="policy" value=${p.policyId}> ${p.title}</label>`)}</div></fieldset>`,
        })}
        <button class="primary" type="submit" ?disabled=${this.starting || this.watching?.status === 'running'}>Start run</button>
      </div>
      ${this.startError ? errorView(this.startError) : ''}
      ${this.watching ? html`<div class="progress" role="status" aria-live="polite">
          ${this.watching.status === 'running'
            ? html`<progress aria-label="Run ${this.watching.id} in progress"></progress> <span>Run #${this.watching.id} is running… ${duration(this.watching)}</span>`
            : html`<span class="badge ${this.watching.status}">${this.watching.status}</span> <span>Run #${this.watching.id} ${this.watching.status} in ${duration(this.watching)}:
                ${this.watching.counts?.employees ?? 0} employees evaluated, ${this.watching.counts?.decisions ?? 0} decisions.</span> ${this.counts(this.watching)}
                ${this.watching.error ? html`<span class="notice error">${this.watching.error}</span>` : ''}`}
        </div>` : ''}
    </form>`;
  }

  render() {
    return html`
      <h1>Runs</h1>
      ${can(this.principal.role, 'runPolicies') ? this.startForm() : ''}
      <h2>History</h2>
      ${this.runs.render({
        pending: () => loadingView('Loading runs…'),
        error: (e) => errorView(e, () => this.runs.run()),
        complete: (r) => r.runs.length === 0 ? emptyView('No run yet.') : html`<div class="table-wrap"><table>
          <caption class="sr-only">Runs, newest first</caption>
          <thead><tr><th>Run</th><th>Trigger</th><th>As of</th><th>Status</th><th>Started</th><th class="num">Took</th><th class="num">Employees</th><th>Fired / opened</th><th>Policies</th></tr></thead>
          <tbody>${r.runs.map((x) => html`<tr data-run=${x.id}>
            <td>#${x.id}${x.dryRun ? html` <span class="badge neutral">dry</span>` : ''}</td><td>${x.trigger}</td><td>${formatDateTime(x.asOf)}</td>
            <td><span class="badge ${x.status}">${x.status}</span>${x.error ? html`<div class="small" style="color:#a40e26">${x.error}</div>` : ''}</td>
            <td>${formatDateTime(x.startedAt)}</td><td class="num">${duration(x)}</td><td class="num">${x.counts?.employees ?? '—'}</td>
            <td>${this.counts(x)}</td><td class="small">${(x.policyVersions ?? []).map((p) => `${p.policyId} v${p.version}`).join(', ')}</td></tr>`)}</tbody>
        </table></div>`,
      })}`;
  }
}
customElements.define('run-list-page', RunListPage);
declare global {
  interface HTMLElementTagNameMap {
    'run-list-page': RunListPage;
  }
}
