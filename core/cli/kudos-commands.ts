// `kudos give` and `kudos list`: kudos from the command line, as the API gives them
// (core/people/feedback/kudos.ts). The command line has no token, so the giver is named with
// --from (an employee id); the audit log names the user who ran it (or --actor).
import type { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import { AppraiseError, formatDiagnostic, hasErrors } from '../diagnostics/diagnostic.ts';
import { giveKudos, listKudos, type Kudos } from '../people/feedback/kudos.ts';
import { withDataDirOption, withStore } from './store-option.ts';
import { actorDefault } from './case-commands.ts';

const USAGE = new Set(['APPRAISE_USAGE', 'APPRAISE_FEEDBACK_SELF', 'APPRAISE_FEEDBACK_UNKNOWN_VALUE', 'APPRAISE_FEEDBACK_EMPTY_TEXT']);
const FLAGS: Record<string, string> = { receiverId: '<receiver>', message: '--message', value: '--value', employeeId: '--from' };

function fail(e: unknown, setExit: (code: number) => void): void {
  if (!(e instanceof AppraiseError)) throw e;
  const field = typeof e.details.field === 'string' ? FLAGS[e.details.field] : undefined;
  console.error(`error ${e.code} ${e.message}${field ? ` (${field})` : ''}`);
  setExit(USAGE.has(e.code) ? 2 : 1);
}

const line = (k: Kudos) => `${k.givenAt.slice(0, 10)}  ${k.receiverName ?? k.receiverId} ← ${k.source === 'customer' ? 'a customer' : (k.giverName ?? k.giverId)}${k.value ? ` [${k.value}]` : ''}: ${k.message}`;

export function registerKudosCommands(program: Command, setExit: (code: number) => void): void {
  const kudos = program.command('kudos').description('kudos between colleagues: give one, list them');

  withDataDirOption(kudos
    .command('give')
    .description('thank a colleague: the kudos counts in the feedback.kudos metric from now on')
    .argument('<receiver>', 'the employee id of the colleague thanked')
    .requiredOption('--from <employee>', 'the employee id of who gives it')
    .requiredOption('--message <text>', 'what they did')
    .option('--value <value>', "one of the organisation's values (config people.kudos.values)")
    .option('--actor <name>', 'who records it, for the audit log (default: the user)'))
    .action(async (receiver: string, opts: { from: string; message: string; value?: string; actor?: string; dataDir?: string }) => {
      const { config, diagnostics } = await loadConfig(program.opts().config);
      for (const d of diagnostics) console.error(formatDiagnostic(d));
      if (!config || hasErrors(diagnostics)) return setExit(1);
      await withStore(opts, async (store) => {
        try {
          const k = await giveKudos(store, { tokenId: 0, name: opts.actor ?? actorDefault(), role: 'employee', employeeId: opts.from }, { receiverId: receiver, message: opts.message, value: opts.value }, config.people.kudos.values);
          console.log(`kudos ${k.id}: ${line(k)}`);
        } catch (e) {
          fail(e, setExit);
        }
      });
    });

  withDataDirOption(kudos
    .command('list')
    .description('the latest kudos, everyone\'s or one employee\'s (received, or given with --given)')
    .option('--employee <id>', 'only this employee\'s')
    .option('--given', 'the kudos the employee gave rather than received')
    .option('--limit <n>', 'how many, newest first', '50')
    .option('--format <format>', 'text or json', 'text'))
    .action(async (opts: { employee?: string; given?: boolean; limit: string; format: string; dataDir?: string }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10000) return fail(new AppraiseError('APPRAISE_USAGE', `--limit must be a whole number from 1 to 10000, not ${opts.limit}.`), setExit);
      if (!['text', 'json'].includes(opts.format)) return fail(new AppraiseError('APPRAISE_USAGE', `--format must be text or json, not ${opts.format}.`), setExit);
      if (opts.given && !opts.employee) return fail(new AppraiseError('APPRAISE_USAGE', '--given needs --employee <id>: whose given kudos to list.'), setExit);
      await withStore(opts, async (store) => {
        const list = await listKudos(store, { employeeId: opts.employee, direction: opts.given ? 'given' : 'received', visible: 'all', withText: true, limit });
        if (opts.format === 'json') console.log(JSON.stringify({ kudos: list }, null, 2));
        else if (!list.length) console.log('No kudos.');
        else for (const k of list) console.log(line(k));
      });
    });
}
