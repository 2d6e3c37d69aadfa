// Gap notes (issue 18): the regions of values where no rule applies, for people with a value for
// every fact. Hand-made policies whose gaps are known exactly; every witness replayed through
// the reference evaluator as `explain` does; random policies whose claims are checked on random
// facts; the note as `validate` prints it and as the editor gets it from the API.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyzePolicy } from '../../core/analysis/analyze.ts';
import { analysisDiagnostics, gapNotes, MAX_GAP_REGIONS_SHOWN } from '../../core/analysis/diagnostics.ts';
import type { FactLimit } from '../../core/analysis/gaps.ts';
import type { Witness } from '../../core/analysis/witness.ts';
import { compilePolicy } from '../../core/evaluate/compile.ts';
import { evaluate } from '../../core/evaluate/evaluate.ts';
import type { EmployeeFacts } from '../../core/evaluate/facts.ts';
import { registryFromManifests } from '../../core/plugins/catalogue.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { factsFromValues } from '../../core/policy/run-tests.ts';
import type { Policy } from '../../core/policy/types.ts';
import type { Registry } from '../../core/registry/registry.ts';
import { cli } from '../cli/run-cli.ts';
import { policyYaml, testServer, type TestServer } from '../server/helpers.ts';

let registry: Registry;
beforeAll(async () => {
  registry = await registryFromManifests();
});

type Rule = { id: string; outcome: string; when: string };

/** A policy over csat (1–5), fcr (0–1) and whatever else the rules read; `rules:` is on line 10. */
function policyText(rules: Rule[], hitPolicy: 'first' | 'collect' = 'first'): string {
  return `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: gaps, title: Gaps, owner: hr@example.com }
spec:
  appliesTo: { roles: [support-agent] }
  hitPolicy: ${hitPolicy}
  facts:
    csat: { metric: customer-feedback.csat }
    fcr: { metric: support.first-contact-resolution }
  rules:
${rules.map((r, i) => `    - id: ${r.id}
      priority: ${rules.length - i}
      when: ${r.when}
      then: { outcome: ${r.outcome} }`).join('\n')}
`;
}

function analysed(text: string) {
  const loaded = loadPolicyText('gaps.policy.yaml', text, registry);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const policy = loaded.policy!;
  const compiled = compilePolicy(policy, registry);
  return { loaded, policy, compiled, analysis: analyzePolicy(compiled, registry) };
}

/** What `explain --facts … --employee …` evaluates for a witness: the rules that fire. */
async function firedFor(policy: Policy, w: Witness): Promise<string[]> {
  const compiled = compilePolicy(policy, registry);
  return (await evaluate(compiled, w.employee as unknown as EmployeeFacts, factsFromValues(policy, registry, compiled.requirements, w.facts))).fired;
}

const COACH_LOW = { id: 'coach-low', outcome: 'coaching', when: '{ all: [{ fact: csat, operator: lessThan, value: 3.8 }] }' };
const STAR = { id: 'star', outcome: 'recognition', when: '{ all: [{ fact: csat, operator: greaterThanInclusive, value: 4.5 }] }' };

