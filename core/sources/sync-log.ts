// The record of each sync (`source_syncs`): started as `running`, counted per committed batch
// (./store-batch.ts), finished `ok` or `failed` with a coded error. A sync whose process died
// is found by its free lock and marked `interrupted`; what its committed batches stored stays.
import type { ErrorCode } from '../diagnostics/codes.ts';
import type { Release, Store } from '../store/store.ts';
import { redactSecrets } from '../config/secrets.ts';
import { adviceFor } from './advice.ts';

export const sourceLockKey = (name: string) => `source:${name}`;

export type SyncStatus = 'running' | 'ok' | 'failed' | 'interrupted';
export type SyncTrigger = 'manual' | 'schedule' | 'api';

export interface SyncRow {
  id: number;
  name: string;
  sourceId: string;
  trigger: SyncTrigger;
  full: boolean;
  status: SyncStatus;
  startedAt: string;
  finishedAt: string | null;
  seconds: number | null;
  batches: number;
  inserted: number;
  duplicates: number;
  employeesAdded: number;
  employeesMatched: number;
  parked: number;
  unparked: number;
  rejected: number;
  deleted: number;
  rateLimitWaits: number;
  waitedMs: number;
  notes: string[];
  /** The error, with what to do about it. */
  error: { code: string; message: string; advice?: string } | null;
}

interface Raw {
  id: number; name: string; source_id: string; trigger: SyncTrigger; full_sync: boolean; status: SyncStatus; started_at: string | Date; finished_at: string | Date | null;
  batches: number; inserted: number; duplicates: number; employees_added: number; employees_matched: number; parked: number; unparked: number; rejected: number;
  deleted: number; rate_limit_waits: number; waited_ms: number | string; notes: string[]; error_code: string | null; error_message: string | null;
}

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

function fromRaw(r: Raw): SyncRow {
  const started = iso(r.started_at)!;
  const finished = iso(r.finished_at);
  return {
    id: Number(r.id), name: r.name, sourceId: r.source_id, trigger: r.trigger, full: r.full_sync, status: r.status, startedAt: started, finishedAt: finished,
    seconds: finished ? Math.round((Date.parse(finished) - Date.parse(started)) / 100) / 10 : null,
    batches: r.batches, inserted: r.inserted, duplicates: r.duplicates, employeesAdded: r.employees_added, employeesMatched: r.employees_matched,
    parked: r.parked, unparked: r.unparked, rejected: r.rejected, deleted: r.deleted, rateLimitWaits: r.rate_limit_waits, waitedMs: Number(r.waited_ms),
    notes: r.notes ?? [],
    error: r.error_code ? { code: r.error_code, message: redactSecrets(r.error_message ?? ''), ...(adviceFor(r.error_code) ? { advice: adviceFor(r.error_code) } : {}) } : null,
  };
}

export async function startSyncRow(store: Store, o: { name: string; sourceId: string; trigger: SyncTrigger; full: boolean; syncKey?: string; owner: string }): Promise<number> {
  const r = await store.query<{ id: number }>(
    `INSERT INTO source_syncs (name, source_id, sync_key, trigger, full_sync, owner) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [o.name, o.sourceId, o.syncKey ?? null, o.trigger, o.full, o.owner],
  );
  return Number(r.rows[0].id);
}

export async function finishSyncRow(store: Store, id: number, error?: { code: ErrorCode | string; message: string }): Promise<void> {
  await store.query(
    `UPDATE source_syncs SET status = $2, finished_at = now(), error_code = $3, error_message = $4 WHERE id = $1`,
    [id, error ? 'failed' : 'ok', error?.code ?? null, error ? redactSecrets(error.message) : null],
  );
}

/** Marks `interrupted` the running syncs of `name` while the caller holds its lock (so none of them is alive). */
export async function markInterruptedHeld(store: Store, name: string): Promise<number> {
  const r = await store.query(
    `UPDATE source_syncs SET status = 'interrupted', finished_at = now(), error_code = NULL,
       error_message = 'The process running this sync stopped before it finished; the batches it committed are kept, and the next sync resumes after them.'
     WHERE name = $1 AND status = 'running'`,
    [name],
  );
  return r.affectedRows ?? 0;
}

/** Marks `interrupted` every running sync whose process is gone (its source's lock is free). */
export async function markInterruptedSyncs(store: Store): Promise<number> {
  const names = (await store.query<{ name: string }>(`SELECT DISTINCT name FROM source_syncs WHERE status = 'running'`)).rows.map((r) => r.name);
  let n = 0;
  for (const name of names) {
    const release: Release | undefined = await store.tryLock(sourceLockKey(name));
    if (!release) continue;
    try {
      n += await markInterruptedHeld(store, name);
    } finally {
      await release();
    }
  }
  return n;
}

export async function syncHistory(store: Store, name: string, limit = 50): Promise<SyncRow[]> {
  const r = await store.query<Raw>(`SELECT * FROM source_syncs WHERE name = $1 ORDER BY id DESC LIMIT $2`, [name, limit]);
  return r.rows.map(fromRaw);
}

export async function syncById(store: Store, id: number): Promise<SyncRow | undefined> {
  const r = await store.query<Raw>(`SELECT * FROM source_syncs WHERE id = $1`, [id]);
  return r.rows[0] ? fromRaw(r.rows[0]) : undefined;
}

/** The last sync of each source name. */
export async function lastSyncs(store: Store): Promise<Map<string, SyncRow>> {
  const r = await store.query<Raw>(`SELECT DISTINCT ON (name) * FROM source_syncs ORDER BY name, id DESC`);
  return new Map(r.rows.map((x) => [x.name, fromRaw(x)]));
}
