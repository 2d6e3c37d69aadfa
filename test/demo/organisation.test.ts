// The demo organisation's structure: reporting lines form one tree, teams of 6–12 under a team
// lead, believable roles, sites, tenures and protected attributes — at any size.
import { describe, expect, it } from 'vitest';
import { demoEmployees } from '../../core/demo/generate.ts';
import type { DemoEmployee } from '../../core/demo/types.ts';

const AS_OF = new Date('2026-11-23T00:00:00Z');
const DAY = 86_400_000;
const tenure = (e: DemoEmployee) => (AS_OF.getTime() - Date.parse(`${e.hireDate}T00:00:00Z`)) / DAY;

function checkTree(employees: DemoEmployee[]): void {
  const byId = new Map(employees.map((e) => [e.id, e]));
  expect(byId.size).toBe(employees.length);
  const roots = employees.filter((e) => e.managerId === undefined);
  expect(roots).toHaveLength(1);
  for (const e of employees) {
    if (e.managerId !== undefined) expect(byId.has(e.managerId), `${e.id}'s manager ${e.managerId}`).toBe(true);
    // walking up reaches the root without a cycle
    const seen = new Set<string>();
    for (let at: DemoEmployee | undefined = e; at; at = at.managerId ? byId.get(at.managerId) : undefined) {
      expect(seen.has(at.id), `cycle through ${at.id}`).toBe(false);
      seen.add(at.id);
    }
    expect([...seen].pop()).toBe(roots[0].id);
  }
  // managers come before their reports (a loader can insert in file order)
  const position = new Map(employees.map((e, i) => [e.id, i]));
  for (const e of employees) if (e.managerId) expect(position.get(e.managerId)!).toBeLessThan(position.get(e.id)!);
}

describe('the demo organisation', () => {
  const people = demoEmployees({ employees: 3000, asOf: AS_OF }).map((p) => p.employee);

  it('has exactly the requested number of people, ids E000001…', () => {
    expect(people).toHaveLength(3000);
    expect(people[0].id).toBe('E000001');
    expect(people[2999].id).toBe('E003000');
  });

  it('forms one reporting tree', () => checkTree(people));

  it('puts individual contributors in teams of 6–12 under a team lead', () => {
    const reports = new Map<string, DemoEmployee[]>();
    for (const e of people) if (e.managerId) reports.set(e.managerId, [...(reports.get(e.managerId) ?? []), e]);
    const leads = people.filter((e) => e.role === 'team-lead');
    expect(leads.length).toBeGreaterThan(200);
    for (const lead of leads) {
      const team = reports.get(lead.id) ?? [];
      expect(team.length, lead.team).toBeGreaterThanOrEqual(6);
      expect(team.length, lead.team).toBeLessThanOrEqual(12);
      for (const m of team) {
        expect(m.team).toBe(lead.team);
        expect(['support-agent', 'sales-rep', 'customer-success-manager', 'qa-analyst', 'trainer', 'wfm-analyst']).toContain(m.role);
      }
    }
    // nobody manages more than eight managers or team leads
    for (const [id, list] of reports) {
      const role = people.find((e) => e.id === id)!.role;
      if (role !== 'team-lead') expect(list.length, id).toBeLessThanOrEqual(8);
    }
  });

  it('is mostly support agents and sales reps, across departments and sites', () => {
    const count = (f: (e: DemoEmployee) => boolean) => people.filter(f).length / people.length;
    expect(count((e) => e.role === 'support-agent')).toBeGreaterThan(0.3);
    expect(count((e) => e.role === 'sales-rep')).toBeGreaterThan(0.15);
    expect(new Set(people.map((e) => e.department))).toEqual(new Set(['Executive Office', 'Customer Support', 'Sales', 'Customer Success', 'Quality & Enablement', 'Workforce Management']));
    expect(new Set(people.map((e) => e.location)).size).toBeGreaterThanOrEqual(6);
  });

  it('has a few new hires under 90 and under 180 days, and tenures spread over years', () => {
    const agents = people.filter((e) => e.role === 'support-agent');
    const under90 = agents.filter((e) => tenure(e) < 90).length / agents.length;
    const under180 = agents.filter((e) => tenure(e) >= 90 && tenure(e) < 180).length / agents.length;
    expect(under90).toBeGreaterThan(0.02);
    expect(under90).toBeLessThan(0.1);
    expect(under180).toBeGreaterThan(0.02);
    expect(under180).toBeLessThan(0.1);
    const years = people.map((e) => Math.floor(tenure(e) / 365));
    expect(new Set(years).size).toBeGreaterThanOrEqual(8);
    expect(people.every((e) => tenure(e) >= 0)).toBe(true);
  });

  it('spreads the protected attributes', () => {
    const values = (k: 'gender' | 'ethnicity' | 'ageBand') => new Set(people.map((e) => e.attributes[k]));
    expect(values('gender')).toEqual(new Set(['F', 'M', 'X', 'Undisclosed']));
    expect(values('ethnicity').size).toBeGreaterThanOrEqual(6);
    expect(values('ageBand').size).toBeGreaterThanOrEqual(4);
  });

  it('stays a tree at tiny and odd sizes', () => {
    for (const n of [1, 2, 3, 7, 15, 16, 40, 131]) {
      const small = demoEmployees({ employees: n, asOf: AS_OF }).map((p) => p.employee);
      expect(small, `N=${n}`).toHaveLength(n);
      checkTree(small);
    }
  });
});
