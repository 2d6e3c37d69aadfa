// Review templates load like policies: the shipped one is clean, and each mistake is a coded
// diagnostic at its line and column.
import { describe, expect, it } from 'vitest';
import { loadTemplateText, overallScore } from '../../core/people/reviews/template.ts';
import { packetSectionIds } from '../../core/people/reviews/packet.ts';
import '../../core/people/reviews/sections/index.ts';
import { quarterlyTemplate } from './reviews-helpers.ts';

const YAML = `apiVersion: appraise/v1
kind: ReviewTemplate
metadata: { id: t, title: T }
spec:
  scales:
    five: { min: 1, max: 5, labels: { 6: Too high } }
  sections:
    - { id: a, title: A, scale: fiv, weight: 1 }
    - { id: a, title: A again, scale: five, weight: 1, evidence: [verbatim] }
    - { id: b, title: B, scale: five, weight: 1, colour: red }
`;

describe('review templates', () => {
  it('the shipped quarterly template loads without a problem', async () => {
    const { template } = await quarterlyTemplate();
    expect(template.spec.sections.map((s) => s.id)).toEqual(['customer-outcomes', 'follow-up', 'growth', 'teamwork']);
    expect(overallScore(template, { 'customer-outcomes': 5, 'follow-up': 5, growth: 5, teamwork: 5 })).toBe(5);
    expect(overallScore(template, { 'customer-outcomes': 5 })).toBeUndefined();
  });

  it('a key the schema does not know is an error where it stands', () => {
    const loaded = loadTemplateText('t.review.yaml', YAML, packetSectionIds());
    expect(loaded.template).toBeUndefined();
    expect(loaded.diagnostics).toMatchObject([{ code: 'APPRAISE_SCHEMA_UNKNOWN_KEY', line: 10 }]);
  });

  it('unknown scales, repeated ids, labels off the scale and unknown evidence are located', () => {
    const loaded = loadTemplateText('t.review.yaml', YAML.replace(', colour: red', ''), packetSectionIds());
    expect(loaded.template).toBeUndefined();
    expect(loaded.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['APPRAISE_REVIEW_TEMPLATE_BAD_SCALE', 6],
      ['APPRAISE_REVIEW_TEMPLATE_UNKNOWN_SCALE', 8],
      ['APPRAISE_REVIEW_TEMPLATE_DUPLICATE_SECTION', 9],
      ['APPRAISE_REVIEW_TEMPLATE_UNKNOWN_EVIDENCE', 9],
    ]);
    expect(loaded.diagnostics[1].message).toContain('Did you mean `five`?');
    expect(loaded.diagnostics[3].message).toContain('Did you mean `verbatims`?');
  });
});
