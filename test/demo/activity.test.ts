// The demo's activity behaves as designed: about 100 records per employee, everything inside
// the horizon and after the hire date, a few agents with too few surveys, declining and
// improving agents, stars, two-quarter dips, one quota per rep per quarter.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateOrganisationSync } from '../../core/demo/generate.ts';
import { RECORD_KINDS, type EmployeeBatch } from '../../core/demo/types.ts';

const AS_OF = Date.parse('2026-11-23T00:00:00Z');
const DAY = 86_400_000;
let batches: EmployeeBatch[];
let agents: EmployeeBatch[];

beforeAll(() => {
  batches = [...generateOrganisationSync({ employees: 1500, seed: 1, asOf: new Date(AS_OF) })];
  agents = batches.filter((b) => b.employee.role === 'support-agent');
});

/** Mean CSAT and count of an employee's surveys in [asOf − fromDays, asOf − toDays). */
function csat(b: EmployeeBatch, fromDays: number, toDays: number): { mean: number; n: number } {
  let sum = 0, n = 0;
  for (const r of b.records['customer-feedback.survey']) {
    const t = Date.parse(r.occurredAt);
    if (t >= AS_OF - fromDays * DAY && t < AS_OF - toDays * DAY && typeof r.payload.csat === 'number') {
      sum += r.payload.csat;
      n++;
    }
  }
  return { mean: sum / n, n };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('demo activity', () => {
  it('averages about 100 records per employee', () => {
    const total = batches.reduce((a, b) => a + RECORD_KINDS.reduce((s, k) => s + b.records[k].length, 0), 0);
    expect(total / batches.length).toBeGreaterThan(85);
    expect(total / batches.length).toBeLessThan(115);
  });

  it('scales with --records-per-employee', () => {
    const small = [...generateOrganisationSync({ employees: 300, seed: 1, asOf: new Date(AS_OF), recordsPerEmployee: 50 })];
    const total = small.reduce((a, b) => a + RECORD_KINDS.reduce((s, k) => s + b.records[k].length, 0), 0);
    expect(total / small.length).toBeGreaterThan(40);
    expect(total / small.length).toBeLessThan(60);
  });

  it('keeps every record in [asOf − 270 days, asOf), after the hire date, with no future instants in payloads', () => {
    const problems: string[] = [];
    for (const b of batches) {
      const hired = Date.parse(`${b.employee.hireDate}T00:00:00Z`);
      for (const kind of RECORD_KINDS) {
        let previous = -Infinity;
        for (const r of b.records[kind]) {
          const t = Date.parse(r.occurredAt);
          if (r.employeeId !== b.employee.id) problems.push(`${r.externalId}: employeeId ${r.employeeId}`);
          if (t < AS_OF - 270 * DAY || t >= AS_OF) problems.push(`${r.externalId}: ${r.occurredAt} outside the horizon`);
          if (t < hired) problems.push(`${r.externalId}: ${r.occurredAt} before the hire date ${b.employee.hireDate}`);
          if (t < previous) problems.push(`${r.externalId}: out of time order`); // each employee's records come in time order
          previous = t;
          for (const key of ['firstResponseAt', 'resolvedAt', 'closedAt']) {
            if (r.payload[key] !== undefined && Date.parse(r.payload[key] as string) >= AS_OF) problems.push(`${r.externalId}: ${key} in the future`);
          }
        }
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('gives tickets a consistent timeline', () => {
    for (const b of agents.slice(0, 100)) {
      for (const { payload: p, occurredAt } of b.records['support.ticket']) {
        expect(p.openedAt).toBe(occurredAt);
        if (p.firstResponseAt) expect(Date.parse(p.firstResponseAt as string)).toBeGreaterThanOrEqual(Date.parse(p.openedAt as string));
        if (p.resolvedAt) {
          expect(Date.parse(p.resolvedAt as string)).toBeGreaterThanOrEqual(Date.parse(p.firstResponseAt as string));
          expect(p.contactsToResolve).toBeGreaterThanOrEqual(1);
        }
      }
    }
  });

  it('leaves some agents (between 3% and 20%) with fewer than 20 surveys in the last 90 days', () => {
    const few = agents.filter((b) => csat(b, 90, 0).n < 20).length / agents.length;
    expect(few).toBeGreaterThan(0.03);
    expect(few).toBeLessThan(0.2);
  });

  it('centres CSAT near 4.2, with low and high performers', () => {
    const means = agents.map((b) => csat(b, 90, 0)).filter((c) => c.n >= 20).map((c) => c.mean);
    expect(mean(means)).toBeGreaterThan(4.0);
    expect(mean(means)).toBeLessThan(4.4);
    expect(means.filter((m) => m < 4.0).length / means.length).toBeGreaterThan(0.08);
    expect(means.filter((m) => m >= 4.6).length / means.length).toBeGreaterThan(0.03);
  });

  it('has declining and improving agents whose CSAT moves as designed', () => {
    const change = (archetype: string) => {
      const group = agents.filter((b) => b.plan.archetype === archetype && csat(b, 90, 0).n > 0 && csat(b, 270, 180).n > 0);
      expect(group.length, archetype).toBeGreaterThan(10);
      return mean(group.map((b) => csat(b, 90, 0).mean - csat(b, 270, 180).mean));
    };
    expect(change('declining')).toBeLessThan(-0.1);
    expect(change('improving')).toBeGreaterThan(0.1);
    expect(Math.abs(change('stable'))).toBeLessThan(0.1);
  });

  it('has a couple of stars and of agents whose CSAT dips two quarters in a row', () => {
    const stars = agents.filter((b) => b.plan.archetype === 'star');
    const dips = agents.filter((b) => b.plan.archetype === 'dip');
    expect(stars.length).toBeGreaterThanOrEqual(2);
    expect(dips.length).toBeGreaterThanOrEqual(2);
    expect(mean(stars.map((b) => csat(b, 90, 0).mean))).toBeGreaterThan(4.6);
    const low = dips.filter((b) => csat(b, 90, 0).mean < 3.8 && csat(b, 180, 90).mean < 3.8);
    expect(low.length).toBeGreaterThanOrEqual(Math.ceil(dips.length / 2));
    // …and most of them were coached a quarter ago (cases.ndjson), so a PIP rule can apply
    expect(dips.filter((b) => b.cases.length > 0).length).toBeGreaterThanOrEqual(Math.ceil(dips.length / 2));
  });

  it('gives each sales rep one quota per quarter they were there for, none before they joined', () => {
    for (const b of batches.filter((x) => x.employee.role === 'sales-rep')) {
      const quarters = b.records['sales.quota'].map((r) => r.occurredAt.slice(0, 7));
      expect(new Set(quarters).size).toBe(quarters.length);
      for (const q of quarters) expect(['01', '04', '07', '10']).toContain(q.slice(5, 7));
    }
    const reps = batches.filter((x) => x.employee.role === 'sales-rep' && Date.parse(`${x.employee.hireDate}T00:00:00Z`) < AS_OF - 365 * DAY);
    expect(reps.every((b) => b.records['sales.quota'].length === 3)).toBe(true);
  });

  it('only gives support agents tickets, only sales reps deals and quotas', () => {
    for (const b of batches) {
      if (b.employee.role !== 'support-agent') expect(b.records['support.ticket'], b.employee.id).toHaveLength(0);
      if (b.employee.role !== 'sales-rep') expect(b.records['sales.deal'].length + b.records['sales.quota'].length, b.employee.id).toBe(0);
    }
  });
});
