// The published policies: title, owner, latest version and who published it when, schedule
// (in words, the cron on hover) and mode.
import { LitElement, html } from 'lit';
import { Task } from '@lit/task';
import { api, type Principal } from '../api/index.ts';
import { href } from '../router.ts';
import { scheduleWords } from '../lib/schedule.ts';
import { emptyView, errorView, loadingView } from '../lib/states.ts';
import { dateTimeView } from '../lib/time-view.ts';
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
        ? emptyView('No policy is published yet. An administrator publishes the first ones; Appraise publishes its example policies when it starts on an empty store.')
        : html`<div class="table-wrap"><table>
          <caption class="sr-only">Published policies</caption>
          <thead><tr><th>Policy</th><th>Owner</th><th>Version</th><th>Last published</th><th>Schedule</th><th>Mode</th></tr></thead>
          <tbody>${policies.map((p) => html`<tr data-policy=${p.policyId}>
            <td><a href=${href.policy(p.policyId)}>${p.title}</a><div class="mono small muted">${p.policyId}</div></td>
            <td>${p.owner ?? '—'}</td><td>v${p.latestVersion}</td>
            <td>${dateTimeView(p.publishedAt)}<div class="small muted">by ${p.author}</div></td>
            <td>${p.schedule ? html`<span title=${`cron: ${p.schedule}`}>${scheduleWords(p.schedule)}</span>` : html`<span class="muted">only when started by hand</span>`}</td>
            <td>${p.noticePeriod && p.mode !== 'audit'
              ? html`<span class="badge warning" data-notice-period>notice period</span><div class="small muted">opens cases from ${dateTimeView(p.noticePeriod.enforcedFrom)}</div>`
              : html`<span class="badge ${p.mode === 'audit' ? 'warning' : 'neutral'}" title=${p.mode === 'audit' ? 'Decisions are recorded; no case is opened and no workflow runs.' : 'Decisions open cases and run their workflows.'}>${p.mode === 'audit' ? 'audit only' : 'opens cases'}</span>`}</td></tr>`)}</tbody>
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
