// `npx appraise policies notice <id> [--version N] [--format text|html|json]`: the worker notice
// of a published version as it was published (core/compliance/notices), for printing or sending.
import type { Command } from 'commander';
import { getNotice } from '../compliance/notices/queries.ts';
import { noticeContextOf } from '../compliance/notices/record.ts';
import { publicationLine, renderHtml } from '../compliance/notices/render.ts';
import { cliContext, usageError } from './policy-commands.ts';
import { withDataDirOption, withStore } from './store-option.ts';
import { handle } from './policies-commands.ts';

export function registerNoticeCommand(policies: Command, program: Command, setExit: (code: number) => void): void {
  withDataDirOption(policies
    .command('notice')
    .description("the worker notice of a published version (default: the one in force): what is measured, what can follow, who approves, how to dispute")
    .argument('<id>')
    .option('--version <n>', 'version number')
    .option('--format <format>', 'text, html or json', 'text')
    .option('--plugins <dir...>', 'extra plugin folders'))
    .action(async (id: string, opts: { dataDir?: string; version?: string; format: string; plugins?: string[] }) => {
      const version = opts.version === undefined ? undefined : Number(opts.version);
      if (version !== undefined && (!Number.isInteger(version) || version < 1)) {
        usageError('APPRAISE_USAGE', `--version must be a whole number of at least 1, not ${opts.version}.`);
        return setExit(2);
      }
      if (!['text', 'html', 'json'].includes(opts.format)) {
        usageError('APPRAISE_USAGE', `--format must be text, html or json, not ${opts.format}.`);
        return setExit(2);
      }
      const ctx = await cliContext(program, opts.plugins);
      if (!ctx) return setExit(1);
      await withStore(opts, async (store) => {
        try {
          const notice = await getNotice(store, id, version, noticeContextOf(ctx));
          if (opts.format === 'json') console.log(JSON.stringify(notice, null, 2));
          else if (opts.format === 'html') process.stdout.write(renderHtml(notice));
          else process.stdout.write(`${notice.text}\n${publicationLine(notice)}\n`);
        } catch (e) {
          handle(e, setExit);
        }
      });
    });
}
