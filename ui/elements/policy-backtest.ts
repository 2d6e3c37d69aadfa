// Backtest of a draft policy (POST /api/policies/:id/backtest): the draft and the version in
// force replayed at the end of each cycle in a range, each seeing only what had happened by
// then. Per cycle: how many get each outcome under each, who newly gets or loses one, what is
// undecided for lack of data, and the fairness report. Nothing is written and no workflow fires.
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type BacktestCycle, type BacktestPerson, type BacktestResponse, type Outcome } from '../api/index.ts';
import { href } from '../router.ts';
import { OUTCOME_LABEL, todayIso } from '../lib/format.ts';
import { emptyView, errorView, loadingView } from '../lib/states.ts';
import { dateView } from '../lib/time-view.ts';
import { plainMessage } from '../lib/words.ts';
import { shared } from '../styles/shared.ts';
import './fairness-report.ts';

const OUTCOMES: Outcome[] = ['recognition', 'coaching', 'pip'];
const CYCLES = [['', "cycle of the policy"], ['quarter', 'quarter'], ['month', 'month'], ['week', 'week'], ['year', 'year']] as const;
/** Names listed per outcome before "and N more". */
const NAMES_SHOWN = 12;

/** The same day a year earlier: four quarter ends fall in the range by default. */
function yearBefore(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - 1);
  return d.toISOString().slice(0, 10);
}

export class PolicyBacktest extends LitElement {
  static properties = { policyId: {}, yaml: {}, label: {}, from: { state: true }, to: { state: true }, cycle: { state: true } };
  static styles = [shared, css`
    form.row { align-items: flex-end; }
    td.up { color: #a40e26; font-weight: 600; }
    td.down { color: #116329; font-weight: 600; }
    details { border-top: 1px solid #eaeef2; padding: 0.5rem 0; }
    summary { cursor: pointer; font-weight: 600; }
    ul.changes { list-style: none; padding: 0; margin: 0.25rem 0; }
    ul.changes li { padding: 0.15rem 0; }
    .pair { white-space: nowrap; }
  `];
  declare policyId: string;
  /** The text to backtest: the draft, or a proposed version's. */
  declare yaml: string;
  /** What the text is called on screen: "the draft", or "v5" for a proposed version. */
  declare label: string;
  declare from: string;
  declare to: string;
  declare cycle: string;

  private readonly bt = new Task(this, {
    task: async ([id, yaml, from, to, cycle]: [string, string, string, string, string], { signal }) =>
      api.backtest(id, { yaml, from, to, ...(cycle ? { cycle } : {}) }, { signal }),
    autoRun: false,
  });

  constructor() {
    super();
    this.policyId = '';
    this.yaml = '';
    this.label = 'the draft';
    this.to = todayIso();
    this.from = yearBefore(this.to);
    this.cycle = '';
  }

  private run(e?: Event) {
    e?.preventDefault();
    void this.bt.run([this.policyId, this.yaml, this.from, this.to, this.cycle]);
  }

  /** "12 → 15", the compared version's count first, coloured when it moves towards more support or less recognition. */
  private pair(o: Outcome, compared: number, draft: number) {
    const d = draft - compared;
    const cls = d === 0 ? '' : (o === 'recognition') === d > 0 ? 'down' : 'up';
    return html`<td class="num ${cls}" data-outcome=${o}><span class="pair">${d === 0 ? String(draft) : html`${compared} → ${draft}`}</span></td>`;
  }

  private people(list: BacktestPerson[]) {
    const shown = list.slice(0, NAMES_SHOWN);
    return html`${shown.map((p, i) => html`${i ? ', ' : ''}<a href=${href.employee(p.employeeId)}>${p.name}</a>`)}${list.length > shown.length ? ` and ${list.length - shown.length} more` : ''}`;
  }

  private changes(c: BacktestCycle) {
    const lines = OUTCOMES.flatMap((o) => [
      ...(c.newly[o].length ? [html`<li data-change="newly-${o}"><span class="badge ${o}">${OUTCOME_LABEL[o]}</span> <strong>newly for ${c.newly[o].length}</strong>: ${this.people(c.newly[o])}</li>`] : []),
      ...(c.noLonger[o].length ? [html`<li data-change="no-longer-${o}"><span class="badge ${o}">${OUTCOME_LABEL[o]}</span> <strong>no longer for ${c.noLonger[o].length}</strong>: ${this.people(c.noLonger[o])}</li>`] : []),
    ]);
    return lines.length ? html`<ul class="changes">${lines}</ul>` : html`<p class="muted small">Nobody's outcome would have been different.</p>`;
  }

