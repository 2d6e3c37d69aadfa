// A case's events, oldest first: what happened, the status change, who did it and when (in the
// viewer's time, the exact UTC instant on hover), the note, and the data the action carried
// (goals, due date, session time) as sentences (lib/event-words.ts).
import { LitElement, html, css } from 'lit';
import type { CaseEvent } from '../api/types.ts';
import { actorWords, eventDetails, eventHeading, eventNote } from '../lib/event-words.ts';
import { codeText } from '../lib/states.ts';
import { dateTimeView, whenView } from '../lib/time-view.ts';
import { shared } from '../styles/shared.ts';

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

  private details(e: CaseEvent) {
    const lines = eventDetails(e);
    if (!lines.length) return '';
    return html`<div class="small muted">${lines.map((d) => html`<div>${d.text}${d.at ? whenView(d.at) : ''}</div>`)}</div>`;
  }

  render() {
    if (!this.events.length) return html`<p class="empty">No events yet.</p>`;
    return html`<ol aria-label="Timeline">${this.events.map((e) => {
      const note = eventNote(e);
      return html`<li data-event=${e.event}>
        <div><strong>${eventHeading(e)}</strong>${e.from && e.to ? html` <span class="muted">${e.from} → <strong>${e.to}</strong></span>` : e.to ? html` <span class="muted">as <strong>${e.to}</strong></span>` : ''}</div>
        <div class="small muted">${dateTimeView(e.at)} · ${actorWords(e.actor)}</div>
        ${note ? html`<div class="note">${codeText(note)}</div>` : ''}
        ${this.details(e)}
      </li>`;
    })}</ol>`;
  }
}
customElements.define('case-timeline', CaseTimeline);
declare global {
  interface HTMLElementTagNameMap {
    'case-timeline': CaseTimeline;
  }
}
