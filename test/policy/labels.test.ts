// Plain titles for award and programme ids (spec.labels): checked when the policy loads, read
// from the version a case or decision points at, and declared by every shipped policy.
import { readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { registryFromManifests } from '../../core/plugins/catalogue.ts';
import { labelsOf, policyParamIds, withLabels } from '../../core/policy/labels.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { publishPolicy } from '../../core/policy/versions.ts';
import type { Policy } from '../../core/policy/types.ts';
import type { Registry } from '../../core/registry/registry.ts';
import { BACKENDS, storeForSuite } from '../store/backends.ts';

let registry: Registry;
beforeAll(async () => {
  registry = await registryFromManifests();
});

/** A small policy; `labels` is the text of its spec.labels block (from line 16 on). */
const policy = (labels: string, award = 'customer-champion') => `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: labelled, title: Labelled, owner: hr@example.com }
spec:
  appliesTo: { roles: [agent] }
  facts:
    csat: { metric: customer-feedback.csat }
  rules:
    - id: star
      when: { all: [{ fact: csat, operator: greaterThanInclusive, value: 4.5 }] }
      then: { outcome: recognition, params: { award: ${award} } }
    - id: coach
      when: { all: [{ fact: csat, operator: lessThan, value: 3 }] }
      then: { outcome: coaching, params: { programme: csat-refresher, extras: [buddy-shadowing] } }
  labels:
${labels}`;

const load = (text: string) => loadPolicyText('labelled.policy.yaml', text, registry);
const where = (text: string) => load(text).diagnostics.map((d) => ({ code: d.code, severity: d.severity, line: d.line, column: d.column, message: d.message }));

describe('spec.labels when a policy loads', () => {
  it('titles for the ids the rules give (strings and strings in lists) load without a word', () => {
    const r = load(policy('    customer-champion: Customer champion of the quarter\n    csat-refresher: CSAT refresher course\n    buddy-shadowing: Shadowing a senior colleague\n'));
    expect(r.diagnostics).toEqual([]);
    expect(r.policy!.spec.labels).toEqual({ 'customer-champion': 'Customer champion of the quarter', 'csat-refresher': 'CSAT refresher course', 'buddy-shadowing': 'Shadowing a senior colleague' });
  });

  it('a label for an id no rule gives is a warning at its key, with the id it probably meant', () => {
    expect(where(policy('    customer-champoin: Customer champion\n'))).toEqual([{
      code: 'APPRAISE_POLICY_UNUSED_LABEL', severity: 'warning', line: 16, column: 5,
      message: 'No rule gives `customer-champoin` in its params, so this label would never be shown. Did you mean `customer-champion`?',
    }]);
    expect(load(policy('    customer-champoin: Customer champion\n')).policy).toBeDefined(); // a warning does not refuse the policy
  });

  it('an empty or blank title, a title that is not text, and an id with spaces are refused at their place', () => {
    expect(where(policy('    customer-champion: ""\n'))).toMatchObject([{ code: 'APPRAISE_SCHEMA_INVALID_VALUE', line: 16, column: 24 }]);
    expect(where(policy('    customer-champion: "   "\n'))).toMatchObject([{ code: 'APPRAISE_SCHEMA_INVALID_VALUE', line: 16, column: 24 }]);
    expect(where(policy('    customer-champion: 42\n'))).toMatchObject([{ code: 'APPRAISE_SCHEMA_WRONG_TYPE', line: 16, column: 24 }]);
    expect(where(policy('    "customer champion": Customer champion\n'))).toEqual([{
      code: 'APPRAISE_SCHEMA_INVALID_VALUE', severity: 'error', line: 16, column: 5,
      message: '`customer champion` is not a valid key in `spec.labels`. An id as the rules give it in their params: letters, digits, `-`, `_`, `.` or `:`, no spaces.',
    }]);
    expect(where(policy(`    customer-champion: ${'x'.repeat(201)}\n`))).toMatchObject([{ code: 'APPRAISE_SCHEMA_INVALID_VALUE', line: 16 }]);
    for (const text of [policy('    customer-champion: ""\n'), policy('    customer-champion: 42\n')]) expect(load(text).policy).toBeUndefined();
  });

  it('labels must be a map of id to title', () => {
    expect(where(policy('    - customer-champion\n'))).toMatchObject([{ code: 'APPRAISE_SCHEMA_WRONG_TYPE', line: 16 }]);
  });
});

describe('the shipped policies', () => {
  const dir = new URL('../../rules/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.policy.yaml'));

  it.each(files)('%s gives every award and programme a plain title', (file) => {
    const doc = parse(readFileSync(new URL(file, dir), 'utf8')) as Policy;
    const ids = doc.spec.rules.flatMap((r) => ['award', 'programme'].map((k) => r.then.params?.[k]).filter((v): v is string => typeof v === 'string'));
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(doc.spec.labels?.[id], id).toMatch(/\S/);
    expect(Object.keys(doc.spec.labels ?? {}).every((id) => policyParamIds(doc).includes(id))).toBe(true);
  });
});

describe('labels of a case or decision', () => {
  it('only the ids in its params that the policy declares', () => {
    expect(labelsOf({ 'customer-champion': 'Customer champion', other: 'Other' }, { award: 'customer-champion', planDays: 45, note: 'free text' })).toEqual({ 'customer-champion': 'Customer champion' });
    expect(labelsOf({ a: 'A' }, null)).toEqual({});
  });

  for (const backend of BACKENDS) {
    describe(`on ${backend.name}`, async () => {
      const suite = await storeForSuite(backend);

      it.skipIf(suite.skip)('come from the version that made it: a later rename does not rename awards already given', async () => {
        const v1 = policy('    customer-champion: Customer champion\n');
        const v2 = policy('    customer-champion: Champion of our customers\n');
        await publishPolicy(suite.store, { policy: load(v1).policy!, yaml: v1, author: 'ana' });
        await publishPolicy(suite.store, { policy: load(v2).policy!, yaml: v2, author: 'ana' });
        const items = [
          { id: 1, policyId: 'labelled', policyVersion: 1, params: { award: 'customer-champion' } },
          { id: 2, policyId: 'labelled', policyVersion: 2, params: { award: 'customer-champion' } },
          { id: 3, policyId: 'labelled', policyVersion: 2, params: { programme: 'csat-refresher' } },
          { id: 4, policyId: 'labelled', policyVersion: 9, params: { award: 'customer-champion' } },
          { id: 5, policyId: 'labelled', policyVersion: 1, params: {} },
        ];
        expect((await withLabels(suite.store, items)).map((i) => [i.id, i.labels])).toEqual([
          [1, { 'customer-champion': 'Customer champion' }],
          [2, { 'customer-champion': 'Champion of our customers' }],
          [3, {}], // declared by nobody: the UI words the id itself
          [4, {}], // no such version
          [5, {}],
        ]);
      });
    });
  }
});
