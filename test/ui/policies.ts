// The policies the browser tests publish and edit, and the lines of them the tests change.

/** The policy the tests edit. Line numbers matter to the tests: see POLICY_LINES. */
export const SUPPORT_POLICY = `apiVersion: appraise/v1
kind: ReviewPolicy
metadata:
  id: support-quality
  title: Support quality monthly review
  owner: hr-support@example.com
spec:
  appliesTo:
    roles: [agent]
  window: 30d
  cycle: month
  schedule: "0 6 1 * *"
  hitPolicy: first
  facts:
    csat: { metric: customer-feedback.csat, minSamples: 3 }
    nps: { metric: customer-feedback.nps, minSamples: 3 }
  rules:
    - id: pip-low-csat
      description: Very low satisfaction over the month.
      priority: 30
      when: { all: [{ name: "Zufriedenheit sehr niedrig 😟", fact: csat, operator: lessThan, value: 2.5 }] }
      then: { outcome: pip }
      approval: required
    - id: coaching-dip
      priority: 20
      when: { any: [{ fact: csat, operator: lessThan, value: 3.5 }] }
      then: { outcome: coaching }
    - id: star
      priority: 10
      when:
        all:
          - fact: csat
            operator: greaterThanInclusive
            value: 4.5
          - fact: nps
            operator: greaterThanInclusive
            value: 50
      then: { outcome: recognition, params: { award: customer-champion } }
`;

/** 1-based lines of SUPPORT_POLICY that the tests edit. */
export const POLICY_LINES = { pipCondition: 21, coachingCondition: 26 };

export const SUCCESS_POLICY = (threshold: number) => `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: success-nps, title: Customer success loyalty, owner: people-ops@example.com }
spec:
  appliesTo: { departments: [Customer Success] }
  window: 60d
  cycle: quarter
  facts:
    nps: { metric: customer-feedback.nps, minSamples: 5 }
  rules:
    - id: loyal-customers
      when: { all: [{ fact: nps, operator: greaterThanInclusive, value: ${threshold} }] }
      then: { outcome: recognition, params: { award: loyalty-star } }
`;
