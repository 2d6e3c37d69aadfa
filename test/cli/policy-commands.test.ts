// validate, test and explain from the command line: output formats and exit codes.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './run-cli.ts';

const BROKEN = `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: broken, title: Broken, owner: hr }
spec:
  appliesTo: {}
  facts:
    csat: { metric: customer-feedback.csatt }
  rules:
    - { id: r, when: { all: [{ fact: csat, operator: lessThan, value: 3 }] }, then: { outcome: praise } }
`;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'appraise-cli-'));
}

describe('npx appraise validate', () => {
  it('is clean on the shipped rules and exits 0, with one note per policy of where no rule applies', () => {
    const r = cli(['validate', 'rules/']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/4 file\(s\) checked: 0 error\(s\), 0 warning\(s\), 3 note\(s\)\./);
    expect(r.stdout.split('\n').filter((l) => l.includes(' info APPRAISE_ANALYSIS_GAP '))).toHaveLength(3);
  });

  it('prints file:line:col severity CODE message for every problem and exits 1', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.policy.yaml'), BROKEN);
    const r = cli(['validate', dir]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(`${join(dir, 'broken.policy.yaml')}:9:96 error APPRAISE_POLICY_BAD_OUTCOME \`praise\` is not an outcome; use recognition, coaching or pip.`);
    expect(lines.at(-1)).toBe('1 file(s) checked: 1 error(s), 0 warning(s).');
  });

  it('--format json prints {"diagnostics": [...]}', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.policy.yaml'), BROKEN.replace('outcome: praise', 'outcome: coaching'));
    const r = cli(['validate', dir, '--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.diagnostics).toEqual([
      { file: join(dir, 'broken.policy.yaml'), line: 7, column: 21, severity: 'error', code: 'APPRAISE_POLICY_UNKNOWN_METRIC', message: expect.stringContaining('Did you mean `customer-feedback.csat`?') },
    ]);
  });

  it('exits 2 on usage errors', () => {
    expect(cli(['validate']).code).toBe(2);
    expect(cli(['validate', 'no/such/dir']).code).toBe(2);
    expect(cli(['validate', 'rules/', '--format', 'xml']).code).toBe(2);
    expect(cli(['frobnicate']).code).toBe(2);
  });

  it('reports config file errors with their position', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'appraise.config.yaml'), 'fairness:\n  minGroupSiz: 5\n');
    const r = cli(['--config', join(dir, 'appraise.config.yaml'), 'validate', 'rules/']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'appraise.config.yaml')}:2:3 error APPRAISE_SCHEMA_UNKNOWN_KEY Unknown key \`minGroupSiz\``);
    expect(r.stderr).toContain('Did you mean `minGroupSize`?');
  });
});

describe('npx appraise test', () => {
  it('runs the shipped policy tests and ends with "N passed, 0 failed"', () => {
    const r = cli(['test', 'rules/']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ support-agents › two excellent quarters earn recognition/);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^\d+ passed, 0 failed$/);
  });

  it('exits 1 on a failing case and writes JUnit XML for CI', () => {
    const dir = tempDir();
    cpSync('rules/new-hires.policy.yaml', join(dir, 'new-hires.policy.yaml'));
    writeFileSync(join(dir, 'new-hires.test.yaml'), `apiVersion: appraise/v1
kind: PolicyTests
policy: new-hires
tests:
  - name: wrong on purpose
    employee: { tenureDays: 40 }
    facts: { csat: 4.7, firstResponse: 25m, resolved: 180 }
    expect: { fired: [ramp-up-coaching] }
`);
    const xmlFile = join(dir, 'report.xml');
    const r = cli(['test', dir, '--reporter', 'junit', '--output', xmlFile]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ new-hires › wrong on purpose/);
    expect(r.stdout).toMatch(/expected fired: \[ramp-up-coaching\]/);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('6 passed, 1 failed');
    const xml = readFileSync(xmlFile, 'utf8');
    expect(xml).toMatch(/<testsuites name="appraise policy tests" tests="7" failures="1">/);
    expect(xml).toMatch(/<testcase classname="new-hires" name="wrong on purpose"[^>]*>\s*<failure message="expected fired \[ramp-up-coaching\], got \[fast-start\]"/);
  });
});

describe('npx appraise explain', () => {
  it('explains each rule condition by condition in words', () => {
    const r = cli(['explain', 'rules/support-agents.policy.yaml', '--facts', JSON.stringify({ csat: 3.2, csatLastQuarter: 3.4, nps: -10, fcr: 0.5, firstResponse: '5h', 'history.coaching.completed': 1, 'history.pip.isActive': false }), '--employee', '{"tenureDays": 400}']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Rule pip-after-coaching (pip, priority 30): FIRED: the conditions hold and it is the first firing rule.');
    expect(r.stdout).toContain('✔ csat is 3.2; the condition needs it below 3.6: met');
    expect(r.stdout).toContain('✔ firstResponse is 5h; the condition needs it above 4h: met');
    expect(r.stdout).toContain('Rule coaching-on-dip (coaching, priority 20): fired but not counted');
    expect(r.stdout).toContain('Outcome: fired pip-after-coaching.');
  });

  it('says which condition lacked data', () => {
    const r = cli(['explain', 'rules/support-agents.policy.yaml', '--facts', '{"csatLastQuarter": 3.0}', '--employee', '{"tenureDays": 400}']);
    expect(r.stdout).toContain('? csat is no value; the condition needs it below 3.6: not decided, insufficient data: `csat` has no value');
    expect(r.stdout).toMatch(/not decided for lack of data: pip-after-coaching, coaching-on-dip/);
  });

  it('exits 2 when --facts is not a JSON object', () => {
    const r = cli(['explain', 'rules/support-agents.policy.yaml', '--facts', '[1]']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/APPRAISE_BAD_FACTS/);
  });
});
