// The policy YAML editor: CodeMirror 6 with YAML highlighting, the server's diagnostics inline
// at their line and column while the admin types (debounced by @codemirror/lint), a problems
// list under it, and completion of metric, fact, operator and workflow ids from the catalogue.
import { LitElement, html, css, type PropertyValues } from 'lit';
import { EditorView, basicSetup } from 'codemirror';
import { Compartment, EditorState } from '@codemirror/state';
import { yaml, yamlLanguage } from '@codemirror/lang-yaml';
import { linter, lintGutter, forceLinting } from '@codemirror/lint';
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import type { ApiDiagnostic, Catalogue } from '../api/types.ts';
import { diagnosticRange, toEditorDiagnostics } from '../lib/diagnostics.ts';
import { BUILTIN_FACTS, BUILTIN_OPERATORS, completionSite, declaredFacts } from '../lib/completion.ts';
import { errorMessage } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';

/** How long typing must pause before the text is checked on the server. */
export const LINT_DELAY_MS = 400;

const theme = EditorView.theme({
  '&': { fontSize: '13.5px', border: '1px solid #8c959f', borderRadius: '6px', background: '#fff', height: 'var(--editor-height, 60vh)', minHeight: '280px' },
  '&.cm-focused': { outline: '3px solid #0969da', outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', overflow: 'auto' },
  // #57606a, not CodeMirror's grey: line numbers are text, and need 4.5:1 on the gutter (6.0:1 here, 5.6:1 on the active line).
  '.cm-gutters': { background: '#f6f8fa', borderRight: '1px solid #eaeef2', color: '#57606a' },
  '.cm-tooltip.cm-tooltip-lint': { maxWidth: '32rem' },
});

/**
 * @fires change - `detail: {value}` after every edit by the user (not when `value` is set).
 * @fires diagnostics - `detail: {diagnostics, checking}` when the server's check of the text comes back.
 * @csspart problems - the list of problems under the editor.
 */
export class PolicyEditor extends LitElement {
  static properties = {
    value: {}, readOnly: { type: Boolean, attribute: 'read-only' }, catalogue: { attribute: false }, validator: { attribute: false },
    problems: { state: true }, checked: { state: true }, checkError: { state: true },
  };
  static styles = [shared, css`
    :host { display: block; }
    .status { display: flex; gap: 0.5rem; align-items: center; margin: 0.5rem 0 0.25rem; font-size: 0.9rem; }
    ul { list-style: none; margin: 0; padding: 0; max-height: 12rem; overflow: auto; }
    li button { width: 100%; justify-content: flex-start; text-align: left; font-weight: 400; background: #fff; border-color: #eaeef2; margin-top: 0.25rem; }
    li button .where { font-family: ui-monospace, monospace; font-size: 0.8rem; color: #57606a; white-space: nowrap; }
    @media (max-width: 600px) { :host { --editor-height: 55vh; } }
  `];
  /** The text. Setting it replaces the editor's document; typing updates it. */
  declare value: string;
  declare readOnly: boolean;
  /** The metric catalogue, for completion. */
  declare catalogue: Catalogue | null;
  /** Checks a text on the server (POST /api/policies/validate). */
  declare validator: ((text: string) => Promise<ApiDiagnostic[]>) | null;
  declare problems: ApiDiagnostic[];
  declare checked: boolean;
  declare checkError: unknown;
  private view?: EditorView;
  private readonly readOnlyConf = new Compartment();
  /** True while `updated` puts `value` into the editor. */
  private settingValue = false;

  constructor() {
    super();
    this.value = '';
    this.readOnly = false;
    this.catalogue = null;
    this.validator = null;
    this.problems = [];
    this.checked = false;
    this.checkError = null;
  }

  /** Moves the cursor to a 1-based line and column and focuses the editor. */
  revealPosition(line: number, column: number): void {
    if (!this.view) return;
    const { from } = diagnosticRange(this.view.state.doc, line, column);
    this.view.dispatch({ selection: { anchor: from }, scrollIntoView: true });
    this.view.focus();
  }

  /** Checks the text now instead of after the typing pause. */
  checkNow(): void {
    if (this.view) forceLinting(this.view);
  }

  private readonly lint = async (view: EditorView) => {
    const doc = view.state.doc;
    const text = doc.toString();
    if (!this.validator || !text.trim()) {
      this.problems = [];
      return [];
    }
    try {
      const diagnostics = await this.validator(text);
      this.checkError = null;
      this.checked = true;
      this.problems = diagnostics;
      this.dispatchEvent(new CustomEvent('diagnostics', { detail: { diagnostics } }));
      return toEditorDiagnostics(doc, diagnostics);
    } catch (e) {
      this.checkError = e;
      return [];
    }
  };

  private readonly complete = (ctx: CompletionContext): CompletionResult | null => {
    const line = ctx.state.doc.lineAt(ctx.pos);
    const before = line.text.slice(0, ctx.pos - line.from);
    const above: string[] = [];
    for (let n = Math.max(1, line.number - 40); n < line.number; n++) above.push(ctx.state.doc.line(n).text);
    const site = completionSite(before, above);
    if (!site) return null;
    const c = this.catalogue;
    let options: Completion[] = [];
    if (site.kind === 'metric') options = (c?.metrics ?? []).map((m) => ({ label: m.id, type: 'variable', detail: m.unit, info: `${m.title}${m.description ? ` — ${m.description}` : ''}` }));
    if (site.kind === 'fact') {
      options = [
        ...declaredFacts(ctx.state.doc.toString()).map((f) => ({ label: f, type: 'property', detail: 'declared fact', boost: 10 })),
        ...BUILTIN_FACTS.map((f) => ({ label: f.id, type: 'constant', detail: 'built-in', info: f.info })),
      ];
    }
    if (site.kind === 'operator') {
      const extra = (c?.operators ?? []).map((o) => ({ label: o.id, type: 'keyword', detail: 'plugin', info: o.description ?? undefined }));
      options = [...BUILTIN_OPERATORS.map((o) => ({ label: o, type: 'keyword' })), ...extra];
    }
    if (site.kind === 'workflow') options = (c?.workflows ?? []).map((w) => ({ label: w.id, type: 'function', info: w.title }));
    if (!options.length) return null;
    return { from: line.from + site.from, options, validFor: /^[\w.:-]*$/ };
  };

  protected firstUpdated() {
    this.view = new EditorView({
      parent: this.renderRoot.querySelector<HTMLElement>('.host')!,
      state: EditorState.create({
        doc: this.value,
        extensions: [
          basicSetup,
          yaml(),
          yamlLanguage.data.of({ autocomplete: this.complete }),
          lintGutter(),
          linter(this.lint, { delay: LINT_DELAY_MS }),
          this.readOnlyConf.of(EditorState.readOnly.of(this.readOnly)),
          // tabindex: a contenteditable is focusable without one, but checkers (axe's
          // scrollable-region-focusable) look for it to know the scrolling text is reachable by keyboard.
          EditorView.contentAttributes.of({ 'aria-label': 'Policy YAML', 'aria-describedby': 'editor-help', tabindex: '0' }),
          EditorView.updateListener.of((u) => {
            if (!u.docChanged) return;
            this.value = u.state.doc.toString();
            // A text set from outside (the page loading a version) is not an edit: no `change`,
            // or the page would keep the text it set as the admin's own draft.
            if (this.settingValue) return;
            this.dispatchEvent(new CustomEvent('change', { detail: { value: this.value } }));
          }),
          theme,
        ],
      }),
    });
  }

  protected updated(changed: PropertyValues) {
    const view = this.view;
    if (!view) return;
    if (changed.has('value') && this.value !== view.state.doc.toString()) {
      this.settingValue = true;
      try {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: this.value } });
      } finally {
        this.settingValue = false;
      }
    }
    if (changed.has('readOnly')) view.dispatch({ effects: this.readOnlyConf.reconfigure(EditorState.readOnly.of(this.readOnly)) });
  }

  disconnectedCallback() {
    this.view?.destroy();
    this.view = undefined;
    super.disconnectedCallback();
  }

  connectedCallback() {
    super.connectedCallback();
    if (this.hasUpdated && !this.view) this.firstUpdated();
  }

  render() {
    const errors = this.problems.filter((p) => p.severity === 'error').length;
    const notes = this.problems.filter((p) => p.severity === 'info').length;
    const warnings = this.problems.length - errors - notes;
    const noted = notes ? ` · ${notes} note${notes === 1 ? '' : 's'}` : '';
    return html`
      <div class="host"></div>
      <p id="editor-help" class="sr-only">Press Tab to leave the editor. Problems are listed after it.</p>
      <div class="status" role="status" aria-live="polite">
        ${this.checkError
          ? html`<span class="badge error">Not checked</span> <span>${errorMessage(this.checkError)}</span>`
          : !this.checked
            ? html`<span class="badge neutral">Checking…</span>`
            : errors + warnings
              ? html`<span class="badge ${errors ? 'error' : 'warning'}">${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${noted}</span>`
              : html`<span class="badge ok">No problems${noted}</span>`}
      </div>
      ${this.problems.length ? html`<ul part="problems" aria-label="Problems">${this.problems.map((p) => html`<li><button data-line=${p.line} @click=${() => this.revealPosition(p.line, p.column)}>
          <span class="badge ${p.severity === 'error' ? 'error' : p.severity === 'info' ? 'neutral' : 'warning'}">${p.severity === 'info' ? 'note' : p.severity}</span>
          <span class="where">line ${p.line}, column ${p.column}</span>
          <span>${p.message}${p.hint ? html` <span class="muted">${p.hint}</span>` : ''} <code class="muted">${p.code}</code></span>
        </button></li>`)}</ul>` : ''}`;
  }
}
customElements.define('policy-editor', PolicyEditor);
declare global {
  interface HTMLElementTagNameMap {
    'policy-editor': PolicyEditor;
  }
}
