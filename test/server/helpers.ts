// A real server on a fresh in-memory store, with a small organisation (two teams, two
// managers, protected attributes), a published policy and a token for every role.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Appraise } from '../../core/app/appraise.ts';
import { defaultConfig } from '../../core/config/config.ts';
import { buildServer, type ServerOptions } from '../../core/server/app.ts';
import { createToken, type Role } from '../../core/auth/tokens.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { publishPolicy } from '../../core/policy/versions.ts';
import { dropSchema, freshSchemaName, POSTGRES_URL } from '../store/backends.ts';

export const AS_OF = '2026-04-01T00:00:00Z';

export const policyYaml = (threshold: number) => `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: fair-test, title: Fairness fixture, owner: hr }
spec:
  appliesTo: { roles: [agent] }
  window: 30d
  facts:
    csat: { metric: customer-feedback.csat, minSamples: 1 }
  rules:
    - id: pip
      when: { all: [{ fact: csat, operator: lessThan, value: ${threshold} }] }
      then: { outcome: pip }
    - id: star
      when: { all: [{ fact: csat, operator: greaterThanInclusive, value: 4.5 }] }
      then: { outcome: recognition }
`;

// Women w1..w10 report to mgr-a, men m1..m10 to mgr-b; mgr-b reports to mgr-a's peer (no one).
const WOMEN = [1.5, 2.5, 2.5, 2.7, 2.8, 4, 4, 4, 4.6, 4.6];
const MEN = [1.8, 2.9, 4, 4, 4, 4, 4, 4, 4.6, 4.6];

export interface TestServer {
  app: Appraise;
  server: FastifyInstance;
  tokens: Record<Role | 'otherManager', string>;
  call(who: keyof TestServer['tokens'] | null, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Whole CSAT scores (the survey schema's 1-5) whose mean is exactly `mean`: as few as can be. */
function surveysWithMean(mean: number): number[] {
  const n = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].find((k) => Math.abs(mean * k - Math.round(mean * k)) < 1e-9)!;
  const total = Math.round(mean * n);
  const base = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => (i < total - base * n ? base + 1 : base));
}

/** The small organisation, its surveys and the published policy, in any store (a test folder too). */
export async function seedOrganisation(app: Appraise): Promise<void> {
  const s = app.store;
  await s.query(`INSERT INTO employees (id, name, role, team, hire_date, content_hash) VALUES ('mgr-a', 'Ada Manager', 'team-lead', 'A', '2020-01-01', 'x'), ('mgr-b', 'Ben Manager', 'team-lead', 'B', '2020-01-01', 'x')`);
  let n = 0;
  for (const [prefix, values, gender, manager, team] of [['w', WOMEN, 'F', 'mgr-a', 'A'], ['m', MEN, 'M', 'mgr-b', 'B']] as const) {
    for (let i = 0; i < values.length; i++) {
      const id = `${prefix}${i + 1}`;
      await s.query(`INSERT INTO employees (id, name, role, team, manager_id, hire_date, attributes, content_hash) VALUES ($1, $2, 'agent', $3, $4, '2024-01-01', $5::jsonb, 'x')`, [id, `Agent ${id}`, team, manager, JSON.stringify({ gender })]);
      for (const csat of surveysWithMean(values[i])) {
        await s.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('customer-feedback.survey', $1, '2026-03-20T10:00:00Z', $2::jsonb, $3)`, [id, JSON.stringify({ csat }), `s${n++}`]);
      }
    }
  }
  const yaml = policyYaml(2.0);
  await publishPolicy(s, { policy: loadPolicyText('fair-test.policy.yaml', yaml, app.registry).policy!, yaml, author: 'setup', comment: 'initial' });
}

export const FAIRNESS_CONFIG = () => ({ ...defaultConfig(), fairness: { protectedAttributes: ['gender'], minGroupSize: 5 } });

/**
 * A server on the seeded organisation, with a token per role (or those `tokens` names). On `postgres` the store is a fresh
 * schema of the test database, dropped by close(); otherwise an in-memory PGlite.
 */
export async function testServer(options: ServerOptions = {}, o: { backend?: 'pglite' | 'postgres'; tokens?: ReadonlyArray<keyof TestServer['tokens']> } = {}): Promise<TestServer> {
  const schema = o.backend === 'postgres' ? freshSchemaName() : undefined;
  const app = await Appraise.open(schema
    ? { config: FAIRNESS_CONFIG(), databaseUrl: POSTGRES_URL, schema }
    : { config: FAIRNESS_CONFIG(), dataDir: 'memory://', databaseUrl: '' });
  const s = app.store;
  await seedOrganisation(app);
  const tokens = {} as TestServer['tokens'];
  for (const [key, role, employeeId] of [['admin', 'admin'], ['hr', 'hr'], ['manager', 'manager', 'mgr-a'], ['otherManager', 'manager', 'mgr-b'], ['employee', 'employee', 'w1'], ['viewer', 'viewer']] as const) {
    if (o.tokens && !o.tokens.includes(key)) continue;
    tokens[key] = (await createToken(s, { name: key, role, employeeId, createdBy: 'setup' })).token;
  }
  const server = await buildServer(app, options);
  return {
    app,
    server,
    tokens,
    call: (who, method, url, body) =>
      server.inject({ method, url, ...(who ? { headers: { authorization: `Bearer ${tokens[who]}` } } : {}), ...(body !== undefined ? { payload: body as never } : {}) }),
    close: async () => {
      await server.close();
      await app.close();
      if (schema) await dropSchema(schema);
    },
  };
}
