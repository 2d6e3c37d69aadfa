// Notifications, for admin and HR: the templates in force with what each one receives, a
// preview rendered for a case or an employee (subject, plain text, the HTML as the reader sees
// it, the chat form), and a test send to an address, with what the SMTP server answered.
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type NotificationPreview, type NotificationTemplateInfo, type Principal } from '../api/index.ts';
import { errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';

export class NotificationsPage extends LitElement {
  static properties = { principal: { attribute: false }, selected: { state: true }, preview: { state: true }, previewError: { state: true }, sendResult: { state: true }, sendError: { state: true }, busy: { state: true } };
  static styles = [shared, css`
    .grid { display: grid; grid-template-columns: minmax(14rem, 18rem) 1fr; gap: 1rem; align-items: start; }
    @media (max-width: 800px) { .grid { grid-template-columns: 1fr; } }
    ul.templates { list-style: none; padding: 0; margin: 0; }
    ul.templates button { width: 100%; text-align: left; margin: 0.15rem 0; }
    ul.templates button[aria-pressed='true'] { font-weight: 700; border-color: #0969da; }
    pre { white-space: pre-wrap; background: #f6f8fa; padding: 0.75rem; border-radius: 6px; }
    iframe { width: 100%; min-height: 16rem; border: 1px solid var(--border, #d0d7de); border-radius: 6px; background: #fff; }
    form { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: end; margin: 0.5rem 0; }
    form label { display: flex; flex-direction: column; gap: 0.25rem; }
  `];
  declare principal: Principal;
  declare selected: string;
  declare preview: NotificationPreview | null;
  declare previewError: unknown;
  declare sendResult: string;
  declare sendError: unknown;
  declare busy: boolean;

  private readonly data = new Task(this, {
    task: async (_: [], { signal }) => api.notificationTemplates({ signal }),
    args: () => [] as [],
  });

  constructor() {
    super();
    this.selected = '';
    this.preview = null;
    this.previewError = null;
    this.sendResult = '';
    this.sendError = null;
    this.busy = false;
  }

  private input(form: HTMLFormElement) {
    const f = new FormData(form);
    const caseId = Number(f.get('caseId') || 0);
    const audience = String(f.get('audience') || '');
    return { template: this.selected, ...(caseId > 0 ? { caseId } : {}), ...(audience ? { audience: audience as 'employee' } : {}) };
  }

  private async render_(e: SubmitEvent) {
    e.preventDefault();
    this.previewError = null;
    try {
      this.preview = await api.previewNotification(this.input(e.target as HTMLFormElement));
    } catch (err) {
      this.previewError = err;
      this.preview = null;
    }
  }

  private async send(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (!form.reportValidity()) return;
    const to = String(new FormData(form).get('to') ?? '').trim();
    const previewForm = this.renderRoot.querySelector<HTMLFormElement>('form.preview')!;
    this.busy = true;
    this.sendError = null;
    this.sendResult = '';
    try {
      const r = await api.testNotification({ ...this.input(previewForm), to });
      this.sendResult = `Sent to ${r.to}: “${r.subject}”. The server answered: ${r.response}`;
    } catch (err) {
      this.sendError = err;
    } finally {
      this.busy = false;
    }
  }

  private detail(t: NotificationTemplateInfo) {
    return html`
      <h2>${t.title}</h2>
      <p>Event <code>${t.event}</code> · template <code>${t.id}</code> · ${t.essential ? 'essential: reaches people who opted out' : 'not essential: people may opt out or choose a daily email'} · sent to ${t.to.join(', ')}</p>
      <p class="small muted">File: ${t.file}</p>
      <h3>What the template receives</h3>
      <table>
        <caption class="small muted">Write <code>{{name}}</code> to put a value in.</caption>
        <thead><tr><th scope="col">Variable</th><th scope="col">What it holds</th></tr></thead>
        <tbody>${t.variables.map((v) => html`<tr><td><code>${v.name}</code></td><td>${v.description}${v.list ? html` <span class="small muted">A list: repeat a part with {{#${v.name}}}…{{/${v.name}}}.</span>` : v.flag ? html` <span class="small muted">Show a part only then: {{#${v.name}}}…{{/${v.name}}}.</span>` : ''}</td></tr>`)}</tbody>
      </table>
      <h3>Preview</h3>
      <form class="preview" @submit=${this.render_}>
        <label>Case number (optional)<input name="caseId" type="number" min="1" inputmode="numeric"></label>
        <label>Reader<select name="audience"><option value="">As the template says</option><option value="employee">The employee</option><option value="manager">The manager</option><option value="hr">HR</option></select></label>
        <button class="primary" type="submit">Show the preview</button>
      </form>
      ${this.previewError ? errorView(this.previewError) : ''}
      ${this.preview ? html`<section aria-label="Rendered preview">
        <p><strong>Subject:</strong> <span class="subject">${this.preview.subject}</span></p>
        <h4>Plain text</h4><pre class="text">${this.preview.text}</pre>
        <h4>HTML</h4><iframe title="The HTML email as the reader sees it" sandbox="" srcdoc=${this.preview.html}></iframe>
        <h4>Chat (Slack, Teams)</h4>
        <p><strong>${this.preview.message.title}</strong></p><p>${this.preview.message.text}</p>
        ${this.preview.message.facts.length ? html`<dl class="facts">${this.preview.message.facts.map((f) => html`<dt>${f.label}</dt><dd>${f.value}</dd>`)}</dl>` : ''}
      </section>` : ''}
      <h3>Test send</h3>
      <form @submit=${this.send}>
        <label>Send the preview to<input name="to" type="email" required autocomplete="email"></label>
        <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Sending…' : 'Send a test email'}</button>
      </form>
      ${this.sendResult ? html`<p class="notice success" role="status">${this.sendResult}</p>` : ''}
      ${this.sendError ? errorView(this.sendError) : ''}`;
  }

  render() {
    return html`
      <h1>Notifications</h1>
      ${this.data.render({
        pending: () => loadingView('Loading the templates…'),
        error: (e) => errorView(e, () => this.data.run()),
        complete: (d) => {
          const current = d.templates.find((t) => t.id === this.selected) ?? d.templates[0];
          if (current && this.selected !== current.id) this.selected = current.id;
          return html`
            ${d.configured ? '' : html`<p class="notice warning">Email is not configured: add <code>notifications.smtp</code> and <code>notifications.from</code> to appraise.config.yaml. Previews work; test sends do not.</p>`}
            ${d.diagnostics.length ? html`<section aria-label="Problems in the templates"><h2>Problems in the templates</h2><ul>${d.diagnostics.map((x) => html`<li><code>${x.file}:${x.line}:${x.column}</code> ${x.message}</li>`)}</ul></section>` : ''}
            <div class="grid">
              <nav aria-label="Templates"><ul class="templates">${d.templates.map((t) => html`<li><button type="button" aria-pressed=${t.id === current?.id ? 'true' : 'false'}
                @click=${() => { this.selected = t.id; this.preview = null; this.sendResult = ''; this.sendError = null; this.previewError = null; }}>${t.title}</button></li>`)}</ul></nav>
              <div>${current ? this.detail(current) : ''}</div>
            </div>`;
        },
      })}`;
  }
}
customElements.define('notifications-page', NotificationsPage);
declare global {
  interface HTMLElementTagNameMap {
    'notifications-page': NotificationsPage;
  }
}
