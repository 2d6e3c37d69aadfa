// Feedback on the employee page: the manager's notes (private to managers and HR, or shared with
// the employee; a private one can be shared later), and for managers the customer comments that
// can be turned into kudos. Not shown to the viewer role, which reads no free text.
import { LitElement, html, css, nothing } from 'lit';
import { Task } from '@lit/task';
import { api, type Principal } from '../api/index.ts';
import { can } from '../lib/permissions.ts';
import { formatDate, formatDateTime } from '../lib/format.ts';
import { emptyView, errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';

export class FeedbackNotes extends LitElement {
  static properties = { principal: { attribute: false }, employeeId: {}, error: { state: true } };
  static styles = [shared, css`
    form { display: grid; gap: 0.6rem; max-width: 40rem; margin-top: 0.75rem; }
    .check { flex-direction: row; align-items: center; gap: 0.4rem; font-weight: 400; }
    .note { border-left: 3px solid #d0d7de; padding: 0.3rem 0.75rem; margin: 0.5rem 0; }
    .note p { margin: 0.25rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
  `];
  declare principal: Principal;
  declare employeeId: string;
  declare error: unknown;

  private readonly notes = new Task(this, {
    task: async ([id]: [string], { signal }) => (can(this.principal.role, 'giveFeedback') ? api.feedbackNotes(id, { signal }) : null),
    args: () => [this.employeeId] as [string],
  });
  private readonly compliments = new Task(this, {
    task: async ([id]: [string], { signal }) => (this.managesThem() ? api.compliments(id, { signal }) : null),
    args: () => [this.employeeId] as [string],
  });

  constructor() {
    super();
    this.employeeId = '';
    this.error = null;
  }

  private managesThem(): boolean {
    return can(this.principal.role, 'writeFeedbackNotes') && this.principal.employeeId !== this.employeeId;
  }

  private async write(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const body = f.get('body')?.toString().trim() ?? '';
    if (!body) {
      this.error = new Error('Write the note first.');
      return;
    }
    this.error = null;
    try {
      await api.writeNote({ employeeId: this.employeeId, body, visibility: f.get('shared') === 'on' ? 'shared' : 'private' });
      form.reset();
      this.notes.run();
    } catch (err) {
      this.error = err;
    }
  }

  private async act(fn: () => Promise<unknown>, task: Task) {
    try {
      this.error = null;
      await fn();
      task.run();
    } catch (err) {
      this.error = err;
    }
  }

  private complimentsView() {
    return this.compliments.render({
      pending: () => nothing,
      error: (e) => errorView(e, () => this.compliments.run()),
      complete: (r) => !r ? nothing : html`<h3>Customer compliments</h3>
        ${r.compliments.length === 0 ? emptyView('No customer comments.') : html`<div class="table-wrap"><table>
          <thead><tr><th>Survey</th><th>Score</th><th>Comment</th><th><span class="sr-only">Kudos</span></th></tr></thead>
          <tbody>${r.compliments.map((c) => html`<tr><td>${formatDate(c.occurredAt)}</td><td>${c.csat ?? '—'}</td><td style="white-space:pre-wrap">${c.comment}</td>
            <td>${c.kudosId ? 'Kudos given' : html`<button @click=${() => this.act(() => api.complimentToKudos({ surveyRecordId: c.surveyRecordId }), this.compliments)}>Turn into kudos</button>`}</td></tr>`)}</tbody></table></div>`}`,
    });
  }

  render() {
    if (!can(this.principal.role, 'giveFeedback')) return nothing;
    return html`<section aria-labelledby="h-notes"><h2 id="h-notes">Feedback notes</h2>
      ${this.notes.render({
        pending: () => loadingView('Loading notes…'),
        error: (e) => errorView(e, () => this.notes.run()),
        complete: (r) => !r ? nothing : html`
          ${r.notes.length === 0 ? emptyView(r.mayWrite ? 'No notes yet.' : 'No notes shared with you yet.') : r.notes.map((n) => html`<div class="note">
            <div class="small"><strong>${n.author}</strong> · ${formatDateTime(n.writtenAt)} · ${n.visibility === 'shared' ? html`<span class="badge neutral">Shared with the employee</span>` : html`<span class="badge">Private: managers and HR</span>`}</div>
            <p>${n.body}</p>
            ${r.mayWrite && n.visibility === 'private' ? html`<button class="link" @click=${() => this.act(() => api.shareNote(n.id), this.notes)}>Share with the employee</button>` : nothing}
          </div>`)}
          ${r.mayWrite ? html`<form @submit=${this.write} aria-label="Write a feedback note" novalidate>
            <label for="note-body">New note<textarea id="note-body" name="body" maxlength="5000"></textarea></label>
            <label class="check" for="note-shared"><input id="note-shared" name="shared" type="checkbox"> Share with the employee (otherwise only their managers and HR read it)</label>
            <div><button class="primary" type="submit">Save note</button></div>
          </form>` : nothing}`,
      })}
      ${this.error ? errorView(this.error) : nothing}
      ${this.complimentsView()}
    </section>`;
  }
}
customElements.define('feedback-notes', FeedbackNotes);
declare global {
  interface HTMLElementTagNameMap {
    'feedback-notes': FeedbackNotes;
  }
}
