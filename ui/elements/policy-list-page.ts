// The published policies: title, owner, latest version and who published it when, schedule
// and mode.
import { LitElement, html } from 'lit';
import { Task } from '@lit/task';
import { api, type Principal } from '../api/index.ts';
import { href } from '../router.ts';
import { formatDateTime } from '../lib/format.ts';
import { emptyView, errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';

export class PolicyListPage extends LitElement {
  static properties = { principal: { attribute: false } };
  static styles = [shared];
  declare principal: Principal;

  private readonly data = new Task(this, { task: async (_: [], { signal }) => api.policies({ signal }), args: () => [] as [] });

  render() {
    return html`<h1>Policies</h1>${this.data.render({
      pending: () => loadingView('Loading policies…'),
      error: (e) => errorView(e, () => this.data.run()),
      complete: ({ policies }) => policies.length === 0
        ? emptyView('No policy is published yet. Publish one with `npx appraise policies publish`, or start the server with `npm start` to publish the shipped ones.')
        : html`<div class="table-wrap"><table>
          <caption class="sr-only">Published policies</caption>
          <thead><tr><th>Policy</th><th>Owner</th><th>Version</th><th>Last published</th><th>Schedule</th><th>Mode</th></tr></thead>
          <tbody>${policies.map((p) => html`<tr data-policy=${p.policyId}>
            <td><a href=${href.policy(p.policyId)}>${p.title}</a><div class="mono small muted">${p.policyId}</div></td>
            <td>${p.owner ?? '—'}</td><td>v${p.latestVersion}</td>
            <td>${formatDateTime(p.publishedAt)}<div class="small muted">by ${p.author}</div></td>
            <td>${p.schedule ? html`<code>${p.schedule}</code>` : html`<span class="muted">manual</span>`}</td>
            <td><span class="badge ${p.mode === 'audit' ? 'warning' : 'neutral'}">${p.mode ?? 'enforce'}</span></td></tr>`)}</tbody>
        </table></div>`,
    })}`;
  }
}
customElements.define('policy-list-page', PolicyListPage);
declare global {
  interface HTMLElementTagNameMap {
    'policy-list-page': PolicyListPage;
  }
}
