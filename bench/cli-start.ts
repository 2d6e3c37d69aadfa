// How long the `appraise` command takes to answer: `--help` and `validate rules/`, each run as
// a child process (`node core/cli/appraise.mjs …`, without npx's own start-up), median of 5.
// Whatever the CLI does at start (compiling TypeScript, discovering plugins) is in the figure.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { median, ms } from './stats.ts';

export interface CliStart {
  command: string;
  medianMs: number;
  runsMs: number[];
  exitCode: number | null;
}

export function cliStart(root: string, runs = 5): CliStart[] {
  const cli = join(root, 'core', 'cli', 'appraise.mjs');
  const out: CliStart[] = [];
  for (const args of [['--help'], ['validate', 'rules/']]) {
    const times: number[] = [];
    let exitCode: number | null = 0;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      times.push(performance.now() - t);
      if (r.status !== 0) {
        exitCode = r.status;
        console.log(`appraise ${args.join(' ')} exited with ${r.status}${r.error ? ` (${r.error.message})` : ''}: ${(r.stderr || r.stdout).trim().split('\n').slice(-1)[0]}`);
      }
    }
    out.push({ command: `appraise ${args.join(' ')}`, medianMs: ms(median(times)), runsMs: times.map(ms), exitCode });
  }
  return out;
}
