// `npx appraise demo generate`: writes a seeded synthetic organisation (employees, records of
// every built-in kind, historical coaching) as NDJSON files for the demo, benchmarks and tests.
// `npx appraise demo load`: what `start` puts into a fresh store (shipped policies, the demo).
import type { Command } from 'commander';
import { parseInstant } from '../util/instant.ts';
import type { AppraiseError } from '../diagnostics/diagnostic.ts';
import cliProgress from 'cli-progress';
import { resolve } from 'node:path';
import { DEFAULT_RECORDS_PER_EMPLOYEE, DEFAULT_SEED, MAX_EMPLOYEES } from '../demo/generate.ts';
import { writeOrganisation, type Manifest } from '../demo/write-files.ts';
import { cliContext, usageError } from './policy-commands.ts';
import { withDataDirOption } from './store-option.ts';
import { Appraise } from '../app/appraise.ts';
import { prepareDemoStore } from '../app/first-start.ts';

interface GenerateOptions {
  employees?: string;
  seed: string;
  asOf?: string;
  out: string;
  recordsPerEmployee: string;
}

/** YYYY-MM-DD is midnight UTC; an ISO instant is taken as given; nothing means today at midnight UTC. */
function parseAsOf(text: string | undefined): Date {
  return parseInstant(text, '--as-of', () => {
    const now = new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  });
}

function wholeNumber(text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

export function formatManifest(m: Manifest, dir: string, seconds: number): string {
  const bytes = m.files.reduce((a, f) => a + f.bytes, 0);
  const lines = [
    `Generated ${m.counts.employees.toLocaleString('en-US')} employees and ${m.counts.recordsTotal.toLocaleString('en-US')} records (seed ${m.seed}, as of ${m.asOf}, records from ${m.horizon.from}) into ${dir}`,
    '',
    ...m.files.map((f) => `  ${f.name.padEnd(34)} ${f.lines.toLocaleString('en-US').padStart(12)} lines ${mb(f.bytes).padStart(9)} MB`),
    `  ${'manifest.json'.padEnd(34)} seed, as-of, counts and sizes`,
    '',
    `${seconds.toFixed(1)} s: ${Math.round(m.counts.recordsTotal / Math.max(seconds, 0.001)).toLocaleString('en-US')} records/s, ${mb(bytes / Math.max(seconds, 0.001))} MB/s, ${mb(bytes)} MB in all`,
  ];
  return lines.join('\n');
}

export function registerDemoCommands(program: Command, setExit: (code: number) => void): void {
  const demo = program.command('demo').description('demo data: a seeded synthetic organisation');
  demo
    .command('generate')
    .description('write a synthetic organisation (employees, surveys, tickets, deals, quotas, training, historical coaching) as NDJSON files')
    .requiredOption('--employees <n>', 'how many employees, managers included')
    .option('--seed <n>', 'the random seed: same seed and options, byte-identical files', String(DEFAULT_SEED))
    .option('--as-of <date>', 'records end just before this instant (YYYY-MM-DD is midnight UTC; default today, midnight UTC)')
    .option('--out <dir>', 'the folder to write into', 'demo-data')
    .option('--records-per-employee <n>', 'average records per employee', String(DEFAULT_RECORDS_PER_EMPLOYEE))
    .action(async (opts: GenerateOptions) => {
      const employees = wholeNumber(opts.employees, 1, MAX_EMPLOYEES);
      if (employees === undefined) {
        usageError('APPRAISE_USAGE', `--employees must be a whole number from 1 to ${MAX_EMPLOYEES.toLocaleString('en-US')}, not ${opts.employees}.`);
        return setExit(2);
      }
      const seed = wholeNumber(opts.seed, 0, 0xffffffff);
      if (seed === undefined) {
        usageError('APPRAISE_USAGE', `--seed must be a whole number from 0 to 4294967295, not ${opts.seed}.`);
        return setExit(2);
      }
      let asOf: Date;
      try {
        asOf = parseAsOf(opts.asOf);
      } catch (e) {
        // Every mistake in `demo generate`'s options is a usage error, the date's with its format.
        usageError('APPRAISE_USAGE', (e as AppraiseError).message);
        return setExit(2);
      }
      const recordsPerEmployee = Number(opts.recordsPerEmployee);
      if (!(recordsPerEmployee > 0 && recordsPerEmployee <= 10_000)) {
        usageError('APPRAISE_USAGE', `--records-per-employee must be a number above 0 and at most 10000, not ${opts.recordsPerEmployee}.`);
        return setExit(2);
      }
      const dir = resolve(opts.out);
      const bar = process.stderr.isTTY
        ? new cliProgress.SingleBar({ format: ' generating [{bar}] {value}/{total} employees, {records} records, {mb} MB', clearOnComplete: true, hideCursor: true }, cliProgress.Presets.shades_classic)
        : undefined;
      bar?.start(employees, 0, { records: 0, mb: '0.0' });
      const started = performance.now();
      try {
        const manifest = await writeOrganisation({ employees, seed, asOf, recordsPerEmployee }, dir, (p) => bar?.update(p.employeesDone, { records: p.records.toLocaleString('en-US'), mb: mb(p.bytes) }));
        bar?.stop();
        console.log(formatManifest(manifest, opts.out, (performance.now() - started) / 1000));
      } catch (e) {
        bar?.stop();
        const err = e as NodeJS.ErrnoException;
        if (err.code && typeof err.path === 'string') {
          usageError('APPRAISE_USAGE', `Cannot write into --out ${opts.out} (${err.code} at ${err.path}); choose a folder you can write to.`);
          return setExit(2);
        }
        throw e;
      }
    });

  withDataDirOption(demo
    .command('load')
    .description('publish the shipped policies and load the demo organisation into a store that has none (what `start` does on first start)'))
    .action(async (opts: { dataDir?: string }) => {
      const ctx = await cliContext(program);
      if (!ctx) return setExit(1);
      const app = await Appraise.open({ config: ctx.config, dataDir: opts.dataDir, onWait: (m) => console.error(m) });
      try {
        await prepareDemoStore(app, (m) => console.log(m));
      } finally {
        await app.close();
      }
    });
}
