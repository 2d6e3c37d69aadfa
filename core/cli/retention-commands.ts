// `retention purge [--dry-run]`: the retention purge of compliance.retention by hand (the worker
// runs it daily): what expired, deleted or pseudonymised in batches, and the report.
import type { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import { formatDiagnostic, hasErrors } from '../diagnostics/diagnostic.ts';
import { purgeExpired, type PurgeReport } from '../compliance/retention/purge.ts';
import { withDataDirOption, withStore } from './store-option.ts';
import { actorDefault } from './case-commands.ts';

export function describePurge(r: PurgeReport): string {
  const verb = r.dryRun ? 'would be' : 'were';
  const classes = Object.keys(r.cutoffs);
  if (!classes.length) return 'No retention period is set (compliance.retention in appraise.config.yaml): everything is kept.';
  return [
    ...Object.entries(r.cutoffs).map(([k, at]) => `${k}: older than ${at.slice(0, 10)}`),
    `${r.deleted.records} record(s), ${r.deleted.decisions} decision(s), ${r.deleted.audit} audit entr${r.deleted.audit === 1 ? 'y' : 'ies'} and ${r.deleted.decisionLogFiles} decision-log file(s) ${verb} deleted; ${r.pseudonymised.cases} closed case(s) ${verb} pseudonymised.`,
    ...(r.keptForCases ? [`${r.keptForCases} expired decision(s) are kept because a kept case was opened from them.`] : []),
  ].join('\n');
}

export function registerRetentionCommands(program: Command, setExit: (code: number) => void): void {
  const retention = program.command('retention').description('how long data is kept (compliance.retention)');
  withDataDirOption(retention
    .command('purge')
    .description('delete or pseudonymise what is older than its retention period, in batches')
    .option('--dry-run', 'count what would go, change nothing')
    .option('--actor <name>', 'who purges, for the audit log (default: the user)'))
    .action(async (opts: { dryRun?: boolean; actor?: string; dataDir?: string }) => {
      const { config, diagnostics } = await loadConfig(program.opts().config);
      for (const d of diagnostics) console.error(formatDiagnostic(d));
      if (!config || hasErrors(diagnostics)) return setExit(1);
      const report = await withStore(opts, (store) => purgeExpired(store, config, { actor: opts.actor ?? actorDefault(), dryRun: opts.dryRun }));
      console.log(describePurge(report));
    });
}
