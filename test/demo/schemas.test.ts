// Every generated employee validates against schemas/employee.schema.json and every record's
// payload against its kind's schema, as the plugins declare them.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { ajv, schemaValidator } from '../../core/policy/schema-check.ts';
import { discoverPlugins } from '../../core/plugins/discovery.ts';
import { generateOrganisationSync } from '../../core/demo/generate.ts';
import { RECORD_KINDS, type EmployeeBatch } from '../../core/demo/types.ts';

let batches: EmployeeBatch[];
const validators = new Map<string, ValidateFunction>();

beforeAll(async () => {
  batches = [...generateOrganisationSync({ employees: 400, seed: 3, asOf: new Date('2026-11-23T00:00:00Z') })];
  const set = await discoverPlugins();
  for (const kind of RECORD_KINDS) {
    const info = set.recordKinds.get(kind);
    if (!info) throw new Error(`no plugin contributes the record kind ${kind}`);
    validators.set(kind, ajv().compile(info.schema));
  }
});

describe('demo data validates', () => {
  it('every employee against employee.schema.json', () => {
    const validate = schemaValidator('employee.schema.json');
    const bad: unknown[] = [];
    for (const { employee } of batches) if (!(validate(employee) as boolean)) bad.push({ id: employee.id, errors: validate.errors });
    expect(bad).toEqual([]);
  });

  it('every record payload against its kind’s schema', () => {
    let checked = 0;
    const bad: unknown[] = [];
    for (const b of batches) {
      for (const kind of RECORD_KINDS) {
        const validate = validators.get(kind)!;
        for (const r of b.records[kind]) {
          checked++;
          if (!validate(r.payload)) bad.push({ kind, externalId: r.externalId, errors: validate.errors });
        }
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(30_000);
  });

  it('every kind appears, with unique external ids that name the seed', () => {
    for (const kind of RECORD_KINDS) {
      const ids = batches.flatMap((b) => b.records[kind].map((r) => r.externalId));
      expect(ids.length, kind).toBeGreaterThan(0);
      expect(new Set(ids).size, kind).toBe(ids.length);
      expect(ids.every((id) => id.startsWith('demo-3-'))).toBe(true);
    }
  });

  it('labels every employee as demo data and carries the protected attributes', () => {
    for (const { employee } of batches) {
      expect(employee.attributes).toMatchObject({ demo: true });
      expect(Object.keys(employee.attributes)).toEqual(expect.arrayContaining(['gender', 'ethnicity', 'ageBand']));
    }
  });

  it('writes historical coaching in the documented shape', () => {
    const cases = batches.flatMap((b) => b.cases);
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      expect(Object.keys(c)).toEqual(['employeeId', 'type', 'status', 'policyId', 'ruleId', 'period', 'openedAt']);
      expect(c).toMatchObject({ type: 'coaching', status: 'completed' });
      expect(['support-agents/coaching-on-dip', 'sales-reps/coaching-below-plan']).toContain(`${c.policyId}/${c.ruleId}`);
      expect(c.period).toMatch(/^\d{4}-Q[1-4]$/);
    }
  });
});
