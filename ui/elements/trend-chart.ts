// One metric over recent periods as a line, with the policy's thresholds drawn across it
// (Chart.js with chartjs-plugin-annotation). A period without enough data is a gap, not a 0.
// The numbers are also in a table under "Data" for screen readers and keyboard users.
import { html, css, type PropertyValues } from 'lit';
import type { ChartConfiguration } from 'chart.js';
import type { Threshold } from '../api/types.ts';
import { ChartElement, OUTCOME_COLOURS, SERIES_COLOUR } from '../lib/chart.ts';
import { formatValue, operatorSymbol, OUTCOME_LABEL } from '../lib/format.ts';
import { shared } from '../styles/shared.ts';

/**
 * @csspart canvas - the chart's canvas.
 */
export class TrendChart extends ChartElement<'line'> {
  static properties = { heading: {}, subheading: {}, unit: {}, labels: { attribute: false }, values: { attribute: false }, notes: { attribute: false }, thresholds: { attribute: false } };
  static styles = [shared, css`
    :host { display: block; }
    .box { position: relative; height: 220px; }
    h3 { margin: 0 0 0.1rem; font-size: 0.98rem; }
    details { margin-top: 0.4rem; font-size: 0.85rem; }
    summary { cursor: pointer; color: #0550ae; }
  `];
  declare heading: string;
  declare subheading: string;
  declare unit: string;
  declare labels: string[];
  declare values: Array<number | null>;
  /** Per point, a note for the tooltip and the data table ("12 samples"). */
  declare notes: string[];
  declare thresholds: Threshold[];

  constructor() {
    super();
    this.heading = '';
    this.subheading = '';
    this.unit = '';
    this.labels = [];
    this.values = [];
    this.notes = [];
    this.thresholds = [];
  }

  private label(t: Threshold) {
    return `${OUTCOME_LABEL[t.outcome] ?? t.outcome} ${operatorSymbol(t.operator)} ${formatValue(t.value, this.unit)}`;
  }

  protected chartConfig(): ChartConfiguration<'line'> {
    const known = this.values.filter((v): v is number => v !== null);
    const all = [...known, ...this.thresholds.map((t) => t.value)];
    const span = all.length ? Math.max(...all) - Math.min(...all) : 1;
    const pad = span === 0 ? Math.abs(all[0] ?? 1) * 0.1 || 1 : span * 0.12;
    const annotations = Object.fromEntries(this.thresholds.map((t, i) => [`t${i}`, {
      type: 'line' as const, yMin: t.value, yMax: t.value, borderColor: OUTCOME_COLOURS[t.outcome] ?? '#57606a', borderWidth: 2, borderDash: [6, 4],
      label: { display: true, content: this.label(t), position: (i % 2 ? 'end' : 'start') as 'end' | 'start', backgroundColor: OUTCOME_COLOURS[t.outcome] ?? '#57606a', color: '#fff', font: { size: 11, weight: 'bold' as const }, padding: 3 },
    }]));
    return {
      type: 'line',
      data: { labels: this.labels, datasets: [{ label: this.heading, data: this.values, borderColor: SERIES_COLOUR, backgroundColor: SERIES_COLOUR, spanGaps: false, tension: 0.2, pointRadius: 4 }] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (c) => `${formatValue(c.parsed.y, this.unit)}${this.notes[c.dataIndex] ? ` (${this.notes[c.dataIndex]})` : ''}` } },
          annotation: { annotations },
        },
        scales: {
          y: { suggestedMin: all.length ? Math.min(...all) - pad : undefined, suggestedMax: all.length ? Math.max(...all) + pad : undefined, ticks: { callback: (v) => formatValue(Number(v), this.unit) } },
          x: { ticks: { maxRotation: 0, autoSkip: true } },
        },
      },
    };
  }

  protected updated(changed: PropertyValues) {
    if (['labels', 'values', 'thresholds', 'unit'].some((k) => changed.has(k))) this.draw();
  }

  render() {
    const latest = [...this.values].reverse().find((v) => v !== null);
    const summary = `${this.heading}: ${latest === undefined ? 'no value with enough data' : `latest ${formatValue(latest, this.unit)}`}${this.thresholds.length ? `; thresholds ${this.thresholds.map((t) => this.label(t)).join(', ')}` : ''}`;
    return html`
      <h3>${this.heading}</h3>
      ${this.subheading ? html`<div class="small muted">${this.subheading}</div>` : ''}
      <div class="box"><canvas part="canvas" role="img" aria-label=${summary}></canvas></div>
      <details><summary>Data</summary>
        <table><thead><tr><th>Period</th><th class="num">Value</th><th>Note</th></tr></thead>
          <tbody>${this.labels.map((l, i) => html`<tr><td>${l}</td><td class="num">${this.values[i] === null ? '—' : formatValue(this.values[i], this.unit)}</td><td>${this.notes[i] ?? ''}</td></tr>`)}</tbody>
        </table>
        ${this.thresholds.length ? html`<p>Thresholds: ${this.thresholds.map((t) => html`<span>${this.label(t)} (rule <code>${t.ruleId}</code>) </span>`)}</p>` : ''}
      </details>`;
  }
}
customElements.define('trend-chart', TrendChart);
declare global {
  interface HTMLElementTagNameMap {
    'trend-chart': TrendChart;
  }
}
