// The fairness report on small organisations worked out by hand: selection rates, impact ratios
// in both directions, the four-fifths flag, ties, the minimum group size, missing attributes,
// and the edge cases where no ratio can be given.
import { describe, expect, it } from 'vitest';
import { fairnessReport } from '../../core/fairness/report.ts';
import { NO_ATTRIBUTES_NOTE } from '../../core/fairness/messages.ts';
import type { FairnessGroup, FairnessInput, FairnessReport, FairnessSection, FairnessSubject } from '../../core/fairness/types.ts';

/** n employees `${prefix}1…n` with the given attributes. */
function staff(prefix: string, n: number, attributes: Record<string, unknown> = {}, location?: string): FairnessSubject[] {
  return Array.from({ length: n }, (_, i) => ({ employeeId: `${prefix}${i + 1}`, attributes: { ...attributes }, ...(location ? { location } : {}) }));
}
/** The first k ids of a group. */
function first(prefix: string, k: number): string[] {
  return Array.from({ length: k }, (_, i) => `${prefix}${i + 1}`);
}
function report(population: FairnessSubject[], selected: Partial<Record<'recognition' | 'coaching' | 'pip', string[]>>, rest: Partial<FairnessInput> = {}): FairnessReport {
  const sets = Object.fromEntries(Object.entries(selected).map(([k, v]) => [k, new Set(v)]));
  return fairnessReport({ population, selected: sets, protectedAttributes: ['gender'], ...rest });
}
function sectionOf(r: FairnessReport, outcome: string, attribute = 'gender'): FairnessSection {
  const s = r.sections.find((x) => x.outcome === outcome && x.attribute === attribute);
  if (!s) throw new Error(`no section ${outcome}/${attribute}`);
  return s;
}
function groupOf(s: FairnessSection, label: string): FairnessGroup {
  const g = s.groups.find((x) => x.group === label);
  if (!g) throw new Error(`no group ${label}`);
  return g;
}

// 20 men, 20 women. PIP: 2 men, 6 women. Recognition: 4 men, 2 women. Coaching: 3 and 3.
const POPULATION = [...staff('m', 20, { gender: 'M' }), ...staff('f', 20, { gender: 'F' })];
const SELECTED = {
  pip: [...first('m', 2), ...first('f', 6)],
  recognition: [...first('m', 4), ...first('f', 2)],
  coaching: [...first('m', 3), ...first('f', 3)],
};

