// What review cycles cost on the demo organisation (PGlite): opening a cycle for everyone the
// shipped policies measure, assembling one employee's packet (the first one cold: plugin code for
// training impact starts; then the median of the next ones), and a review walked from
// self-assessment to acknowledgement, whose sign-off assembles and freezes the packet.
// Standalone: `APPRAISE_DEMO_EMPLOYEES=600 node --import tsx bench/reviews.ts [packets]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Appraise } from '../core/app/appraise.ts';
import { defaultConfig } from '../core/config/config.ts';
import { prepareDemoStore } from '../core/app/first-start.ts';
import { openCycle } from '../core/people/reviews/cycles.ts';
import { findTemplate } from '../core/people/reviews/templates-dir.ts';
import { assembleReviewPacket } from '../core/people/reviews/packet-read.ts';
import { transitionReview } from '../core/people/reviews/transitions.ts';
import { DEMO_REVIEW_ROLES } from '../core/demo/reviews.ts';
import { periodOf } from '../core/run/period.ts';
import { loadAverage, median, ms } from './stats.ts';

const packets = Number(process.argv[2] ?? 20);
const dir = mkdtempSync(join(tmpdir(), 'appraise-bench-reviews-'));
const app = await Appraise.open({ config: defaultConfig(), dataDir: join(dir, 'store'), databaseUrl: '' });
try {
  await prepareDemoStore(app, () => {});
  const employees = Number((await app.store.query<{ n: number }>('SELECT count(*)::int AS n FROM employees')).rows[0].n);
  const { template, text } = await findTemplate('quarterly');
  const now = new Date();
  const day = (d: number) => new Date(now.getTime() + d * 86400000).toISOString().slice(0, 10);
  let t = performance.now();
  const opened = await openCycle(app.store, { id: `${periodOf(now)}-bench`, period: periodOf(now), template, templateYaml: text, appliesTo: { roles: DEMO_REVIEW_ROLES }, due: { self: day(14), manager: day(28), signoff: day(42) }, actor: 'bench' });
  const openMs = performance.now() - t;
  t = performance.now();
  await openCycle(app.store, { id: `${periodOf(now)}-bench`, period: periodOf(now), template, templateYaml: text, appliesTo: { roles: DEMO_REVIEW_ROLES }, due: { self: day(14), manager: day(28), signoff: day(42) }, actor: 'bench' });
  const reopenMs = performance.now() - t;

  const ids = (await app.store.query<{ id: number }>(`SELECT id FROM reviews WHERE cycle_id = $1 ORDER BY id LIMIT $2`, [opened.cycleId, packets + 1])).rows.map((r) => Number(r.id));
  const deps = { registry: app.registry, metrics: app.plugins.metrics, host: app.host };
  t = performance.now();
  await assembleReviewPacket(app.store, deps, ids[0]);
  const coldMs = performance.now() - t;
  const warm: number[] = [];
  for (const id of ids.slice(1)) {
    t = performance.now();
    await assembleReviewPacket(app.store, deps, id);
    warm.push(performance.now() - t);
  }

  const id = ids[0];
  const sections = Object.fromEntries(template.spec.sections.map((s) => [s.id, 'An answer.']));
  const ratings = Object.fromEntries(template.spec.sections.map((s) => [s.id, { rating: 3 }]));
  const steps: Array<[string, 'employee' | 'manager', object?]> = [['self-assess', 'employee', { sections }], ['assess', 'manager', { sections: ratings }], ['sign', 'manager'], ['sign', 'employee'], ['acknowledge', 'employee']];
  const stepMs: string[] = [];
  for (const [action, as, data] of steps) {
    t = performance.now();
    await transitionReview(app.store, deps, id, { action, as: [as], actor: as, data: data as never });
    stepMs.push(`${action}${action === 'sign' ? ` (${as})` : ''} ${ms(performance.now() - t)} ms`);
  }
  console.log(`review cycles on the demo organisation (${employees} employees, PGlite), load average ${loadAverage().join(' ')}`);
  console.log(`  open a cycle: ${opened.created} reviews in ${ms(openMs)} ms; opening it again (nothing to add): ${ms(reopenMs)} ms`);
  console.log(`  packet of one employee: first ${ms(coldMs)} ms (cold), then median ${ms(median(warm))} ms over ${warm.length}`);
  console.log(`  one review walked: ${stepMs.join(', ')}`);
} finally {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}
