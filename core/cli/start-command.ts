// `npm start`: until the server exists, it checks and tests the shipped policies.
import type { Command } from 'commander';
import { main } from './main.ts';

export function registerStartCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('start')
    .description('the main job: check and test the shipped policies in rules/')
    .action(async () => {
      const base = program.opts().config ? ['--config', program.opts().config] : [];
      const validate = await main([...base, 'validate', 'rules/']);
      if (validate !== 0) return setExit(validate);
      setExit(await main([...base, 'test', 'rules/']));
    });
}
