// The worker notice over HTTP: HR reads a version's notice as it was published; a publish
// through the API stores the new version's notice at once and keeps the earlier one; an employee
// sees the notices of the policies that apply to them (appliesTo), current and earlier, and
// nobody else's; a version that never went in force has none (a coded 404).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyYaml, testServer, type TestServer } from './helpers.ts';
import { getVersion } from '../../core/policy/versions.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { generateNotice } from '../../core/compliance/notices/generate.ts';

let t: TestServer;
beforeAll(async () => {
  t = await testServer();
});
afterAll(async () => {
  await t?.close();
});

describe('worker notices over the API', () => {
  it('HR reads the notice of the version in force, generated from the policy and the catalogue', async () => {
    const r = await t.call('hr', 'GET', '/api/policies/fair-test/notice');
    expect(r.statusCode).toBe(200);
    const n = r.json();
    expect(n).toMatchObject({ policyId: 'fair-test', version: 1, everyPipApproved: true, noticeDays: 0 });
    expect(n.text).toContain('your customer satisfaction (CSAT) over the last 30 days is below 2 out of 5 (from at least 1 customer survey response)');
    expect(n.text).toContain('A person approves every improvement plan (PIP)');
    expect(n.textHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a publish stores the new version\'s notice when it goes in force; the earlier notice stays as it was', async () => {
    const before = (await t.call('hr', 'GET', '/api/policies/fair-test/notice?version=1')).json();
    const put = await t.call('hr', 'PUT', '/api/policies/fair-test', { yaml: policyYaml(2.5), comment: 'stricter', baseVersion: 1 });
    expect(put.statusCode).toBe(200);
    const v2 = put.json().version;
    const rows = (await t.app.store.query<{ version: number; published_at: Date }>(`SELECT version, published_at FROM policy_notices WHERE policy_id = 'fair-test' AND version = 2`)).rows;
    expect(rows).toHaveLength(1);
    const now = (await t.call('hr', 'GET', '/api/policies/fair-test/notice')).json();
    expect(now.version).toBe(2);
    expect(now.inForceAt).toBe(v2.publishedAt);
    expect(now.text).toContain('is below 2.5 out of 5');
    const again = (await t.call('hr', 'GET', '/api/policies/fair-test/notice?version=1')).json();
    expect(again).toEqual(before);
  });

  it('the stored notice is the one its version\'s text generates: regenerated from the stored YAML, the same text and hash', async () => {
    const stored = (await t.call('hr', 'GET', '/api/policies/fair-test/notice?version=2')).json();
    const v = await getVersion(t.app.store, 'fair-test', 2);
    const policy = loadPolicyText('fair-test@v2', v.yaml, t.app.registry).policy!;
    const again = generateNotice({ policy, version: 2, policyHash: v.contentHash, inForceAt: v.publishedAt, registry: t.app.registry, settings: { noticeDays: stored.noticeDays } });
    expect(again.text).toBe(stored.text);
    expect(again.textHash).toBe(stored.textHash);
    expect(stored.policyHash).toBe(v.contentHash);
  });

  it("an employee sees the notices of the policies that apply to them, with the earlier versions' notices", async () => {
    const r = await t.call('employee', 'GET', '/api/me/notices');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.employeeId).toBe('w1');
    expect(body.policies.map((p: { policyId: string }) => p.policyId)).toEqual(['fair-test']);
    expect(body.policies[0].current.version).toBe(2);
    expect(body.policies[0].previous.map((n: { version: number }) => n.version)).toEqual([1]);
  });

  it('a published version from before notices that no longer loads (its plugin removed) leaves the other notices readable', async () => {
    const broken = policyYaml(2).replace('fair-test', 'gone-metric').replace('customer-feedback.csat', 'removed-plugin.score');
    await t.app.store.query(`INSERT INTO policy_versions (policy_id, version, yaml, content_hash, title, author) VALUES ('gone-metric', 1, $1, 'hg', 'Gone', 'hr')`, [broken]);
    const r = await t.call('employee', 'GET', '/api/me/notices');
    expect(r.statusCode).toBe(200);
    expect(r.json().policies.map((p: { policyId: string }) => p.policyId)).toEqual(['fair-test']);
    const one = await t.call('hr', 'GET', '/api/policies/gone-metric/notice');
    expect(one.statusCode).toBe(422);
    expect(one.json().error.code).toBe('APPRAISE_POLICY_INVALID');
    expect(one.json().error.message).toContain('its worker notice cannot be generated');
    await t.app.store.query(`DELETE FROM policy_versions WHERE policy_id = 'gone-metric'`);
  });

  it('a policy whose appliesTo does not select the person is not listed for them', async () => {
    const r = await t.call('manager', 'GET', '/api/me/notices'); // mgr-a is a team lead, not an agent
    expect(r.json()).toEqual({ employeeId: 'mgr-a', policies: [] });
  });

  it('an employee cannot read a policy notice by id; a missing version and one never in force are coded 404s', async () => {
    expect((await t.call('employee', 'GET', '/api/policies/fair-test/notice')).statusCode).toBe(403);
    const missing = await t.call('hr', 'GET', '/api/policies/fair-test/notice?version=99');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('APPRAISE_POLICY_NOT_FOUND');
    await t.app.store.query(`INSERT INTO policy_versions (policy_id, version, yaml, content_hash, title, author, status, base_version, proposal) VALUES ('fair-test', 3, $1, 'h3', 'Fairness fixture', 'hr', 'proposed', 2, '{}'::jsonb)`, [policyYaml(3)]);
    const proposed = await t.call('hr', 'GET', '/api/policies/fair-test/notice?version=3');
    expect(proposed.statusCode).toBe(404);
    expect(proposed.json().error.code).toBe('APPRAISE_NOTICE_NOT_IN_FORCE');
    expect(proposed.json().error.message).toContain('never in force');
  });
});
