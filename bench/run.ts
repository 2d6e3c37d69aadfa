// `npm run bench`: a synthetic organisation generated, imported and evaluated with the shipped
// policies, timed phase by phase, and compared side by side in the same process with the naive
// way (one query per employee per metric, a new json-rules-engine Engine per employee), the
// floor (one hand-written SQL GROUP BY per metric and hand-written predicates per rule) and the
// DuckDB anchor (the floor's 12 queries over typed columns, bench/duckdb-anchor.ts). It also
// times what users wait for: the dashboard through the server, cold and warm; a preview, cold
// and warm; opening cases; the import on both back-ends; the CLI's start; a four-quarter
// backtest against one run, on both back-ends (bench/backtest.ts).
// Usage: npm run bench [-- --size S|M|XS] [--employees N] [--postgres] [--skip-naive] [--keep DIR]
//        [--skip-second-backend] [--skip-anchor] [--skip-cli] [--skip-first-start]
// `--keep DIR` keeps the generated organisation and its PGlite store in DIR (on PostgreSQL, the
// schema appraise_bench_kept_<size>_<employees>) and reuses them on the next run with the same
// size (generation and the main import are skipped and not reported).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicyText } from '../core/policy/load.ts';
import { publishPolicy } from '../core/policy/versions.ts';
import { compilePolicy } from '../core/evaluate/compile.ts';
import { runPolicies } from '../core/run/run.ts';
import { stopDecideWorkers } from '../core/evaluate/parallel.ts';
import { naiveEvaluation } from './naive.ts';
import { floorEvaluation } from './floor.ts';
import { rulesPhase } from './rules-phase.ts';
import { dropSchema, generate, importOrganisation, openApp, secondBackend, type Backend, type SecondBackend } from './backends.ts';
import { dashboardServer, preview } from './user-waits.ts';
import { caseOpeningBench } from './case-opening.ts';
import { duckdbAnchor, type Anchor } from './duckdb-anchor.ts';
import { cliStart } from './cli-start.ts';
import { firstStart, type FirstStart } from './first-start.ts';
import { backtestVsRun, describeBacktest, type BacktestFigures } from './backtest.ts';
import { fmt, loadAverage, ms, peakRssMb, ratio, summary } from './stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const SIZES: Record<string, number> = { XS: 1000, S: 10_000, M: 100_000 };
const size = (arg('size') ?? 'S').toUpperCase();
const employees = Number(arg('employees') ?? SIZES[size] ?? 10_000);
const backend: Backend = args.includes('--postgres') || size === 'M' ? 'postgres' : 'pglite';
const other: Backend = backend === 'pglite' ? 'postgres' : 'pglite';
const AS_OF = new Date('2026-10-01T00:00:00Z');
const keep = arg('keep');

