// One sync call = one page of one stream. A round reads, in order: the agents (so the people
// exist before the records that name them), the tickets changed since the last round (the
// cursor-based Incremental Ticket Export with metric sets side-loaded), then the satisfaction
// ratings created since the last round; the round ends with `done` and a cursor where the next
// one starts. Everything the next call needs is in the cursor, so a call with the same cursor
// asks Zendesk the same question and returns the same batch.
import type { SourceBatch, SourceCursor, SourceImplementation, SourceRecord, SourceSyncContext } from 'appraise/plugin-api';
import { arrayField, isObject, nextPage, readSettings, ZendeskClient, type ZendeskSettings } from './client.ts';
import { mapAgent, mapRating, mapTicket, TICKET_KIND } from './map.ts';

export interface ZendeskCursor {
  v: 1;
  phase: 'agents' | 'tickets' | 'ratings';
  /** page[after] of the agents list, within this round. */
  agentsAfter?: string;
  /** The export's after_cursor; absent until the first ticket page (then start_time is used). */
  ticketsCursor?: string;
  /** Unix seconds the first ticket page starts at. */
  ticketsStart: number;
  /** Ratings created at or after this (Unix seconds) are read this round. */
  ratingsFrom: number;
  ratingsAfter?: string;
  /** The latest created_at of the ratings read so far this round (Unix seconds). */
  ratingsSeen?: number;
}

const DEFAULT_LOOKBACK_DAYS = 90;
const AGENTS_PAGE = 100;
const RATINGS_PAGE = 100;

export function createZendeskSource(options: { now?: () => Date } = {}): SourceImplementation {
  const now = options.now ?? (() => new Date());
  return {
    async sync(ctx: SourceSyncContext, cursor: SourceCursor): Promise<SourceBatch> {
      const settings = readSettings(ctx.settings);
      const client = new ZendeskClient(ctx, settings);
      const at = readCursor(cursor) ?? firstCursor(settings, now());
      if (at.phase === 'agents') return agentsPage(client, at);
      if (at.phase === 'tickets') return ticketsPage(client, settings, at);
      return ratingsPage(client, settings, at);
    },
  };
}

/** Zendesk refuses a start_time within the last minute; the default start is 90 days back. */
function firstCursor(settings: ZendeskSettings, now: Date): ZendeskCursor {
  const latest = Math.floor(now.getTime() / 1000) - 60;
  let start = latest - DEFAULT_LOOKBACK_DAYS * 86_400;
  if (settings.startTime) {
    const t = Date.parse(settings.startTime);
    if (Number.isNaN(t)) throw new Error(`APPRAISE_SOURCE_BAD_RESPONSE: settings.startTime ${JSON.stringify(settings.startTime)} is not a date-time; write it like 2026-09-01T00:00:00Z.`);
    start = Math.min(latest, Math.floor(t / 1000));
  }
  return { v: 1, phase: 'agents', ticketsStart: start, ratingsFrom: start };
}

function readCursor(cursor: SourceCursor): ZendeskCursor | undefined {
  if (cursor === null) return undefined;
  const c = cursor as Partial<ZendeskCursor>;
  if (c.v !== 1 || !['agents', 'tickets', 'ratings'].includes(c.phase as string) || typeof c.ticketsStart !== 'number' || typeof c.ratingsFrom !== 'number') {
    throw new Error('APPRAISE_SOURCE_BAD_RESPONSE: the stored cursor of this Zendesk source is not one this connector wrote; sync it again from settings.startTime with `npx appraise sources sync <name> --full` (it stores only what is not stored yet).');
  }
  return c as ZendeskCursor;
}

