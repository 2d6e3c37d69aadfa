// A corpus of deliberately broken policies, one mistake per file (plus two files with several
// independent mistakes), each with the exact diagnostics a user must see: code, severity, and
// the line and column of the key or value a person would point at. The table is the
// specification; every file in the folder must have an entry.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../core/diagnostics/codes.ts';
import type { Diagnostic, Severity } from '../../core/diagnostics/diagnostic.ts';
import { registryFromManifests } from '../../core/plugins/catalogue.ts';
import { loadPolicyFile } from '../../core/policy/load.ts';
import { LIMITS } from '../../core/policy/yaml-source.ts';
import type { Registry } from '../../core/registry/registry.ts';

const DIR = fileURLToPath(new URL('../fixtures/broken-policies/', import.meta.url));

interface Expected {
  code: ErrorCode;
  line: number;
  column: number;
  /** Defaults to `error`. */
  severity?: Severity;
  /** Text the message must contain. */
  message?: string;
}

const e = (code: ErrorCode, line: number, column: number, message?: string): Expected => ({ code, line, column, message });

const EXPECTED: Record<string, Expected[]> = {
  // YAML
  'yaml-syntax-error.policy.yaml': [e('APPRAISE_YAML_SYNTAX', 10, 12, 'never closed')], // the `[` left open
  'unclosed-quote.policy.yaml': [e('APPRAISE_YAML_SYNTAX', 6, 10, 'never closed')], // the opening `"`
  'tab-indent.policy.yaml': [e('APPRAISE_YAML_TAB', 10, 1)], // the tab itself, no cascade on line 11
  'tab-after-spaces.policy.yaml': [e('APPRAISE_YAML_TAB', 13, 5)], // the tab after four spaces
  'duplicate-key.policy.yaml': [e('APPRAISE_YAML_DUPLICATE_KEY', 8, 3)], // the second `owner`
  'two-documents.policy.yaml': [e('APPRAISE_YAML_MULTIPLE_DOCUMENTS', 20, 1)], // the `---`
  'alias-bomb.policy.yaml': [e('APPRAISE_YAML_ALIAS_LIMIT', 15, 26)], // the `*a3` that passes the limit
  'undefined-alias.policy.yaml': [e('APPRAISE_YAML_SYNTAX', 12, 13, '`*supportRoles`')], // the alias, not an "alias bomb"
  'proto-key.policy.yaml': [e('APPRAISE_YAML_UNSAFE_KEY', 9, 5, '__proto__')],
  'constructor-key.policy.yaml': [e('APPRAISE_YAML_UNSAFE_KEY', 21, 11, 'constructor')],
  'yaml-too-deep.policy.yaml': [e('APPRAISE_YAML_TOO_DEEP', 12, 51)], // the first `[` past 40 levels

  // Shape
  'wrong-type-window.policy.yaml': [e('APPRAISE_SCHEMA_WRONG_TYPE', 11, 11, '`90d`')],
  'unknown-key-prioriy.policy.yaml': [e('APPRAISE_SCHEMA_UNKNOWN_KEY', 13, 7, 'Did you mean `priority`?')],
  'unknown-key-windw.policy.yaml': [e('APPRAISE_SCHEMA_UNKNOWN_KEY', 11, 3, 'Did you mean `window`?')],
  // One mistake, one diagnostic: not also "missing the required field `operator`".
  'unknown-key-opertor.policy.yaml': [e('APPRAISE_SCHEMA_UNKNOWN_KEY', 16, 13, 'Did you mean `operator`?')],
  // The top of `when` allows no other keys, yet reported only "missing `all`" before.
  'unknown-key-al.policy.yaml': [e('APPRAISE_SCHEMA_UNKNOWN_KEY', 14, 9, 'Did you mean `all`?')],
  'missing-owner.policy.yaml': [e('APPRAISE_SCHEMA_MISSING_FIELD', 4, 1, '`owner`')], // the `metadata` key
  'missing-rule-then.policy.yaml': [e('APPRAISE_SCHEMA_MISSING_FIELD', 12, 7, '`then`')], // the rule (its first key)
  'bad-api-version.policy.yaml': [e('APPRAISE_SCHEMA_INVALID_VALUE', 2, 13, 'appraise/v1')],
  'bad-kind.policy.yaml': [e('APPRAISE_SCHEMA_INVALID_VALUE', 3, 7, 'ReviewPolicy')],
  'bad-outcome.policy.yaml': [e('APPRAISE_POLICY_BAD_OUTCOME', 19, 18, 'praise')],
  'priority-zero.policy.yaml': [e('APPRAISE_POLICY_BAD_PRIORITY', 13, 17)],
  'priority-fraction.policy.yaml': [e('APPRAISE_POLICY_BAD_PRIORITY', 13, 17)],
  'bad-duration-days.policy.yaml': [e('APPRAISE_POLICY_BAD_DURATION', 11, 11, '`90days`')],
  'bad-duration-months.policy.yaml': [e('APPRAISE_POLICY_BAD_DURATION', 20, 17, '`3mo`')],
  'empty-all.policy.yaml': [e('APPRAISE_POLICY_EMPTY_CONDITION', 14, 9, '`all`')],
  'empty-any.policy.yaml': [e('APPRAISE_POLICY_EMPTY_CONDITION', 18, 13, '`any`')],
  'unknown-metric-unqualified.policy.yaml': [e('APPRAISE_POLICY_UNKNOWN_METRIC', 13, 15, 'Did you mean `customer-feedback.csat`?')],

  // References
  'unknown-fact.policy.yaml': [e('APPRAISE_POLICY_UNKNOWN_FACT', 21, 19, 'Did you mean `firstResponse`?')],
  'unknown-metric.policy.yaml': [e('APPRAISE_POLICY_UNKNOWN_METRIC', 13, 15, 'Did you mean `customer-feedback.csat`?')],
  'unknown-operator.policy.yaml': [e('APPRAISE_POLICY_UNKNOWN_OPERATOR', 16, 23, 'Did you mean `greaterThan`?')],
  'unknown-operator-decorator.policy.yaml': [e('APPRAISE_POLICY_UNKNOWN_OPERATOR', 16, 23, 'Did you mean `not`?')],
  'unknown-workflow.policy.yaml': [e('APPRAISE_POLICY_UNKNOWN_WORKFLOW', 20, 21, '`webhook.pst`')],
  'unknown-shared-condition.policy.yaml': [e('APPRAISE_POLICY_UNKNOWN_CONDITION', 21, 24, 'Did you mean `establishedAgent`?')],
  'shared-condition-cycle.policy.yaml': [e('APPRAISE_POLICY_CONDITION_CYCLE', 12, 5, 'established → senior → established')],
  'shared-condition-bare.policy.yaml': [e('APPRAISE_POLICY_SHARED_CONDITION_SHAPE', 14, 5, 'Write `lowCsat: { all: [ … ] }`')],
  'duplicate-rule-id.policy.yaml': [e('APPRAISE_POLICY_DUPLICATE_RULE', 20, 11)], // the second id
  'conditions-too-deep.policy.yaml': [e('APPRAISE_POLICY_CONDITION_TOO_DEEP', 24, 49)], // the 11th `all`
  'test-unknown-rule.policy.yaml': [e('APPRAISE_POLICY_TEST_UNKNOWN_RULE', 23, 25, 'Did you mean `coaching-on-dip`?')],
  'bad-cron-schedule.policy.yaml': [e('APPRAISE_POLICY_BAD_SCHEDULE', 11, 13)],

  // Units, ranges and types of values
  'duration-vs-bare-number.policy.yaml': [e('APPRAISE_POLICY_UNIT_MISMATCH', 20, 20, '`4h`')],
  'csat-score-vs-60.policy.yaml': [e('APPRAISE_POLICY_OUT_OF_RANGE', 20, 20, '1–5')],
  'percentile-vs-150.policy.yaml': [e('APPRAISE_POLICY_OUT_OF_RANGE', 21, 20, '0–100')],
  'min-group-size-without-percentile.policy.yaml': [e('APPRAISE_SCHEMA_MISSING_FIELD', 14, 7, 'add `percentileWithin`')],
  'ratio-vs-85.policy.yaml': [e('APPRAISE_POLICY_OUT_OF_RANGE', 20, 20, '0.85')],
  'in-with-string.policy.yaml': [e('APPRAISE_POLICY_TYPE_MISMATCH', 17, 20, 'list')],
  'path-on-number-fact.policy.yaml': [e('APPRAISE_POLICY_BAD_PATH', 16, 19)],
  'params-on-metric-condition.policy.yaml': [e('APPRAISE_POLICY_BAD_PARAMS', 19, 13)], // the `params` key
  'metric-params-schema.policy.yaml': [e('APPRAISE_POLICY_BAD_PARAMS', 14, 23, '`top2box`')], // `median`

  // Several independent mistakes in one file: all are reported in one run.
  'all-problems-at-once.policy.yaml': [
    e('APPRAISE_SCHEMA_MISSING_FIELD', 4, 1, '`owner`'),
    e('APPRAISE_SCHEMA_UNKNOWN_KEY', 10, 3, 'Did you mean `window`?'),
    e('APPRAISE_SCHEMA_WRONG_TYPE', 14, 19, 'integer'),
    e('APPRAISE_POLICY_BAD_OUTCOME', 23, 18, 'praise'),
  ],
  'all-semantic-problems-at-once.policy.yaml': [
    e('APPRAISE_POLICY_UNKNOWN_METRIC', 13, 15, 'Did you mean `customer-feedback.csat`?'),
    e('APPRAISE_POLICY_UNKNOWN_OPERATOR', 22, 23, 'Did you mean `greaterThan`?'),
    e('APPRAISE_POLICY_UNKNOWN_WORKFLOW', 26, 21, '`webhook.pst`'),
    e('APPRAISE_POLICY_TEST_UNKNOWN_RULE', 30, 25, 'Did you mean `coaching-on-dip`?'),
  ],
};

