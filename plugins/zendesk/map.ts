// Zendesk objects → Appraise records and employees. Only the fields named here are read; any
// other field Zendesk sends (today's or one it adds later) is ignored.
import type { SourceEmployee, SourceRecord } from 'appraise/plugin-api';
import { isObject } from './client.ts';

export const TICKET_KIND = 'support.ticket';
export const SURVEY_KIND = 'customer-feedback.survey';

type Json = Record<string, unknown>;

/** What became of one ticket of the export. */
export type TicketOutcome =
  | { kind: 'record'; record: SourceRecord }
  | { kind: 'deleted'; id: string }
  | { kind: 'not-yet'; status: string }
  | { kind: 'unassigned' }
  | { kind: 'unreadable'; why: string };

export function ticketId(id: unknown): string {
  return `ticket-${String(id)}`;
}

/**
 * A ticket becomes a record once it reaches `ticketsAt`: closed tickets never change again;
 * solved ones may still be reopened, and a record is written once.
 */
export function mapTicket(ticket: Json, metricSet: Json | undefined, ticketsAt: 'closed' | 'solved'): TicketOutcome {
  const id = ticket.id;
  if (typeof id !== 'number' && typeof id !== 'string') return { kind: 'unreadable', why: 'a ticket without an id' };
  const status = typeof ticket.status === 'string' ? ticket.status : '';
  if (status === 'deleted') return { kind: 'deleted', id: ticketId(id) };
  const final = status === 'closed' || (ticketsAt === 'solved' && status === 'solved');
  if (!final) return { kind: 'not-yet', status: status || 'unknown' };
  const openedAt = instant(ticket.created_at);
  if (!openedAt) return { kind: 'unreadable', why: `ticket ${id} has no readable created_at` };
  if (ticket.assignee_id === null || ticket.assignee_id === undefined) return { kind: 'unassigned' };

  const payload: Json = { openedAt };
  const m = metricSet ?? {};
  const replies = typeof m.replies === 'number' ? m.replies : undefined;
  // Zendesk reports a 0-minute reply time on tickets nobody replied to; replies tells them apart.
  const answered = replies === undefined || replies > 0;
  const reply = minutes(m.reply_time_in_minutes);
  if (answered && reply.calendar !== undefined) payload.firstResponseAt = plusMinutes(openedAt, reply.calendar);
  if (answered && reply.business !== undefined) payload.firstResponseBusinessSeconds = reply.business * 60;
  const solvedAt = instant(m.solved_at);
  if (solvedAt) {
    payload.resolvedAt = solvedAt;
    const full = minutes(m.full_resolution_time_in_minutes);
    if (full.business !== undefined) payload.resolutionBusinessSeconds = full.business * 60;
  }
  if (typeof m.reopens === 'number') payload.reopened = m.reopens > 0;
  if (typeof m.assignee_stations === 'number') payload.reassignments = Math.max(0, m.assignee_stations - 1);
  const onHold = minutes(m.on_hold_time_in_minutes);
  if (onHold.calendar !== undefined) payload.onHoldSeconds = onHold.calendar * 60;
  const channel = isObject(ticket.via) && typeof ticket.via.channel === 'string' ? ticket.via.channel : undefined;
  if (channel) payload.channel = channel.slice(0, 50);

  return { kind: 'record', record: { kind: TICKET_KIND, id: ticketId(id), person: String(ticket.assignee_id), occurredAt: openedAt, payload } };
}

/** What became of one satisfaction rating. */
export type RatingOutcome =
  | { kind: 'record'; record: SourceRecord }
  | { kind: 'no-answer' }
  | { kind: 'unassigned' }
  | { kind: 'unreadable'; why: string };

/**
 * Zendesk's two-point rating on the survey's 1–5 CSAT scale: good = 5, bad = 1. The CSAT
 * metric's top-2-box (% of 4–5) is then exactly Zendesk's own satisfaction score (good / rated).
 */
export const CSAT_OF_SCORE: Readonly<Record<string, number>> = { good: 5, bad: 1 };

export function mapRating(rating: Json): RatingOutcome {
  const id = rating.id;
  if (typeof id !== 'number' && typeof id !== 'string') return { kind: 'unreadable', why: 'a satisfaction rating without an id' };
  const csat = typeof rating.score === 'string' ? CSAT_OF_SCORE[rating.score] : undefined;
  // offered / unoffered: a survey sent or not, not an answer.
  if (csat === undefined) return { kind: 'no-answer' };
  const occurredAt = instant(rating.created_at);
  if (!occurredAt) return { kind: 'unreadable', why: `satisfaction rating ${id} has no readable created_at` };
  if (rating.assignee_id === null || rating.assignee_id === undefined) return { kind: 'unassigned' };
  const payload: Json = { csat };
  if (typeof rating.comment === 'string' && rating.comment.trim()) payload.comment = rating.comment.slice(0, 10_000);
  return { kind: 'record', record: { kind: SURVEY_KIND, id: `rating-${String(id)}`, person: String(rating.assignee_id), occurredAt, payload } };
}

/** An agent or admin as an employee; `groups` names default groups (team). */
export function mapAgent(user: Json, groups: ReadonlyMap<string, string>): SourceEmployee | undefined {
  if (user.id === null || user.id === undefined) return undefined;
  const e: SourceEmployee = { id: String(user.id), name: typeof user.name === 'string' && user.name ? user.name : `Zendesk user ${String(user.id)}` };
  if (typeof user.email === 'string' && user.email) e.email = user.email;
  if (typeof user.external_id === 'string' && user.external_id) e.employeeId = user.external_id;
  if (user.default_group_id !== null && user.default_group_id !== undefined) {
    const team = groups.get(String(user.default_group_id));
    if (team) e.team = team;
  }
  // active false: deleted in Zendesk; suspended: cannot sign in.
  e.active = user.active !== false && user.suspended !== true;
  return e;
}

function instant(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

function plusMinutes(iso: string, m: number): string {
  return new Date(Date.parse(iso) + m * 60_000).toISOString();
}

/** A `{ calendar, business }` minutes object; a missing or non-numeric part is undefined. */
function minutes(v: unknown): { calendar?: number; business?: number } {
  if (!isObject(v)) return {};
  const ok = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : undefined);
  return { calendar: ok(v.calendar), business: ok(v.business) };
}
