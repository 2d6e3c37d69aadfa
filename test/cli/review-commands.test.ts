// `reviews open|list|show` as a user types them: a cycle opened from a template id, its progress
// and its reviews listed, one review shown; mistakes are coded usage errors (exit 2) naming the
// CLI's flags, and a broken template file prints its problems at their line and column.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../core/store/migrate.ts';
import { openStore } from '../../core/store/store.ts';
import { cli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'appraise-review-cli-'));
const dataDir = join(dir, 'store');

beforeAll(async () => {
  const store = await openStore({ dataDir, databaseUrl: '' });
  try {
    await migrate(store);
    await store.query(`INSERT INTO employees (id, name, role, manager_id, content_hash) VALUES ('m1', 'Mia Lead', 'team-lead', null, 'x'), ('a1', 'Ana Agent', 'agent', 'm1', 'x'), ('a2', 'Bo Agent', 'agent', 'm1', 'x')`);
  } finally {
    await store.close();
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => cli([...args, '--data-dir', dataDir]);

describe('appraise reviews', () => {
  it('opens a cycle for the agents, and opening it again adds nobody', () => {
    const r = run('reviews', 'open', '2026-Q1', '--template', 'quarterly', '--due', '2026-04-10', '2026-04-20', '2026-04-30', '--roles', 'agent', '--actor', 'hr-ana');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('cycle 2026-Q1: 2 review(s) created\n');
    expect(run('reviews', 'open', '2026-Q1', '--template', 'quarterly', '--due', '2026-04-10', '2026-04-20', '2026-04-30', '--roles', 'agent').stdout).toBe('cycle 2026-Q1: 0 review(s) created, 2 already open\n');
  }, 60_000);

  it('lists the cycles with their progress, the reviews of one, and shows a review', () => {
    expect(run('reviews', 'list').stdout).toMatch(/^2026-Q1 {2}Quarterly review 2026-Q1: 2 review\(s\), 0 self-assessed, 0 signed off, \d overdue; due 2026-04-10 \/ 2026-04-20 \/ 2026-04-30\n$/);
    const rows = run('reviews', 'list', '2026-Q1').stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^#1 {2}open {13}a1 Ana Agent {2}self due 2026-04-10 OVERDUE$/);
    expect(rows.at(-1)).toBe('2 of 2 review(s).');
    const show = run('reviews', 'show', '1');
    expect(show.stdout).toContain('Review #1: Quarterly review 2026-Q1, Ana Agent (a1); manager Mia Lead');
    expect(show.stdout).toContain('  Customer outcomes (weight 40): not rated');
  }, 60_000);

  it('HR moves a deadline with a note; a step that does not exist is a usage error', () => {
    expect(run('reviews', 'extend', '2026-Q1', '--step', 'self', '--due', '2099-01-01', '--note', 'Holidays').stdout).toBe('cycle 2026-Q1: the self deadline of 2 review(s) moved to 2099-01-01\n');
    expect(run('reviews', 'list', '2026-Q1').stdout).not.toContain('OVERDUE');
    const bad = run('reviews', 'extend', '2026-Q1', '--step', 'selfie', '--due', '2099-01-01', '--note', 'x');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('error APPRAISE_REVIEW_MISSING_FIELD --step must be self, manager, signoff (the self-assessment, manager assessment, sign-off), not `selfie`.\n');
  }, 60_000);

  it('mistakes are usage errors in the CLI\'s words', () => {
    const two = run('reviews', 'open', '2026-Q2', '--template', 'quarterly', '--due', '2026-07-10', '2026-07-20');
    expect(two).toMatchObject({ code: 2, stdout: '' });
    expect(two.stderr).toBe('error APPRAISE_USAGE --due takes three dates (self-assessment, manager assessment, sign-off), such as --due 2026-12-15 2027-01-05 2027-01-15; 2 given.\n');
    const typo = run('reviews', 'open', '2026-Q2', '--template', 'quartely', '--due', '2026-07-10', '2026-07-20', '2026-07-30');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('error APPRAISE_REVIEW_TEMPLATE_NOT_FOUND There is no review template `quartely`. Did you mean `quarterly`?');
    const order = run('reviews', 'open', '2026-Q2', '--template', 'quarterly', '--due', '2026-07-10', '2026-07-05', '2026-07-30');
    expect(order.code).toBe(2);
    expect(order.stderr).toContain('Move --due (second date) later.');
    const status = run('reviews', 'list', '2026-Q1', '--status', 'signed');
    expect(status.code).toBe(2);
  }, 60_000);

  it('a broken template file prints each problem at its line and column', () => {
    const file = join(dir, 'broken.review.yaml');
    writeFileSync(file, 'apiVersion: appraise/v1\nkind: ReviewTemplate\nmetadata: { id: b, title: B }\nspec:\n  scales: { five: { min: 1, max: 5 } }\n  sections:\n    - { id: a, title: A, scale: fiv, weight: 1 }\n');
    const r = run('reviews', 'open', '2026-Q2', '--template', file, '--due', '2026-07-10', '2026-07-20', '2026-07-30');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:7:33 error APPRAISE_REVIEW_TEMPLATE_UNKNOWN_SCALE There is no scale \`fiv\` in spec.scales. Did you mean \`five\`?`);
    expect(r.stderr).toContain('error APPRAISE_REVIEW_TEMPLATE_INVALID');
  }, 60_000);
});
