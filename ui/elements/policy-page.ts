// One policy: the YAML editor with live diagnostics and publish, the preview of the draft's
// impact and fairness, its backtest over past cycles, and the version history. With four-eyes
// publish, Publish proposes a version and the versions awaiting review are listed above the
// editor (policy-proposals); Preview and Backtest take `?version=N` to judge a proposed one. The draft survives switching tabs and
// reloading the page (sessionStorage), and a publish that lost a race (409) keeps it. So does
// the last preview of each draft text (lib/impact.ts): Publish shows who the change affects,
// and asks before publishing a change nobody previewed.
import { LitElement, html, css, nothing } from 'lit';
import { Task, TaskStatus } from '@lit/task';
import { api, ApiError, type ApiDiagnostic, type Principal, type SimulateResponse } from '../api/index.ts';
import { href, navigate, type PolicyTab } from '../router.ts';
import { can } from '../lib/permissions.ts';
import { formatDateTime } from '../lib/format.ts';
import { errorView, loadingView } from '../lib/states.ts';
import { PREVIEW_NOTE_MAX, impactStore, isFresh, summarizeImpact, withPreviewNote, type ImpactSummary } from '../lib/impact.ts';
import { shared } from '../styles/shared.ts';
import './policy-editor.ts';
import './policy-preview.ts';
import './policy-backtest.ts';
import './policy-proposals.ts';
import './policy-history.ts';
import './policy-notice.ts';
import './impact-summary.ts';

interface Draft {
  yaml: string;
  baseVersion: number;
}

const draftKey = (id: string) => `appraise.draft.${id}`;

export class PolicyPage extends LitElement {
  static properties = {
    principal: { attribute: false }, policyId: {}, tab: {}, query: { attribute: false },
    draft: { state: true }, comment: { state: true }, publishing: { state: true }, publishError: { state: true }, notice: { state: true },
    confirming: { state: true }, published: { state: true }, previews: { state: true },
  };
  static styles = [shared, css`
    .publish { margin-top: 1rem; }
    .head { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: baseline; }
    .meta { font-size: 0.9rem; }
    .impact { border-top: 1px solid #eaeef2; padding-top: 0.5rem; }
    .impact h3 { margin: 0 0 0.25rem; font-size: 1rem; }
    dialog { border: 1px solid #d0d7de; border-radius: 8px; padding: 1.25rem; max-width: 32rem; }
    dialog::backdrop { background: rgb(31 35 40 / 45%); }
  `];
  declare principal: Principal;
  declare policyId: string;
  declare tab: PolicyTab;
  /** The URL's query: the history's `from` and `to`. */
  declare query: URLSearchParams;
  declare draft: Draft | null;
  declare comment: string;
  declare publishing: boolean;
  declare publishError: unknown;
  declare notice: string;
  /** The publish confirmation is open (a change that was not previewed). */
  declare confirming: boolean;
  /** The version just published and the preview it was published with (null: without one). */
  declare published: { version: number; impact: ImpactSummary | null } | null;
  /** Bumped when a preview is stored, so the publish form looks again. */
  declare previews: number;

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

  /** The text of the version named by `?version=` (a proposed one, to preview or backtest it). */
  private readonly named = new Task(this, {
    task: async ([id, version]: [string, number], { signal }) => (version ? api.version(id, version, { signal }) : null),
    args: () => [this.policyId, Number(this.query.get('version')) || 0] as [string, number],
  });

  constructor() {
    super();
    this.policyId = '';
    this.tab = 'edit';
    this.query = new URLSearchParams();
    this.draft = null;
    this.comment = '';
    this.publishing = false;
    this.publishError = null;
    this.notice = '';
    this.confirming = false;
    this.published = null;
    this.previews = 0;
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
    this.published = null;
    sessionStorage.setItem(draftKey(this.policyId), JSON.stringify(this.draft));
  }

  private discard(latestYaml: string, latestVersion: number) {
    sessionStorage.removeItem(draftKey(this.policyId));
    impactStore.forget(this.policyId);
    this.draft = { yaml: latestYaml, baseVersion: latestVersion };
    this.notice = '';
    this.publishError = null;
  }

