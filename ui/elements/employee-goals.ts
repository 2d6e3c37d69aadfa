// Goals on the employee page: each goal with its progress in plain words (computed from the same
// data as runs; "not enough data" is said as such, never as missed), and what the viewer may do:
// a manager or HR adds goals, accepts or declines proposals and closes goals; the employee
// proposes their own and adds notes. PIP goals are listed too; they follow their PIP.
import { LitElement, html, css, nothing } from 'lit';
import { Task } from '@lit/task';
import { api, type Goal, type GoalAction, type Principal } from '../api/index.ts';
import { href } from '../router.ts';
import { formatDate } from '../lib/format.ts';
import { emptyView, errorView, loadingView } from '../lib/states.ts';
import { shared } from '../styles/shared.ts';
import './goal-form.ts';

const STATUS_LABEL: Record<string, string> = { proposed: 'Proposed', active: 'Active', declined: 'Declined', met: 'Closed as met', missed: 'Closed as missed', cancelled: 'Cancelled' };
const ACTION_LABEL: Record<GoalAction, string> = { accept: 'Accept', decline: 'Decline', met: 'Close as met', missed: 'Close as missed', cancel: 'Cancel the goal', note: 'Add a note' };

/** The progress state in a few plain words, and its badge colour. */
export function progressLabel(g: { progress: Pick<Goal['progress'], 'state' | 'final'> }): { text: string; tone: string } {
  const p = g.progress;
  switch (p.state) {
    case 'met': return { text: 'Met', tone: 'ok' };
    case 'not-met': return p.final ? { text: 'Missed', tone: 'fail' } : { text: 'Not yet', tone: 'warning' };
    case 'insufficient': return { text: 'Not enough data', tone: 'neutral' };
    case 'not-started': return { text: 'Not started', tone: 'neutral' };
    case 'by-hand': return { text: 'Judged by hand', tone: 'neutral' };
    default: return { text: 'Cannot be computed', tone: 'warning' };
  }
}

export class EmployeeGoals extends LitElement {
  static properties = { principal: { attribute: false }, employeeId: {}, adding: { state: true }, acting: { state: true }, error: { state: true }, notice: { state: true } };
  static styles = [shared, css`
    ul.goals { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.75rem; }
    .head { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: baseline; }
    .progress { margin: 0.35rem 0; }
  `];
  declare principal: Principal;
  declare employeeId: string;
  declare adding: boolean;
  /** The goal and action whose note form is open. */
  declare acting: { id: number; action: GoalAction } | null;
  declare error: unknown;
  declare notice: string;

  private readonly goals = new Task(this, {
    task: async ([id]: [string], { signal }) => api.goals(id, {}, { signal }),
    args: () => [this.employeeId] as [string],
  });

  constructor() {
    super();
    this.employeeId = '';
    this.adding = false;
    this.acting = null;
    this.error = null;
    this.notice = '';
  }

  private get self(): boolean {
    return this.principal.employeeId === this.employeeId;
  }

  /** Who sets and judges goals here: HR and admins, or a manager on someone of their line. */
  private get manages(): boolean {
    const r = this.principal.role;
    return (r === 'admin' || r === 'hr' || r === 'manager') && !this.self;
  }

  private offered(g: Goal): GoalAction[] {
    if (this.principal.role === 'viewer') return [];
    const owner = g.employeeId !== null && g.employeeId === this.principal.employeeId;
    return g.allowedActions.filter((a) => (g.source !== 'pip' || a === 'note')
      && (this.manages || (owner && (a === 'note' || (a === 'cancel' && g.status === 'proposed')))));
  }

  private async act(g: Goal, action: GoalAction, note?: string) {
    this.error = null;
    try {
      await api.goalAction(g.id, action, note);
      this.acting = null;
      await this.goals.run();
      this.notice = `${ACTION_LABEL[action]}: “${g.title}” is now ${STATUS_LABEL[action === 'accept' ? 'active' : action === 'decline' ? 'declined' : action === 'note' ? g.status : action === 'cancel' ? 'cancelled' : action].toLowerCase()}.`;
    } catch (err) {
      this.error = err;
    }
  }

