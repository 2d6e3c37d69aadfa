// What the audit adds to the fairness report, on small populations worked out by hand:
// intersectional groups, unknown categories set apart (Local Law 144) or kept as a group
// (previews), the share threshold with its reason, values that mean "unknown", and the config
// check that an intersection names only protected attributes.
import { describe, expect, it } from 'vitest';
import { fairnessReport } from '../../core/fairness/report.ts';
import { configFromText } from '../../core/config/config.ts';
import { auditRange } from '../../core/fairness/audit.ts';
import type { FairnessInput, FairnessSubject } from '../../core/fairness/types.ts';

function people(prefix: string, n: number, attributes: Record<string, unknown>): FairnessSubject[] {
  return Array.from({ length: n }, (_, i) => ({ employeeId: `${prefix}${i + 1}`, attributes }));
}
// 10 F×A, 10 M×A, 10 F×B, 10 M×B, 1 M×C, 3 with no gender, 2 "Prefer not to say" ethnicity (F): 46.
const POPULATION = [
  ...people('fa', 10, { gender: 'F', ethnicity: 'A' }), ...people('ma', 10, { gender: 'M', ethnicity: 'A' }),
  ...people('fb', 10, { gender: 'F', ethnicity: 'B' }), ...people('mb', 10, { gender: 'M', ethnicity: 'B' }),
  ...people('mc', 1, { gender: 'M', ethnicity: 'C' }), ...people('u', 3, { ethnicity: 'A' }),
  ...people('pn', 2, { gender: 'F', ethnicity: 'Prefer not to say' }),
];
// PIP: 5 of F×B, 1 of M×A, 1 of the unknown gender, 1 "Prefer not to say".
const PIP = new Set(['fb1', 'fb2', 'fb3', 'fb4', 'fb5', 'ma1', 'u1', 'pn1']);
const input = (rest: Partial<FairnessInput> = {}): FairnessInput => ({
  population: POPULATION, selected: { pip: PIP }, protectedAttributes: ['gender', 'ethnicity'],
  intersections: [['gender', 'ethnicity']], minGroupSize: 2, unknownValues: ['Prefer not to say'], ...rest,
});

