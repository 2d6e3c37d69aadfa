// The policy page's Notice tab: the worker notice of each version that went in force, as it
// was published (what the workers were told), the one in force first. HR prints it or sends it
// to the works council; `npx appraise policies notice <id> --format html` gives the same page.
import { LitElement, html } from 'lit';
import { Task } from '@lit/task';
import { api, type PolicyVersion } from '../api/index.ts';
import { formatDate } from '../lib/format.ts';
import { errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';
import './worker-notice-view.ts';

export class PolicyNotice extends LitElement {
  static properties = { policyId: {}, versions: { attribute: false }, version: { state: true } };
  static styles = [shared];
  declare policyId: string;
  declare versions: PolicyVersion[];
  declare version: number | undefined;

  constructor() {
    super();
    this.policyId = '';
    this.versions = [];
    this.version = undefined;
  }

  private readonly data = new Task(this, {
    task: async ([id, version]: [string, number | undefined], { signal }) => api.notice(id, version, { signal }),
    args: () => [this.policyId, this.version] as [string, number | undefined],
  });

  render() {
    const inForce = this.versions.filter((v) => v.status === 'published');
    return html`<section class="card" aria-labelledby="notice-h">
      <h2 id="notice-h" style="margin-top:0">Worker notice</h2>
      <p class="small muted">Generated from the policy and the metric catalogue when a version goes in force, and kept as it was published. Employees see it under “How I am evaluated”.</p>
      ${inForce.length > 1 ? html`<p><label>Version
        <select @change=${(e: Event) => (this.version = Number((e.target as HTMLSelectElement).value) || undefined)}>
          ${inForce.map((v, i) => html`<option value=${i === 0 ? '' : String(v.version)} ?selected=${(this.version ?? inForce[0].version) === v.version}>v${v.version}, in force from ${formatDate(v.publishedAt)}${i === 0 ? ' (current)' : ''}</option>`)}
        </select></label></p>` : ''}
      ${this.data.render({
        pending: () => loadingView('Loading the notice…'),
        error: (e) => errorView(e, () => this.data.run()),
        complete: (n) => html`<worker-notice-view .notice=${n}></worker-notice-view>`,
      })}
    </section>`;
  }
}
customElements.define('policy-notice', PolicyNotice);
declare global {
  interface HTMLElementTagNameMap {
    'policy-notice': PolicyNotice;
  }
}
