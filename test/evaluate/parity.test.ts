// Parity is proven, not assumed: thousands of random policies (nested all/any/not, every
// operator and decorator, fact-to-fact comparisons, paths, params, shared conditions,
// priorities, both hit policies) and random fact sets (missing, null, NaN, strings where numbers
// belong, empty arrays, insufficient and error states) evaluated by json-rules-engine (the
// reference) and by the compiled fast path must agree on the fired rules, their order and
// statuses, and every condition's result and explanation.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compilePolicy } from '../../core/evaluate/compile.ts';
import { evaluate } from '../../core/evaluate/evaluate.ts';
import { compileFast, compilePath, decideFast, evaluateFast } from '../../core/evaluate/fast.ts';
import { BUILTIN_OPERATORS, DECORATORS } from '../../core/evaluate/operators.ts';
import { FactLayout, FactRow, type ResolvedFact } from '../../core/evaluate/facts.ts';
import { createRegistry } from '../../core/registry/registry.ts';
import type { Condition, Policy } from '../../core/policy/types.ts';
import { JSONPath } from 'jsonpath-plus';

const registry = createRegistry({});
const FACTS = ['n1', 'n2', 'n3', 's1', 'list', 'obj'];
const HISTORY = 'history.coaching.completed';
const PATHS = ['$.level', '$.tags[0]', '$.nested.deep', '$.missing', '$.level-2'];

const scalar = fc.oneof(
  fc.integer({ min: -5, max: 10 }),
  fc.double({ min: -10, max: 10, noNaN: true }),
  fc.constantFrom('a', 'b', '10', '9', ''),
  fc.boolean(),
);
const value = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 2, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 2, arbitrary: fc.record({ fact: fc.constantFrom(...FACTS, HISTORY) }) },
  { weight: 1, arbitrary: fc.record({ fact: fc.constantFrom('obj'), path: fc.constantFrom(...PATHS) }) },
);
const operator = fc.tuple(
  fc.array(fc.constantFrom(...DECORATORS.map((d) => d.id)), { maxLength: 2 }),
  fc.constantFrom(...BUILTIN_OPERATORS.map((o) => o.id)),
).map(([ds, base]) => [...ds, base].join(':'));

const leaf: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ fact: fc.constantFrom(...FACTS), operator, value }),
  fc.record({ fact: fc.constantFrom('obj'), path: fc.constantFrom(...PATHS), operator, value }),
  fc.record({ fact: fc.constantFrom('n1', 's1'), path: fc.constantFrom(...PATHS), operator, value }), // path on a non-object
  fc.record({ fact: fc.constant(HISTORY), params: fc.constantFrom({ window: '30d' }, { window: '365d' }), operator, value }),
  fc.record({ condition: fc.constantFrom('shared1', 'shared2') }),
) as fc.Arbitrary<Condition>;

const { tree } = fc.letrec<{ tree: Condition; group: Condition }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('group')),
  group: fc.oneof(
    fc.record({ all: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }) }, { requiredKeys: ['all'] }),
    fc.record({ any: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }) }, { requiredKeys: ['any'] }),
    fc.record({ not: tie('tree') }),
    fc.record({ all: fc.array(tie('tree'), { minLength: 1, maxLength: 2 }), name: fc.constant('labelled') }),
  ),
}));
const root: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ all: fc.array(tree, { minLength: 1, maxLength: 3 }) }),
  fc.record({ any: fc.array(tree, { minLength: 1, maxLength: 3 }) }),
  fc.record({ not: tree }),
) as fc.Arbitrary<Condition>;
// shared conditions refer to leaves only (no reference cycles)
const sharedRoot = fc.oneof(
  fc.record({ all: fc.array(leaf.filter((c) => !('condition' in c)), { minLength: 1, maxLength: 2 }) }),
  fc.record({ any: fc.array(leaf.filter((c) => !('condition' in c)), { minLength: 1, maxLength: 2 }), name: fc.constant('named') }),
) as fc.Arbitrary<Condition>;

const policyArb: fc.Arbitrary<Policy> = fc.record({
  rules: fc.array(fc.record({ when: root, priority: fc.integer({ min: 1, max: 4 }), outcome: fc.constantFrom('recognition', 'coaching', 'pip') }), { minLength: 1, maxLength: 5 }),
  hitPolicy: fc.constantFrom('collect', 'first'),
  undecided: fc.constantFrom(undefined, 'apply-next', 'hold'),
  shared1: sharedRoot,
  shared2: sharedRoot,
}).map(({ rules, hitPolicy, undecided, shared1, shared2 }) => ({
  apiVersion: 'appraise/v1',
  kind: 'ReviewPolicy',
  metadata: { id: 'random', title: 'random', owner: 'test' },
  spec: {
    appliesTo: {},
    hitPolicy: hitPolicy as 'collect' | 'first',
    ...(undecided ? { undecided: undecided as 'apply-next' | 'hold' } : {}),
    facts: Object.fromEntries(FACTS.map((f) => [f, { metric: `m.${f}` }])),
    conditions: { shared1, shared2 },
    rules: rules.map((r, i) => ({ id: `r${i}`, priority: r.priority, when: r.when, then: { outcome: r.outcome as 'pip' } })),
  },
}));

