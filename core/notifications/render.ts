// A notice rendered for one reader: the template's variables built from the delivery's payload
// (and the case as it stands, for its plan and session date), dates in the reader's zone, then
// the Mustache parts rendered: subject, plain text, HTML (values HTML-escaped) and the chat form,
// as the channel-neutral NotificationMessage plus the email's parts.
import { DateTime } from 'luxon';
import Mustache from 'mustache';
import type { Queryable } from '../store/store.ts';
import type { NotificationMessage } from './message.ts';
import type { NotificationTemplate } from './templates.ts';
import type { Audience } from './events.ts';

export interface Reader {
  audience: Audience | 'test';
  name: string;
  /** IANA zone of the dates. */
  zone: string;
}

export interface Rendered {
  subject: string;
  text: string;
  html: string;
  message: NotificationMessage;
}

const KIND: Record<string, string> = { recognition: 'recognition', coaching: 'coaching', pip: 'performance improvement plan' };
const OUTCOME: Record<string, string> = { upheld: 'upheld', amended: 'amended', overturned: 'overturned' };

/** What a notice is about beyond its payload, read when it is rendered. */
export interface NoticeFacts {
  payload: Record<string, unknown>;
  caseRow?: { scheduled_for: string | Date | null; goals: unknown; support: string | null; checkin_every_days: number | null; due_at: string | Date | null; next_checkin_at: string | Date | null };
  managerName?: string;
}

export async function loadNoticeFacts(db: Queryable, payload: Record<string, unknown>): Promise<NoticeFacts> {
  const c = payload.case as { id?: number } | undefined;
  const e = payload.employee as { managerId?: string | null } | undefined;
  const facts: NoticeFacts = { payload };
  if (typeof c?.id === 'number') {
    facts.caseRow = (await db.query<NonNullable<NoticeFacts['caseRow']>>(
      'SELECT scheduled_for, goals, support, checkin_every_days, due_at, next_checkin_at FROM cases WHERE id = $1', [c.id])).rows[0];
  }
  if (e?.managerId) facts.managerName = (await db.query<{ name: string }>('SELECT name FROM employees WHERE id = $1', [e.managerId])).rows[0]?.name;
  return facts;
}

function validZone(zone: string | undefined, fallback: string): string {
  if (zone && DateTime.now().setZone(zone).isValid) return zone;
  return DateTime.now().setZone(fallback).isValid ? fallback : 'UTC';
}

export function zoneOf(attributes: unknown, fallback: string): string {
  const z = (attributes as { timezone?: unknown } | null)?.timezone;
  return validZone(typeof z === 'string' ? z : undefined, fallback);
}

function day(v: unknown, zone: string): string {
  if (!v) return '';
  const d = DateTime.fromJSDate(new Date(v as string)).setZone(zone);
  return d.isValid ? d.toFormat('d LLLL yyyy') : '';
}

function dayTime(v: unknown, zone: string): string {
  if (!v) return '';
  const d = DateTime.fromJSDate(new Date(v as string)).setZone(zone);
  return d.isValid ? `${d.toFormat('d LLLL yyyy, HH:mm')} (${zone})` : '';
}

/** The absolute form of an app path when the UI's address is known. */
export function absolute(path: string, publicUrl?: string): string {
  return publicUrl ? new URL(path, publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`).toString() : path;
}

/** Where a notice's reader acts on it: the case, the review, the disputed case. */
export function linkPath(payload: Record<string, unknown>): string {
  const links = (payload.links ?? {}) as Record<string, string>;
  return links.case ?? links.review ?? links.dispute ?? '/';
}

/** The template's variables for one reader (events.ts documents each one). */
export function buildView(facts: NoticeFacts, reader: Reader, publicUrl?: string): Record<string, unknown> {
  const p = facts.payload;
  const z = reader.zone;
  const c = (p.case ?? {}) as Record<string, unknown>;
  const e = (p.employee ?? {}) as Record<string, unknown>;
  const row = facts.caseRow;
  const name = typeof e.name === 'string' ? e.name : String(e.id ?? '');
  const goals = Array.isArray(row?.goals) ? (row!.goals as unknown[]).map(String) : [];
  const dispute = p.dispute as Record<string, unknown> | undefined;
  const review = p.review as Record<string, unknown> | undefined;
  return {
    recipient: { name: reader.name, audience: reader.audience },
    forEmployee: reader.audience === 'employee',
    forManager: reader.audience === 'manager',
    forHr: reader.audience === 'hr',
    employee: { id: e.id ?? '', name, firstName: name.split(/\s+/)[0] ?? name, team: e.team ?? '', role: e.role ?? '' },
    manager: { name: facts.managerName ?? '' },
    link: absolute(linkPath(p), publicUrl),
    case: { id: c.id ?? '', kind: KIND[String(c.type)] ?? '', status: c.status ?? '', openedOn: day(c.openedAt, z) },
    policy: { id: c.policyId ?? '', version: c.policyVersion ?? '' },
    rule: { id: c.ruleId ?? '' },
    period: c.period ?? '',
    isRecognition: c.type === 'recognition',
    isCoaching: c.type === 'coaching',
    needsApproval: c.approval === 'required',
    plan: { goals, dueDate: day(row?.due_at ?? c.dueAt, z), checkInEveryDays: row?.checkin_every_days ?? '', support: row?.support ?? '' },
    coaching: { when: dayTime(row?.scheduled_for, z) },
    checkIn: { dueOn: day(c.nextCheckInAt ?? row?.next_checkin_at, z) },
    review: { id: review?.id ?? '', selfAssessmentDue: day(review?.selfDueAt, z) },
    cycle: { id: review?.cycleId ?? '', title: review?.cycleTitle ?? '' },
    dispute: {
      id: dispute?.id ?? '', about: dispute?.about ?? '', outcome: OUTCOME[String(dispute?.outcome)] ?? '',
      note: dispute?.note ?? '', resolvedOn: day(dispute?.resolvedAt, z),
    },
    isUpheld: dispute?.outcome === 'upheld',
    isAmended: dispute?.outcome === 'amended',
    isOverturned: dispute?.outcome === 'overturned',
  };
}

const plain = { escape: (s: unknown) => String(s) };

/** Blank lines left by sections that rendered nothing collapse to one. */
function tidy(text: string): string {
  return text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

export function renderTemplate(t: NotificationTemplate, view: Record<string, unknown>, notice: string, idempotencyKey: string): Rendered {
  const subject = Mustache.render(t.subject, view, {}, plain).replace(/\s+/g, ' ').trim();
  const text = tidy(Mustache.render(t.text, view, {}, plain));
  const html = Mustache.render(t.html, view); // HTML-escaped by Mustache
  const facts = (t.chat.facts ?? [])
    .map((f) => ({ label: f.label, value: Mustache.render(f.value, view, {}, plain).trim() }))
    .filter((f) => f.value !== '');
  const link = view.link as string;
  const message: NotificationMessage = {
    event: notice,
    title: Mustache.render(t.chat.title, view, {}, plain).replace(/\s+/g, ' ').trim(),
    text: tidy(Mustache.render(t.chat.text, view, {}, plain)),
    facts,
    ...(link && link !== '/' ? { link: { label: 'Open in Appraise', url: link } } : {}),
    idempotencyKey,
  };
  return { subject, text, html, message };
}
