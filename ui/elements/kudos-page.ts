// The Kudos screen: give kudos to a colleague (with a value tag), the wall of kudos the reader
// may see, the kudos they received and gave, and upward feedback: the form to one's manager
// (anonymous only where the manager's group is large enough, as the form states) and, for a
// manager, the feedback given to them. The viewer role sees the wall without messages.
import { LitElement, html, css, nothing, unsafeCSS } from 'lit';
import { Task } from '@lit/task';
import { api, type Principal } from '../api/index.ts';
import { can } from '../lib/permissions.ts';
import { formatDate } from '../lib/format.ts';
import { emptyView, errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';
import { kudosCard, KUDOS_CSS } from './kudos-card.ts';

export class KudosPage extends LitElement {
  static properties = { principal: { attribute: false }, busy: { state: true }, error: { state: true }, sent: { state: true }, upwardError: { state: true }, upwardSent: { state: true } };
  static styles = [shared, css`
    form { display: grid; gap: 0.8rem; max-width: 40rem; margin-top: 1rem; }
    .check { flex-direction: row; align-items: center; gap: 0.4rem; font-weight: 400; }
    .two { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; align-items: start; }
    @media (max-width: 900px) { .two { grid-template-columns: 1fr; } }
    ${unsafeCSS(KUDOS_CSS)}
  `];
  declare principal: Principal;
  declare busy: boolean;
  declare error: unknown;
  declare sent: string | null;
  declare upwardError: unknown;
  declare upwardSent: string | null;

  private readonly wall = new Task(this, { task: async (_: [], { signal }) => api.kudos({ limit: 50 }, { signal }), args: () => [] as [] });
  private readonly mine = new Task(this, {
    task: async ([id]: [string | undefined], { signal }) => (id ? Promise.all([api.kudos({ employeeId: id, direction: 'received' }, { signal }), api.kudos({ employeeId: id, direction: 'given' }, { signal })]) : null),
    args: () => [this.principal?.employeeId] as [string | undefined],
  });
  private readonly colleagues = new Task(this, {
    task: async (_: [string], { signal }) => (this.gives() ? api.colleagues({ signal }) : null),
    args: () => [this.principal?.role] as [string],
  });
  private readonly options = new Task(this, {
    task: async (_: [string | undefined], { signal }) => (this.gives() ? api.upwardOptions({ signal }) : null),
    args: () => [this.principal?.employeeId] as [string | undefined],
  });
  private readonly inbox = new Task(this, {
    // A manager reads what was given to them; HR and admin read all of it.
    task: async (_: [string], { signal }) => (['hr', 'admin'].includes(this.principal.role) || (this.gives() && this.principal.role === 'manager') ? api.upward({ signal }) : null),
    args: () => [this.principal?.role] as [string],
  });

  constructor() {
    super();
    this.busy = false;
    this.error = null;
    this.sent = null;
    this.upwardError = null;
    this.upwardSent = null;
  }

  /** Kudos and feedback come from a person: a token acting as an employee, never the viewer role. */
  private gives(): boolean {
    return Boolean(this.principal?.employeeId) && can(this.principal.role, 'giveFeedback');
  }

  private async give(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const receiverId = f.get('receiverId')?.toString() ?? '';
    const message = f.get('message')?.toString().trim() ?? '';
    const value = f.get('value')?.toString() || undefined;
    this.sent = null;
    if (!receiverId || !message) {
      this.error = new Error(!receiverId ? 'Choose the colleague you want to thank.' : 'Write what they did that you want to thank them for.');
      return;
    }
    this.busy = true;
    this.error = null;
    try {
      const k = await api.giveKudos({ receiverId, message, value });
      form.reset();
      this.sent = `Kudos sent to ${k.receiverName ?? k.receiverId}.`;
      this.wall.run();
      this.mine.run();
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private giveForm() {
    if (!this.gives()) return nothing;
    return this.colleagues.render({
      pending: () => loadingView('Loading your colleagues…'),
      error: (e) => errorView(e, () => this.colleagues.run()),
      complete: (r) => !r ? nothing : html`<form class="card" @submit=${this.give} aria-labelledby="h-give" novalidate>
        <h2 id="h-give" style="margin:0">Give kudos</h2>
        <label for="receiver">Colleague
          <select id="receiver" name="receiverId" required><option value="">Choose a colleague…</option>
            ${r.colleagues.map((c) => html`<option value=${c.id}>${c.name}${c.team ? ` · ${c.team}` : ''}</option>`)}</select></label>
        ${r.values.length ? html`<label for="value">Value it shows (optional)
          <select id="value" name="value"><option value="">None</option>${r.values.map((v) => html`<option value=${v}>${v}</option>`)}</select></label>` : nothing}
        <label for="message">Message
          <textarea id="message" name="message" maxlength="2000" required placeholder="What did they do that you want to thank them for?"></textarea></label>
        ${this.error ? errorView(this.error) : nothing}
        ${this.sent ? html`<p class="notice success" role="status">${this.sent}</p>` : nothing}
        <div><button class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Sending…' : 'Send kudos'}</button></div>
      </form>`,
    });
  }

  private async sendUpward(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const body = f.get('body')?.toString().trim() ?? '';
    const anonymous = f.get('anonymous') === 'on';
    this.upwardSent = null;
    if (!body) {
      this.upwardError = new Error('Write your feedback first.');
      return;
    }
    this.upwardError = null;
    try {
      const u = await api.giveUpward({ body, anonymous });
      form.reset();
      this.upwardSent = u.anonymous ? `Sent to ${u.managerName ?? u.managerId} without your name.` : `Sent to ${u.managerName ?? u.managerId} with your name.`;
    } catch (err) {
      this.upwardError = err;
    }
  }

  private upwardForm() {
    if (!this.gives()) return nothing;
    return this.options.render({
      pending: () => nothing,
      error: (e) => errorView(e),
      // Somebody without a manager has nobody to send upward feedback to: no form.
      complete: (o) => !o?.managerId ? nothing : html`<form class="card" @submit=${this.sendUpward} aria-labelledby="h-upward" novalidate>
        <h2 id="h-upward" style="margin:0">Feedback to your manager, ${o.managerName}</h2>
        <label for="upward-body">Your feedback
          <textarea id="upward-body" name="body" maxlength="5000" required></textarea></label>
        ${o.anonymousAllowed
          ? html`<label class="check" for="anonymous"><input id="anonymous" name="anonymous" type="checkbox"> Send without my name</label>
              <p class="small muted">Anonymous feedback is possible because ${o.managerName} has ${o.groupSize} direct reports (at least ${o.minGroupSize}). Nothing records who sent it: not the feedback, not the audit log.</p>`
          : html`<p class="small muted" id="no-anonymous">Your feedback is sent with your name. Anonymous feedback is offered only where a manager has at least ${o.minGroupSize} direct reports; ${o.managerName} has ${o.groupSize}, so it could be told who wrote it.</p>`}
        ${this.upwardError ? errorView(this.upwardError) : nothing}
        ${this.upwardSent ? html`<p class="notice success" role="status">${this.upwardSent}</p>` : nothing}
        <div><button class="primary" type="submit">Send feedback</button></div>
      </form>`,
    });
  }

  private async acknowledge(id: number) {
    await api.acknowledgeUpward(id);
    this.inbox.run();
  }

  private inboxView() {
    return this.inbox.render({
      pending: () => nothing,
      error: (e) => errorView(e, () => this.inbox.run()),
      complete: (r) => !r ? nothing : html`<section aria-labelledby="h-inbox"><h2 id="h-inbox">${this.principal.role === 'manager' ? 'Feedback from your team' : 'Upward feedback'}</h2>
        ${r.feedback.length === 0 ? emptyView('No upward feedback yet.') : html`<div class="table-wrap"><table>
          <thead><tr><th>Given</th><th>To</th><th>From</th><th>Feedback</th><th>Status</th></tr></thead>
          <tbody>${r.feedback.map((u) => html`<tr><td>${formatDate(u.givenOn)}</td><td>${u.managerName ?? u.managerId}</td>
            <td>${u.anonymous ? html`<em>Anonymous</em>` : u.author}</td><td style="white-space:pre-wrap">${u.body}</td>
            <td>${u.status === 'acknowledged' ? 'Acknowledged' : u.managerId === this.principal.employeeId
              ? html`<button @click=${() => this.acknowledge(u.id)}>Acknowledge</button>` : 'New'}</td></tr>`)}</tbody></table></div>`}</section>`,
    });
  }

  private mineView() {
    return this.mine.render({
      pending: () => nothing,
      error: (e) => errorView(e, () => this.mine.run()),
      complete: (r) => !r ? nothing : html`<div class="two">
        <section aria-labelledby="h-received"><h2 id="h-received">Kudos you received <span class="badge neutral">${r[0].kudos.length}</span></h2>
          ${r[0].kudos.length ? html`<div class="kudos-wall">${r[0].kudos.map(kudosCard)}</div>` : emptyView('No kudos yet.')}</section>
        <section aria-labelledby="h-given"><h2 id="h-given">Kudos you gave <span class="badge neutral">${r[1].kudos.length}</span></h2>
          ${r[1].kudos.length ? html`<div class="kudos-wall">${r[1].kudos.map(kudosCard)}</div>` : emptyView('You have not given kudos yet.')}</section>
      </div>`,
    });
  }

  render() {
    return html`<h1>Kudos</h1>
      ${this.giveForm()}
      ${this.mineView()}
      <section aria-labelledby="h-kudos-wall"><h2 id="h-kudos-wall">Kudos wall</h2>
        ${this.wall.render({
          pending: () => loadingView('Loading kudos…'),
          error: (e) => errorView(e, () => this.wall.run()),
          complete: (r) => r.kudos.length ? html`<div class="kudos-wall">${r.kudos.map(kudosCard)}</div>` : emptyView('No kudos yet.'),
        })}</section>
      ${this.upwardForm()}
      ${this.inboxView()}`;
  }
}
customElements.define('kudos-page', KudosPage);
declare global {
  interface HTMLElementTagNameMap {
    'kudos-page': KudosPage;
  }
}
