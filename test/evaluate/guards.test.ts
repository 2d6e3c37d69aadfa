// json-rules-engine's defaults are unsafe for HR decisions. Each test shows the raw engine's
// behaviour first (so the test fails if an upgrade changes it and the guard needs a review),
// then what Appraise does instead.
import { describe, expect, it } from 'vitest';
import { Engine } from 'json-rules-engine';
import { parse } from 'yaml';
import { compilePolicy } from '../../core/evaluate/compile.ts';
import { evaluate } from '../../core/evaluate/evaluate.ts';
import { givenFact } from '../../core/evaluate/facts.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { createRegistry } from '../../core/registry/registry.ts';
import type { Policy } from '../../core/policy/types.ts';

const registry = createRegistry({
  metrics: [
    { id: 'cf.csat', title: 'CSAT', unit: 'score', range: [1, 5], direction: 'higherIsBetter', defaultMinSamples: 1, plugin: 'cf' },
    { id: 'sup.frt', title: 'First response', unit: 'duration', range: [0, null], direction: 'lowerIsBetter', defaultMinSamples: 1, plugin: 'sup' },
  ],
});

function policyWith(rulesYaml: string, extra = ''): string {
  return `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: guard, title: Guard, owner: hr }
spec:
  appliesTo: {}
  facts:
    csat: { metric: cf.csat }
    frt: { metric: sup.frt }
${extra}  rules:
${rulesYaml}`;
}

function load(text: string) {
  return loadPolicyText('guard.policy.yaml', text, registry);
}

function compiled(text: string) {
  const loaded = load(text);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compilePolicy(loaded.policy!, registry);
}

async function rawEngine(conditions: object, facts: Record<string, unknown>, options: object = {}): Promise<boolean> {
  const engine = new Engine([], options);
  engine.addRule({ conditions: conditions as never, event: { type: 'x' } });
  const { events } = await engine.run(facts);
  return events.length === 1;
}