  /** The last preview of the draft's text, if any, fresh or not (the search hashes the text: once per text). */
  private previewOf(yaml: string): ImpactSummary | null {
    const key = `${this.policyId}\u0000${this.previews}\u0000${yaml}`;
    if (this.previewCache?.key !== key) this.previewCache = { key, summary: impactStore.find(this.policyId, yaml) };
    return this.previewCache.summary;
  }
  private previewCache?: { key: string; summary: ImpactSummary | null };

  private onPreviewed(e: CustomEvent<{ yaml: string; result: SimulateResponse }>) {
    impactStore.save(this.policyId, summarizeImpact(e.detail.yaml, e.detail.result));
    this.previews++;
  }

  private submitPublish(e: SubmitEvent, latestVersion: number, latestYaml: string) {
    e.preventDefault();
    if (!this.draft) return;
    const impact = this.previewOf(this.draft.yaml);
    // Publishing the published text changes nothing, so there is nothing to preview.
    if (this.draft.yaml !== latestYaml && !isFresh(impact, this.draft.yaml, latestVersion)) {
      this.confirming = true;
      return;
    }
    void this.publish(isFresh(impact, this.draft.yaml, latestVersion) ? impact : null);
  }

  private async publish(impact: ImpactSummary | null) {
    if (!this.draft) return;
    this.confirming = false;
    this.publishing = true;
    this.publishError = null;
    this.notice = '';
    this.published = null;
    try {
      const comment = withPreviewNote(this.comment, impact);
      // The preview travels with the publish: with four-eyes publish, the reviewer judges by it.
      const seen = impact ? { preview: impact, fairness: { checked: impact.fairnessChecked, flags: impact.flags } } : {};
      const r = await api.publish(this.policyId, { yaml: this.draft.yaml, comment, baseVersion: this.draft.baseVersion, ...seen });
      sessionStorage.removeItem(draftKey(this.policyId));
      impactStore.forget(this.policyId);
      this.comment = '';
      if (r.awaitingApproval) {
        // Kept as a proposed version, listed above the editor; the editor goes back to the text in force.
        this.notice = `Proposed v${r.version.version}. It goes in force once another person with the HR or administrator role approves it.`;
      } else {
        this.notice = r.changed ? `Published v${r.version.version}.` : `Nothing to publish: the text equals v${r.version.version}.`;
        if (r.changed) this.published = { version: r.version.version, impact };
        this.draft = { yaml: this.draft.yaml, baseVersion: r.version.version };
      }
      await this.data.run();
      if (r.awaitingApproval) this.followLatest();
    } catch (err) {
      // A 409 (someone published first) or 422 (errors): the draft stays as it is; after a 409
      // the latest version and the history are fetched again.
      this.publishError = err;
      if (err instanceof ApiError && err.status === 409) void this.data.run();
    } finally {
      this.publishing = false;
    }
  }

  protected updated() {
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>('dialog#confirm-publish');
    if (this.confirming && dialog && !dialog.open) dialog.showModal();
    if (!this.confirming && dialog?.open) dialog.close();
  }

  private confirmDialog() {
    return html`<dialog id="confirm-publish" aria-labelledby="confirm-h" aria-describedby="confirm-d" @close=${() => (this.confirming = false)}>
      ${this.confirming ? html`<div class="stack">
        <h2 id="confirm-h" style="margin-top:0">Publish without a preview?</h2>
        <p id="confirm-d">You have not previewed this change. Publish without knowing who it affects?</p>
        <p class="small muted">The preview runs the draft on current data and lists who newly gets recognition, coaching or a PIP, who no longer does, and any fairness flags. Nothing is written.</p>
        <div class="row">
          <button class="primary" autofocus @click=${() => { this.confirming = false; navigate(href.policy(this.policyId, 'preview')); }}>Preview</button>
          <button @click=${() => void this.publish(null)}>Publish anyway</button>
        </div>
      </div>` : ''}
    </dialog>`;
  }

