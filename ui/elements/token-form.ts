// The form that creates an access token (POST /api/tokens): a name, a role, for a manager or
// employee token the person it acts for (found by name), and an optional last day, read in the
// viewer's time zone. The secret it gets back is handed to the page, which shows it once.
import { LitElement, html, css, nothing } from 'lit';
import { Task } from '@lit/task';
import { api, ApiError, type CreatedToken, type Role } from '../api/index.ts';
import { ROLE_LABEL } from '../lib/permissions.ts';
import { errorView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';

const ROLES: Role[] = ['viewer', 'manager', 'employee', 'hr', 'admin'];

/** What each role may do, in plain words (core/auth/scope.ts decides). */
export const ROLE_WORDS: Record<Role, string> = {
  admin: 'Everything, including access tokens, the audit log and workflow deliveries.',
  hr: 'Policies, runs, every case and every person, protected attributes included; approves PIPs.',
  manager: 'The cases and metrics of one manager and everyone who reports to them, directly or not.',
  employee: 'Their own cases and metrics only.',
  viewer: 'Reads policies, runs, cases and dashboards, without protected attributes; changes nothing.',
};

const NAME_MAX = 100;
const SEARCH_DELAY_MS = 200;
const FIELD_INPUT: Record<string, string> = { name: 'name', role: 'role', employeeId: 'employee', expiresAt: 'expires' };

/** Today in the viewer's time zone, as a date input's value. */
function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The token works through the chosen day in the viewer's zone: it expires at the midnight after it. */
function endOfLocalDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y, m - 1, d + 1).toISOString();
}

