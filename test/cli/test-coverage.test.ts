// `npx appraise test --coverage` through the real command: the text report with file:line:col,
// --min-coverage failing an HR team's CI, JSON and JUnit output, and the shipped policies.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { COVERAGE_POLICY, TWO_TESTS } from '../policy/coverage-fixture.ts';
import { cli } from './run-cli.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'appraise-coverage-'));
  writeFileSync(join(dir, 'cov.policy.yaml'), COVERAGE_POLICY);
  writeFileSync(join(dir, 'cov.test.yaml'), stringify({ apiVersion: 'appraise/v1', kind: 'PolicyTests', policy: 'cov', tests: TWO_TESTS }));
});

describe('npx appraise test --coverage', () => {
  it('prints the figures per policy and each uncovered outcome at its file:line:col', () => {
    const r = cli(['test', dir, '--coverage']);
    expect(r.code).toBe(0);
    const file = join(dir, 'cov.policy.yaml');
    expect(r.stdout).toContain(`Coverage of cov (${file}, 2 tests)`);
    expect(r.stdout).toContain('  rules applied by some test: 2/2 (100%)');
    expect(r.stdout).toContain('  condition outcomes (holds, does not hold, cannot be decided): 7/15 (46.6%)');
    expect(r.stdout).toContain(`    ${file}:27:13 \`csat below 3\` (rule \`pip\`): no test where it cannot be decided`);
    expect(r.stdout).toContain(`    ${file}:16:5 shared condition \`spare\`: no test uses it`);
    expect(r.stdout).toContain('Coverage: 52.1% of all outcomes seen');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('2 passed, 0 failed');
  });

  it('--min-coverage fails with exit 1 and a coded message when the coverage is below it', () => {
    const below = cli(['test', dir, '--min-coverage', '60']);
    expect(below.code).toBe(1);
    expect(below.stderr).toContain('error APPRAISE_COVERAGE_BELOW_MINIMUM The tests cover 52.1% of all rule and condition outcomes, below --min-coverage 60.');
    expect(below.stdout).toContain('2 passed, 0 failed');
    expect(cli(['test', dir, '--min-coverage', '50']).code).toBe(0);
    expect(cli(['test', dir, '--min-coverage', 'most']).code).toBe(2);
  });

  it('--format json prints the results and the coverage', () => {
    const r = cli(['test', dir, '--coverage', '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ passed: 2, failed: 0, tests: [{ policyId: 'cov', name: 'low csat after 90 days', passed: true }, { name: 'high csat, no nps' }] });
    const [policy] = out.coverage.policies;
    expect(policy.rules[0]).toEqual({ ruleId: 'pip', file: join(dir, 'cov.policy.yaml'), line: 22, column: 7, seen: { fired: true, notFired: true, undecided: false } });
    expect(policy.conditions[2]).toMatchObject({ text: 'nps below 50', in: { rule: 'star' }, line: 39, column: 15, seen: { true: true, false: false, undecided: true } });
    expect(policy.sharedConditions).toMatchObject([{ name: 'established', used: true }, { name: 'spare', used: false }]);
    expect(out.coverage.summary).toMatchObject({ rulesFired: { covered: 2, total: 2 }, conditionOutcomes: { covered: 7, total: 15 } });
  });

  it('the JUnit report carries the coverage summary', () => {
    const xmlFile = join(dir, 'report.xml');
    expect(cli(['test', dir, '--coverage', '--reporter', 'junit', '--output', xmlFile]).code).toBe(0);
    const xml = readFileSync(xmlFile, 'utf8');
    expect(xml).toMatch(/<testsuite name="cov"[^>]*>\s*<properties>\s*<property name="coverage.rulesFired" value="2\/2 \(100%\)"\/>/);
    expect(xml).toContain('<property name="coverage.percent" value="52.1%"/>');
    expect(xml).toContain('shared condition `spare`: no test uses it');
  });

  it('the shipped policies\' tests apply every rule at least once', () => {
    const r = cli(['test', 'rules/', '--coverage', '--format', 'json']);
    expect(r.code).toBe(0);
    const { coverage } = JSON.parse(r.stdout);
    expect(coverage.policies.map((p: { policyId: string }) => p.policyId).sort()).toEqual(['new-hires', 'sales-reps', 'support-agents']);
    for (const p of coverage.policies) {
      const never = p.rules.filter((x: { seen: { fired: boolean } }) => !x.seen.fired).map((x: { ruleId: string }) => x.ruleId);
      expect(never, p.policyId).toEqual([]);
    }
    expect(coverage.summary.rulesFired.covered).toBe(coverage.summary.rulesFired.total);
  });
});