describe('fairness report: the hand-computed fixture', () => {
  const r = report(POPULATION, SELECTED);

  it('PIP: rates 10% vs 30%, impact ratio 0.9/0.7 → 0.778 < 0.8, flagged; adverse-rate ratio 3.0', () => {
    const pip = sectionOf(r, 'pip');
    expect(pip.favourable).toBe('not selected');
    expect(pip.reference).toEqual(['M']);
    const f = groupOf(pip, 'F');
    const m = groupOf(pip, 'M');
    expect(f).toMatchObject({ size: 20, selected: 6, selectionRate: 0.3, flagged: true, tooSmall: false, isReference: false });
    expect(f.favourableRate).toBeCloseTo(0.7, 12);
    expect(f.adverseRate).toBeCloseTo(0.3, 12);
    expect(f.impactRatio).toBeCloseTo(7 / 9, 12); // 0.778
    expect(f.adverseRateRatio).toBeCloseTo(3, 12);
    expect(m).toMatchObject({ size: 20, selected: 2, selectionRate: 0.1, favourableRate: 0.9, impactRatio: 1, adverseRateRatio: 1, flagged: false, isReference: true });
    // fisher.test(matrix(c(6,14,2,18),2)) = 0.235116235116235; the same table seen from the men's side
    expect(f.fisherP).toBeCloseTo(0.235116235116235, 12);
    expect(m.fisherP).toBeCloseTo(0.235116235116235, 12);
  });

  it('says it in words an HR admin can read', () => {
    expect(r.flags.map((x) => x.message)).toContain(
      'PIP by gender: "F" (20 people) are placed on a PIP at 3.0× the rate of "M" (30% vs 10%): impact ratio 0.78 < 0.8 (four-fifths rule); ' +
        "Fisher's exact p = 0.24 (a difference this size could be chance at these group sizes).",
    );
    const flag = r.flags.find((x) => x.outcome === 'pip')!;
    expect(flag).toMatchObject({ attribute: 'gender', group: 'F', size: 20, reference: ['M'], selectionRate: 0.3, referenceSelectionRate: 0.1 });
  });

  it('recognition runs the other way: favourable is being recognised', () => {
    const rec = sectionOf(r, 'recognition');
    expect(rec.favourable).toBe('selected');
    expect(rec.reference).toEqual(['M']); // 20% recognised beats 10%
    const f = groupOf(rec, 'F');
    expect(f.selectionRate).toBe(0.1);
    expect(f.favourableRate).toBe(0.1);
    expect(f.impactRatio).toBeCloseTo(0.5, 12); // 0.10 / 0.20
    // For recognition the adverse rate is not being recognised: 0.90 / 0.80
    expect(f.adverseRate).toBeCloseTo(0.9, 12);
    expect(f.adverseRateRatio).toBeCloseTo(1.125, 12);
    expect(f.flagged).toBe(true);
    // fisher.test(matrix(c(2,18,4,16),2)) = 0.661419661419661
    expect(f.fisherP).toBeCloseTo(0.661419661419661, 12);
    expect(r.flags.find((x) => x.outcome === 'recognition')!.message).toBe(
      'Recognition by gender: "F" (20 people) are recognised at 0.50× the rate of "M" (10% vs 20%): impact ratio 0.50 < 0.8 (four-fifths rule); ' +
        "Fisher's exact p = 0.66 (a difference this size could be chance at these group sizes).",
    );
  });

  it('equal rates tie: every tied group is a reference with ratio 1, nothing flagged', () => {
    const coaching = sectionOf(r, 'coaching');
    expect(coaching.reference).toEqual(['F', 'M']);
    for (const g of coaching.groups) expect(g).toMatchObject({ isReference: true, impactRatio: 1, adverseRateRatio: 1, flagged: false, fisherP: 1 });
  });

  it('reports attribute by attribute, outcomes in the order recognition, coaching, PIP', () => {
    expect(r.sections.map((s) => `${s.attribute}/${s.outcome}`)).toEqual(['gender/recognition', 'gender/coaching', 'gender/pip']);
    expect(r.outcomes).toEqual([
      { outcome: 'recognition', selected: 6, selectedOutsidePopulation: 0 },
      { outcome: 'coaching', selected: 6, selectedOutsidePopulation: 0 },
      { outcome: 'pip', selected: 8, selectedOutsidePopulation: 0 },
    ]);
    expect(r).toMatchObject({ populationSize: 40, minGroupSize: 5, threshold: 0.8, protectedAttributes: ['gender'] });
    expect(r.flags.map((f) => `${f.outcome}:${f.group}`)).toEqual(['recognition:F', 'pip:F']);
  });
});

