// `npx appraise backtest <policy file|id>`: what a draft (or a published version) would have done
// at each cycle end in a range, against the version it is compared with. Writes nothing.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { AppraiseError, formatDiagnostic, hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.ts';
import { hostFromConfig } from '../plugins/host-from-config.ts';
import { loadWorkspace } from '../policy/workspace.ts';
import { backtestDraft, publishedDraft, type BacktestResult } from '../run/backtest.ts';
import type { Cycle } from '../run/period.ts';
import type { Policy } from '../policy/types.ts';
import { parseInstant } from '../util/instant.ts';
import { fairnessFor } from '../server/fairness.ts';
import { withDemoFairness } from '../app/demo-fairness.ts';
import { ensureRecordLayouts } from '../records/typed-tables.ts';
import { cliContext, usageError } from './policy-commands.ts';
import { handle } from './policies-commands.ts';
import { withDataDirOption, withStore } from './store-option.ts';

const CYCLES = ['week', 'month', 'quarter', 'year'];
const OUTCOMES = ['recognition', 'coaching', 'pip'] as const;
const GETS = { recognition: 'recognition', coaching: 'coaching', pip: 'a PIP' };

export function formatBacktest(r: BacktestResult): string {
  const compared = r.comparedVersion ? `published version ${r.comparedVersion}` : 'nothing (the policy has never been published)';
  const draft = r.draftVersion ? `version ${r.draftVersion}` : 'the draft';
  const lines = [`Backtest of ${r.policyId}: ${draft} against ${compared}, per ${r.cycle}.`, r.view.words, ''];
  const rows = [['cycle', 'as of', 'in scope', 'recognition', 'coaching', 'PIP', 'undecided', 'fairness flags']];
  for (const c of r.cycles) {
    const pair = (a: number, b: number) => `${a} vs ${b}`;
    rows.push([c.cycle, c.asOf.slice(0, 10), pair(c.inScope.draft, c.inScope.compared), ...OUTCOMES.map((o) => pair(c.counts.draft[o], c.counts.compared[o])), pair(c.undecided.draft, c.undecided.compared), String(c.fairness.flags.length)]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) lines.push(row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
  lines.push('', '(each pair: the draft vs the compared version)');
  for (const c of r.cycles) {
    lines.push('', `${c.cycle} (as of ${c.asOf.slice(0, 10)})`);
    let changes = 0;
    for (const o of OUTCOMES) {
      const names = (xs: typeof c.newly[typeof o]) => xs.map((p) => `${p.name} (${p.employeeId})`).join(', ');
      if (c.newly[o].length) lines.push(`  newly gets ${GETS[o]}: ${names(c.newly[o])}`);
      if (c.noLonger[o].length) lines.push(`  no longer gets ${GETS[o]}: ${names(c.noLonger[o])}`);
      changes += c.newly[o].length + c.noLonger[o].length;
    }
    if (!changes) lines.push('  no one gets a different outcome');
    for (const f of c.fairness.flags) lines.push(`  ! ${f.message}`);
    if (!c.fairness.flags.length) lines.push('  fairness: no group is below the four-fifths rule');
    for (const w of c.warnings) lines.push(`  warning ${w.code} ${w.message}`);
  }
  return lines.join('\n');
}

/** What is wrong with the options, in words, before anything is opened. */
function usageProblem(opts: { cycle?: string; against: string; format: string }): string | undefined {
  if (opts.cycle !== undefined && !CYCLES.includes(opts.cycle)) return `--cycle must be week, month, quarter or year, not ${opts.cycle}.`;
  if (opts.against !== 'published' && !/^[1-9]\d{0,8}$/.test(opts.against)) return `--against must be published or a version number such as 3, not ${opts.against}.`;
  if (!['text', 'json'].includes(opts.format)) return `--format must be text or json, not ${opts.format}.`;
  return undefined;
}

export function registerBacktestCommand(program: Command, setExit: (code: number) => void): void {
  withDataDirOption(program
    .command('backtest')
    .description("replay a draft policy and the version it is compared with at each cycle end in a range, as of each cycle's end; writes nothing")
    .argument('<policy>', 'a policy file, or a published policy id (id@version for a given version)')
    .requiredOption('--from <date>', 'the start of the range (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'the end of the range (YYYY-MM-DD); every cycle boundary from..to is replayed')
    .option('--cycle <cycle>', "week, month, quarter or year (default: the policy's cycle, else quarter)")
    .option('--against <version>', 'published (the latest published version) or a version number', 'published')
    .option('--format <format>', 'text or json', 'text')
    .option('--plugins <dir...>', 'extra plugin folders'))
    .action(async (target: string, opts: { from: string; to: string; cycle?: string; against: string; format: string; dataDir?: string; plugins?: string[] }) => {
      const wrong = usageProblem(opts);
      if (wrong) {
        usageError('APPRAISE_USAGE', wrong);
        return setExit(2);
      }
      let from: Date;
      let to: Date;
      try {
        from = parseInstant(opts.from, '--from');
        to = parseInstant(opts.to, '--to');
      } catch (e) {
        usageError((e as AppraiseError).code, (e as AppraiseError).message);
        return setExit(2);
      }
      const ctx = await cliContext(program, opts.plugins);
      if (!ctx) return setExit(1);
      let fileDraft: Policy | undefined;
      if (existsSync(target) || /\.ya?ml$/i.test(target)) {
        const ws = await loadWorkspace([target], ctx.registry);
        if (ws.missing.length || ws.byId.size !== 1 || hasErrors(ws.diagnostics)) {
          for (const d of sortDiagnostics(ws.diagnostics)) console.error(formatDiagnostic(d));
          if (ws.missing.length) console.error(`error APPRAISE_FILE_UNREADABLE No such file: ${target}.`);
          else if (ws.byId.size !== 1 && !hasErrors(ws.diagnostics)) console.error(`error APPRAISE_NO_FILES ${target} must be exactly one policy file; it holds ${ws.byId.size}.`);
          return setExit(1);
        }
        fileDraft = [...ws.byId.values()][0].policy;
      }
      const host = hostFromConfig(ctx.config, ctx.plugins);
      try {
        await withStore(opts, async (store) => {
          await ensureRecordLayouts(store, [...ctx.plugins.recordKinds.values()], (m) => console.error(m));
          // On the demo, the same protected attributes as the server's reports (core/app/demo-fairness.ts).
          const config = await withDemoFairness(ctx.config, store);
          const [id, version] = target.split('@');
          const named = fileDraft ? undefined : await publishedDraft(store, ctx.registry, id, version ? Number(version) : undefined);
          const result = await backtestDraft(store, { registry: ctx.registry, metrics: ctx.plugins.metrics, host }, fileDraft ?? named!.policy, {
            from, to,
            ...(opts.cycle ? { cycle: opts.cycle as Cycle } : {}),
            against: opts.against === 'published' ? 'published' : Number(opts.against),
            ...(named ? { draftVersion: named.version } : {}),
            fairness: (population, selected) => fairnessFor(config, population, selected),
          });
          console.log(opts.format === 'json' ? JSON.stringify(result, null, 2) : formatBacktest(result));
        });
      } catch (e) {
        handle(e, setExit);
      } finally {
        await host.dispose();
      }
    });
}
