// Sources: the connectors that bring data in on their own (help desks, CRMs). Per source its
// state in plain words, when it last synced (in the reader's time zone), what that sync stored
// and set aside, the last error with what to do about it, its history, and "Sync now" for
// administrators (POST /api/sources/:name/sync, then polling its history until it ends).
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type Principal, type SourceInfo, type SourceSync, type SourceSyncs } from '../api/index.ts';
import { can } from '../lib/permissions.ts';
import { plural } from '../lib/format.ts';
import { scheduleWords } from '../lib/schedule.ts';
import { codeText, emptyView, errorView, loadingView } from '../lib/states.ts';
import { dateTimeView } from '../lib/time-view.ts';
import { shared } from '../styles/shared.ts';

const POLL_MS = 700;

const STATE: Record<SourceInfo['status'], { words: string; tone: string }> = {
  never: { words: 'Not synced yet', tone: 'neutral' },
  running: { words: 'Syncing now', tone: 'running' },
  ok: { words: 'Up to date', tone: 'ok' },
  failed: { words: 'Last sync failed', tone: 'failed' },
  interrupted: { words: 'Last sync was interrupted', tone: 'warning' },
};

/** For a sync that stopped because its process did (the API's advice covers coded errors). */
const INTERRUPTED = 'The process stopped during the sync. Nothing is lost: the next sync continues after the last stored batch.';

function countsWords(s: SourceSync): string {
  const parts = [`${plural(s.inserted, 'new record')}`, `${plural(s.employeesAdded, 'person', 'people')} added`];
  if (s.parked) parts.push(`${plural(s.parked, 'record')} waiting for their person`);
  if (s.unparked) parts.push(`${plural(s.unparked, 'waiting record')} stored`);
  if (s.rejected) parts.push(`${plural(s.rejected, 'record')} set aside as invalid`);
  if (s.deleted) parts.push(`${s.deleted} reported deleted (kept)`);
  if (s.rateLimitWaits) parts.push(`waited ${plural(s.rateLimitWaits, 'time')} for the vendor`);
  return parts.join(', ');
}

export class SourcesPage extends LitElement {
  static properties = { principal: { attribute: false }, open: { state: true }, busy: { state: true }, syncError: { state: true } };
  static styles = [shared, css`
    .source { margin-bottom: 1rem; }
    .source header { display: flex; gap: 0.75rem; align-items: baseline; flex-wrap: wrap; }
    .source h2 { margin: 0; font-size: 1.15rem; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0.5rem 0; }
    dt { font-weight: 600; }
    dd { margin: 0; }
    .todo { background: #fff8c5; border: 1px solid #f5e0a0; border-radius: 6px; padding: 0.4rem 0.6rem; margin: 0.4rem 0; }
  `];
  declare principal: Principal;
  /** The source whose history is shown. */
  declare open: string | null;
  /** The source being synced now by this page. */
  declare busy: string | null;
  declare syncError: { name: string; error: unknown } | null;
  private stopped = false;

  private readonly list = new Task(this, { task: async (_: [], { signal }) => (await api.sources({ signal })).sources, args: () => [] as [] });
  private readonly history = new Task(this, {
    task: async ([name]: [string | null], { signal }) => (name ? api.sourceSyncs(name, { signal }) : null),
    args: () => [this.open] as [string | null],
  });

  constructor() {
    super();
    this.open = null;
    this.busy = null;
    this.syncError = null;
  }

  connectedCallback() {
    super.connectedCallback();
    this.stopped = false;
  }

  disconnectedCallback() {
    this.stopped = true;
    super.disconnectedCallback();
  }

