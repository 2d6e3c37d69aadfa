// Policy test coverage: which outcomes of each rule, comparison and shared condition the tests
// saw, computed from real test runs of a small policy whose outcomes are known by hand.
import { beforeAll, describe, expect, it } from 'vitest';
import { registryFromManifests } from '../../core/plugins/catalogue.ts';
import { coverageReport, policyCoverage, type PolicyCoverage } from '../../core/policy/coverage.ts';
import { coverageText, uncoveredLines } from '../../core/policy/coverage-text.ts';
import { junitXml } from '../../core/policy/junit.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { runPolicyTests } from '../../core/policy/run-tests.ts';
import type { PolicyTest } from '../../core/policy/types.ts';
import { COVERAGE_POLICY, TWO_TESTS } from './coverage-fixture.ts';
import type { Registry } from '../../core/registry/registry.ts';

const UNKNOWN_TENURE: PolicyTest = { name: 'tenure unknown', facts: { csat: 2.5 }, expect: { fired: [], indeterminate: ['pip', 'star'] } };

let registry: Registry;
beforeAll(async () => {
  registry = await registryFromManifests();
});

async function coverageOf(tests: PolicyTest[]): Promise<PolicyCoverage> {
  const loaded = loadPolicyText('cov.policy.yaml', COVERAGE_POLICY, registry);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const results = await runPolicyTests(loaded.policy!, tests.map((test) => ({ file: 'cov.test.yaml', test })), registry);
  expect(results.every((r) => r.passed)).toBe(true);
  return policyCoverage({ file: 'cov.policy.yaml', policy: loaded.policy!, source: loaded.source }, results);
}

const seen = (s: Record<string, boolean>) => Object.keys(s).filter((k) => s[k]);

describe('policy test coverage', () => {
  it('records which outcome each rule and each comparison had in some test', async () => {
    const c = await coverageOf(TWO_TESTS);
    expect(c.rules.map((r) => [r.ruleId, seen(r.seen)])).toEqual([
      ['pip', ['fired', 'notFired']],
      ['star', ['fired', 'notFired']],
    ]);
    expect(c.conditions.map((x) => [x.text, x.in, seen(x.seen)])).toEqual([
      ['csat below 3', { rule: 'pip' }, ['true', 'false']],
      ['csat at least 4.5', { rule: 'star' }, ['true', 'false']],
      // Inside the `not`: true in the first case, undecided when NPS is missing.
      ['nps below 50', { rule: 'star' }, ['true', 'undecided']],
      // The shared condition's comparison counts once, where it is written.
      ['employee.tenureDays at least 90', { condition: 'established' }, ['true']],
      ['nps above 0', { condition: 'spare' }, []],
    ]);
    expect(c.sharedConditions.map((s) => [s.name, s.used])).toEqual([['established', true], ['spare', false]]);
    expect(c.summary).toEqual({
      rulesFired: { covered: 2, total: 2 },
      ruleOutcomes: { covered: 4, total: 6 },
      conditionOutcomes: { covered: 7, total: 15 },
      sharedConditions: { covered: 1, total: 2 },
      percent: (100 * 12) / 23,
    });
  });

  it('sees a rule and a shared comparison left undecided by missing data', async () => {
    const c = await coverageOf([...TWO_TESTS, UNKNOWN_TENURE]);
    expect(c.rules.map((r) => seen(r.seen))).toEqual([['fired', 'notFired', 'undecided'], ['fired', 'notFired', 'undecided']]);
    expect(seen(c.conditions.find((x) => x.text.startsWith('employee.tenureDays'))!.seen)).toEqual(['true', 'undecided']);
    expect(c.summary.percent).toBeCloseTo((100 * 15) / 23);
  });

  it('lists every uncovered outcome at the file:line:col where it is written', async () => {
    expect(uncoveredLines(await coverageOf(TWO_TESTS))).toEqual([
      'cov.policy.yaml:13:11 `employee.tenureDays at least 90` (shared condition `established`): no test where it does not hold, or cannot be decided',
      'cov.policy.yaml:16:5 shared condition `spare`: no test uses it',
      'cov.policy.yaml:18:11 `nps above 0` (shared condition `spare`): no test where it holds, or does not hold, or cannot be decided',
      'cov.policy.yaml:22:7 rule `pip`: no test where it cannot be decided',
      'cov.policy.yaml:27:13 `csat below 3` (rule `pip`): no test where it cannot be decided',
      'cov.policy.yaml:31:7 rule `star`: no test where it cannot be decided',
      'cov.policy.yaml:35:13 `csat at least 4.5` (rule `star`): no test where it cannot be decided',
      'cov.policy.yaml:39:15 `nps below 50` (rule `star`): no test where it does not hold',
    ]);
  });

  it('a policy without tests is uncovered, and the totals add up over policies', async () => {
    const none = await coverageOf([]);
    expect(none.summary.rulesFired).toEqual({ covered: 0, total: 2 });
    expect(none.summary.percent).toBe(0);
    const report = coverageReport([none, await coverageOf(TWO_TESTS)]);
    expect(report.summary.rulesFired).toEqual({ covered: 2, total: 4 });
    expect(report.summary.percent).toBeCloseTo((100 * 12) / 46);
    expect(coverageText(report)).toContain('Coverage: 26% of all outcomes seen (rules, conditions and shared conditions); rules applied by some test: 2/4 (50%)');
  });

  it('JUnit carries the figures as properties and the uncovered list as system-out', async () => {
    const loaded = loadPolicyText('cov.policy.yaml', COVERAGE_POLICY, registry);
    const results = await runPolicyTests(loaded.policy!, TWO_TESTS.map((test) => ({ file: 'cov.test.yaml', test })), registry);
    const xml = junitXml(results, coverageReport([policyCoverage({ file: 'cov.policy.yaml', policy: loaded.policy!, source: loaded.source }, results)]));
    expect(xml).toContain('<property name="coverage.rulesFired" value="2/2 (100%)"/>');
    expect(xml).toContain('<property name="coverage.percent" value="52.1%"/>');
    expect(xml).toMatch(/<system-out>Not covered by any test:\ncov\.policy\.yaml:13:11 `employee\.tenureDays at least 90`/);
  });
});
