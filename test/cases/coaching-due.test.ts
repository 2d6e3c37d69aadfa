// A coaching case is due when it opens (issue 16): its policy's `spec.coaching.dueWithin` after
// the run's as-of instant, else the config's `cases.coachingDueWithinDays`, else 14 days; stored
// in due_at so the dashboard's due-date tiles count it. A coaching case opened before due dates
// existed keeps none. A due-by that is not a duration, or is under an hour or over a year, is a
// policy error at its line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Appraise } from '../../core/app/appraise.ts';
import { configFromText, defaultConfig, type AppConfig } from '../../core/config/config.ts';
import { createToken } from '../../core/auth/tokens.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { publishPolicy } from '../../core/policy/versions.ts';
import { buildServer } from '../../core/server/app.ts';
import { AS_OF, seedOrganisation } from '../server/helpers.ts';

const DAY = 86_400_000;
const AFTER = '2026-04-02T00:00:00Z';

const coachingPolicy = (id: string, coaching = '') => `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: ${id}, title: ${id}, owner: hr }
spec:
  appliesTo: { roles: [agent] }
  window: 30d
${coaching}  facts:
    csat: { metric: customer-feedback.csat, minSamples: 1 }
  rules:
    - id: coach
      when: { all: [{ fact: csat, operator: lessThan, value: 4.2 }] }
      then: { outcome: coaching }
`;

/** An organisation with two coaching policies, one with its own due-by and one without, run once at AS_OF. */
async function organisation(config: AppConfig): Promise<Appraise> {
  const app = await Appraise.open({ config, dataDir: 'memory://', databaseUrl: '' });
  await seedOrganisation(app);
  // Coaching opened last quarter, before due dates existed.
  await app.store.query(`INSERT INTO cases (type, status, employee_id, policy_id, policy_version, rule_id, period, explanation, opened_at) VALUES ('coaching', 'open', 'w9', 'coach-default', 1, 'coach', '2026-Q1', '{}', '2026-01-10T00:00:00Z')`);
  for (const [id, coaching] of [['coach-10d', '  coaching: { dueWithin: 10d }\n'], ['coach-default', '']]) {
    const yaml = coachingPolicy(id, coaching);
    const loaded = loadPolicyText(`${id}.policy.yaml`, yaml, app.registry);
    expect(loaded.diagnostics).toEqual([]);
    await publishPolicy(app.store, { policy: loaded.policy!, yaml, author: 'test', comment: 'coaching' });
  }
  await app.run({ asOf: new Date(AS_OF), trigger: 'manual' });
  return app;
}

/** The due dates of the coaching cases each policy opened in the run, in days after AS_OF. */
async function dueDays(app: Appraise): Promise<Record<string, Array<number | null>>> {
  const rows = (await app.store.query<{ policy_id: string; due_at: string | Date | null }>(`SELECT policy_id, due_at FROM cases WHERE type = 'coaching' AND period <> '2026-Q1' ORDER BY id`)).rows;
  const out: Record<string, Array<number | null>> = {};
  for (const r of rows) (out[r.policy_id] ??= []).push(r.due_at === null ? null : (new Date(r.due_at).getTime() - new Date(AS_OF).getTime()) / DAY);
  return out;
}

