// The fairness (adverse-impact) report of a simulation: the four-fifths flags in words first,
// then for each outcome and protected attribute every group's size, selection rate, impact
// ratio, adverse-rate ratio and Fisher's exact p, with too-small groups shown but not judged.
import { LitElement, html, css } from 'lit';
import type { FairnessGroup, FairnessReport, FairnessSection } from '../api/types.ts';
import { OUTCOME_LABEL, percent } from '../lib/format.ts';
import { shared } from '../styles/shared.ts';

const ratio = (n: number | null) => (n === null ? '—' : n.toFixed(2));
const pValue = (p: number | null) => (p === null ? '—' : p < 0.001 ? '< 0.001' : p.toFixed(3));

export class FairnessReportView extends LitElement {
  static properties = { report: { attribute: false } };
  static styles = [shared, css`
    ul.flags { padding-left: 1.1rem; margin: 0.4rem 0 0; }
    tr.flagged td { background: #fff1f0; }
    .section { margin-top: 1rem; }
    caption { text-align: left; font-weight: 600; padding: 0.5rem 0.7rem; }
  `];
  declare report: FairnessReport | null;

  constructor() {
    super();
    this.report = null;
  }

  private status(g: FairnessGroup) {
    if (g.tooSmall) return html`<span class="badge neutral">too small</span> <span class="small muted">${g.tooSmallReason ?? 'fewer people than the minimum group size'}: shown, not judged</span>`;
    if (g.flagged) return html`<span class="badge flagged">below 4/5</span>`;
    if (g.isReference) return html`<span class="badge neutral">reference</span>`;
    return html`<span class="badge ok">ok</span>`;
  }

  private section(s: FairnessSection) {
    return html`<div class="section">
      <div class="table-wrap"><table>
        <caption>${OUTCOME_LABEL[s.outcome]} by ${s.attribute} <span class="muted small">(favourable: ${s.favourable}; ${s.selected} selected)</span></caption>
        <thead><tr><th>Group</th><th class="num">Size</th><th class="num">Selected</th><th class="num">Selection rate</th><th class="num">Impact ratio</th><th class="num">Adverse-rate ratio</th><th class="num">Fisher p</th><th>Status</th></tr></thead>
        <tbody>${s.groups.map((g) => html`<tr class=${g.flagged ? 'flagged' : ''} data-group=${g.group}>
          <td>${g.group}</td><td class="num">${g.size}</td><td class="num">${g.selected}</td><td class="num">${percent(g.selectionRate)}</td>
          <td class="num">${ratio(g.impactRatio)}</td><td class="num">${g.adverseRateRatio === null ? '—' : `${g.adverseRateRatio.toFixed(2)}×`}</td>
          <td class="num">${pValue(g.fisherP)}</td><td>${this.status(g)}</td></tr>`)}
        ${s.unknown ? html`<tr data-group="(unknown)"><td>Unknown category</td><td class="num">${s.unknown.size}</td><td class="num">${s.unknown.selected}</td>
          <td class="num">${s.unknown.size ? percent(s.unknown.selected / s.unknown.size) : '—'}</td><td class="num">—</td><td class="num">—</td><td class="num">—</td>
          <td><span class="small muted">counted, left out of every rate and ratio</span></td></tr>` : ''}</tbody>
      </table></div>
      ${s.noRatioReason ? html`<p class="small muted">${s.noRatioReason}</p>` : ''}
      ${s.notes.map((n) => html`<p class="small muted">${n}</p>`)}
    </div>`;
  }

  render() {
    const r = this.report;
    if (!r) return html`<p class="empty">No fairness report.</p>`;
    if (!r.protectedAttributes.length) {
      return html`<div class="notice warn" role="status"><strong>Fairness is not checked.</strong> No protected attributes are configured, so outcomes cannot be compared across groups.
        An administrator can name them under <code>fairness.protectedAttributes</code> in <code>appraise.config.yaml</code> (for example gender, ethnicity, ageBand) and restart Appraise.</div>`;
    }
    return html`
      ${r.flags.length
        ? html`<div class="notice error" role="alert"><strong>${r.flags.length} group${r.flags.length === 1 ? '' : 's'} below the four-fifths rule (impact ratio &lt; ${r.threshold})</strong>
            <ul class="flags">${r.flags.map((f) => html`<li>${f.message}</li>`)}</ul></div>`
        : html`<p class="notice success">No group falls below the four-fifths rule (impact ratio ${r.threshold}). Groups under ${r.minGroupSize} people are shown but not judged.</p>`}
      ${r.notes.map((n) => html`<p class="small muted">${n}</p>`)}
      ${r.sections.filter((s) => s.selected > 0 || s.groups.some((g) => g.flagged)).map((s) => this.section(s))}
      ${r.sections.some((s) => s.selected === 0) ? html`<p class="small muted">Outcomes nobody receives are left out: ${[...new Set(r.sections.filter((s) => s.selected === 0).map((s) => OUTCOME_LABEL[s.outcome]))].join(', ')}.</p>` : ''}`;
  }
}
customElements.define('fairness-report', FairnessReportView);
declare global {
  interface HTMLElementTagNameMap {
    'fairness-report': FairnessReportView;
  }
}
