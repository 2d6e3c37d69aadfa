// The fields of a goal's measure: a metric from the catalogue, a target within its range, a
// direction (from the metric's: higher or lower is better) and the fewest records the value
// needs. Used by the goal form and by the PIP plan's measured goals.
import { LitElement, html } from 'lit';
import type { Measure, MetricInfo } from '../api/index.ts';

/** Reads the measure from a form that holds these fields under `prefix`, or null when no metric is chosen. */
export function measureFromForm(f: FormData, prefix = ''): (Partial<Measure> & { metric: string; target: number }) | null {
  const get = (k: string) => f.get(`${prefix}${k}`)?.toString().trim() ?? '';
  if (!get('metric')) return null;
  const minSamples = get('minSamples');
  return { metric: get('metric'), target: Number(get('target')), direction: get('direction') as Measure['direction'], ...(minSamples ? { minSamples: Number(minSamples) } : {}) };
}

/** The fields themselves, light DOM so the surrounding form submits them. */
export class MeasureFields extends LitElement {
  static properties = { metrics: { attribute: false }, prefix: {}, chosen: { state: true }, legend: {} };
  declare metrics: MetricInfo[];
  declare prefix: string;
  declare chosen: string;
  declare legend: string;

  constructor() {
    super();
    this.metrics = [];
    this.prefix = '';
    this.chosen = '';
    this.legend = 'Measured by';
  }

  /** Light DOM: the inputs belong to the enclosing form. */
  protected createRenderRoot() {
    return this;
  }

  render() {
    const m = this.metrics.find((x) => x.id === this.chosen);
    const [lo, hi] = m?.range ?? [null, null];
    const p = this.prefix;
    return html`<fieldset class="stack"><legend>${this.legend}</legend>
      <label>Metric <select name=${`${p}metric`} @change=${(e: Event) => (this.chosen = (e.target as HTMLSelectElement).value)}>
        <option value="">None: judged by hand</option>
        ${this.metrics.map((x) => html`<option value=${x.id} ?selected=${x.id === this.chosen}>${x.title}</option>`)}
      </select></label>
      ${m ? html`
        <label>Target <input type="number" step="any" name=${`${p}target`} required min=${lo ?? ''} max=${hi ?? ''}>
          <span class="small muted">${lo !== null || hi !== null ? `between ${lo ?? '…'} and ${hi ?? '…'}` : ''}</span></label>
        <label>The value must be <select name=${`${p}direction`}>
          <option value="atLeast" ?selected=${m.direction !== 'lowerIsBetter'}>at least the target</option>
          <option value="atMost" ?selected=${m.direction === 'lowerIsBetter'}>at most the target</option></select></label>
        <label>From at least <input type="number" name=${`${p}minSamples`} min="1" max="100000" value=${m.defaultMinSamples}> records</label>` : ''}
    </fieldset>`;
  }
}
customElements.define('measure-fields', MeasureFields);
declare global {
  interface HTMLElementTagNameMap {
    'measure-fields': MeasureFields;
  }
}
