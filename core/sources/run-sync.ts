// One sync of a configured source: batch after batch from its last committed cursor (or from
// the start with `full`) until the plugin says `done`, each batch stored in its own transaction
// (./store-batch.ts). One sync per source at a time, across processes (a store lock: PostgreSQL's
// advisory lock, the embedded owner's lock table); a second is refused with a coded error. A
// failure ends the sync with its code and message (credentials redacted); the batches committed
// before it stay, and the next sync resumes after them.
import { isDeepStrictEqual } from 'node:util';
import type { AppConfig } from '../config/config.ts';
import { redactSecrets, resolveSecrets } from '../config/secrets.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import type { SourceCursor } from '../plugins/api.ts';
import type { PluginSet } from '../plugins/discovery.ts';
import type { PluginHost } from '../plugins/host.ts';
import { refreshStatistics } from '../records/statistics.ts';
import { ensureRecordLayouts } from '../records/typed-tables.ts';
import { runOwner } from '../run/run-lock.ts';
import type { Store } from '../store/store.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { checkBatchShape } from './batch-shape.ts';
import { configuredSources, settingsWithDefaults, type ConfiguredSource } from './source-config.ts';
import { storeBatch, type BatchCounts, type SetAside } from './store-batch.ts';
import { finishSyncRow, markInterruptedHeld, sourceLockKey, startSyncRow, type SyncTrigger } from './sync-log.ts';

export interface SyncDeps {
  store: Store;
  host: PluginHost;
  config: AppConfig;
  plugins: Pick<PluginSet, 'sources' | 'recordKinds'>;
}

export interface SyncOptions {
  trigger: SyncTrigger;
  /** Re-read from the start (cursor null); adds nothing already stored. */
  full?: boolean;
  /** A scheduled tick's key: unique, so exactly one process syncs a tick. */
  syncKey?: string;
  onStarted?: (syncId: number) => void;
  onBatch?: (progress: { batch: number; counts: BatchCounts; totals: BatchCounts; done: boolean }) => void;
}

export interface SyncResult {
  syncId: number;
  name: string;
  sourceId: string;
  status: 'ok' | 'failed';
  batches: number;
  totals: BatchCounts;
  /** The first records set aside (all are in source_rejects). */
  rejects: SetAside[];
  notes: string[];
  error?: { code: ErrorCode; message: string };
  seconds: number;
}

const MAX_SHOWN_REJECTS = 20;

export const emptyCounts = (): BatchCounts => ({ records: 0, inserted: 0, duplicates: 0, employeesAdded: 0, employeesMatched: 0, parked: 0, unparked: 0, rejected: 0, deleted: 0, rateLimitWaits: 0, waitedMs: 0 });

/** The configured source by name, or a coded error naming the configured ones. */
export function configuredSource(config: AppConfig, plugins: Pick<PluginSet, 'sources'>, name: string): ConfiguredSource {
  const all = configuredSources(config.sources, plugins);
  const found = all.find((s) => s.name === name);
  if (!found) {
    throw new AppraiseError('APPRAISE_SOURCE_NOT_CONFIGURED', `No source \`${name}\` is configured.${didYouMean(name, all.map((s) => s.name))} Configured: ${all.map((s) => s.name).join(', ') || '(none)'}; add it under \`sources:\` in appraise.config.yaml.`, { source: name });
  }
  if (!found.contribution) {
    throw new AppraiseError('APPRAISE_SOURCE_UNKNOWN', `The source \`${name}\` names ${found.config.source}, which no enabled plugin contributes; \`npx appraise plugins\` lists the sources.`, { source: name });
  }
  return found;
}