/** The field the server named in a refusal: its own `field`, or the path of a schema error. */
function fieldOf(e: unknown): string | undefined {
  if (!(e instanceof ApiError)) return undefined;
  const field = e.details.field ?? (e.details.errors as Array<{ path?: string }> | undefined)?.[0]?.path?.replace(/^\//, '');
  return typeof field === 'string' ? field : undefined;
}

/**
 * @fires token-created - `detail: CreatedToken` (the secret and the token) once the server made it.
 */
export class TokenForm extends LitElement {
  static properties = { role: { state: true }, query: { state: true }, busy: { state: true }, error: { state: true }, invalid: { state: true } };
  static styles = [shared, css`
    form { display: grid; gap: 0.9rem; max-width: 46rem; }
    .hint { font-weight: 400; color: var(--muted, #57606a); }
    .req { color: #a40e26; }
    select[size] { min-width: 22rem; }
  `];
  declare role: Role;
  declare query: string;
  declare busy: boolean;
  declare error: unknown;
  /** The input the last refusal was about. */
  declare invalid: string | undefined;

  private readonly people = new Task(this, {
    task: async ([query, role]: [string, Role], { signal }) => {
      if (role !== 'manager' && role !== 'employee') return null;
      await new Promise((r) => setTimeout(r, query ? SEARCH_DELAY_MS : 0));
      signal.throwIfAborted();
      return api.employees({ q: query || undefined, pageSize: 20 }, { signal });
    },
    args: () => [this.query, this.role] as [string, Role],
  });

  constructor() {
    super();
    this.role = 'viewer';
    this.query = '';
    this.busy = false;
    this.error = null;
    this.invalid = undefined;
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const name = f.get('name')?.toString().trim() ?? '';
    const employeeId = f.get('employeeId')?.toString() || undefined;
    const expires = f.get('expires')?.toString() || undefined;
    const refuse = (field: string, message: string) => {
      this.invalid = field;
      this.error = new Error(message);
      this.renderRoot.querySelector<HTMLElement>(`#${FIELD_INPUT[field]}`)?.focus();
    };
    if (!name) return refuse('name', 'Give the token a name that says who or what uses it.');
    if ((this.role === 'manager' || this.role === 'employee') && !employeeId) {
      return refuse('employeeId', this.role === 'manager' ? 'Choose the manager whose team the token sees.' : 'Choose the employee the token acts as.');
    }
    this.busy = true;
    this.error = null;
    this.invalid = undefined;
    try {
      const created: CreatedToken = await api.createToken({ name, role: this.role, ...(employeeId ? { employeeId } : {}), ...(expires ? { expiresAt: endOfLocalDay(expires) } : {}) });
      form.reset();
      this.role = 'viewer';
      this.query = '';
      this.dispatchEvent(new CustomEvent<CreatedToken>('token-created', { detail: created, bubbles: true, composed: true }));
    } catch (err) {
      this.error = err;
      this.invalid = fieldOf(err);
    } finally {
      this.busy = false;
    }
  }

  private picker() {
    if (this.role !== 'manager' && this.role !== 'employee') return nothing;
    const label = this.role === 'manager' ? 'Manager whose team the token sees' : 'Employee the token acts as';
    return html`<div class="stack">
      <label for="employee-search">Find ${this.role === 'manager' ? 'the manager' : 'the employee'} by name
        <input id="employee-search" type="search" autocomplete="off" .value=${this.query} @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)}>
      </label>
      ${this.people.render({
        pending: () => html`<p class="muted small" role="status">Looking for people…</p>`,
        error: (e) => errorView(e, () => this.people.run()),
        complete: (r) => !r ? nothing : r.employees.length === 0
          ? html`<p class="muted small" role="status">Nobody's name or id contains “${this.query}”.</p>`
          : html`<label for="employee"><span>${label}<span class="req" aria-hidden="true"> *</span></span>
              <select id="employee" name="employeeId" size=${Math.min(6, r.employees.length + 1)} aria-invalid=${this.invalid === 'employeeId' ? 'true' : 'false'}>
                ${r.employees.map((e) => html`<option value=${e.id}>${e.name} (${e.id})${e.team ? ` · ${e.team}` : ''}</option>`)}
              </select></label>
            ${r.total > r.employees.length ? html`<p class="muted small">Showing ${r.employees.length} of ${r.total}: type more of the name to narrow the list.</p>` : nothing}`,
      })}
    </div>`;
  }

  render() {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return html`<form class="card" @submit=${this.submit} aria-labelledby="h-create" novalidate>
      <h2 id="h-create" style="margin:0">Create a token</h2>
      <label for="name"><span>Name<span class="req" aria-hidden="true"> *</span></span> <span class="hint">Who or what uses it, such as “Ada’s laptop” or “Payroll export”.</span>
        <input id="name" name="name" maxlength=${NAME_MAX} required autocomplete="off" aria-invalid=${this.invalid === 'name' ? 'true' : 'false'}>
      </label>
      <label for="role">Role
        <select id="role" name="role" aria-describedby="role-words" aria-invalid=${this.invalid === 'role' ? 'true' : 'false'}
          @change=${(e: Event) => { this.role = (e.target as HTMLSelectElement).value as Role; this.query = ''; }}>
          ${ROLES.map((r) => html`<option value=${r} ?selected=${r === this.role}>${ROLE_LABEL[r]}</option>`)}
        </select>
        <span id="role-words" class="hint">${ROLE_WORDS[this.role]}</span>
      </label>
      ${this.picker()}
      <label for="expires">Last day it works (optional) <span class="hint">Leave it empty for a token that never expires. It stops at midnight at the end of that day, your time (${zone}).</span>
        <input id="expires" name="expires" type="date" min=${localToday()} max="9999-12-30" aria-invalid=${this.invalid === 'expiresAt' ? 'true' : 'false'}>
      </label>
      ${this.error ? errorView(this.error) : nothing}
      <div><button class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Creating…' : 'Create token'}</button></div>
    </form>`;
  }
}
customElements.define('token-form', TokenForm);
declare global {
  interface HTMLElementTagNameMap {
    'token-form': TokenForm;
  }
}