describe('coaching due dates', () => {
  let withDefault: Appraise;
  let withConfig: Appraise;
  beforeAll(async () => {
    [withDefault, withConfig] = await Promise.all([
      organisation(defaultConfig()),
      organisation({ ...defaultConfig(), cases: { coachingDueWithinDays: 5 } }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await withDefault?.close();
    await withConfig?.close();
  });

  it("a new coaching case is due its policy's dueWithin after the run's as-of, else the config's days, else 14 days", async () => {
    const byDefault = await dueDays(withDefault);
    // w1..w8 and m1..m8 are under 4.2 (seedOrganisation); w9 already has coaching of coach-default on file, but of another period.
    expect(byDefault['coach-10d']).toHaveLength(16);
    expect(new Set(byDefault['coach-10d'])).toEqual(new Set([10]));
    expect(new Set(byDefault['coach-default'])).toEqual(new Set([14]));
    const configured = await dueDays(withConfig);
    expect(new Set(configured['coach-10d'])).toEqual(new Set([10]));
    expect(new Set(configured['coach-default'])).toEqual(new Set([5]));
  });

  it('a coaching case opened before due dates existed keeps none', async () => {
    const legacy = await withDefault.store.query<{ due_at: unknown }>(`SELECT due_at FROM cases WHERE period = '2026-Q1'`);
    expect(legacy.rows).toEqual([{ due_at: null }]);
  });

  it("the dashboard's due-date tiles count the new coaching cases; only the old one has no due date among them", async () => {
    const server = await buildServer(withConfig);
    try {
      const { token } = await createToken(withConfig.store, { name: 'hr', role: 'hr', createdBy: 'test' });
      const r = await server.inject({ method: 'GET', url: `/api/dashboard?asOf=${AFTER}`, headers: { authorization: `Bearer ${token}` } });
      const { byDue, byStatus } = JSON.parse(r.body).openCases;
      const open = (type: string) => byStatus.filter((s: { type: string }) => s.type === type).reduce((n: number, s: { count: number }) => n + s.count, 0);
      // Due in 5 days (coach-default) and in 10 (coach-10d), a day after the run; PIPs proposed and recognitions have no date.
      expect(byDue).toMatchObject({ overdue: 0, next7Days: 16, next30Days: 16 });
      expect(byDue.noDueDate).toBe(open('pip') + open('recognition') + 1);
    } finally {
      await server.close();
    }
  });
});

describe('spec.coaching.dueWithin and cases.coachingDueWithinDays are checked', () => {
  let app: Appraise;
  beforeAll(async () => {
    app = await Appraise.open({ config: defaultConfig(), dataDir: 'memory://', databaseUrl: '' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('a due-by that is no duration, under an hour or over a year is an error at its value; a misspelt key is one at its key', () => {
    for (const [value, code, message] of [
      ['2 weeks', 'APPRAISE_POLICY_BAD_DURATION', '`2 weeks` is not a duration'],
      ['1mo', 'APPRAISE_POLICY_BAD_DURATION', 'months and years are not accepted'],
      ['0d', 'APPRAISE_POLICY_BAD_DURATION', 'A coaching case cannot be due `0d` after it opens: give a duration from 1h to 365d'],
      ['30m', 'APPRAISE_POLICY_BAD_DURATION', 'from 1h to 365d'],
      ['53w', 'APPRAISE_POLICY_BAD_DURATION', 'from 1h to 365d'],
    ] as const) {
      const { diagnostics } = loadPolicyText('p.policy.yaml', coachingPolicy('p', `  coaching: { dueWithin: ${value} }\n`), app.registry);
      expect(diagnostics, value).toEqual([expect.objectContaining({ code, line: 7, column: 26, message: expect.stringContaining(message) })]);
    }
    for (const ok of ['1h', '14d', '3w', '365d']) {
      expect(loadPolicyText('p.policy.yaml', coachingPolicy('p', `  coaching: { dueWithin: ${ok} }\n`), app.registry).diagnostics, ok).toEqual([]);
    }
    const typo = loadPolicyText('p.policy.yaml', coachingPolicy('p', '  coaching: { dueWithn: 14d }\n'), app.registry).diagnostics;
    expect(typo).toEqual([expect.objectContaining({ code: 'APPRAISE_SCHEMA_UNKNOWN_KEY', line: 7, column: 15, message: expect.stringContaining('Did you mean `dueWithin`?') })]);
  });

  it('the config gives the default days, a whole number from 1 to 365', () => {
    expect(configFromText('appraise.config.yaml', 'cases: { coachingDueWithinDays: 10 }\n').config?.cases).toEqual({ coachingDueWithinDays: 10 });
    expect(configFromText('appraise.config.yaml', 'server: { port: 3001 }\n').config?.cases).toEqual({ coachingDueWithinDays: 14 });
    for (const bad of ['0', '400', '2.5', '"14d"']) {
      const { config, diagnostics } = configFromText('appraise.config.yaml', `cases:\n  coachingDueWithinDays: ${bad}\n`);
      expect(config, bad).toBeUndefined();
      expect(diagnostics, bad).toEqual([expect.objectContaining({ severity: 'error', line: 2, column: 26 })]);
    }
  });
});
