// Two policy versions side by side: unchanged lines on one row, a changed line next to its
// replacement, removed and added lines against a gap. Long unchanged stretches are folded.
import { LitElement, html, css } from 'lit';
import { foldUnchanged, sideBySide, type FoldRow, type SideRow } from '../lib/side-by-side.ts';
import { shared } from '../styles/shared.ts';

export class DiffView extends LitElement {
  static properties = { oldText: {}, newText: {}, beforeLabel: {}, afterLabel: {}, expanded: { state: true } };
  static styles = [shared, css`
    .table-wrap { max-height: 70vh; overflow: auto; }
    table { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.8rem; table-layout: fixed; min-width: 640px; }
    col.n { width: 3.2rem; }
    th { position: sticky; top: 0; z-index: 1; }
    td { padding: 0 0.5rem; border: none; white-space: pre-wrap; word-break: break-word; line-height: 1.55; }
    td.n { color: #57606a; text-align: right; user-select: none; border-right: 1px solid #eaeef2; }
    tr.removed td.l, tr.changed td.l { background: #ffebe9; }
    tr.removed td.ln, tr.changed td.ln { background: #ffd7d5; }
    tr.added td.r, tr.changed td.r { background: #dafbe1; }
    tr.added td.rn, tr.changed td.rn { background: #aceebb; }
    tr.removed td.r, tr.removed td.rn, tr.added td.l, tr.added td.ln { background: #f6f8fa; }
    tr.fold td { background: #ddf4ff; color: #0a3069; text-align: center; padding: 0.15rem; }
    .summary { margin-bottom: 0.5rem; }
  `];
  declare oldText: string;
  declare newText: string;
  declare beforeLabel: string;
  declare afterLabel: string;
  declare expanded: boolean;

  constructor() {
    super();
    this.oldText = '';
    this.newText = '';
    this.beforeLabel = 'Before';
    this.afterLabel = 'After';
    this.expanded = false;
  }

  private row(r: SideRow | FoldRow) {
    if (r.kind === 'fold') {
      return html`<tr class="fold"><td colspan="4"><button class="link" @click=${() => (this.expanded = true)}>⋯ ${r.hidden} unchanged lines (show)</button></td></tr>`;
    }
    const mark = { same: '', changed: 'changed', removed: 'removed', added: 'added' }[r.kind];
    return html`<tr class=${r.kind}>
      <td class="n ln">${r.left?.line ?? ''}</td>
      <td class="l">${r.left ? html`${mark && r.kind !== 'added' ? html`<span class="sr-only">${r.kind === 'changed' ? 'changed from' : 'removed'}: </span>` : ''}${r.left.text}` : ''}</td>
      <td class="n rn">${r.right?.line ?? ''}</td>
      <td class="r">${r.right ? html`${mark && r.kind !== 'removed' ? html`<span class="sr-only">${r.kind === 'changed' ? 'changed to' : 'added'}: </span>` : ''}${r.right.text}` : ''}</td>
    </tr>`;
  }

  render() {
    const rows = sideBySide(this.oldText, this.newText);
    const changed = rows.filter((r) => r.kind !== 'same');
    if (!changed.length) return html`<p class="empty">The two versions have the same text.</p>`;
    const shown = this.expanded ? rows : foldUnchanged(rows);
    const count = (k: SideRow['kind']) => rows.filter((r) => r.kind === k).length;
    return html`
      <p class="summary small muted">${count('changed')} changed, ${count('removed')} removed, ${count('added')} added lines.</p>
      <div class="table-wrap"><table>
        <caption class="sr-only">Side-by-side differences between ${this.beforeLabel} and ${this.afterLabel}</caption>
        <colgroup><col class="n"><col><col class="n"><col></colgroup>
        <thead><tr><th colspan="2">${this.beforeLabel}</th><th colspan="2">${this.afterLabel}</th></tr></thead>
        <tbody>${shown.map((r) => this.row(r))}</tbody>
      </table></div>`;
  }
}
customElements.define('diff-view', DiffView);
declare global {
  interface HTMLElementTagNameMap {
    'diff-view': DiffView;
  }
}