describe('gap notes on policies whose gaps are known', () => {
  for (const hitPolicy of ['first', 'collect'] as const) {
    it(`coaching below 3.8 and recognition from 4.5 leave exactly [3.8, 4.5) (hitPolicy ${hitPolicy})`, async () => {
      const { loaded, policy, analysis } = analysed(policyText([COACH_LOW, STAR], hitPolicy));
      expect(analysis.gaps.facts).toEqual(['csat']);
      expect(analysis.gaps.regions.map((r) => r.where)).toEqual([['csat is at least 3.8 and below 4.5']]);
      expect(analysis.gaps.regions[0].limits).toEqual([{ fact: 'csat', from: { value: 3.8, included: true }, to: { value: 4.5, included: false } }]);
      expect(analysis.undecided).toEqual([]);
      const [region] = analysis.gaps.regions;
      expect(region.witness!.facts.csat).toBeGreaterThanOrEqual(3.8);
      expect(region.witness!.facts.csat).toBeLessThan(4.5);
      expect(await firedFor(policy, region.witness!)).toEqual([]);
      const diagnostics = analysisDiagnostics(loaded, registry).map((d) => ({ code: d.code, severity: d.severity, at: `${d.line}:${d.column}`, message: d.message }));
      expect(diagnostics).toEqual([{
        code: 'APPRAISE_ANALYSIS_GAP', severity: 'info', at: '10:3',
        message: 'No rule applies when csat is at least 3.8 and below 4.5 (counting only people with a value for every fact). `npx appraise validate --gaps` lists it with values that `explain` replays.',
      }]);
    });
  }

  it('two facts: the regions are merged along each fact into a few boxes, each with a witness that fires nothing', async () => {
    const { policy, analysis } = analysed(policyText([
      COACH_LOW,
      { id: 'star', outcome: 'recognition', when: '{ all: [{ fact: csat, operator: greaterThanInclusive, value: 4.5 }, { fact: fcr, operator: greaterThanInclusive, value: 0.7 }] }' },
      { id: 'coach-fcr', outcome: 'coaching', when: '{ all: [{ fact: fcr, operator: lessThan, value: 0.5 }] }' },
    ]));
    // By hand: csat ≥ 3.8 and fcr ≥ 0.5, except where csat ≥ 4.5 and fcr ≥ 0.7 (recognition).
    expect(analysis.gaps.regions.map((r) => r.where)).toEqual([
      ['csat is at least 3.8 and below 4.5', 'fcr is at least 0.5'],
      ['csat is at least 4.5', 'fcr is at least 0.5 and below 0.7'],
    ]);
    for (const r of analysis.gaps.regions) expect(await firedFor(policy, r.witness!)).toEqual([]);
  });

  it('yes/no and text facts are described as values, and "not" the named ones when the rest is included', () => {
    const { analysis } = analysed(policyText([
      { id: 'coach', outcome: 'coaching', when: '{ all: [{ fact: csat, operator: lessThan, value: 3.8 }, { fact: history.pip.isActive, operator: equal, value: false }] }' },
      { id: 'star', outcome: 'recognition', when: '{ all: [{ fact: employee.team, operator: in, value: [emea, apac] }] }' },
    ]));
    expect(analysis.gaps.regions.map((r) => r.where)).toEqual([
      ['csat is below 3.8', 'employee.team is not "emea" or "apac"', 'history.pip.isActive is yes'],
      ['csat is at least 3.8', 'employee.team is not "emea" or "apac"'],
    ]);
    expect(analysis.gaps.regions[0].limits).toEqual([
      { fact: 'csat', to: { value: 3.8, included: false } },
      { fact: 'employee.team', notAmong: ['emea', 'apac'] },
      { fact: 'history.pip.isActive', among: [true] },
    ]);
    expect(analysis.gaps.regions[1].witness).toEqual({ facts: { csat: 3.8, 'history.pip.isActive': true }, employee: { team: expect.not.stringMatching(/^(emea|apac)$/) } });
  });

  it('a policy that gives everyone with data an outcome has no gap note', () => {
    const { loaded, analysis } = analysed(policyText([
      { id: 'coach', outcome: 'coaching', when: '{ all: [{ fact: csat, operator: lessThan, value: 4 }] }' },
      { id: 'star', outcome: 'recognition', when: '{ any: [{ fact: csat, operator: greaterThanInclusive, value: 4 }, { fact: fcr, operator: greaterThan, value: 0.9 }] }' },
    ]));
    expect(analysis.gaps.regions).toEqual([]);
    expect(analysis.undecided).toEqual([]);
    expect(analysisDiagnostics(loaded, registry)).toEqual([]);
  });

  it('a rule the analysis cannot reason about makes the gaps undecided, said in a note and never claimed', () => {
    const { loaded, analysis } = analysed(policyText([
      COACH_LOW,
      { id: 'dropped', outcome: 'coaching', when: '{ all: [{ fact: csat, operator: lessThan, value: { fact: fcr } }] }' },
    ]));
    expect(analysis.gaps.regions).toEqual([]);
    expect(analysis.undecided).toContainEqual({ reason: 'where no rule applies: the rule `dropped` cannot be reasoned about (`csat` is compared with another fact)' });
    expect(analysisDiagnostics(loaded, registry).filter((d) => d.code !== 'APPRAISE_ANALYSIS_NOT_CHECKED').map((d) => [d.code, d.severity, d.message])).toEqual([
      ['APPRAISE_ANALYSIS_GAP', 'info', 'Where no rule applies could not be worked out: the rule `dropped` cannot be reasoned about (`csat` is compared with another fact).'],
    ]);
  });

  it('with --gaps each region is one note with its replay, up to a cap, then how many more', () => {
    const regions = Array.from({ length: MAX_GAP_REGIONS_SHOWN + 5 }, (_, i) => ({
      limits: [{ fact: 'csat', from: { value: i, included: true }, to: { value: i, included: true } }], where: [`csat is exactly ${i}`], witness: { facts: { csat: i }, employee: {} },
    }));
    const notes = gapNotes({ facts: ['csat'], regions }, 'p.policy.yaml', 'each');
    expect(notes).toHaveLength(MAX_GAP_REGIONS_SHOWN + 1);
    expect(notes[0]).toBe(`No rule applies when csat is exactly 0 (region 1 of ${regions.length}; counting only people with a value for every fact). Replay: npx appraise explain p.policy.yaml --facts '{"csat":0}'`);
    expect(notes.at(-1)).toBe('… and 5 more regions where no rule applies.');
    expect(gapNotes({ facts: ['csat'], regions }, 'p.policy.yaml', 'summary')).toEqual([
      `No rule applies in ${regions.length} regions of values, e.g. when csat is exactly 0 (counting only people with a value for every fact). \`npx appraise validate --gaps\` lists them with values that \`explain\` replays.`,
    ]);
  });
});

