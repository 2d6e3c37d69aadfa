// `decisions replay <files...>`: an auditor's check of the decision log (core/compliance/
// decision-log): each logged decision evaluated again from its logged facts and the stored
// policy text, and compared with what was logged.
import type { Command } from 'commander';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { hostFromConfig } from '../plugins/host-from-config.ts';
import { readDecisionLog, replayDecisions, type ReplayResult } from '../compliance/decision-log/replay.ts';
import type { DecisionLine } from '../compliance/decision-log/entry.ts';
import { cliContext } from './policy-commands.ts';
import { withDataDirOption, withStore } from './store-option.ts';

/** Every `step`-th decision, so that a sample spreads over the whole log. */
export function sampleIds(lines: readonly { type: string; id?: string }[], n: number | undefined): Set<string> | undefined {
  const ids = lines.filter((l): l is DecisionLine => l.type === 'decision').map((l) => l.id);
  if (n === undefined || n >= ids.length) return undefined;
  const step = ids.length / n;
  return new Set(Array.from({ length: n }, (_, i) => ids[Math.floor(i * step)]));
}

export function registerDecisionCommands(program: Command, setExit: (code: number) => void): void {
  const decisions = program.command('decisions').description('the decision log (compliance.decisionLogs in the config)');
  withDataDirOption(decisions
    .command('replay')
    .description('evaluate logged decisions again from the log and the stored policy text, and compare')
    .argument('<files...>', 'decision-log files (decisions-YYYY-MM-DD.ndjson)')
    .option('--sample <n>', 'replay n decisions spread over the log instead of all')
    .option('--format <format>', 'text or json', 'text'))
    .action(async (files: string[], opts: { sample?: string; format: string; dataDir?: string }) => {
      const sample = opts.sample === undefined ? undefined : Number(opts.sample);
      if (sample !== undefined && !(Number.isInteger(sample) && sample > 0)) {
        console.error(`error APPRAISE_USAGE --sample must be a whole number above 0, not ${opts.sample}.`);
        return setExit(2);
      }
      const ctx = await cliContext(program);
      if (!ctx) return setExit(1);
      const host = hostFromConfig(ctx.config, ctx.plugins);
      try {
        const lines = await readDecisionLog(files);
        const results = await withStore(opts, (store) => replayDecisions(lines, { store, registry: ctx.registry, host }, sampleIds(lines, sample)));
        const differ = results.filter((r) => !r.sameResult || !r.sameExplanation);
        if (opts.format === 'json') console.log(JSON.stringify({ replayed: results.length, same: results.length - differ.length, differ }, null, 2));
        else {
          for (const r of differ) console.log(describe(r));
          console.log(`${results.length - differ.length} of ${results.length} decision(s) replayed with the same result and explanation.`);
        }
        if (differ.length) setExit(1);
      } catch (e) {
        if (!(e instanceof AppraiseError)) throw e;
        console.error(`error ${e.code} ${e.message}`);
        setExit(1);
      } finally {
        await host.dispose();
      }
    });
}

function describe(r: ReplayResult): string {
  const what = `${r.id} (${r.policy.id} version ${r.policy.version})`;
  if (r.problem) return `${what}: not replayed: ${r.problem}`;
  const words = (x: ReplayResult['logged']) => x.rules.map((y) => `${y.ruleId} ${y.status}`).join(', ') || 'no rule applied';
  if (!r.sameResult) return `${what}: logged ${words(r.logged)}; replayed ${words(r.replayed!)}`;
  return `${what}: same result, but the explanation differs`;
}
