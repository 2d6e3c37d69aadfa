// Shared pieces of the test provisioning (test/setup/global-setup.ts): a failure that is printed
// as one line instead of a stack trace, and installing a Debian package with apt-get when root.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** What the tests need and cannot get: printed as its message alone, then the run exits 1. */
export class ProvisionError extends Error {}

/** Values the global setup hands to the test workers (`project.provide` → `inject`). */
declare module 'vitest' {
  export interface ProvidedContext {
    /** The PostgreSQL the store tests use: the one that answered, or a throwaway cluster. */
    appraiseTestDatabaseUrl?: string;
  }
}

export const isRoot = (): boolean => process.getuid?.() === 0;

export const hasApt = (): boolean => existsSync('/usr/bin/apt-get');

/** Whether this process may install Debian packages itself. */
export const canInstall = (): boolean => isRoot() && hasApt();

let listsUpdated = false;

function apt(args: string[]): { ok: boolean; output: string } {
  const r = spawnSync('apt-get', ['-y', '-qq', '-o', 'Dpkg::Use-Pty=0', '-o', 'DPkg::Lock::Timeout=300', ...args], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `${r.error.message}\n` : ''}`;
  return { ok: r.status === 0, output };
}

/**
 * `apt-get install <pkg>`, quietly; the package lists are updated first when they are empty, or
 * once after a failed attempt (stale lists). On failure apt's last lines are shown, then a
 * ProvisionError with `hint` is thrown.
 */
export function aptInstall(pkg: string, hint: string): void {
  const tail = (s: string) => s.trimEnd().split('\n').slice(-15).join('\n');
  const update = () => {
    listsUpdated = true;
    const u = apt(['update']);
    if (!u.ok) {
      process.stderr.write(`${tail(u.output)}\n`);
      throw new ProvisionError(`apt-get update failed (above), so npm test could not install Debian's ${pkg}: ${hint}`);
    }
  };
  if (!listsUpdated && !hasPackageLists()) update();
  let r = apt(['install', pkg]);
  if (!r.ok && !listsUpdated) {
    update();
    r = apt(['install', pkg]);
  }
  if (!r.ok) {
    process.stderr.write(`${tail(r.output)}\n`);
    throw new ProvisionError(`apt-get install ${pkg} failed (above): ${hint}`);
  }
}

function hasPackageLists(): boolean {
  const r = spawnSync('sh', ['-c', 'ls /var/lib/apt/lists/ | grep -q _Packages'], { stdio: 'ignore' });
  return r.status === 0;
}
