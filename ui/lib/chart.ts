// Chart.js with only the parts the UI draws (lines, bars, threshold annotations), registered
// once; colours shared by every chart so an outcome always has the same colour; and the base
// of the elements that draw a chart.
import { LitElement } from 'lit';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration, type ChartType } from 'chart.js';
import annotationPlugin from 'chartjs-plugin-annotation';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend, annotationPlugin);
Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif";
Chart.defaults.color = '#424a53';
Chart.defaults.animation = false;

export const OUTCOME_COLOURS: Record<string, string> = { recognition: '#1a7f37', coaching: '#bf8700', pip: '#cf222e' };
export const SERIES_COLOUR = '#0969da';

export { Chart };

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