async function agentsPage(client: ZendeskClient, at: ZendeskCursor): Promise<SourceBatch> {
  const query: Array<[string, string]> = [['role[]', 'agent'], ['role[]', 'admin'], ['page[size]', String(AGENTS_PAGE)]];
  if (at.agentsAfter) query.push(['page[after]', at.agentsAfter]);
  const answer = await client.get('/api/v2/users', query);
  const users = arrayField(answer, 'users').filter(isObject);
  const groups = users.some((u) => u.default_group_id !== null && u.default_group_id !== undefined) ? await groupNames(client) : new Map<string, string>();
  const employees = users.flatMap((u) => mapAgent(u, groups) ?? []);
  const after = nextPage(answer);
  const nextCursor: ZendeskCursor = after ? { ...at, agentsAfter: after } : { ...withoutKeys(at, 'agentsAfter'), phase: 'tickets' };
  return { records: [], employees, nextCursor: { ...nextCursor }, done: false, notes: [`${count(employees.length, 'agent or admin', 'agents and admins')} read`] };
}

/** Group id → name, for the agents' default groups (their team). Groups are few: all pages at once. */
async function groupNames(client: ZendeskClient): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  let after: string | undefined;
  do {
    const query: Array<[string, string]> = [['page[size]', '100']];
    if (after) query.push(['page[after]', after]);
    const answer = await client.get('/api/v2/groups', query);
    for (const g of arrayField(answer, 'groups').filter(isObject)) {
      if (g.id !== undefined && typeof g.name === 'string') names.set(String(g.id), g.name);
    }
    after = nextPage(answer);
  } while (after);
  return names;
}

async function ticketsPage(client: ZendeskClient, settings: ZendeskSettings, at: ZendeskCursor): Promise<SourceBatch> {
  const query: Array<[string, string]> = at.ticketsCursor ? [['cursor', at.ticketsCursor]] : [['start_time', String(at.ticketsStart)]];
  query.push(['include', 'metric_sets'], ['per_page', String(settings.ticketsPerPage)]);
  const answer = await client.get('/api/v2/incremental/tickets/cursor.json', query);
  const tickets = arrayField(answer, 'tickets').filter(isObject);
  const metricSets = new Map<string, Record<string, unknown>>();
  const sets = answer.body.metric_sets;
  if (Array.isArray(sets)) for (const m of sets.filter(isObject)) if (m.ticket_id !== undefined) metricSets.set(String(m.ticket_id), m);

  const records: SourceRecord[] = [];
  const deleted: Array<{ kind: string; id: string }> = [];
  const waiting = new Map<string, number>();
  let unassigned = 0;
  const unreadable: string[] = [];
  for (const t of tickets) {
    const outcome = mapTicket(t, metricSets.get(String(t.id)), settings.ticketsAt);
    if (outcome.kind === 'record') records.push(outcome.record);
    else if (outcome.kind === 'deleted') deleted.push({ kind: TICKET_KIND, id: outcome.id });
    else if (outcome.kind === 'not-yet') waiting.set(outcome.status, (waiting.get(outcome.status) ?? 0) + 1);
    else if (outcome.kind === 'unassigned') unassigned++;
    else unreadable.push(outcome.why);
  }

  const afterCursor = typeof answer.body.after_cursor === 'string' && answer.body.after_cursor ? answer.body.after_cursor : undefined;
  const endOfStream = answer.body.end_of_stream;
  if (typeof endOfStream !== 'boolean') throw new Error(`APPRAISE_SOURCE_BAD_RESPONSE: Zendesk's answer to ${answer.endpoint} has no end_of_stream flag; nothing of this batch was stored.`);
  if (!endOfStream && !afterCursor) throw new Error(`APPRAISE_SOURCE_BAD_RESPONSE: Zendesk's answer to ${answer.endpoint} says the stream goes on but gives no after_cursor; nothing of this batch was stored.`);
  const ticketsCursor = afterCursor ?? at.ticketsCursor;
  let nextCursor: ZendeskCursor = { ...at, ticketsCursor };
  let done = false;
  if (endOfStream && settings.satisfactionRatings) nextCursor.phase = 'ratings';
  else if (endOfStream) {
    nextCursor = endOfRound(at, ticketsCursor, at.ratingsFrom);
    done = true;
  }

  const notes = [`${count(tickets.length, 'ticket')} read, ${records.length} stored`];
  if (waiting.size) notes.push(`${count([...waiting.values()].reduce((a, b) => a + b, 0), 'ticket')} not ${settings.ticketsAt} yet (${[...waiting].map(([s, n]) => `${n} ${s}`).join(', ')}), stored once ${settings.ticketsAt}`);
  if (unassigned) notes.push(`${count(unassigned, `${settings.ticketsAt} ticket`)} without an assignee, not stored (a ticket record needs the agent it is about)`);
  if (deleted.length) notes.push(`${count(deleted.length, 'ticket')} deleted in Zendesk`);
  if (unreadable.length) notes.push(`${count(unreadable.length, 'ticket')} left out: ${unreadable.slice(0, 3).join('; ')}`);
  return { records, deleted, nextCursor: { ...nextCursor }, done, notes };
}

