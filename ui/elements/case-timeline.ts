// A case's events, oldest first: who did what, the status change, the note and any data
// (goals, due date, session time) the action carried.
import { LitElement, html, css } from 'lit';
import type { CaseEvent } from '../api/types.ts';
import { formatDateTime } from '../lib/format.ts';
import { shared } from '../styles/shared.ts';

const WORDS: Record<string, string> = { opened: 'Opened', transition: 'Status changed', checkin: 'Check-in', note: 'Note', goals: 'Goals changed', superseded: 'Superseded' };

export class CaseTimeline extends LitElement {
  static properties = { events: { attribute: false } };
  static styles = [shared, css`
    ol { list-style: none; margin: 0; padding: 0 0 0 1rem; border-left: 2px solid #d0d7de; }
    li { position: relative; padding: 0 0 1rem 0.9rem; }
    li::before { content: ''; position: absolute; left: -1.42rem; top: 0.35rem; width: 0.75rem; height: 0.75rem; border-radius: 50%; background: #fff; border: 2px solid #57606a; }
    li[data-event='checkin']::before { border-color: #1f6feb; }
    .note { white-space: pre-wrap; background: #f6f8fa; border-radius: 6px; padding: 0.4rem 0.6rem; margin-top: 0.25rem; }
  `];
  declare events: CaseEvent[];

  constructor() {
    super();
    this.events = [];
  }

  private data(d: Record<string, unknown>) {
    const shown = Object.entries(d ?? {}).filter(([k]) => !['runId', 'decisionId'].includes(k));
    if (!shown.length) return '';
    return html`<div class="small muted">${shown.map(([k, v]) => html`<div>${k}: ${Array.isArray(v) ? v.join('; ') : typeof v === 'object' ? JSON.stringify(v) : String(v)}</div>`)}</div>`;
  }

  render() {
    if (!this.events.length) return html`<p class="empty">No events yet.</p>`;
    return html`<ol aria-label="Timeline">${this.events.map((e) => html`<li data-event=${e.event}>
      <div><strong>${WORDS[e.event] ?? e.event}</strong>${e.from || e.to ? html` <span class="muted">${e.from ?? '—'} → <strong>${e.to ?? '—'}</strong></span>` : ''}</div>
      <div class="small muted">${formatDateTime(e.at)} · ${e.actor}</div>
      ${e.note ? html`<div class="note">${e.note}</div>` : ''}
      ${this.data(e.data)}
    </li>`)}</ol>`;
  }
}
customElements.define('case-timeline', CaseTimeline);
declare global {
  interface HTMLElementTagNameMap {
    'case-timeline': CaseTimeline;
  }
}