/** The commit measured, and whether the code differs from it (others may be editing the tree). */
function commitOf(): string {
  const git = (...a: string[]) => spawnSync('git', a, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
  const sha = git('rev-parse', '--short', 'HEAD');
  if (!sha) return 'unknown (not a git checkout)';
  return git('status', '--porcelain', '--', 'core', 'plugins', 'rules', 'schemas', 'ui', 'bench', ':!bench/results', 'package.json') ? `${sha} with uncommitted changes` : sha;
}

async function main(): Promise<void> {
  const dir = keep ? join(keep, `${size}-${employees}`) : mkdtempSync(join(tmpdir(), 'appraise-bench-'));
  const reuse = keep !== undefined && existsSync(join(dir, 'imported.json'));
  const figures: Record<string, unknown> = { size, employees, backend, asOf: AS_OF.toISOString(), node: process.version, commit: commitOf(), date: new Date().toISOString(), loadAverageStart: loadAverage() };
  console.log(`Appraise benchmark: ${fmt(employees)} employees on ${backend} (${dir}), commit ${figures.commit}; load average ${(figures.loadAverageStart as number[]).join(' ')}`);
  try {
    let t = performance.now();
    if (reuse) {
      Object.assign(figures, JSON.parse(readFileSync(join(dir, 'imported.json'), 'utf8')), { reused: dir });
      console.log(`reusing the store imported in ${dir}`);
    } else {
      figures.records = await generate(employees, AS_OF, join(dir, 'org'));
      figures.generateMs = ms(performance.now() - t);
      console.log(`generated ${fmt(figures.records as number)} records in ${figures.generateMs} ms`);
    }
    const rows = (figures.records as number) + employees;

    // --keep on PostgreSQL keeps the schema (named by size), which DIR's imported.json stands for;
    // a kept schema without it is what an interrupted run left, and starts again empty.
    const keptSchema = keep && backend === 'postgres' ? `appraise_bench_kept_${size.toLowerCase()}_${employees}` : undefined;
    if (keptSchema && !reuse) await dropSchema(keptSchema);
    const { app, cleanup } = await openApp(backend, dir, keptSchema);
    const set = app.plugins;
    const store = app.store;
    const rulesDir = join(ROOT, 'rules');
    const files = readdirSync(rulesDir).filter((f) => f.endsWith('.policy.yaml')).sort();
    const policies = files.map((f) => {
      const loaded = loadPolicyText(f, readFileSync(join(rulesDir, f), 'utf8'), set.registry);
      if (!loaded.policy) throw new Error(`${f} does not load`);
      return loaded.policy;
    });
    const compiled = () => policies.map((p) => ({ compiled: compilePolicy(p, set.registry), version: 1 }));
    try {
      if (!reuse) {
        Object.assign(figures, await importOrganisation(store, set, join(dir, 'org'), rows));
        console.log(`imported on ${backend} in ${figures.importMs} ms: ${fmt(figures.importRowsPerSecond as number)} rows/s`);
        figures.storeMb = Math.round((await store.sizeBytes()) / 1024 / 1024);
        if (keep) writeFileSync(join(dir, 'imported.json'), JSON.stringify({ records: figures.records, generateMs: figures.generateMs, importMs: figures.importMs, importRowsPerSecond: figures.importRowsPerSecond, storeMb: figures.storeMb }));
      }

      // The shipped policies, published: the dashboard and previews read the published versions.
      for (const [i, p] of policies.entries()) await publishPolicy(store, { policy: p, yaml: readFileSync(join(rulesDir, files[i]), 'utf8'), author: 'bench' });
      const draft = loadPolicyText('draft.policy.yaml', readFileSync(join(rulesDir, 'support-agents.policy.yaml'), 'utf8').replace('value: 3.6', 'value: 3.7'), set.registry).policy!;

      // Cold: the first dashboard request (the landing page), then the first preview, after the import.
      const dashboard = await dashboardServer(app, AS_OF);
      const coldDashboard = await dashboard.get();
      const coldPreviewMs = await preview(app, draft, AS_OF);
      console.log(`${reuse ? 'first after opening the kept store' : 'right after the import'}: dashboard ${ms(coldDashboard.ms)} ms (${fmt(Math.round(coldDashboard.bytes / 1024))} KB), preview ${ms(coldPreviewMs)} ms`);

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

      // the DuckDB anchor: the floor's 12 queries over typed columns, the data the run saw
      if (!args.includes('--skip-anchor')) {
        const cases = (await store.query<{ employee_id: string; type: string; status: string; opened_at: string | Date }>('SELECT employee_id, type, status, opened_at FROM cases')).rows.map((c) => ({ ...c, opened_at: new Date(c.opened_at).toISOString() }));
        const storeCounts = Object.fromEntries((await store.query<{ kind: string; n: number }>('SELECT kind, count(*)::int n FROM records GROUP BY kind')).rows.map((r) => [r.kind, Number(r.n)]));
        const anchor = duckdbAnchor({ orgDir: join(dir, 'org'), asOf: AS_OF.toISOString(), kinds: [...set.recordKinds.values()].map((k) => ({ id: k.id, schema: k.schema })), cases, storeCounts, rounds: 5 });
        figures.duckdbAnchor = anchor;
        console.log('skipped' in anchor ? `DuckDB anchor skipped: ${anchor.skipped}` : `DuckDB anchor: 12 queries ${anchor.medianMs} ms (median of 5; loading ${fmt(Object.values(anchor.rows).reduce((a, b) => a + b, 0))} records took ${anchor.loadMs} ms)`);
      }

      // the rules phase alone: compiled fast path vs json-rules-engine on the same facts
      const rules = await rulesPhase(store, policies, set, AS_OF);
      figures.rulesPhase = rules;
      console.log(`rules phase (engine): compiled ${rules.engine.compiledMs} ms, json-rules-engine ${rules.engine.referenceMs} ms (${rules.engine.speedup}×); decide phase: compiled ${rules.decide.compiledMs} ms, json-rules-engine ${rules.decide.referenceMs} ms (${rules.decide.speedup}×), threads ${rules.decide.threadedMs} ms`);

      // warm: previews of the same draft, then dashboard requests
      const warmPreviews: number[] = [];
      for (let i = 0; i < 9; i++) warmPreviews.push(await preview(app, draft, AS_OF));
      figures.simulate = { coldMs: ms(coldPreviewMs), warm: summary(warmPreviews), p50Ms: summary(warmPreviews).p50Ms };
      const warmDashboard = await dashboard.warm();
      figures.dashboard = { coldMs: ms(coldDashboard.ms), bytes: coldDashboard.bytes, warm: warmDashboard };
      console.log(`warm: preview p50 ${summary(warmPreviews).p50Ms} ms of 9; dashboard p50 ${warmDashboard.p50Ms} ms, p95 ${warmDashboard.p95Ms} ms of ${warmDashboard.n}`);
      await dashboard.close();

      // issue 18: a four-quarter backtest of the draft against one run of the published policy
      figures.backtest = await backtestVsRun(store, backend, { registry: set.registry, metrics: set.metrics, recordKinds: set.recordKinds, host: app.host, config: app.config });
      console.log(`backtest: ${describeBacktest(figures.backtest as BacktestFigures)}`);

      // the naive way
      if (!args.includes('--skip-naive')) {
        const naive = await naiveEvaluation(store, policies, set, AS_OF);
        figures.naive = naive;
        figures.naiveOverAppraise = ratio(naive.totalMs, computeDecide);
        console.log(`naive: ${naive.totalMs} ms (${naive.queries} queries): ${figures.naiveOverAppraise}× appraise's compute + decide`);
      }
      figures.appraiseOverFloor = ratio(computeDecide, floor.computeMs + floor.decideMs, 2);
      figures.wholeRunOverNaive = figures.naive ? ratio((figures.naive as { totalMs: number }).totalMs, runMs) : null;

      // the act phase: as many fired decisions as the run made become cases, on a store with
      // cases to supersede, cooldowns, PIPs in force and exemptions (after a warm-up at a tenth)
      const fired = run.decisions.filter((d) => d.status === 'fired').length;
      await caseOpeningBench(store, { cases: Math.max(100, Math.round(fired / 10)), asOf: AS_OF });
      const opening = await caseOpeningBench(store, { cases: Math.max(100, fired), asOf: AS_OF });
      figures.caseOpening = opening;
      console.log(`case opening: ${opening.opened} cases from ${opening.decisions} decisions in ${opening.ms} ms`);
      figures.peakRssMb = peakRssMb(); // before the other back-end and the child processes
    } finally {
      await cleanup();
    }

    // the same import on the other back-end, in a store of its own
    const second: SecondBackend = args.includes('--skip-second-backend') ? { backend: other, skipped: 'not asked for (--skip-second-backend)' }
      : backend === 'postgres' && size === 'M' ? { backend: other, skipped: 'size M is measured on PostgreSQL only' }
      : reuse && !existsSync(join(dir, 'org')) ? { backend: other, skipped: `the organisation's files are not in ${dir}` }
      : await secondBackend(other, dir, set, rows, { asOf: AS_OF, policies: compiled(), metrics: set.metrics }, (s) => backtestVsRun(s, other, { registry: set.registry, metrics: set.metrics, recordKinds: set.recordKinds }));
    figures.secondBackend = second;
    console.log('skipped' in second ? `import on ${other} skipped: ${second.skipped}` : `imported on ${other} in ${second.importMs} ms: ${fmt(second.importRowsPerSecond)} rows/s; compute phase there ${second.computeMs} ms`);
    if (!('skipped' in second) && second.backtest) console.log(`backtest on ${other}: ${describeBacktest(second.backtest)}`);

    // how long the CLI takes to answer
    if (!args.includes('--skip-cli')) figures.cliStart = cliStart(ROOT);
    // what a new user waits for after `npm install`
    if (!args.includes('--skip-first-start')) figures.firstStart = await firstStart(ROOT);
  } finally {
    await stopDecideWorkers();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
  figures.loadAverageEnd = loadAverage();
  report(figures);
}

function report(f: Record<string, unknown>): void {
  const run = f.run as Record<string, number>;
  const floor = f.floor as { computeMs: number; decideMs: number };
  const rules = f.rulesPhase as Awaited<ReturnType<typeof rulesPhase>>;
  const naive = f.naive as { totalMs: number; computeMs: number; decideMs: number } | undefined;
  const second = f.secondBackend as SecondBackend;
  const anchor = f.duckdbAnchor as Anchor | undefined;
  const dash = f.dashboard as { coldMs: number; bytes: number; warm: ReturnType<typeof summary> };
  const sim = f.simulate as { coldMs: number; warm: ReturnType<typeof summary> };
  const opening = f.caseOpening as Awaited<ReturnType<typeof caseOpeningBench>>;
  const cli = f.cliStart as ReturnType<typeof cliStart> | undefined;
  const start = f.firstStart as FirstStart | undefined;
  const computeOver = (computeMs: number) => (anchor && !('skipped' in anchor) ? `${fmt(computeMs)} ms / ${anchor.medianMs} ms = ${ratio(computeMs, anchor.medianMs)}×` : 'no anchor');
  f.computeOverDuckdb = anchor && !('skipped' in anchor) ? { [f.backend as string]: ratio(run.compute, anchor.medianMs), ...('skipped' in second ? {} : { [second.backend]: ratio(second.computeMs, anchor.medianMs) }) } : null;
  const rows: Array<[string, string]> = [
    ['employees / records', `${fmt(f.employees as number)} / ${fmt(f.records as number)}`],
    [`import on ${f.backend}`, f.reused ? `${fmt(f.importRowsPerSecond as number)} rows/s (${f.importMs} ms), from the kept store's first run` : `${fmt(f.importRowsPerSecond as number)} rows/s (${f.importMs} ms)`],
    [`import on ${second.backend}`, 'skipped' in second ? `skipped: ${second.skipped}` : `${fmt(second.importRowsPerSecond)} rows/s (${second.importMs} ms)${second.version ? `, PostgreSQL ${second.version}` : ''}`],
    ['run phases (ms)', `plan ${run.plan}, compute ${run.compute}, decide ${run.decide}, persist ${run.persist}; total ${run.totalMs}`],
    ['evaluations/s (whole run)', fmt(run.evaluationsPerSecond)],
    ['floor compute + decide (ms)', `${floor.computeMs} + ${floor.decideMs}`],
    ['appraise / floor (compute + decide)', `${f.appraiseOverFloor}×`],
    ['DuckDB anchor: 12 metric queries, typed columns', !anchor ? 'skipped (--skip-anchor)' : 'skipped' in anchor ? `skipped: ${anchor.skipped}` : `${anchor.medianMs} ms median of 5 (DuckDB ${anchor.duckdb}, ${anchor.threads} threads, in memory; loaded in ${fmt(anchor.loadMs)} ms)`],
    [`compute phase / DuckDB anchor on ${f.backend}`, computeOver(run.compute)],
    [`compute phase / DuckDB anchor on ${second.backend}`, 'skipped' in second ? '—' : computeOver(second.computeMs)],
    ['rules phase, engine: json-rules-engine / compiled (median of 7)', `${rules.engine.referenceMs} ms / ${rules.engine.compiledMs} ms = ${rules.engine.speedup}× (${rules.engine.referenceMicrosPerEvaluation} / ${rules.engine.compiledMicrosPerEvaluation} µs per evaluation)`],
    ['decide phase, engine + decisions: json-rules-engine / compiled', `${rules.decide.referenceMs} ms / ${rules.decide.compiledMs} ms = ${rules.decide.speedup}× (${rules.decide.compiledMicrosPerEvaluation} µs per evaluation)`],
    ['decide phase on worker threads', `${rules.decide.threadedMs} ms`],
    ['naive (compute + decide)', naive ? `${naive.totalMs} ms (compute ${naive.computeMs}, decide ${naive.decideMs})` : 'skipped'],
    ['naive / appraise (compute + decide)', naive ? `${f.naiveOverAppraise}×` : '—'],
    ['naive / appraise (whole run incl. persist)', naive ? `${f.wholeRunOverNaive}×` : '—'],
    ['dashboard, GET /api/dashboard: cold / warm p50 / p95', `${fmt(dash.coldMs)} ms / ${fmt(dash.warm.p50Ms)} ms / ${fmt(dash.warm.p95Ms)} ms (warm: ${dash.warm.n} requests; ${fmt(Math.round(dash.bytes / 1024))} KB)`],
    ['preview of one draft (support-agents): cold / warm p50', `${fmt(sim.coldMs)} ms / ${fmt(sim.warm.p50Ms)} ms (warm: ${sim.warm.n} previews, max ${fmt(sim.warm.maxMs)} ms)`],
    ['case opening (bench/case-opening.ts, as many decisions as the run fired)', `${opening.msPerCase} ms per case (${fmt(opening.opened)} cases from ${fmt(opening.decisions)} decisions: ${fmt(opening.ms)} ms; the same again, all open already: ${fmt(opening.againMs)} ms)`],
    ...(cli ?? []).map((c): [string, string] => [`CLI start: ${c.command}, median of ${c.runsMs.length}`, `${fmt(c.medianMs)} ms${c.exitCode ? ` (exit ${c.exitCode})` : ''} (${c.runsMs.join(', ')})`]),
    ['first start (appraise start on a new store, median of 3)', start ? `health after ${fmt(start.healthMs)} ms (${start.runs.map((r) => fmt(r.healthMs)).join(', ')}); server RSS ${start.rssMb} MB, peak ${start.peakRssMb} MB` : 'skipped (--skip-first-start)'],
    [`four-quarter backtest / one run on ${f.backend} (target ≤ 4×)`, describeBacktest(f.backtest as BacktestFigures)],
    [`four-quarter backtest / one run on ${second.backend}`, 'skipped' in second || !second.backtest ? '—' : describeBacktest(second.backtest)],
    ['peak RSS', `${f.peakRssMb} MB`],
    ['store size', `${f.storeMb} MB`],
    ['load average (1, 5, 15 min): start / end', `${(f.loadAverageStart as number[]).join(' ')} / ${(f.loadAverageEnd as number[]).join(' ')}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log('');
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  const resultsDir = join(ROOT, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const name = `${String(f.date).slice(0, 16).replace(':', '')}-${f.size}-${f.backend}.json`;
  writeFileSync(join(resultsDir, name), JSON.stringify(f, null, 2) + '\n');
  console.log(`\nfigures written to bench/results/${name}`);
}

await main();
