// `cases`, `case` and `exempt` as a user types them: mistakes in what was typed are usage errors
// (exit 2) with a code, a did-you-mean and the valid values; messages name the CLI's flags, never
// the API's body fields; dates show the format expected and the value given.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../core/store/migrate.ts';
import { openStore } from '../../core/store/store.ts';
import { insertCase } from '../cases/helpers.ts';
import { cli, expectError } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'appraise-case-cli-'));
const dataDir = join(dir, 'store');
const ids = { proposedPip: 0, openCoaching: 0, acknowledgedPip: 0 };

beforeAll(async () => {
  const store = await openStore({ dataDir, databaseUrl: '' });
  try {
    await migrate(store);
    ids.proposedPip = await insertCase(store, { type: 'pip', status: 'proposed', employeeId: 'E1' });
    ids.openCoaching = await insertCase(store, { type: 'coaching', status: 'open', employeeId: 'E2' });
    ids.acknowledgedPip = await insertCase(store, { type: 'pip', status: 'acknowledged', employeeId: 'E3' });
  } finally {
    await store.close();
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => cli([...args, '--data-dir', dataDir]);

describe('appraise cases: filters that match nothing because they are mistyped', () => {
  it('an unknown status is a usage error with a did-you-mean, not "No cases match"', () => {
    expectError(run('cases', '--status', 'propsed'), 2,
      'error APPRAISE_CASE_UNKNOWN_STATUS --status: `propsed` is not a case status. Did you mean `proposed`? The statuses are open, delivered, acknowledged, overturned, scheduled, completed, cancelled, superseded, proposed, approved, rejected, paused, active, extended, succeeded and failed.');
  });

  it('a status the type never has says so, with the statuses of the type', () => {
    expectError(run('cases', '--status', 'proposed', '--type', 'coaching'), 2,
      'error APPRAISE_CASE_UNKNOWN_STATUS --status: a coaching case is never `proposed`. Its statuses are open, scheduled, completed, cancelled, superseded and overturned.');
  });

  it('an unknown type is a usage error with a did-you-mean', () => {
    expectError(run('cases', '--type', 'pips'), 2,
      'error APPRAISE_CASE_UNKNOWN_TYPE --type: `pips` is not a case type. Did you mean `pip`? The types are recognition, coaching and pip.');
  });

  it('known statuses, also comma-separated, still list the cases', () => {
    const r = run('cases', '--status', 'open,proposed');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^#\d+ +coaching +open +E2/m);
    expect(r.stdout).toMatch(/^#\d+ +pip +proposed +E1/m);
    expect(r.stdout).toContain('2 of 2 case(s).');
  });
});

describe('appraise case <id> <action>', () => {
  it('an unknown action is a usage error with a did-you-mean and the actions', () => {
    expectError(run('case', String(ids.proposedPip), 'aprove'), 2,
      'error APPRAISE_CASE_UNKNOWN_ACTION `aprove` is not a case action. Did you mean `approve`? The actions are deliver, acknowledge, schedule, complete, cancel, approve, plan, reject, start, edit-goals, extend, succeed, fail and check-in.');
  });

  it('an action of another type of case is a usage error listing what is possible', () => {
    expectError(run('case', String(ids.proposedPip), 'deliver'), 2,
      'error APPRAISE_CASE_UNKNOWN_ACTION `deliver` is not an action on a PIP. The actions on a PIP are approve, plan, reject, acknowledge, start, edit-goals, extend, succeed, fail and cancel. Possible now: approve, reject or cancel.');
  });

  it('an action the status does not allow is refused in English, with what is possible now', () => {
    expectError(run('case', String(ids.proposedPip), 'start'), 1,
      'error APPRAISE_CASE_ILLEGAL_TRANSITION A PIP in status proposed cannot be started (only one in status acknowledged can be). Possible now: approve, reject or cancel.');
  });

  it('hints name the flags: --note, --scheduled-for, --check-in-every, --support, --due', () => {
    expectError(run('case', String(ids.proposedPip), 'approve'), 2,
      'error APPRAISE_CASE_NOTE_REQUIRED To approve a PIP, give a note saying why (--note).');
    expectError(run('case', String(ids.openCoaching), 'schedule'), 2,
      'error APPRAISE_CASE_MISSING_FIELD To schedule a coaching case, give the date of the coaching session (--scheduled-for).');
    const pip = String(ids.proposedPip);
    const approve = (...more: string[]) => run('case', pip, 'approve', '--note', 'agreed', '--goals', 'Answer within 2h', '--due', '2099-01-01', ...more);
    expectError(approve('--support', 'Weekly coaching'), 2,
      'error APPRAISE_CASE_MISSING_FIELD To approve a PIP, give the number of days between check-ins (--check-in-every).');
    expectError(approve('--check-in-every', '7'), 2,
      'error APPRAISE_CASE_MISSING_FIELD To approve a PIP, give the support offered (coaching, training, time) (--support).');
    expectError(approve('--check-in-every', '0', '--support', 'Weekly coaching'), 2,
      'error APPRAISE_CASE_MISSING_FIELD --check-in-every must be a whole number of days from 1 to 90, not 0.');
    expectError(approve('--check-in-every', 'two', '--support', 'Weekly coaching'), 2,
      'error APPRAISE_USAGE --check-in-every must be a whole number of days, not two.');
    expectError(run('case', pip, 'approve', '--note', 'agreed', '--goals', 'Answer within 2h', '--due', '2001-01-01', '--check-in-every', '7', '--support', 'Weekly coaching'), 2,
      'error APPRAISE_CASE_MISSING_FIELD --due must be in the future, not 2001-01-01.');
  });

  it('a date that is not a date shows the expected format and the value given', () => {
    expectError(run('case', String(ids.openCoaching), 'schedule', '--scheduled-for', '31/12/2026'), 2,
      'error APPRAISE_DATE_INVALID --scheduled-for must be YYYY-MM-DD or an ISO 8601 instant such as 2026-12-31T17:00:00Z, not `31/12/2026`.');
  });

  it('a legal action with its flags still works', () => {
    const r = run('case', String(ids.openCoaching), 'schedule', '--scheduled-for', '2026-12-12');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`case ${ids.openCoaching}: open → scheduled\n`);
    expect(r.code).toBe(0);
  });
});

describe('appraise exempt', () => {
  it('an unknown employee gets an employee code, not a case code', () => {
    expectError(run('exempt', 'E9', '--outcome', 'pip', '--until', '2099-01-01', '--reason', 'medical leave'), 1,
      'error APPRAISE_EMPLOYEE_NOT_FOUND There is no employee `E9`. Check the id, or import the employee first.');
  });

  it('--until shows the expected format and the value given', () => {
    expectError(run('exempt', 'E1', '--outcome', 'pip', '--until', '31/12/2026', '--reason', 'medical leave'), 2,
      'error APPRAISE_DATE_INVALID --until must be YYYY-MM-DD or an ISO 8601 instant such as 2026-12-31T17:00:00Z, not `31/12/2026`.');
  });

  it('names its flags, and an unknown outcome gets a did-you-mean', () => {
    expectError(run('exempt', 'E1', '--until', '2099-01-01', '--reason', 'medical leave'), 2,
      'error APPRAISE_USAGE An exemption names a policy (--policy) or an outcome (--outcome), or both.');
    expectError(run('exempt', 'E1', '--outcome', 'pipp', '--until', '2099-01-01', '--reason', 'medical leave'), 2,
      'error APPRAISE_CASE_UNKNOWN_TYPE --outcome: `pipp` is not a case type. Did you mean `pip`? The types are recognition, coaching and pip.');
  });

  it('a known employee is exempted', () => {
    const r = run('exempt', 'E1', '--outcome', 'pip', '--until', '2099-01-01', '--reason', 'medical leave');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('exemption 1: E1 from every policy (pip) until 2099-01-01T00:00:00.000Z\n');
    expect(r.code).toBe(0);
  });
});
