// The words of `appraise token create` refusals: the article fits each role ("An employee
// token", "An HR token", not "A employee token"), and an unknown --employee is an employee error.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A_TOKEN_OF, createToken, ROLES } from '../../core/auth/tokens.ts';
import { migrate } from '../../core/store/migrate.ts';
import { openStore, type Store } from '../../core/store/store.ts';
import { cli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'appraise-token-cli-'));
const dataDir = join(dir, 'store');
let memory: Store;

beforeAll(async () => {
  memory = await openStore({ dataDir: 'memory://', databaseUrl: '' });
  await migrate(memory);
}, 120_000);
afterAll(async () => {
  await memory.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('token messages', () => {
  it('every role has its token with the right article', () => {
    expect(A_TOKEN_OF).toEqual({
      admin: 'An admin token',
      hr: 'An HR token',
      manager: 'A manager token',
      employee: 'An employee token',
      viewer: 'A viewer token',
    });
    expect(Object.keys(A_TOKEN_OF).sort()).toEqual([...ROLES].sort());
  });

  it('for every role, a token that acts as an employee asks for one in words that fit the role', async () => {
    for (const role of ROLES) {
      const made = createToken(memory, { name: `t-${role}`, role, createdBy: 'test' });
      if (role === 'manager' || role === 'employee') {
        await expect(made, role).rejects.toMatchObject({ code: 'APPRAISE_USAGE', message: `${A_TOKEN_OF[role]} acts as a particular employee: give their id with --employee <id>.` });
      } else {
        await expect(made, role).resolves.toMatchObject({ info: { role } });
      }
    }
  });

  it('the CLI says "An employee token" and "A manager token", exit 2', () => {
    const employee = cli(['token', 'create', '--role', 'employee', '--name', 'kiosk', '--data-dir', dataDir]);
    expect(employee.stderr).toBe('error APPRAISE_USAGE An employee token acts as a particular employee: give their id with --employee <id>.\n');
    expect(employee.code).toBe(2);
    const manager = cli(['token', 'create', '--role', 'manager', '--name', 'lead', '--data-dir', dataDir]);
    expect(manager.stderr).toBe('error APPRAISE_USAGE A manager token acts as a particular employee: give their id with --employee <id>.\n');
    expect(manager.code).toBe(2);
  });

  it('an unknown --employee is an employee error, not a case error', () => {
    const r = cli(['token', 'create', '--role', 'manager', '--name', 'lead', '--employee', 'E9', '--data-dir', dataDir]);
    expect(r.stderr).toBe('error APPRAISE_EMPLOYEE_NOT_FOUND There is no employee `E9` for the token to act as (--employee). Check the id, or import the employee first.\n');
    expect(r.stdout).toBe('');
    expect(r.code).not.toBe(0);
  });
});