describe('claimed gaps hold on random policies', () => {
  // Thresholds on the grid the metrics allow; rules over csat and fcr with random operators.
  const csatCut = fc.integer({ min: 10, max: 50 }).map((n) => n / 10);
  const fcrCut = fc.integer({ min: 0, max: 10 }).map((n) => n / 10);
  const op = fc.constantFrom('lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'equal', 'notEqual');
  const leaf = fc.oneof(
    fc.tuple(op, csatCut).map(([o, v]) => `{ fact: csat, operator: ${o}, value: ${v} }`),
    fc.tuple(op, fcrCut).map(([o, v]) => `{ fact: fcr, operator: ${o}, value: ${v} }`),
  );
  const rule = fc.tuple(fc.constantFrom('all', 'any'), fc.array(leaf, { minLength: 1, maxLength: 3 }), fc.constantFrom('recognition', 'coaching', 'pip'));
  const policy = fc.tuple(fc.array(rule, { minLength: 1, maxLength: 4 }), fc.constantFrom('first' as const, 'collect' as const)).map(([rules, hit]) =>
    policyText(rules.map(([block, leaves, outcome], i) => ({ id: `r${i}`, outcome, when: `{ ${block}: [${leaves.join(', ')}] }` })), hit));
  const point = fc.record({
    csat: fc.oneof(csatCut, fc.double({ min: 1, max: 5, noNaN: true })),
    fcr: fc.oneof(fcrCut, fc.double({ min: 0, max: 1, noNaN: true })),
  });

  const inside = (limits: FactLimit[], facts: Record<string, number>) => limits.every((l) => {
    if (!('from' in l || 'to' in l)) return false;
    const v = facts[l.fact];
    return (!l.from || (l.from.included ? v >= l.from.value : v > l.from.value)) && (!l.to || (l.to.included ? v <= l.to.value : v < l.to.value));
  });

  it('every witness fires no rule, and a random person with data gets no outcome exactly when they fall in a region', async () => {
    await fc.assert(fc.asyncProperty(policy, fc.array(point, { minLength: 8, maxLength: 8 }), async (text, points) => {
      const { policy: p, compiled, analysis } = analysed(text);
      expect(analysis.undecided).toEqual([]);
      for (const r of analysis.gaps.regions) expect(await firedFor(p, r.witness!)).toEqual([]);
      for (const facts of points) {
        const r = await evaluate(compiled, undefined, factsFromValues(p, registry, compiled.requirements, facts));
        const inGap = analysis.gaps.regions.filter((g) => inside(g.limits, facts)).length;
        expect(inGap, JSON.stringify({ facts, fired: r.fired, regions: analysis.gaps.regions.map((g) => g.where) })).toBe(r.fired.length === 0 ? 1 : 0);
      }
    }), { numRuns: 150 });
  });
});

describe('the gap note where users see it', () => {
  it('validate prints one line per policy and still exits 0; --gaps lists each region with a replay that fires nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'appraise-gaps-'));
    const file = join(dir, 'gaps.policy.yaml');
    writeFileSync(file, policyYaml(3.8));
    const short = cli(['validate', dir]);
    expect(short.code).toBe(0);
    expect(short.stdout.trim().split('\n')).toEqual([
      `${file}:9:3 info APPRAISE_ANALYSIS_GAP No rule applies when csat is at least 3.8 and below 4.5 (counting only people with a value for every fact). \`npx appraise validate --gaps\` lists it with values that \`explain\` replays.`,
      '1 file(s) checked: 0 error(s), 0 warning(s), 1 note(s).',
    ]);
    const long = cli(['validate', dir, '--gaps']);
    expect(long.code).toBe(0);
    const facts = /--facts '([^']+)'/.exec(long.stdout)![1];
    const explained = cli(['explain', file, '--facts', facts, '--format', 'json']);
    expect(explained.code).toBe(0);
    expect(JSON.parse(explained.stdout).fired).toEqual([]);
  });

  describe('POST /api/policies/validate (the editor)', () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await testServer({}, { tokens: ['hr'] });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('returns the gap note as information at the rules, and the draft stays valid', async () => {
      const r = await t.call('hr', 'POST', '/api/policies/validate', { yaml: policyYaml(3.8) });
      expect(r.statusCode).toBe(200);
      expect(JSON.parse(r.body)).toEqual({
        valid: true, policyId: 'fair-test',
        diagnostics: [{
          code: 'APPRAISE_ANALYSIS_GAP', severity: 'info', file: 'draft.policy.yaml', line: 9, column: 3,
          message: expect.stringContaining('No rule applies when csat is at least 3.8 and below 4.5'),
        }],
      });
    });
  });
});
