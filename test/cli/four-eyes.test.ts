// Four-eyes publish from the command line (policies.publish.approvals: 1): publish proposes and
// says who may approve; the author cannot approve; another person approves or rejects with a
// note; list and history show proposed and rejected versions plainly; each step is audited.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../core/store/store.ts';
import { cli, ROOT } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'appraise-four-eyes-'));
const dataDir = join(dir, 'store');
const config = join(dir, 'appraise.config.yaml');
writeFileSync(config, 'policies:\n  publish:\n    approvals: 1\n');
const original = join(ROOT, 'rules', 'support-agents.policy.yaml');
const changed = join(dir, 'support-agents.policy.yaml');
writeFileSync(changed, `${readFileSync(original, 'utf8')}# a second opinion\n`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => cli(['--config', config, ...args, '--data-dir', dataDir]);

describe('policies publish with approvals: 1', () => {
  it('proposes, refuses the author, approves, rejects, and shows each state', async () => {
    const p = run('policies', 'publish', original, '--author', 'alice');
    expect(p.code).toBe(0);
    expect(p.stdout).toContain('support-agents: proposed version 1 by alice; version none stays in force until another person with the hr or admin role approves it');
    expect(p.stdout).toContain('npx appraise policies approve support-agents 1 --note');
    expect(p.stdout).toContain('No preview or fairness report is stored');
    expect(run('policies', 'list').stdout).toContain('support-agents  v1  PROPOSED by alice, not in force');

    const own = run('policies', 'approve', 'support-agents', '1', '--note', 'mine is fine', '--actor', 'alice');
    expect(own.code).toBe(1);
    expect(own.stderr).toContain('error APPRAISE_POLICY_OWN_PROPOSAL alice proposed version 1 of support-agents and cannot approve it too');
    expect(run('policies', 'approve', 'support-agents', '1', '--actor', 'bob').code).toBe(2); // --note is required

    const ok = run('policies', 'approve', 'support-agents', '1', '--note', 'read the diff', '--actor', 'bob');
    expect(ok.stdout).toContain('support-agents: version 1 approved by bob; it is in force now');
    expect(run('policies', 'list').stdout).toMatch(/^support-agents {2}v1 {2}.*by alice\)$/m);

    expect(run('policies', 'publish', changed, '--author', 'alice').stdout).toContain('proposed version 2 by alice; version 1 stays in force');
    const no = run('policies', 'reject', 'support-agents', '2', '--note', 'no reason given', '--actor', 'bob');
    expect(no.stdout).toContain('support-agents: version 2 rejected by bob; it is kept in the history and never goes in force');
    const again = run('policies', 'approve', 'support-agents', '2', '--note', 'changed my mind', '--actor', 'carol');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('APPRAISE_POLICY_NOT_PROPOSED Version 2 of support-agents is not awaiting review: it was rejected by bob');

    const history = run('policies', 'history', 'support-agents').stdout.split('\n');
    expect(history[0]).toMatch(/^v2 .* alice .*\[REJECTED by bob: no reason given\]$/);
    expect(history[1]).toMatch(/^v1 .* alice .*\[approved by bob: read the diff\]$/);
    // `show` without a version is the version in force, not the rejected one.
    expect(run('policies', 'show', 'support-agents').stdout).toBe(readFileSync(original, 'utf8'));

    const store = await openStore({ dataDir, databaseUrl: '' });
    try {
      const rows = (await store.query<{ actor: string; action: string; data: { note?: string } }>(`SELECT actor, action, data FROM audit_log WHERE target = 'policy:support-agents' ORDER BY id`)).rows;
      expect(rows.map((r) => `${r.actor} ${r.action} ${r.data.note ?? ''}`.trim())).toEqual([
        'alice policy.propose', 'bob policy.approve read the diff', 'alice policy.propose', 'bob policy.reject no reason given',
      ]);
    } finally {
      await store.close();
    }
  }, 240_000);
});
