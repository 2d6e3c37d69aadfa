// The employee's explanation in plain words, and the editor's completion sites.
import { describe, expect, it } from 'vitest';
import { explainForEmployee } from '../../ui/lib/explain-words.ts';
import { completionSite, declaredFacts } from '../../ui/lib/completion.ts';
import { operatorSymbol, operatorWords } from '../../ui/lib/format.ts';
import { operatorWords as cliOperatorWords } from '../../core/evaluate/explain-text.ts';
import type { RuleExplanation } from '../../ui/api/types.ts';

const rule: RuleExplanation = {
  ruleId: 'pip-low-csat', priority: 30, outcome: 'pip', status: 'fired', counted: true, reason: 'the conditions hold',
  conditions: {
    kind: 'all', result: 'pass', children: [
      { kind: 'fact', operator: 'lessThan', threshold: 2.5, result: 'pass', left: { fact: 'csat', value: 2.1, status: 'ok', samples: 12, minSamples: 3, unit: 'score', window: { from: '2026-10-24T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z' } } },
      { kind: 'fact', operator: 'greaterThan', threshold: 14400, result: 'unknown', reason: 'insufficient data: 2 of the 30 samples required', left: { fact: 'firstResponse', value: undefined, status: 'insufficient', samples: 2, unit: 'duration' } },
    ],
  },
};

describe('explanations in words for the employee', () => {
  it('one sentence a condition, with the number, the threshold, the window and the data points', () => {
    const w = explainForEmployee(rule);
    expect(w.summary).toBe("This improvement plan was proposed because the review policy's conditions were met:");
    expect(w.lines[0]).toEqual({ depth: 0, result: 'pass', text: 'csat from 24 Oct 2026 – 22 Nov 2026 (12 data points) was 2.1; the policy looks for below 2.5. This was the case.' });
    expect(w.lines[1].text).toBe('firstResponse (2 data points) was not known; the policy looks for above 4h. This could not be decided: insufficient data: 2 of the 30 samples required.');
  });
});

describe('operator words, shared with the CLI', () => {
  it('the same words; an operator without words by its id, bare in the UI and as code in the CLI', () => {
    for (const words of [operatorWords, cliOperatorWords]) {
      expect(words('greaterThanInclusive')).toBe('at least');
      expect(words('not:in')).toBe('not one of');
      expect(words('someFact:contains')).toBe('some element containing');
    }
    expect(operatorWords('support.withinSla')).toBe('support.withinSla');
    expect(cliOperatorWords('support.withinSla')).toBe('`support.withinSla`');
    expect(operatorSymbol('lessThanInclusive')).toBe('≤');
    expect(operatorSymbol('in')).toBe('one of');
  });
});

describe('completion sites in the policy editor', () => {
  it('after metric:, fact: and operator:, inline or in a flow mapping', () => {
    expect(completionSite('    csat: { metric: customer-fe')).toEqual({ kind: 'metric', from: 20, prefix: 'customer-fe' });
    expect(completionSite('          - fact: ')).toEqual({ kind: 'fact', from: 18, prefix: '' });
    expect(completionSite('      when: { all: [{ fact: csat, operator: less')).toMatchObject({ kind: 'operator', prefix: 'less' });
    expect(completionSite('  title: metric')).toBeNull();
  });

  it('workflow ids in a flow list and in a block list under workflows:', () => {
    expect(completionSite('      then: { outcome: pip, workflows: [log.write, web')).toMatchObject({ kind: 'workflow', prefix: 'web' });
    expect(completionSite('          - web', ['      then:', '        workflows:'])).toMatchObject({ kind: 'workflow', prefix: 'web' });
    expect(completionSite('          - web', ['      rules:', '        items:'])).toBeNull();
  });

  it("the policy's declared facts are read from the text as typed", () => {
    expect(declaredFacts('spec:\n  facts:\n    csat: { metric: a.b }\n    nps:\n      metric: a.c\n  rules: []\n')).toEqual(['csat', 'nps']);
  });
});
