// The decision log on the demo organisation: every decision of a run, and of a preview, goes to
// the day's NDJSON file; 100 of them, spread over the log and over every kind of result, are
// evaluated again from the log and the stored policy text alone, with the reference evaluator,
// and give the same results and explanations. A log line edited afterwards, or a stored text
// that is not the one logged, is caught.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Appraise } from '../../core/app/appraise.ts';
import { defaultConfig } from '../../core/config/config.ts';
import { prepareDemoStore } from '../../core/app/first-start.ts';
import { readDecisionLog, replayDecisions } from '../../core/compliance/decision-log/replay.ts';
import type { DecisionLine, LogLine } from '../../core/compliance/decision-log/entry.ts';
import { simulateDraft } from '../../core/run/simulate.ts';
import { getVersion } from '../../core/policy/versions.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { sampleIds } from '../../core/cli/decision-commands.ts';

const dir = mkdtempSync(join(tmpdir(), 'appraise-decision-log-'));
let app: Appraise;
let lines: LogLine[];

beforeAll(async () => {
  const config = { ...defaultConfig(dir), compliance: { decisionLogs: { dir: 'logs' } } };
  app = await Appraise.open({ config, dataDir: 'memory://', databaseUrl: '' });
  await prepareDemoStore(app, () => {});
  lines = await readDecisionLog(readdirSync(join(dir, 'logs')).map((f) => join(dir, 'logs', f)));
}, 300_000);

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

const decisions = () => lines.filter((l): l is DecisionLine => l.type === 'decision');

describe('the decision log', () => {
  it('holds one entry per person each policy evaluated, with the version, its hash, the facts and the result', async () => {
    const run = (await app.store.query<{ id: number; n: number }>(`SELECT r.id, (SELECT count(*)::int FROM decisions d WHERE d.run_id = r.id) AS n FROM runs r WHERE NOT dry_run`)).rows;
    expect(run).toHaveLength(1);
    const ds = decisions();
    const policies = lines.filter((l) => l.type === 'policy');
    expect(policies.length).toBeGreaterThanOrEqual(3);
    // Every stored decision row is in the log, under the same rule and status.
    const logged = new Set(ds.flatMap((d) => d.result.rules.map((r) => `${d.employeeId}/${d.policy.id}/${r.ruleId}/${r.status}`)));
    const stored = (await app.store.query<{ k: string }>(`SELECT employee_id || '/' || policy_id || '/' || rule_id || '/' || status AS k FROM decisions`)).rows.map((r) => r.k);
    expect(stored.length).toBe(run[0].n);
    expect(stored.every((k) => logged.has(k))).toBe(true);
    expect(logged.size).toBe(stored.length);
    for (const d of ds.slice(0, 50)) {
      expect(d.context).toMatchObject({ kind: 'run', runId: Number(run[0].id), dryRun: false });
      expect(d.policy.contentHash).toBe((await getVersion(app.store, d.policy.id, d.policy.version)).contentHash);
      // Protected attributes are not logged unless a condition reads them (none of the shipped ones does).
      expect(d.facts['employee.attributes']).toBeUndefined();
    }
    // Every kind of result is there: fired, undecided and no rule applying at all.
    expect(ds.some((d) => d.result.rules.some((r) => r.status === 'fired'))).toBe(true);
    expect(ds.some((d) => d.result.rules.some((r) => r.status === 'indeterminate' || r.status === 'blocked'))).toBe(true);
    expect(ds.some((d) => d.result.rules.length === 0)).toBe(true);
  });

  it('replays 100 logged decisions from the log and the stored policy text with the same results and explanations', async () => {
    const ds = decisions();
    const sample = sampleIds(lines, 100)!;
    // The even spread also holds decisions of each kind, added if the spread missed them.
    for (const pick of [(d: DecisionLine) => d.result.outcomes.includes('pip'), (d: DecisionLine) => d.result.rules.some((r) => r.status === 'indeterminate'), (d: DecisionLine) => d.result.outcomes.includes('recognition')]) {
      const found = ds.find(pick);
      if (found && !sample.has(found.id)) sample.delete(sample.values().next().value!), sample.add(found.id);
    }
    expect(sample.size).toBe(100);
    const results = await replayDecisions(lines, { store: app.store, registry: app.registry, host: app.host }, sample);
    expect(results).toHaveLength(100);
    expect(results.filter((r) => !r.sameResult || !r.sameExplanation)).toEqual([]);
    expect(results.some((r) => r.logged.outcomes.includes('pip'))).toBe(true);
  });

  it('catches an edited fact and a stored text that is not the one the decision was made with', async () => {
    const fired = decisions().find((d) => d.result.rules.some((r) => r.status === 'fired') && Object.values(d.facts).some((f) => f.status === 'ok' && typeof f.value === 'number' && f.metric))!;
    const key = Object.entries(fired.facts).find(([, f]) => f.status === 'ok' && typeof f.value === 'number' && f.metric)![0];
    const edited: DecisionLine = { ...fired, facts: { ...fired.facts, [key]: { status: 'insufficient', samples: 0, minSamples: 5 } } };
    const [r] = await replayDecisions([edited], { store: app.store, registry: app.registry, host: app.host });
    expect(r.sameResult && r.sameExplanation).toBe(false);
    const [h] = await replayDecisions([{ ...fired, policy: { ...fired.policy, contentHash: 'f'.repeat(64) } }], { store: app.store, registry: app.registry, host: app.host });
    expect(h.problem).toMatch(/is not the text the decision was made with/);
  });

  it('logs a preview of a draft with the draft itself, and replays it', async () => {
    const v = await getVersion(app.store, 'support-agents', 1);
    expect(v.yaml).toMatch(/value: 3\.6\b/);
    const draft = loadPolicyText('draft', v.yaml.replace(/value: 3\.6\b/g, 'value: 3.9'), app.registry).policy!;
    const before = lines.length;
    await simulateDraft(app.store, { registry: app.registry, metrics: app.plugins.metrics, host: app.host, ...app.decisionLogOption('preview') }, draft, new Date());
    lines = await readDecisionLog(readdirSync(join(dir, 'logs')).map((f) => join(dir, 'logs', f)));
    const added = lines.slice(before);
    const draftLine = added.find((l) => l.type === 'policy' && l.policy.version === 0);
    expect(draftLine && draftLine.type === 'policy' && draftLine.document?.metadata.id).toBe('support-agents');
    const previewDecisions = added.filter((l): l is DecisionLine => l.type === 'decision' && l.context.kind === 'preview');
    expect(previewDecisions.some((d) => d.policy.version === 0) && previewDecisions.some((d) => d.policy.version === 1)).toBe(true);
    const results = await replayDecisions(added, { store: app.store, registry: app.registry, host: app.host }, sampleIds(added, 60));
    expect(results.filter((r) => !r.sameResult || !r.sameExplanation)).toEqual([]);
  });
});
