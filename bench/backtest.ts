// Issue 18: "a four-quarter backtest at S within 4× one run's compute". Side by side in one
// process, rounds alternating which goes first, each on a collected heap, medians:
// - one run: a dry run of the published support-agents policy (plan + compute + decide, what a
//   backtest replays per cycle; a dry run has no persist and no act), as `Appraise.run` builds it;
// - a backtest of a support-agents draft against the published version over four quarter ends
//   (2026-01-01 .. 2026-10-01), as the API and the CLI call it, with a cold preview cache each
//   time (a backtest after an import finds nothing computed for its past quarters).
// `npm run bench` measures it on its main back-end and on the second one. Alone, on both:
// node --expose-gc --import tsx bench/backtest.ts [--size S|XS] [--rounds N] [--keep DIR]
// (`--keep DIR` keeps the PGlite store in DIR and the PostgreSQL schema
// appraise_bench_backtest_<size>, and reuses them next time).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Store } from '../core/store/store.ts';
import type { Registry } from '../core/registry/registry.ts';
import type { MetricContribution, RecordKindInfo } from '../core/plugins/manifest.ts';
import type { PluginHost } from '../core/plugins/host.ts';
import type { Policy } from '../core/policy/types.ts';
import { defaultConfig, type AppConfig } from '../core/config/config.ts';
import { loadPolicyText } from '../core/policy/load.ts';
import { latestVersion, publishPolicy } from '../core/policy/versions.ts';
import { publishedPolicies } from '../core/run/sources.ts';
import { runPolicies } from '../core/run/run.ts';
import { backtestDraft } from '../core/run/backtest.ts';
import { fairnessFor } from '../core/server/fairness.ts';
import { dropSchema, generate, importOrganisation, openApp, postgresAnswers, POSTGRES_URL, type Backend } from './backends.ts';
import { fmt, loadAverage, median, ms, ratio, summary } from './stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const POLICY = 'support-agents';
export const BACKTEST_FROM = new Date('2026-01-01T00:00:00Z');
export const BACKTEST_TO = new Date('2026-10-01T00:00:00Z');
const TARGET = 4;

export interface BacktestDeps {
  registry: Registry;
  metrics: ReadonlyMap<string, MetricContribution>;
  recordKinds: ReadonlyMap<string, RecordKindInfo>;
  host?: PluginHost;
  config?: AppConfig;
}

export interface BacktestFigures {
  backend: Backend;
  rounds: number;
  cycles: number;
  /** One dry run of the published policy at the last boundary: wall time and its phases, medians. */
  run: ReturnType<typeof summary> & { planMs: number; computeMs: number; decideMs: number };
  backtest: ReturnType<typeof summary>;
  /** Median backtest / median run; the target is ≤ 4. */
  ratio: number;
  withinTarget: boolean;
  loadAverage: { start: number[]; end: number[] };
}

/** The shipped support-agents policy text, and a draft of it that moves one threshold (the preview bench's draft). */
export function shippedDraft(registry: Registry): { yaml: string; policy: Policy; draft: Policy } {
  const yaml = readFileSync(join(ROOT, 'rules', `${POLICY}.policy.yaml`), 'utf8');
  const policy = loadPolicyText(`${POLICY}.policy.yaml`, yaml, registry).policy!;
  const draft = loadPolicyText('draft.policy.yaml', yaml.replace('value: 3.6', 'value: 3.7'), registry).policy!;
  return { yaml, policy, draft };
}

/** Publishes the shipped policy unless a version of it is published already. */
export async function publishShipped(store: Store, registry: Registry): Promise<void> {
  if (await latestVersion(store, POLICY)) return;
  const { yaml, policy } = shippedDraft(registry);
  await publishPolicy(store, { policy, yaml, author: 'bench' });
}

/**
 * The same store under a new identity: previews keep computed facts per store object, so a
 * backtest through it starts cold, as the first backtest after an import does.
 */
