// HR opens a review cycle: the period, a template, who is reviewed (the same selectors as a
// policy's appliesTo: roles, teams, departments) and the three deadlines.
import { LitElement, html, css } from 'lit';
import { Task } from '@lit/task';
import { api } from '../api/index.ts';
import { errorView, loadingView } from '../lib/states.ts';
import { currentQuarter, daysFromToday } from '../lib/review-words.ts';
import { shared } from '../styles/shared.ts';

const list = (v: FormDataEntryValue | null) => String(v ?? '').split(',').map((x) => x.trim()).filter(Boolean);

export class ReviewOpenForm extends LitElement {
  static properties = { busy: { state: true }, error: { state: true } };
  static styles = [shared, css`
    .fields { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 0.75rem; }
  `];
  declare busy: boolean;
  declare error: unknown;

  private readonly templates = new Task(this, { task: async (_: [], { signal }) => (await api.reviewTemplates({ signal })).templates, args: () => [] as [] });

  constructor() {
    super();
    this.busy = false;
    this.error = null;
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const appliesTo: Record<string, string[]> = {};
    for (const key of ['roles', 'teams', 'departments']) {
      const values = list(f.get(key));
      if (values.length) appliesTo[key] = values;
    }
    this.busy = true;
    this.error = null;
    try {
      const opened = await api.openReviewCycle({
        period: String(f.get('period')).trim(), template: String(f.get('template')), appliesTo,
        due: { self: String(f.get('self')), manager: String(f.get('manager')), signoff: String(f.get('signoff')) },
      });
      this.dispatchEvent(new CustomEvent('cycle-opened', { detail: opened, bubbles: true, composed: true }));
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  render() {
    return html`<form class="card stack" @submit=${this.submit} aria-labelledby="h-open">
      <h2 id="h-open" style="margin-top:0">Open a review cycle</h2>
      <p class="muted small">One review is created for each person in scope. Opening the same cycle again adds only people who came into scope since.</p>
      <div class="fields">
        <label>Period <input name="period" required value=${currentQuarter()} pattern="\\d{4}(-Q[1-4]|-\\d{2}|-W\\d{2})?" aria-describedby="period-help"></label>
        <label>Template
          ${this.templates.render({
            pending: () => loadingView('Loading templates…'),
            complete: (ts) => html`<select name="template" required>${ts.filter((t) => !t.diagnostics.some((d) => d.severity === 'error')).map((t) => html`<option value=${t.id}>${t.title}</option>`)}</select>`,
            error: (err) => errorView(err),
          })}
        </label>
      </div>
      <p id="period-help" class="small muted">A quarter (2026-Q4), a month (2026-11), a week (2026-W48) or a year (2026).</p>
      <fieldset><legend>Who is reviewed <span class="muted small">(empty: everyone; separate several with commas)</span></legend>
        <div class="fields">
          <label>Roles <input name="roles" placeholder="support-agent"></label>
          <label>Teams <input name="teams"></label>
          <label>Departments <input name="departments"></label>
        </div>
      </fieldset>
      <fieldset><legend>Deadlines</legend>
        <div class="fields">
          <label>Self-assessment due <input type="date" name="self" required value=${daysFromToday(14)}></label>
          <label>Manager assessment due <input type="date" name="manager" required value=${daysFromToday(28)}></label>
          <label>Sign-off due <input type="date" name="signoff" required value=${daysFromToday(42)}></label>
        </div>
      </fieldset>
      ${this.error ? errorView(this.error) : ''}
      <div class="row">
        <button class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Opening…' : 'Open the cycle'}</button>
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('cancel'))}>Cancel</button>
      </div>
    </form>`;
  }
}
customElements.define('review-open-form', ReviewOpenForm);
declare global {
  interface HTMLElementTagNameMap {
    'review-open-form': ReviewOpenForm;
  }
}
