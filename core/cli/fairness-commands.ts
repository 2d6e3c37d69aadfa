// `npx appraise fairness report --from … --to …`: the fairness audit of the stored runs (single
// attributes, intersections, unknown counts, small groups, per cycle), as a table, CSV or JSON,
// printed or written to --out.
import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { withDemoFairness } from '../app/demo-fairness.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { auditRange, fairnessAudit, type AuditRange } from '../fairness/audit.ts';
import { auditCsv } from '../fairness/audit-csv.ts';
import { auditText } from '../fairness/audit-text.ts';
import { cliContext, usageError } from './policy-commands.ts';
import { handle } from './policies-commands.ts';
import { withDataDirOption, withStore } from './store-option.ts';

const FORMATS = ['table', 'csv', 'json'];

export function registerFairnessCommands(program: Command, setExit: (code: number) => void): void {
  const fairness = program.command('fairness').description('fairness (adverse-impact) audits of the stored runs');
  withDataDirOption(fairness
    .command('report')
    .description('the four-fifths report per policy and review cycle: single attributes and their intersections, unknown counts, small groups (NYC Local Law 144 style)')
    .requiredOption('--from <date>', 'the first as-of date of the runs to report (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'the last as-of date of the runs to report (YYYY-MM-DD, the whole day)')
    .option('--policy <id>', 'one published policy (default: every policy)')
    .option('--format <format>', 'table, csv or json', 'table')
    .option('--out <file>', 'write the report to this file instead of printing it')
    .option('--plugins <dir...>', 'extra plugin folders'))
    .action(async (opts: { from: string; to: string; policy?: string; format: string; out?: string; dataDir?: string; plugins?: string[] }) => {
      if (!FORMATS.includes(opts.format)) {
        usageError('APPRAISE_USAGE', `--format must be table, csv or json, not ${opts.format}.`);
        return setExit(2);
      }
      let range: AuditRange;
      try {
        range = auditRange(opts.from, opts.to);
      } catch (e) {
        usageError((e as AppraiseError).code, (e as AppraiseError).message);
        return setExit(2);
      }
      const ctx = await cliContext(program, opts.plugins);
      if (!ctx) return setExit(1);
      try {
        const text = await withStore(opts, async (store) => {
          // On the demo, the same attributes and intersections as the server's reports.
          const config = await withDemoFairness(ctx.config, store);
          const audit = await fairnessAudit(store, { registry: ctx.registry, config }, range, opts.policy);
          return opts.format === 'csv' ? auditCsv(audit) : opts.format === 'json' ? `${JSON.stringify(audit, null, 2)}\n` : auditText(audit);
        });
        if (opts.out) {
          await writeFile(opts.out, text);
          console.error(`wrote the fairness report to ${opts.out}`);
        } else {
          process.stdout.write(text);
        }
      } catch (e) {
        handle(e, setExit);
      }
    });
}
