// The loading, empty and error states every screen shows (with @lit/task), so that no screen
// is ever blank: an API error shows the server's own message and code.
import { html, type TemplateResult } from 'lit';
import { ApiError } from '../api/client.ts';

export function loadingView(what = 'Loading…'): TemplateResult {
  return html`<div class="loading" role="status" aria-live="polite">${what}</div>`;
}

export function emptyView(message: string): TemplateResult {
  return html`<p class="empty">${message}</p>`;
}

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

export function errorView(e: unknown, retry?: () => void): TemplateResult {
  const code = e instanceof ApiError ? e.code : undefined;
  return html`<div class="notice error" role="alert">
    <strong>${errorMessage(e)}</strong>
    ${code ? html`<div class="small mono">${code}</div>` : ''}
    ${retry ? html`<div style="margin-top:0.5rem"><button @click=${retry}>Try again</button></div>` : ''}
  </div>`;
}
