// `goals list`, `goals add` and `goals progress`: an employee's goals from the command line.
// The command line acts with store access, as HR does: a goal it adds is active at once.
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { FieldError, type FieldNames } from '../cases/field-error.ts';
import { parseInstant } from '../util/instant.ts';
import { createGoal, goalProgress, listGoals, type Goal, type GoalInput } from '../people/goals/index.ts';
import { cliContext } from './policy-commands.ts';
import { withDataDirOption, withStore } from './store-option.ts';

const FLAGS: Record<string, string> = {
  title: '--title', description: '--description', dueAt: '--due', startsAt: '--start', weight: '--weight', employeeId: '<employee>', team: '--team',
  'measure.metric': '--metric', 'measure.target': '--target', 'measure.direction': '--direction', 'measure.minSamples': '--min-samples', 'measure.params': '--params',
};
const flagOf: FieldNames = (field) => FLAGS[field] ?? field;

function fail(e: unknown, setExit: (code: number) => void): void {
  if (!(e instanceof AppraiseError)) throw e;
  console.error(`error ${e.code} ${e instanceof FieldError ? e.messageIn(flagOf) : e.message}`);
  setExit(e.code === 'APPRAISE_GOAL_NOT_FOUND' || e.code === 'APPRAISE_EMPLOYEE_NOT_FOUND' || e.code === 'APPRAISE_GROUP_NOT_FOUND' ? 1 : 2);
}

const actor = () => {
  try {
    return process.env.APPRAISE_AUTHOR ?? userInfo().username;
  } catch {
    return 'cli';
  }
};

function line(g: Goal): string {
  const owner = g.team ? `team ${g.team}` : g.employeeId;
  return `#${g.id}  ${g.status.padEnd(9)} ${g.title}  (${owner}; ${g.startsAt.slice(0, 10)} to ${g.dueAt.slice(0, 10)}${g.caseId ? `; PIP case ${g.caseId}` : ''})${g.measureWords ? `\n      measured by ${g.measureWords}` : g.criterion ? `\n      criterion: ${g.criterion}` : ''}`;
}

export function registerGoalCommands(program: Command, setExit: (code: number) => void): void {
  const goals = program.command('goals').description("an employee's goals: list, add, progress");

  const show = (name: string, description: string, withProgress: boolean) => withDataDirOption(goals
    .command(name)
    .description(description)
    .argument('<employee>', 'the employee id')
    .option('--as-of <date>', 'progress as of this date (default now)')
    .option('--format <format>', 'text or json', 'text'))
    .action(async (employee: string, opts: { asOf?: string; format: string; dataDir?: string }) => {
      let asOf: Date;
      try {
        asOf = parseInstant(opts.asOf, '--as-of');
        if (!['text', 'json'].includes(opts.format)) throw new AppraiseError('APPRAISE_USAGE', `--format must be text or json, not ${opts.format}.`);
      } catch (e) {
        return fail(e, setExit);
      }
      const ctx = await cliContext(program);
      if (!ctx) return setExit(1);
      await withStore(opts, async (store) => {
        const exists = await store.query('SELECT 1 FROM employees WHERE id = $1', [employee]);
        if (!exists.rows.length) return fail(new AppraiseError('APPRAISE_EMPLOYEE_NOT_FOUND', `There is no employee ${employee}.`), setExit);
        const list = await listGoals(store, ctx.plugins.metrics, employee);
        const progress = withProgress ? await goalProgress(store, { metrics: ctx.plugins.metrics, recordKinds: ctx.plugins.recordKinds }, list, asOf) : undefined;
        if (opts.format === 'json') return console.log(JSON.stringify({ asOf: asOf.toISOString(), goals: list.map((g) => ({ ...g, ...(progress ? { progress: progress.get(g.id) } : {}) })) }, null, 2));
        if (!list.length) return console.log(`${employee} has no goals. Add one with \`npx appraise goals add ${employee} --title … --due …\`.`);
        for (const g of list) {
          console.log(line(g));
          if (progress) console.log(`      ${progress.get(g.id)!.words}`);
        }
      });
    });
  show('list', "an employee's goals and their team's", false);
  show('progress', "each goal's progress as of a date, from the same data as runs", true);

  withDataDirOption(goals
    .command('add')
    .description('set a goal for an employee (or, with --team, for a team); measured when --metric and --target are given')
    .argument('[employee]', 'the employee id (or --team)')
    .requiredOption('--title <text>', 'what the goal is')
    .requiredOption('--due <date>', 'the due date')
    .option('--start <date>', 'when it starts (default now)')
    .option('--team <team>', 'a team goal: the mean of its members with enough data')
    .option('--description <text>')
    .option('--weight <n>', 'its weight among the goals', '1')
    .option('--metric <id>', 'the metric that measures it, e.g. customer-feedback.csat')
    .option('--params <json>', "the metric's params as JSON")
    .option('--target <n>', 'the target value')
    .option('--direction <dir>', 'atLeast or atMost (default from the metric)')
    .option('--min-samples <n>', 'the fewest records the value needs (default the metric\'s)')
    .option('--actor <name>', 'who sets it (default: the user)'))
    .action(async (employee: string | undefined, opts: { title: string; due: string; start?: string; team?: string; description?: string; weight: string; metric?: string; params?: string; target?: string; direction?: string; minSamples?: string; actor?: string; dataDir?: string }) => {
      let input: GoalInput;
      try {
        if ((employee === undefined) === (opts.team === undefined)) throw new AppraiseError('APPRAISE_USAGE', 'Give an employee id or --team, not both or neither.');
        let params: Record<string, unknown> | undefined;
        try {
          params = opts.params ? JSON.parse(opts.params) : undefined;
        } catch {
          throw new AppraiseError('APPRAISE_USAGE', `--params must be JSON, such as '{"mode":"top2box"}', not ${opts.params}.`);
        }
        const number = (v: string | undefined) => (v === undefined ? undefined : Number(v));
        input = {
          ...(employee !== undefined ? { employeeId: employee } : { team: opts.team! }), title: opts.title, dueAt: opts.due, weight: Number(opts.weight),
          ...(opts.start ? { startsAt: opts.start } : {}), ...(opts.description ? { description: opts.description } : {}),
          ...(opts.metric || opts.target ? { measure: { metric: opts.metric, params, target: number(opts.target), direction: opts.direction, minSamples: number(opts.minSamples) } } : {}),
        };
      } catch (e) {
        return fail(e, setExit);
      }
      const ctx = await cliContext(program);
      if (!ctx) return setExit(1);
      await withStore(opts, async (store) => {
        try {
          const g = await createGoal(store, ctx.plugins.metrics, { tokenId: 0, name: opts.actor ?? actor(), role: 'hr' }, input);
          console.log(line(g));
        } catch (e) {
          fail(e, setExit);
        }
      });
    });
}
