// The fairness audit of 60 people over two quarters, decided by real runs, against a CSV worked
// out apart from the code (test/fixtures/fairness/expected.py): a failing four-fifths ratio, unknown
// categories (missing, blank, "Prefer not to say"), and groups under the size and 2% thresholds.
// The same CSV from `npx appraise fairness report` and from GET /api/fairness/report, on
// PGlite and on PostgreSQL.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Appraise } from '../../core/app/appraise.ts';
import { createToken } from '../../core/auth/tokens.ts';
import { configFromText, type AppConfig } from '../../core/config/config.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { publishPolicy } from '../../core/policy/versions.ts';
import { buildServer } from '../../core/server/app.ts';
import { cli, expectError } from '../cli/run-cli.ts';
import { dropSchema, freshSchemaName, POSTGRES_URL, postgresReachable } from '../store/backends.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/fairness/', import.meta.url));
const CONFIG_FILE = join(FIXTURE, 'appraise.config.yaml');
const EXPECTED = readFileSync(join(FIXTURE, 'expected-audit.csv'), 'utf8');
type Outcome = 'pip' | 'coaching' | 'recognition' | null;
const PEOPLE = (JSON.parse(readFileSync(join(FIXTURE, 'people.json'), 'utf8')) as { people: Array<{ id: string; attributes: Record<string, string>; outcomes: Record<string, Outcome> }> }).people;
/** The one survey that makes the policy decide each outcome (policy.yaml). */
const CSAT: Record<string, number> = { pip: 1, coaching: 2, recognition: 5, none: 4 };
const CYCLES = [{ cycle: '2026-Q1', surveyAt: '2026-03-20T10:00:00Z' }, { cycle: '2026-Q2', surveyAt: '2026-06-20T10:00:00Z' }];

function fixtureConfig(): AppConfig {
  const { config, diagnostics } = configFromText(CONFIG_FILE, readFileSync(CONFIG_FILE, 'utf8'));
  if (!config) throw new Error(JSON.stringify(diagnostics));
  return config;
}

