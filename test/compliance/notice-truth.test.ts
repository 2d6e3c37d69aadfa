// The notice never claims what the policy does not do: a PIP rule without approval is named as
// starting at once; a policy in audit mode says nothing follows from it; the contact is the
// configured one, or a plain placeholder. And it is deterministic: the same version gives the
// same text and hash, so a stored notice can be checked against its policy text.
import { beforeAll, describe, expect, it } from 'vitest';
import { registryFromManifests } from '../../core/plugins/catalogue.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { generateNotice, type NoticeSettings } from '../../core/compliance/notices/generate.ts';
import type { Registry } from '../../core/registry/registry.ts';

const yaml = (o: { approval?: string; mode?: string } = {}) => `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: quick, title: Quick review, owner: hr@example.com }
spec:
  appliesTo: { teams: [north], maxTenure: 365d }
  window: 30d
  ${o.mode ? `mode: ${o.mode}` : ''}
  facts:
    csat: { metric: customer-feedback.csat, minSamples: 5 }
    top: { metric: customer-feedback.csat, params: { mode: top2box }, minSamples: 1 }
  rules:
    - id: fast-pip
      when: { all: [{ fact: csat, operator: lessThan, value: 2 }] }
      then: { outcome: pip }
      ${o.approval ? `approval: ${o.approval}` : ''}
    - id: careful-pip
      when: { all: [{ fact: top, operator: lessThan, value: 20 }] }
      then: { outcome: pip }
`;

let registry: Registry;
beforeAll(async () => {
  registry = await registryFromManifests();
});

const notice = (text: string, settings: NoticeSettings = { noticeDays: 0 }) => {
  const loaded = loadPolicyText('quick.policy.yaml', text, registry);
  expect(loaded.policy, JSON.stringify(loaded.diagnostics)).toBeDefined();
  return generateNotice({ policy: loaded.policy!, version: 1, policyHash: 'h', inForceAt: '2026-12-05T09:30:00Z', registry, settings });
};

describe('the worker notice tells the truth', () => {
  it('a PIP rule with approval: none is named as starting without anyone approving it', () => {
    const n = notice(yaml({ approval: 'none' }));
    expect(n.everyPipApproved).toBe(false);
    const approval = n.sections.find((s) => s.id === 'approval')!.paragraphs.join(' ');
    expect(approval).not.toContain('A person approves every');
    expect(approval).toContain('Not every improvement plan (PIP) needs a person\'s approval: the rule “fast-pip” starts a PIP at once, without anyone approving it.');
    expect(approval).toContain('A PIP from the rule “careful-pip” takes effect only after someone with the HR or admin role has approved it.');
    expect(n.outcomes.find((o) => o.ruleId === 'fast-pip')!.text).toContain('It starts at once, without anyone approving it.');
  });

  it('a PIP rule that says nothing about approval needs it (the engine defaults PIPs to required)', () => {
    expect(notice(yaml()).everyPipApproved).toBe(true);
  });

  it('a variant of a metric is stated in its own unit (CSAT top-two box is a percentage)', () => {
    expect(notice(yaml()).text).toContain('is below 20% (from at least 1 customer survey response)');
  });

  it('says who it applies to from appliesTo', () => {
    expect(notice(yaml()).text).toContain('People in the team north who have been with the company less than 365 days are evaluated by this policy.');
  });

  it('a policy in audit mode says that nothing follows from it', () => {
    expect(notice(yaml({ mode: 'audit' })).text).toContain('This policy runs in audit mode: its decisions are recorded, but no case is opened');
  });

  it('names the configured contact, and the enforcement date after a notice period', () => {
    const n = notice(yaml(), { noticeDays: 14, contact: 'People team, people@example.com' });
    expect(n.text).toContain('Questions about this policy or this notice: People team, people@example.com.');
    expect(n.text).not.toContain('No contact has been named');
    // In force 5 Dec 09:30 UTC; 14 days later is 19 Dec 09:30, so enforcement starts at the next midnight UTC.
    expect(n.enforcedFrom).toBe('2026-12-20T00:00:00.000Z');
    expect(n.text).toContain('This version took effect on 5 Dec 2026 and is enforced from 20 Dec 2026, after the 14-day notice period.');
  });

  it('the same version gives the same text and hash; another threshold gives another', () => {
    const a = notice(yaml());
    const b = notice(yaml());
    expect(b.text).toBe(a.text);
    expect(b.textHash).toBe(a.textHash);
    expect(a.textHash).toMatch(/^[0-9a-f]{64}$/);
    expect(notice(yaml().replace('value: 2 }', 'value: 2.5 }')).textHash).not.toBe(a.textHash);
  });
});
