// "How I am evaluated": the worker notices of the policies that apply to the signed-in person
// (GET /api/me/notices), the one in force first, then the earlier versions' notices as they were
// published, so a person can see what they were told when.
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type Principal } from '../api/index.ts';
import { formatDate } from '../lib/format.ts';
import { emptyView, errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';
import './worker-notice-view.ts';

export class MyNoticesPage extends LitElement {
  static properties = { principal: { attribute: false } };
  static styles = [shared, css`
    article { margin-bottom: 1.25rem; }
    article h2 { margin-top: 0; }
    details { margin-top: 0.6rem; }
    details details { margin-left: 1rem; }
    summary { cursor: pointer; font-weight: 600; }
  `];
  declare principal: Principal;

  private readonly data = new Task(this, {
    task: async (_: [], { signal }) => api.myNotices({ signal }),
    args: () => [] as [],
  });

  render() {
    return html`
      <h1>How I am evaluated</h1>
      <p class="muted">Each review policy that applies to you is described here in plain words: what it measures, what can follow, who decides, and how to dispute a case. These notices are generated from the policies themselves.</p>
      ${this.data.render({
        pending: () => loadingView('Loading your notices…'),
        error: (e) => errorView(e, () => this.data.run()),
        complete: (r) => (!r.employeeId
          ? emptyView('Your sign-in is not linked to an employee, so no policy applies to you.')
          : r.policies.length
            ? r.policies.map((p) => html`<article class="card" data-policy=${p.policyId} aria-labelledby="notice-${p.policyId}">
                <h2 id="notice-${p.policyId}">${p.title}</h2>
                <worker-notice-view .notice=${p.current}></worker-notice-view>
                ${p.previous.length ? html`<details>
                  <summary>Earlier versions of this notice (${p.previous.length})</summary>
                  ${p.previous.map((n) => html`<details data-version=${n.version}>
                    <summary>Version ${n.version}, in force from ${formatDate(n.inForceAt)}</summary>
                    <worker-notice-view .notice=${n}></worker-notice-view>
                  </details>`)}
                </details>` : ''}
              </article>`)
            : emptyView('No review policy applies to you at the moment.')),
      })}`;
  }
}
customElements.define('my-notices-page', MyNoticesPage);
declare global {
  interface HTMLElementTagNameMap {
    'my-notices-page': MyNoticesPage;
  }
}
