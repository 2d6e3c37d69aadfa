// `goals add`, `goals list` and `goals progress` as a user types them: a measured goal is
// listed with its measure in words and its progress as of a date; a mistyped metric is a usage
// error naming the flag, with a did-you-mean.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../core/store/migrate.ts';
import { openStore } from '../../core/store/store.ts';
import { cli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'appraise-goals-cli-'));
const dataDir = join(dir, 'store');

beforeAll(async () => {
  const store = await openStore({ dataDir, databaseUrl: '' });
  try {
    await migrate(store);
    await store.query(`INSERT INTO employees (id, name, content_hash) VALUES ('E1', 'Ana', 'x')`);
    for (const [i, csat] of [5, 4, 4, 5].entries()) {
      await store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('customer-feedback.survey', 'E1', $1, $2::jsonb, $3)`, [`2026-10-0${i + 2}T10:00:00Z`, JSON.stringify({ csat }), `s${i}`]);
    }
  } finally {
    await store.close();
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => cli([...args, '--data-dir', dataDir]);

describe('appraise goals', { timeout: 180_000 }, () => {
  it('adds a measured goal, lists it and shows its progress as of a date', () => {
    const add = run('goals', 'add', 'E1', '--title', 'CSAT 4.3 this quarter', '--start', '2026-10-01', '--due', '2026-12-31', '--metric', 'customer-feedback.csat', '--target', '4.3', '--min-samples', '4', '--actor', 'hana');
    expect(add.stderr).toBe('');
    expect(add.stdout).toMatch(/^#1 {2}active {4}CSAT 4\.3 this quarter {2}\(E1; 2026-10-01 to 2026-12-31\)\n {6}measured by Customer satisfaction \(CSAT\) at least 4\.3 \(from at least 4 records\)\n$/);
    expect(run('goals', 'list', 'E1').stdout).toContain('#1  active    CSAT 4.3 this quarter');
    const early = run('goals', 'progress', 'E1', '--as-of', '2026-10-04');
    expect(early.stdout).toContain('Not enough data yet: 2 of the 4 records needed so far (2026-10-01 to 2026-10-04).');
    const later = run('goals', 'progress', 'E1', '--as-of', '2026-11-01');
    expect(later.stdout).toContain('Met: Customer satisfaction (CSAT) is 4.5 from 4 records so far (2026-10-01 to 2026-11-01); the target is at least 4.3.');
  });

  it('a mistyped metric names the flag and suggests the closest', () => {
    const r = run('goals', 'add', 'E1', '--title', 't', '--due', '2099-01-01', '--metric', 'customer-feedback.cast', '--target', '4');
    expect(r.stderr).toBe('error APPRAISE_GOAL_UNKNOWN_METRIC --metric: no plugin contributes the metric `customer-feedback.cast`. Did you mean `customer-feedback.csat`? Run `npx appraise plugins` to list the metrics.\n');
    expect(r.code).toBe(2);
  });

  it('a target outside the metric\'s range and a bad date are refused with the flag', () => {
    expect(run('goals', 'add', 'E1', '--title', 't', '--due', '2099-01-01', '--metric', 'customer-feedback.csat', '--target', '9').stderr)
      .toMatch(/^error APPRAISE_GOAL_INVALID_MEASURE --target: Customer satisfaction \(CSAT\) is between 1 and 5/);
    expect(run('goals', 'add', 'E1', '--title', 't', '--due', '2099-13-01').stderr).toMatch(/^error APPRAISE_DATE_INVALID --due /);
  });
});
