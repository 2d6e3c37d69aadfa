// `npm run bench`: a synthetic organisation generated, imported and evaluated with the shipped
// policies, timed phase by phase, and compared side by side in the same process with the naive
// way (one query per employee per metric, a new json-rules-engine Engine per employee) and the
// floor (one hand-written SQL GROUP BY per metric and hand-written predicates per rule).
// Usage: npm run bench [-- --size S|M|XS] [--employees N] [--postgres] [--skip-naive] [--keep DIR]
// `--keep DIR` keeps the generated organisation's PGlite store in DIR and reuses it on the next
// run with the same size (generation and import are skipped and not reported).
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { writeOrganisation, recordFile, EMPLOYEES_FILE } from '../core/demo/write-files.ts';
import { RECORD_KINDS } from '../core/demo/types.ts';
import { openStore, type Store } from '../core/store/store.ts';
import { migrate } from '../core/store/migrate.ts';
import { discoverPlugins } from '../core/plugins/discovery.ts';
import { importEmployees } from '../core/import/import-employees.ts';
import { importRecords } from '../core/import/import-records.ts';
import { loadPolicyText } from '../core/policy/load.ts';
import { compilePolicy } from '../core/evaluate/compile.ts';
import { runPolicies } from '../core/run/run.ts';
import { simulateDraft } from '../core/run/simulate.ts';
import { groupTrends } from '../core/run/trends.ts';
import { loadEmployees } from '../core/run/employees.ts';
import { stopDecideWorkers } from '../core/evaluate/parallel.ts';
import { naiveEvaluation } from './naive.ts';
import { floorEvaluation } from './floor.ts';
import { rulesPhase } from './rules-phase.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const SIZES: Record<string, number> = { XS: 1000, S: 10_000, M: 100_000 };
const size = (arg('size') ?? 'S').toUpperCase();
const employees = Number(arg('employees') ?? SIZES[size] ?? 10_000);
const usePostgres = args.includes('--postgres') || size === 'M';
const AS_OF = new Date('2026-10-01T00:00:00Z');