describe('fairness report: definitions at the edges', () => {
  it('ties are exact fractions: 1 of 5 and 2 of 10 are both most favoured', () => {
    const pop = [...staff('a', 5, { gender: 'A' }), ...staff('b', 10, { gender: 'B' }), ...staff('c', 10, { gender: 'C' })];
    const s = sectionOf(report(pop, { coaching: [...first('a', 1), ...first('b', 2), ...first('c', 5)] }), 'coaching');
    expect(s.reference).toEqual(['A', 'B']);
    expect(groupOf(s, 'C').impactRatio).toBeCloseTo(0.5 / 0.8, 12);
    expect(groupOf(s, 'C').adverseRateRatio).toBeCloseTo(2.5, 12);
  });

  it('a ratio of exactly 0.8 is not flagged (0.72 / 0.90 is 0.7999999999999999 in floating point)', () => {
    expect(0.72 / 0.9).toBeLessThan(0.8);
    const pop = [...staff('a', 20, { gender: 'A' }), ...staff('b', 25, { gender: 'B' })];
    const s = sectionOf(report(pop, { pip: [...first('a', 2), ...first('b', 7)] }), 'pip'); // favourable 18/20 and 18/25
    const b = groupOf(s, 'B');
    expect(b.impactRatio).toBe(0.8);
    expect(b.flagged).toBe(false);
    // one more PIP in B: 17/25 / 0.9 = 0.756 → flagged
    expect(groupOf(sectionOf(report(pop, { pip: [...first('a', 2), ...first('b', 8)] }), 'pip'), 'B').flagged).toBe(true);
  });

  it('groups below the minimum size are shown but not judged, and left out of the comparisons', () => {
    // X: 4 people, all on a PIP — the worst rate, yet too small to judge.
    const pop = [...POPULATION, ...staff('x', 4, { gender: 'X' })];
    const r = report(pop, { pip: [...SELECTED.pip, ...first('x', 4)] });
    const s = sectionOf(r, 'pip');
    expect(groupOf(s, 'X')).toMatchObject({ size: 4, selected: 4, selectionRate: 1, tooSmall: true, flagged: false, impactRatio: null, adverseRateRatio: null, fisherP: null, isReference: false });
    // F is still compared with the judged members only: the same table as without X.
    expect(groupOf(s, 'F').fisherP).toBeCloseTo(0.235116235116235, 12);
    expect(s.judged).toBe(40);
    expect(r.attributes[0].tooSmall).toEqual(['X']);
    expect(r.attributes[0].notes).toContain('Too small to judge (fewer than 5 people): "X" (4). Their rates are shown, with no ratio, flag or p-value.');
    expect(r.flags.map((f) => f.group)).toEqual(['F']);
  });

  it('a group of exactly the minimum size is judged; the minimum comes from the input', () => {
    const pop = [...staff('a', 5, { gender: 'A' }), ...staff('b', 5, { gender: 'B' })];
    const s = sectionOf(report(pop, { pip: first('b', 3) }), 'pip');
    expect(s.groups.every((g) => !g.tooSmall)).toBe(true);
    // fisher.test(matrix(c(0,5,3,2),2)) = 0.166666666666667 (= 1/6)
    expect(groupOf(s, 'B')).toMatchObject({ flagged: true, impactRatio: 0.4 });
    expect(groupOf(s, 'B').fisherP).toBeCloseTo(1 / 6, 12);
    const strict = report(pop, { pip: first('b', 3) }, { minGroupSize: 6 });
    const t = sectionOf(strict, 'pip');
    expect(t.groups.every((g) => g.tooSmall && g.impactRatio === null && !g.flagged)).toBe(true);
    expect(t.reference).toEqual([]);
    expect(t.noRatioReason).toBe('Every gender group is smaller than the minimum group size (6): too small to judge, so there is no impact ratio.');
    expect(strict.flags).toEqual([]);
  });

  it('missing or blank attributes form a "(not recorded)" group that is counted, judged, but never the reference', () => {
    const pop = [
      ...staff('m', 20, { gender: 'M' }),
      ...staff('f', 20, { gender: ' F ' }), // trimmed into "F"
      { employeeId: 'n1', attributes: {} },
      { employeeId: 'n2', attributes: { gender: null } },
      { employeeId: 'n3', attributes: { gender: '' } },
      { employeeId: 'n4', attributes: { gender: '   ' } },
      { employeeId: 'n5', attributes: { gender: undefined } },
      { employeeId: 'n6', attributes: { gender: '(not recorded)' } },
    ];
    // Nobody unrecorded gets a PIP: the most favoured rate, but not a reference.
    const r = report(pop, { pip: SELECTED.pip });
    const s = sectionOf(r, 'pip');
    expect(s.groups.map((g) => g.group)).toEqual(['F', 'M', '(not recorded)']);
    const nr = groupOf(s, '(not recorded)');
    expect(nr).toMatchObject({ notRecorded: true, size: 6, selected: 0, tooSmall: false, isReference: false });
    expect(nr.impactRatio).toBeCloseTo(1 / 0.9, 12);
    expect(s.reference).toEqual(['M']);
    expect(r.attributes[0].notRecorded).toBe(6);
    expect(r.attributes[0].notes[0]).toBe('6 employees have no gender recorded: counted in the "(not recorded)" group, which is reported (and judged when large enough) but never used as the reference.');
    // Judged members include the unrecorded: F (6 of 20) against M + unrecorded (2 of 26).
    // fisher.test(matrix(c(6,2,14,24),2)) = 0.0624711192419397, checked by exact enumeration too
    expect(exactFisher(6, 14, 2, 24)).toBeCloseTo(0.0624711192419397, 14);
    expect(groupOf(s, 'F').fisherP).toBeCloseTo(0.0624711192419397, 12);
  });

  it('takes location from the employee record when the attributes do not name it', () => {
    const pop = [
      ...staff('l', 6, {}, 'Lisbon'),
      ...staff('d', 6, { location: 'Dublin' }, 'Lisbon'), // an explicit attribute wins
      ...staff('n', 1, {}),
    ];
    const r = fairnessReport({ population: pop, selected: { pip: new Set() }, protectedAttributes: ['location'] });
    expect(sectionOf(r, 'pip', 'location').groups.map((g) => [g.group, g.size])).toEqual([['Dublin', 6], ['Lisbon', 6], ['(not recorded)', 1]]);
  });

  it('numbers and booleans are groups by their text, in numeric order', () => {
    const pop = [...staff('a', 5, { band: 10 }), ...staff('b', 5, { band: 9 }), ...staff('c', 5, { band: true })];
    const r = fairnessReport({ population: pop, selected: { pip: new Set() }, protectedAttributes: ['band'] });
    expect(sectionOf(r, 'pip', 'band').groups.map((g) => g.group)).toEqual(['9', '10', 'true']);
  });

  it('when the reference group never receives the outcome, the adverse-rate ratio is unbounded (null) and the message says 0%', () => {
    const r = report(POPULATION, { pip: first('f', 6) });
    const f = groupOf(sectionOf(r, 'pip'), 'F');
    expect(f).toMatchObject({ adverseRateRatio: null, flagged: true });
    expect(f.impactRatio).toBeCloseTo(0.7, 12);
    // fisher.test(matrix(c(0,20,6,14),2)) = 0.0201960201960202
    expect(f.fisherP).toBeCloseTo(0.0201960201960202, 12);
    expect(r.flags[0].message).toBe(
      'PIP by gender: "F" (20 people) are placed on a PIP at 30%, against 0% of "M": impact ratio 0.70 < 0.8 (four-fifths rule); Fisher\'s exact p = 0.02.',
    );
  });

  it('a group never recognised is said so', () => {
    const r = report(POPULATION, { recognition: first('m', 4) });
    expect(r.flags[0].message).toMatch(/^Recognition by gender: "F" \(20 people\) are never recognised, against 20% of "M": impact ratio 0\.00 < 0\.8/);
  });
});

