// `params.where` and target tables are checked against the fields of the metric's record kind,
// custom fields of appraise.config.yaml included, with the line and column of the mistake and a
// "did you mean" — a segment that matches no record must never reach a run.
import { beforeAll, describe, expect, it } from 'vitest';
import { configFromText, defaultConfig } from '../../core/config/config.ts';
import { pluginSetFromConfig } from '../../core/plugins/host-from-config.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import type { Registry } from '../../core/registry/registry.ts';

const CONFIG = `records:
  support.ticket:
    fields:
      priority: { type: integer, minimum: 1, maximum: 4, title: Priority }
      category: { type: string, maxLength: 80 }
      tier: { type: string, enum: [gold, silver] }
`;

let registry: Registry;
beforeAll(async () => {
  const { config, diagnostics } = configFromText('appraise.config.yaml', CONFIG);
  expect(diagnostics).toEqual([]);
  registry = (await pluginSetFromConfig(config!)).registry;
});

/** A policy whose one fact has these params (indented under `params:` at line 9). */
function policy(metric: string, params: string): string {
  return `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: p, title: P, owner: hr@example.com }
spec:
  window: 30d
  facts:
    speed:
      metric: ${metric}
      params:
${params.replace(/^/gm, '        ')}
  rules:
    - id: slow
      priority: 1
      when: { all: [ { fact: speed, operator: greaterThan, value: 0.5 } ] }
      then: { outcome: coaching }
  appliesTo: { roles: [support-agent] }
`;
}

const check = (metric: string, params: string) => {
  const loaded = loadPolicyText('p.policy.yaml', policy(metric, params), registry);
  return loaded.diagnostics.filter((d) => d.severity === 'error').sort((a, b) => a.line - b.line || a.column - b.column).map((d) => ({ code: d.code, line: d.line, column: d.column, message: d.message }));
};

describe('params.where', () => {
  it('accepts a list, a value, bounds and several keys on plugin and custom fields', () => {
    expect(check('support.sla-attainment', 'where:\n  priority: [1, 2]\n  channel: phone\n  reassignments: { gte: 1, lt: 5 }\n  tier: gold')).toEqual([]);
  });

  it('an unknown field is reported at its key, with the closest custom field', () => {
    const [d, ...rest] = check('support.reassignment-rate', 'where:\n  priorty: [1, 2]');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: 'APPRAISE_POLICY_UNKNOWN_FIELD', line: 11, column: 11 });
    expect(d.message).toContain('Did you mean `priority`?');
    expect(d.message).toContain('category'); // the fields are listed, custom ones too
  });

  it('a plugin field is suggested too', () => {
    const [d] = check('support.reassignment-rate', 'where:\n  chanel: phone');
    expect(d).toMatchObject({ code: 'APPRAISE_POLICY_UNKNOWN_FIELD', line: 11, column: 11 });
    expect(d.message).toContain('Did you mean `channel`?');
  });

  it('text for an integer field is reported at the value', () => {
    const [d] = check('support.reassignment-rate', 'where:\n  priority: [1, "2"]');
    expect(d).toMatchObject({ code: 'APPRAISE_POLICY_BAD_WHERE', line: 11, column: 25 });
    expect(d.message).toContain('`priority` is an integer field');
  });

  it('a value outside the enum or the range names what is allowed', () => {
    const errors = check('support.reassignment-rate', 'where:\n  tier: bronze\n  priority: 7');
    expect(errors).toMatchObject([
      { code: 'APPRAISE_POLICY_BAD_WHERE', line: 11, column: 17 },
      { code: 'APPRAISE_POLICY_BAD_WHERE', line: 12, column: 21 },
    ]);
    expect(errors[0].message).toContain('`gold`, `silver`');
    expect(errors[1].message).toContain('1–4');
  });

  it('bounds only on number fields, and only gt/gte/lt/lte', () => {
    const errors = check('support.reassignment-rate', 'where:\n  channel: { gte: 1 }\n  reassignments: { gtee: 1 }');
    expect(errors).toMatchObject([
      { code: 'APPRAISE_POLICY_BAD_WHERE', line: 11, column: 20 },
      { code: 'APPRAISE_POLICY_BAD_WHERE', line: 12, column: 28 },
    ]);
    expect(errors[1].message).toContain('Did you mean `gte`?');
  });

  it('without the custom fields, priority is unknown', async () => {
    const plain = (await pluginSetFromConfig(defaultConfig())).registry;
    const loaded = loadPolicyText('p.policy.yaml', policy('support.reassignment-rate', 'where:\n  priority: 1'), plain);
    expect(loaded.diagnostics.map((d) => d.code)).toContain('APPRAISE_POLICY_UNKNOWN_FIELD');
  });
});

describe('target tables', () => {
  it('accepts priorities as table keys', () => {
    expect(check('support.sla-attainment', 'targets:\n  field: priority\n  measure: first-response\n  within: { "1": 4h, "2": 8h, "3": 24h, "4": 72h }')).toEqual([]);
  });

  it('an unknown field and a key that is no priority are located', () => {
    expect(check('support.sla-attainment', 'targets:\n  field: priorty\n  within: { "1": 4h }')).toMatchObject([
      { code: 'APPRAISE_POLICY_UNKNOWN_FIELD', line: 11, column: 18, message: expect.stringContaining('Did you mean `priority`?') },
    ]);
    expect(check('support.sla-attainment', 'targets:\n  field: priority\n  within: { P1: 4h, "9": 1d }')).toMatchObject([
      { code: 'APPRAISE_POLICY_BAD_WHERE', line: 12, column: 21, message: expect.stringContaining('`priority` is an integer field') },
      { code: 'APPRAISE_POLICY_BAD_WHERE', line: 12, column: 29, message: expect.stringContaining('1–4') },
    ]);
  });

  it('a target that is not a duration is a params error', () => {
    const [d] = check('support.sla-attainment', 'targets:\n  field: priority\n  within: { "1": 4 hours }');
    expect(d).toMatchObject({ code: 'APPRAISE_POLICY_BAD_PARAMS', line: 12, column: 26 });
  });
});
