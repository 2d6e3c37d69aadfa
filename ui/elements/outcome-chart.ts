// Outcome counts per period as grouped bars (recognition, coaching, PIP) on a count axis from
// zero (../lib/axis.ts), a legend in words, and the numbers in a table under "Data".
import { html, type PropertyValues } from 'lit';
import type { ChartConfiguration } from 'chart.js';
import type { Outcome } from '../api/types.ts';
import { valueAxis } from '../lib/axis.ts';
import { ChartElement, chartStyles, legendView, OUTCOME_COLOURS, valueScale } from '../lib/chart.ts';
import { OUTCOME_LABEL } from '../lib/format.ts';
import { shared } from '../styles/shared.ts';

const OUTCOMES: Outcome[] = ['recognition', 'coaching', 'pip'];

/**
 * @csspart canvas - the chart's canvas.
 */
export class OutcomeChart extends ChartElement<'bar'> {
  static properties = { heading: {}, labels: { attribute: false }, counts: { attribute: false } };
  static styles = [shared, chartStyles];
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
    const axis = valueAxis({ values: this.counts.flatMap((c) => OUTCOMES.map((o) => c[o])), unit: 'count', fromZero: true });
    return {
      type: 'bar',
      data: { labels: this.labels, datasets: OUTCOMES.map((o) => ({ label: OUTCOME_LABEL[o], data: this.counts.map((c) => c[o]), backgroundColor: OUTCOME_COLOURS[o] })) },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: valueScale(axis), x: { ticks: { maxRotation: 0, autoSkip: true } } },
      },
    };
  }

  protected updated(changed: PropertyValues) {
    if (changed.has('labels') || changed.has('counts')) this.draw();
  }

  render() {
    const total = (o: Outcome) => this.counts.reduce((s, c) => s + c[o], 0);
    return html`
      <h3>${this.heading}</h3>
      <div class="box"><canvas part="canvas" role="img" aria-label="${this.heading}: ${OUTCOMES.map((o) => `${OUTCOME_LABEL[o]} ${total(o)}`).join(', ')} over ${this.labels.length} periods"></canvas></div>
      ${legendView(`Legend of ${this.heading}`, OUTCOMES.map((o) => ({ label: OUTCOME_LABEL[o], colour: OUTCOME_COLOURS[o], box: true })))}
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
