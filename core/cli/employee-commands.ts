// `employee export <id>`: the data-subject access export from the command line (core/compliance/
// subject-access), as JSON or as a readable page, to standard output or a file. Audited.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { exportSubject } from '../compliance/subject-access/export.ts';
import { exportPage } from '../compliance/subject-access/page.ts';
import { withDataDirOption, withStore } from './store-option.ts';
import { actorDefault } from './case-commands.ts';
import { erasePerson } from '../compliance/erasure/erase.ts';

export function registerEmployeeCommands(program: Command, setExit: (code: number) => void): void {
  const employee = program.command('employee').description('one person\'s data: what is stored about them (GDPR access)');
  withDataDirOption(employee
    .command('export')
    .description('everything stored about one person, as JSON or a readable page (the export is audited)')
    .argument('<id>', 'the employee id')
    .option('--format <format>', 'json or html', 'json')
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--actor <name>', 'who asked for it, for the audit log (default: the user)'))
    .action(async (id: string, opts: { format: string; out?: string; actor?: string; dataDir?: string }) => {
      if (!['json', 'html'].includes(opts.format)) {
        console.error(`error APPRAISE_USAGE --format must be json or html, not ${opts.format}.`);
        return setExit(2);
      }
      try {
        const x = await withStore(opts, (store) => exportSubject(store, id, opts.actor ?? actorDefault()));
        const text = opts.format === 'html' ? exportPage(x, x.sections.employee[0]?.name as string | undefined) : `${JSON.stringify(x, null, 2)}\n`;
        if (opts.out) {
          await writeFile(opts.out, text, 'utf8');
          console.error(`wrote ${opts.out}: ${Object.entries(x.counts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ')}`);
        } else process.stdout.write(text);
      } catch (e) {
        if (!(e instanceof AppraiseError)) throw e;
        console.error(`error ${e.code} ${e.message}`);
        setExit(1);
      }
    });

  withDataDirOption(employee
    .command('erase')
    .description('erase one person: their id replaced by a pseudonym everywhere, their name, email and free text removed; counts, decisions and the audit trail kept')
    .argument('<id>', 'the employee id')
    .requiredOption('--reason <text>', 'why (kept in the audit log, with who did it)')
    .option('--actor <name>', 'who erases, for the audit log (default: the user)'))
    .action(async (id: string, opts: { reason: string; actor?: string; dataDir?: string }) => {
      try {
        const r = await withStore(opts, (store) => erasePerson(store, id, { actor: opts.actor ?? actorDefault(), reason: opts.reason }));
        console.log(`erased ${id}: now ${r.pseudonym} everywhere; rows changed: ${Object.entries(r.rows).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`).join(', ')}`);
        console.log('Decision-log files (compliance.decisionLogs) are not rewritten: keep or purge them under your own retention.');
      } catch (e) {
        if (!(e instanceof AppraiseError)) throw e;
        console.error(`error ${e.code} ${e.message}`);
        setExit(e.code === 'APPRAISE_ERASURE_NO_REASON' ? 2 : 1);
      }
    });
}