const ms = (t: number) => Math.round(t);
const fmt = (n: number) => n.toLocaleString('en-US');
function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function openBenchStore(dir: string): Promise<{ store: Store; cleanup: () => Promise<void> }> {
  if (!usePostgres) {
    const store = await openStore({ dataDir: join(dir, 'store'), databaseUrl: '' });
    return { store, cleanup: () => store.close() };
  }
  const url = process.env.APPRAISE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `appraise_bench_${Date.now()}`;
  const store = await openStore({ databaseUrl: url, schema });
  return {
    store,
    cleanup: async () => {
      await store.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

const keep = arg('keep');

async function main(): Promise<void> {
  if (keep && usePostgres) throw new Error('--keep keeps a PGlite store; it does not apply to PostgreSQL');
  const dir = keep ? join(keep, `${size}-${employees}`) : mkdtempSync(join(tmpdir(), 'appraise-bench-'));
  const reuse = keep !== undefined && existsSync(join(dir, 'imported.json'));
  const figures: Record<string, unknown> = { size, employees, backend: usePostgres ? 'postgres' : 'pglite', asOf: AS_OF.toISOString(), node: process.version, date: new Date().toISOString() };
  console.log(`Appraise benchmark: ${fmt(employees)} employees on ${figures.backend} (${dir})`);
  try {
    let t = performance.now();
    if (reuse) {
      Object.assign(figures, JSON.parse(readFileSync(join(dir, 'imported.json'), 'utf8')), { reused: dir });
      console.log(`reusing the store imported in ${dir}`);
    } else {
      // generate
      const manifest = await writeOrganisation({ employees, seed: 1, asOf: AS_OF }, join(dir, 'org'));
      const records = Object.values(manifest.counts.records as Record<string, number>).reduce((a, b) => a + b, 0);
      figures.records = records;
      figures.generateMs = ms(performance.now() - t);
      console.log(`generated ${fmt(records)} records in ${figures.generateMs} ms`);
    }

    // import
    const { store, cleanup } = await openBenchStore(dir);
    try {
      await migrate(store);
      const set = await discoverPlugins();
      if (!reuse) {
        t = performance.now();
        await importEmployees(store, { file: join(dir, 'org', EMPLOYEES_FILE) });
        for (const kind of RECORD_KINDS) await importRecords(store, set.recordKinds.get(kind)!, { file: join(dir, 'org', recordFile(kind)) });
        const importMs = performance.now() - t;
        figures.importMs = ms(importMs);
        figures.importRowsPerSecond = Math.round((Number(figures.records) + employees) / (importMs / 1000));
        console.log(`imported in ${ms(importMs)} ms: ${fmt(figures.importRowsPerSecond as number)} rows/s`);
        figures.storeMb = Math.round((await store.sizeBytes()) / 1024 / 1024);
        if (keep) writeFileSync(join(dir, 'imported.json'), JSON.stringify({ records: figures.records, generateMs: figures.generateMs, importMs: figures.importMs, importRowsPerSecond: figures.importRowsPerSecond, storeMb: figures.storeMb }));
      }

      // the shipped policies
      const rulesDir = join(ROOT, 'rules');
      const policies = readdirSync(rulesDir).filter((f) => f.endsWith('.policy.yaml')).sort().map((f) => {
        const loaded = loadPolicyText(f, readFileSync(join(rulesDir, f), 'utf8'), set.registry);
        if (!loaded.policy) throw new Error(`${f} does not load`);
        return loaded.policy;
      });
      const compiled = () => policies.map((p) => ({ compiled: compilePolicy(p, set.registry), version: 1 }));

      // appraise: plan → compute → decide → persist (twice: the first warms caches and JIT)
      await runPolicies(store, { asOf: AS_OF, trigger: 'manual', dryRun: true, policies: compiled(), metrics: set.metrics });
      t = performance.now();
      const run = await runPolicies(store, { asOf: AS_OF, trigger: 'manual', dryRun: false, policies: compiled(), metrics: set.metrics });
      const runMs = performance.now() - t;
      figures.run = { ...run.run.timings, totalMs: ms(runMs), evaluations: run.run.summary.employeesEvaluated, evaluationsPerSecond: run.run.employeesPerSecond, fired: run.run.summary.fired, indeterminate: run.run.summary.indeterminate, decisions: run.decisions.length };
      const computeDecide = run.run.timings.compute + run.run.timings.decide;
      console.log(`appraise run: ${JSON.stringify(run.run.timings)} (${fmt(run.run.employeesPerSecond)} evaluations/s)`);

      // the floor: one hand-written GROUP BY per metric + hand-written predicates
      const floor = await floorEvaluation(store, AS_OF);
      figures.floor = floor;
      console.log(`floor: compute ${floor.computeMs} ms + decide ${floor.decideMs} ms`);

      // the rules phase alone: compiled fast path vs json-rules-engine on the same facts
      const rules = await rulesPhase(store, policies, set, AS_OF);
      figures.rulesPhase = rules;
      console.log(`rules phase (engine): compiled ${rules.engine.compiledMs} ms, json-rules-engine ${rules.engine.referenceMs} ms (${rules.engine.speedup}×); decide phase: compiled ${rules.decide.compiledMs} ms, json-rules-engine ${rules.decide.referenceMs} ms (${rules.decide.speedup}×), threads ${rules.decide.threadedMs} ms`);

      // simulate one policy draft (the editor preview)
      const draftText = readFileSync(join(rulesDir, 'support-agents.policy.yaml'), 'utf8').replace('value: 3.6', 'value: 3.7');
      const draft = loadPolicyText('draft.policy.yaml', draftText, set.registry).policy!;
      await store.query(`INSERT INTO policy_versions (policy_id, version, yaml, content_hash, title, author) VALUES ('support-agents', 1, $1, 'bench', 'bench', 'bench') ON CONFLICT DO NOTHING`, [readFileSync(join(rulesDir, 'support-agents.policy.yaml'), 'utf8')]);
      const sims: number[] = [];
      for (let i = 0; i < 7; i++) {
        t = performance.now();
        await simulateDraft(store, { registry: set.registry, metrics: set.metrics }, draft, AS_OF);
        sims.push(performance.now() - t);
      }
      sims.sort((a, b) => a - b);
      figures.simulate = { p50Ms: ms(sims[3]), minMs: ms(sims[0]), maxMs: ms(sims[6]) };
      console.log(`simulate (7 runs): p50 ${ms(sims[3])} ms`);

      // the dashboard's trends for the whole organisation (6 months, every team and department)
      for (const p of policies) {
        const file = readdirSync(rulesDir).find((f) => f.startsWith(`${p.metadata.id}.`))!;
        await store.query(`INSERT INTO policy_versions (policy_id, version, yaml, content_hash, title, author) VALUES ($1, 1, $2, 'bench', 'bench', 'bench') ON CONFLICT DO NOTHING`, [p.metadata.id, readFileSync(join(rulesDir, file), 'utf8')]);
      }
      const everyone = await loadEmployees(store);
      const trendTimes: number[] = [];
      for (let i = 0; i < 6; i++) {
        t = performance.now();
        await groupTrends(store, { registry: set.registry, metrics: set.metrics }, everyone, { asOf: AS_OF, periods: 6, cycle: 'month' });
        if (i > 0) trendTimes.push(performance.now() - t); // the first warms the JIT
      }
      trendTimes.sort((a, b) => a - b);
      figures.dashboardTrends = { p50Ms: ms(trendTimes[2]), maxMs: ms(trendTimes[4]) };
      console.log(`dashboard trends (5 runs): p50 ${ms(trendTimes[2])} ms, max ${ms(trendTimes[4])} ms`);

      // the naive way
      if (!args.includes('--skip-naive')) {
        const naive = await naiveEvaluation(store, policies, set, AS_OF);
        figures.naive = naive;
        figures.naiveOverAppraise = Math.round((naive.totalMs / computeDecide) * 10) / 10;
        console.log(`naive: ${naive.totalMs} ms (${naive.queries} queries): ${figures.naiveOverAppraise}× appraise's compute + decide`);
      }
      figures.appraiseOverFloor = Math.round((computeDecide / (floor.computeMs + floor.decideMs)) * 100) / 100;
      figures.wholeRunOverNaive = figures.naive ? Math.round(((figures.naive as { totalMs: number }).totalMs / runMs) * 10) / 10 : null;
      figures.peakRssMb = peakRssMb();
    } finally {
      await cleanup();
    }
  } finally {
    await stopDecideWorkers();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
  report(figures);
}

function report(f: Record<string, unknown>): void {
  const run = f.run as Record<string, number>;
  const floor = f.floor as { computeMs: number; decideMs: number };
  const rules = f.rulesPhase as Awaited<ReturnType<typeof rulesPhase>>;
  const naive = f.naive as { totalMs: number; computeMs: number; decideMs: number } | undefined;
  const rows: Array<[string, string]> = [
    ['employees / records', `${fmt(f.employees as number)} / ${fmt(f.records as number)}`],
    ['import', `${fmt(f.importRowsPerSecond as number)} rows/s (${f.importMs} ms)`],
    ['run phases (ms)', `plan ${run.plan}, compute ${run.compute}, decide ${run.decide}, persist ${run.persist}; total ${run.totalMs}`],
    ['evaluations/s (whole run)', fmt(run.evaluationsPerSecond)],
    ['floor compute + decide (ms)', `${floor.computeMs} + ${floor.decideMs}`],
    ['appraise / floor (compute + decide)', `${f.appraiseOverFloor}×`],
    ['rules phase, engine: json-rules-engine / compiled (median of 7)', `${rules.engine.referenceMs} ms / ${rules.engine.compiledMs} ms = ${rules.engine.speedup}× (${rules.engine.referenceMicrosPerEvaluation} / ${rules.engine.compiledMicrosPerEvaluation} µs per evaluation)`],
    ['decide phase, engine + decisions: json-rules-engine / compiled', `${rules.decide.referenceMs} ms / ${rules.decide.compiledMs} ms = ${rules.decide.speedup}× (${rules.decide.compiledMicrosPerEvaluation} µs per evaluation)`],
    ['decide phase on worker threads', `${rules.decide.threadedMs} ms`],
    ['naive (compute + decide)', naive ? `${naive.totalMs} ms (compute ${naive.computeMs}, decide ${naive.decideMs})` : 'skipped'],
    ['naive / appraise (compute + decide)', naive ? `${f.naiveOverAppraise}×` : '—'],
    ['naive / appraise (whole run incl. persist)', naive ? `${f.wholeRunOverNaive}×` : '—'],
    ['simulate one draft, p50', `${(f.simulate as { p50Ms: number }).p50Ms} ms`],
    ['dashboard trends, whole organisation, p50 / max of 5', `${(f.dashboardTrends as { p50Ms: number; maxMs: number }).p50Ms} ms / ${(f.dashboardTrends as { p50Ms: number; maxMs: number }).maxMs} ms`],
    ['peak RSS', `${f.peakRssMb} MB`],
    ['store size', `${f.storeMb} MB`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log('');
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  const resultsDir = join(ROOT, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const name = `${String(f.date).slice(0, 16).replace(":", "")}-${f.size}-${f.backend}.json`;
  writeFileSync(join(resultsDir, name), JSON.stringify(f, null, 2) + '\n');
  console.log(`\nfigures written to bench/results/${name}`);
}

await main();
