// The act phase alone: a run's fired decisions turned into cases (core/cases/open-cases.ts), on a
// store that already holds the kinds of state the act phase looks at: open coaching a PIP will
// supersede, cases within a cooldown, PIPs in force, exemptions, and a repeat of the same run
// (every case already open). Reports ms per decision and per case opened.
//
// `caseOpeningBench(store, { cases })` makes its own employees (`bench-case-<n>`) and policy
// (`bench-cases-<stamp>`), so that it can run on any store, several times (each call with a policy
// of its own, the same figures), and leaves what it made there: its run, decisions, cases and
// deliveries (removing them costs minutes: nothing indexes the foreign keys that point at a
// case or a decision). Run it on a throwaway store, or last. Run on its own:
//   node --import tsx bench/case-opening.ts [--cases 2000,10000] [--postgres URL] [--memory]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCases, type ActSummary } from '../core/cases/open-cases.ts';
import type { Policy } from '../core/policy/types.ts';
import type { Decision } from '../core/run/decide.ts';
import { insertDecisions, startRun } from '../core/run/persist.ts';
import { migrate } from '../core/store/migrate.ts';
import { openStore, type Store } from '../core/store/store.ts';

export interface CaseOpeningOptions {
  /** Fired decisions to turn into cases (one per employee). */
  cases: number;
  asOf?: Date;
  /** The act phase to measure (default core/cases/open-cases.ts), e.g. an older one side by side. */
  open?: typeof openCases;
}

export interface CaseOpeningFigures {
  decisions: number;
  opened: number;
  /** The first call: cases opened, suppressions and supersessions written. */
  ms: number;
  msPerDecision: number;
  msPerCase: number;
  /** The same decisions again: every case exists already. */
  againMs: number;
  summary: ActSummary;
}

const PERIOD = '2026-Q4';
let calls = 0;

/** A rule explanation of the size a real one has: two leaf conditions with their facts and windows. */
function explanation(ruleId: string, outcome: Decision['outcome'], value: number): Decision['explanation'] {
  const window = { from: '2026-07-03T00:00:00.000Z', to: '2026-10-01T00:00:00.000Z' };
  return {
    ruleId, priority: outcome === 'pip' ? 30 : outcome === 'coaching' ? 20 : 10, outcome, status: 'fired', counted: true,
    reason: 'all conditions hold',
    conditions: {
      kind: 'all', result: 'pass', children: [
        { kind: 'fact', operator: 'lessThan', left: { fact: 'csat', params: { metric: 'customer-feedback.csat' }, value, status: 'ok', samples: 37, minSamples: 10, window, unit: 'score' }, threshold: 3.6, result: 'pass' },
        { kind: 'fact', operator: 'greaterThanInclusive', left: { fact: 'tickets', params: { metric: 'support-tickets.resolved' }, value: 112, status: 'ok', samples: 112, minSamples: 20, window, unit: 'count' }, threshold: 20, result: 'pass' },
      ],
    },
  } as unknown as Decision['explanation'];
}

function policyOf(id: string): Policy {
  return {
    apiVersion: 'appraise/v1', kind: 'ReviewPolicy', metadata: { id, title: id, owner: 'bench' },
    spec: {
      appliesTo: {}, mode: 'enforce', hitPolicy: 'first',
      rules: [
        { id: 'pip', priority: 30, when: { all: [] }, then: { outcome: 'pip', workflows: ['log.write'] } },
        { id: 'coach', priority: 20, cooldown: '120d', when: { all: [] }, then: { outcome: 'coaching', params: { sessions: 3 }, workflows: ['log.write'] } },
        { id: 'star', priority: 10, when: { all: [] }, then: { outcome: 'recognition' } },
      ],
    },
  } as unknown as Policy;
}