describe('guards against json-rules-engine defaults', () => {
  it('a missing fact aborts the raw run; here it is insufficient data for that rule only', async () => {
    await expect(rawEngine({ all: [{ fact: 'csat', operator: 'lessThan', value: 3 }] }, {})).rejects.toThrow(/Undefined fact/);
    const c = compiled(policyWith(`    - { id: low, when: { all: [{ fact: csat, operator: lessThan, value: 3 }] }, then: { outcome: coaching } }
    - { id: old, when: { all: [{ fact: employee.tenureDays, operator: greaterThan, value: 100 }] }, then: { outcome: recognition } }
`));
    const result = await evaluate(c, { tenureDays: 200 }, {});
    expect(result.fired).toEqual(['old']);
    expect(result.indeterminate).toEqual(['low']);
    expect(result.rules.find((r) => r.ruleId === 'low')!.conditions).toMatchObject({
      children: [{ result: 'unknown', reason: expect.stringMatching(/insufficient data: `csat` has no value/) }],
    });
  });

  it('with allowUndefinedFacts, notEqual/notIn/not pass on missing data in the raw engine; here they never fire', async () => {
    const opts = { allowUndefinedFacts: true };
    expect(await rawEngine({ all: [{ fact: 'role', operator: 'notEqual', value: 'lead' }] }, {}, opts)).toBe(true);
    expect(await rawEngine({ all: [{ fact: 'role', operator: 'notIn', value: ['lead'] }] }, {}, opts)).toBe(true);
    expect(await rawEngine({ not: { fact: 'csat', operator: 'greaterThan', value: 4 } }, {}, opts)).toBe(true);
    const c = compiled(policyWith(`    - { id: ne, when: { all: [{ fact: employee.role, operator: notEqual, value: lead }] }, then: { outcome: pip } }
    - { id: nin, when: { all: [{ fact: employee.role, operator: notIn, value: [lead] }] }, then: { outcome: pip } }
    - { id: neg, when: { not: { fact: csat, operator: greaterThan, value: 4 } }, then: { outcome: pip } }
    - { id: negdeco, when: { all: [{ fact: csat, operator: "not:greaterThan", value: 4 }] }, then: { outcome: pip } }
`));
    const result = await evaluate(c, {}, {});
    expect(result.fired).toEqual([]);
    expect(result.indeterminate.sort()).toEqual(['ne', 'neg', 'negdeco', 'nin']);
    // With the data present they decide normally.
    const present = await evaluate(c, { role: 'agent' }, { csat: givenFact(3.2) });
    expect(present.fired.sort()).toEqual(['ne', 'neg', 'negdeco', 'nin']);
  });

  it('an empty all/any is true/false in the raw engine; here it is refused at validate time', async () => {
    expect(await rawEngine({ all: [] }, {})).toBe(true);
    const loaded = load(policyWith(`    - { id: empty, when: { all: [] }, then: { outcome: pip } }
`));
    expect(loaded.policy).toBeUndefined();
    expect(loaded.diagnostics.map((d) => d.code)).toContain('APPRAISE_POLICY_EMPTY_CONDITION');
  });

  it('numeric operators compare strings in the raw engine ("10" < "9"); here a string is undecided', async () => {
    expect(await rawEngine({ all: [{ fact: 'level', operator: 'lessThan', value: '9' }] }, { level: '10' })).toBe(true);
    const c = compiled(policyWith(`    - id: junior
      when: { all: [{ fact: employee.attributes, path: $.level, operator: lessThan, value: 9 }] }
      then: { outcome: coaching }
`));
    const result = await evaluate(c, { attributes: { level: '10' } }, {});
    expect(result.fired).toEqual([]);
    expect(result.indeterminate).toEqual(['junior']);
    expect(JSON.stringify(result.rules[0].conditions)).toMatch(/cannot compare the text \\"10\\" with number 9/);
    // and a string threshold for a numeric metric is refused before anything runs
    const bad = load(policyWith(`    - { id: s, when: { all: [{ fact: csat, operator: lessThan, value: "3" }] }, then: { outcome: pip } }
`));
    expect(bad.diagnostics.map((d) => d.code)).toContain('APPRAISE_POLICY_TYPE_MISMATCH');
  });

  it('`in` with a string does substring matching in the raw engine; here it needs a list', async () => {
    expect(await rawEngine({ all: [{ fact: 'team', operator: 'in', value: 'support-emea' }] }, { team: 'emea' })).toBe(true);
    const bad = load(policyWith(`    - { id: t, when: { all: [{ fact: employee.team, operator: in, value: support-emea }] }, then: { outcome: pip } }
`));
    expect(bad.policy).toBeUndefined();
    expect(bad.diagnostics[0]).toMatchObject({ code: 'APPRAISE_POLICY_TYPE_MISMATCH', line: 10 });
    const c = compiled(policyWith(`    - { id: t, when: { all: [{ fact: employee.team, operator: in, value: [support-emea, support-us] }] }, then: { outcome: recognition } }
`));
    expect((await evaluate(c, { team: 'emea' }, {})).fired).toEqual([]);
    expect((await evaluate(c, { team: 'support-emea' }, {})).fired).toEqual(['t']);
  });

  it('a mistyped path silently yields undefined in the raw engine; here it is reported as not found', async () => {
    expect(await rawEngine({ not: { fact: 'attrs', path: '$.levle', operator: 'equal', value: 3 } }, { attrs: { level: 3 } }, {})).toBe(true);
    const c = compiled(policyWith(`    - id: p
      when: { not: { fact: employee.attributes, path: $.levle, operator: equal, value: 3 } }
      then: { outcome: pip }
`));
    const result = await evaluate(c, { attributes: { level: 3 } }, {});
    expect(result.fired).toEqual([]);
    expect(result.indeterminate).toEqual(['p']);
    expect(JSON.stringify(result.rules[0].conditions)).toMatch(/has nothing at `\$\.levle`/);
  });

  it('priority 0 becomes 1 and 2.9 becomes 2 in the raw engine; here both are refused', () => {
    const e = new Engine();
    e.addRule({ priority: 2.9, conditions: { all: [] }, event: { type: 'x' } } as never);
    expect((e as unknown as { rules: Array<{ priority: number }> }).rules[0].priority).toBe(2);
    for (const p of ['0', '2.9']) {
      const loaded = load(policyWith(`    - { id: r, priority: ${p}, when: { all: [{ fact: csat, operator: lessThan, value: 3 }] }, then: { outcome: pip } }
`));
      expect(loaded.diagnostics.map((d) => d.code)).toEqual(['APPRAISE_POLICY_BAD_PRIORITY']);
    }
  });

  it('unknown operators and dangling condition references fail only at run time in the raw engine; here at validate time', async () => {
    await expect(rawEngine({ all: [{ fact: 'a', operator: 'greaterThen', value: 1 }] }, { a: 2 })).rejects.toThrow(/Unknown operator/);
    await expect(rawEngine({ all: [{ condition: 'nope' }] }, {})).rejects.toThrow(/No condition nope/);
    const loaded = load(policyWith(`    - { id: a, when: { all: [{ fact: csat, operator: greaterThen, value: 3 }] }, then: { outcome: pip } }
    - { id: b, when: { all: [{ condition: nope }] }, then: { outcome: pip } }
`));
    expect(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code).sort()).toEqual(['APPRAISE_POLICY_UNKNOWN_CONDITION', 'APPRAISE_POLICY_UNKNOWN_OPERATOR']);
    expect(loaded.diagnostics.find((d) => d.code === 'APPRAISE_POLICY_UNKNOWN_OPERATOR')!.message).toMatch(/Did you mean `greaterThan`/);
  });

  it('two runs are never in flight on one engine (json-rules-engine #303): concurrent evaluations stay separate', async () => {
    const c = compiled(policyWith(`    - { id: low, when: { all: [{ fact: csat, operator: lessThan, value: 3 }] }, then: { outcome: coaching } }
`));
    const values = Array.from({ length: 50 }, (_, i) => 1 + (i % 5));
    const results = await Promise.all(values.map((v) => evaluate(c, {}, { csat: givenFact(v) })));
    results.forEach((r, i) => expect(r.fired).toEqual(values[i] < 3 ? ['low'] : []));
  });
});

