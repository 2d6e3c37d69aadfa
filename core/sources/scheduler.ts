// Scheduled syncs: each enabled configured source syncs on its cron (UTC; `manual` never) while
// the server or `npx appraise worker` is up. A tick is skipped while a sync of the source runs
// (croner's `protect` in this process; the source's store lock across processes), and with
// several processes on one PostgreSQL database exactly one syncs a tick: the sync's key
// (name@tick) is unique, so every other process's insert fails and it skips, as policy runs do.
import { Cron } from 'croner';
import type { AppConfig } from '../config/config.ts';
import type { PluginSet } from '../plugins/discovery.ts';
import { isRunKeyTaken } from '../run/scheduler.ts';
import type { SyncResult } from './run-sync.ts';
import { configuredSources } from './source-config.ts';

export interface SourceSchedulerOptions {
  config: AppConfig;
  plugins: Pick<PluginSet, 'sources'>;
  sync: (name: string, syncKey: string) => Promise<SyncResult>;
  onSync?: (result: SyncResult) => void;
  /** A tick another process (or a sync still running) has: skipped, not an error. */
  onSkip?: (name: string, tick: Date) => void;
  onError?: (e: unknown) => void;
}

export const syncKeyOf = (name: string, tick: Date) => `${name}@${tick.toISOString()}`;

/** Whether a sync was not started because another process has (or had) it: not an error. */
export function isSyncTaken(e: unknown): boolean {
  return (e as { code?: string })?.code === 'APPRAISE_SOURCE_SYNC_IN_PROGRESS' || isRunKeyTaken(e) || /source_syncs_sync_key_key/.test(String((e as Error)?.message));
}

export function startSourceScheduler(o: SourceSchedulerOptions): () => void {
  const jobs: Cron[] = [];
  for (const s of configuredSources(o.config.sources, o.plugins)) {
    if (!s.enabled || !s.contribution || s.schedule === 'manual') continue;
    jobs.push(new Cron(s.schedule, { timezone: 'UTC', protect: true }, async (self: Cron) => {
      const tick = self.currentRun() ?? new Date();
      tick.setUTCSeconds(0, 0);
      try {
        o.onSync?.(await o.sync(s.name, syncKeyOf(s.name, tick)));
      } catch (e) {
        if (isSyncTaken(e)) o.onSkip?.(s.name, tick);
        else o.onError?.(e);
      }
    }));
  }
  return () => {
    for (const j of jobs) j.stop();
  };
}
