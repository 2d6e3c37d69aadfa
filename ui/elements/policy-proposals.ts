// Four-eyes publish in the editor: the versions of a policy awaiting review, each with what the
// reviewer judges it by (its comment, its change against the version it was based on, the
// preview and fairness flags its author saw), links to preview or backtest that version, and
// Approve / Reject with a note. The author sees their own proposal but cannot review it; the
// server refuses that too (APPRAISE_POLICY_OWN_PROPOSAL), so the UI is only a courtesy.
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, ApiError, type PolicyVersion, type Principal } from '../api/index.ts';
import { href } from '../router.ts';
import { errorMessage, errorView, loadingView } from '../lib/states.ts';
import { dateTimeView } from '../lib/time-view.ts';
import type { ImpactSummary } from '../lib/impact.ts';
import { shared } from '../styles/shared.ts';
import './diff-view.ts';
import './impact-summary.ts';

/** The preview a proposal was published with, when the editor sent one (the CLI sends none). */
function impactOf(v: PolicyVersion): ImpactSummary | null {
  const p = v.proposal?.preview as Partial<ImpactSummary> | undefined;
  return p && typeof p === 'object' && p.gains && p.losses ? (p as ImpactSummary) : null;
}

/**
 * @fires reviewed - `detail: {version, decision}` after a proposal was approved or rejected.
 */
export class PolicyProposals extends LitElement {
  static properties = {
    policyId: {}, principal: { attribute: false }, proposed: { attribute: false },
    notes: { state: true }, busy: { state: true }, failure: { state: true },
  };
  static styles = [shared, css`
    :host { display: block; }
    article { border-top: 1px solid #eaeef2; padding-top: 0.75rem; margin-top: 0.75rem; }
    article:first-of-type { border-top: none; margin-top: 0; padding-top: 0; }
    h3 { margin: 0 0 0.25rem; font-size: 1rem; }
    details summary { cursor: pointer; }
  `];
  declare policyId: string;
  declare principal: Principal;
  /** The versions awaiting review, newest first. */
  declare proposed: PolicyVersion[];
  declare notes: Record<number, string>;
  declare busy: number | null;
  declare failure: { version: number; error: unknown } | null;

  /** Each proposal's change against the version it was proposed on. */
  private readonly diffs = new Task(this, {
    task: async ([id, versions]: [string, PolicyVersion[]], { signal }) =>
      Promise.all(versions.map(async (v) => {
        const base = v.baseVersion ?? 0;
        if (base < 1) return { version: v.version, fromYaml: '', toYaml: (await api.version(id, v.version, { signal })).yaml, base };
        const d = await api.diff(id, base, v.version, { signal });
        return { version: v.version, fromYaml: d.fromYaml, toYaml: d.toYaml, base };
      })),
    args: () => [this.policyId, this.proposed] as [string, PolicyVersion[]],
  });

  constructor() {
    super();
    this.policyId = '';
    this.proposed = [];
    this.notes = {};
    this.busy = null;
    this.failure = null;
  }

  private async review(e: SubmitEvent, v: PolicyVersion) {
    e.preventDefault();
    const decision = ((e.submitter as HTMLButtonElement | null)?.value ?? 'approve') as 'approve' | 'reject';
    const note = (this.notes[v.version] ?? '').trim();
    if (!note) return;
    this.busy = v.version;
    this.failure = null;
    try {
      await api.review(this.policyId, v.version, decision, note);
      this.notes = { ...this.notes, [v.version]: '' };
      this.dispatchEvent(new CustomEvent('reviewed', { detail: { version: v.version, decision }, bubbles: true, composed: true }));
    } catch (error) {
      this.failure = { version: v.version, error };
    } finally {
      this.busy = null;
    }
  }

