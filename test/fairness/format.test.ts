// The CLI's text form of a fairness report: a table per attribute and outcome, the notes, and
// every flag in words; and the number formats that keep a flagged ratio from reading "0.80".
import { describe, expect, it } from 'vitest';
import { fairnessReport } from '../../core/fairness/report.ts';
import { formatFairness } from '../../core/fairness/format.ts';
import { formatP, formatRate, formatRatio, quoteGroups } from '../../core/fairness/messages.ts';
import type { FairnessSubject } from '../../core/fairness/types.ts';

const staff = (p: string, n: number, attributes: Record<string, unknown>): FairnessSubject[] =>
  Array.from({ length: n }, (_, i) => ({ employeeId: `${p}${i + 1}`, attributes }));
const first = (p: string, k: number) => Array.from({ length: k }, (_, i) => `${p}${i + 1}`);

describe('formatFairness', () => {
  it('prints a table per outcome with the flags under it', () => {
    const population = [...staff('m', 20, { gender: 'M' }), ...staff('f', 20, { gender: 'F' }), ...staff('x', 3, { gender: 'X' }), ...staff('n', 2, {})];
    const report = fairnessReport({
      population,
      selected: { coaching: new Set(first('f', 4)), pip: new Set([...first('m', 2), ...first('f', 6), 'x1']) },
      protectedAttributes: ['gender'],
    });
    expect(formatFairness(report)).toBe(
      [
        'Fairness report: 45 employees; groups under 5 are too small to judge; an impact ratio below 0.8 is flagged (four-fifths rule).',
        '',
        'By gender',
        '  2 employees have no gender recorded: counted in the "(not recorded)" group, which is reported (and judged when large enough) but never used as the reference.',
        '  Too small to judge (fewer than 5 people): "X" (3), "(not recorded)" (2). Their rates are shown, with no ratio, flag or p-value.',
        '',
        '  Coaching (4 selected; favourable: no coaching)',
        '    group           size  selected  rate  favourable  impact ratio  adverse ratio  Fisher p',
        '    F                 20         4   20%         80%          0.80              ∞      0.11',
        '    M                 20         0    0%        100%          1.00           1.00      0.11  reference (most favoured)',
        '    X                  3         0    0%        100%             –              –         –  too small to judge',
        '    (not recorded)     2         0    0%        100%             –              –         –  too small to judge',
        '',
        '  PIP (9 selected; favourable: no PIP)',
        '    group           size  selected   rate  favourable  impact ratio  adverse ratio  Fisher p',
        '    F                 20         6    30%         70%          0.78           3.00      0.24  FLAGGED: below 0.8',
        '    M                 20         2    10%         90%          1.00           1.00      0.24  reference (most favoured)',
        '    X                  3         1  33.3%       66.7%             –              –         –  too small to judge',
        '    (not recorded)     2         0     0%        100%             –              –         –  too small to judge',
        '',
        'Flags (1):',
        '  ! PIP by gender: "F" (20 people) are placed on a PIP at 3.0× the rate of "M" (30% vs 10%): impact ratio 0.78 < 0.8 (four-fifths rule); Fisher\'s exact p = 0.24 (a difference this size could be chance at these group sizes).',
        '',
      ].join('\n'),
    );
  });

  it('says why there is no ratio, and that nothing was flagged', () => {
    const report = fairnessReport({ population: staff('m', 6, { gender: 'M' }), selected: { recognition: new Set() }, protectedAttributes: ['gender'] });
    const text = formatFairness(report);
    expect(text).toContain('    Nobody in a group large enough to judge was recognised: no group is favoured, so there is no impact ratio.\n');
    expect(text).toContain('    Only "M" is large enough to judge: there is no other group to compare it with.\n');
    expect(text.endsWith('No group is below the four-fifths rule.\n')).toBe(true);
  });
});

describe('number formats', () => {
  it('never rounds a flagged ratio up to the threshold, nor an unflagged one down', () => {
    expect(formatRatio(7 / 9)).toBe('0.78');
    expect(formatRatio(0.7996)).toBe('0.7996');
    expect(formatRatio(0.79999)).toBe('0.79999');
    expect(formatRatio(0.8)).toBe('0.80');
    expect(formatRatio(1)).toBe('1.00');
  });

  it('writes rates as percentages and p-values to two significant figures', () => {
    expect(formatRate(0.3)).toBe('30%');
    expect(formatRate(2 / 15)).toBe('13.3%');
    expect(formatRate(1)).toBe('100%');
    expect(formatP(0.235116235116235)).toBe('0.24');
    expect(formatP(0.0201960201960202)).toBe('0.02');
    expect(formatP(0.00275945618522008)).toBe('0.0028');
    expect(formatP(0.000536724119143436)).toBe('< 0.001');
    expect(formatP(1)).toBe('1');
  });

  it('lists reference groups in words', () => {
    expect(quoteGroups(['M'])).toBe('"M"');
    expect(quoteGroups(['A', 'B'])).toBe('"A" and "B"');
    expect(quoteGroups(['A', 'B', 'C'])).toBe('"A", "B" and "C"');
  });
});
