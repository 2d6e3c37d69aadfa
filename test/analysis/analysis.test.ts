// Static analysis (issue 18): a corpus of small policies with one planted problem each. Every
// finding is asserted at its line:col, and its witness is replayed through the reference
// evaluator exactly as `npx appraise explain` does; the shipped policies report no warning, and
// random facts never make a rule called never-applying or unreachable count.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyzePolicy, type Finding } from '../../core/analysis/analyze.ts';
import { analysisDiagnostics } from '../../core/analysis/diagnostics.ts';
import { compilePolicy } from '../../core/evaluate/compile.ts';
import { evaluate, type EvaluationResult } from '../../core/evaluate/evaluate.ts';
import type { EmployeeFacts } from '../../core/evaluate/facts.ts';
import { registryFromManifests } from '../../core/plugins/catalogue.ts';
import { loadPolicyFile, loadPolicyText } from '../../core/policy/load.ts';
import { factsFromValues } from '../../core/policy/run-tests.ts';
import { loadWorkspace } from '../../core/policy/workspace.ts';
import type { Policy } from '../../core/policy/types.ts';
import type { Registry } from '../../core/registry/registry.ts';
import { cli } from '../cli/run-cli.ts';

const CORPUS = fileURLToPath(new URL('../fixtures/analysis/', import.meta.url));
let registry: Registry;
beforeAll(async () => {
  registry = await registryFromManifests();
});

async function analysed(name: string) {
  const loaded = await loadPolicyFile(`${CORPUS}${name}.policy.yaml`, registry);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const policy = loaded.policy!;
  const compiled = compilePolicy(policy, registry);
  // Gap notes (information, test/analysis/gaps.test.ts) are left out: these are the warnings.
  const diagnostics = analysisDiagnostics(loaded, registry).filter((d) => d.severity !== 'info').map((d) => ({ code: d.code, severity: d.severity, at: `${d.line}:${d.column}`, message: d.message }));
  return { policy, compiled, diagnostics, analysis: analyzePolicy(compiled, registry) };
}

/** What `explain --facts … --employee …` evaluates for a witness. */
async function replay(policy: Policy, finding: Finding): Promise<EvaluationResult> {
  const compiled = compilePolicy(policy, registry);
  const w = finding.witness!;
  return evaluate(compiled, w.employee as unknown as EmployeeFacts, factsFromValues(policy, registry, compiled.requirements, w.facts));
}

const statusOf = (r: EvaluationResult, id: string) => r.rules.find((x) => x.ruleId === id)?.status;

