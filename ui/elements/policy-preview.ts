// Preview of a draft policy: runs it as a dry run (POST /api/policies/:id/simulate) against the
// published version and shows who newly gets coaching, a PIP or recognition, who no longer
// does, whose outcome changes — each person's explanation one click away — and the fairness
// report. Nothing is written. Explanations read in words (rule-in-words), for the HR admins
// who preview.
import { LitElement, html, css, nothing } from 'lit';
import { Task } from '@lit/task';
import { api, type AffectedEmployee, type Outcome, type SimulateResponse } from '../api/index.ts';
import { href } from '../router.ts';
import { OUTCOME_LABEL, todayIso } from '../lib/format.ts';
import { emptyView, errorView, loadingView } from '../lib/states.ts';
import { whenView } from '../lib/time-view.ts';
import { shared } from '../styles/shared.ts';
import './rule-in-words.ts';
import './fairness-report.ts';
import { plainMessage } from '../lib/words.ts';

const OUTCOMES: Outcome[] = ['recognition', 'coaching', 'pip'];

/**
 * @fires previewed - `detail: {yaml, result}` when a preview of `yaml` has come back.
 */
export class PolicyPreview extends LitElement {
  static properties = { policyId: {}, yaml: {}, asOf: { state: true }, open: { state: true } };
  static styles = [shared, css`
    .people { list-style: none; margin: 0; padding: 0; }
    .people > li { border-bottom: 1px solid #eaeef2; padding: 0.5rem 0; }
    .person { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
    .explain { margin: 0.5rem 0 0.25rem; padding: 0.75rem; background: #fff; border: 1px solid #d0d7de; border-radius: 8px; }
    .counts td.up { color: #a40e26; font-weight: 600; }
    .counts td.down { color: #116329; font-weight: 600; }
  `];
  declare policyId: string;
  /** The draft text to preview. */
  declare yaml: string;
  declare asOf: string;
  /** The employee whose explanation is open, per list. */
  declare open: string | null;

  private readonly sim = new Task(this, {
    task: async ([id, yaml, asOf]: [string, string, string], { signal }) => {
      const result = await api.simulate(id, { yaml, asOf: asOf || undefined }, { signal });
      // The text previewed, not this.yaml now: the page keys the result by the text it was run on.
      this.dispatchEvent(new CustomEvent('previewed', { detail: { yaml, result }, bubbles: true, composed: true }));
      return result;
    },
    autoRun: false,
  });

  constructor() {
    super();
    this.policyId = '';
    this.yaml = '';
    this.asOf = todayIso();
    this.open = null;
  }

  private run(e?: Event) {
    e?.preventDefault();
    this.open = null;
    void this.sim.run([this.policyId, this.yaml, this.asOf]);
  }

  private person(list: string, p: { employeeId: string; name: string; team?: string; rules: AffectedEmployee['rules'] }, badges: unknown) {
    const key = `${list}:${p.employeeId}`;
    const isOpen = this.open === key;
    return html`<li data-employee=${p.employeeId}>
      <div class="person">
        <a href=${href.employee(p.employeeId)}>${p.name}</a> <span class="muted small">${p.employeeId}${p.team ? ` · ${p.team}` : ''}</span>
        ${badges}
        <span class="spacer"></span>
        <button class="link" aria-expanded=${isOpen ? 'true' : 'false'} @click=${() => (this.open = isOpen ? null : key)}>${isOpen ? 'Hide explanation' : 'Explain'}</button>
      </div>
      ${isOpen ? html`<div class="explain"><p class="small muted" style="margin-top:0">${list === 'gone' ? 'Under the published version:' : 'Under the draft:'}</p>${p.rules.length ? p.rules.map((r) => html`<rule-in-words .rule=${r.explanation}></rule-in-words>`) : html`<p class="muted">No rule applies to them under the draft.</p>`}</div>` : nothing}
    </li>`;
  }