describe('fairness report: no ratio to give', () => {
  it('zero selections: nobody recognised → no ratio; nobody coached → everyone equally favoured', () => {
    const r = report(POPULATION, { recognition: [], coaching: [] });
    const rec = sectionOf(r, 'recognition');
    expect(rec.reference).toEqual([]);
    expect(rec.noRatioReason).toBe('Nobody in a group large enough to judge was recognised: no group is favoured, so there is no impact ratio.');
    expect(rec.groups.every((g) => g.impactRatio === null && g.adverseRateRatio === null && !g.flagged && !g.isReference && g.fisherP === 1)).toBe(true);
    const coaching = sectionOf(r, 'coaching');
    expect(coaching.noRatioReason).toBeNull();
    expect(coaching.reference).toEqual(['F', 'M']);
    expect(coaching.groups.every((g) => g.impactRatio === 1 && g.fisherP === 1)).toBe(true);
    expect(r.flags).toEqual([]);
  });

  it('everyone selected: everyone on a PIP → no ratio; everyone recognised → all equally favoured', () => {
    const everyone = POPULATION.map((p) => p.employeeId);
    const r = report(POPULATION, { recognition: everyone, pip: everyone });
    expect(sectionOf(r, 'pip').noRatioReason).toBe('Everyone in a group large enough to judge was placed on a PIP: no group is favoured, so there is no impact ratio.');
    expect(sectionOf(r, 'pip').groups.every((g) => g.impactRatio === null && g.selectionRate === 1)).toBe(true);
    expect(sectionOf(r, 'recognition').reference).toEqual(['F', 'M']);
    expect(r.flags).toEqual([]);
  });

  it('one group only: it is its own reference, with nothing to test it against', () => {
    const r = report(staff('m', 12, { gender: 'M' }), { pip: first('m', 3) });
    const s = sectionOf(r, 'pip');
    expect(s.groups).toHaveLength(1);
    expect(s.groups[0]).toMatchObject({ group: 'M', isReference: true, impactRatio: 1, fisherP: null, flagged: false });
    expect(s.notes).toEqual(['Only "M" is large enough to judge: there is no other group to compare it with.']);
  });

  it('nobody recorded, or nobody evaluated', () => {
    const none = sectionOf(report(staff('n', 8), { pip: first('n', 2) }), 'pip');
    expect(none.noRatioReason).toBe('Nobody has a recorded gender: there are no groups to compare.');
    expect(none.groups[0]).toMatchObject({ group: '(not recorded)', size: 8, selected: 2, impactRatio: null, isReference: false });
    const empty = sectionOf(report([], { pip: [] }), 'pip');
    expect(empty.groups).toEqual([]);
    expect(empty.noRatioReason).toBe('Nobody was evaluated: there is nothing to compare.');
  });

  it('only the outcomes given are reported; no attributes is said, not an error', () => {
    const r = fairnessReport({ population: POPULATION, selected: { pip: new Set() }, protectedAttributes: [] });
    expect(r.sections).toEqual([]);
    expect(r.outcomes.map((o) => o.outcome)).toEqual(['pip']);
    expect(r.notes).toEqual([NO_ATTRIBUTES_NOTE]);
    expect(r.notes[0]).toMatch(/fairness\.protectedAttributes in appraise\.config\.yaml/);
  });
});

