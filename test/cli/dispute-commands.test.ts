// `appraise disputes list|show|resolve` as HR types them: the open disputes, one in full, and a
// resolution; mistakes are usage errors naming the flags (exit 2).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../core/store/migrate.ts';
import { openStore } from '../../core/store/store.ts';
import { raiseDispute } from '../../core/people/disputes/disputes.ts';
import { insertCase } from '../cases/helpers.ts';
import { cli, expectError } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'appraise-dispute-cli-'));
const dataDir = join(dir, 'store');
const ids = { coaching: 0, dispute: 0 };

beforeAll(async () => {
  const store = await openStore({ dataDir, databaseUrl: '' });
  try {
    await migrate(store);
    ids.coaching = await insertCase(store, { type: 'coaching', status: 'completed', employeeId: 'E7' });
    ids.dispute = await raiseDispute(store, { name: 'e7', role: 'employee', employeeId: 'E7' }, { subjectType: 'case', subjectId: ids.coaching, reason: 'The surveys were of the team I covered for.' });
  } finally {
    await store.close();
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => cli([...args, '--data-dir', dataDir], { env: { APPRAISE_AUTHOR: 'hr-ana' } });

describe('appraise disputes', () => {
  it('list shows the open disputes; a mistyped status is a usage error with a did-you-mean', () => {
    const r = run('disputes', 'list');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^#${ids.dispute} +open +Coaching case #${ids.coaching} +E7 .*raised by e7 \\(employee\\)`, 'm'));
    expectError(run('disputes', 'list', '--status', 'overtruned'), 2,
      'error APPRAISE_DISPUTE_UNKNOWN_STATUS --status: `overtruned` is not a dispute status. Did you mean `overturned`? The statuses are open, upheld, amended, overturned and withdrawn.');
  });

  it('show prints the reason and how to resolve it', () => {
    const r = run('disputes', 'show', String(ids.dispute));
    expect(r.stdout).toContain('Reason: The surveys were of the team I covered for.');
    expect(r.stdout).toContain(`Resolve: npx appraise disputes resolve ${ids.dispute} --uphold|--amend|--overturn --note "…"`);
    expectError(run('disputes', 'show', '999'), 1, 'error APPRAISE_DISPUTE_NOT_FOUND There is no dispute 999. `npx appraise disputes list` lists them.');
  });

  it('resolve needs one decision and a note, and names the flags', () => {
    expectError(run('disputes', 'resolve', String(ids.dispute), '--note', 'x'), 2, 'error APPRAISE_USAGE Give exactly one of --uphold, --amend or --overturn.');
    expectError(run('disputes', 'resolve', String(ids.dispute), '--overturn'), 2, 'error APPRAISE_DISPUTE_NOTE_REQUIRED Say why you overturn it: the employee reads this (--note).');
    expectError(run('disputes', 'resolve', String(ids.dispute), '--amend', '--note', 'x', '--goal', 'CSAT 4'), 1,
      "error APPRAISE_DISPUTE_BAD_AMENDMENT --goal: only an approved or running PIP takes a new plan, and this is a coaching case. Amend it with the note alone, or overturn it.");
  });

  it('resolve --overturn closes the case as overturned; the queue is then empty', () => {
    const r = run('disputes', 'resolve', String(ids.dispute), '--overturn', '--note', 'The covered team’s surveys are excluded.');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`dispute ${ids.dispute}: open → overturned (Coaching case #${ids.coaching} is now overturned)\n`);
    expect(run('disputes', 'list').stdout).toBe('No dispute waits for a decision.\n');
    expect(run('case', String(ids.coaching)).stdout).toMatch(/^Case #\d+: coaching, overturned$/m);
  });
});
