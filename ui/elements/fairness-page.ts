// Fairness (HR and admins): the audit of the stored runs over a date range, per policy and
// review cycle. For each cycle: the flags in plain words, how many people have an unknown
// category (counted, left out of the ratios, as NYC Local Law 144 audits do), which groups are
// too small to judge and why, and the groups of each attribute and intersection. The CSV and the
// printable page are the same report, for an auditor. Only aggregates: no person is named here.
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type AuditCycle, type FairnessAudit, type Principal } from '../api/index.ts';
import { OUTCOME_LABEL, plural } from '../lib/format.ts';
import { errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';
import './fairness-report.ts';

const day = (d: Date) => d.toISOString().slice(0, 10);

export class FairnessPage extends LitElement {
  static properties = { principal: { attribute: false }, query: { state: true }, fileError: { state: true }, busy: { state: true } };
  static styles = [shared, css`
    form.range { display: flex; gap: 0.75rem; align-items: flex-end; flex-wrap: wrap; margin: 0.75rem 0 1rem; }
    .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; margin: 0.5rem 0 1rem; }
    section.cycle { border-top: 1px solid #d0d7de; margin-top: 1.5rem; padding-top: 0.5rem; }
    dl.about { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0.5rem 0; }
    dl.about dt { font-weight: 600; }
    dl.about dd { margin: 0; }
  `];
  declare principal: Principal;
  declare query: { from: string; to: string; policy: string };
  declare fileError: unknown;
  declare busy: boolean;

  private readonly audit = new Task(this, {
    task: async ([q]: [{ from: string; to: string; policy: string }], { signal }) => api.fairnessAudit({ from: q.from, to: q.to, ...(q.policy ? { policy: q.policy } : {}) }, { signal }),
    args: () => [this.query] as [{ from: string; to: string; policy: string }],
  });
  private readonly policies = new Task(this, { task: async (_: [], { signal }) => (await api.policies({ signal })).policies, args: () => [] as [] });

  constructor() {
    super();
    const now = new Date();
    this.query = { from: `${now.getUTCFullYear()}-01-01`, to: day(now), policy: '' };
    this.fileError = null;
    this.busy = false;
  }

  private onSubmit(e: SubmitEvent) {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    this.query = { from: String(data.get('from') ?? ''), to: String(data.get('to') ?? ''), policy: String(data.get('policy') ?? '') };
  }

  private params() {
    return { from: this.query.from, to: this.query.to, ...(this.query.policy ? { policy: this.query.policy } : {}) };
  }

  /** The CSV as a download: fetched with the session's token, handed to the browser as a file. */
  private async downloadCsv() {
    await this.withFile(async () => {
      const { text } = await api.fairnessCsv(this.params());
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
      a.download = `fairness-${this.query.from}-${this.query.to}${this.query.policy ? `-${this.query.policy}` : ''}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
    });
  }

  /** The printable page in a new tab (a link could not carry the token). */
  private async openPrintable() {
    const tab = window.open('', '_blank');
    await this.withFile(async () => {
      const { text } = await api.fairnessPrintable(this.params());
      const url = URL.createObjectURL(new Blob([text], { type: 'text/html' }));
      if (tab) tab.location.href = url;
      else location.assign(url);
    }, () => tab?.close());
  }

  private async withFile(fn: () => Promise<void>, onError?: () => void) {
    this.busy = true;
    this.fileError = null;
    try {
      await fn();
    } catch (e) {
      onError?.();
      this.fileError = e;
    } finally {
      this.busy = false;
    }
  }

  private about(a: FairnessAudit) {
    const t = a.thresholds;
    return html`<dl class="about">
      <dt>Data</dt><dd>${a.dataSource}</dd>
      <dt>Backtests</dt><dd>${a.backtests}</dd>
      <dt>Compared by</dt><dd>${a.protectedAttributes.join(', ') || 'nothing: no protected attributes are configured'}${a.intersections.length ? html`; and together: ${a.intersections.map((i) => i.join(' × ')).join(', ')}` : ''}</dd>
      <dt>Thresholds</dt><dd>An impact ratio below ${t.fourFifths} is flagged (four-fifths rule). Groups of fewer than ${t.minGroupSize} people${t.minGroupShare > 0 ? ` or under ${Math.round(t.minGroupShare * 1000) / 10}% of those evaluated` : ''} are too small to judge.
        ${t.unknownValues.length ? html`Counted as unknown: ${t.unknownValues.map((v) => `"${v}"`).join(', ')}.` : ''}</dd>
      <dt>Policy versions</dt><dd>${a.policyVersions.map((v) => `${v.title} (${v.policyId} v${v.version})`).join('; ') || 'none'}</dd>
    </dl>`;
  }

  private cycle(c: AuditCycle) {
    const r = c.report;
    const unknown = r.attributes.filter((x) => x.notRecorded > 0);
    const small = r.attributes.filter((x) => x.tooSmall.length > 0);
    return html`<section class="cycle" aria-labelledby=${`cycle-${c.runId}-${c.policyId}`}>
      <h2 id=${`cycle-${c.runId}-${c.policyId}`}>${c.cycle}: ${c.policyTitle}</h2>
      <p class="muted">${c.policyId} v${c.policyVersion}; run ${c.runId}, as of ${c.asOf.slice(0, 10)}${c.runsInCycle > 1 ? ` (the latest of ${c.runsInCycle} runs this cycle)` : ''}.
        ${plural(r.populationSize, 'person', 'people')} evaluated: ${r.outcomes.map((o) => `${o.selected} ${o.outcome === 'pip' ? 'PIP' : OUTCOME_LABEL[o.outcome].toLowerCase()}`).join(', ')}.</p>
      <h3>People with an unknown category</h3>
      ${unknown.length
        ? html`<ul>${unknown.map((x) => html`<li>${x.attribute}: ${plural(x.notRecorded, 'person', 'people')}, counted and left out of the ratios</li>`)}</ul>`
        : html`<p>None: everyone has a recorded category.</p>`}
      <h3>Groups too small to judge</h3>
      ${small.length
        ? html`<ul>${r.sections.filter((s) => s.outcome === r.outcomes[0]?.outcome).flatMap((s) => s.groups.filter((g) => g.tooSmall).map((g) => html`<li>${s.attribute} "${g.group}" (${plural(g.size, 'person', 'people')}): ${g.tooSmallReason}</li>`))}</ul>`
        : html`<p>None.</p>`}
      <h3>Groups compared</h3>
      <fairness-report .report=${r}></fairness-report>
    </section>`;
  }

  render() {
    const policies = this.policies.value ?? [];
    return html`
      <h1>Fairness</h1>
      <p>How outcomes compare across groups of protected attributes, per review cycle, from the runs that decided them. Only group totals are shown.</p>
      <form class="range" @submit=${this.onSubmit}>
        <label>From <input type="date" name="from" required .value=${this.query.from}></label>
        <label>To <input type="date" name="to" required .value=${this.query.to}></label>
        <label>Policy <select name="policy">
          <option value="" ?selected=${!this.query.policy}>Every policy</option>
          ${policies.map((p) => html`<option value=${p.policyId} ?selected=${p.policyId === this.query.policy}>${p.title || p.policyId}</option>`)}
        </select></label>
        <button type="submit" class="primary">Show report</button>
      </form>
      ${this.audit.render({
        pending: () => loadingView('Computing the fairness report…'),
        error: (e) => errorView(e, () => this.audit.run()),
        complete: (a) => html`
          <div class="actions">
            <button @click=${this.downloadCsv} ?disabled=${this.busy}>Download CSV</button>
            <button @click=${this.openPrintable} ?disabled=${this.busy}>Open printable page</button>
          </div>
          ${this.fileError ? errorView(this.fileError) : ''}
          ${this.about(a)}
          ${a.notes.map((n) => html`<p class="notice info">${n}</p>`)}
          ${a.cycles.map((c) => this.cycle(c))}`,
      })}`;
  }
}
customElements.define('fairness-page', FairnessPage);
declare global {
  interface HTMLElementTagNameMap {
    'fairness-page': FairnessPage;
  }
}