  private async syncNow(name: string) {
    this.busy = name;
    this.syncError = null;
    try {
      const { syncId } = await api.syncSource(name, {});
      await this.list.run();
      for (;;) {
        if (this.stopped) break;
        const h = await api.sourceSyncs(name);
        const mine = h.syncs.find((s) => s.id === syncId);
        if (!mine || mine.status !== 'running') break;
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      await this.list.run();
      if (this.open === name) await this.history.run();
    } catch (error) {
      this.syncError = { name, error };
    } finally {
      this.busy = null;
    }
  }

  private source(s: SourceInfo) {
    const state = STATE[s.status];
    const last = s.lastSync;
    const todo = last?.error ? last.error.advice : last?.status === 'interrupted' ? INTERRUPTED : undefined;
    return html`<section class="card source" data-source=${s.name} aria-labelledby=${`h-${s.name}`}>
      <header>
        <h2 id=${`h-${s.name}`}>${s.title ?? s.name}</h2>
        <span class="badge ${state.tone}">${state.words}</span>
        <span class="small muted mono">${s.name} · ${s.sourceId}</span>
      </header>
      ${s.available ? '' : html`<p class="notice error">No installed plugin provides ${s.sourceId}; it cannot sync.</p>`}
      <dl>
        <dt>Syncs</dt><dd>${!s.enabled ? 'Only when started by hand (switched off in the config)' : s.schedule === 'manual' ? 'Only when started by hand' : html`<span title=${`cron (UTC): ${s.schedule}`}>${scheduleWords(s.schedule)}</span>${s.nextRun ? html` · next ${dateTimeView(s.nextRun)}` : ''}`}</dd>
        <dt>Last sync</dt><dd>${last ? html`${dateTimeView(last.startedAt)}${last.seconds !== null ? ` (took ${last.seconds} s)` : ''}: ${countsWords(last)}` : 'never'}</dd>
        <dt>Brings in</dt><dd>${s.produces.join(', ') || '—'}</dd>
        <dt>Credentials</dt><dd>${s.credentials.length ? s.credentials.map((c) => html`<div>${c.name}: from ${c.reference} — ${c.set ? 'set' : html`<strong>not set</strong>`}</div>`) : 'none'}</dd>
      </dl>
      ${last?.error ? html`<p class="notice error" role="note">The last sync stopped: ${codeText(last.error.message)} <span class="small mono">${last.error.code}</span></p>` : ''}
      ${todo ? html`<p class="todo"><strong>What to do:</strong> ${todo}</p>` : ''}
      <div class="row">
        ${can(this.principal.role, 'syncSources') && s.available ? html`<button class="primary" type="button" ?disabled=${this.busy !== null || s.status === 'running'} @click=${() => this.syncNow(s.name)}>${this.busy === s.name ? 'Syncing…' : 'Sync now'}</button>` : ''}
        <button type="button" aria-expanded=${this.open === s.name ? 'true' : 'false'} @click=${() => { this.open = this.open === s.name ? null : s.name; }}>${this.open === s.name ? 'Hide history' : 'Show history'}</button>
      </div>
      ${this.busy === s.name ? html`<p role="status" aria-live="polite">Syncing ${s.title ?? s.name}…</p>` : ''}
      ${this.syncError?.name === s.name ? errorView(this.syncError.error) : ''}
      ${this.open === s.name ? this.history.render({ pending: () => loadingView('Loading history…'), error: (e) => errorView(e), complete: (h) => (h ? this.historyView(h) : '') }) : ''}
    </section>`;
  }

  private historyView(h: SourceSyncs) {
    return html`
      ${h.waitingForPerson ? html`<p class="small">${plural(h.waitingForPerson, 'record')} wait for a person Appraise does not know yet; they are stored once a sync brings that person.</p>` : ''}
      ${h.syncs.length ? html`<div class="table-wrap"><table>
        <caption>Syncs of ${h.name}, newest first</caption>
        <thead><tr><th>Sync</th><th>Started</th><th>How</th><th>Result</th><th>What it did</th></tr></thead>
        <tbody>${h.syncs.map((s) => html`<tr data-sync=${s.id}><td>#${s.id}</td><td>${dateTimeView(s.startedAt)}</td><td>${s.trigger === 'schedule' ? 'on schedule' : 'by hand'}${s.full ? ', from the start' : ''}</td>
          <td><span class="badge ${STATE[s.status].tone}">${s.status === 'ok' ? 'done' : STATE[s.status].words.replace(/^Last sync (was )?/, '')}</span>${s.error ? html`<div class="small">${codeText(s.error.message)}</div>` : ''}</td>
          <td class="small">${countsWords(s)}</td></tr>`)}</tbody></table></div>` : emptyView('No sync yet.')}
      ${h.setAside.length ? html`<h3>Set aside as invalid</h3><ul class="small">${h.setAside.map((x) => html`<li>${x.kind} ${x.id}: ${x.field}: ${codeText(x.problem)}</li>`)}</ul>` : ''}`;
  }

  render() {
    return html`<h1>Sources</h1>
      <p class="muted">Connections that bring records and people in from other systems on their own. Configure them under <code>sources:</code> in appraise.config.yaml.</p>
      ${this.list.render({
        pending: () => loadingView('Loading sources…'),
        error: (e) => errorView(e, () => this.list.run()),
        complete: (list) => (list.length ? list.map((s) => this.source(s)) : emptyView('No source is configured.')),
      })}`;
  }
}
customElements.define('sources-page', SourcesPage);
declare global {
  interface HTMLElementTagNameMap {
    'sources-page': SourcesPage;
  }
}
