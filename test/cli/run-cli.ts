// Runs the real `appraise` command in a child process, as a user would.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../core/cli/appraise.mjs', import.meta.url));

export function cli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    // DATABASE_URL is dropped so the CLI uses its embedded store unless a test asks otherwise.
    env: { ...process.env, DATABASE_URL: '', NO_COLOR: '1', ...options.env },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The one line a failed command prints, its exit code, and nothing on stdout. */
export function expectError(r: { code: number; stdout: string; stderr: string }, code: number, line: string): void {
  expect(r.stderr).toBe(`${line}\n`);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(code);
}
