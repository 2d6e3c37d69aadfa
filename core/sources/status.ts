// What an admin sees of each configured source (CLI `sources`, GET /api/sources, the Sources
// screen): its name, id, schedule and next run, its last sync with counts and error, and its
// credentials as references with whether each is set: never a value.
import { Cron } from 'croner';
import type { AppConfig } from '../config/config.ts';
import { describeSecretRef, resolveSecret, type SecretRef } from '../config/secrets.ts';
import type { PluginSet } from '../plugins/discovery.ts';
import type { Store } from '../store/store.ts';
import { configuredSources } from './source-config.ts';
import { lastSyncs, markInterruptedSyncs, type SyncRow } from './sync-log.ts';

export interface SourceStatus {
  name: string;
  sourceId: string;
  title: string | null;
  /** false when no enabled plugin contributes the source id. */
  available: boolean;
  enabled: boolean;
  schedule: string;
  /** The next scheduled sync (UTC ISO), or null (manual, disabled). */
  nextRun: string | null;
  produces: string[];
  credentials: Array<{ name: string; reference: string; set: boolean }>;
  /** never (no sync yet), running, ok, failed, interrupted. */
  status: 'never' | SyncRow['status'];
  lastSync: SyncRow | null;
}

export function nextRunOf(schedule: string, enabled: boolean, now = new Date()): string | null {
  if (!enabled || schedule === 'manual') return null;
  try {
    const cron = new Cron(schedule, { paused: true, timezone: 'UTC' });
    const next = cron.nextRun(now);
    cron.stop();
    return next ? next.toISOString() : null;
  } catch {
    return null;
  }
}

function isSet(config: AppConfig, ref: SecretRef, where: string): boolean {
  try {
    resolveSecret(config, ref, where);
    return true;
  } catch {
    return false;
  }
}

export async function sourceStatuses(store: Store, config: AppConfig, plugins: Pick<PluginSet, 'sources'>): Promise<SourceStatus[]> {
  await markInterruptedSyncs(store);
  const last = await lastSyncs(store);
  return configuredSources(config.sources, plugins).map((s) => {
    const sync = last.get(s.name) ?? null;
    return {
      name: s.name,
      sourceId: s.config.source,
      title: s.contribution?.title ?? null,
      available: Boolean(s.contribution),
      enabled: s.enabled,
      schedule: s.schedule,
      nextRun: nextRunOf(s.schedule, s.enabled && Boolean(s.contribution)),
      produces: s.contribution?.produces ?? [],
      credentials: Object.entries(s.config.credentials ?? {}).map(([name, ref]) => ({ name, reference: describeSecretRef(ref), set: isSet(config, ref, `sources.${s.name}.credentials.${name}`) })),
      status: sync?.status ?? 'never',
      lastSync: sync,
    };
  });
}