  private reviewForm(v: PolicyVersion) {
    if (v.author === this.principal?.name) {
      return html`<p class="notice info small" data-own="true">You proposed this version, so you cannot approve it yourself: another person with the HR or administrator role must.</p>`;
    }
    const failed = this.failure?.version === v.version ? this.failure.error : null;
    const note = this.notes[v.version] ?? '';
    return html`<form class="stack" @submit=${(e: SubmitEvent) => this.review(e, v)} aria-label="Review v${v.version}">
      <label>Your note (why you approve or reject it)
        <textarea name="note" required maxlength="2000" .value=${note} @input=${(e: Event) => (this.notes = { ...this.notes, [v.version]: (e.target as HTMLTextAreaElement).value })}></textarea></label>
      ${failed ? html`<div class="notice error" role="alert"><strong>${failed instanceof ApiError && failed.status === 409 ? 'Not reviewed: the policy changed. ' : 'Not reviewed. '}</strong>${errorMessage(failed)}</div>` : ''}
      <div class="row">
        <button class="primary" type="submit" value="approve" ?disabled=${this.busy !== null || !note.trim()}>${this.busy === v.version ? 'Saving…' : `Approve v${v.version}`}</button>
        <button type="submit" class="danger" value="reject" ?disabled=${this.busy !== null || !note.trim()}>Reject v${v.version}</button>
      </div>
      <p class="small muted" style="margin:0">Approving puts v${v.version} in force for the next run; rejecting keeps it in the history, marked rejected.</p>
    </form>`;
  }

  private proposal(v: PolicyVersion, diff: { fromYaml: string; toYaml: string; base: number } | undefined) {
    const impact = impactOf(v);
    const fairness = v.proposal?.fairness as { checked?: boolean; flags?: string[] } | undefined;
    return html`<article data-version=${v.version} aria-labelledby="proposal-${v.version}">
      <h3 id="proposal-${v.version}">v${v.version}, proposed by ${v.author} ${dateTimeView(v.proposal?.proposedAt ?? v.publishedAt)}</h3>
      <p class="small">“${v.comment}” ${v.baseVersion ? html`<span class="muted">A change to v${v.baseVersion}.</span>` : ''}</p>
      <h4>Who it affects, as its author previewed it</h4>
      ${impact ? html`<impact-summary .summary=${impact}></impact-summary>` : html`<p class="small" data-preview="none">It was proposed without a preview.</p>`}
      ${!impact && fairness?.flags?.length ? html`<p class="small"><span class="badge flagged">${fairness.flags.length} fairness flag${fairness.flags.length === 1 ? '' : 's'}</span> ${fairness.flags.join('; ')}</p>` : ''}
      <p class="small"><a href="${href.policy(this.policyId, 'preview')}?version=${v.version}">Preview v${v.version} on today's data</a> ·
        <a href="${href.policy(this.policyId, 'backtest')}?version=${v.version}">Backtest v${v.version}</a></p>
      <details>
        <summary>The change${diff?.base ? ` from v${diff.base}` : ''}</summary>
        ${diff ? html`<diff-view .oldText=${diff.fromYaml} .newText=${diff.toYaml} .beforeLabel=${diff.base ? `v${diff.base}` : 'nothing'} .afterLabel=${`v${v.version}`}></diff-view>` : ''}
      </details>
      ${this.reviewForm(v)}
    </article>`;
  }

  render() {
    if (!this.proposed.length) return '';
    const diffs = this.diffs.value;
    return html`<section class="card" aria-labelledby="proposals-h">
      <h2 id="proposals-h" style="margin-top:0">Awaiting approval <span class="badge neutral">${this.proposed.length}</span></h2>
      <p class="small muted">A version goes in force only once a second person with the HR or administrator role approves it.</p>
      ${this.diffs.render({ pending: () => (diffs ? '' : loadingView('Loading the changes…')), error: (e) => errorView(e, () => this.diffs.run()) })}
      ${this.proposed.map((v) => this.proposal(v, diffs?.find((d) => d.version === v.version)))}
    </section>`;
  }
}
customElements.define('policy-proposals', PolicyProposals);
declare global {
  interface HTMLElementTagNameMap {
    'policy-proposals': PolicyProposals;
  }
}
