// One policy: the YAML editor with live diagnostics and publish, the preview of the draft's
// impact and fairness, and the version history. The draft survives switching tabs and
// reloading the page (sessionStorage), and a publish that lost a race (409) keeps it.
import { LitElement, html, css, nothing } from 'lit';
import { Task, TaskStatus } from '@lit/task';
import { api, ApiError, type ApiDiagnostic, type Principal } from '../api/index.ts';
import { href } from '../router.ts';
import { can } from '../lib/permissions.ts';
import { formatDateTime } from '../lib/format.ts';
import { errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';
import './policy-editor.ts';
import './policy-preview.ts';
import './policy-history.ts';

interface Draft {
  yaml: string;
  baseVersion: number;
}

const draftKey = (id: string) => `appraise.draft.${id}`;

export class PolicyPage extends LitElement {
  static properties = {
    principal: { attribute: false }, policyId: {}, tab: {},
    draft: { state: true }, comment: { state: true }, publishing: { state: true }, publishError: { state: true }, notice: { state: true },
  };
  static styles = [shared, css`
    .publish { margin-top: 1rem; }
    .head { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: baseline; }
    .meta { font-size: 0.9rem; }
  `];
  declare principal: Principal;
  declare policyId: string;
  declare tab: 'edit' | 'preview' | 'history';
  declare draft: Draft | null;
  declare comment: string;
  declare publishing: boolean;
  declare publishError: unknown;
  declare notice: string;

  private readonly data = new Task(this, {
    task: async ([id]: [string], { signal }) => {
      const [detail, catalogue] = await Promise.all([api.policy(id, { signal }), api.catalogue({ signal })]);
      const saved = this.loadDraft(id);
      if (!this.draft) {
        this.draft = saved && saved.yaml !== detail.latest.yaml ? saved : { yaml: detail.latest.yaml, baseVersion: detail.latest.version };
        if (saved && saved.yaml !== detail.latest.yaml && !this.notice) this.notice = `Restored your unpublished draft (based on v${saved.baseVersion}).`;
      }
      return { detail, catalogue };
    },
    args: () => [this.policyId] as [string],
  });

  constructor() {
    super();
    this.policyId = '';
    this.tab = 'edit';
    this.draft = null;
    this.comment = '';
    this.publishing = false;
    this.publishError = null;
    this.notice = '';
  }

  private loadDraft(id: string): Draft | null {
    try {
      const raw = sessionStorage.getItem(draftKey(id));
      return raw ? (JSON.parse(raw) as Draft) : null;
    } catch {
      return null;
    }
  }

  private setDraft(yaml: string) {
    if (!this.draft) return;
    this.draft = { ...this.draft, yaml };
    sessionStorage.setItem(draftKey(this.policyId), JSON.stringify(this.draft));
  }

  private discard(latestYaml: string, latestVersion: number) {
    sessionStorage.removeItem(draftKey(this.policyId));
    this.draft = { yaml: latestYaml, baseVersion: latestVersion };
    this.notice = '';
    this.publishError = null;
  }

  private async publish(e: SubmitEvent) {
    e.preventDefault();
    if (!this.draft) return;
    this.publishing = true;
    this.publishError = null;
    this.notice = '';
    try {
      const r = await api.publish(this.policyId, { yaml: this.draft.yaml, comment: this.comment.trim(), baseVersion: this.draft.baseVersion });
      sessionStorage.removeItem(draftKey(this.policyId));
      this.notice = r.changed ? `Published v${r.version.version}.` : `Nothing to publish: the text equals v${r.version.version}.`;
      this.comment = '';
      this.draft = { yaml: this.draft.yaml, baseVersion: r.version.version };
      await this.data.run();
    } catch (err) {
      // A 409 (someone published first) or 422 (errors): the draft stays as it is; after a 409
      // the latest version and the history are fetched again.
      this.publishError = err;
      if (err instanceof ApiError && err.status === 409) void this.data.run();
    } finally {
      this.publishing = false;
    }
  }

  private publishForm(latestVersion: number, latestYaml: string) {
    const d = this.draft!;
    const changed = d.yaml !== latestYaml;
    const err = this.publishError;
    const diagnostics = err instanceof ApiError ? ((err.details.diagnostics as ApiDiagnostic[] | undefined) ?? []) : [];
    return html`<form class="publish card stack" @submit=${this.publish} aria-labelledby="publish-h">
      <h2 id="publish-h" style="margin-top:0">Publish</h2>
      <p class="small muted">${changed ? html`<strong>Unpublished changes</strong> based on v${d.baseVersion}.` : html`The editor holds v${latestVersion} as published.`}
        ${d.baseVersion !== latestVersion ? html` <strong>v${latestVersion} has been published since.</strong>` : ''}</p>
      <label>Comment (why this version)
        <textarea name="comment" maxlength="2000" required .value=${this.comment} @input=${(e: Event) => (this.comment = (e.target as HTMLTextAreaElement).value)}></textarea></label>
      ${err ? html`<div class="notice error" role="alert"><strong>${err instanceof ApiError && err.status === 409 ? 'Not published: someone else published first. ' : 'Not published. '}</strong>${err instanceof Error ? err.message : String(err)}
          ${err instanceof ApiError && err.status === 409 ? html`<div class="small">Your draft is kept. Look at the history, then discard your draft or publish it again on top of the latest version.</div>` : ''}
          ${diagnostics.length ? html`<ul>${diagnostics.map((x) => html`<li>line ${x.line}, column ${x.column}: ${x.message}</li>`)}</ul>` : ''}</div>` : ''}
      <div class="row">
        <button class="primary" type="submit" ?disabled=${this.publishing || !this.comment.trim()}>${this.publishing ? 'Publishing…' : 'Publish'}</button>
        ${err instanceof ApiError && err.status === 409 ? html`<button type="button" @click=${() => { this.draft = { ...d, baseVersion: latestVersion }; this.publishError = null; }}>Publish on top of v${latestVersion}</button>` : ''}
        ${changed ? html`<button type="button" class="danger" @click=${() => this.discard(latestYaml, latestVersion)}>Discard draft</button>` : ''}
      </div>
    </form>`;
  }

  render() {
    const mayPublish = can(this.principal?.role, 'publishPolicies');
    const maySimulate = can(this.principal?.role, 'simulate');
    const tabs = [['edit', mayPublish ? 'Edit' : 'Text'], ...(maySimulate ? [['preview', 'Preview']] : []), ['history', 'History']] as Array<[string, string]>;
    // While the policy is fetched again (after a publish), the screen stays as it is.
    const v = this.data.value;
    if (!v || v.detail.latest.policyId !== this.policyId) {
      return this.data.render({
        pending: () => loadingView('Loading the policy…'),
        error: (e) => html`<p><a href="/policies">← Policies</a></p>${errorView(e, () => this.data.run())}`,
      });
    }
    const { detail, catalogue } = v;
    const latest = detail.latest;
    return html`
      <p class="small"><a href="/policies">← Policies</a></p>
      <div class="head"><h1>${latest.title}</h1><code>${latest.policyId}</code></div>
      <p class="meta muted">v${latest.version} published ${formatDateTime(latest.publishedAt)} by ${latest.author}${latest.comment ? html` — “${latest.comment}”` : ''}</p>
      <nav class="tabs" aria-label="Policy">
        ${tabs.map(([t, label]) => html`<a href=${href.policy(this.policyId, t)} aria-current=${this.tab === t ? 'page' : nothing}>${label}</a>`)}
      </nav>
      ${this.data.status === TaskStatus.ERROR ? errorView(this.data.error, () => this.data.run()) : ''}
      ${this.notice ? html`<p class="notice ${this.notice.startsWith('Restored') ? 'info' : 'success'}" role="status">${this.notice}</p>` : ''}
      ${this.tab === 'history'
        ? html`<policy-history .policyId=${this.policyId} .versions=${detail.versions} ?canPublish=${mayPublish}
            @published=${(e: CustomEvent<{ version: { version: number }; rollback: number }>) => { this.notice = `Rolled back: v${e.detail.version.version} has the text of v${e.detail.rollback}.`; this.draft = null; sessionStorage.removeItem(draftKey(this.policyId)); void this.data.run(); }}></policy-history>`
        : this.tab === 'preview' && maySimulate
          ? html`<p class="small muted">${this.draft && this.draft.yaml !== latest.yaml ? `Previewing your draft (based on v${this.draft.baseVersion}).` : `The draft equals v${latest.version}; edit it to see a difference.`}</p>
              <policy-preview .policyId=${this.policyId} .yaml=${this.draft?.yaml ?? latest.yaml}></policy-preview>`
          : html`
            <policy-editor .value=${this.draft?.yaml ?? latest.yaml} .catalogue=${catalogue} ?read-only=${!mayPublish}
              .validator=${async (text: string) => (await api.validate(text)).diagnostics}
              @change=${(e: CustomEvent<{ value: string }>) => this.setDraft(e.detail.value)}></policy-editor>
            ${mayPublish ? this.publishForm(latest.version, latest.yaml) : html`<p class="small muted">Your role can read policies; publishing is for HR and administrators.</p>`}`}`;
  }
}
customElements.define('policy-page', PolicyPage);
declare global {
  interface HTMLElementTagNameMap {
    'policy-page': PolicyPage;
  }
}
