// One sync call of the Salesforce source: the next page of each stream, in order — opportunities,
// then quotas, then deleted opportunities — where a stream goes on to the next only once it is at
// its end, so a call returns at most one page of each. The cursor holds every stream's position;
// it holds no query locator (they expire), so a batch redone from the same cursor asks the same
// questions. `done` is true when the deleted stream has been read: the round is over, and the next
// call (the next scheduled sync) starts a new round from the positions stored.
import type { SourceBatch, SourceCursor, SourceEmployee, SourceRecord, SourceSyncContext } from 'appraise/plugin-api';
import { SalesforceApiError, SalesforceClient } from './client.ts';
import { dealFrom, employeeFrom, isoDate, isoDateTime, quotaFrom } from './mapping.ts';
import { readSettings, type SalesforceSettings } from './settings.ts';
import { byIdQueries, keysetQuery, soqlString, type Keyset } from './soql.ts';

export const OPPORTUNITY_FIELDS = ['Id', 'OwnerId', 'Amount', 'StageName', 'IsClosed', 'IsWon', 'CloseDate', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp', 'Name', 'AccountId'];
export const QUOTA_FIELDS = ['Id', 'QuotaOwnerId', 'QuotaAmount', 'StartDate', 'PeriodId', 'ForecastingTypeId', 'SystemModstamp'];
export const USER_FIELDS = ['Id', 'Name', 'Email', 'IsActive', 'Department', 'Title', 'EmployeeNumber', 'FederationIdentifier'];

type Stream = 'opportunities' | 'quotas' | 'deleted';

export interface SalesforceCursor {
  v: 1;
  /** The stream this round goes on with. */
  stream: Stream;
  opportunities: { after?: Keyset };
  /** `unavailableOn`: the UTC day the org answered that ForecastingQuota does not exist; asked again the next day. */
  quotas: { after?: Keyset; unavailableOn?: string };
  /** `start`: where the next getDeleted window starts (the last answer's latestDateCovered). */
  deleted: { start?: string };
}

// Changes of the last minute are left for the next round: a transaction that started earlier may
// still commit with an earlier SystemModstamp than records already read.
const SETTLE_MS = 60_000;
// Salesforce keeps deleted records' ids for 15 days at most.
const DELETED_DAYS = 15;
const MINUTE = 60_000;

export function readCursor(cursor: SourceCursor): SalesforceCursor {
  const c = (cursor ?? {}) as Partial<SalesforceCursor>;
  const keyset = (k: unknown): Keyset | undefined => {
    const o = k as Keyset | undefined;
    return o && typeof o.mark === 'string' && typeof o.id === 'string' ? { mark: o.mark, id: o.id } : undefined;
  };
  const stream: Stream = c.stream === 'quotas' || c.stream === 'deleted' ? c.stream : 'opportunities';
  return {
    v: 1,
    stream,
    opportunities: { after: keyset(c.opportunities?.after) },
    quotas: { after: keyset(c.quotas?.after), unavailableOn: typeof c.quotas?.unavailableOn === 'string' ? c.quotas.unavailableOn : undefined },
    deleted: { start: typeof c.deleted?.start === 'string' ? c.deleted.start : undefined },
  };
}

/** Drops undefined members so the stored cursor is plain JSON that compares equal when equal. */
function plain(c: SalesforceCursor): SourceCursor {
  return JSON.parse(JSON.stringify(c)) as SourceCursor;
}

export async function syncSalesforce(ctx: SourceSyncContext, cursor: SourceCursor, now: () => number = Date.now): Promise<SourceBatch> {
  const settings = readSettings(ctx.settings);
  const client = new SalesforceClient(ctx, settings.instanceUrl, settings.apiVersion);
  const c = readCursor(cursor);
  const records: SourceRecord[] = [];
  const deleted: Array<{ kind: string; id: string }> = [];
  const notes: string[] = [];
  const until = new Date(now() - SETTLE_MS).toISOString();
  let done = false;

  if (c.stream === 'opportunities') {
    const ended = await readOpportunities(client, settings, c, until, records, notes);
    if (ended) c.stream = 'quotas';
  }
  if (c.stream === 'quotas') {
    const ended = await readQuotas(client, settings, c, until, records, notes, now);
    if (ended) c.stream = 'deleted';
  }
  if (c.stream === 'deleted') {
    await readDeleted(client, settings, c, deleted, notes, now);
    c.stream = 'opportunities';
    done = true;
  }

  const employees = await readOwners(client, records, notes);
  return { records, employees, deleted, nextCursor: plain(c), done, notes };
}

/** One keyset page of Opportunities; true when the stream is at its end. */
async function readOpportunities(client: SalesforceClient, s: SalesforceSettings, c: SalesforceCursor, until: string, records: SourceRecord[], notes: string[]): Promise<boolean> {
  const extra = s.startDate ? [`CloseDate >= ${s.startDate.slice(0, 10)}`] : [];
  const rows = await client.query(keysetQuery({ fields: OPPORTUNITY_FIELDS, object: 'Opportunity', after: c.opportunities.after, until, extra, limit: s.pageSize }));
  let open = 0;
  for (const row of rows) {
    const outcome = dealFrom(row);
    if ('record' in outcome) records.push(outcome.record);
    else if ('open' in outcome) open++;
    else notes.push(`${outcome.skipped}; not stored`);
  }
  if (open > 0) notes.push(`${open} open opportunit${open === 1 ? 'y' : 'ies'} not stored yet: a deal is stored once it is closed won or lost`);
  const last = lastKeyset(rows);
  if (last) c.opportunities.after = last;
  return rows.length < s.pageSize;
}

/** One keyset page of ForecastingQuota (Collaborative Forecasts); true when the stream is at its end. */
async function readQuotas(client: SalesforceClient, s: SalesforceSettings, c: SalesforceCursor, until: string, records: SourceRecord[], notes: string[], now: () => number): Promise<boolean> {
  if (s.quotas === 'off') return true;
  const today = new Date(now()).toISOString().slice(0, 10);
  if (c.quotas.unavailableOn === today) return true;
  const extra = ['IsAmount = true'];
  if (s.quotaForecastingTypeId) extra.push(`ForecastingTypeId = ${soqlString(s.quotaForecastingTypeId)}`);
  if (s.startDate) extra.push(`StartDate >= ${s.startDate.slice(0, 10)}`);
  let rows: Array<Record<string, unknown>>;
  try {
    rows = await client.query(keysetQuery({ fields: QUOTA_FIELDS, object: 'ForecastingQuota', after: c.quotas.after, until, extra, limit: s.pageSize }));
  } catch (e) {
    if (e instanceof SalesforceApiError && e.errorCode === 'INVALID_TYPE') {
      // Collaborative Forecasts is off (or the user may not see forecasts): go on without quotas.
      if (!c.quotas.unavailableOn) notes.push(`quotas not imported: this org has no ForecastingQuota (Collaborative Forecasts is off, or the integration user lacks View All Forecasts); deals are imported without them. Set quotas: off to stop asking.`);
      c.quotas.unavailableOn = today;
      return true;
    }
    throw e;
  }
  delete c.quotas.unavailableOn;
  const periodEnds = await readPeriodEnds(client, rows, notes);
  const types = new Set<string>();
  for (const row of rows) {
    if (typeof row.ForecastingTypeId === 'string') types.add(row.ForecastingTypeId);
    const outcome = quotaFrom(row, periodEnds);
    if ('record' in outcome) records.push(outcome.record);
    else notes.push(`${outcome.skipped}; not stored`);
  }
  if (types.size > 1 && !s.quotaForecastingTypeId) {
    notes.push(`quotas of ${types.size} forecast types were read (${[...types].join(', ')}); set quotaForecastingTypeId so a rep's quota counts once`);
  }
  const last = lastKeyset(rows);
  if (last) c.quotas.after = last;
  return rows.length < s.pageSize;
}

/** The last day of each quota's period; a quota whose period cannot be read is stored without it. */
async function readPeriodEnds(client: SalesforceClient, quotas: Array<Record<string, unknown>>, notes: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(quotas.map((q) => q.PeriodId).filter((p): p is string => typeof p === 'string'))];
  const ends = new Map<string, string>();
  try {
    for (const soql of byIdQueries(['Id', 'StartDate', 'EndDate'], 'Period', ids)) {
      for (const p of await client.query(soql)) {
        const end = isoDate(p.EndDate);
        if (typeof p.Id === 'string' && end) ends.set(p.Id, end.slice(0, 10));
      }
    }
  } catch (e) {
    if (!(e instanceof SalesforceApiError)) throw e;
    notes.push(`quota periods not readable (${e.errorCode || 'HTTP ' + e.status}); quotas are stored without their period's end`);
  }
  return ends;
}

