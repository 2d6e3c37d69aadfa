// Chart.js with only the parts the UI draws (lines, bars, threshold annotations, linear and
// logarithmic value axes), registered once; colours and dashes shared by every chart so an
// outcome always looks the same; the value axis of ./axis.ts as Chart.js options; a legend in
// HTML (read by screen readers, wraps on a narrow screen); and the base of the chart elements.
import { LitElement, css, html, svg, type TemplateResult } from 'lit';
import { BarController, BarElement, CategoryScale, Chart, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip, type ChartConfiguration, type ChartType, type Scale } from 'chart.js';
import annotationPlugin from 'chartjs-plugin-annotation';
import type { Axis } from './axis.ts';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, LogarithmicScale, Tooltip, annotationPlugin);
Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif";
Chart.defaults.color = '#424a53';
Chart.defaults.animation = false;

export const OUTCOME_COLOURS: Record<string, string> = { recognition: '#1a7f37', coaching: '#bf8700', pip: '#cf222e' };
/** Threshold lines differ by dash as well as colour, for readers who do not tell the colours apart. */
export const OUTCOME_DASHES: Record<string, number[]> = { recognition: [2, 3], coaching: [8, 4], pip: [14, 4, 3, 4] };
export const SERIES_COLOUR = '#0969da';

export { Chart };

/**
 * A value axis as Chart.js options: its range, and exactly its ticks and their labels (Chart.js
 * would pick its own between min and max).
 */
export function valueScale(axis: Axis) {
  const labels = new Map(axis.ticks.map((t) => [t.value, t.label]));
  return {
    type: axis.scale,
    min: axis.min,
    max: axis.max,
    afterBuildTicks: (scale: Scale) => {
      scale.ticks = axis.ticks.map((t) => ({ value: t.value }));
    },
    ticks: { autoSkip: false, callback: (v: number | string) => labels.get(Number(v)) ?? '' },
  };
}

export interface LegendItem {
  label: string;
  /** Words after the label, quieter: "(coaching below it)". */
  note?: string;
  colour: string;
  /** A line's dash pattern (a solid line without); a filled box for bars. */
  dash?: number[];
  box?: boolean;
}

/** The legend under a chart: a swatch drawn like the line or bar, and its name in words. */
export function legendView(name: string, items: LegendItem[]): TemplateResult {
  return html`<ul class="legend" aria-label=${name}>${items.map((i) => html`<li>
    <svg width="28" height="12" aria-hidden="true">${i.box
      ? svg`<rect x="4" y="1" width="20" height="10" rx="2" fill=${i.colour}></rect>`
      : svg`<line x1="1" y1="6" x2="27" y2="6" stroke=${i.colour} stroke-width=${i.dash ? 2 : 3} stroke-dasharray=${i.dash?.join(' ') ?? 'none'}></line>`}</svg>
    <span>${i.label}${i.note ? html` <span class="muted">${i.note}</span>` : ''}</span></li>`)}</ul>`;
}

/** Styles of a chart element: the chart as wide as its container, the legend, the data table. */
export const chartStyles = css`
  :host { display: block; min-width: 0; }
  .box { position: relative; width: 100%; height: 220px; }
  h3 { margin: 0 0 0.1rem; font-size: 0.98rem; }
  .legend { list-style: none; margin: 0.4rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; font-size: 0.85rem; }
  .legend li { display: inline-flex; align-items: center; gap: 0.35rem; }
  .legend svg { flex: none; }
  details { margin-top: 0.4rem; font-size: 0.85rem; }
  summary { cursor: pointer; color: #0550ae; }
`;

/**
 * An element that draws one chart on the canvas it renders. The chart is drawn anew by draw()
 * (subclasses call it when their data change), destroyed when the element is removed (Chart.js
 * keeps the canvas and its listeners) and drawn again when it is attached again.
 */
export abstract class ChartElement<T extends ChartType> extends LitElement {
  protected chart?: Chart<T>;

  /** The chart to draw, from the element's current properties. */
  protected abstract chartConfig(): ChartConfiguration<T>;

  protected draw() {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas) return;
    this.chart?.destroy();
    this.chart = new Chart<T>(canvas, this.chartConfig());
  }

  disconnectedCallback() {
    this.chart?.destroy();
    this.chart = undefined;
    super.disconnectedCallback();
  }

  connectedCallback() {
    super.connectedCallback();
    if (this.hasUpdated) this.draw();
  }
}