const factValue = fc.oneof(
  fc.integer({ min: -5, max: 10 }),
  fc.double({ noDefaultInfinity: true }),
  fc.constant(Number.NaN),
  fc.constant(null),
  fc.constantFrom('a', '10', '9', ''),
  fc.boolean(),
  fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom('a', 'b')), { maxLength: 3 }),
  fc.record({ level: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constant('7')), tags: fc.array(fc.constantFrom('a', 'b'), { maxLength: 2 }), nested: fc.option(fc.record({ deep: fc.integer() })), 'level-2': fc.integer({ min: 0, max: 3 }) }, { requiredKeys: [] }),
);
const resolved: fc.Arbitrary<ResolvedFact | undefined> = fc.oneof(
  { weight: 6, arbitrary: factValue.map((value) => ({ status: 'ok' as const, value, samples: 5 })) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant({ status: 'insufficient' as const, samples: 2, minSamples: 5 }) },
  { weight: 1, arbitrary: fc.constant({ status: 'error' as const, message: 'plugin threw' }) },
);
const factsArb = fc.record({
  ...Object.fromEntries(FACTS.map((f) => [f, resolved])),
  [`${HISTORY}?{"window":"30d"}`]: resolved,
  [`${HISTORY}?{"window":"365d"}`]: resolved,
}) as fc.Arbitrary<Record<string, ResolvedFact | undefined>>;

const clean = (facts: Record<string, ResolvedFact | undefined>) => Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)) as Record<string, ResolvedFact>;
const asJson = (x: unknown) => JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v)));

describe('compiled fast path vs json-rules-engine', () => {
  it('agree on fired rules, statuses and every condition, for thousands of random policies and facts', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(policyArb, fc.array(factsArb, { minLength: 1, maxLength: 4 }), async (policy, factSets) => {
        const compiled = compilePolicy(policy, registry);
        const fast = compileFast(compiled);
        for (const facts of factSets) {
          const f = clean(facts);
          const reference = await evaluate(compiled, { tenureDays: 100 }, f);
          const compiledResult = evaluateFast(fast, { tenureDays: 100 }, f);
          expect(asJson(compiledResult)).toEqual(asJson(reference));
          // The hit policy, read off the conditions' own results (the rules are in priority order):
          // collect counts every rule that holds; first the first that holds, except that with
          // `undecided: hold` an undecided rule before it withholds it (DMN FIRST otherwise).
          const results = reference.rules.map((r) => r.conditions.result);
          const holding = reference.rules.filter((_, i) => results[i] === 'pass').map((r) => r.ruleId);
          let expected = holding;
          if (policy.spec.hitPolicy === 'first') {
            const at = results.indexOf('pass');
            const heldBack = policy.spec.undecided === 'hold' && results.slice(0, Math.max(at, 0)).includes('unknown');
            expected = at < 0 || heldBack ? [] : [reference.rules[at].ruleId];
          }
          expect(reference.fired).toEqual(expected);
          const kept = decideFast(fast, { tenureDays: 100 }, new Map(Object.entries(f)));
          expect(asJson(kept)).toEqual(asJson({ rules: reference.rules.filter((r) => r.status !== 'not-fired'), hasErrors: reference.hasErrors }));
          // The same facts as a run holds them: rows sharing a layout, read by position.
          const row = new FactRow(new FactLayout(['unrelated', ...Object.keys(f).reverse()]));
          for (const [k, v] of Object.entries(f)) row.set(k, v);
          expect(asJson(decideFast(fast, { tenureDays: 100 }, row))).toEqual(asJson(kept));
          checked++;
        }
      }),
      { numRuns: Number(process.env.PARITY_RUNS ?? 1500) },
    );
    expect(checked).toBeGreaterThan(1500);
  }, 300_000);

  it('the path subset resolves as json-rules-engine\'s JSONPath does', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS, '$.a[1]', '$.length', '$[0]'), fc.oneof(factValue, fc.constant({ a: 'str' }), fc.constant([7])), (path, v) => {
        if (v === null || typeof v !== 'object') return;
        expect(compilePath(path)(v)).toEqual(JSONPath({ path, json: v as object, wrap: false }));
      }),
      { numRuns: 2000 },
    );
  });

  it('issue: `not` over missing data is undecided on both paths, never true', async () => {
    const policy = fc.sample(policyArb, { seed: 1, numRuns: 1 })[0];
    policy.spec.rules = [{ id: 'neg', when: { not: { fact: 'n1', operator: 'greaterThan', value: 4 } }, then: { outcome: 'pip' } }];
    const compiled = compilePolicy(policy, registry);
    const a = await evaluate(compiled, {}, {});
    const b = evaluateFast(compileFast(compiled), {}, {});
    expect(a.indeterminate).toEqual(['neg']);
    expect(b.indeterminate).toEqual(['neg']);
  });
});