const shape = (d: Pick<Diagnostic, 'code' | 'severity' | 'line' | 'column'>) => ({ code: d.code, severity: d.severity, line: d.line, column: d.column });
const byPosition = <T extends { line: number; column: number; code: string }>(a: T, b: T) => a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);

let registry: Registry;
beforeAll(async () => {
  registry = await registryFromManifests();
});

describe('broken policy corpus', () => {
  it('every fixture has an expectation and every expectation a fixture', () => {
    const files = readdirSync(DIR).filter((f) => !f.startsWith('.')).sort();
    expect(files.length).toBeGreaterThanOrEqual(34);
    expect(files.filter((f) => !(f in EXPECTED)), 'fixtures without an entry in EXPECTED').toEqual([]);
    expect(Object.keys(EXPECTED).filter((f) => !files.includes(f)), 'entries in EXPECTED without a fixture').toEqual([]);
  });

  it.each(Object.entries(EXPECTED))('%s', async (file, expected) => {
    const loaded = await loadPolicyFile(join(DIR, file), registry);
    expect(loaded.policy, 'a broken policy must be rejected').toBeUndefined();
    const actual = [...loaded.diagnostics].sort(byPosition);
    const wanted = [...expected].sort(byPosition);
    expect(actual.map(shape)).toEqual(wanted.map((x) => shape({ severity: 'error', ...x })));
    wanted.forEach((w, i) => {
      if (w.message) expect(actual[i].message).toContain(w.message);
      expect(actual[i].file).toBe(join(DIR, file));
    });
  });
});

