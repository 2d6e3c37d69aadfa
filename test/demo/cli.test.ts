// `appraise demo generate` as a user runs it: files, a summary with counts and throughput,
// and usage errors (exit 2) for arguments it cannot use.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Command, CommanderError } from 'commander';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerDemoCommands } from '../../core/cli/demo-commands.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'appraise-demo-cli-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const program = new Command('appraise').exitOverride().configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  let code = 0;
  registerDemoCommands(program, (c) => {
    code = Math.max(code, c);
  });
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    code = 2;
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('appraise demo generate', () => {
  it('writes the files and prints counts, files and throughput', async () => {
    const dir = join(root, 'org');
    const r = await run(['demo', 'generate', '--employees', '60', '--seed', '5', '--as-of', '2026-11-23', '--out', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Generated 60 employees and [\d,]+ records \(seed 5, as of 2026-11-23T00:00:00\.000Z/);
    expect(r.stdout).toMatch(/support\.ticket\.ndjson\s+[\d,]+ lines\s+[\d.]+ MB/);
    expect(r.stdout).toMatch(/records\/s, [\d.]+ MB\/s/);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ seed: 5, employees: 60, asOf: '2026-11-23T00:00:00.000Z' });
    expect((await readFile(join(dir, 'employees.ndjson'), 'utf8')).trim().split('\n')).toHaveLength(60);
  });

  it('defaults the as-of date to today at midnight UTC', async () => {
    const dir = join(root, 'today');
    expect((await run(['demo', 'generate', '--employees', '3', '--out', dir])).code).toBe(0);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.asOf).toBe(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
    expect(manifest.seed).toBe(1);
  });

  it.each([
    [['--employees', '0'], /--employees must be a whole number from 1/],
    [['--employees', 'ten'], /--employees must be a whole number/],
    [['--employees', '5', '--seed', '-3'], /--seed must be a whole number/],
    [['--employees', '5', '--as-of', 'yesterday'], /--as-of must be YYYY-MM-DD or an ISO 8601 instant such as 2026-12-31T17:00:00Z, not `yesterday`/],
    [['--employees', '5', '--records-per-employee', '0'], /--records-per-employee must be a number above 0/],
  ])('rejects %j with a usage error', async (args, message) => {
    const dir = join(root, 'rejected');
    const r = await run(['demo', 'generate', ...args, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error APPRAISE_USAGE /);
    expect(r.stderr).toMatch(message);
    expect(existsSync(dir)).toBe(false);
  });

  it('needs --employees', async () => {
    const r = await run(['demo', 'generate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--employees/);
  });

  it('says so when --out cannot be written', async () => {
    const file = join(root, 'a-file');
    await writeFile(file, 'not a folder');
    const r = await run(['demo', 'generate', '--employees', '5', '--out', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Cannot write into --out/);
  });
});
