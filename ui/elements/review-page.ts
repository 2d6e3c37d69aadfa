// One review, as a page that prints as the record kept: who and which period, where it stands,
// the step the reader may take now (self-assessment, manager assessment, signature,
// acknowledgement), both assessments with the ratings and the overall score, the packet, and
// every step taken. The browser's print hides the menu and the forms.
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type Principal, type ReviewDetail } from '../api/index.ts';
import { formatDate, formatDateTime } from '../lib/format.ts';
import { errorView, loadingView } from '../lib/states.ts';
import { REVIEW_ACTION_LABEL, REVIEW_STATUS_WORDS, STEP_NAME } from '../lib/review-words.ts';
import { shared } from '../styles/shared.ts';
import './review-packet-view.ts';
import './review-step-form.ts';
import './review-dispute-panel.ts';

const EVENT_WORDS: Record<string, string> = { opened: 'Review opened', extended: 'Deadline moved', amended: 'Rating amended' };
/** A dispute's steps on the review (core/people/reviews/dispute-subject.ts), by `data.step`. */
const DISPUTE_WORDS: Record<string, string> = { raised: 'Rating disputed', upheld: 'Dispute resolved: the rating stands', amended: 'Dispute resolved: the rating was amended', withdrawn: 'Dispute withdrawn' };

export class ReviewPage extends LitElement {
  static properties = { principal: { attribute: false }, reviewId: { type: Number }, acting: { state: true }, notice: { state: true } };
  static styles = [shared, css`
    .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
    .answer { white-space: pre-wrap; margin: 0.2rem 0 0.6rem; }
    @media print { .no-print { display: none !important; } .card { border: none; padding: 0; } }
  `];
  declare principal: Principal;
  declare reviewId: number;
  declare acting: string | null;
  declare notice: string;

  private readonly data = new Task(this, {
    task: async ([id]: [number], { signal }) => {
      const [review, packet] = await Promise.all([api.reviewDetail(id, { signal }), api.reviewPacket(id, { signal })]);
      return { review, packet };
    },
    args: () => [this.reviewId] as [number],
  });

  constructor() {
    super();
    this.reviewId = 0;
    this.acting = null;
    this.notice = '';
  }

  private async changed(e: CustomEvent<ReviewDetail['allowedActions'][number]>) {
    this.acting = null;
    await this.data.run();
    this.notice = `${e.detail.action === 'sign' ? 'Signed' : REVIEW_ACTION_LABEL[e.detail.action]}: ${REVIEW_STATUS_WORDS[e.detail.to].toLowerCase()}.`;
  }

  private steps(r: ReviewDetail) {
    const key = (a: ReviewDetail['allowedActions'][number]) => `${a.action}:${a.as}`;
    if (!r.allowedActions.length) return html`<p class="muted">There is nothing for you to do on this review now.</p>`;
    return html`<div class="actions">${r.allowedActions.map((a) => html`<button class=${a.action === 'cancel' ? 'danger' : 'primary'} aria-expanded=${this.acting === key(a) ? 'true' : 'false'}
        @click=${() => (this.acting = this.acting === key(a) ? null : key(a))}>${a.action === 'sign' ? `Sign as ${a.as === 'employee' ? 'employee' : 'manager'}` : REVIEW_ACTION_LABEL[a.action]}</button>`)}</div>
      ${r.allowedActions.filter((a) => key(a) === this.acting).map((a) => html`<review-step-form style="margin-top:0.75rem" .review=${r} .step=${a} @review-changed=${this.changed}></review-step-form>`)}`;
  }