/** The Opportunities deleted since the last window (sObject Get Deleted). */
async function readDeleted(client: SalesforceClient, s: SalesforceSettings, c: SalesforceCursor, out: Array<{ kind: string; id: string }>, notes: string[], now: () => number): Promise<void> {
  // The resource ignores seconds; the window must be longer than a minute.
  const end = Math.floor(now() / MINUTE) * MINUTE;
  const earliest = end - DELETED_DAYS * 24 * 60 * MINUTE + MINUTE;
  let start = c.deleted.start ? Date.parse(c.deleted.start) : Math.max(earliest, s.startDate ? Date.parse(s.startDate) : earliest);
  if (Number.isNaN(start)) start = earliest;
  if (start < earliest) {
    notes.push(`deletions before ${new Date(earliest).toISOString()} cannot be read: Salesforce keeps deleted ids for ${DELETED_DAYS} days, and this source last synced before that`);
    start = earliest;
  }
  if (end - start <= MINUTE) return;
  const q = `start=${encodeURIComponent(sfDateTime(start))}&end=${encodeURIComponent(sfDateTime(end))}`;
  let answer: { deletedRecords?: Array<{ id?: unknown }>; latestDateCovered?: unknown };
  try {
    answer = (await client.get(`/services/data/v${client.apiVersion}/sobjects/Opportunity/deleted/?${q}`)) as typeof answer;
  } catch (e) {
    if (e instanceof SalesforceApiError && e.errorCode === 'INVALID_REPLICATION_DATE') {
      notes.push(`Salesforce could not list deleted opportunities for ${sfDateTime(start)} to ${sfDateTime(end)} (its delete log was purged); deletions of that time are not reported`);
      c.deleted.start = new Date(end).toISOString();
      return;
    }
    throw e;
  }
  for (const d of Array.isArray(answer.deletedRecords) ? answer.deletedRecords : []) {
    if (typeof d?.id === 'string') out.push({ kind: 'sales.deal', id: d.id });
  }
  // latestDateCovered: a change that began before it but had not finished is covered by the next window.
  c.deleted.start = isoDateTime(answer.latestDateCovered) ?? new Date(end).toISOString();
}

