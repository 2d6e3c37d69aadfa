// One metric over recent periods as a line, with the policy's thresholds drawn across it
// (Chart.js with chartjs-plugin-annotation). A period without enough data is a gap, not a 0.
// The value axis (../lib/axis.ts) reaches every threshold and never shows what the metric
// cannot be; the legend names the line and each threshold in words. The numbers are also in a
// table under "Data" for screen readers and keyboard users.
import { html, css, type PropertyValues } from 'lit';
import type { ChartConfiguration } from 'chart.js';
import type { Threshold } from '../api/types.ts';
import { chartValue, valueAxis } from '../lib/axis.ts';
import { ChartElement, chartStyles, legendView, OUTCOME_COLOURS, OUTCOME_DASHES, SERIES_COLOUR, valueScale, type LegendItem } from '../lib/chart.ts';
import { operatorSymbol, operatorWords, OUTCOME_LABEL } from '../lib/format.ts';
import { shared } from '../styles/shared.ts';

const OUTCOME_NOUN: Record<string, string> = { recognition: 'recognition', coaching: 'coaching', pip: 'a PIP' };
const RELATION: Record<string, string> = { lessThan: 'below', lessThanInclusive: 'at or below', greaterThan: 'above', greaterThanInclusive: 'at or above', equal: 'at', notEqual: 'away from' };

/**
 * @csspart canvas - the chart's canvas.
 */
export class TrendChart extends ChartElement<'line'> {
  static properties = {
    heading: {}, subheading: {}, unit: {}, seriesLabel: {},
    range: { attribute: false }, labels: { attribute: false }, values: { attribute: false }, notes: { attribute: false }, thresholds: { attribute: false },
  };
  static styles = [shared, chartStyles, css`.scale-note { margin: 0.2rem 0 0; }`];
  declare heading: string;
  declare subheading: string;
  declare unit: string;
  /** The line's name in the legend (the heading when empty): "Average for Support North". */
  declare seriesLabel: string;
  /** The metric's declared [min, max], null where unbounded: the axis never goes past it. */
  declare range: [number | null, number | null] | null;
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
    this.seriesLabel = '';
    this.range = null;
    this.labels = [];
    this.values = [];
    this.notes = [];
    this.thresholds = [];
  }

  private label(t: Threshold) {
    return `${OUTCOME_LABEL[t.outcome] ?? t.outcome} ${operatorSymbol(t.operator)} ${chartValue(t.value, this.unit)}`;
  }

  /** The thresholds to draw, highest first as on the chart: one line per outcome, operator and value (two rules may share one). */
  private lines(): Threshold[] {
    const seen = new Set<string>();
    return this.thresholds
      .filter((t) => {
        const key = `${t.outcome} ${t.operator} ${t.value}`;
        return !seen.has(key) && seen.add(key);
      })
      .sort((a, b) => b.value - a.value);
  }

  private axis() {
    return valueAxis({ values: this.values, thresholds: this.lines().map((t) => t.value), unit: this.unit, range: this.range });
  }

  protected chartConfig(): ChartConfiguration<'line'> {
    const annotations = Object.fromEntries(this.lines().map((t, i) => [`t${i}`, {
      type: 'line' as const, yMin: t.value, yMax: t.value, borderColor: OUTCOME_COLOURS[t.outcome] ?? '#57606a', borderWidth: 2, borderDash: OUTCOME_DASHES[t.outcome] ?? [6, 4],
    }]));
    return {
      type: 'line',
      data: { labels: this.labels, datasets: [{ label: this.seriesLabel || this.heading, data: this.values, borderColor: SERIES_COLOUR, backgroundColor: SERIES_COLOUR, spanGaps: false, tension: 0.2, pointRadius: 4 }] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (c) => `${chartValue(c.parsed.y ?? NaN, this.unit)}${this.notes[c.dataIndex] ? ` (${this.notes[c.dataIndex]})` : ''}` } },
          annotation: { annotations },
        },
        scales: {
          y: valueScale(this.axis()),
          x: { ticks: { maxRotation: 0, autoSkip: true } },
        },
      },
    };
  }

  protected updated(changed: PropertyValues) {
    if (['labels', 'values', 'thresholds', 'unit', 'range'].some((k) => changed.has(k))) this.draw();
  }

  private legend() {
    const items: LegendItem[] = [
      { label: this.seriesLabel || this.heading, colour: SERIES_COLOUR },
      ...this.lines().map((t) => ({
        label: `Standard for ${OUTCOME_NOUN[t.outcome] ?? t.outcome}: ${chartValue(t.value, this.unit)}`,
        note: `(${OUTCOME_NOUN[t.outcome] ?? t.outcome} ${RELATION[t.operator] ?? operatorWords(t.operator)} it)`,
        colour: OUTCOME_COLOURS[t.outcome] ?? '#57606a',
        dash: OUTCOME_DASHES[t.outcome] ?? [6, 4],
      })),
    ];
    return legendView(`Legend of ${this.heading}`, items);
  }

  render() {
    const latest = [...this.values].reverse().find((v) => v !== null);
    const summary = `${this.heading}: ${latest === undefined ? 'no value with enough data' : `latest ${chartValue(latest, this.unit)}`}${this.thresholds.length ? `; thresholds ${this.thresholds.map((t) => this.label(t)).join(', ')}` : ''}`;
    return html`
      <h3>${this.heading}</h3>
      ${this.subheading ? html`<div class="small muted">${this.subheading}</div>` : ''}
      <div class="box"><canvas part="canvas" role="img" aria-label=${summary}></canvas></div>
      ${this.legend()}
      ${this.axis().scale === 'logarithmic' ? html`<p class="small muted scale-note">Logarithmic scale: each step up the axis multiplies the time, so short times stay readable below a far standard.</p>` : ''}
      <details><summary>Data</summary>
        <table><thead><tr><th>Period</th><th class="num">Value</th><th>Note</th></tr></thead>
          <tbody>${this.labels.map((l, i) => html`<tr><td>${l}</td><td class="num">${this.values[i] === null || this.values[i] === undefined ? '—' : chartValue(this.values[i]!, this.unit)}</td><td>${this.notes[i] ?? ''}</td></tr>`)}</tbody>
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
