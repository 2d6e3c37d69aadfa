// `npx appraise policies notice` and a run in the notice period, from the command line: the
// notice as published (text with the line that says when and which text, printable HTML, JSON
// whose hash is the text's), with the configured contact and notice period; a run the same day
// says the policy is in its notice period and opens no case.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, expectError, ROOT } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'appraise-notice-'));
const dataDir = join(dir, 'store');
const config = join(dir, 'appraise.config.yaml');
writeFileSync(config, 'policies:\n  noticeDays: 14\n  notice:\n    contact: "People team <people@example.com>"\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => cli(['--config', config, ...args, '--data-dir', dataDir]);

describe('policies notice', { timeout: 240_000 }, () => {
  it('prints the notice of the version in force, as text, HTML and JSON', () => {
    expect(run('policies', 'publish', join(ROOT, 'rules', 'support-agents.policy.yaml'), '--author', 'alice').code).toBe(0);
    const text = run('policies', 'notice', 'support-agents');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^How “Support agents quarterly review” evaluates your work \(version 1\)\n/);
    expect(text.stdout).toContain('your customer satisfaction (CSAT) over the last 90 days is below 3.6 out of 5 (from at least 20 customer survey responses)');
    expect(text.stdout).toMatch(/is enforced from \d{1,2} \w{3} \d{4}, after the 14-day notice period\./);
    expect(text.stdout).toContain('Questions about this policy or this notice: People team <people@example.com>.');

    const json = JSON.parse(run('policies', 'notice', 'support-agents', '--format', 'json').stdout);
    expect(json).toMatchObject({ policyId: 'support-agents', version: 1, noticeDays: 14, everyPipApproved: true });
    expect(json.textHash).toBe(createHash('sha256').update(json.text).digest('hex'));
    expect(text.stdout).toBe(`${json.text}\nNotice of version 1, published ${json.noticePublishedAt}; text SHA-256 ${json.textHash}.\n`);

    const html = run('policies', 'notice', 'support-agents', '--version', '1', '--format', 'html').stdout;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<h2>What is measured</h2>');
    expect(html).toContain('People team &lt;people@example.com&gt;');
    expect(html).not.toContain('<people@example.com>');
  });

  it('a run the day it was published records decisions and says the policy is in its notice period', () => {
    const r = run('run', '--policy', 'support-agents');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^support-agents .*\(notice period\)$/m);
    expect(r.stdout).toMatch(/in its notice period: decisions are recorded, no case is opened; enforced from \d{1,2} \w{3} \d{4}, after the 14-day notice period/);
  });

  it('a version that does not exist, and a format that does not, are coded errors', () => {
    expectError(run('policies', 'notice', 'support-agents', '--version', '9'), 1,
      'error APPRAISE_POLICY_NOT_FOUND The policy `support-agents` has no version 9. `npx appraise policies history support-agents` lists its versions.');
    expect(run('policies', 'notice', 'support-agents', '--format', 'pdf')).toMatchObject({ code: 2, stdout: '' });
  });
});
