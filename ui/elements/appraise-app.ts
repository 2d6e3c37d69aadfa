// The admin UI's shell: sign-in gate, navigation by role, and the current screen. Links are
// ordinary <a href> (keyboard and middle-click work); clicks on same-origin links anywhere in
// the shadow trees are turned into history navigation here.
import { LitElement, html, css, nothing } from 'lit';
import { Task } from '@lit/task';
import { api, ApiError, session, UNAUTHORIZED_EVENT, type Principal, type Role } from '../api/index.ts';
import { NAVIGATE_EVENT, navigate, parseRoute, type Route } from '../router.ts';
import { can, ROLE_LABEL } from '../lib/permissions.ts';
import { errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';
import './sign-in-page.ts';
import './dashboard-page.ts';
import './policy-list-page.ts';
import './policy-page.ts';
import './case-list-page.ts';
import './case-page.ts';
import './dispute-list-page.ts';
import './employee-list-page.ts';
import './employee-page.ts';
import './my-cases-page.ts';
import './my-notices-page.ts';
import './run-list-page.ts';
import './plugin-list-page.ts';
import './sources-page.ts';
import './token-page.ts';
import './kudos-page.ts';
import './review-cycles-page.ts';
import './review-page.ts';
import './notifications-page.ts';
import './fairness-page.ts';

interface NavItem {
  href: string;
  label: string;
  match: Route['name'][];
}

function navFor(role: Role, employeeId?: string): NavItem[] {
  if (role === 'employee') {
    return [
      { href: '/my-cases', label: 'My cases', match: ['my-cases'] },
      { href: '/how-i-am-evaluated', label: 'How I am evaluated', match: ['my-notices'] },
      { href: '/reviews', label: 'My reviews', match: ['reviews', 'review'] },
      ...(employeeId ? [{ href: `/employees/${encodeURIComponent(employeeId)}`, label: 'My metrics', match: ['employee'] as Route['name'][] }] : []),
      { href: '/kudos', label: 'Kudos', match: ['kudos'] },
    ];
  }
  const items: NavItem[] = [{ href: '/', label: 'Dashboard', match: ['dashboard'] }];
  if (can(role, 'readPolicies')) items.push({ href: '/policies', label: 'Policies', match: ['policies', 'policy'] });
  items.push({ href: '/cases', label: 'Cases', match: ['cases', 'case', 'disputes'] });
  items.push({ href: '/employees', label: 'Employees', match: ['employees', 'employee'] });
  items.push({ href: '/reviews', label: 'Reviews', match: ['reviews', 'review'] });
  items.push({ href: '/kudos', label: 'Kudos', match: ['kudos'] });
  if (can(role, 'readRuns')) items.push({ href: '/runs', label: 'Runs', match: ['runs'] });
  if (can(role, 'auditFairness')) items.push({ href: '/fairness', label: 'Fairness', match: ['fairness'] });
  if (can(role, 'readSources')) items.push({ href: '/sources', label: 'Sources', match: ['sources'] });
  if (can(role, 'readPolicies')) items.push({ href: '/plugins', label: 'Plugins', match: ['plugins'] });
  if (can(role, 'manageNotifications')) items.push({ href: '/notifications', label: 'Notifications', match: ['notifications'] });
  if (can(role, 'manageTokens')) items.push({ href: '/tokens', label: 'Access tokens', match: ['tokens'] });
  // A manager is evaluated too: the notices of the policies that apply to them.
  if (role === 'manager' && employeeId) items.push({ href: '/how-i-am-evaluated', label: 'How I am evaluated', match: ['my-notices'] });
  return items;
}

export class AppraiseApp extends LitElement {
  static properties = { principal: { state: true }, route: { state: true }, signedOutMessage: { state: true }, menuOpen: { state: true }, pageFailure: { state: true } };
  static styles = [shared, css`
    :host { min-height: 100vh; display: flex; flex-direction: column; background: #f6f8fa; }
    .skip { position: absolute; left: -999px; top: 0; background: #fff; padding: 0.5rem 1rem; z-index: 10; }
    .skip:focus { left: 0.5rem; top: 0.5rem; }
    header { background: #24292f; color: #fff; }
    .bar { display: flex; align-items: center; gap: 1rem; padding: 0 1rem; min-height: 3.25rem; max-width: 1400px; margin: 0 auto; }
    .brand { font-weight: 700; font-size: 1.1rem; color: #fff; text-decoration: none; }
    /* Many screens (an administrator's): the menu wraps onto a second row inside the dark bar, the signed-in block stays whole at its end. */
    nav { flex: 1 1 auto; min-width: 0; }
    nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.1rem; margin: 0; padding: 0.25rem 0; }
    nav a { color: #e6edf3; text-decoration: none; padding: 0.45rem 0.7rem; border-radius: 6px; display: block; font-weight: 500; white-space: nowrap; }
    nav a:hover { background: #32383f; }
    nav a[aria-current='page'] { background: #fff; color: #1f2328; }
    header :focus-visible { outline-color: #79c0ff; }
    .who { margin-left: auto; flex: none; display: flex; align-items: center; gap: 0.6rem; font-size: 0.9rem; }
    .who .role { background: #388bfd33; border: 1px solid #388bfd; color: #cae8ff; border-radius: 999px; padding: 0 0.55rem; font-size: 0.8rem; font-weight: 600; }
    .who button { background: transparent; color: #fff; border-color: #57606a; min-height: 2rem; padding: 0.2rem 0.6rem; }
    /* The shared light hover of buttons would put white text on near-white in the dark header. */
    .who button:hover, button.menu:hover { background: #32383f; }
    .menu { display: none; background: transparent; color: #fff; border-color: #57606a; }
    main { flex: 1; width: 100%; max-width: 1400px; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
    main:focus { outline: none; }
    /* The printed review is the record kept: the page alone, without the menu. */
    @media print { header { display: none; } :host { background: #fff; } main { max-width: none; padding: 0; } }
    @media (max-width: 760px) {
      .bar { flex-wrap: wrap; gap: 0.5rem; padding: 0.4rem 0.75rem; }
      .menu { display: inline-flex; margin-left: auto; }
      .who { margin-left: 0; width: 100%; justify-content: space-between; order: 3; padding-bottom: 0.4rem; }
      nav { order: 4; width: 100%; display: none; }
      nav.open { display: block; }
      nav ul { flex-direction: column; padding-bottom: 0.5rem; }
      main { padding: 1rem 0.75rem 2rem; }
    }
  `];

  declare principal: Principal | null;
  declare route: Route;
  declare signedOutMessage: string;
  declare menuOpen: boolean;

  private readonly meTask = new Task(this, {
    task: async (_args, { signal }) => {
      if (!session.token) return null;
      try {
        const me = await api.me({ signal });
        this.principal = me;
        return me;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) {
          session.token = null;
          this.signedOutMessage = 'The saved token is no longer accepted. Sign in again.';
          return null;
        }
        throw e;
      }
    },
    args: () => [],
  });

  constructor() {
    super();
    this.principal = null;
    this.route = parseRoute(location.pathname, location.search);
    this.signedOutMessage = '';
    this.menuOpen = false;
    this.pageFailure = null;
  }

  /**
   * A screen that throws while it draws (data it did not expect) would otherwise keep what it
   * showed last, a spinner, forever. Any error no screen handled ends up here and is shown
   * above the screen, coded, with a way to try again.
   */
  declare pageFailure: string | null;

  private readonly onFailure = (e: ErrorEvent | PromiseRejectionEvent) => {
    const error: unknown = 'reason' in e ? e.reason : e.error ?? e.message;
    if (error instanceof DOMException && error.name === 'AbortError') return; // a page left before its data came
    this.pageFailure = error instanceof Error ? error.message : String(error);
  };

  private readonly onLocation = () => {
    this.route = parseRoute(location.pathname, location.search);
    this.menuOpen = false;
    this.pageFailure = null;
    // Move focus to the new screen for keyboard and screen-reader users.
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('main')?.focus({ preventScroll: true }));
  };

  private readonly onUnauthorized = () => {
    if (!this.principal) return;
    session.token = null;
    this.principal = null;
    this.signedOutMessage = 'Your session ended: the server no longer accepts the token. Sign in again.';
  };

  private readonly onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (!a || !a.href || a.target === '_blank' || a.hasAttribute('download')) return;
    const url = new URL(a.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
    e.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  };

  connectedCallback() {
    super.connectedCallback();
    window.addEventListener('popstate', this.onLocation);
    window.addEventListener(NAVIGATE_EVENT, this.onLocation);
    window.addEventListener(UNAUTHORIZED_EVENT, this.onUnauthorized);
    window.addEventListener('error', this.onFailure);
    window.addEventListener('unhandledrejection', this.onFailure);
    this.addEventListener('click', this.onClick);
  }

  disconnectedCallback() {
    window.removeEventListener('popstate', this.onLocation);
    window.removeEventListener(NAVIGATE_EVENT, this.onLocation);
    window.removeEventListener(UNAUTHORIZED_EVENT, this.onUnauthorized);
    window.removeEventListener('error', this.onFailure);
    window.removeEventListener('unhandledrejection', this.onFailure);
    this.removeEventListener('click', this.onClick);
    super.disconnectedCallback();
  }

  private signOut() {
    session.token = null;
    this.principal = null;
    this.signedOutMessage = 'You are signed out.';
  }

  private screen(p: Principal) {
    const r = this.route;
    if (p.role === 'employee' && r.name === 'dashboard') return html`<my-cases-page .principal=${p}></my-cases-page>`;
    switch (r.name) {
      case 'dashboard': return html`<dashboard-page .principal=${p}></dashboard-page>`;
      case 'policies': return html`<policy-list-page .principal=${p}></policy-list-page>`;
      case 'policy': return html`<policy-page .principal=${p} .policyId=${r.id} .tab=${r.tab} .query=${r.query}></policy-page>`;
      case 'cases': return html`<case-list-page .principal=${p} .query=${r.query}></case-list-page>`;
      case 'case': return html`<case-page .principal=${p} .caseId=${r.id}></case-page>`;
      case 'disputes': return html`<dispute-list-page .principal=${p} .query=${r.query}></dispute-list-page>`;
      case 'employees': return html`<employee-list-page .principal=${p} .query=${r.query}></employee-list-page>`;
      case 'employee': return html`<employee-page .principal=${p} .employeeId=${r.id}></employee-page>`;
      case 'my-cases': return html`<my-cases-page .principal=${p}></my-cases-page>`;
      case 'my-notices': return html`<my-notices-page .principal=${p}></my-notices-page>`;
      case 'runs': return html`<run-list-page .principal=${p}></run-list-page>`;
      case 'fairness': return can(p.role, 'auditFairness') ? html`<fairness-page .principal=${p}></fairness-page>` : html`<h1>Fairness</h1><p>Fairness reports are for HR and administrators.</p>`;
      case 'plugins': return html`<plugin-list-page .principal=${p}></plugin-list-page>`;
      case 'sources': return html`<sources-page .principal=${p}></sources-page>`;
      case 'tokens': return html`<token-page .principal=${p}></token-page>`;
      case 'kudos': return html`<kudos-page .principal=${p}></kudos-page>`;
      case 'reviews': return html`<review-cycles-page .principal=${p} .query=${r.query}></review-cycles-page>`;
      case 'review': return html`<review-page .principal=${p} .reviewId=${r.id}></review-page>`;
      case 'notifications': return html`<notifications-page .principal=${p}></notifications-page>`;
      default: return html`<h1>Not found</h1><p>There is no page at <code>${r.path}</code>. <a href="/">Go to the start page</a>.</p>`;
    }
  }

  /**
   * "Skip to content", the first thing a keyboard reaches. Its #main lives in this shadow root,
   * where the browser's fragment navigation (and axe-core, which looks the id up in the
   * document) never finds it, so its click (Enter included) focuses <main> (tabindex=-1) itself,
   * before onClick would route to /#main and leave a history entry: the next Tab is in the
   * screen, past the menu. It sits in the header, so that it is inside a landmark like the rest.
   */
  private skipLink() {
    const skip = (e: Event) => {
      e.preventDefault();
      this.renderRoot.querySelector<HTMLElement>('main')?.focus();
    };
    return html`<a class="skip" href="#main" @click=${skip}>Skip to content</a>`;
  }

  private shell(p: Principal) {
    const items = navFor(p.role, p.employeeId);
    const current = p.role === 'employee' && this.route.name === 'dashboard' ? 'my-cases' : this.route.name;
    return html`
      <header>
        ${this.skipLink()}
        <div class="bar">
          <a class="brand" href="/">Appraise</a>
          <button class="menu" aria-expanded=${this.menuOpen ? 'true' : 'false'} aria-controls="nav" @click=${() => (this.menuOpen = !this.menuOpen)}>Menu</button>
          <nav id="nav" aria-label="Main" class=${this.menuOpen ? 'open' : ''}>
            <ul>${items.map((i) => html`<li><a href=${i.href} aria-current=${i.match.includes(current) ? 'page' : nothing}>${i.label}</a></li>`)}</ul>
          </nav>
          <div class="who">
            <span><span class="sr-only">Signed in as </span>${p.name} <span class="role" data-role=${p.role}>${ROLE_LABEL[p.role]}</span></span>
            <button @click=${this.signOut}>Sign out</button>
          </div>
        </div>
      </header>
      <main id="main" tabindex="-1">
        ${this.pageFailure ? errorView(new ApiError(`Part of this page could not be shown (${this.pageFailure}). Try again; if it keeps happening, tell your administrator.`, 0, 'APPRAISE_UI_PAGE_FAILED'), () => location.reload()) : ''}
        ${this.screen(p)}
      </main>`;
  }

  render() {
    if (this.principal) return this.shell(this.principal);
    if (!session.token) {
      // In <main>, like every other screen: a screen reader's landmarks lead to the form.
      return html`<main><sign-in-page .message=${this.signedOutMessage} @signed-in=${(e: CustomEvent<{ principal: Principal }>) => { this.principal = e.detail.principal; this.signedOutMessage = ''; }}></sign-in-page></main>`;
    }
    return this.meTask.render({
      pending: () => html`<main>${loadingView('Signing in…')}</main>`,
      complete: () => html`<main><sign-in-page></sign-in-page></main>`,
      error: (e) => html`<main style="max-width:40rem;margin:2rem auto">${errorView(e, () => this.meTask.run())}
        <p><button @click=${this.signOut}>Sign in with another token</button></p></main>`,
    });
  }
}
customElements.define('appraise-app', AppraiseApp);
declare global {
  interface HTMLElementTagNameMap {
    'appraise-app': AppraiseApp;
  }
}