// Generated rather than committed, to keep the repository small.
describe('generated broken policies', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'appraise-broken-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('a file over 256 KB is refused before it is parsed', async () => {
    const file = join(tmp, 'file-too-large.policy.yaml');
    const head = readFileSync(join(DIR, 'missing-owner.policy.yaml'), 'utf8');
    // One byte over the limit: a valid-looking policy followed by a long comment.
    const text = head + '#'.repeat(LIMITS.maxBytes + 1 - Buffer.byteLength(head) - 1) + '\n';
    expect(Buffer.byteLength(text)).toBe(LIMITS.maxBytes + 1);
    writeFileSync(file, text);
    const loaded = await loadPolicyFile(file, registry);
    expect(loaded.policy).toBeUndefined();
    expect(loaded.diagnostics.map(shape)).toEqual([{ code: 'APPRAISE_FILE_TOO_LARGE', severity: 'error', line: 1, column: 1 }]);
    expect(loaded.diagnostics[0].message).toContain(String(LIMITS.maxBytes));
  });

  // `[[[[…` tens of thousands deep overflowed the yaml composer's stack, and the next parse in
  // the same process then killed Node; it must be refused (every time) before composing.
  it('thousands of nested lists are refused without crashing the process, twice in a row', async () => {
    const file = join(tmp, 'deep-flow.policy.yaml');
    writeFileSync(file, `apiVersion: appraise/v1\nkind: ReviewPolicy\nmetadata: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`);
    for (let round = 0; round < 2; round++) {
      const loaded = await loadPolicyFile(file, registry);
      expect(loaded.policy).toBeUndefined();
      // metadata's value is at depth 1, so the 41st `[` (column 51) is the first one too deep.
      expect(loaded.diagnostics.map(shape)).toEqual([{ code: 'APPRAISE_YAML_TOO_DEEP', severity: 'error', line: 3, column: 51 }]);
    }
  });
});
