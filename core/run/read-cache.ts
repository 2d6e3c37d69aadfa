// Results of expensive reads (the dashboard's and the employee page's trends) kept while what
// they read is unchanged: keyed by the data version (records, imports, employees) and the
// published policy versions, so an import or a publish makes every entry stale at once. The
// promise is kept, not the value, so that requests arriving together compute once.
import type { Queryable } from '../store/store.ts';
import { dataVersion } from './compute.ts';
import { loadEmployees, type Employee } from './employees.ts';

const MAX_ENTRIES = 64;
const caches = new WeakMap<Queryable, { version: string; entries: Map<string, Promise<unknown>> }>();

/** What trend-like reads depend on: the data, and which policy versions are published. */
export async function readVersion(db: Queryable): Promise<string> {
  const policies = (await db.query<{ v: string | null }>(`SELECT string_agg(policy_id || '@' || version, ',' ORDER BY policy_id) AS v FROM (SELECT policy_id, max(version) AS version FROM policy_versions WHERE status = 'published' GROUP BY policy_id) AS p`)).rows[0].v;
  return `${await dataVersion(db)}|${policies ?? ''}`;
}

/** `compute()`'s result for `key`, from the cache while the store's read version is unchanged. */
export async function cachedRead<T>(db: Queryable, key: string, compute: () => Promise<T>): Promise<T> {
  const version = await readVersion(db);
  let cache = caches.get(db);
  if (!cache || cache.version !== version) caches.set(db, (cache = { version, entries: new Map() }));
  const entries = cache.entries;
  const hit = entries.get(key) as Promise<T> | undefined;
  if (hit) {
    readStats.hits++;
    return hit;
  }
  readStats.computed++;
  const promise = compute();
  entries.set(key, promise);
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  promise.catch(() => entries.delete(key)); // an error is not remembered
  return promise;
}

/**
 * Everyone in the store, read once per data version (employees are part of it). Read-only: the
 * dashboard and reports filter it. At 10,000 people, reading and decoding them was most of a
 * warm dashboard request.
 */
export function cachedEmployees(db: Queryable): Promise<readonly Employee[]> {
  return cachedRead(db, '["employees"]', () => loadEmployees(db));
}

/**
 * The instant trends are computed at when the caller gave none: the start of the current hour
 * (UTC). A trend's windows end at it, so an exact `now` would make every request a new
 * computation (seconds at 10,000 people); to the hour, the charts (monthly or weekly points)
 * are computed once an hour and after each change of the data, and the warmer
 * (core/server/dashboard-warmer.ts) computes them before anyone asks.
 */
export function trendInstant(now: Date): Date {
  return new Date(Math.floor(now.getTime() / HOUR) * HOUR);
}

const HOUR = 3_600_000;

/** Reads answered from the cache and computed, since the process started (tests read them). */
export const readStats = { hits: 0, computed: 0 };