export async function syncSource(deps: SyncDeps, name: string, o: SyncOptions): Promise<SyncResult> {
  const src = configuredSource(deps.config, deps.plugins, name);
  const contribution = src.contribution!;
  const release = await deps.store.tryLock(sourceLockKey(name));
  if (!release) {
    const running = (await deps.store.query<{ id: number; started_at: string | Date; owner: string | null }>(
      `SELECT id, started_at, owner FROM source_syncs WHERE name = $1 AND status = 'running' ORDER BY id DESC LIMIT 1`, [name],
    )).rows[0];
    throw new AppraiseError('APPRAISE_SOURCE_SYNC_IN_PROGRESS', `A sync of ${name} is already running${running ? ` (sync ${running.id}, started ${new Date(running.started_at).toISOString().replace('T', ' ').slice(0, 16)} UTC${running.owner ? ` by ${running.owner}` : ''})` : ''}. Wait for it to finish; \`npx appraise sources history ${name}\` shows it.`, { source: name });
  }
  const started = performance.now();
  const totals = emptyCounts();
  const rejects: SetAside[] = [];
  const notes: string[] = [];
  let batches = 0;
  let syncId = 0;
  try {
    await markInterruptedHeld(deps.store, name);
    syncId = await startSyncRow(deps.store, { name, sourceId: contribution.id, trigger: o.trigger, full: o.full ?? false, ...(o.syncKey ? { syncKey: o.syncKey } : {}), owner: runOwner() });
    o.onStarted?.(syncId);
    try {
      const credentials = resolveSecrets(deps.config, src.config.credentials ?? {}, `sources.${name}.credentials`);
      const kinds = new Map(contribution.produces.flatMap((k) => (deps.plugins.recordKinds.get(k) ? [[k, deps.plugins.recordKinds.get(k)!] as const] : [])));
      await ensureRecordLayouts(deps.store, [...kinds.values()]);
      let cursor: SourceCursor = o.full ? null : await storedCursor(deps.store, name);
      for (;;) {
        const { batch: raw, waits } = await deps.host.runSourceSync(contribution.id, { settings: settingsWithDefaults(contribution, src.config.settings), credentials, limits: src.limits }, cursor);
        const batch = checkBatchShape(contribution.id, raw);
        if (!batch.done && isDeepStrictEqual(batch.nextCursor, cursor)) {
          throw new AppraiseError('APPRAISE_SOURCE_SYNC_FAILED', `The source ${contribution.id} returned a batch that is not \`done\` with the cursor it was given, so the sync would never end; it was stopped. Report this to the plugin's author.`);
        }
        const stored = await storeBatch(deps.store, {
          sourceName: name, sourceId: contribution.id, syncId, produces: contribution.produces, kinds,
          waits: { count: waits.length, ms: waits.reduce((a, w) => a + w.waitMs, 0) },
        }, batch);
        batches++;
        for (const k of Object.keys(totals) as Array<keyof BatchCounts>) totals[k] += stored.counts[k];
        for (const r of stored.rejects) if (rejects.length < MAX_SHOWN_REJECTS) rejects.push(r);
        notes.push(...(batch.notes ?? []));
        for (const [kind, n] of stored.insertedByKind) await refreshStatistics(deps.store, kind, n);
        o.onBatch?.({ batch: batches, counts: stored.counts, totals: { ...totals }, done: batch.done });
        cursor = batch.nextCursor;
        if (batch.done) break;
      }
      await finishSyncRow(deps.store, syncId);
      return { syncId, name, sourceId: contribution.id, status: 'ok', batches, totals, rejects, notes, seconds: (performance.now() - started) / 1000 };
    } catch (e) {
      const error = codedError(e);
      await finishSyncRow(deps.store, syncId, error);
      return { syncId, name, sourceId: contribution.id, status: 'failed', batches, totals, rejects, notes, error: { code: error.code, message: error.message }, seconds: (performance.now() - started) / 1000 };
    }
  } finally {
    await release();
  }
}

async function storedCursor(store: Store, name: string): Promise<SourceCursor> {
  const r = await store.query<{ cursor: SourceCursor }>('SELECT cursor FROM source_state WHERE name = $1', [name]);
  return r.rows[0]?.cursor ?? null;
}

/** Any failure as a code and a message without credentials. */
function codedError(e: unknown): { code: ErrorCode; message: string } {
  if (e instanceof AppraiseError) return { code: e.code, message: redactSecrets(e.message) };
  return { code: 'APPRAISE_SOURCE_SYNC_FAILED', message: redactSecrets(`The sync failed: ${(e as Error)?.message ?? String(e)}. Nothing of the batch under way was stored; the next sync resumes from the last stored batch.`) };
}