export async function caseOpeningBench(store: Store, o: CaseOpeningOptions): Promise<CaseOpeningFigures> {
  const asOf = o.asOf ?? new Date('2026-10-01T00:00:00Z');
  const policyId = `bench-cases-${Date.now().toString(36)}-${calls++}`;
  const policy = policyOf(policyId);
  const employees = Array.from({ length: o.cases }, (_, i) => `bench-case-${i}`);
  await store.query(
    `INSERT INTO employees (id, name, email, team, content_hash) SELECT e, 'Bench ' || e, e || '@example.com', 'team-' || (n % 50), 'bench'
     FROM unnest($1::text[]) WITH ORDINALITY AS t(e, n) ON CONFLICT (id) DO NOTHING`,
    [employees],
  );
  // One decision per employee: 10% PIP, 60% coaching, 30% recognition.
  const outcomeOf = (i: number): Decision['outcome'] => (i % 10 === 0 ? 'pip' : i % 10 < 7 ? 'coaching' : 'recognition');
  const ruleOf = { pip: 'pip', coaching: 'coach', recognition: 'star' } as const;
  const decisions: Decision[] = employees.map((e, i) => {
    const outcome = outcomeOf(i);
    return { employeeId: e, policyId, policyVersion: 1, period: PERIOD, ruleId: ruleOf[outcome], outcome, status: 'fired', params: outcome === 'coaching' ? { sessions: 3 } : {}, explanation: explanation(ruleOf[outcome], outcome, 2 + (i % 17) / 10) };
  });
  // State the act phase reads: half the PIP employees have open coaching (superseded), every 25th
  // coaching employee had coaching last quarter (cooldown), every 40th a PIP in force, every 50th
  // an exemption.
  const prior: Array<[string, string, string, string, string]> = [];
  employees.forEach((e, i) => {
    if (i % 20 === 0) prior.push([e, 'coaching', 'open', 'coach', '2026-Q3']);
    else if (outcomeOf(i) === 'coaching' && i % 25 === 1) prior.push([e, 'coaching', 'completed', 'coach', '2026-Q3']);
    if (i % 40 === 10) prior.push([e, 'pip', 'active', 'pip', '2026-Q2']);
  });
  // (A PIP in force from an earlier call stays in force: at most one per employee.)
  await store.query(
    `INSERT INTO cases (type, status, employee_id, policy_id, policy_version, rule_id, period, explanation, opened_at)
     SELECT t, s, e, $1, 1, r, p, '{}'::jsonb, CASE p WHEN '2026-Q3' THEN timestamptz '2026-08-01' ELSE timestamptz '2026-05-01' END
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS x(e, t, s, r, p)
     WHERE t <> 'pip' OR NOT EXISTS (SELECT 1 FROM cases c WHERE c.employee_id = x.e AND c.type = 'pip' AND c.status = 'active')`,
    [policyId, prior.map((p) => p[0]), prior.map((p) => p[1]), prior.map((p) => p[2]), prior.map((p) => p[3]), prior.map((p) => p[4])],
  );
  const exempt = employees.filter((_, i) => i % 50 === 7);
  await store.query(
    `INSERT INTO exemptions (employee_id, policy_id, reason, starts_at, until, created_by) SELECT e, $1, 'leave', timestamptz '2026-09-01', timestamptz '2026-12-01', 'bench' FROM unnest($2::text[]) AS t(e)`,
    [policyId, exempt],
  );
  const runId = await startRun(store, { trigger: 'manual', asOf, dryRun: false, policyVersions: [{ policyId, version: 1 }] });
  const ids = await insertDecisions(store, runId, decisions);
  const opts = { asOf, policies: new Map([[policyId, policy]]), defaultWorkflows: { recognition: [], coaching: [], pip: ['log.write'] } };
  const open = o.open ?? openCases;
  let t = performance.now();
  const summary = await open(store, runId, decisions, ids, opts);
  const ms = performance.now() - t;
  t = performance.now();
  await open(store, runId, decisions, ids, opts);
  const againMs = performance.now() - t;
  const opened = summary.opened.pip + summary.opened.coaching + summary.opened.recognition;
  return { decisions: decisions.length, opened, ms: Math.round(ms), msPerDecision: round3(ms / decisions.length), msPerCase: round3(ms / Math.max(opened, 1)), againMs: Math.round(againMs), summary };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const sizes = (arg('cases') ?? '2000,10000').split(',').map(Number);
  const url = arg('postgres');
  const memory = args.includes('--memory');
  for (const cases of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'appraise-case-bench-'));
    const store = url
      ? await openStore({ databaseUrl: url, schema: `appraise_case_bench_${Date.now()}` })
      : await openStore({ dataDir: memory ? 'memory://' : join(dir, 'store'), databaseUrl: '' });
    try {
      await migrate(store);
      // A warm-up at a tenth of the size (JIT, the store's caches), then the measured call.
      await caseOpeningBench(store, { cases: Math.max(100, Math.round(cases / 10)) });
      const load = loadavg()[0].toFixed(2);
      const f = await caseOpeningBench(store, { cases });
      console.log(`${store.kind}${memory ? ' (memory)' : ''}: ${f.decisions} decisions, ${f.opened} cases opened in ${f.ms} ms = ${f.msPerCase} ms per case (${f.msPerDecision} ms per decision); again ${f.againMs} ms; load average ${load}`);
      console.log(`  ${JSON.stringify(f.summary)}`);
    } finally {
      if (url) await store.query(`DROP SCHEMA IF EXISTS ${store.location.match(/schema (\w+)/)?.[1]} CASCADE`).catch(() => {});
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
