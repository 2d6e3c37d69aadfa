// An employee's own choice about email notices, in their self-view: opt out of non-essential
// notices, or gather them in one email a day. Essential notices are listed, since they arrive
// whatever the choice; the last notices sent are listed too.
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type NotificationPreferences } from '../api/index.ts';
import { formatDateTime } from '../lib/format.ts';
import { errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';

const STATUS_WORDS: Record<string, string> = { sent: 'sent', skipped: 'not sent', held: 'kept for your daily email' };

export class NotificationSettings extends LitElement {
  static properties = { saving: { state: true }, error: { state: true }, saved: { state: true } };
  static styles = [shared, css`
    fieldset { border: 1px solid var(--border, #d0d7de); border-radius: 8px; padding: 0.75rem 1rem; margin: 0.5rem 0; }
    label.check { flex-direction: row; align-items: center; gap: 0.5rem; margin: 0.35rem 0; font-size: 1rem; font-weight: 400; }
  `];
  declare saving: boolean;
  declare error: unknown;
  declare saved: string;

  private readonly data = new Task(this, {
    task: async (_: [], { signal }) => api.myNotifications({ signal }),
    args: () => [] as [],
  });

  constructor() {
    super();
    this.saving = false;
    this.error = null;
    this.saved = '';
  }

  private async choose(p: NotificationPreferences, change: Partial<{ optOut: boolean; digest: boolean }>) {
    this.saving = true;
    this.error = null;
    try {
      const next = { optOut: p.optOut, digest: p.digest, ...change };
      if (next.optOut) next.digest = false;
      await api.setMyNotifications(next);
      await this.data.run();
      this.saved = next.optOut ? 'You will get only essential notices by email.' : next.digest ? 'Other notices will come in one email a day.' : 'You will get every notice by email.';
    } catch (e) {
      this.error = e;
    } finally {
      this.saving = false;
    }
  }

  private view(p: NotificationPreferences) {
    return html`
      <fieldset ?disabled=${this.saving}>
        <legend>Notices that are not essential</legend>
        <label class="check"><input type="checkbox" name="optOut" .checked=${p.optOut} @change=${(e: Event) => this.choose(p, { optOut: (e.target as HTMLInputElement).checked })}>
          <span>Do not email me about things that are not essential</span></label>
        <label class="check"><input type="checkbox" name="digest" .checked=${p.digest} ?disabled=${p.optOut} @change=${(e: Event) => this.choose(p, { digest: (e.target as HTMLInputElement).checked })}>
          <span>Gather them in one email a day instead</span></label>
        <p class="small muted">Always sent: ${p.essential.map((e) => e.title).join(', ')}.</p>
        ${p.updatedAt ? html`<p class="small muted">Last changed by ${p.updatedBy} on ${formatDateTime(p.updatedAt)}.</p>` : ''}
      </fieldset>
      ${this.saved ? html`<p class="notice success" role="status">${this.saved}</p>` : ''}
      ${this.error ? errorView(this.error) : ''}
      ${p.sent.length ? html`<details><summary>Notices sent to you lately (${p.sent.length})</summary>
        <ul>${p.sent.map((s) => html`<li><span class="small muted">${formatDateTime(s.at)}</span> ${s.subject ?? s.event}: ${STATUS_WORDS[s.status]}${s.reason && s.status !== 'sent' ? ` (${s.reason})` : ''}</li>`)}</ul>
      </details>` : ''}`;
  }

  render() {
    return html`<section aria-labelledby="notices-heading">
      <h2 id="notices-heading">Email notices</h2>
      <p class="small muted">What Appraise emails you about cases, plans, reviews and disputes.</p>
      ${this.data.render({
        pending: () => loadingView('Loading your notice settings…'),
        error: (e) => errorView(e, () => this.data.run()),
        complete: (p) => this.view(p),
      })}
    </section>`;
  }
}
customElements.define('notification-settings', NotificationSettings);
declare global {
  interface HTMLElementTagNameMap {
    'notification-settings': NotificationSettings;
  }
}
