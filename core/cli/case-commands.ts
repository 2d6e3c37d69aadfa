// `cases`, `case`, `exempt`, `outbox` and `worker`: the cases issue's control from the command line.
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { getCase, listCases } from '../cases/queries.ts';
import { explainRuleInWords } from '../evaluate/explain-text.ts';
import { recordCheckIn, transitionCase } from '../cases/transitions.ts';
import { allowedActions, checkAction, checkCaseType, checkStatuses, type CaseType } from '../cases/lifecycle.ts';
import { createExemption } from '../cases/exemptions.ts';
import { FieldError, type FieldNames } from '../cases/field-error.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';
import { parseInstant } from '../util/instant.ts';
import { retryDelivery } from '../workflows/dispatcher.ts';
import { getDelivery, listDeliveries, OUTCOME_WORDS, type DeliveryDetail, type DeliveryView } from '../workflows/outbox-view.ts';
import { Appraise } from '../app/appraise.ts';
import { withPipGoals } from '../people/goals/pip.ts';
import { cliContext, usageError } from './policy-commands.ts';
import { withDataDirOption, withStore } from './store-option.ts';

/** Who acts, when --actor is not given: APPRAISE_AUTHOR or the user's login. */
export const actorDefault = () => {
  try {
    return process.env.APPRAISE_AUTHOR ?? userInfo().username;
  } catch {
    return 'cli';
  }
};

/** The flag (or argument) that gives each field core names, for messages in the CLI's words. */
const FLAGS: Record<string, string> = {
  note: '--note',
  scheduledFor: '--scheduled-for',
  goals: '--goals',
  dueAt: '--due',
  checkInEveryDays: '--check-in-every',
  support: '--support',
  status: '--status',
  type: '--type',
  policyId: '--policy',
  outcome: '--outcome',
  reason: '--reason',
  until: '--until',
  employeeId: '<employee>',
  // `disputes resolve --amend` (core/people/disputes)
  'amendment.goals': '--goal',
  'amendment.dueAt': '--due',
};
const flagOf: FieldNames = (field) => FLAGS[field] ?? field;

/** Mistakes in what was typed, as opposed to the state of the data: exit 2 rather than 1. */
const USAGE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'APPRAISE_USAGE', 'APPRAISE_CASE_UNKNOWN_ACTION', 'APPRAISE_CASE_UNKNOWN_STATUS', 'APPRAISE_CASE_UNKNOWN_TYPE',
  'APPRAISE_CASE_NOTE_REQUIRED', 'APPRAISE_CASE_MISSING_FIELD', 'APPRAISE_DATE_INVALID', 'APPRAISE_DATE_OUT_OF_RANGE',
  'APPRAISE_DISPUTE_NOTE_REQUIRED', 'APPRAISE_DISPUTE_UNKNOWN_STATUS',
]);

/** Prints a coded error in the CLI's words (flags, not API fields); exit 2 for usage, else 1. */
export function failWith(e: unknown, setExit: (code: number) => void, names: FieldNames = flagOf, usage: ReadonlySet<ErrorCode> = USAGE): void {
  if (e instanceof AppraiseError) {
    console.error(`error ${e.code} ${e instanceof FieldError ? e.messageIn(names) : e.message}`);
    setExit(usage.has(e.code) ? 2 : 1);
    return;
  }
  throw e;
}

/** Runs the checks of what was typed before the store is opened; false after reporting one. */
export function checked(check: () => void, setExit: (code: number) => void): boolean {
  try {
    check();
    return true;
  } catch (e) {
    failWith(e, setExit);
    return false;
  }
}

export const checkFormat = (format: string) => {
  if (!['text', 'json'].includes(format)) throw new AppraiseError('APPRAISE_USAGE', `--format must be text or json, not ${format}.`);
};

/** A delivery id as typed: a whole number the store can hold. */
function deliveryId(text: string, what: string): number {
  if (!/^[1-9]\d{0,9}$/.test(text) || Number(text) > 2147483647) {
    throw new AppraiseError('APPRAISE_USAGE', `${what} must be a whole number from 1 to 2147483647, not ${text}.`);
  }
  return Number(text);
}

/** `dead after 3 attempts, last outcome failed (not delivered), 1 without an answer` */
function statusLine(d: DeliveryView): string {
  const attempts = d.attempts === 1 ? '1 attempt' : `${d.attempts} attempts`;
  const status = d.status === 'in_flight' ? 'in flight' : d.status;
  const parts = [d.attempts ? `${status} after ${attempts}` : `${status}, not attempted yet`];
  if (d.lastOutcome) parts.push(`last outcome ${OUTCOME_WORDS[d.lastOutcome]}`);
  if (d.unknownAttempts > 0) parts.push(`${d.unknownAttempts} without an answer`);
  return parts.join(', ');
}

