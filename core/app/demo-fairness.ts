// Fairness on the demo out of the box: a store holding the demo organisation reports by its
// protected attributes when the config names none. The server says so at start; the CLI's
// reports on the same store compare the same groups. An organisation's own config always wins.
import type { AppConfig } from '../config/config.ts';
import type { Queryable } from '../store/store.ts';

/** The demo organisation's protected attributes (core/demo/types.ts): what its fairness reports compare. */
export const DEMO_PROTECTED_ATTRIBUTES = ['gender', 'ethnicity', 'ageBand'];

/** The config as fairness reports read it: with the demo's protected attributes where they apply, else the same object. */
export async function withDemoFairness<C extends Pick<AppConfig, 'fairness'>>(config: C, db: Queryable): Promise<C> {
  if (config.fairness.protectedAttributes.length > 0) return config;
  const demo = (await db.query<{ demo: boolean }>(`SELECT EXISTS (SELECT 1 FROM employees WHERE source = 'demo') AS demo`)).rows[0].demo;
  return demo ? { ...config, fairness: { ...config.fairness, protectedAttributes: [...DEMO_PROTECTED_ATTRIBUTES] } } : config;
}
