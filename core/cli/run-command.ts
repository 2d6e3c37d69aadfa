// `npx appraise run`: evaluates the published policies (or given files, as a dry run) for
// every employee each applies to, and prints a summary table or JSON.
import type { Command } from 'commander';
import { parseInstant } from '../util/instant.ts';
import cliProgress from 'cli-progress';
import { AppraiseError, formatDiagnostic, hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.ts';
import { hostFromConfig } from '../plugins/host-from-config.ts';
import { loadWorkspace } from '../policy/workspace.ts';
import { compileWithPlugins, publishedPolicies } from '../run/sources.ts';
import { runPolicies, type Phase, type RunResult } from '../run/run.ts';
import type { Decision, Engine } from '../run/decide.ts';
import { noticesOf, openCases } from '../cases/open-cases.ts';
import { cliContext, usageError } from './policy-commands.ts';
import { withDataDirOption, withStore } from './store-option.ts';
import { ensureRecordLayouts } from '../records/typed-tables.ts';
import { decisionLogOption } from '../compliance/decision-log/file-sink.ts';


export function formatRunSummary(result: RunResult): string {
  const r = result.run;
  const lines = [
    `Run ${r.id ?? '(dry run, not stored)'} as of ${r.asOf} (${r.trigger})`,
    r.summary.pointInTime.words,
    '',
    'policy                 version  period    employees  recognition  coaching  pip  undecided  plugin errors',
  ];
  for (const p of r.summary.policies) {
    lines.push(
      `${p.policyId.padEnd(22)} ${String(p.version).padStart(7)}  ${p.period.padEnd(8)}  ${String(p.employees).padStart(9)}  ${String(p.fired.recognition).padStart(11)}  ${String(p.fired.coaching).padStart(8)}  ${String(p.fired.pip).padStart(3)}  ${String(p.indeterminate).padStart(9)}  ${String(p.pluginErrors).padStart(13)}${p.noticePeriod ? '  (notice period)' : p.mode === 'audit' ? '  (audit)' : ''}`,
    );
    if (p.noticePeriod) lines.push(`    in its notice period: decisions are recorded, no case is opened; ${p.noticePeriod.words}`);
    if (p.noHireDate) lines.push(`    ${p.noHireDate} employee(s) without a hire date were not evaluated by this policy's tenure condition`);
  }
  const t = r.timings;
  lines.push('', `Phases: plan ${t.plan} ms, compute ${t.compute} ms, decide ${t.decide} ms, persist ${t.persist} ms${t.act ? `, act ${t.act} ms` : ''}; total ${t.total} ms (${r.employeesPerSecond} employee evaluations/s)`);
  if (r.summary.conflicts.length) {
    lines.push(`Policy conflicts: ${r.summary.conflicts.length} employee(s) got both recognition and a PIP in this run:`);
    for (const c of r.summary.conflicts.slice(0, 10)) lines.push(`    ${c.employeeId}: recognition ${c.recognition.join(', ')}; pip ${c.pip.join(', ')}`);
  }
  if (r.summary.act) lines.push(`Cases: ${JSON.stringify(r.summary.act)}`);
  for (const w of r.summary.warnings) lines.push(`warning ${w.code} ${w.message}`);
  return lines.join('\n');
}

export function registerRunCommand(program: Command, setExit: (code: number) => void): void {
  withDataDirOption(program
    .command('run')
    .description('evaluate the published policies for every employee they apply to (plan → compute → decide → persist)')
    .option('--policy <id...>', 'only these published policies')
    .option('--policies <paths...>', 'evaluate these policy files instead, as an unpublished dry run')
    .option('--as-of <date>', 'the instant the windows count back from (YYYY-MM-DD is midnight UTC; default now)')
    .option('--view <view>', 'as-of (only what had happened by --as-of: a ticket resolved later is still open) or latest (everything known now, for audits)', 'as-of')
    .option('--dry-run', 'decide but store nothing and open no cases')
    .option('--format <format>', 'text or json', 'text')
    .option('--engine <engine>', 'compiled (the fast path) or reference (json-rules-engine)', 'compiled')
    .option('--plugins <dir...>', 'extra plugin folders'))
    .action(async (opts: { policy?: string[]; policies?: string[]; asOf?: string; view: string; dryRun?: boolean; format: string; engine: string; dataDir?: string; plugins?: string[] }) => {
      if (opts.view !== 'as-of' && opts.view !== 'latest') {
        usageError('APPRAISE_USAGE', `--view must be as-of or latest, not ${opts.view}.`);
        return setExit(2);
      }
      if (opts.engine !== 'compiled' && opts.engine !== 'reference') {
        usageError('APPRAISE_USAGE', `--engine must be compiled or reference, not ${opts.engine}.`);
        return setExit(2);
      }
      let asOf: Date;
      try {
        asOf = parseInstant(opts.asOf, '--as-of');
      } catch (e) {
        usageError((e as AppraiseError).code, (e as AppraiseError).message);
        return setExit(2);
      }
      if (!['text', 'json'].includes(opts.format)) {
        usageError('APPRAISE_USAGE', `--format must be text or json, not ${opts.format}.`);
        return setExit(2);
      }
      const ctx = await cliContext(program, opts.plugins);
      if (!ctx) return setExit(1);
      const config = ctx.config;
      const set = ctx.plugins;
      const host = hostFromConfig(config, set);
      const bar = process.stderr.isTTY && opts.format === 'text'
        ? new cliProgress.SingleBar({ format: ' {phase} [{bar}] {value}/{total}', clearOnComplete: true, hideCursor: true }, cliProgress.Presets.shades_classic)
        : undefined;
      let current: Phase | undefined;
      const onProgress = (phase: Phase, done: number, total: number) => {
        if (!bar) return;
        if (phase !== current) {
          if (current) bar.stop();
          bar.start(Math.max(total, 1), done, { phase: phase.padEnd(8) });
          current = phase;
        } else bar.update(done);
      };
      try {
        await withStore(opts, async (store) => {
          await ensureRecordLayouts(store, [...set.recordKinds.values()], (m) => console.error(m));
          let policies;
          let dryRun = Boolean(opts.dryRun);
          if (opts.policies) {
            const ws = await loadWorkspace(opts.policies, ctx.registry);
            if (hasErrors(ws.diagnostics) || ws.missing.length) {
              for (const d of sortDiagnostics(ws.diagnostics)) console.error(formatDiagnostic(d));
              for (const m of ws.missing) console.error(`error APPRAISE_FILE_UNREADABLE No such file or folder: ${m}.`);
              setExit(1);
              return;
            }
            dryRun = true; // unpublished text never opens a case
            policies = await Promise.all([...ws.byId.values()].map(async (l) => ({ compiled: await compileWithPlugins(l.policy, ctx.registry, host), version: 0 })));
          } else {
            const src = await publishedPolicies(store, ctx.registry, host, opts.policy, config.policies.noticeDays ?? 0);
            for (const f of src.failures) {
              console.error(`warning: ${f.policyId} v${f.version} no longer loads and is skipped:`);
              for (const d of f.diagnostics) console.error(`  ${formatDiagnostic(d)}`);
            }
            policies = src.policies;
            if (policies.length === 0) {
              console.error('No published policy to run. Publish with `npx appraise policies publish rules/`, or pass --policies <files>.');
              setExit(1);
              return;
            }
          }
          const byId = new Map(policies.map((p) => [p.compiled.policy.metadata.id, p.compiled.policy]));
          const act = (s: typeof store, runId: number, decisions: Decision[], ids: number[]) =>
            openCases(s, runId, decisions, ids, { asOf, policies: byId, notices: noticesOf(policies), defaultWorkflows: config.workflows.defaults, coachingDueWithinDays: config.cases.coachingDueWithinDays }) as unknown as Promise<Record<string, unknown>>;
          const result = await runPolicies(store, { asOf, view: opts.view as 'as-of' | 'latest', trigger: 'manual', dryRun, policies, metrics: set.metrics, recordKinds: set.recordKinds, host, onProgress, act, engine: opts.engine as Engine, ...decisionLogOption(config, 'run') });
          bar?.stop();
          if (opts.format === 'json') {
            console.log(JSON.stringify({ run: result.run, decisions: result.decisions.map((d) => ({ employeeId: d.employeeId, policyId: d.policyId, policyVersion: d.policyVersion, period: d.period, ruleId: d.ruleId, outcome: d.outcome, status: d.status, params: d.params, explanation: d.explanation })) }, null, 2));
          } else {
            console.log(formatRunSummary(result));
          }
        });
      } catch (e) {
        bar?.stop();
        if (e instanceof AppraiseError) {
          console.error(`error ${e.code} ${e.message}`);
          return setExit(1);
        }
        throw e;
      } finally {
        await host.dispose();
      }
    });
}
