// A policy's published versions: who, when and why, a side-by-side diff of any two versions,
// and a rollback (which publishes the old text as a new version; nothing is ever deleted).
// Which two versions are compared lives in the URL (`?from=&to=`, see href.policyHistory), so
// a comparison can be bookmarked and survives a reload; without it, the latest version is
// compared with the one before it — after a rollback, the rollback with what it replaced.
import { LitElement, html, css, nothing } from 'lit';
import { Task } from '@lit/task';
import { api, type PolicyVersion } from '../api/index.ts';
import { href, navigate } from '../router.ts';
import { formatDateTime } from '../lib/format.ts';
import { errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';
import './diff-view.ts';

/**
 * @fires published - `detail: {version, changed, rollback}` after a rollback published a new version.
 */
export class PolicyHistory extends LitElement {
  static properties = {
    policyId: {}, versions: { attribute: false }, canPublish: { type: Boolean }, compareFrom: { type: Number }, compareTo: { type: Number },
    rollbackTo: { state: true }, error: { state: true }, busy: { state: true },
  };
  static styles = [shared, css`
    form.rollback { margin-top: 0.5rem; }
    tr[data-compare] td { background: #ddf4ff; }
  `];
  declare policyId: string;
  /** Newest first. */
  declare versions: PolicyVersion[];
  declare canPublish: boolean;
  /** The versions the URL asks to compare; 0 (or one that does not exist) for the default. */
  declare compareFrom: number;
  declare compareTo: number;
  declare rollbackTo: number | null;
  declare error: unknown;
  declare busy: boolean;

  private readonly diff = new Task(this, {
    task: async ([id, from, to]: [string, number, number], { signal }) => (from && to ? api.diff(id, from, to, { signal }) : null),
    args: () => [this.policyId, this.from, this.to] as [string, number, number],
  });

  constructor() {
    super();
    this.policyId = '';
    this.versions = [];
    this.canPublish = false;
    this.compareFrom = 0;
    this.compareTo = 0;
    this.rollbackTo = null;
    this.error = null;
    this.busy = false;
  }

  private has(version: number): boolean {
    return this.versions.some((v) => v.version === version);
  }

  /** The newer side: the one asked for, else the latest. */
  get to(): number {
    return this.has(this.compareTo) ? this.compareTo : (this.versions[0]?.version ?? 0);
  }

  /** The older side: the one asked for, else the version published before `to`. */
  get from(): number {
    if (this.has(this.compareFrom)) return this.compareFrom;
    const i = this.versions.findIndex((v) => v.version === this.to);
    return this.versions[i + 1]?.version ?? this.to;
  }

  private compare(from: number, to: number) {
    navigate(href.policyHistory(this.policyId, { from, to }), { replace: true });
  }

  private async rollback(e: SubmitEvent) {
    e.preventDefault();
    const version = this.rollbackTo!;
    const comment = new FormData(e.target as HTMLFormElement).get('comment')?.toString().trim() ?? '';
    this.busy = true;
    this.error = null;
    try {
      const r = await api.rollback(this.policyId, { version, ...(comment ? { comment } : {}) });
      this.rollbackTo = null;
      this.dispatchEvent(new CustomEvent('published', { detail: { version: r.version, changed: r.changed, rollback: version }, bubbles: true, composed: true }));
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private select(label: string, value: number, set: (v: number) => void) {
    return html`<label>${label}
      <select @change=${(e: Event) => set(Number((e.target as HTMLSelectElement).value))}>
        ${this.versions.map((v) => html`<option value=${v.version} .selected=${v.version === value}>v${v.version} · ${formatDateTime(v.publishedAt)}</option>`)}
      </select></label>`;
  }

  /** A version's four-eyes review, when it had one. */
  private review(v: PolicyVersion) {
    if (v.status === 'proposed') return html` <span class="badge warning">awaiting approval</span>`;
    if (v.status === 'rejected') return html` <span class="badge error">rejected</span>`;
    return v.reviewedBy ? html` <span class="badge neutral">approved</span>` : '';
  }

  render() {
    // In force: the newest published one (a proposed or rejected version can be newer).
    const latest = this.versions.find((v) => v.status === 'published')?.version;
    const [from, to] = [this.from, this.to];
    const side = (v: number) => (v === to ? 'to' : v === from ? 'from' : undefined);
    return html`
      <div class="table-wrap"><table>
        <caption class="sr-only">Versions</caption>
        <thead><tr><th>Version</th><th>Published</th><th>Author</th><th>Comment</th><th>Changes</th>${this.canPublish ? html`<th><span class="sr-only">Actions</span></th>` : ''}</tr></thead>
        <tbody>${this.versions.map((v, i) => {
          const before = this.versions[i + 1]?.version;
          return html`<tr data-version=${v.version} data-compare=${side(v.version) ?? nothing}>
          <td>v${v.version}${v.version === latest ? html` <span class="badge ok">in force</span>` : ''}${this.review(v)}${side(v.version) ? html` <span class="badge neutral">${side(v.version) === 'to' ? 'compared: new' : 'compared: old'}</span>` : ''}</td>
          <td>${formatDateTime(v.publishedAt)}</td><td>${v.author}</td>
          <td>${v.comment || html`<span class="muted">—</span>`}${v.rolledBackFrom ? html` <span class="badge neutral">rollback to v${v.rolledBackFrom}</span>` : ''}
            ${v.reviewedBy ? html`<div class="small muted">${v.status === 'rejected' ? 'Rejected' : 'Approved'} by ${v.reviewedBy}: “${v.reviewNote}”</div>` : ''}</td>
          <td>${before ? html`<a href=${href.policyHistory(this.policyId, { from: before, to: v.version })} aria-current=${from === before && to === v.version ? 'true' : nothing}>v${before} → v${v.version}</a>` : html`<span class="muted">first</span>`}</td>
          ${this.canPublish ? html`<td>${v.version !== latest && v.status === 'published' ? html`<button @click=${() => (this.rollbackTo = v.version)}>Roll back to v${v.version}</button>` : ''}</td>` : ''}
        </tr>`;
        })}</tbody>
      </table></div>
      ${this.rollbackTo ? html`<form class="rollback card stack" @submit=${this.rollback}>
          <h3>Roll back to v${this.rollbackTo}</h3>
          <p class="small muted">Publishes the text of v${this.rollbackTo} as a new version. Cases already opened stay as they are.</p>
          <label>Comment <textarea name="comment" maxlength="2000" placeholder="Why roll back?"></textarea></label>
          ${this.error ? errorView(this.error) : ''}
          <div class="row"><button class="primary" type="submit" ?disabled=${this.busy}>Publish v${this.rollbackTo}'s text</button><button type="button" @click=${() => (this.rollbackTo = null)}>Cancel</button></div>
        </form>` : ''}
      <h2 id="compare-h">Compare versions</h2>
      ${this.versions.length < 2 ? html`<p class="muted">There is only one version so far.</p>` : html`
        <div class="row" role="group" aria-labelledby="compare-h" style="margin-bottom:0.75rem">
          ${this.select('From', from, (v) => this.compare(v, to))}${this.select('To', to, (v) => this.compare(from, v))}
          ${from === to ? html`<span class="small muted">The same version on both sides: choose another to see changes.</span>` : ''}
        </div>
        ${this.diff.render({
          pending: () => loadingView('Loading the two versions…'),
          complete: (d) => (d ? html`<diff-view .oldText=${d.fromYaml} .newText=${d.toYaml} .beforeLabel=${`v${d.from}`} .afterLabel=${`v${d.to}`}></diff-view>` : ''),
          error: (e) => errorView(e, () => this.diff.run()),
        })}`}`;
  }
}
customElements.define('policy-history', PolicyHistory);
declare global {
  interface HTMLElementTagNameMap {
    'policy-history': PolicyHistory;
  }
}