  private cycleDetails(c: BacktestCycle) {
    const flags = c.fairness.flags.length;
    return html`<details data-cycle=${c.cycle}>
      <summary>${c.cycle}: who would have been affected${flags ? html` <span class="badge flagged">${flags} fairness flag${flags === 1 ? '' : 's'}</span>` : ''}</summary>
      ${this.changes(c)}
      ${c.warnings?.length ? html`<div class="notice warn" role="note"><strong>Why some numbers are missing</strong><ul>${c.warnings.map((w) => html`<li>${plainMessage(w.message)}</li>`)}</ul></div>` : ''}
      <h3>Fairness under ${this.label}, ${c.cycle}</h3>
      <fairness-report .report=${c.fairness}></fairness-report>
    </details>`;
  }

  private result(r: BacktestResponse) {
    if (!r.cycles.length) return emptyView('No cycle ends within this range. Widen the range to include at least one cycle end.');
    const against = r.comparedVersion ? `published v${r.comparedVersion}` : 'nothing (the policy was never published)';
    return html`
      <p class="muted small">Each ${r.cycle} from ${dateView(r.from)} to ${dateView(r.to)}, ${this.label} against ${against}. ${r.view.words} · ${Math.round(r.ms)} ms</p>
      <div class="table-wrap"><table class="cycles">
        <caption class="sr-only">Outcomes per cycle: the compared version's count, then the draft's</caption>
        <thead><tr><th>Cycle</th><th>Ended</th><th class="num">In scope</th>${OUTCOMES.map((o) => html`<th class="num">${OUTCOME_LABEL[o]}</th>`)}<th class="num">Undecided for lack of data (${this.label})</th><th class="num">Fairness flags (${this.label})</th></tr></thead>
        <tbody>${r.cycles.map((c) => html`<tr data-cycle=${c.cycle}>
          <th scope="row">${c.cycle}</th><td>${dateView(c.asOf)}</td><td class="num">${c.inScope.draft}</td>
          ${OUTCOMES.map((o) => this.pair(o, c.counts.compared[o], c.counts.draft[o]))}
          <td class="num">${c.undecided.draft}</td><td class="num">${c.fairness.flags.length || '—'}</td>
        </tr>`)}</tbody>
      </table></div>
      <p class="small muted">“12 → 15”: 12 under ${r.comparedVersion ? `v${r.comparedVersion}` : 'the compared version'}, 15 under ${this.label}. Open a cycle for the people and its fairness report.</p>
      <section class="card" aria-label="Each cycle">${r.cycles.map((c) => this.cycleDetails(c))}</section>`;
  }

  render() {
    return html`
      <form class="row" @submit=${this.run}>
        <label>From <input type="date" name="from" required .value=${this.from} @change=${(e: Event) => (this.from = (e.target as HTMLInputElement).value)}></label>
        <label>To <input type="date" name="to" required .value=${this.to} @change=${(e: Event) => (this.to = (e.target as HTMLInputElement).value)}></label>
        <label>Each <select name="cycle" .value=${this.cycle} @change=${(e: Event) => (this.cycle = (e.target as HTMLSelectElement).value)}>
          ${CYCLES.map(([v, words]) => html`<option value=${v} ?selected=${v === this.cycle}>${words}</option>`)}</select></label>
        <button class="primary" type="submit" ?disabled=${!this.yaml.trim() || !this.from || !this.to}>Run backtest</button>
      </form>
      <p class="muted small">Replays ${this.label} and the published version at the end of each cycle in the range, as the data stood then. Nothing is written and no workflow fires.</p>
      <div style="margin-top:1rem" aria-live="polite">
        ${this.bt.render({
          initial: () => emptyView('Run a backtest to see what ${this.label} would have done in past cycles.'),
          pending: () => loadingView('Replaying each cycle…'),
          complete: (r) => this.result(r),
          error: (e) => errorView(e, () => this.run()),
        })}
      </div>`;
  }
}
customElements.define('policy-backtest', PolicyBacktest);
declare global {
  interface HTMLElementTagNameMap {
    'policy-backtest': PolicyBacktest;
  }
}
