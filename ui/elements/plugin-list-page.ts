// Installed plugins with their state (in words: a plugin whose code loads when first needed is
// "ready", not "inactive"), problems and contributions, and the metric catalogue with each
// declarative metric's formula as a readable expression.
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api, type Plugin, type Principal } from '../api/index.ts';
import { formulaText } from '../lib/formula.ts';
import { codeText, emptyView, errorView, loadingView } from '../lib/states.ts';
import { dateTimeView } from '../lib/time-view.ts';
import { pluginState } from '../lib/words.ts';
import { shared } from '../styles/shared.ts';

export class PluginListPage extends LitElement {
  static properties = { principal: { attribute: false } };
  static styles = [shared, css`
    .contrib { margin: 0.25rem 0 0; padding-left: 1.1rem; font-size: 0.85rem; }
    ul.problems { margin: 0.25rem 0 0; padding-left: 1.1rem; color: #82071e; font-size: 0.85rem; }
    td.formula { font-size: 0.85rem; max-width: 28rem; }
  `];
  declare principal: Principal;

  private readonly data = new Task(this, {
    task: async (_: [], { signal }) => {
      const [p, c] = await Promise.all([api.plugins({ signal }), api.catalogue({ signal })]);
      return { plugins: p.plugins, catalogue: c };
    },
    args: () => [] as [],
  });

  private state(p: Plugin) {
    const s = pluginState(p.state, p.hasCode);
    return html`<span class="badge ${s.tone}" data-state=${p.state} title=${s.hint}>${s.label}</span>
      <div class="small muted">${s.hint}</div>${p.reason ? html`<div class="small">${codeText(p.reason)}</div>` : ''}`;
  }

  render() {
    return html`<h1>Plugins</h1>${this.data.render({
      pending: () => loadingView('Loading plugins…'),
      error: (e) => errorView(e, () => this.data.run()),
      complete: ({ plugins, catalogue }) => html`
        ${plugins.length === 0 ? emptyView('No plugins are installed.') : html`<div class="table-wrap"><table>
          <caption class="sr-only">Installed plugins</caption>
          <thead><tr><th>Plugin</th><th>State</th><th>Kind</th><th>Contributes</th><th>Problems</th></tr></thead>
          <tbody>${plugins.map((p) => html`<tr data-plugin=${p.id}>
            <td><strong>${p.displayName}</strong> <span class="mono small muted">${p.id}${p.version ? `@${p.version}` : ''}</span>${p.description ? html`<div class="small muted">${codeText(p.description)}</div>` : ''}</td>
            <td>${this.state(p)}</td>
            <td class="small">${p.builtin ? 'built-in' : 'installed'} · ${p.hasCode ? 'code' : 'data only'}</td>
            <td><ul class="contrib">
              ${p.contributes.recordKinds.length ? html`<li>record kinds: ${p.contributes.recordKinds.map((k) => k.id).join(', ')}</li>` : ''}
              ${p.contributes.metrics.length ? html`<li>metrics: ${p.contributes.metrics.join(', ')}</li>` : ''}
              ${p.contributes.operators.length ? html`<li>operators: ${p.contributes.operators.map((o) => o.id).join(', ')}</li>` : ''}
              ${p.contributes.workflows.length ? html`<li>workflows: ${p.contributes.workflows.map((w) => w.id).join(', ')}</li>` : ''}
              ${p.contributes.sources?.length ? html`<li>sources: ${p.contributes.sources.map((x) => x.id).join(', ')}</li>` : ''}
            </ul></td>
            <td>${p.problems.length ? html`<ul class="problems">${p.problems.map((x) => html`<li>${codeText(x.message)}${x.at ? html` <span class="small muted">(${dateTimeView(x.at)})</span>` : ''}${x.code ? html` <span class="small mono muted">${x.code}</span>` : ''}</li>`)}</ul>` : html`<span class="muted">none</span>`}</td>
          </tr>`)}</tbody></table></div>`}
        <h2>Metric catalogue</h2>
        ${catalogue.metrics.length === 0 ? emptyView('No metrics are contributed.') : html`<div class="table-wrap"><table>
          <caption class="sr-only">Metrics</caption>
          <thead><tr><th>Metric</th><th>Unit</th><th>Better</th><th class="num">Min samples</th><th>Records</th><th>Formula</th></tr></thead>
          <tbody>${catalogue.metrics.map((m) => html`<tr>
            <td><code>${m.id}</code><div class="small">${m.title}</div>${m.description ? html`<div class="small muted">${codeText(m.description)}</div>` : ''}</td>
            <td>${m.unit}${m.range ? html`<div class="small muted">${m.range[0] ?? '−∞'} to ${m.range[1] ?? '∞'}</div>` : ''}</td>
            <td class="small">${m.direction === 'higherIsBetter' ? 'higher' : m.direction === 'lowerIsBetter' ? 'lower' : m.direction}</td>
            <td class="num">${m.defaultMinSamples}</td><td class="small mono">${m.recordKind}</td>
            <td class="formula">${m.implementation === 'declarative' ? formulaText(m.formula) : html`<span class="muted">computed by the code of ${m.plugin}</span>`}</td></tr>`)}</tbody></table></div>`}
        ${catalogue.workflows.length ? html`<h2>Workflows</h2><ul>${catalogue.workflows.map((w) => html`<li><code>${w.id}</code> — ${w.title}</li>`)}</ul>` : ''}`,
    })}`;
  }
}
customElements.define('plugin-list-page', PluginListPage);
declare global {
  interface HTMLElementTagNameMap {
    'plugin-list-page': PluginListPage;
  }
}