function coldView(store: Store): Store {
  return new Proxy(store, {
    get(target, key) {
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

export async function backtestVsRun(store: Store, backend: Backend, deps: BacktestDeps, rounds = 5): Promise<BacktestFigures> {
  const start = loadAverage();
  await publishShipped(store, deps.registry);
  const { draft } = shippedDraft(deps.registry);
  const config = deps.config ?? defaultConfig();
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const oneRun = async () => {
    const src = await publishedPolicies(store, deps.registry, deps.host, [POLICY]);
    const t = performance.now();
    const r = await runPolicies(store, { asOf: BACKTEST_TO, trigger: 'manual', dryRun: true, policies: src.policies, metrics: deps.metrics, recordKinds: deps.recordKinds, ...(deps.host ? { host: deps.host } : {}) });
    return { ms: performance.now() - t, timings: r.run.timings };
  };
  let cycles = 0;
  const oneBacktest = async () => {
    const t = performance.now();
    const r = await backtestDraft(coldView(store), { registry: deps.registry, metrics: deps.metrics, ...(deps.host ? { host: deps.host } : {}) }, draft, {
      from: BACKTEST_FROM, to: BACKTEST_TO, against: 'published',
      fairness: (population, selected) => fairnessFor(config, population, selected),
    });
    cycles = r.cycles.length;
    return performance.now() - t;
  };
  // One untimed round warms the JIT and the database's buffers for both.
  await oneRun();
  await oneBacktest();
  const runs: Array<Awaited<ReturnType<typeof oneRun>>> = [];
  const backtests: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? ['run', 'backtest'] : ['backtest', 'run'];
    for (const which of order) {
      gc();
      if (which === 'run') runs.push(await oneRun());
      else backtests.push(await oneBacktest());
    }
  }
  const run = summary(runs.map((r) => r.ms));
  const backtest = summary(backtests);
  const r = ratio(median(backtests), median(runs.map((x) => x.ms)), 2);
  const phase = (k: 'plan' | 'compute' | 'decide') => ms(median(runs.map((x) => x.timings[k])));
  return { backend, rounds, cycles, run: { ...run, planMs: phase('plan'), computeMs: phase('compute'), decideMs: phase('decide') }, backtest, ratio: r, withinTarget: r <= TARGET, loadAverage: { start, end: loadAverage() } };
}

export function describeBacktest(f: BacktestFigures): string {
  return `${fmt(f.backtest.p50Ms)} ms (${f.cycles} quarters; min ${fmt(f.backtest.minMs)}, max ${fmt(f.backtest.maxMs)}) / one run ${fmt(f.run.p50Ms)} ms (plan ${f.run.planMs}, compute ${f.run.computeMs}, decide ${f.run.decideMs}) = ${f.ratio}×, ${f.withinTarget ? 'within' : 'NOT within'} ${TARGET}× (medians of ${f.rounds}, load ${f.loadAverage.start[0]} → ${f.loadAverage.end[0]})`;
}

/** Alone: the organisation generated once, imported into each back-end, measured there. */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
  const size = (arg('size') ?? 'S').toUpperCase();
  const employees = ({ XS: 1000, S: 10_000, M: 100_000 } as Record<string, number>)[size] ?? 10_000;
  const rounds = Number(arg('rounds') ?? 5);
  const keep = arg('keep');
  const dir = keep ? join(keep, `backtest-${size}-${employees}`) : mkdtempSync(join(tmpdir(), 'appraise-bench-backtest-'));
  mkdirSync(dir, { recursive: true });
  console.log(`Backtest benchmark: ${fmt(employees)} employees (${dir}); load average ${loadAverage().join(' ')}`);
  const out: BacktestFigures[] = [];
  try {
    let records = 0;
    const generated = join(dir, 'generated.json');
    if (existsSync(generated)) records = JSON.parse(readFileSync(generated, 'utf8')).records;
    else {
      records = await generate(employees, BACKTEST_TO, join(dir, 'org'));
      writeFileSync(generated, JSON.stringify({ records }));
    }
    for (const backend of ['pglite', 'postgres'] as Backend[]) {
      if (backend === 'postgres') {
        const state = await postgresAnswers();
        if ('error' in state) {
          console.log(`PostgreSQL at ${POSTGRES_URL.replace(/\/\/[^@/]*@/, '//…@')} does not answer (${state.error}): skipped`);
          continue;
        }
      }
      const marker = join(dir, `${backend}-imported.json`);
      const keptSchema = keep && backend === 'postgres' ? `appraise_bench_backtest_${size.toLowerCase()}` : undefined;
      // A kept schema without its marker is what an interrupted import left: start it again.
      if (keptSchema && !existsSync(marker)) await dropSchema(keptSchema);
      if (backend === 'pglite' && !existsSync(marker)) rmSync(join(dir, 'store'), { recursive: true, force: true });
      const { app, cleanup } = await openApp(backend, dir, keptSchema);
      try {
        if (!(keep && existsSync(marker))) {
          const imported = await importOrganisation(app.store, app.plugins, join(dir, 'org'), records + employees);
          console.log(`imported on ${backend}: ${fmt(imported.importRowsPerSecond)} rows/s`);
          if (keep) writeFileSync(marker, JSON.stringify(imported));
        }
        const f = await backtestVsRun(app.store, backend, { registry: app.registry, metrics: app.plugins.metrics, recordKinds: app.plugins.recordKinds, host: app.host, config: app.config }, rounds);
        out.push(f);
        console.log(`${backend}: backtest ${describeBacktest(f)}`);
      } finally {
        await cleanup();
      }
    }
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
  const resultsDir = join(ROOT, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const name = `${new Date().toISOString().slice(0, 16).replace(':', '')}-${size}-backtest.json`;
  writeFileSync(join(resultsDir, name), JSON.stringify({ size, employees, node: process.version, date: new Date().toISOString(), figures: out }, null, 2) + '\n');
  console.log(`figures written to bench/results/${name}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
