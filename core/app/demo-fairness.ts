// Fairness on the demo out of the box: a store holding the demo organisation reports by its
// protected attributes when the config names none. The server says so at start; the CLI's
// reports on the same store compare the same groups. An organisation's own config always wins.
import type { AppConfig } from '../config/config.ts';
import type { Queryable } from '../store/store.ts';

/** The demo organisation's protected attributes (core/demo/types.ts): what its fairness reports compare. */
export const DEMO_PROTECTED_ATTRIBUTES = ['gender', 'ethnicity', 'ageBand'];

/** Sex × race/ethnicity, as NYC Local Law 144 audits report them. */
export const DEMO_INTERSECTIONS = [['gender', 'ethnicity']];
/** The demo's answers that record no category (core/demo/catalogue.ts). */
export const DEMO_UNKNOWN_VALUES = ['Undisclosed', 'Prefer not to say'];
/** Local Law 144 lets categories under 2% of the data be left out of the impact ratios. */
export const DEMO_MIN_GROUP_SHARE = 0.02;

/**
 * The config as fairness reports read it: with the demo's protected attributes, intersections,
 * unknown values and 2% threshold where they apply, else the same object.
 */
export async function withDemoFairness<C extends Pick<AppConfig, 'fairness'>>(config: C, db: Queryable): Promise<C> {
  if (config.fairness.protectedAttributes.length > 0) return config;
  const demo = (await db.query<{ demo: boolean }>(`SELECT EXISTS (SELECT 1 FROM employees WHERE source = 'demo') AS demo`)).rows[0].demo;
  if (!demo) return config;
  return {
    ...config,
    fairness: {
      ...config.fairness,
      protectedAttributes: [...DEMO_PROTECTED_ATTRIBUTES],
      intersections: DEMO_INTERSECTIONS.map((i) => [...i]),
      unknownValues: [...DEMO_UNKNOWN_VALUES],
      minGroupShare: config.fairness.minGroupShare ?? DEMO_MIN_GROUP_SHARE,
    },
  };
}