  /** What the preview of this draft found, beside the Publish button. */
  private impactView(latestVersion: number, changed: boolean) {
    if (!changed) return '';
    const d = this.draft!;
    const impact = this.previewOf(d.yaml);
    // Not a second link named "Preview" beside the tab: "See who it would affect" says where it leads.
    const see = (words: string) => html`<a href=${href.policy(this.policyId, 'preview')}>${words}</a>`;
    return html`<section class="impact" aria-labelledby="impact-h">
      <h3 id="impact-h">Who this change affects</h3>
      ${isFresh(impact, d.yaml, latestVersion)
        ? html`<impact-summary .summary=${impact}></impact-summary>`
        : impact
          ? html`<p class="small" data-preview="stale">Your preview of this text was against v${impact.publishedVersion}; v${latestVersion} has been published since. ${see('See who it affects now')}.</p>`
          : html`<p class="small" data-preview="none">Not previewed yet. ${see('See who it would affect')} before you publish.</p>`}
    </section>`;
  }

  private publishForm(latestVersion: number, latestYaml: string) {
    const d = this.draft!;
    const changed = d.yaml !== latestYaml;
    const err = this.publishError;
    const diagnostics = err instanceof ApiError ? ((err.details.diagnostics as ApiDiagnostic[] | undefined) ?? []) : [];
    return html`<form class="publish card stack" @submit=${(e: SubmitEvent) => this.submitPublish(e, latestVersion, latestYaml)} aria-labelledby="publish-h">
      <h2 id="publish-h" style="margin-top:0">Publish</h2>
      <p class="small muted">${changed ? html`<strong>Unpublished changes</strong> based on v${d.baseVersion}.` : html`The editor holds v${latestVersion} as published.`}
        ${d.baseVersion !== latestVersion ? html` <strong>v${latestVersion} has been published since.</strong>` : ''}</p>
      ${this.impactView(latestVersion, changed)}
      <label>Comment (why this version)
        <textarea name="comment" maxlength=${2000 - PREVIEW_NOTE_MAX - 1} required .value=${this.comment} @input=${(e: Event) => (this.comment = (e.target as HTMLTextAreaElement).value)}></textarea></label>
      ${err ? html`<div class="notice error" role="alert"><strong>${err instanceof ApiError && err.status === 409 ? 'Not published: someone else published first. ' : 'Not published. '}</strong>${err instanceof Error ? err.message : String(err)}
          ${err instanceof ApiError && err.status === 409 ? html`<div class="small">Your draft is kept. Look at the history, then discard your draft or publish it again on top of the latest version.</div>` : ''}
          ${diagnostics.length ? html`<ul>${diagnostics.map((x) => html`<li>line ${x.line}, column ${x.column}: ${x.message}</li>`)}</ul>` : ''}</div>` : ''}
      <div class="row">
        <button class="primary" type="submit" ?disabled=${this.publishing || !this.comment.trim()}>${this.publishing ? 'Publishing…' : 'Publish'}</button>
        ${err instanceof ApiError && err.status === 409 ? html`<button type="button" @click=${() => { this.draft = { ...d, baseVersion: latestVersion }; this.publishError = null; }}>Publish on top of v${latestVersion}</button>` : ''}
        ${changed ? html`<button type="button" class="danger" @click=${() => this.discard(latestYaml, latestVersion)}>Discard draft</button>` : ''}
      </div>
      <p class="small muted" style="margin:0">The comment records whether the change was previewed.</p>
    </form>
    ${this.confirmDialog()}`;
  }

  private onReviewed(e: CustomEvent<{ version: number; decision: 'approve' | 'reject' }>) {
    const { version, decision } = e.detail;
    // The text in force changes: an editor holding the text in force (no edits of its own) follows it.
    const unedited = this.draft?.yaml === this.data.value?.detail.latest.yaml;
    // Said once the page shows the versions as they are now, never beside the old state.
    void this.data.run().then(() => {
      if (unedited) this.followLatest();
      this.notice = decision === 'approve' ? `Approved v${version}: it is in force from the next run.` : `Rejected v${version}: it stays in the history, marked rejected.`;
    });
  }

  /** The editor holds the text in force again (after a proposal, which is kept as its own version). */
  private followLatest() {
    const latest = this.data.value?.detail.latest;
    if (!latest) return;
    sessionStorage.removeItem(draftKey(this.policyId));
    this.draft = { yaml: latest.yaml, baseVersion: latest.version };
  }

