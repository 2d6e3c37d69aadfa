// `appraise kudos give|list` as a user types them: kudos given from the command line are listed
// with who gave them; mistakes are usage errors (exit 2) naming the flag.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../core/store/migrate.ts';
import { openStore } from '../../core/store/store.ts';
import { cli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'appraise-kudos-cli-'));
const dataDir = join(dir, 'store');

beforeAll(async () => {
  const store = await openStore({ dataDir, databaseUrl: '' });
  try {
    await migrate(store);
    await store.query(`INSERT INTO employees (id, name, content_hash) VALUES ('E1', 'Ana Souza', 'x'), ('E2', 'Ben Carter', 'x')`);
  } finally {
    await store.close();
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => cli([...args, '--data-dir', dataDir]);

describe('appraise kudos', { timeout: 120_000 }, () => {
  it('gives kudos and lists them, received and given', () => {
    const given = run('kudos', 'give', 'E2', '--from', 'E1', '--message', 'Covered my shift', '--value', 'Teamwork');
    expect(given.stderr).toBe('');
    expect(given.stdout).toMatch(/^kudos \d+: \d{4}-\d{2}-\d{2} {2}Ben Carter ← Ana Souza \[Teamwork\]: Covered my shift\n$/);
    expect(run('kudos', 'list', '--employee', 'E2').stdout).toContain('Ben Carter ← Ana Souza [Teamwork]: Covered my shift');
    expect(run('kudos', 'list', '--employee', 'E2', '--given').stdout).toBe('No kudos.\n');
    const json = JSON.parse(run('kudos', 'list', '--format', 'json').stdout);
    expect(json.kudos).toEqual([expect.objectContaining({ receiverId: 'E2', giverId: 'E1', source: 'colleague', value: 'Teamwork' })]);
  });

  it('refuses kudos to oneself and an unknown value as usage errors naming the flag', () => {
    const self = run('kudos', 'give', 'E1', '--from', 'E1', '--message', 'me');
    expect([self.code, self.stdout]).toEqual([2, '']);
    expect(self.stderr).toMatch(/^error APPRAISE_FEEDBACK_SELF .*\(<receiver>\)\n$/);
    const value = run('kudos', 'give', 'E2', '--from', 'E1', '--message', 'x', '--value', 'Teamwrk');
    expect(value.code).toBe(2);
    expect(value.stderr).toMatch(/^error APPRAISE_FEEDBACK_UNKNOWN_VALUE "Teamwrk" is not one of the organisation's values\. Did you mean `Teamwork`\?.*\(--value\)\n$/);
    const nobody = run('kudos', 'give', 'E2', '--from', 'E9', '--message', 'x');
    expect([nobody.code, nobody.stderr]).toEqual([1, expect.stringMatching(/^error APPRAISE_EMPLOYEE_NOT_FOUND There is no employee "E9".*\n$/)]);
  });
});
