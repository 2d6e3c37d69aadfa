// Runs: when the policies run on their own (their schedules in words), the history with what
// each run found (rules met, cases opened, people who could not be decided), starting one
// (POST /api/runs with wait:false) and watching it until it has completed (polling GET /api/runs/:id).
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type Outcome, type PolicySummary, type Principal, type Run } from '../api/index.ts';
import { href } from '../router.ts';
import { can } from '../lib/permissions.ts';
import { OUTCOME_LABEL, plural } from '../lib/format.ts';
import { scheduleWords } from '../lib/schedule.ts';
import { codeText, emptyView, errorView, loadingView } from '../lib/states.ts';
import { dateTimeView, whenView } from '../lib/time-view.ts';
import { shared } from '../styles/shared.ts';
import { plainMessage } from '../lib/words.ts';

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
  private readonly policies = new Task(this, { task: async (_: [], { signal }) => (can(this.principal?.role, 'readPolicies') ? (await api.policies({ signal })).policies : []), args: () => [] as [] });

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

  /** Per outcome: how many people a rule was met for (counts.fired) and how many cases that opened. */
  private counts(r: Run) {
    const met = r.counts?.fired ?? {};
    const opened = r.summary?.act?.opened ?? {};
    const undecided = r.counts?.indeterminate ?? 0;
    const noun = (o: Outcome) => OUTCOME_LABEL[o] === 'PIP' ? 'PIP' : OUTCOME_LABEL[o].toLowerCase();
    return html`${OUTCOMES.map((o) => html`<span class="badge ${o}" data-outcome=${o}
        title="A ${noun(o)} rule was met ${plural(met[o] ?? 0, 'time')}; ${plural(opened[o] ?? 0, `${noun(o)} case`)} opened (a rule met opens no second case in a review period, nor one during a cooldown, for an exempt person or under a policy in audit mode)">${OUTCOME_LABEL[o]}: ${met[o] ?? 0} met, ${opened[o] ?? 0} opened</span> `)}${undecided
      ? html`<div class="small muted" title="People (counted per policy) for whom a rule could not be decided, for lack of data or because a plugin failed; nothing was done for them">${plural(undecided, 'person', 'people')} could not be decided</div>` : ''}${this.notes(r)}`;
  }

  /** What the run's numbers rest on: its point in time, and facts no stored record could give. */
  private notes(r: Run) {
    const warnings = (r.summary?.warnings ?? []) as Array<{ message: string }>;
    const view = (r.summary?.pointInTime as { words?: string } | undefined)?.words;
    const inNotice = ((r.summary?.policies ?? []) as Array<{ policyId: string; version: number; noticePeriod?: { enforcedFrom: string; noticeDays: number } }>).filter((p) => p.noticePeriod);
    return html`${view ? html`<div class="small muted run-view">${view}</div>` : ''}${inNotice.map((p) => html`<div class="small run-notice" role="note" data-policy=${p.policyId}>${p.policyId} v${p.version} was in its notice period: its decisions were recorded and no case was opened. It opens cases from ${whenView(p.noticePeriod!.enforcedFrom)}, after the ${p.noticePeriod!.noticeDays}-day notice period.</div>`)}${warnings.map((w) => html`<div class="small run-warning" role="note">⚠ ${plainMessage(w.message)}</div>`)}`;
  }

  /** The policies that run on their own, each schedule in words with its next run in the viewer's time. */
  private schedules(ps: readonly PolicySummary[]) {
    const scheduled = ps.filter((p) => p.schedule);
    if (!ps.length) return '';
    return html`<section aria-labelledby="h-schedules"><h2 id="h-schedules">Schedules</h2>
      ${scheduled.length ? html`<ul class="schedules">${scheduled.map((p) => {
        const next = p.nextRun ?? null;
        return html`<li data-policy=${p.policyId}><a href=${href.policy(p.policyId)}>${p.title}</a>: <span title=${`cron: ${p.schedule}`}>${scheduleWords(p.schedule!)}</span>${next ? html` · next run ${dateTimeView(next)}` : ''}</li>`;
      })}</ul>` : ''}
      ${scheduled.length < ps.length ? html`<p class="small muted">Run only when started here: ${ps.filter((p) => !p.schedule).map((p) => p.title).join(', ')}.</p>` : ''}
    </section>`;
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
                ${plural(this.watching.counts?.employees ?? 0, 'employee')} evaluated, ${plural(this.watching.counts?.decisions ?? 0, 'decision')}.</span> ${this.counts(this.watching)}
                ${this.watching.error ? html`<span class="notice error">${codeText(this.watching.error)}</span>` : ''}`}
        </div>` : ''}
    </form>`;
  }

  render() {
    return html`
      <h1>Runs</h1>
      ${can(this.principal.role, 'runPolicies') ? this.startForm() : ''}
      ${this.policies.render({ complete: (ps) => this.schedules(ps), error: () => '' })}
      <h2>History</h2>
      ${this.runs.render({
        pending: () => loadingView('Loading runs…'),
        error: (e) => errorView(e, () => this.runs.run()),
        complete: (r) => r.runs.length === 0 ? emptyView('No run yet.') : html`<div class="table-wrap"><table>
          <caption class="sr-only">Runs, newest first</caption>
          <thead><tr><th>Run</th><th>Trigger</th><th>As of</th><th>Status</th><th>Started</th><th class="num">Took</th><th class="num">Employees</th><th>Rules met, cases opened</th><th>Policies</th></tr></thead>
          <tbody>${r.runs.map((x) => html`<tr data-run=${x.id}>
            <td>#${x.id}${x.dryRun ? html` <span class="badge neutral">dry run</span>` : ''}</td><td>${x.trigger}</td><td>${whenView(x.asOf)}</td>
            <td><span class="badge ${x.status}">${x.status}</span>${x.error ? html`<div class="small" style="color:#a40e26">${codeText(x.error)}</div>` : ''}</td>
            <td>${dateTimeView(x.startedAt)}</td><td class="num">${duration(x)}</td><td class="num">${x.counts?.employees ?? '—'}</td>
            <td>${this.counts(x)}</td><td class="small">${(x.policyVersions ?? []).map((p) => `${p.policyId} (version ${p.version})`).join(', ')}</td></tr>`)}</tbody>
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