/** The 60 agents, a team lead outside the policy's scope, the policy, the surveys, and three runs. */
async function seed(app: Appraise): Promise<void> {
  const s = app.store;
  await s.query(`INSERT INTO employees (id, name, role, hire_date, attributes, content_hash) VALUES ('lead', 'Team Lead', 'team-lead', '2020-01-01', '{"gender":"F","ethnicity":"Asian"}'::jsonb, 'x')`);
  for (const p of PEOPLE) {
    await s.query(`INSERT INTO employees (id, name, role, hire_date, attributes, content_hash) VALUES ($1, $2, 'agent', '2024-01-01', $3::jsonb, 'x')`, [p.id, `Agent ${p.id}`, JSON.stringify(p.attributes)]);
    for (const { cycle, surveyAt } of CYCLES) {
      await s.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('customer-feedback.survey', $1, $2, $3::jsonb, $4)`, [p.id, surveyAt, JSON.stringify({ csat: CSAT[p.outcomes[cycle] ?? 'none'] }), `${p.id}-${cycle}`]);
    }
  }
  const yaml = readFileSync(join(FIXTURE, 'policy.yaml'), 'utf8');
  await publishPolicy(s, { policy: loadPolicyText('policy.yaml', yaml, app.registry).policy!, yaml, author: 'setup', comment: 'fixture' });
  // Run 1 comes before the Q1 surveys (nobody selected): run 2, the cycle's latest, is the one reported.
  for (const asOf of ['2026-03-10T00:00:00Z', '2026-03-31T00:00:00Z', '2026-06-30T00:00:00Z']) await app.run({ asOf: new Date(asOf), trigger: 'manual' });
}

/** The engine decided what people.json says: otherwise the comparison below would test the fixture, not the audit. */
async function expectDecidedAsPlanned(app: Appraise): Promise<void> {
  for (const [runId, cycle] of [[2, '2026-Q1'], [3, '2026-Q2']] as const) {
    const rows = (await app.store.query<{ employee_id: string; outcome: string }>(`SELECT employee_id, outcome FROM decisions WHERE run_id = $1 AND status = 'fired' ORDER BY employee_id`, [runId])).rows;
    expect(rows.map((r) => `${r.employee_id}:${r.outcome}`)).toEqual(PEOPLE.filter((p) => p.outcomes[cycle]).map((p) => `${p.id}:${p.outcomes[cycle]}`));
  }
  expect((await app.store.query(`SELECT 1 FROM decisions WHERE run_id = 1 AND status = 'fired'`)).rows).toHaveLength(0);
}

async function apiCsv(app: Appraise): Promise<{ csv: string; type: string; disposition: string }> {
  const { token } = await createToken(app.store, { name: 'auditor', role: 'hr', createdBy: 'setup' });
  const server = await buildServer(app, {});
  try {
    const res = await server.inject({ method: 'GET', url: '/api/fairness/report?from=2026-01-01&to=2026-12-31&format=csv', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode, res.body).toBe(200);
    return { csv: res.body, type: String(res.headers['content-type']), disposition: String(res.headers['content-disposition']) };
  } finally {
    await server.close();
  }
}

const report = (env: Record<string, string>, extra: string[] = []) =>
  cli(['--config', CONFIG_FILE, 'fairness', 'report', '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'csv', ...extra], { env });

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the fairness audit of the 60-person fixture matches the hand-computed CSV', () => {
  it('on PGlite: from the CLI (printed and --out) and from the API', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'appraise-fairness-audit-'));
    dirs.push(dir);
    const dataDir = join(dir, 'store');
    let app = await Appraise.open({ config: fixtureConfig(), dataDir });
    try {
      await seed(app);
      await expectDecidedAsPlanned(app);
    } finally {
      await app.close();
    }
    // The embedded store has one owner: the CLI opens it while no server holds it.
    const printed = report({}, ['--data-dir', dataDir]);
    expect(printed.stderr).toBe('');
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(EXPECTED);
    const out = join(dir, 'audit.csv');
    const written = report({}, ['--data-dir', dataDir, '--out', out]);
    expect(written.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(EXPECTED);
    // The table for reading: per cycle, the run it comes from, the unknown row and the flag in words.
    const table = cli(['--config', CONFIG_FILE, 'fairness', 'report', '--from', '2026-01-01', '--to', '2026-12-31', '--data-dir', dataDir]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('== audit-fixture v1, 2026-Q1: run 2 as of 2026-03-31 (latest of 2 runs in the cycle)');
    expect(table.stdout).toContain('== audit-fixture v1, 2026-Q2: run 3 as of 2026-06-30');
    expect(table.stdout).toMatch(/\(unknown\) +4 +1 +25% .*unknown: left out of ratios/);
    expect(table.stdout).toContain('! PIP by gender: "F" (28 people) are placed on a PIP at 8.0× the rate of "M" (28.6% vs 3.6%): impact ratio 0.74 < 0.8 (four-fifths rule); Fisher\'s exact p = 0.025.');
    // Refusals: one coded line each, nothing on stdout.
    const refused = (args: string[]) => cli(['--config', CONFIG_FILE, 'fairness', 'report', ...args, '--data-dir', dataDir]);
    expectError(refused(['--from', '2026-12-31', '--to', '2026-01-01']), 2, 'error APPRAISE_FAIRNESS_RANGE The range is reversed: from 2026-12-31 is after to 2026-01-01. Give the earlier date as from.');
    expectError(refused(['--from', '2026-01-01', '--to', '2026-12-31', '--format', 'xml']), 2, 'error APPRAISE_USAGE --format must be table, csv or json, not xml.');
    expectError(refused(['--from', '2026-01-01', '--to', '2026-12-31', '--policy', 'nope']), 1, 'error APPRAISE_FAIRNESS_UNKNOWN_POLICY No policy `nope` was ever published; the published ones are audit-fixture. Name one of them, or leave out the policy to report on all.');

    app = await Appraise.open({ config: fixtureConfig(), dataDir });
    try {
      const api = await apiCsv(app);
      expect(api.csv).toBe(EXPECTED);
      expect(api.type).toMatch(/^text\/csv/);
      expect(api.disposition).toBe('attachment; filename="fairness-2026-01-01-2026-12-31.csv"');
    } finally {
      await app.close();
    }
  }, 240_000);

  it('on PostgreSQL: from the CLI and from the API', async () => {
    if (!(await postgresReachable())) return;
    const schema = freshSchemaName();
    const app = await Appraise.open({ config: fixtureConfig(), databaseUrl: POSTGRES_URL, schema });
    try {
      await seed(app);
      await expectDecidedAsPlanned(app);
      const printed = report({ DATABASE_URL: POSTGRES_URL, APPRAISE_PG_SCHEMA: schema });
      expect(printed.stderr).toBe('');
      expect(printed.stdout).toBe(EXPECTED);
      expect((await apiCsv(app)).csv).toBe(EXPECTED);
    } finally {
      await app.close();
      await dropSchema(schema);
    }
  }, 240_000);
});
