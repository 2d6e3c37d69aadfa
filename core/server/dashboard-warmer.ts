// The dashboard's organisation-wide trends, computed before anyone asks: once at start, after
// each change of the data or the published policies (an import, a publish), and when the hour
// turns (trends are computed as of the hour: read-cache.ts). At 10,000 people they take seconds
// to compute and milliseconds to serve from the cache, so the landing page an HR admin opens
// after an import answers at once instead of making them wait. Only the view everyone with the
// whole organisation in scope shares is warmed; a manager's line is small and computed on demand.
import type { Appraise } from '../app/appraise.ts';
import { cachedEmployees, readVersion, trendInstant } from '../run/read-cache.ts';
import { DASHBOARD_DEFAULTS, dashboardTrends } from './routes/dashboard.ts';

export interface DashboardWarmer {
  /** The read version and hour last warmed (tests wait for it). */
  readonly warmedFor: string | undefined;
  stop(): Promise<void>;
}

/** Looks every `everyMs` (default 10 s) whether the data or the hour changed; warms when it did. */
export function startDashboardWarmer(app: Appraise, o: { everyMs?: number; log?: (m: string) => void } = {}): DashboardWarmer {
  let warmedFor: string | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = async () => {
    const asOf = trendInstant(new Date());
    const key = `${await readVersion(app.store)}|${asOf.toISOString()}`;
    if (key === warmedFor) return;
    await dashboardTrends(app, await cachedEmployees(app.store), 'all', asOf, DASHBOARD_DEFAULTS.periods, DASHBOARD_DEFAULTS.cycle);
    warmedFor = key;
  };
  const look = () => {
    if (running || stopped) return;
    running = tick()
      .catch((e) => o.log?.(`dashboard warm-up: ${(e as Error).message}`))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(look, o.everyMs ?? 10_000);
  timer.unref();
  look();
  return {
    get warmedFor() {
      return warmedFor;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