/** The Users that the batch's records name, as employees. */
async function readOwners(client: SalesforceClient, records: SourceRecord[], notes: string[]): Promise<SourceEmployee[]> {
  const ids = [...new Set(records.map((r) => r.person))].sort();
  const found: SourceEmployee[] = [];
  for (const soql of byIdQueries(USER_FIELDS, 'User', ids)) {
    for (const row of await client.query(soql)) {
      const e = employeeFrom(row);
      if (e) found.push(e);
    }
  }
  const missing = ids.filter((id) => !found.some((e) => e.id === id));
  if (missing.length) notes.push(`${missing.length} owner${missing.length === 1 ? '' : 's'} not readable as Users (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''})`);
  return found;
}

function lastKeyset(rows: Array<Record<string, unknown>>): Keyset | undefined {
  const last = rows[rows.length - 1];
  if (!last) return undefined;
  const mark = isoDateTime(last.SystemModstamp);
  if (!mark || typeof last.Id !== 'string') {
    throw new Error(`APPRAISE_SOURCE_BAD_RESPONSE: Salesforce answered a record without Id or SystemModstamp; nothing of this batch was stored.`);
  }
  return { mark, id: last.Id };
}

/** `2013-05-05T00:00:00+00:00`, the form of the Get Deleted examples. */
function sfDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
