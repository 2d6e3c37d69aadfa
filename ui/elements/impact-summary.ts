// The impact of a policy change in a few lines, as its preview found it: who newly gets
// recognition, coaching or a PIP, who no longer does, and the fairness flags. Shown beside
// Publish and after it (policy-page.ts); the full preview, with explanations, is policy-preview.
import { LitElement, html, css } from 'lit';
import { href } from '../router.ts';
import { OUTCOME_LABEL, formatDate } from '../lib/format.ts';
import { OUTCOMES, changesNobody, type ImpactPerson, type ImpactSummary } from '../lib/impact.ts';
import { shared } from '../styles/shared.ts';

/** Names listed per line before "and N more". */
const NAMES_SHOWN = 8;

export class ImpactSummaryView extends LitElement {
  static properties = { summary: { attribute: false } };
  static styles = [shared, css`
    :host { display: block; }
    ul.impact { list-style: none; margin: 0.25rem 0 0; padding: 0; }
    ul.impact > li { padding: 0.2rem 0; }
    ul.flags { padding-left: 1.1rem; margin: 0.25rem 0 0; }
    .people a { white-space: nowrap; }
  `];
  declare summary: ImpactSummary | null;

  constructor() {
    super();
    this.summary = null;
  }

  private people(list: ImpactPerson[]) {
    const shown = list.slice(0, NAMES_SHOWN);
    return html`<span class="people">${shown.map((p, i) => html`${i ? ', ' : ''}<a href=${href.employee(p.employeeId)}>${p.name}</a>`)}${list.length > shown.length ? ` and ${list.length - shown.length} more` : ''}</span>`;
  }

  private line(kind: 'gain' | 'loss', list: Record<string, ImpactPerson[]>) {
    return OUTCOMES.filter((o) => list[o].length).map((o) => html`<li data-impact="${kind}-${o}">
      <span class="badge ${o}">${OUTCOME_LABEL[o]}</span>
      ${kind === 'gain' ? html`<strong>newly for ${list[o].length}</strong>` : html`<strong>no longer for ${list[o].length}</strong>`}: ${this.people(list[o])}</li>`);
  }

  render() {
    const s = this.summary;
    if (!s) return html``;
    return html`
      <p class="small muted" style="margin:0">Previewed as of ${formatDate(s.asOf)} against ${s.publishedVersion ? `v${s.publishedVersion}` : 'nothing published'}.</p>
      ${changesNobody(s)
        ? html`<p data-impact="none">Nobody's outcome changes.</p>`
        : html`<ul class="impact" aria-label="Who this change affects">${this.line('gain', s.gains)}${this.line('loss', s.losses)}</ul>`}
      ${!s.fairnessChecked
        ? html`<p class="small muted" data-fairness="unchecked">Fairness was not checked: no protected attributes are configured.</p>`
        : s.flags.length
          ? html`<div class="notice error" data-fairness="flagged"><strong>${s.flags.length} fairness flag${s.flags.length === 1 ? '' : 's'} (four-fifths rule)</strong>
              <ul class="flags">${s.flags.map((f) => html`<li>${f}</li>`)}</ul></div>`
          : html`<p class="small" data-fairness="ok">No fairness flags: no group falls below the four-fifths rule.</p>`}`;
  }
}
customElements.define('impact-summary', ImpactSummaryView);
declare global {
  interface HTMLElementTagNameMap {
    'impact-summary': ImpactSummaryView;
  }
}