/** One delivery and its attempts, times in UTC. */
function printDelivery(d: DeliveryDetail): void {
  console.log(`Delivery #${d.id}: ${d.workflow} ${d.event}${d.caseId === null ? '' : ` for case ${d.caseId}`}`);
  console.log(`Status: ${statusLine(d)}`);
  console.log(d.summary);
  console.log(`Idempotency-Key: ${d.idempotencyKey}`);
  if (d.createdAt) console.log(`Queued: ${d.createdAt}`);
  if (d.deliveredAt) console.log(`Delivered: ${d.deliveredAt}`);
  if (d.status === 'pending' && d.nextAttemptAt) console.log(`Next attempt: ${d.nextAttemptAt}`);
  if (d.underWay) console.log(`Under way: attempt ${d.underWay.attempt} by ${d.underWay.worker} since ${d.underWay.startedAt}`);
  if (!d.history.length) console.log('Attempts: none finished yet');
  else {
    console.log('Attempts:');
    for (const a of d.history) {
      const http = a.httpStatus === null ? '' : `, HTTP ${a.httpStatus}`;
      console.log(`  ${a.attempt}  ${a.startedAt ?? '(start not recorded)'} → ${a.finishedAt ?? '?'}  ${OUTCOME_WORDS[a.outcome]}${http}  worker ${a.worker}`);
      if (a.error) console.log(`     ${a.error}`);
    }
  }
  if (d.lastError) console.log(`Last error: ${d.lastError}`);
  if (d.status === 'dead') console.log(`Retry by hand: npx appraise outbox --retry ${d.id}`);
}

