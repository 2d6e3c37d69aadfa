// The impact summary that Publish shows: who newly gets or no longer gets each outcome (a
// change of outcome counts as both), the fairness flags, when a summary is still "fresh" (the
// same text against the same published version), and the note the publish comment ends with.
import { describe, expect, it } from 'vitest';
import type { AffectedEmployee, FairnessFlag, SimulateResponse } from '../../ui/api/types.ts';
import { PREVIEW_NOTE_MAX, isFresh, previewNote, summarizeImpact, textHash, withPreviewNote } from '../../ui/lib/impact.ts';

const person = (employeeId: string, name: string, outcomes: AffectedEmployee['outcomes']): AffectedEmployee => ({ employeeId, name, outcomes, rules: [] });

function simulation(o: Partial<SimulateResponse> = {}): SimulateResponse {
  return {
    policyId: 'support-quality', asOf: '2026-12-04T00:00:00.000Z', publishedVersion: 3,
    inScope: { draft: 10, published: 10 }, counts: { draft: { recognition: 0, coaching: 0, pip: 0 }, published: { recognition: 0, coaching: 0, pip: 0 } },
    newlyAffected: [], noLongerAffected: [], changedOutcome: [], undecided: { draft: 0, published: 0 }, warnings: [], ms: 5,
    fairness: { populationSize: 10, minGroupSize: 3, minGroupShare: 0, unknowns: 'group', unknownValues: [], intersections: [], threshold: 0.8, protectedAttributes: ['gender'], outcomes: [], attributes: [], sections: [], flags: [], notes: [] },
    ...o,
  };
}

const FLAG: FairnessFlag = { outcome: 'pip', attribute: 'gender', group: 'F', size: 10, reference: ['M'], selectionRate: 0.3, referenceSelectionRate: 0.1, impactRatio: 0.78, adverseRateRatio: 3, fisherP: 0.2, message: 'PIP by gender: "F" (10 people) are placed on a PIP at 3.0× the rate of "M".' };

const YAML = 'apiVersion: appraise/v1\nkind: ReviewPolicy\n';

describe('impact summary', () => {
  it('lists who newly gets and who no longer gets each outcome; a changed outcome counts under both', () => {
    const s = summarizeImpact(YAML, simulation({
      newlyAffected: [person('e09', 'Isabel Ortiz', ['coaching']), person('e02', 'Ben Carter', ['coaching'])],
      noLongerAffected: [person('e05', 'Elif Yılmaz', ['recognition'])],
      changedOutcome: [{ employeeId: 'e01', name: 'Ana Souza', before: ['coaching'], after: ['pip'], rules: [] }],
    }));
    expect(s.gains).toEqual({ recognition: [], coaching: [{ employeeId: 'e02', name: 'Ben Carter' }, { employeeId: 'e09', name: 'Isabel Ortiz' }], pip: [{ employeeId: 'e01', name: 'Ana Souza' }] });
    expect(s.losses).toEqual({ recognition: [{ employeeId: 'e05', name: 'Elif Yılmaz' }], coaching: [{ employeeId: 'e01', name: 'Ana Souza' }], pip: [] });
    expect(previewNote(s)).toBe('(Previewed before publishing: newly 2 coaching, 1 PIP; no longer 1 recognition, 1 coaching; no fairness flags.)');
  });

  it('keeps the fairness flags in words, and says when fairness was not checked', () => {
    const base = simulation();
    const flagged = summarizeImpact(YAML, simulation({ fairness: { ...base.fairness, flags: [FLAG] } }));
    expect(flagged.flags).toEqual([FLAG.message]);
    expect(previewNote(flagged)).toBe("(Previewed before publishing: nobody's outcome changes; 1 fairness flag.)");
    const unchecked = summarizeImpact(YAML, simulation({ fairness: { ...base.fairness, protectedAttributes: [] } }));
    expect(unchecked.fairnessChecked).toBe(false);
    expect(previewNote(unchecked)).toMatch(/fairness not checked\.\)$/);
  });

  it('is fresh only for the same text against the version still published', () => {
    const s = summarizeImpact(YAML, simulation({ publishedVersion: 3 }));
    expect(isFresh(s, YAML, 3)).toBe(true);
    expect(isFresh(s, `${YAML} `, 3)).toBe(false); // one more space is another draft
    expect(isFresh(s, YAML, 4)).toBe(false); // someone published since
    expect(isFresh(null, YAML, 3)).toBe(false);
  });

  it('hashes texts apart, and the same text alike', () => {
    expect(textHash(YAML)).toBe(textHash(`${YAML}`));
    expect(textHash('value: 3.5')).not.toBe(textHash('value: 4.2'));
    expect(textHash('ab')).not.toBe(textHash('ba'));
  });

  it('the publish comment records whether a preview was seen, within the API limit of 2000 characters', () => {
    expect(withPreviewNote('  Coach earlier ', null)).toBe('Coach earlier (Published without a preview.)');
    const s = summarizeImpact(YAML, simulation({ newlyAffected: Array.from({ length: 12345 }, (_, i) => person(`e${i}`, `N${i}`, ['coaching', 'pip', 'recognition'])), noLongerAffected: Array.from({ length: 23456 }, (_, i) => person(`x${i}`, `X${i}`, ['coaching', 'pip', 'recognition'])), fairness: { ...simulation().fairness, flags: Array<FairnessFlag>(99).fill({ ...FLAG }) } }));
    expect(previewNote(s).length).toBeLessThanOrEqual(PREVIEW_NOTE_MAX);
    expect(withPreviewNote('x'.repeat(2000 - PREVIEW_NOTE_MAX - 1), s).length).toBeLessThanOrEqual(2000);
  });
});