describe('fairness report: intersections, unknowns and small groups', () => {
  it('an intersection is compared like a single attribute, beside it; an unknown part makes the person unknown', () => {
    const r = fairnessReport(input({ unknowns: 'exclude' }));
    expect(r.sections.map((s) => `${s.kind}:${s.attribute}`)).toEqual(['single:gender', 'single:ethnicity', 'intersection:gender × ethnicity']);
    const x = r.sections[2];
    expect(x.attributes).toEqual(['gender', 'ethnicity']);
    expect(x.groups.map((g) => `${g.group}=${g.selected}/${g.size}`)).toEqual(['F × A=0/10', 'F × B=5/10', 'M × A=1/10', 'M × B=0/10', 'M × C=0/1']);
    expect(x.unknown).toEqual({ size: 5, selected: 2 }); // 3 without gender + 2 "Prefer not to say"
    // F × B: favourable 5/10 against the reference's 10/10: 0.5, flagged.
    const fb = x.groups[1];
    expect(fb).toMatchObject({ impactRatio: 0.5, flagged: true });
    expect(x.reference).toEqual(['F × A', 'M × B']);
    // F by gender: 16/22 not on a PIP against M's 20/21: 0.76, flagged too.
    expect(r.flags.map((f) => `${f.attribute}/${f.group}`)).toEqual(['gender/F', 'gender × ethnicity/F × B']);
    expect(r.attributes[2].notes[0]).toBe('5 employees have an unknown gender or ethnicity: counted and shown as unknown, and left out of every rate and ratio (as NYC Local Law 144 audits report them).');
  });

  it('Local Law 144: unknowns are no group and in no test; previews keep them as "(not recorded)"', () => {
    const audit = fairnessReport(input({ unknowns: 'exclude' }));
    const gender = audit.sections[0];
    expect(gender.groups.map((g) => g.group)).toEqual(['F', 'M']);
    expect(gender.unknown).toEqual({ size: 3, selected: 1 });
    expect(gender.judged).toBe(43);
    // Fisher for F (22, 6 PIPs, "Prefer not to say" included) against M only (21, 1 PIP): table
    // [[6, 16], [1, 20]], p = 0.0946 (scipy.stats.fisher_exact); the 3 unknowns are in neither row.
    expect(gender.groups[0].fisherP).toBeCloseTo(0.09457, 4);
    const preview = fairnessReport(input());
    expect(preview.sections[0].groups.map((g) => g.group)).toEqual(['F', 'M', '(not recorded)']);
    expect(preview.sections[0].unknown).toBeNull();
    expect(preview.unknowns).toBe('group');
  });

  it('a share threshold suppresses groups under it and says which rule they are under', () => {
    // 10% of 46 people is 4.6: groups of 1 are under both rules, none of the others.
    const r = fairnessReport(input({ unknowns: 'exclude', minGroupShare: 0.1 }));
    const c = r.sections[1].groups.find((g) => g.group === 'C')!;
    expect(c).toMatchObject({ tooSmall: true, impactRatio: null, fisherP: null, flagged: false });
    expect(c.tooSmallReason).toBe('fewer than 2 people and under 10% of the 46 people evaluated');
    expect(r.attributes[1].notes).toContain('Too small to judge (fewer than 2 people, or under 10% of the 46 people evaluated): "C" (1). Their rates are shown, with no ratio, flag or p-value.');
    // Under the share only: a minimum of 1 and 25% of 46 (11.5) leaves groups of 10 out.
    const share = fairnessReport(input({ unknowns: 'exclude', minGroupSize: 1, minGroupShare: 0.25 }));
    expect(share.sections[2].groups[0].tooSmallReason).toBe('under 25% of the 46 people evaluated');
    // 2% of 50 is exactly 1 (not 1.0000000000000002): a group of 1 is not under it.
    const fifty = [...POPULATION, ...people('z', 4, { gender: 'M', ethnicity: 'A' })];
    const exact = fairnessReport({ ...input({ unknowns: 'exclude', minGroupSize: 1, minGroupShare: 0.02 }), population: fifty });
    expect(exact.sections[1].groups.find((g) => g.group === 'C')!.tooSmall).toBe(false);
    expect(() => fairnessReport(input({ minGroupShare: 1 }))).toThrow(/minGroupShare/);
  });

  it('values the config names as unknown count as unknown, after trimming', () => {
    const r = fairnessReport(input({ unknowns: 'exclude', unknownValues: [' Prefer not to say '] }));
    expect(r.sections[1].unknown).toEqual({ size: 2, selected: 1 });
    const kept = fairnessReport(input({ unknowns: 'exclude', unknownValues: [] }));
    expect(kept.sections[1].groups.map((g) => g.group)).toContain('Prefer not to say');
  });
});

describe('fairness config and range', () => {
  it('an intersection naming an attribute that is not protected is refused at its line and column', () => {
    const text = 'fairness:\n  protectedAttributes: [gender]\n  intersections: [[gender, ethnicity]]\n';
    const { config, diagnostics } = configFromText('appraise.config.yaml', text);
    expect(config).toBeUndefined();
    expect(diagnostics).toEqual([expect.objectContaining({
      code: 'APPRAISE_CONFIG_FAIRNESS_INTERSECTION', line: 3, column: 28,
      message: expect.stringContaining('`fairness.intersections` names `ethnicity`, which is not one of `fairness.protectedAttributes` (`gender`)'),
    })]);
    const ok = configFromText('appraise.config.yaml', 'fairness:\n  protectedAttributes: [gender, ethnicity]\n  intersections: [[gender, ethnicity]]\n  minGroupShare: 0.02\n');
    expect(ok.config!.fairness).toMatchObject({ intersections: [['gender', 'ethnicity']], minGroupShare: 0.02, minGroupSize: 5 });
  });

  it('a date as `to` covers that whole day; a reversed range is refused with a code', () => {
    const r = auditRange('2026-01-01', '2026-12-31');
    expect([r.from.toISOString(), r.to.toISOString()]).toEqual(['2026-01-01T00:00:00.000Z', '2026-12-31T23:59:59.999Z']);
    expect(() => auditRange('2026-12-31', '2026-01-01')).toThrow(expect.objectContaining({ code: 'APPRAISE_FAIRNESS_RANGE' }));
    expect(() => auditRange('2026-13-01', '2026-12-31')).toThrow(expect.objectContaining({ code: 'APPRAISE_DATE_INVALID' }));
  });
});