describe('policy analysis on a corpus of planted problems', () => {
  it('a rule whose conditions contradict each other is reported at the rule, and nothing else is', async () => {
    const { diagnostics, analysis } = await analysed('contradiction');
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'APPRAISE_ANALYSIS_NEVER_APPLIES', severity: 'warning', at: '11:7' })]);
    expect(diagnostics[0].message).toContain('`impossible-coaching` can never apply');
    expect(analysis.undecided).toEqual([]);
  });

  it('a condition true for every value of its metric is reported at its threshold', async () => {
    const { diagnostics } = await analysed('always-true');
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'APPRAISE_ANALYSIS_ALWAYS_TRUE', at: '15:65' })]);
    expect(diagnostics[0].message).toContain('`nps greaterThanInclusive -100` holds for every possible value of `nps`');
  });

  it('recognition on the worse side and coaching on the better side are reported with a value that triggers them', async () => {
    const { policy, diagnostics, analysis } = await analysed('inverted');
    expect(diagnostics.map((d) => [d.code, d.at])).toEqual([
      ['APPRAISE_ANALYSIS_WRONG_DIRECTION', '15:54'],
      ['APPRAISE_ANALYSIS_WRONG_DIRECTION', '18:60'],
    ]);
    expect(diagnostics[0].message).toContain('for `csat` higher is better');
    const [award, coach] = analysis.findings;
    expect(award.witness!.facts.csat).toBeLessThan(3);
    expect(statusOf(await replay(policy, award), 'low-csat-award')).toBe('fired');
    expect(coach.witness!.facts.nps).toBeGreaterThanOrEqual(60);
    expect((await replay(policy, coach)).fired).toContain('coach-on-high-nps');
  });

  it('a threshold outside the metric range is already an error of validate, so analysis never sees it', async () => {
    const loaded = await loadPolicyFile(`${CORPUS}out-of-range.policy.yaml`, registry);
    expect(loaded.policy).toBeUndefined();
    expect(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, `${d.line}:${d.column}`])).toEqual([['APPRAISE_POLICY_OUT_OF_RANGE', '12:62']]);
    expect(analysisDiagnostics(loaded, registry)).toEqual([]);
  });

  it('under collect, recognition and a PIP that can meet are reported with the employee who gets both', async () => {
    const { policy, diagnostics, analysis } = await analysed('overlap');
    expect(diagnostics.map((d) => [d.code, d.at])).toEqual([['APPRAISE_ANALYSIS_CONFLICTING_OUTCOMES', '11:7']]);
    const [f] = analysis.findings;
    expect(f.others).toEqual(['pip-low-csat']);
    expect((await replay(policy, f)).fired.sort()).toEqual(['loyal-customers', 'pip-low-csat']);
  });

  it('under first, a rule every case of which a higher rule catches is unreachable, naming the catcher', async () => {
    const { policy, diagnostics, analysis } = await analysed('unreachable');
    expect(diagnostics.map((d) => [d.code, d.at])).toEqual([['APPRAISE_ANALYSIS_UNREACHABLE', '15:7']]);
    expect(diagnostics[0].message).toContain('higher-priority rule `pip-low` counts instead');
    const [f] = analysis.findings;
    const r = await replay(policy, f);
    expect(statusOf(r, 'coach-very-low')).toBe('shadowed');
    expect(r.fired).toEqual(['pip-low']);
  });

  it('the replay command in a warning runs as printed and shows the outcomes it claims', async () => {
    const { diagnostics } = await analysed('overlap');
    const m = /--facts '([^']+)'/.exec(diagnostics[0].message)!;
    const r = cli(['explain', `${CORPUS}overlap.policy.yaml`, '--facts', m[1], '--format', 'json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as EvaluationResult).fired.sort()).toEqual(['loyal-customers', 'pip-low-csat']);
  });

  it('the shipped policies get no analysis warning, only a note of where no rule applies, and every question on them is decided', async () => {
    const ws = await loadWorkspace([fileURLToPath(new URL('../../rules/', import.meta.url))], registry);
    expect(ws.byId.size).toBeGreaterThanOrEqual(3);
    for (const loaded of ws.byId.values()) {
      expect(analysisDiagnostics(loaded, registry).map((d) => [d.severity, d.code])).toEqual([['info', 'APPRAISE_ANALYSIS_GAP']]);
      expect(analyzePolicy(compilePolicy(loaded.policy, registry), registry).undecided).toEqual([]);
    }
  });

  it('a plugin operator or a fact compared with another fact leaves the rule undecided, never proven', async () => {
    const text = `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: opaque, title: Opaque, owner: hr@example.com }
spec:
  appliesTo: { roles: [support-agent] }
  facts:
    csat: { metric: customer-feedback.csat }
    csatLastQuarter: { metric: customer-feedback.csat, offset: 90d }
  rules:
    - id: dropped
      when: { all: [{ fact: csat, operator: lessThan, value: { fact: csatLastQuarter } }, { fact: csat, operator: greaterThan, value: { fact: csatLastQuarter } }] }
      then: { outcome: coaching }
`;
    const loaded = loadPolicyText('opaque.policy.yaml', text, registry);
    // Said at the rule, so that silence is never read as a proof.
    expect(analysisDiagnostics(loaded, registry).map((d) => [d.code, d.severity, d.line, d.message])).toEqual([
      ['APPRAISE_ANALYSIS_NOT_CHECKED', 'info', 10, 'The analysis could not check the rule `dropped` (`csat` is compared with another fact), so it says nothing about whether it can apply or is caught by another rule. `npx appraise test` with cases for it is the way to check it.'],
      ['APPRAISE_ANALYSIS_GAP', 'info', 9, 'Where no rule applies could not be worked out: the rule `dropped` cannot be reasoned about (`csat` is compared with another fact).'],
    ]);
    expect(analyzePolicy(compilePolicy(loaded.policy!, registry), registry).undecided).toEqual([
      { ruleId: 'dropped', reason: '`csat` is compared with another fact' },
      { reason: 'where no rule applies: the rule `dropped` cannot be reasoned about (`csat` is compared with another fact)' },
    ]);
  });
});

describe('claims of the analysis hold on random facts', () => {
  // Values near the thresholds of the corpus, anywhere in range, or missing.
  const value = (lo: number, hi: number, near: number[]) =>
    fc.oneof(fc.constantFrom(...near), fc.double({ min: lo, max: hi, noNaN: true }), fc.constant(undefined));

  it('a rule reported as never applying never applies', async () => {
    const { policy, compiled, analysis } = await analysed('contradiction');
    const never = analysis.findings.filter((f) => f.kind === 'never-applies').map((f) => f.ruleId);
    expect(never).toEqual(['impossible-coaching']);
    await fc.assert(fc.asyncProperty(value(1, 5, [1, 3, 3.5, 4, 5]), value(-100, 100, [-100, 0, 100]), async (csat, nps) => {
      const r = await evaluate(compiled, undefined, factsFromValues(policy, registry, compiled.requirements, { csat, nps }));
      for (const id of never) expect(r.fired).not.toContain(id);
    }), { numRuns: 300 });
  });

  it('a rule reported as unreachable never counts', async () => {
    const { policy, compiled, analysis } = await analysed('unreachable');
    const unreachable = analysis.findings.filter((f) => f.kind === 'unreachable').map((f) => f.ruleId);
    expect(unreachable).toEqual(['coach-very-low']);
    await fc.assert(fc.asyncProperty(value(1, 5, [1, 3, 3.2, 3.5, 4.5, 5]), value(-100, 100, [-100, 0, 100]), async (csat, nps) => {
      const r = await evaluate(compiled, undefined, factsFromValues(policy, registry, compiled.requirements, { csat, nps }));
      for (const id of unreachable) expect(r.fired).not.toContain(id);
    }), { numRuns: 300 });
  });
});