async function ratingsPage(client: ZendeskClient, settings: ZendeskSettings, at: ZendeskCursor): Promise<SourceBatch> {
  const query: Array<[string, string]> = [['start_time', String(at.ratingsFrom)], ['page[size]', String(RATINGS_PAGE)]];
  if (at.ratingsAfter) query.push(['page[after]', at.ratingsAfter]);
  const answer = await client.get('/api/v2/satisfaction_ratings', query, {
    forbidden: 'satisfaction ratings may be turned off for this account (or it uses the newer CSAT survey), or the admin in settings.email lacks access. Set settings.satisfactionRatings: false to sync tickets and agents without them, or check the token.',
  });
  const ratings = arrayField(answer, 'satisfaction_ratings').filter(isObject);
  const records: SourceRecord[] = [];
  let unanswered = 0;
  let unassigned = 0;
  const unreadable: string[] = [];
  let seen = at.ratingsSeen;
  for (const r of ratings) {
    const created = typeof r.created_at === 'string' ? Math.floor(Date.parse(r.created_at) / 1000) : NaN;
    if (Number.isFinite(created)) seen = Math.max(seen ?? created, created);
    const outcome = mapRating(r);
    if (outcome.kind === 'record') records.push(outcome.record);
    else if (outcome.kind === 'no-answer') unanswered++;
    else if (outcome.kind === 'unassigned') unassigned++;
    else unreadable.push(outcome.why);
  }
  const after = nextPage(answer);
  const notes = [`${count(ratings.length, 'satisfaction rating')} read, ${records.length} answered`];
  if (unanswered) notes.push(`${count(unanswered, 'survey')} offered or not offered but not answered, not stored`);
  if (unassigned) notes.push(`${count(unassigned, 'rating')} without an assignee, not stored`);
  if (unreadable.length) notes.push(`${count(unreadable.length, 'rating')} left out: ${unreadable.slice(0, 3).join('; ')}`);
  if (after) {
    const next: ZendeskCursor = { ...at, ratingsAfter: after };
    if (seen !== undefined) next.ratingsSeen = seen;
    return { records, nextCursor: { ...next }, done: false, notes };
  }
  // End of the round. The next one starts with the agents again and reads the ratings from the
  // latest one seen minus a few days (lookback): a survey answered days after it was offered
  // keeps the created_at of the offer. Computed from the data, never the clock, so a redone
  // page gives the same cursor; it never moves back.
  const next = endOfRound(at, at.ticketsCursor, seen === undefined ? at.ratingsFrom : Math.max(at.ratingsFrom, seen - settings.ratingsLookbackDays * 86_400));
  return { records, nextCursor: { ...next }, done: true, notes };
}

/** Where the next round starts: the agents again, the tickets where the export stopped. */
function endOfRound(at: ZendeskCursor, ticketsCursor: string | undefined, ratingsFrom: number): ZendeskCursor {
  const next: ZendeskCursor = { v: 1, phase: 'agents', ticketsStart: at.ticketsStart, ratingsFrom };
  if (ticketsCursor) next.ticketsCursor = ticketsCursor;
  return next;
}

/** `1 ticket`, `3 tickets`. */
function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function withoutKeys<T extends object, K extends keyof T>(o: T, ...keys: K[]): Omit<T, K> {
  const copy = { ...o };
  for (const k of keys) delete copy[k];
  return copy;
}
