// `disputes list|show|resolve`: HR's side of disputes from the command line. The command line
// has the store itself, so it acts as HR (admin-equivalent reads); raising a dispute is the
// employee's or manager's act, done in the UI or through the API with their own token.
import type { Command } from 'commander';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import type { Principal } from '../auth/tokens.ts';
import { resolveDispute } from '../people/disputes/disputes.ts';
import { getDispute, listDisputes, type Dispute } from '../people/disputes/queries.ts';
import { checkDisputeStatuses, RESOLVED_STATUS, type Resolution } from '../people/disputes/subject.ts';
import { actorDefault, checked, checkFormat, failWith } from './case-commands.ts';
import { withDataDirOption, withStore } from './store-option.ts';
import { loadConfig } from '../config/config.ts';

const hr = (name: string): Principal => ({ tokenId: 0, name, role: 'hr' });

function disputeId(text: string): number {
  if (!/^[1-9]\d{0,9}$/.test(text) || Number(text) > 2147483647) throw new AppraiseError('APPRAISE_USAGE', `The dispute id must be a whole number from 1 to 2147483647, not ${text}.`);
  return Number(text);
}

const line = (d: Dispute) =>
  `#${d.id}  ${d.status.padEnd(10)} ${d.subjectTitle}  ${d.employeeId} ${d.employeeName ?? ''}  raised by ${d.raisedBy} (${d.raisedAs}) ${d.raisedAt.slice(0, 10)}`;

function print(d: Awaited<ReturnType<typeof getDispute>>): void {
  console.log(`Dispute #${d.id}: ${d.status}`);
  console.log(`About ${d.subjectTitle} of ${d.employeeId} ${d.employeeName ?? ''}`);
  console.log(`Raised by ${d.raisedBy} (${d.raisedAs}) at ${d.raisedAt}`);
  console.log(`Reason: ${d.reason}`);
  if (d.closedAt) console.log(`${d.status === 'withdrawn' ? 'Withdrawn' : 'Resolved'} by ${d.closedBy} at ${d.closedAt}${d.resolutionNote ? `: ${d.resolutionNote}` : ''}`);
  if (d.amendment) console.log(`Changed: ${JSON.stringify(d.amendment.before)} → ${JSON.stringify(d.amendment.after)}`);
  console.log('Steps:');
  for (const e of d.events) console.log(`  ${e.at}  ${e.actor}  ${e.event}${e.note ? `: ${e.note}` : ''}`);
  if (d.status === 'open') console.log(`Resolve: npx appraise disputes resolve ${d.id} --uphold|--amend|--overturn --note "…"`);
}

export function registerDisputeCommands(program: Command, setExit: (code: number) => void): void {
  const disputes = program.command('disputes').description('disputes of cases: list them, show one, resolve one (HR)');

  withDataDirOption(disputes
    .command('list')
    .description('disputes, open ones first (default: the open ones)')
    .option('--status <status...>', 'open, upheld, amended, overturned, withdrawn, or all', ['open'])
    .option('--case <id>', 'only the disputes of this case')
    .option('--format <format>', 'text or json', 'text'))
    .action(async (opts: { status: string[]; case?: string; format: string; dataDir?: string }) => {
      const typed = opts.status.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
      let caseId: number | undefined;
      const ok = checked(() => {
        if (!typed.includes('all')) checkDisputeStatuses(typed, 'status');
        if (opts.case !== undefined) caseId = disputeId(opts.case);
        checkFormat(opts.format);
      }, setExit);
      if (!ok) return;
      await withStore(opts, async (store) => {
        const status = typed.includes('all') ? undefined : checkDisputeStatuses(typed, 'status');
        const r = await listDisputes(store, hr(actorDefault()), { status, ...(caseId ? { subjectType: 'case', subjectId: caseId } : {}), limit: 500 });
        if (opts.format === 'json') return console.log(JSON.stringify(r, null, 2));
        if (!r.disputes.length) return console.log(typed.join(',') === 'open' ? 'No dispute waits for a decision.' : 'No disputes match.');
        for (const d of r.disputes) console.log(line(d));
        console.log(`${r.disputes.length} of ${r.total} dispute(s).`);
      });
    });

  withDataDirOption(disputes
    .command('show')
    .description('one dispute with its reason, resolution and steps')
    .argument('<id>', 'the dispute id')
    .option('--format <format>', 'text or json', 'text'))
    .action(async (idText: string, opts: { format: string; dataDir?: string }) => {
      let id = 0;
      if (!checked(() => { id = disputeId(idText); checkFormat(opts.format); }, setExit)) return;
      await withStore(opts, async (store) => {
        try {
          const d = await getDispute(store, hr(actorDefault()), id);
          if (opts.format === 'json') console.log(JSON.stringify(d, null, 2));
          else print(d);
        } catch (e) {
          failWith(e, setExit);
        }
      });
    });

  withDataDirOption(disputes
    .command('resolve')
    .description('uphold (the case stands), amend (it stands with your correction; a PIP may get new goals or end date) or overturn (the case is closed as overturned and leaves history facts) an open dispute')
    .argument('<id>', 'the dispute id')
    .option('--uphold', 'the case stands')
    .option('--amend', 'the case stands with the correction in --note (and, for an approved or running PIP, --goal / --due)')
    .option('--overturn', 'the case is closed as overturned; its workflows get case.overturned')
    .option('--note <text>', 'why: the employee reads it (required)')
    .option('--goal <goal...>', '--amend on a PIP: its new goals')
    .option('--due <date>', '--amend on a PIP: its new end date')
    .option('--actor <name>', 'who resolves (default: the user)'))
    .action(async (idText: string, opts: { uphold?: boolean; amend?: boolean; overturn?: boolean; note?: string; goal?: string[]; due?: string; actor?: string; dataDir?: string }) => {
      let id = 0;
      let resolution: Resolution = 'uphold';
      const ok = checked(() => {
        id = disputeId(idText);
        const chosen = (['uphold', 'amend', 'overturn'] as const).filter((r) => opts[r]);
        if (chosen.length !== 1) throw new AppraiseError('APPRAISE_USAGE', `Give exactly one of --uphold, --amend or --overturn${chosen.length ? `, not ${chosen.map((c) => `--${c}`).join(' and ')}` : ''}.`);
        resolution = chosen[0];
      }, setExit);
      if (!ok) return;
      await withStore(opts, async (store) => {
        try {
          const amendment = { ...(opts.goal ? { goals: opts.goal } : {}), ...(opts.due ? { dueAt: opts.due } : {}) };
          // The workflows that hear dispute.resolved (notifications.people.workflows of appraise.config.yaml).
          const notify = (await loadConfig(program.opts().config)).config?.notifications.people.workflows ?? [];
          const status = await resolveDispute(store, hr(opts.actor ?? actorDefault()), id, { resolution, note: opts.note ?? '', ...(Object.keys(amendment).length ? { amendment } : {}) }, { notify });
          const d = await getDispute(store, hr(opts.actor ?? actorDefault()), id);
          console.log(`dispute ${id}: open → ${status}${status === RESOLVED_STATUS.overturn ? ` (${d.subjectTitle} is now overturned)` : ''}`);
        } catch (e) {
          failWith(e, setExit);
        }
      });
    });
}
