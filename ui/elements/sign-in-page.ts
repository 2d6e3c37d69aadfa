// Sign-in with an API token. The token is kept in sessionStorage (this tab, until it closes)
// and checked with GET /api/me before the app opens.
import { LitElement, html, css } from 'lit';
import { api, session, type Principal } from '../api/index.ts';
import { errorView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';

/**
 * @fires signed-in - `detail: {principal}` once the token is accepted.
 */
export class SignInPage extends LitElement {
  static properties = { message: {}, error: { state: true }, busy: { state: true } };
  static styles = [shared, css`
    :host { max-width: 28rem; margin: 8vh auto 0; padding: 0 1rem; }
    form { display: flex; flex-direction: column; gap: 1rem; }
    .brand { font-size: 1.8rem; font-weight: 700; margin-bottom: 0.25rem; }
  `];
  /** A note to show above the form (e.g. why the session ended). */
  declare message: string;
  declare error: unknown;
  declare busy: boolean;

  constructor() {
    super();
    this.message = '';
    this.error = null;
    this.busy = false;
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#token')!;
    const token = input.value.trim();
    if (!token) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      this.error = new Error('Enter your API token.');
      return;
    }
    this.busy = true;
    this.error = null;
    session.token = token;
    try {
      const principal: Principal = await api.me();
      this.dispatchEvent(new CustomEvent('signed-in', { detail: { principal }, bubbles: true, composed: true }));
    } catch (err) {
      session.token = null;
      this.error = err;
      input.setAttribute('aria-invalid', 'true');
    } finally {
      this.busy = false;
    }
  }

  render() {
    return html`
      <div class="card stack">
        <div class="brand">Appraise</div>
        <h1>Sign in</h1>
        ${this.message ? html`<p class="notice info">${this.message}</p>` : ''}
        <form @submit=${this.submit} novalidate>
          <label for="token">API token
            <input id="token" name="token" type="password" autocomplete="current-password" spellcheck="false" required
              aria-describedby="token-help" @input=${(e: Event) => (e.target as HTMLElement).removeAttribute('aria-invalid')}>
          </label>
          <p id="token-help" class="muted small">An administrator creates tokens with <code>npx appraise token create --role … --name …</code>;
            <code>npm start</code> prints one for an administrator. The token is kept only for this browser tab.</p>
          ${this.error ? errorView(this.error) : ''}
          <div><button class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Signing in…' : 'Sign in'}</button></div>
        </form>
      </div>`;
  }
}
customElements.define('sign-in-page', SignInPage);
declare global {
  interface HTMLElementTagNameMap {
    'sign-in-page': SignInPage;
  }
}
