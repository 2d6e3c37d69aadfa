// One published worker notice (core/compliance/notices), as the person it concerns reads it: the
// notice's own sections and lines (the same words as the printed and emailed notice), with the
// dates that matter in the reader's own time zone and the hash that identifies the text.
import { LitElement, html, css, type TemplateResult } from 'lit';
import type { NoticeItem, WorkerNotice } from '../api/types.ts';
import { formatDateTime } from '../lib/format.ts';
import { shared } from '../styles/shared.ts';

export class WorkerNoticeView extends LitElement {
  static properties = { notice: { attribute: false } };
  static styles = [shared, css`
    section { margin: 0.9rem 0; }
    h3 { font-size: 1rem; margin: 0 0 0.3rem; }
    p { margin: 0.25rem 0; }
    ul { margin: 0.3rem 0; padding-left: 1.3rem; }
    li { margin: 0.2rem 0; }
    dl.facts { margin: 0.4rem 0 0.8rem; }
    .enforced { border-left: 4px solid #bf8700; background: #fff8c5; padding: 0.4rem 0.6rem; border-radius: 0 6px 6px 0; }
    footer { color: #57606a; font-size: 0.8rem; margin-top: 0.8rem; overflow-wrap: anywhere; }
  `];
  declare notice: WorkerNotice | null;

  constructor() {
    super();
    this.notice = null;
  }

  private items(list: NoticeItem[] | undefined): TemplateResult | string {
    return list?.length ? html`<ul>${list.map((i) => html`<li>${i.text}${this.items(i.items)}</li>`)}</ul>` : '';
  }

  render() {
    const n = this.notice;
    if (!n) return html`<p class="empty">No notice.</p>`;
    const pending = n.noticeDays > 0 && Date.parse(n.enforcedFrom) > Date.now();
    return html`
      <dl class="facts">
        <dt>Version</dt><dd>${n.version}</dd>
        <dt>In force since</dt><dd>${formatDateTime(n.inForceAt)}</dd>
        ${n.noticeDays > 0 ? html`<dt>Cases opened from</dt><dd>${formatDateTime(n.enforcedFrom)}, after the ${n.noticeDays}-day notice period</dd>` : ''}
      </dl>
      ${pending ? html`<p class="enforced" data-notice-period>Until ${formatDateTime(n.enforcedFrom)} this version only records its decisions: no case is opened for anyone.</p>` : ''}
      ${n.sections.map((s) => html`<section data-section=${s.id}>
        <h3>${s.heading}</h3>
        ${s.paragraphs.map((p) => html`<p>${p}</p>`)}
        ${this.items(s.items)}
      </section>`)}
      <footer>Published ${formatDateTime(n.noticePublishedAt)}${Date.parse(n.noticePublishedAt) - Date.parse(n.inForceAt) > 60_000 ? ' (written after the version took effect, which came before worker notices)' : ''}. Text fingerprint (SHA-256): <code>${n.textHash}</code></footer>`;
  }
}
customElements.define('worker-notice-view', WorkerNoticeView);
declare global {
  interface HTMLElementTagNameMap {
    'worker-notice-view': WorkerNoticeView;
  }
}
