// The loading, empty and error states every screen shows (with @lit/task), so that no screen
// is ever blank: an API error shows the server's own message and code, its `code spans` as
// code, and what to do in the UI where the message names a command to run (messages.ts).
import { html, type TemplateResult } from 'lit';
import { ApiError } from '../api/client.ts';
import { codeSpans, uiMessage, type Advice } from './messages.ts';

/** Text with its `code spans` as <code> (server messages, engine reasons, plugin problems). */
export function codeText(text: string): TemplateResult {
  return html`${codeSpans(text).map((s) => (s.code ? html`<code>${s.text}</code>` : s.text))}`;
}

function adviceView(advice: Advice): TemplateResult {
  return html`<span class="advice">${advice.href ? html`<a href=${advice.href}>${advice.text}</a>` : advice.text}</span>`;
}

/** A server message for the UI: code spans as code, command-line advice replaced by the UI's (by error code). */
export function messageView(message: string, code?: string): TemplateResult {
  const { text, advice } = uiMessage(message, code);
  return html`${codeText(text)}${advice ? html` ${adviceView(advice)}` : ''}`;
}

export function loadingView(what = 'Loading…'): TemplateResult {
  return html`<div class="loading" role="status" aria-live="polite">${what}</div>`;
}

export function emptyView(message: string): TemplateResult {
  return html`<p class="empty">${messageView(message)}</p>`;
}

/** The error's message as plain text (for a short inline state); errorView shows it in full. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    const { text, advice } = uiMessage(e.message, e.code);
    return `${text.replace(/`([^`]+)`/g, '$1')}${advice ? ` ${advice.text}` : ''}`;
  }
  if (e instanceof Error) return e.message;
  return String(e);
}

export function errorView(e: unknown, retry?: () => void): TemplateResult {
  const code = e instanceof ApiError ? e.code : undefined;
  const { text, advice } = uiMessage(e instanceof Error ? e.message : String(e), code);
  return html`<div class="notice error" role="alert">
    <strong>${codeText(text)}</strong>
    ${advice ? html`<div>${adviceView(advice)}</div>` : ''}
    ${code ? html`<div class="small mono">${code}</div>` : ''}
    ${retry ? html`<div style="margin-top:0.5rem"><button @click=${retry}>Try again</button></div>` : ''}
  </div>`;
}

/** Runs a form's request with `busy` set while it runs, and keeps its error to show (null when it succeeds). */
export async function submitting(host: { busy: boolean; error: unknown }, work: () => Promise<unknown>): Promise<void> {
  host.busy = true;
  host.error = null;
  try {
    await work();
  } catch (e) {
    host.error = e;
  } finally {
    host.busy = false;
  }
}

/** A form's error, then its submit button (saying so while it saves) and Cancel. */
export function submitRow(f: { busy: boolean; error: unknown }, label: string, cancel: () => void): TemplateResult {
  return html`${f.error ? errorView(f.error) : ''}
    <div class="row">
      <button class="primary" type="submit" ?disabled=${f.busy}>${f.busy ? 'Saving…' : label}</button>
      <button type="button" @click=${cancel}>Cancel</button>
    </div>`;
}

/** A submitted form's trimmed values by name; undefined, after the browser has said what is missing, when it is not valid. */
export function submittedValues(e: SubmitEvent): ((name: string) => string) | undefined {
  e.preventDefault();
  const form = e.target as HTMLFormElement;
  if (!form.reportValidity()) return undefined;
  const f = new FormData(form);
  return (name) => f.get(name)?.toString().trim() ?? '';
}
