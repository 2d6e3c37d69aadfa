// A case event (core/cases: opened by a run, a transition with its data, a check-in) as the
// timeline says it: a heading for what happened, who did it, and the event's data as short
// sentences ("Coaching session on 10 Dec 2026, 11:00 CET") instead of its JSON keys.
import type { CaseEvent } from '../api/types.ts';
import { humanizeId } from './words.ts';
import { DISPUTE_STEP_HEADING } from './dispute-words.ts';

const EVENT_HEADING: Record<string, string> = { opened: 'Opened', transition: 'Status changed', checkin: 'Check-in', note: 'Note', goals: 'Goals changed', superseded: 'Superseded', 'outcome-proposed': 'Outcome proposed' };

/** The heading of a transition by its action (core/cases/lifecycle.ts). */
const ACTION_HEADING: Record<string, string> = {
  deliver: 'Recognition given', acknowledge: 'Acknowledged', schedule: 'Session scheduled', complete: 'Completed', cancel: 'Cancelled',
  supersede: 'Replaced by an improvement plan', approve: 'Approved', reject: 'Rejected', start: 'Plan started', 'edit-goals': 'Goals changed',
  extend: 'Extended', succeed: 'Marked succeeded', fail: 'Marked failed', overturn: 'Overturned on a dispute',
};

export function eventHeading(e: Pick<CaseEvent, 'event' | 'data'>): string {
  const action = e.data?.action;
  if (e.event === 'transition' && typeof action === 'string' && ACTION_HEADING[action]) return ACTION_HEADING[action];
  if (e.event === 'dispute' && typeof e.data?.step === 'string' && DISPUTE_STEP_HEADING[e.data.step]) return DISPUTE_STEP_HEADING[e.data.step];
  return EVENT_HEADING[e.event] ?? humanizeId(e.event);
}

/** Who did it: a person's name, or Appraise itself (`system:run-12` → `Appraise (run #12)`). */
export function actorWords(actor: string): string {
  const run = /^system:run-(\d+)$/.exec(actor);
  if (run) return `Appraise (run #${run[1]})`;
  if (actor === 'system' || actor.startsWith('system:')) return 'Appraise';
  return actor;
}

/** The note to show: a run's own note (`support v1 rule coach fired for 2026-11`) in words; a person's note as written. */
export function eventNote(e: Pick<CaseEvent, 'event' | 'note'>): string | null {
  if (!e.note) return null;
  const opened = /^(\S+) v(\d+) rule (\S+) fired for (\S+)$/.exec(e.note);
  if (e.event === 'opened' && opened) {
    const [, policy, version, rule, period] = opened;
    return `The rule “${rule}” of ${policy} (version ${version}) was met for ${period}.`;
  }
  const superseded = /^superseded by PIP case (\d+)$/.exec(e.note);
  if (superseded) return `Replaced by improvement plan case #${superseded[1]}.`;
  return e.note;
}

/** One line of an event's data: text, then an instant to show as a time (with its UTC title). */
export interface EventDetail {
  text: string;
  at?: string;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
// `words` repeats the note; `proposal` is the outcome badge's (pip-goals-view.ts); a dispute's step and ids are shown as the dispute.
const HIDDEN = new Set(['runId', 'decisionId', 'action', 'words', 'proposal', 'step', 'disputeId', 'dispute']);

/** The data an event carried, one sentence each; ids the heading or actor already say are left out. */
export function eventDetails(e: Pick<CaseEvent, 'event' | 'data'>): EventDetail[] {
  const out: EventDetail[] = [];
  for (const [k, v] of Object.entries(e.data ?? {})) {
    if (HIDDEN.has(k) || v === null || v === undefined) continue;
    switch (k) {
      case 'scheduledFor':
        out.push({ text: 'Coaching session on ', at: String(v) });
        break;
      case 'dueAt':
        out.push({ text: 'Due ', at: String(v) });
        break;
      case 'checkInEveryDays':
        out.push({ text: `Check-ins every ${String(v)} day${v === 1 ? '' : 's'}` });
        break;
      case 'goals':
        // A check-in keeps each PIP goal with its progress at that date (core/people/goals/pip.ts).
        if (Array.isArray(v) && v.some((g) => typeof g === 'object' && g)) {
          for (const g of v as Array<{ title: string; progress?: { words: string } }>) out.push({ text: `${g.title}: ${g.progress?.words ?? ''}` });
        } else out.push({ text: `Goals: ${Array.isArray(v) ? v.join('; ') : String(v)}` });
        break;
      case 'toJudge':
        if (Array.isArray(v) && v.length) out.push({ text: `For HR to judge: ${v.join('; ')}` });
        break;
      case 'raisedAs':
        out.push({ text: v === 'manager' ? "Raised by the employee's manager" : 'Raised by the employee' });
        break;
      case 'supersededBy':
        if (e.event !== 'transition' || typeof v !== 'number') out.push({ text: `Replaced by case #${String(v)}` });
        break;
      default:
        if (typeof v === 'string' && INSTANT.test(v) && !Number.isNaN(new Date(v).getTime())) out.push({ text: `${humanizeId(k)}: `, at: v });
        else out.push({ text: `${humanizeId(k)}: ${Array.isArray(v) ? v.join('; ') : typeof v === 'object' ? JSON.stringify(v) : String(v)}` });
    }
  }
  return out;
}
