// The demo's open review cycle: the current quarter for the roles the shipped policies measure,
// with the shipped quarterly template and deadlines two, four and six weeks out, so that
// `npm start` shows the Reviews screen with a cycle under way.
import type { Store } from '../store/store.ts';
import { openCycle, type OpenCycleResult } from '../people/reviews/cycles.ts';
import { findTemplate } from '../people/reviews/templates-dir.ts';
import { periodOf } from '../run/period.ts';

export const DEMO_REVIEW_ROLES = ['support-agent', 'sales-rep'];

const day = (asOf: Date, days: number) => new Date(asOf.getTime() + days * 86400000).toISOString().slice(0, 10);

export async function openDemoReviewCycle(store: Store, asOf: Date): Promise<OpenCycleResult> {
  const { template, text } = await findTemplate('quarterly');
  return openCycle(store, {
    period: periodOf(asOf, 'quarter'), template, templateYaml: text, appliesTo: { roles: DEMO_REVIEW_ROLES },
    due: { self: day(asOf, 14), manager: day(asOf, 28), signoff: day(asOf, 42) }, actor: 'appraise', at: asOf,
  });
}