describe('evaluation semantics', () => {
  it('hitPolicy first counts only the highest-priority firing rule; an undecided higher rule withholds nothing (apply-next), or everything below it with undecided: hold', async () => {
    const text = policyWith(`    - { id: pip, priority: 30, when: { all: [{ fact: csat, operator: lessThan, value: 2 }, { fact: history.coaching.completed, operator: greaterThanInclusive, value: 1 }] }, then: { outcome: pip } }
    - { id: coach, priority: 20, when: { all: [{ fact: csat, operator: lessThan, value: 3 }] }, then: { outcome: coaching } }
    - { id: also, priority: 20, when: { all: [{ fact: csat, operator: lessThan, value: 4 }] }, then: { outcome: coaching } }
`, '  hitPolicy: first\n');
    const c = compiled(text);
    const r1 = await evaluate(c, {}, { csat: givenFact(1.5), 'history.coaching.completed': givenFact(1) });
    expect(r1.fired).toEqual(['pip']);
    expect(r1.rules.map((r) => [r.ruleId, r.status])).toEqual([['pip', 'fired'], ['coach', 'shadowed'], ['also', 'shadowed']]);
    // The PIP rule cannot be decided (no coaching history); the coaching rule holds whatever it
    // would be, so it applies (DMN FIRST: an undecided rule does not match), naming the PIP rule.
    const r2 = await evaluate(c, {}, { csat: givenFact(1.5) });
    expect(r2.fired).toEqual(['coach']);
    expect(r2.indeterminate).toEqual(['pip']);
    expect(r2.rules.map((r) => r.status)).toEqual(['indeterminate', 'fired', 'shadowed']);
    expect(r2.rules[1].reason).toMatch(/the higher-priority rule `pip` could not be decided, and may apply instead once the missing data arrives/);
    // undecided: hold keeps the stricter reading: nothing below an undecided rule counts.
    const held = await evaluate(compiled(text.replace('  hitPolicy: first\n', '  hitPolicy: first\n  undecided: hold\n')), {}, { csat: givenFact(1.5) });
    expect(held.fired).toEqual([]);
    expect(held.rules.map((r) => r.status)).toEqual(['indeterminate', 'blocked', 'blocked']);
    const r3 = await evaluate(c, {}, { csat: givenFact(3.5), 'history.coaching.completed': givenFact(0) });
    expect(r3.fired).toEqual(['also']);
    // collect: every firing rule counts, in priority order then as written
    const collect = compiled(text.replace('  hitPolicy: first\n', ''));
    expect((await evaluate(collect, {}, { csat: givenFact(1.5), 'history.coaching.completed': givenFact(1) })).fired).toEqual(['pip', 'coach', 'also']);
  });

  it('durations compare in seconds; the explanation keeps window and samples', async () => {
    const c = compiled(policyWith(`    - { id: slow, when: { all: [{ fact: frt, operator: greaterThan, value: 4h }] }, then: { outcome: coaching } }
`));
    const facts = { frt: { status: 'ok' as const, value: 4 * 3600 + 1, samples: 42, minSamples: 20, window: { from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z' } } };
    const result = await evaluate(c, {}, facts);
    expect(result.fired).toEqual(['slow']);
    expect(result.rules[0].conditions).toMatchObject({
      kind: 'all',
      children: [{ kind: 'fact', operator: 'greaterThan', threshold: 14400, result: 'pass', left: { fact: 'frt', value: 14401, samples: 42, window: { from: '2026-01-01T00:00:00Z' } } }],
    });
  });

  it('insufficient samples are explained with the counts and never fire', async () => {
    const c = compiled(policyWith(`    - { id: low, when: { all: [{ fact: csat, operator: lessThan, value: 3 }] }, then: { outcome: pip } }
`));
    const result = await evaluate(c, {}, { csat: { status: 'insufficient', samples: 3, minSamples: 20 } });
    expect(result.fired).toEqual([]);
    expect(JSON.stringify(result.rules[0].conditions)).toMatch(/3 sample\(s\), fewer than the 20 required/);
  });

  it('fact-to-fact comparisons resolve both sides; a missing right side is undecided', async () => {
    const text = policyWith(`    - { id: worse, when: { all: [{ fact: csat, operator: lessThan, value: { fact: csatBefore } }] }, then: { outcome: coaching } }
`, '').replace('    frt: { metric: sup.frt }\n', '    frt: { metric: sup.frt }\n    csatBefore: { metric: cf.csat, offset: 90d }\n');
    const c = compiled(text.replace(/\n {4}frt: \{ metric: sup.frt \}/, ''));
    expect((await evaluate(c, {}, { csat: givenFact(3.1), csatBefore: givenFact(4.2) })).fired).toEqual(['worse']);
    expect((await evaluate(c, {}, { csat: givenFact(3.1) })).indeterminate).toEqual(['worse']);
  });

  it('shared conditions are evaluated where they are referenced and named in the explanation', async () => {
    const text = policyWith(`    - { id: r, when: { all: [{ condition: veteran }, { fact: csat, operator: greaterThan, value: 4 }] }, then: { outcome: recognition } }
`, `  conditions:
    veteran: { all: [{ fact: employee.tenureDays, operator: greaterThan, value: 365 }] }
`).replace(/\n {4}frt: \{ metric: sup.frt \}/, '');
    const c = compiled(text);
    const result = await evaluate(c, { tenureDays: 400 }, { csat: givenFact(4.5) });
    expect(result.fired).toEqual(['r']);
    expect(result.rules[0].conditions).toMatchObject({ children: [{ kind: 'all', name: 'veteran', result: 'pass' }, { result: 'pass' }] });
  });

  it('parses back to what was written (the document is data, not a program)', () => {
    const text = policyWith(`    - { id: r, when: { all: [{ fact: csat, operator: greaterThan, value: 4 }] }, then: { outcome: recognition } }
`).replace(/\n {4}frt: \{ metric: sup.frt \}/, '');
    const loaded = load(text);
    expect(loaded.policy).toEqual(parse(text) as Policy);
  });
});
