// Outcome counts per period as grouped bars (recognition, coaching, PIP), with the numbers in a
// table under "Data".
import { html, css, type PropertyValues } from 'lit';
import type { ChartConfiguration } from 'chart.js';
import type { Outcome } from '../api/types.ts';
import { ChartElement, OUTCOME_COLOURS } from '../lib/chart.ts';
import { OUTCOME_LABEL } from '../lib/format.ts';
import { shared } from '../styles/shared.ts';

const OUTCOMES: Outcome[] = ['recognition', 'coaching', 'pip'];

export class OutcomeChart extends ChartElement<'bar'> {
  static properties = { heading: {}, labels: { attribute: false }, counts: { attribute: false } };
  static styles = [shared, css`
    .box { position: relative; height: 240px; }
    h3 { margin: 0 0 0.3rem; font-size: 0.98rem; }
    details { margin-top: 0.4rem; font-size: 0.85rem; }
    summary { cursor: pointer; color: #0550ae; }
  `];
  declare heading: string;
  declare labels: string[];
  declare counts: Array<Record<Outcome, number>>;

  constructor() {
    super();
    this.heading = '';
    this.labels = [];
    this.counts = [];
  }

  protected chartConfig(): ChartConfiguration<'bar'> {
    return {
      type: 'bar',
      data: { labels: this.labels, datasets: OUTCOMES.map((o) => ({ label: OUTCOME_LABEL[o], data: this.counts.map((c) => c[o]), backgroundColor: OUTCOME_COLOURS[o] })) },
      options: { responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'bottom' } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    };
  }

  protected updated(changed: PropertyValues) {
    if (changed.has('labels') || changed.has('counts')) this.draw();
  }

  render() {
    const total = (o: Outcome) => this.counts.reduce((s, c) => s + c[o], 0);
    return html`
      <h3>${this.heading}</h3>
      <div class="box"><canvas role="img" aria-label="${this.heading}: ${OUTCOMES.map((o) => `${OUTCOME_LABEL[o]} ${total(o)}`).join(', ')} over ${this.labels.length} periods"></canvas></div>
      <details><summary>Data</summary>
        <table><thead><tr><th>Period</th>${OUTCOMES.map((o) => html`<th class="num">${OUTCOME_LABEL[o]}</th>`)}</tr></thead>
          <tbody>${this.labels.map((l, i) => html`<tr><td>${l}</td>${OUTCOMES.map((o) => html`<td class="num">${this.counts[i]?.[o] ?? 0}</td>`)}</tr>`)}</tbody></table>
      </details>`;
  }
}
customElements.define('outcome-chart', OutcomeChart);
declare global {
  interface HTMLElementTagNameMap {
    'outcome-chart': OutcomeChart;
  }
}