  /** What Preview and Backtest run: the version named by `?version=`, else the draft. */
  private judged(latest: { version: number; yaml: string }) {
    const n = Number(this.query.get('version')) || 0;
    const v = this.named.value;
    if (n && v && v.version === n) {
      const words = v.status === 'proposed' ? `proposed v${n} by ${v.author}, not in force yet` : `v${n} (${v.status === 'rejected' ? 'rejected' : 'published'})`;
      return { yaml: v.yaml, words: html`Judging ${words}. <a href=${href.policy(this.policyId, this.tab)}>Back to your draft</a>.` };
    }
    if (n) return { yaml: '', words: this.named.render({ pending: () => loadingView(`Loading v${n}…`), error: (e) => errorView(e, () => this.named.run()) }) };
    const d = this.draft;
    return { yaml: d?.yaml ?? latest.yaml, words: d && d.yaml !== latest.yaml ? `${this.tab === 'preview' ? 'Previewing' : 'Backtesting'} your draft (based on v${d.baseVersion}).` : `The draft equals v${latest.version}; edit it to see a difference.` };
  }

  private onRolledBack(version: number, rollback: number) {
    this.notice = `Rolled back: v${version} has the text of v${rollback}.`;
    this.draft = null;
    this.published = null;
    sessionStorage.removeItem(draftKey(this.policyId));
    impactStore.forget(this.policyId);
    // Compare the new version with the one it replaced: drop a comparison chosen before.
    if (this.query.has('from') || this.query.has('to')) navigate(href.policyHistory(this.policyId), { replace: true });
    void this.data.run();
  }

  private judgeView(latest: { version: number; yaml: string }) {
    const j = this.judged(latest);
    const named = Number(this.query.get('version')) > 0;
    return html`<p class="small muted" data-judging>${j.words}</p>
      ${!j.yaml ? '' : this.tab === 'preview'
        // Only the draft's preview is kept for Publish; a proposed version's is not the draft's.
        ? html`<policy-preview .policyId=${this.policyId} .yaml=${j.yaml} @previewed=${named ? null : this.onPreviewed}></policy-preview>`
        : html`<policy-backtest .policyId=${this.policyId} .yaml=${j.yaml} .label=${named ? `v${this.query.get('version')}` : 'the draft'}></policy-backtest>`}`;
  }

  render() {
    const mayPublish = can(this.principal?.role, 'publishPolicies');
    const maySimulate = can(this.principal?.role, 'simulate');
    const tabs = [['edit', mayPublish ? 'Edit' : 'Text'], ...(maySimulate ? [['preview', 'Preview'], ['backtest', 'Backtest']] : []), ['history', 'History'], ['notice', 'Notice']] as Array<[string, string]>;
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
      ${this.published && this.published.version === latest.version && this.tab === 'edit' ? html`<section class="card impact" aria-labelledby="published-impact-h" data-published=${this.published.version}>
          <h3 id="published-impact-h">Who v${this.published.version} affects</h3>
          ${this.published.impact ? html`<impact-summary .summary=${this.published.impact}></impact-summary>` : html`<p class="small" data-preview="none">Published without a preview, so who it affects is not known here.</p>`}
        </section>` : ''}
      ${this.tab === 'notice'
        ? html`<policy-notice .policyId=${this.policyId} .versions=${detail.versions}></policy-notice>`
        : this.tab === 'history'
        ? html`<policy-history .policyId=${this.policyId} .versions=${detail.versions} ?canPublish=${mayPublish}
            .compareFrom=${Number(this.query.get('from')) || 0} .compareTo=${Number(this.query.get('to')) || 0}
            @published=${(e: CustomEvent<{ version: { version: number }; rollback: number }>) => this.onRolledBack(e.detail.version.version, e.detail.rollback)}></policy-history>`
        : (this.tab === 'preview' || this.tab === 'backtest') && maySimulate
          ? this.judgeView(latest)
          : html`
            ${mayPublish ? html`<policy-proposals .policyId=${this.policyId} .principal=${this.principal} .proposed=${detail.versions.filter((x) => x.status === 'proposed')} @reviewed=${this.onReviewed}></policy-proposals>` : ''}
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