  private list(title: string, key: string, people: AffectedEmployee[], empty: string) {
    return html`<section class="card" aria-labelledby="h-${key}">
      <h2 id="h-${key}">${title} <span class="badge neutral">${people.length}</span></h2>
      ${people.length ? html`<ul class="people">${people.map((p) => this.person(key, p, p.outcomes.map((o) => html`<span class="badge ${o}">${OUTCOME_LABEL[o]}</span>`)))}</ul>` : emptyView(empty)}
    </section>`;
  }

  private result(r: SimulateResponse) {
    return html`
      <p class="muted small">As of ${whenView(r.asOf)} · against ${r.publishedVersion ? `published v${r.publishedVersion}` : 'nothing published yet'} ·
        ${r.inScope.draft} in scope (published: ${r.inScope.published}) · undecided for lack of data: ${r.undecided.draft} (published: ${r.undecided.published}) · ${Math.round(r.ms)} ms</p>
      ${r.noticePeriod ? html`<p class="notice info" role="note" data-notice-period>Published now, this version would open cases only from ${whenView(r.noticePeriod.enforcedFrom)}, after the ${r.noticePeriod.noticeDays}-day notice period; until then its decisions are recorded and no case is opened.</p>` : ''}
      ${r.warnings?.length ? html`<div class="notice warn preview-warnings" role="note"><strong>Why some numbers are missing</strong>
        <ul>${r.warnings.map((w) => html`<li>${plainMessage(w.message)}</li>`)}</ul></div>` : ''}
      <div class="table-wrap counts" style="max-width: 36rem"><table>
        <caption class="sr-only">Outcome counts</caption>
        <thead><tr><th>Outcome</th><th class="num">Published</th><th class="num">Draft</th><th class="num">Change</th></tr></thead>
        <tbody>${OUTCOMES.map((o) => {
          const d = r.counts.draft[o] - r.counts.published[o];
          const cls = d === 0 ? '' : (o === 'recognition') === d > 0 ? 'down' : 'up';
          return html`<tr><td><span class="badge ${o}">${OUTCOME_LABEL[o]}</span></td><td class="num">${r.counts.published[o]}</td><td class="num">${r.counts.draft[o]}</td><td class="num ${cls}">${d > 0 ? `+${d}` : d}</td></tr>`;
        })}</tbody></table></div>
      <div class="stack" style="margin-top:1rem">
        ${this.list('Newly affected', 'new', r.newlyAffected, 'Nobody newly gets an outcome.')}
        ${this.list('No longer affected', 'gone', r.noLongerAffected, 'Nobody loses an outcome.')}
        <section class="card" aria-labelledby="h-changed">
          <h2 id="h-changed">Outcome changed <span class="badge neutral">${r.changedOutcome.length}</span></h2>
          ${r.changedOutcome.length
            ? html`<ul class="people">${r.changedOutcome.map((p) => this.person('changed', p, html`${p.before.map((o) => html`<span class="badge ${o}"><s>${OUTCOME_LABEL[o]}</s></span>`)} → ${p.after.map((o) => html`<span class="badge ${o}">${OUTCOME_LABEL[o]}</span>`)}`))}</ul>`
            : emptyView('Nobody changes from one outcome to another.')}
        </section>
      </div>
      <h2>Fairness</h2>
      <fairness-report .report=${r.fairness}></fairness-report>`;
  }

  render() {
    return html`
      <form class="row" @submit=${this.run}>
        <label>As of <input type="date" name="asOf" .value=${this.asOf} @change=${(e: Event) => (this.asOf = (e.target as HTMLInputElement).value)}></label>
        <button class="primary" type="submit" ?disabled=${!this.yaml.trim()}>Preview impact</button>
        <span class="muted small">A dry run of the draft on current data; nothing is written and no workflow fires.</span>
      </form>
      <div style="margin-top:1rem" aria-live="polite">
        ${this.sim.render({
          initial: () => emptyView('Preview the draft to see who it would affect.'),
          pending: () => loadingView('Running the draft on current data…'),
          complete: (r) => this.result(r),
          error: (e) => errorView(e, () => this.run()),
        })}
      </div>`;
  }
}
customElements.define('policy-preview', PolicyPreview);
declare global {
  interface HTMLElementTagNameMap {
    'policy-preview': PolicyPreview;
  }
}