describe('fairness report: bad input', () => {
  it('says how many selected employees are outside the evaluated population', () => {
    const r = report(POPULATION, { pip: [...SELECTED.pip, 'ghost1', 'ghost2'] });
    expect(r.outcomes[0]).toEqual({ outcome: 'pip', selected: 8, selectedOutsidePopulation: 2 });
    expect(r.notes).toEqual(['2 employees selected for a PIP are not in the evaluated population and left out of every rate.']);
  });

  it('rejects a population that lists someone twice, and a minimum group size below 1', () => {
    expect(() => report([...POPULATION, POPULATION[0]], { pip: [] })).toThrow(/"m1" appears twice/);
    expect(() => report(POPULATION, { pip: [] }, { minGroupSize: 0 })).toThrow(RangeError);
  });
});

/** Two-sided Fisher p by exact enumeration in BigInt (rows (a, b) and (c, d)), as an independent check. */
function exactFisher(a: number, b: number, c: number, d: number): number {
  const fact = (n: number): bigint => { let f = 1n; for (let i = 2n; i <= BigInt(n); i++) f *= i; return f; };
  const r1 = a + b, r2 = c + d, c1 = a + c;
  const w = (x: number) => (fact(r1) * fact(r2)) / (fact(x) * fact(r1 - x) * fact(c1 - x) * fact(r2 - c1 + x));
  let total = 0n, extreme = 0n;
  const observed = w(a);
  for (let x = Math.max(0, c1 - r2); x <= Math.min(c1, r1); x++) {
    const v = w(x);
    total += v;
    if (v <= observed) extreme += v;
  }
  return Number((extreme * 10n ** 30n) / total) / 1e30;
}
