// The point of the demo data: the shipped policies, run on a generated organisation (with its
// historical coaching inserted as completed cases), give a mix of recognition, coaching, PIP
// candidates and undecided cases — not all-or-nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { openStore, type Store } from '../../core/store/store.ts';
import { migrate } from '../../core/store/migrate.ts';
import { discoverPlugins } from '../../core/plugins/discovery.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { compilePolicy } from '../../core/evaluate/compile.ts';
import { runPolicies, type RunResult } from '../../core/run/run.ts';
import { generateOrganisationSync } from '../../core/demo/generate.ts';
import { RECORD_KINDS } from '../../core/demo/types.ts';

const AS_OF = new Date('2026-11-23T00:00:00Z');
const RULES = new URL('../../rules/', import.meta.url);
let store: Store;
let result: RunResult;

/** A minimal demo loader: employees, records and historical cases, in a few large statements. */
async function load(db: Store): Promise<void> {
  const employees: unknown[] = [];
  const cases: unknown[] = [];
  let records: unknown[] = [];
  const flush = async () => {
    await db.query(
      `INSERT INTO records (kind, employee_id, occurred_at, payload, external_id)
       SELECT r->>'kind', r->>'employeeId', (r->>'occurredAt')::timestamptz, r->'payload', r->>'externalId' FROM jsonb_array_elements($1::jsonb) r`,
      [JSON.stringify(records)],
    );
    records = [];
  };
  for (const batch of generateOrganisationSync({ employees: 600, seed: 1, asOf: AS_OF })) {
    employees.push(batch.employee);
    cases.push(...batch.cases);
    for (const kind of RECORD_KINDS) for (const r of batch.records[kind]) records.push({ kind, ...r });
    if (records.length > 20_000) await flush();
  }
  await flush();
  await db.query(
    `INSERT INTO employees (id, name, email, role, team, department, location, manager_id, hire_date, attributes, content_hash)
     SELECT e->>'id', e->>'name', e->>'email', e->>'role', e->>'team', e->>'department', e->>'location', e->>'managerId', (e->>'hireDate')::date, e->'attributes', 'demo'
     FROM jsonb_array_elements($1::jsonb) e`,
    [JSON.stringify(employees)],
  );
  await db.query(
    `INSERT INTO cases (type, status, employee_id, policy_id, policy_version, rule_id, period, explanation, opened_at)
     SELECT c->>'type', c->>'status', c->>'employeeId', c->>'policyId', 1, c->>'ruleId', c->>'period', '{}', (c->>'openedAt')::timestamptz
     FROM jsonb_array_elements($1::jsonb) c`,
    [JSON.stringify(cases)],
  );
}

beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://', databaseUrl: '' });
  await migrate(store);
  await load(store);
  const set = await discoverPlugins();
  const policies = readdirSync(RULES).filter((f) => f.endsWith('.policy.yaml')).sort().map((f) => {
    const loaded = loadPolicyText(f, readFileSync(new URL(f, RULES), 'utf8'), set.registry);
    if (!loaded.policy) throw new Error(`${f} does not load`);
    return { compiled: compilePolicy(loaded.policy, set.registry), version: 1 };
  });
  result = await runPolicies(store, { asOf: AS_OF, trigger: 'manual', dryRun: true, policies, metrics: set.metrics });
}, 120_000);
afterAll(async () => {
  await store?.close();
});

describe('the shipped policies on demo data', () => {
  it.each(['support-agents', 'sales-reps'])('%s: some recognition, some coaching, some undecided', (policyId) => {
    const summary = result.run.summary.policies.find((p) => p.policyId === policyId)!;
    expect(summary.employees).toBeGreaterThan(100);
    expect(summary.fired.recognition).toBeGreaterThan(0);
    expect(summary.fired.coaching).toBeGreaterThan(0);
    expect(summary.indeterminate).toBeGreaterThan(0);
    // …and most people get no case at all
    expect(summary.fired.recognition + summary.fired.coaching + summary.fired.pip).toBeLessThan(summary.employees * 0.6);
  });

  it('support-agents: PIP candidates after two low quarters and completed coaching', () => {
    const pips = result.decisions.filter((d) => d.policyId === 'support-agents' && d.ruleId === 'pip-after-coaching' && d.status === 'fired');
    expect(pips.length).toBeGreaterThan(0);
    // …a small minority, as in a real organisation
    expect(pips.length).toBeLessThan(result.run.summary.policies.find((p) => p.policyId === 'support-agents')!.employees * 0.05);
  });

  it('support-agents: insufficient data is a reason, not a rare accident', () => {
    const insufficient = result.decisions.filter((d) => d.policyId === 'support-agents' && d.status === 'indeterminate' && JSON.stringify(d.explanation).includes('insufficient data: `csat`'));
    expect(insufficient.length).toBeGreaterThan(0);
  });
});
