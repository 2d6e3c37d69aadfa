// One rule of a decision in words, for HR admins and managers: whether it was met and what that
// means under the policy's hit policy, then each condition as it reads ("csat below 4.2", "has
// an active improvement plan: no") with the person's value, its days and its data points.
// explanation-view.ts shows the same explanation as a table of facts and operators.
import { LitElement, html, css, type TemplateResult } from 'lit';
import type { ConditionExplanation, LeafExplanation, RuleExplanation } from '../api/types.ts';
import { conditionWords, groupWords, valueWords } from '../lib/condition-words.ts';
import { OUTCOME_LABEL } from '../lib/format.ts';
import { codeText } from '../lib/states.ts';
import { CONDITION_RESULT, RULE_STATUS, ruleStatusSentence } from '../lib/words.ts';
import { shared } from '../styles/shared.ts';

const MARK = { pass: '✔', fail: '✘', unknown: '?' } as const;

export class RuleInWords extends LitElement {
  static properties = { rule: { attribute: false } };
  static styles = [shared, css`
    .head { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
    ul { list-style: none; margin: 0.4rem 0 0; padding: 0; }
    ul ul { padding-left: 1.1rem; border-left: 2px solid #eaeef2; margin-left: 0.3rem; }
    .cond { display: flex; flex-wrap: wrap; gap: 0.2rem 0.6rem; align-items: baseline; padding: 0.35rem 0.6rem; margin: 0.25rem 0; background: #f6f8fa; border-radius: 6px; }
    .cond .what { font-weight: 600; }
    .cond .reason { flex-basis: 100%; color: #7d4e00; font-size: 0.85rem; }
    .group { font-weight: 600; font-size: 0.9rem; margin: 0.4rem 0 0.2rem; display: flex; gap: 0.5rem; align-items: center; }
    p.why { margin: 0.3rem 0 0; }
  `];
  declare rule: RuleExplanation | null;

  constructor() {
    super();
    this.rule = null;
  }

  private result(r: LeafExplanation['result']) {
    return html`<span class="badge ${r}">${MARK[r]} ${CONDITION_RESULT[r]}</span>`;
  }

  private node(c: ConditionExplanation): TemplateResult {
    if (c.kind === 'fact') {
      const reason = c.result === 'unknown' ? c.reason ?? c.left.message : undefined;
      return html`<li class="cond" data-result=${c.result}>
        ${this.result(c.result)} <span class="what">${conditionWords(c)}</span> <span class="small muted">${valueWords(c)}</span>
        ${reason ? html`<span class="reason">${codeText(reason)}</span>` : ''}
      </li>`;
    }
    return html`<li>
      <div class="group">${groupWords(c.kind)}${c.name ? html` (<em>${c.name}</em>)` : ''} ${this.result(c.result)}</div>
      <ul>${c.children.map((x) => this.node(x))}</ul>
    </li>`;
  }

  render() {
    const r = this.rule;
    if (!r) return html`<p class="empty">No explanation was recorded.</p>`;
    const status = RULE_STATUS[r.status] ?? { label: r.status, tone: 'neutral' };
    // A single unnamed "all of these" adds nothing to the sentence above it.
    const top = r.conditions.kind === 'all' && !r.conditions.name ? r.conditions.children : [r.conditions];
    return html`
      <div class="head">
        <span class="badge ${r.outcome}">${OUTCOME_LABEL[r.outcome] ?? r.outcome}</span>
        <span>Rule “${r.ruleId}”</span>
        <span class="badge ${status.tone}" data-status=${r.status}>${status.label}</span>
      </div>
      <p class="why small">${ruleStatusSentence(r)}</p>
      <ul>${top.map((c) => this.node(c))}</ul>`;
  }
}
customElements.define('rule-in-words', RuleInWords);
declare global {
  interface HTMLElementTagNameMap {
    'rule-in-words': RuleInWords;
  }
}
