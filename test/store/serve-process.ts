// `appraise serve` as a real child process on a test folder, as a user runs it in one terminal
// while they type commands in another.
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from '../cli/run-cli.ts';

const BIN = `${ROOT}core/cli/appraise.mjs`;

export interface ServeProcess {
  url: string;
  pid: number;
  output(): string;
  /** Ctrl-C, and waits for it to finish. */
  stop(): Promise<number | null>;
  /** kill -9: nothing is flushed, nothing is released. */
  kill9(): Promise<void>;
}

/** `appraise serve` (or `start`: the demo on first start, and the worker) on a free port. */
export async function startServe(cwd: string, dataDir: string, env: Record<string, string> = {}, command: 'serve' | 'start' = 'serve'): Promise<ServeProcess> {
  const args = command === 'serve' ? ['serve', '--data-dir', dataDir, '--port', '0', '--no-worker'] : ['start', '--data-dir', dataDir, '--port', '0'];
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, DATABASE_URL: '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 90 s:\n${out}`)), 90_000);
    const look = () => {
      const m = /Appraise is serving (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before it served:\n${out}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    output: () => out,
    async stop() {
      child.kill('SIGINT');
      return exited;
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
