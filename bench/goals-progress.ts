// Goal progress for many goals at once (one metric request per distinct window, computed for all
// their employees together) against asking goal by goal, on an in-memory PGlite. Prints figures;
// asserts nothing. `node --import tsx bench/goals-progress.ts [--employees N] [--surveys N]`
import { loadavg } from 'node:os';
import { openStore } from '../core/store/store.ts';
import { migrate } from '../core/store/migrate.ts';
import { discoverPlugins } from '../core/plugins/discovery.ts';
import { createGoal, goalProgress, type Goal } from '../core/people/goals/index.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const employees = arg('employees', 2000);
const surveys = arg('surveys', 30);
const single = Math.min(200, employees);

const set = await discoverPlugins();
const deps = { metrics: set.metrics, recordKinds: set.recordKinds };
const store = await openStore({ dataDir: 'memory://', databaseUrl: '' });
await migrate(store);
await store.query(`INSERT INTO employees (id, name, content_hash) SELECT 'e' || i, 'E ' || i, 'x' FROM generate_series(1, $1::int) i`, [employees]);
await store.query(
  `INSERT INTO records (kind, employee_id, occurred_at, payload, external_id)
   SELECT 'customer-feedback.survey', 'e' || i, timestamptz '2026-10-01' + (j * interval '2 days') + (i * interval '1 minute'),
          jsonb_build_object('csat', 1 + ((i * 7 + j * 3) % 5)), 's' || i || '-' || j
   FROM generate_series(1, $1::int) i, generate_series(1, $2::int) j`,
  [employees, surveys],
);
const hr = { tokenId: 0, name: 'bench', role: 'hr' as const };
const goals: Goal[] = [];
for (let i = 1; i <= employees; i++) {
  // Four start dates: four metric requests for all the goals.
  goals.push(await createGoal(store, set.metrics, hr, { employeeId: `e${i}`, title: 'CSAT', startsAt: `2026-10-0${1 + (i % 4)}`, dueAt: '2026-12-31', measure: { metric: 'customer-feedback.csat', target: 3.5, minSamples: 10 } }));
}
const asOf = new Date('2026-12-01T00:00:00Z');
const time = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
await goalProgress(store, deps, goals.slice(0, 10), asOf); // warm-up
const all = [] as number[];
for (let r = 0; r < 3; r++) all.push(await time(() => goalProgress(store, deps, goals, asOf)));
const one = await time(async () => {
  for (const g of goals.slice(0, single)) await goalProgress(store, deps, [g], asOf);
});
console.log(`goal progress on PGlite, ${employees} employees × ${surveys} surveys, one measured goal each (4 distinct windows); load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`  all ${employees} goals together: ${all.map((x) => x.toFixed(0)).join(' / ')} ms (3 runs) = ${(Math.min(...all) / employees * 1000).toFixed(0)} µs per goal`);
console.log(`  goal by goal (first ${single}): ${one.toFixed(0)} ms = ${(one / single * 1000).toFixed(0)} µs per goal`);
await store.close();
