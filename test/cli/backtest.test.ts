// `appraise backtest`: per-quarter lines in plain words, the same as JSON, a published policy by
// id, coded refusals, and a store left exactly as it was.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Appraise } from '../../core/app/appraise.ts';
import { FAIRNESS_CONFIG, policyYaml, seedOrganisation } from '../server/helpers.ts';
import { cli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'appraise-backtest-'));
const dataDir = join(dir, 'store');
const config = join(dir, 'appraise.config.yaml');
const draftFile = join(dir, 'fair-test.policy.yaml');

async function rows(): Promise<number[]> {
  const app = await Appraise.open({ config: FAIRNESS_CONFIG(), dataDir });
  try {
    const out: number[] = [];
    for (const table of ['runs', 'decisions', 'cases', 'outbox', 'audit_log', 'policy_versions']) out.push(Number((await app.store.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n));
    return out;
  } finally {
    await app.close();
  }
}

beforeAll(async () => {
  const app = await Appraise.open({ config: FAIRNESS_CONFIG(), dataDir });
  await seedOrganisation(app);
  await app.close();
  writeFileSync(config, 'fairness:\n  protectedAttributes: [gender]\n  minGroupSize: 5\n');
  writeFileSync(draftFile, policyYaml(3.0));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('appraise backtest', () => {
  const backtest = (...args: string[]) => cli(['--config', config, 'backtest', ...args, '--data-dir', dataDir]);

  it('prints a line per quarter, who newly gets a PIP and the four-fifths flag, and writes nothing', async () => {
    const before = await rows();
    const r = backtest(draftFile, '--from', '2026-01-01', '--to', '2026-10-01');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Backtest of fair-test: the draft against published version 1, per quarter.');
    expect(r.stdout).toContain("As of each cycle's end: only what had happened by then");
    const table = r.stdout.split('\n').filter((l) => /^20\d\d-Q\d +20\d\d-/.test(l));
    expect(table.map((l) => l.slice(0, 7))).toEqual(['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
    expect(table[1]).toMatch(/^2026-Q1 +2026-04-01 +20 vs 20 +4 vs 4 +0 vs 0 +7 vs 2 +0 vs 0 +1$/);
    expect(table[0]).toMatch(/^2025-Q4 +2026-01-01 +20 vs 20 +0 vs 0 +0 vs 0 +0 vs 0 +20 vs 20 +0$/);
    expect(r.stdout).toContain('newly gets a PIP: Agent m2 (m2), Agent w2 (w2), Agent w3 (w3), Agent w4 (w4), Agent w5 (w5)');
    expect(r.stdout).toMatch(/! PIP by gender: "F"/);
    expect(await rows()).toEqual(before);
  }, 120_000);

  it('--format json gives the per-quarter counts and fairness; a published id is backtested too', () => {
    const r = backtest(draftFile, '--from', '2026-01-01', '--to', '2026-10-01', '--format', 'json');
    const json = JSON.parse(r.stdout);
    expect(json.cycles.map((c: { cycle: string }) => c.cycle)).toEqual(['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
    expect(json.cycles[1].counts).toEqual({ draft: { recognition: 4, coaching: 0, pip: 7 }, compared: { recognition: 4, coaching: 0, pip: 2 } });
    expect(json.cycles[1].fairness.flags).toHaveLength(1);
    const byId = JSON.parse(backtest('fair-test@1', '--from', '2026-04-01', '--to', '2026-04-01', '--format', 'json').stdout);
    expect(byId).toMatchObject({ draftVersion: 1, comparedVersion: 1, cycles: [{ cycle: '2026-Q1', newly: { pip: [] } }] });
  }, 120_000);

  it('refuses a range of more than 12 cycles, a bad cycle and a broken file, each with a code', () => {
    const wide = backtest(draftFile, '--from', '2025-01-01', '--to', '2026-10-01', '--cycle', 'month');
    expect(wide.code).toBe(1);
    expect(wide.stderr.trim()).toMatch(/^error APPRAISE_BACKTEST_RANGE The range holds more than 12 month boundaries/);
    const cycle = backtest(draftFile, '--from', '2026-01-01', '--to', '2026-10-01', '--cycle', 'fortnight');
    expect([cycle.code, cycle.stderr.trim()]).toEqual([2, 'error APPRAISE_USAGE --cycle must be week, month, quarter or year, not fortnight.']);
    const broken = join(dir, 'broken.policy.yaml');
    writeFileSync(broken, policyYaml(3.0).replace('lessThan', 'lessThen'));
    const bad = backtest(broken, '--from', '2026-01-01', '--to', '2026-10-01');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/broken\.policy\.yaml:11:\d+.*APPRAISE_POLICY_UNKNOWN_OPERATOR/);
  }, 120_000);
});
