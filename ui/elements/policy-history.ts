// A policy's published versions: who, when and why, a side-by-side diff of any two versions,
// and a rollback (which publishes the old text as a new version; nothing is ever deleted).
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type PolicyVersion } from '../api/index.ts';
import { formatDateTime } from '../lib/format.ts';
import { errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';
import './diff-view.ts';

/**
 * @fires published - `detail: {version}` after a rollback published a new version.
 */
export class PolicyHistory extends LitElement {
  static properties = {
    policyId: {}, versions: { attribute: false }, canPublish: { type: Boolean },
    from: { state: true }, to: { state: true }, rollbackTo: { state: true }, error: { state: true }, busy: { state: true },
  };
  static styles = [shared, css`
    form.rollback { margin-top: 0.5rem; }
    tr[aria-current='true'] td { background: #f6f8fa; }
  `];
  declare policyId: string;
  /** Newest first. */
  declare versions: PolicyVersion[];
  declare canPublish: boolean;
  declare from: number;
  declare to: number;
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
    this.from = 0;
    this.to = 0;
    this.rollbackTo = null;
    this.error = null;
    this.busy = false;
  }

  protected willUpdate() {
    const latest = this.versions[0]?.version ?? 0;
    if (!this.to && latest) this.to = latest;
    if (!this.from && latest) this.from = this.versions[1]?.version ?? latest;
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
      this.from = 0;
      this.to = 0;
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
        ${this.versions.map((v) => html`<option value=${v.version} ?selected=${v.version === value}>v${v.version} · ${formatDateTime(v.publishedAt)}</option>`)}
      </select></label>`;
  }

  render() {
    const latest = this.versions[0]?.version;
    return html`
      <div class="table-wrap"><table>
        <caption class="sr-only">Published versions</caption>
        <thead><tr><th>Version</th><th>Published</th><th>Author</th><th>Comment</th>${this.canPublish ? html`<th><span class="sr-only">Actions</span></th>` : ''}</tr></thead>
        <tbody>${this.versions.map((v) => html`<tr aria-current=${v.version === latest ? 'true' : 'false'}>
          <td>v${v.version}${v.version === latest ? html` <span class="badge ok">latest</span>` : ''}</td>
          <td>${formatDateTime(v.publishedAt)}</td><td>${v.author}</td>
          <td>${v.comment || html`<span class="muted">—</span>`}${v.rolledBackFrom ? html` <span class="badge neutral">rollback to v${v.rolledBackFrom}</span>` : ''}</td>
          ${this.canPublish ? html`<td>${v.version !== latest ? html`<button @click=${() => (this.rollbackTo = v.version)}>Roll back to v${v.version}</button>` : ''}</td>` : ''}
        </tr>`)}</tbody>
      </table></div>
      ${this.rollbackTo ? html`<form class="rollback card stack" @submit=${this.rollback}>
          <h3>Roll back to v${this.rollbackTo}</h3>
          <p class="small muted">Publishes the text of v${this.rollbackTo} as a new version. Cases already opened stay as they are.</p>
          <label>Comment <textarea name="comment" maxlength="2000" placeholder="Why roll back?"></textarea></label>
          ${this.error ? errorView(this.error) : ''}
          <div class="row"><button class="primary" type="submit" ?disabled=${this.busy}>Publish v${this.rollbackTo}'s text</button><button type="button" @click=${() => (this.rollbackTo = null)}>Cancel</button></div>
        </form>` : ''}
      <h2>Compare versions</h2>
      ${this.versions.length < 2 ? html`<p class="muted">There is only one version so far.</p>` : html`
        <div class="row" style="margin-bottom:0.75rem">${this.select('From', this.from, (v) => (this.from = v))}${this.select('To', this.to, (v) => (this.to = v))}</div>
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
