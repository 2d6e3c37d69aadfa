// A small policy whose test outcomes are known by hand, for the coverage tests (core and CLI).
import type { PolicyTest } from '../../core/policy/types.ts';

/** Line numbers matter: the uncovered list points at them. */
export const COVERAGE_POLICY = `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: cov, title: Coverage, owner: hr@example.com }
spec:
  appliesTo: { roles: [agent] }
  hitPolicy: first
  facts:
    csat: { metric: customer-feedback.csat }
    nps: { metric: customer-feedback.nps }
  conditions:
    established:
      all:
        - fact: employee.tenureDays
          operator: greaterThanInclusive
          value: 90
    spare:
      all:
        - fact: nps
          operator: greaterThan
          value: 0
  rules:
    - id: pip
      priority: 20
      when:
        all:
          - condition: established
          - fact: csat
            operator: lessThan
            value: 3
      then: { outcome: pip }
    - id: star
      priority: 10
      when:
        any:
          - fact: csat
            operator: greaterThanInclusive
            value: 4.5
          - not:
              fact: nps
              operator: lessThan
              value: 50
      then: { outcome: recognition }
`;

/** Two cases: a PIP (star's comparisons both false), and a star on CSAT alone with NPS missing. */
export const TWO_TESTS: PolicyTest[] = [
  { name: 'low csat after 90 days', employee: { tenureDays: 400 }, facts: { csat: 2.5, nps: 10 }, expect: { fired: ['pip'] } },
  { name: 'high csat, no nps', employee: { tenureDays: 400 }, facts: { csat: 4.8 }, expect: { fired: ['star'] } },
];
