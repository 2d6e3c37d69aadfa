// A review's packet, section by section: measures against their standards with the last four
// periods, customers' comments with how they were picked, the period's cases with why they were
// opened, training and its effect, goals with their progress, kudos received. A section this screen does not know (one another part adds)
// shows its summary.
import { LitElement, html, css, unsafeCSS } from 'lit';
import type { Goal, Kudos, MetricItem, PacketCase, ReviewPacket, TrainingData, VerbatimData } from '../api/index.ts';
import { KUDOS_CSS, kudosCard } from './kudos-card.ts';
import { progressLabel } from './employee-goals.ts';
import { formatDate, formatValue, OUTCOME_LABEL } from '../lib/format.ts';
import { shared } from '../styles/shared.ts';

const PICKED: Record<string, string> = { lowest: 'lowest score', highest: 'highest score', random: 'at random', all: '' };

export class ReviewPacketView extends LitElement {
  static properties = { packet: { attribute: false } };
  static styles = [shared, css`
    section { break-inside: avoid; }
    blockquote { margin: 0.4rem 0; padding: 0.4rem 0.75rem; border-left: 4px solid #d0d7de; background: #f6f8fa; }
    blockquote[data-picked='lowest'] { border-left-color: #cf222e; }
    blockquote[data-picked='highest'] { border-left-color: #1a7f37; }
    .current { font-weight: 700; }
    ul.lines { margin: 0.25rem 0; padding-left: 1.25rem; font-size: 0.9rem; }
    @media print { .card { box-shadow: none; } }
  `, unsafeCSS(KUDOS_CSS)];
  declare packet: ReviewPacket;

  private metrics(items: MetricItem[]) {
    if (!items.length) return '';
    const periods = items[0].trend.map((p) => p.period);
    return html`<div class="table-wrap"><table aria-label="Measures against their standards">
      <thead><tr><th scope="col">Measure</th>${periods.map((p, i) => html`<th scope="col" class="num">${p}${i === periods.length - 1 ? html` <span class="sr-only">(this period)</span>` : ''}</th>`)}<th scope="col">Standard</th></tr></thead>
      <tbody>${items.map((m) => html`<tr data-metric=${m.metric}>
        <th scope="row">${m.title} <span class="small muted">(${m.policyId})</span></th>
        ${m.trend.map((p, i) => html`<td class="num ${i === m.trend.length - 1 ? 'current' : ''}" title=${`${p.samples} sample(s) from ${formatDate(p.from)} to ${formatDate(p.to)}`}>
          ${p.status === 'ok' ? formatValue(p.value, m.unit) : html`<span class="muted small">not enough data (${p.samples} of ${p.minSamples})</span>`}</td>`)}
        <td>${m.standardWords}</td></tr>`)}</tbody></table></div>`;
  }

  private verbatims(v: VerbatimData) {
    return html`${v.comments.map((c) => html`<blockquote data-picked=${c.picked}>
      <p style="margin:0">“${c.comment}”</p>
      <p class="small muted" style="margin:0.2rem 0 0">${formatDate(c.at)}${c.score ? ` · ${c.score}` : ''}${c.channel ? ` · ${c.channel}` : ''}${PICKED[c.picked] ? ` · ${PICKED[c.picked]}` : ''}</p>
    </blockquote>`)}`;
  }

  private cases(cases: PacketCase[]) {
    return html`${cases.map((c) => html`<div class="card" style="margin:0.5rem 0">
      <p style="margin:0"><span class="badge ${c.type}">${OUTCOME_LABEL[c.type] ?? c.type}</span> <a href=${`/cases/${c.id}`}>Case ${c.id}</a> · ${c.status} · opened ${formatDate(c.openedAt)}</p>
      <p class="small" style="margin:0.3rem 0 0">Opened because:</p>
      <ul class="lines">${c.explanation.map((l) => html`<li>${l}</li>`)}</ul></div>`)}`;
  }

  private goals(goals: Array<Omit<Goal, 'allowedActions'>>) {
    if (!goals.length) return '';
    return html`<ul class="lines">${goals.map((g) => {
      const label = progressLabel(g);
      return html`<li data-goal=${g.id}><strong>${g.title}</strong>${g.measureWords ? html` <span class="small muted">(${g.measureWords})</span>` : ''}
        <span class="badge ${label.tone}">${label.text}</span> due ${formatDate(g.dueAt)}<br><span class="small">${g.progress.words}</span></li>`;
    })}</ul>`;
  }

  private training(t: TrainingData) {
    if (!t.courses.length) return '';
    return html`<div class="table-wrap"><table aria-label="Training completed">
      <thead><tr><th scope="col">Course</th><th scope="col">Completed</th><th scope="col" class="num">Score before</th><th scope="col" class="num">Score after</th><th scope="col" class="num">Change</th></tr></thead>
      <tbody>${t.courses.map((c) => html`<tr><td>${c.course}</td><td>${formatDate(c.at)}</td><td class="num">${c.preScore ?? '—'}</td><td class="num">${c.postScore ?? '—'}</td>
        <td class="num">${c.change === null ? '—' : `${c.change > 0 ? '+' : ''}${c.change}`}</td></tr>`)}</tbody></table></div>`;
  }

  private body(id: string, data: unknown) {
    if (!data) return '';
    switch (id) {
      case 'metrics': return this.metrics((data as { items: MetricItem[] }).items);
      case 'verbatims': return this.verbatims(data as VerbatimData);
      case 'cases': return this.cases((data as { cases: PacketCase[] }).cases);
      case 'training': return this.training(data as TrainingData);
      case 'goals': return this.goals((data as { goals: Array<Omit<Goal, 'allowedActions'>> }).goals);
      case 'kudos': {
        const kudos = (data as { kudos: Kudos[] }).kudos;
        return kudos.length ? html`<div class="kudos-wall">${kudos.map(kudosCard)}</div>` : '';
      }
      default: return '';
    }
  }

  render() {
    const p = this.packet;
    return html`
      <p class="small muted">${p.frozen ? `Kept as it was at sign-off (${formatDate(p.packet.assembledAt)}).` : `Assembled from the data of ${formatDate(p.packet.from)} to ${formatDate(p.packet.asOf)}; kept as it is when both have signed.`}</p>
      ${p.packet.sections.map((s) => html`<section class="card" aria-labelledby=${`p-${s.id}`} data-section=${s.id} style="margin-bottom:0.75rem">
        <h3 id=${`p-${s.id}`} style="margin-top:0">${s.title}</h3>
        <p class="summary">${s.summary}</p>
        ${this.body(s.id, s.data)}
      </section>`)}`;
  }
}
customElements.define('review-packet-view', ReviewPacketView);
declare global {
  interface HTMLElementTagNameMap {
    'review-packet-view': ReviewPacketView;
  }
}
