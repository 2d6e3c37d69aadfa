// The command-line entry: parses arguments (commander) and hands each command to its module.
// Usage errors exit 2, problems found exit 1, success exits 0.
import { Command, CommanderError } from 'commander';
import { registerPolicyCommands } from './policy-commands.ts';
import { registerPluginCommands } from './plugin-commands.ts';
import { registerPoliciesCommands } from './policies-commands.ts';
import { registerRunCommand } from './run-command.ts';
import { registerCaseCommands } from './case-commands.ts';
import { registerServerCommands } from './server-commands.ts';
import { registerDemoCommands } from './demo-commands.ts';
import { registerImportCommands } from './import-commands.ts';
import { registerBacktestCommand } from './backtest-command.ts';
import { registerKudosCommands } from './kudos-commands.ts';
import { registerReviewCommands } from './review-commands.ts';
import { registerGoalCommands } from './goals-commands.ts';
import { registerDisputeCommands } from './dispute-commands.ts';
import { registerDecisionCommands } from './decision-commands.ts';
import { registerEmployeeCommands } from './employee-commands.ts';
import { registerRetentionCommands } from './retention-commands.ts';
import { registerSourceCommands } from './source-commands.ts';
import { registerFairnessCommands } from './fairness-commands.ts';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('appraise')
    .description('Appraise: performance policies for customer-facing teams')
    .option('--config <file>', 'the application config file (default: appraise.config.yaml if present)')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) })
    .showHelpAfterError('(run `npx appraise --help` for usage)');
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = Math.max(exitCode, code);
  };
  registerPolicyCommands(program, setExit);
  registerPluginCommands(program, setExit);
  registerPoliciesCommands(program, setExit);
  registerRunCommand(program, setExit);
  registerCaseCommands(program, setExit);
  registerServerCommands(program, setExit);
  registerDemoCommands(program, setExit);
  registerImportCommands(program, setExit);
  registerBacktestCommand(program, setExit);
  registerKudosCommands(program, setExit);
  registerReviewCommands(program, setExit);
  registerGoalCommands(program, setExit);
  registerDisputeCommands(program, setExit);
  registerDecisionCommands(program, setExit);
  registerEmployeeCommands(program, setExit);
  registerRetentionCommands(program, setExit);
  registerSourceCommands(program, setExit);
  registerFairnessCommands(program, setExit);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    throw e;
  }
  return exitCode;
}