  private assessments(r: ReviewDetail) {
    const t = r.template;
    const self = r.selfAssessment;
    const m = r.managerAssessment;
    const label = (sectionId: string, rating: number) => {
      const s = t.spec.sections.find((x) => x.id === sectionId)!;
      const scale = t.spec.scales[s.scale];
      return `${rating} of ${scale.max}${scale.labels?.[rating] ? ` (${scale.labels[rating]})` : ''}`;
    };
    return html`<section class="card" aria-labelledby="h-assess"><h2 id="h-assess" style="margin-top:0">Assessments</h2>
      <h3>Self-assessment</h3>
      ${self ? html`${t.spec.sections.filter((s) => self.sections[s.id] !== undefined).map((s) => html`<p class="small muted" style="margin:0">${s.title}</p><p class="answer" data-self=${s.id}>${self.sections[s.id]}</p>`)}
        ${self.summary ? html`<p class="small muted" style="margin:0">Summary</p><p class="answer">${self.summary}</p>` : ''}` : html`<p class="muted">Not written yet (due ${formatDate(r.due.self)}).</p>`}
      <h3>Manager assessment</h3>
      ${m ? html`<div class="table-wrap"><table aria-label="Ratings">
          <thead><tr><th scope="col">Section</th><th scope="col" class="num">Weight</th><th scope="col">Rating</th><th scope="col">Comment</th></tr></thead>
          <tbody>${t.spec.sections.map((s) => html`<tr data-rating=${s.id}><th scope="row">${s.title}</th><td class="num">${s.weight}</td><td>${label(s.id, m.sections[s.id].rating)}</td><td>${m.sections[s.id].comment ?? ''}</td></tr>`)}</tbody>
        </table></div>
        <p><strong>Overall: <span data-overall>${r.overallScore}</span></strong> <span class="muted small">(the ratings weighted by the sections' weights)</span></p>
        ${m.summary ? html`<p class="answer">${m.summary}</p>` : ''}
        ${m.amendments?.length ? html`<h4>Amended ratings</h4><ul>${m.amendments.map((a) => html`<li>${t.spec.sections.find((s) => s.id === a.section)?.title ?? a.section}: ${a.from} → ${a.to}, by ${a.actor} on ${formatDate(a.at)}${a.note ? `: ${a.note}` : ''}</li>`)}</ul>` : ''}`
        : html`<p class="muted">Not written yet (due ${formatDate(r.due.manager)}).</p>`}
      <h3>Signatures</h3>
      <dl class="facts">
        <dt>Employee</dt><dd data-signed="employee">${r.employeeSignedAt ? `${r.employeeSignedBy}, ${formatDateTime(r.employeeSignedAt)}` : 'not signed yet'}</dd>
        <dt>Manager</dt><dd data-signed="manager">${r.managerSignedAt ? `${r.managerSignedBy}, ${formatDateTime(r.managerSignedAt)}` : 'not signed yet'}</dd>
        <dt>Acknowledged</dt><dd data-acknowledged>${r.acknowledgedAt ? html`${formatDateTime(r.acknowledgedAt)}${r.acknowledgement ? html`: “${r.acknowledgement}”` : ''}` : 'not yet'}</dd>
      </dl></section>`;
  }

  private timeline(r: ReviewDetail) {
    return html`<section class="card" aria-labelledby="h-timeline"><h2 id="h-timeline" style="margin-top:0">Steps taken</h2>
      <ol>${r.events.map((e) => html`<li>${formatDateTime(e.at)} · ${e.actor}: ${e.event === 'dispute' ? `${DISPUTE_WORDS[String(e.data?.step)] ?? 'Dispute'}${e.data?.section ? ` (${e.data.section})` : ''}` : EVENT_WORDS[e.event] ?? `${REVIEW_STATUS_WORDS[e.from as keyof typeof REVIEW_STATUS_WORDS] ?? e.from} → ${REVIEW_STATUS_WORDS[e.to as keyof typeof REVIEW_STATUS_WORDS] ?? e.to}`}${e.note ? html` <span class="muted">“${e.note}”</span>` : ''}</li>`)}</ol></section>`;
  }

  private detail(v: NonNullable<ReviewPage['data']['value']>) {
    const r = v.review;
    return html`
      <p class="small no-print"><a href="/reviews?cycle=${encodeURIComponent(r.cycleId)}">← Reviews</a></p>
      <div class="row"><h1 style="margin-right:auto">${r.cycleTitle}: ${r.employeeName ?? r.employeeId}</h1>
        <button class="no-print" @click=${() => window.print()}>Print</button></div>
      <p><span class="badge neutral" data-status=${r.status}>${REVIEW_STATUS_WORDS[r.status]}</span>
        ${r.step ? html` ${STEP_NAME[r.step]} due ${formatDate(r.dueAt)} ${r.overdue ? html`<span class="badge fail">Overdue</span>` : ''}` : ''}
        <span class="muted small">· ${r.team ?? ''} · manager ${r.managerName ?? '—'} · period ${r.period}</span></p>
      ${this.notice ? html`<p class="notice success no-print" role="status">${this.notice}</p>` : ''}
      <section class="card no-print" aria-labelledby="h-next" style="margin-bottom:1rem"><h2 id="h-next" style="margin-top:0">Your next step</h2>${this.steps(r)}</section>
      ${this.assessments(r)}
      <review-dispute-panel .principal=${this.principal} .review=${r} @dispute-changed=${() => this.data.run()}></review-dispute-panel>
      <h2>Review packet</h2>
      <review-packet-view .packet=${v.packet}></review-packet-view>
      ${this.timeline(r)}`;
  }

  render() {
    const v = this.data.value;
    if (v && v.review.id === this.reviewId) return this.detail(v);
    return this.data.render({
      pending: () => loadingView('Loading the review…'),
      error: (e) => html`<p class="small"><a href="/reviews">← Reviews</a></p>${errorView(e, () => this.data.run())}`,
    });
  }
}
customElements.define('review-page', ReviewPage);
declare global {
  interface HTMLElementTagNameMap {
    'review-page': ReviewPage;
  }
}