  private noteForm(g: Goal, action: GoalAction) {
    return html`<form class="stack" aria-label=${ACTION_LABEL[action]} @submit=${(e: SubmitEvent) => {
      e.preventDefault();
      const note = new FormData(e.target as HTMLFormElement).get('note')?.toString().trim();
      if (note) void this.act(g, action, note);
    }}>
      <label>${action === 'note' ? 'Progress note' : 'Why'} <textarea name="note" required maxlength="4000"></textarea></label>
      <div class="row"><button class="primary" type="submit">${ACTION_LABEL[action]}</button><button type="button" @click=${() => (this.acting = null)}>Cancel</button></div>
    </form>`;
  }

  private goal(g: Goal) {
    const label = progressLabel(g);
    const offered = this.offered(g);
    return html`<li class="card" data-goal=${g.id}>
      <div class="head"><strong>${g.title}</strong>
        <span class="badge neutral" data-status=${g.status}>${STATUS_LABEL[g.status]}</span>
        <span class="badge ${label.tone}" data-progress=${g.progress.state}>${label.text}</span>
        ${g.team ? html`<span class="small muted">team ${g.team}</span>` : ''}
        ${g.caseId ? html`<span class="small">part of <a href=${href.case(g.caseId)}>improvement plan #${g.caseId}</a></span>` : ''}</div>
      ${g.measureWords ? html`<div class="small">Measured by: ${g.measureWords}</div>` : ''}
      ${g.description ? html`<div class="small muted">${g.description}</div>` : ''}
      <p class="progress">${g.progress.words}</p>
      <div class="small muted">${formatDate(g.startsAt)} – ${formatDate(g.dueAt)}${g.weight !== 1 ? ` · weight ${g.weight}` : ''} · set by ${g.createdBy}</div>
      ${offered.length ? html`<div class="row" style="margin-top:0.5rem">${offered.map((a) => html`<button class=${a === 'accept' ? 'primary' : a === 'decline' || a === 'missed' ? 'danger' : ''}
          aria-expanded=${this.acting?.id === g.id && this.acting.action === a ? 'true' : 'false'}
          @click=${() => (a === 'accept' ? void this.act(g, a) : (this.acting = { id: g.id, action: a }))}>${a === 'cancel' && g.status === 'proposed' && !this.manages ? 'Withdraw' : ACTION_LABEL[a]}</button>`)}</div>` : nothing}
      ${this.acting?.id === g.id ? this.noteForm(g, this.acting.action) : nothing}
    </li>`;
  }

  render() {
    const mayAdd = this.manages || (this.self && this.principal.role !== 'viewer');
    return html`<section aria-labelledby="h-goals">
      <h2 id="h-goals">Goals</h2>
      ${this.notice ? html`<p class="notice success" role="status">${this.notice}</p>` : ''}
      ${this.error ? errorView(this.error) : ''}
      ${mayAdd && !this.adding ? html`<p><button @click=${() => (this.adding = true)}>${this.self ? 'Propose a goal' : 'Add a goal'}</button></p>` : ''}
      ${this.adding ? html`<goal-form .principal=${this.principal} .employeeId=${this.employeeId}
          @goal-added=${async () => { this.adding = false; await this.goals.run(); this.notice = this.self ? 'Goal proposed: your manager accepts or declines it.' : 'Goal added.'; }}
          @cancel=${() => (this.adding = false)}></goal-form>` : ''}
      ${this.goals.render({
        pending: () => loadingView('Loading goals…'),
        error: (e) => errorView(e, () => this.goals.run()),
        complete: ({ goals }) => goals.length ? html`<ul class="goals">${goals.map((g) => this.goal(g))}</ul>` : emptyView('No goals yet.'),
      })}
    </section>`;
  }
}
customElements.define('employee-goals', EmployeeGoals);
declare global {
  interface HTMLElementTagNameMap {
    'employee-goals': EmployeeGoals;
  }
}