export function registerCaseCommands(program: Command, setExit: (code: number) => void): void {
  withDataDirOption(program
    .command('cases')
    .description('the case queue')
    .option('--status <status...>', 'only these statuses')
    .option('--type <type>', 'recognition, coaching or pip')
    .option('--employee <id>')
    .option('--policy <id>')
    .option('--limit <n>', 'at most this many', '50')
    .option('--format <format>', 'text or json', 'text'))
    .action(async (opts: { status?: string[]; type?: string; employee?: string; policy?: string; limit: string; format: string; dataDir?: string }) => {
      // A mistyped status or type is a usage error, not an empty queue ("No cases match").
      // `--status open,scheduled` is read like `--status open scheduled`.
      const statuses = (opts.status ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
      const ok = checked(() => {
        const type = opts.type === undefined ? undefined : checkCaseType(opts.type, 'type');
        checkStatuses(statuses, 'status', type);
        checkFormat(opts.format);
        if (!/^[1-9]\d*$/.test(opts.limit)) throw new AppraiseError('APPRAISE_USAGE', `--limit must be a whole number of at least 1, not ${opts.limit}.`);
      }, setExit);
      if (!ok) return;
      await withStore(opts, async (store) => {
        const { cases, total } = await listCases(store, { status: statuses, type: opts.type, employeeId: opts.employee, policyId: opts.policy, limit: Number(opts.limit) || 50 });
        if (opts.format === 'json') return console.log(JSON.stringify({ cases, total }, null, 2));
        if (!cases.length) return console.log('No cases match.');
        for (const c of cases) {
          console.log(`#${c.id}  ${c.type.padEnd(11)} ${c.status.padEnd(12)} ${c.employeeId} ${c.employeeName ?? ''}  ${c.policyId}/${c.ruleId} ${c.period}${c.dueAt ? `  due ${c.dueAt.slice(0, 10)}` : ''}`);
        }
        console.log(`${cases.length} of ${total} case(s).`);
      });
    });

  withDataDirOption(program
    .command('case')
    .description('show a case, or act on it: approve, plan, reject, schedule, complete, cancel, deliver, acknowledge, start, edit-goals, extend, succeed, fail, check-in')
    .argument('<id>', 'the case id')
    .argument('[action]', 'what to do')
    .option('--note <text>', 'why (required to approve, reject, cancel, extend, succeed, fail)')
    .option('--scheduled-for <date>', 'schedule: when the coaching takes place')
    .option('--goals <goal...>', 'approve / plan / edit-goals: the plan goals')
    .option('--due <date>', 'approve / plan / extend: the end date')
    .option('--check-in-every <days>', 'approve / plan: days between check-ins')
    .option('--support <text>', 'approve / plan: the support offered (coaching, training, time)')
    .option('--actor <name>', 'who acts (default: the user)')
    .option('--format <format>', 'text or json', 'text'))
    .action(async (idText: string, action: string | undefined, opts: { note?: string; scheduledFor?: string; goals?: string[]; due?: string; checkInEvery?: string; support?: string; actor?: string; format: string; dataDir?: string }) => {
      const id = Number(idText);
      if (!Number.isInteger(id) || id < 1) {
        usageError('APPRAISE_USAGE', `The case id must be a whole number, not ${idText}.`);
        return setExit(2);
      }
      const ok = checked(() => {
        if (action !== undefined) checkAction(action, ['check-in']);
        checkFormat(opts.format);
        if (opts.checkInEvery !== undefined && !/^\d+$/.test(opts.checkInEvery)) {
          throw new AppraiseError('APPRAISE_USAGE', `--check-in-every must be a whole number of days, not ${opts.checkInEvery}.`);
        }
      }, setExit);
      if (!ok) return;
      await withStore(opts, async (store) => {
        try {
          if (action === 'check-in') {
            await recordCheckIn(store, id, { actor: opts.actor ?? actorDefault(), note: opts.note ?? '' });
            console.log(`case ${id}: check-in recorded`);
          } else if (action) {
            const data = {
              ...(opts.scheduledFor ? { scheduledFor: opts.scheduledFor } : {}),
              ...(opts.goals ? { goals: opts.goals } : {}),
              ...(opts.due ? { dueAt: opts.due } : {}),
              ...(opts.checkInEvery !== undefined ? { checkInEveryDays: Number(opts.checkInEvery) } : {}),
              ...(opts.support !== undefined ? { support: opts.support } : {}),
            };
            // The plan's goals become goal rows (written criteria; measured goals are set through the API or UI).
            const r = await transitionCase(store, id, withPipGoals(new Map(), { action, actor: opts.actor ?? actorDefault(), note: opts.note, data }));
            console.log(`case ${id}: ${r.from} → ${r.to}`);
          }
          const c = await getCase(store, id);
          if (opts.format === 'json') return console.log(JSON.stringify(c, null, 2));
          if (action) return;
          console.log(`Case #${c.id}: ${c.type}, ${c.status}`);
          console.log(`Employee ${c.employeeId} ${c.employeeName ?? ''} (${c.team ?? 'no team'}); ${c.policyId} v${c.policyVersion} rule ${c.ruleId}, period ${c.period}`);
          if (c.goals) console.log(`Goals: ${c.goals.join('; ')}; due ${c.dueAt?.slice(0, 10)}; check-ins every ${c.checkInEveryDays} days${c.nextCheckInAt ? ` (next ${c.nextCheckInAt.slice(0, 10)})` : ''}`);
          if (c.support) console.log(`Support offered: ${c.support}`);
          if (c.explanation) for (const line of explainRuleInWords(c.explanation)) console.log(line);
          else console.log(`Why: ${c.explanationNote ?? 'recorded without an explanation of the rule that opened it'}`);
          console.log(`Next actions: ${allowedActions(c.type as CaseType, c.status).join(', ') || 'none (closed)'}`);
          console.log('Timeline:');
          for (const e of c.events) console.log(`  ${e.at}  ${e.actor}  ${e.event}${e.from || e.to ? ` ${e.from ?? ''} → ${e.to ?? ''}` : ''}${e.note ? `: ${e.note}` : ''}`);
          if (c.deliveries.length) {
            console.log('Workflow deliveries:');
            for (const d of c.deliveries) console.log(`  #${d.id} ${d.workflow} ${d.event} ${d.status} (${d.attempts} attempt(s))${d.lastError ? `: ${d.lastError}` : ''}`);
          }
        } catch (e) {
          failWith(e, setExit);
        }
      });
    });

  withDataDirOption(program
    .command('exempt')
    .description('exempt an employee from a policy or an outcome type until a date (leave, accommodation)')
    .argument('<employee>', 'the employee id')
    .option('--policy <id>', 'the policy')
    .option('--outcome <type>', 'recognition, coaching or pip')
    .requiredOption('--until <date>', 'when the exemption ends')
    .requiredOption('--reason <text>', 'the justification')
    .option('--actor <name>', 'who grants it (default: the user)'))
    .action(async (employee: string, opts: { policy?: string; outcome?: string; until: string; reason: string; actor?: string; dataDir?: string }) => {
      let until = new Date();
      let outcome: CaseType | undefined;
      const ok = checked(() => {
        until = parseInstant(opts.until, '--until');
        if (opts.outcome !== undefined) outcome = checkCaseType(opts.outcome, 'outcome');
      }, setExit);
      if (!ok) return;
      await withStore(opts, async (store) => {
        try {
          const e = await createExemption(store, { employeeId: employee, policyId: opts.policy, outcome, reason: opts.reason, until, createdBy: opts.actor ?? actorDefault() });
          console.log(`exemption ${e.id}: ${employee} from ${e.policyId ?? 'every policy'}${e.outcome ? ` (${e.outcome})` : ''} until ${e.until}`);
        } catch (e) {
          failWith(e, setExit);
        }
      });
    });

  withDataDirOption(program
    .command('outbox')
    .description('workflow deliveries: what waits or died, and whether it may have been delivered; one delivery with its attempts; retry a dead one by hand')
    .argument('[id]', 'show this delivery with its attempt history')
    .option('--dead', 'only dead deliveries')
    .option('--retry <id>', 'retry this dead delivery')
    .option('--format <format>', 'text or json', 'text'))
    .action(async (idText: string | undefined, opts: { dead?: boolean; retry?: string; format: string; dataDir?: string }) => {
      let id: number | undefined;
      let retry: number | undefined;
      const ok = checked(() => {
        checkFormat(opts.format);
        if (idText !== undefined && opts.retry !== undefined) throw new AppraiseError('APPRAISE_USAGE', `Give a delivery id to show, or --retry <id>, not both.`);
        if (idText !== undefined) id = deliveryId(idText, 'The delivery id');
        if (opts.retry !== undefined) retry = deliveryId(opts.retry, '--retry');
      }, setExit);
      if (!ok) return;
      await withStore(opts, async (store) => {
        if (retry !== undefined) {
          const ok = await retryDelivery(store, retry, actorDefault());
          if (!ok) {
            console.error(`error APPRAISE_OUTBOX_NOT_FOUND No dead delivery ${retry}; \`npx appraise outbox --dead\` lists them.`);
            return setExit(1);
          }
          return console.log(`delivery ${retry} is pending again`);
        }
        if (id !== undefined) {
          const d = await getDelivery(store, id);
          if (!d) {
            console.error(`error APPRAISE_OUTBOX_NOT_FOUND No delivery ${id}; \`npx appraise outbox\` lists them.`);
            return setExit(1);
          }
          if (opts.format === 'json') return console.log(JSON.stringify(d, null, 2));
          return printDelivery(d);
        }
        const { deliveries, total } = await listDeliveries(store, { statuses: opts.dead ? ['dead'] : ['pending', 'in_flight', 'dead'], limit: 200, order: 'oldest' });
        if (opts.format === 'json') return console.log(JSON.stringify({ deliveries, total }, null, 2));
        if (!deliveries.length) return console.log(opts.dead ? 'No dead deliveries.' : 'Nothing waiting: every delivery was made.');
        for (const d of deliveries) {
          console.log(`#${d.id}  ${d.caseId === null ? 'no case' : `case ${d.caseId}`}  ${d.workflow} ${d.event}  ${statusLine(d)}`);
          console.log(`    ${d.summary}`);
          if (d.lastError) console.log(`    Last error: ${d.lastError}`);
        }
        console.log(`${deliveries.length} of ${total} delivery(ies). \`npx appraise outbox <id>\` shows one with its attempts.`);
      });
    });

  withDataDirOption(program
    .command('worker')
    .description('run scheduled policy runs and deliver workflows until stopped')
    .option('--no-schedule', 'do not run scheduled policies')
    .option('--no-dispatch', 'do not deliver workflows'))
    .action(async (opts: { schedule: boolean; dispatch: boolean; dataDir?: string }) => {
      const ctx = await cliContext(program);
      if (!ctx) return setExit(1);
      const app = await Appraise.open({ config: ctx.config, dataDir: opts.dataDir, share: true, onWait: (m) => console.error(m), log: (m) => console.log(`${new Date().toISOString()} ${m}`) });
      const stop = app.startWorker({ schedule: opts.schedule, dispatch: opts.dispatch });
      console.log(`worker started (${app.store.kind} at ${app.store.location}); Ctrl-C stops it`);
      await new Promise<void>((resolve) => {
        const done = () => resolve();
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      await stop();
      await app.close();
    });
}
