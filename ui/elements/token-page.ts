// Access tokens, for admins: every token (revoked and expired ones stay, for the record), the
// form that creates one, its secret shown once with a copy button, and revoking with a
// confirmation. Times are the viewer's own.
import { LitElement, html, css, nothing } from 'lit';
import { Task } from '@lit/task';
import { api, type ApiToken, type CreatedToken, type Principal } from '../api/index.ts';
import { can, ROLE_LABEL } from '../lib/permissions.ts';
import { errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';
import './token-form.ts';

/** `31 Dec 2026, 17:00` in the viewer's time zone. */
const localFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const when = (iso: string | null) => (iso ? localFmt.format(new Date(iso)) : '—');
const dayFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

/** When a token expires; an expiry at the viewer's midnight is the end of the day before, as the form asked for it. */
function expiryWords(t: ApiToken): string {
  if (!t.expiresAt) return 'Never';
  const d = new Date(t.expiresAt);
  const midnight = d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0 && d.getMilliseconds() === 0;
  const at = midnight ? `the end of ${dayFmt.format(new Date(d.getTime() - 1))}` : when(t.expiresAt);
  return t.status === 'expired' ? `Expired at ${at}` : midnight ? `At ${at}` : at;
}

const STATUS: Record<ApiToken['status'], { label: string; badge: string }> = {
  active: { label: 'Active', badge: 'ok' },
  expired: { label: 'Expired', badge: 'warning' },
  revoked: { label: 'Revoked', badge: 'neutral' },
};

export class TokenPage extends LitElement {
  static properties = { principal: { attribute: false }, created: { state: true }, copied: { state: true }, confirming: { state: true }, revoking: { state: true }, revokeError: { state: true } };
  static styles = [shared, css`
    .secret { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; margin: 0.5rem 0; }
    .secret input { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; width: min(100%, 36rem); }
    dialog { border: 1px solid var(--border, #d0d7de); border-radius: 8px; padding: 1.25rem; max-width: 32rem; }
    dialog::backdrop { background: rgb(31 35 40 / 45%); }
    td .small { color: var(--muted, #57606a); }
  `];
  declare principal: Principal;
  /** The token just created, with its secret: shown until dismissed, never fetched again. */
  declare created: CreatedToken | null;
  declare copied: 'yes' | 'failed' | null;
  declare confirming: ApiToken | null;
  declare revoking: boolean;
  declare revokeError: unknown;

  private readonly tokens = new Task(this, { task: async (_: [], { signal }) => (await api.tokens({ signal })).tokens, args: () => [] as [] });

  constructor() {
    super();
    this.created = null;
    this.copied = null;
    this.confirming = null;
    this.revoking = false;
    this.revokeError = null;
  }

  protected updated() {
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>('dialog');
    if (this.confirming && dialog && !dialog.open) dialog.showModal();
    if (!this.confirming && dialog?.open) dialog.close();
  }

  private onCreated(e: CustomEvent<CreatedToken>) {
    this.created = e.detail;
    this.copied = null;
    void this.tokens.run();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#secret-heading')?.focus());
  }

  private async copy() {
    const input = this.renderRoot.querySelector<HTMLInputElement>('#secret')!;
    try {
      await navigator.clipboard.writeText(this.created!.secret);
      this.copied = 'yes';
    } catch {
      // No clipboard (a browser that refuses it here): leave the token selected to copy by hand.
      input.select();
      this.copied = 'failed';
    }
  }

  private async revoke() {
    const t = this.confirming!;
    this.revoking = true;
    this.revokeError = null;
    try {
      await api.revokeToken(t.id);
      this.confirming = null;
      if (this.created?.token.id === t.id) this.created = null;
      // Revoking one's own token ends the session: the next call is refused and the app signs out.
      void this.tokens.run();
    } catch (err) {
      this.revokeError = err;
    } finally {
      this.revoking = false;
    }
  }

  private secretPanel(c: CreatedToken) {
    return html`<section class="notice success stack" aria-labelledby="secret-heading">
      <h2 id="secret-heading" tabindex="-1" style="margin:0">Token “${c.token.name}” created</h2>
      <p><strong>Copy this token now. It will not be shown again</strong>: Appraise keeps only a fingerprint of it, so nobody can look it up later. If it is lost, revoke it and create a new one.</p>
      <div class="secret">
        <label for="secret" class="sr-only">The new token</label>
        <input id="secret" readonly .value=${c.secret} @focus=${(e: Event) => (e.target as HTMLInputElement).select()}>
        <button class="primary" @click=${this.copy}>Copy</button>
        <span role="status">${this.copied === 'yes' ? 'Copied to the clipboard.' : this.copied === 'failed' ? 'The browser would not copy it: it is selected, press Ctrl+C (⌘C on a Mac).' : ''}</span>
      </div>
      <p class="small">Whoever has it signs in with it on the sign-in page, or sends it with each API call as <code>Authorization: Bearer &lt;token&gt;</code>.</p>
      <button @click=${() => { this.created = null; }}>I have copied it</button>
    </section>`;
  }

  private row(t: ApiToken) {
    const yours = t.id === this.principal.tokenId;
    const expires = expiryWords(t);
    return html`<tr data-token=${t.id}>
      <td>${t.name}${yours ? html` <span class="badge neutral">you are signed in with it</span>` : nothing}</td>
      <td>${ROLE_LABEL[t.role]}</td>
      <td>${t.employeeId ? html`${t.role === 'manager' ? 'The team of ' : 'Only '}${t.employeeName ?? t.employeeId} <span class="small">(${t.employeeId})</span>` : 'Everyone'}</td>
      <td>${when(t.createdAt)}<div class="small">by ${t.createdBy}</div></td>
      <td>${expires}</td>
      <td>${t.lastUsedAt ? when(t.lastUsedAt) : 'Never used'}</td>
      <td><span class="badge ${STATUS[t.status].badge}">${STATUS[t.status].label}</span>
        ${t.revokedAt ? html`<div class="small">${when(t.revokedAt)}${t.revokedBy ? ` by ${t.revokedBy}` : ''}</div>` : nothing}</td>
      <td>${t.status === 'revoked' ? nothing : html`<button class="danger" aria-label="Revoke ${t.name}" @click=${() => { this.revokeError = null; this.confirming = t; }}>Revoke</button>`}</td>
    </tr>`;
  }

  private table(ts: ApiToken[]) {
    return html`<div class="table-wrap"><table>
      <caption class="sr-only">Access tokens, newest first</caption>
      <thead><tr><th>Name</th><th>Role</th><th>Sees</th><th>Created</th><th>Expires</th><th>Last used</th><th>Status</th><th><span class="sr-only">Actions</span></th></tr></thead>
      <tbody>${ts.map((t) => this.row(t))}</tbody>
    </table></div>`;
  }

  private dialog() {
    const t = this.confirming;
    return html`<dialog aria-labelledby="confirm-heading" @close=${() => { this.confirming = null; }}>
      ${t ? html`<div class="stack">
        <h2 id="confirm-heading" style="margin-top:0">Revoke “${t.name}”?</h2>
        <p>Whoever uses this token is signed out at once and cannot sign in with it again. This cannot be undone; the token stays in the list as revoked.</p>
        ${t.id === this.principal.tokenId ? html`<p class="notice warn">You are signed in with this token: you will be signed out.</p>` : nothing}
        ${this.revokeError ? errorView(this.revokeError) : nothing}
        <div class="row">
          <button class="danger" @click=${this.revoke} ?disabled=${this.revoking}>${this.revoking ? 'Revoking…' : 'Revoke token'}</button>
          <button @click=${() => { this.confirming = null; }}>Keep it</button>
        </div>
      </div>` : nothing}
    </dialog>`;
  }

  render() {
    if (!can(this.principal.role, 'manageTokens')) return html`<h1>Access tokens</h1><p>Only administrators manage access tokens.</p>`;
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return html`
      <h1>Access tokens</h1>
      <p>A token lets a person or a program use Appraise: they sign in with it, or send it with API calls. Its role decides what it may see and do.</p>
      ${this.created ? this.secretPanel(this.created) : nothing}
      <token-form @token-created=${this.onCreated}></token-form>
      <h2>All tokens</h2>
      <p class="small muted">Newest first. Revoked tokens are kept, for the record. Times are in your time zone (${zone}).</p>
      ${this.tokens.render({
        // Reloading after a change keeps the list in place rather than flashing a spinner.
        pending: () => (this.tokens.value ? this.table(this.tokens.value) : loadingView('Loading tokens…')),
        error: (e) => errorView(e, () => this.tokens.run()),
        complete: (ts) => this.table(ts),
      })}
      ${this.dialog()}`;
  }
}
customElements.define('token-page', TokenPage);
declare global {
  interface HTMLElementTagNameMap {
    'token-page': TokenPage;
  }
}
