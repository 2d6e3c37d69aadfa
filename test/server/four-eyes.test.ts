// Four-eyes publish over the API (policies.publish.approvals: 1): hr-a proposes, hr-b approves;
// the author's own review is refused; a rejection is kept; runs use the version in force until
// approval; every step is in the audit log. On PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../core/auth/tokens.ts';
import { AS_OF, policyYaml, testServer, type TestServer } from './helpers.ts';

const json = (r: { body: string }) => JSON.parse(r.body);

describe.each(['pglite', 'postgres'] as const)('four-eyes publish (%s)', (backend) => {
  let t: TestServer;
  const as: Record<string, string> = {};
  const call = (who: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) =>
    t.server.inject({ method, url, headers: { authorization: `Bearer ${as[who]}` }, ...(body !== undefined ? { payload: body as never } : {}) });

  beforeAll(async () => {
    t = await testServer({}, { backend, tokens: ['admin'] });
    t.app.config.policies.publish = { approvals: 1 };
    for (const [name, role] of [['hr-a', 'hr'], ['hr-b', 'hr'], ['boss', 'admin'], ['mgr', 'manager']] as const) {
      as[name] = (await createToken(t.app.store, { name, role, employeeId: role === 'manager' ? 'mgr-a' : undefined, createdBy: 'setup' })).token;
    }
  }, 60_000);
  afterAll(() => t?.close());

  const pipCount = async () => {
    const r = await call('hr-a', 'POST', '/api/runs', { asOf: AS_OF });
    expect(r.statusCode).toBe(200);
    return { pip: json(r).counts.fired.pip as number, versions: json(r).policyVersions as Array<{ version: number }> };
  };

  it('a publish is proposed (202) with its diff and the preview given; runs keep the version in force', async () => {
    const preview = { newlyAffected: 5 };
    const fairness = { flagged: ['gender'] };
    const r = await call('hr-a', 'PUT', '/api/policies/fair-test', { yaml: policyYaml(3.0), comment: 'tighten PIP', baseVersion: 1, preview, fairness });
    expect(r.statusCode).toBe(202);
    const body = json(r);
    expect(body).toMatchObject({ changed: true, awaitingApproval: true, version: { version: 2, status: 'proposed', author: 'hr-a', baseVersion: 1 } });
    expect(body.version.proposal.diff).toContain('-      when: { all: [{ fact: csat, operator: lessThan, value: 2 }] }');
    expect(body.version.proposal.diff).toContain('+      when: { all: [{ fact: csat, operator: lessThan, value: 3 }] }');
    expect(body.version.proposal).toMatchObject({ preview, fairness });

    // Still version 1 in force: the listing, the policy's `latest`, and a run all say so.
    expect(json(await call('hr-b', 'GET', '/api/policies')).policies[0]).toMatchObject({ policyId: 'fair-test', latestVersion: 1 });
    const detail = json(await call('hr-b', 'GET', '/api/policies/fair-test'));
    expect(detail.latest).toMatchObject({ version: 1, status: 'published' });
    expect(detail.versions.map((v: { version: number; status: string }) => `${v.version}:${v.status}`)).toEqual(['2:proposed', '1:published']);
    expect(await pipCount()).toMatchObject({ pip: 2, versions: [expect.objectContaining({ version: 1 })] });

    const proposals = json(await call('mgr', 'GET', '/api/policies/fair-test/proposals')).proposals;
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({ version: 2, status: 'proposed', proposal: { preview, fairness } });
  });

  it('the author cannot approve or reject their own proposal (403, coded); a manager may not review', async () => {
    for (const decision of ['approve', 'reject']) {
      const r = await call('hr-a', 'POST', `/api/policies/fair-test/versions/2/${decision}`, { note: 'looks fine to me' });
      expect(r.statusCode).toBe(403);
      expect(json(r).error.code).toBe('APPRAISE_POLICY_OWN_PROPOSAL');
      expect(json(r).error.message).toMatch(/another person with the hr or admin role must/);
    }
    expect((await call('mgr', 'POST', '/api/policies/fair-test/versions/2/approve', { note: 'ok' })).statusCode).toBe(403);
    expect((await call('hr-b', 'POST', '/api/policies/fair-test/versions/2/approve', {})).statusCode).toBe(400);
    expect((await pipCount()).pip).toBe(2);
  });

  it('another hr approves: the version is in force and runs use it; it cannot be reviewed twice', async () => {
    const r = await call('hr-b', 'POST', '/api/policies/fair-test/versions/2/approve', { note: 'checked the preview with legal' });
    expect(r.statusCode).toBe(200);
    expect(json(r)).toMatchObject({ version: 2, status: 'published', reviewedBy: 'hr-b', reviewNote: 'checked the preview with legal' });
    expect(json(await call('hr-b', 'GET', '/api/policies')).policies[0].latestVersion).toBe(2);
    expect(await pipCount()).toMatchObject({ pip: 7, versions: [expect.objectContaining({ version: 2 })] });
    const again = await call('boss', 'POST', '/api/policies/fair-test/versions/2/reject', { note: 'too late' });
    expect(again.statusCode).toBe(409);
    expect(json(again).error.code).toBe('APPRAISE_POLICY_NOT_PROPOSED');
    expect((await call('boss', 'POST', '/api/policies/fair-test/versions/1/approve', { note: 'x' })).statusCode).toBe(409);
    expect(json(await call('boss', 'POST', '/api/policies/fair-test/versions/9/approve', { note: 'x' })).error.code).toBe('APPRAISE_POLICY_NOT_FOUND');
  });

  it('a rejection is kept in the history and never goes in force', async () => {
    const p = json(await call('hr-b', 'PUT', '/api/policies/fair-test', { yaml: policyYaml(3.5), comment: 'even tighter' }));
    expect(p.version).toMatchObject({ version: 3, status: 'proposed', baseVersion: 2 });
    expect(p.version.proposal.preview).toBeUndefined();
    const r = await call('boss', 'POST', '/api/policies/fair-test/versions/3/reject', { note: 'too many PIPs for one quarter' });
    expect(r.statusCode).toBe(200);
    expect(json(r)).toMatchObject({ version: 3, status: 'rejected', reviewedBy: 'boss' });
    expect(json(await call('hr-a', 'GET', '/api/policies/fair-test/versions/3')).status).toBe('rejected');
    expect(json(await call('hr-a', 'GET', '/api/policies/fair-test')).latest.version).toBe(2);
    expect((await pipCount()).pip).toBe(7);
  });

  it('approving a proposal made on a version no longer in force is refused as stale', async () => {
    const a = json(await call('hr-a', 'PUT', '/api/policies/fair-test', { yaml: policyYaml(2.5), comment: 'a' })).version.version;
    const b = json(await call('hr-b', 'PUT', '/api/policies/fair-test', { yaml: policyYaml(2.2), comment: 'b' })).version.version;
    expect((await call('hr-b', 'POST', `/api/policies/fair-test/versions/${a}/approve`, { note: 'ok' })).statusCode).toBe(200);
    const stale = await call('hr-a', 'POST', `/api/policies/fair-test/versions/${b}/approve`, { note: 'ok' });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error).toMatchObject({ code: 'APPRAISE_POLICY_STALE_VERSION' });
    expect(json(stale).error.message).toMatch(new RegExp(`version ${a} is in force now`));
  });

  it('every step is in the audit log with its actor and note', async () => {
    const audit = (await t.app.store.query<{ actor: string; action: string; after: { version: number; status: string }; data: { note?: string } }>(
      `SELECT actor, action, after, data FROM audit_log WHERE target = 'policy:fair-test' ORDER BY id`,
    )).rows.map((r) => [r.actor, r.action, r.after.version, r.after.status, r.data.note ?? null]);
    expect(audit.slice(0, 5)).toEqual([
      ['hr-a', 'policy.propose', 2, 'proposed', null],
      ['hr-b', 'policy.approve', 2, 'published', 'checked the preview with legal'],
      ['hr-b', 'policy.propose', 3, 'proposed', null],
      ['boss', 'policy.reject', 3, 'rejected', 'too many PIPs for one quarter'],
      ['hr-a', 'policy.propose', 4, 'proposed', null],
    ]);
  });
});
