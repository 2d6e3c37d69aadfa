// Why a rule was met (or not): the rule's status and, condition by condition, the fact's value,
// the threshold, met / not met / could not be decided, and the data window with its samples. In
// the UI's words (ui/lib/words.ts), never the engine's.
import { LitElement, html, css, type TemplateResult } from 'lit';
import type { ConditionExplanation, FactSide, LeafExplanation, RuleExplanation } from '../api/types.ts';
import { formatValue, formatWindow, operatorSymbol, OUTCOME_LABEL } from '../lib/format.ts';
import { shared } from '../styles/shared.ts';
import { RULE_STATUS, ruleStatusSentence } from '../lib/words.ts';
import { conditionWords } from '../lib/condition-words.ts';

const RESULT = { pass: '✔ met', fail: '✘ not met', unknown: '? could not be decided' } as const;
const TONE_BADGE = { ok: 'pass', neutral: 'neutral', warning: 'unknown', error: 'fail' } as const;

export class ExplanationView extends LitElement {
  static properties = { rule: { attribute: false }, note: { attribute: false }, compact: { type: Boolean } };
  static styles = [shared, css`
    :host { container-type: inline-size; }
    .head { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin-bottom: 0.5rem; }
    ul { list-style: none; margin: 0; padding: 0; }
    ul ul { padding-left: 1.1rem; border-left: 2px solid #eaeef2; margin-left: 0.3rem; }
    .group { font-weight: 600; font-size: 0.9rem; margin: 0.4rem 0 0.2rem; display: flex; gap: 0.5rem; align-items: center; }
    .leaf { display: grid; grid-template-columns: minmax(10rem, 1.3fr) minmax(6rem, 0.8fr) minmax(10rem, 1.4fr) minmax(6rem, 0.8fr) auto; gap: 0.25rem 1rem; align-items: baseline;
      padding: 0.45rem 0.6rem; margin: 0.25rem 0; background: #f6f8fa; border-radius: 6px; font-size: 0.9rem; }
    .k { display: block; color: #57606a; font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.03em; }
    .reason { grid-column: 1 / -1; color: #7d4e00; font-size: 0.85rem; }
    /* by the element's own width: it sits in cards and table cells as well as full pages */
    @container (max-width: 640px) { .leaf { grid-template-columns: 1fr 1fr; } }
    @container (max-width: 300px) { .leaf { grid-template-columns: 1fr; } }
  `];
  declare rule: RuleExplanation | null;
  /** Shown when there is no rule explanation: what the case recorded instead (a historical case's note). */
  declare note: string | null;
  /** Leaves out the rule header (when the page already shows it). */
  declare compact: boolean;

  constructor() {
    super();
    this.rule = null;
    this.note = null;
    this.compact = false;
  }

  /** The condition as the policy writes it, for those who check it against the YAML (on hover). */
  private written(l: LeafExplanation): string {
    const side = (s: FactSide) => `${s.fact}${s.path ? ` ${s.path}` : ''}`;
    return `${side(l.left)} ${operatorSymbol(l.operator)} ${l.right ? side(l.right) : formatValue(l.threshold, l.left.unit)}`;
  }

  private leaf(l: LeafExplanation): TemplateResult {
    const samples = l.left.samples !== undefined ? `${l.left.samples}${l.left.minSamples !== undefined ? ` (at least ${l.left.minSamples} needed)` : ''}` : '—';
    return html`<li class="leaf" data-result=${l.result}>
      <div title=${`In the policy: ${this.written(l)}`}><span class="k">Condition</span>${conditionWords(l)}</div>
      <div><span class="k">Value</span><strong>${l.left.value === undefined || l.left.value === null ? 'no value' : formatValue(l.left.value, l.left.unit)}</strong></div>
      <div><span class="k">Data window</span>${l.left.window ? formatWindow(l.left.window) : 'as of the run'}</div>
      <div><span class="k">Data points</span>${samples}</div>
      ${l.left.notes?.length ? html`<div><span class="k">Left out</span>${l.left.notes.join('; ')}</div>` : ''}
      <div><span class="badge ${l.result}">${RESULT[l.result]}</span></div>
      ${l.result === 'unknown' && (l.reason || l.left.message) ? html`<div class="reason">${l.reason ?? l.left.message}</div>` : ''}
    </li>`;
  }

  private node(c: ConditionExplanation): TemplateResult {
    if (!c || (c.kind !== 'fact' && !Array.isArray((c as { children?: unknown }).children))) {
      return html`<li class="leaf" data-result="unknown"><div>This part of the explanation could not be read.</div></li>`;
    }
    if (c.kind === 'fact') return this.leaf(c);
    const head = { all: 'All of', any: 'Any of', not: 'Not' }[c.kind];
    return html`<li>
      <div class="group">${head}${c.name ? html` <em>${c.name}</em>` : ''} <span class="badge ${c.result}">${RESULT[c.result]}</span></div>
      <ul>${c.children.map((x) => this.node(x))}</ul>
    </li>`;
  }

  render() {
    const r = this.rule;
    if (!r) return html`<p class="empty">${this.note ? `Recorded without the rule's reasons: ${this.note}` : 'No explanation was recorded for this case.'}</p>`;
    return html`
      ${this.compact ? '' : html`<div class="head">
        <span class="badge ${r.outcome}">${OUTCOME_LABEL[r.outcome] ?? r.outcome}</span>
        <span>Rule <code>${r.ruleId}</code></span>
        <span class="badge ${TONE_BADGE[RULE_STATUS[r.status]?.tone ?? 'neutral']}">${RULE_STATUS[r.status]?.label ?? r.status}</span>
        <span class="muted small">${ruleStatusSentence(r)}</span>
      </div>`}
      <ul>${this.node(r.conditions)}</ul>`;
  }
}
customElements.define('explanation-view', ExplanationView);
declare global {
  interface HTMLElementTagNameMap {
    'explanation-view': ExplanationView;
  }
}
