// Issue 14: `npm start` in one terminal, commands in another. Every command reaches the running
// server's store through it (what it writes is visible through the API at once), or is refused
// with a coded error naming the owner; never two writers, never a silent loss, never a hang. A
// server killed with -9 mid-run leaves the run `interrupted` after a restart.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Appraise } from '../../core/app/appraise.ts';
import { defaultConfig } from '../../core/config/config.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { publishPolicy } from '../../core/policy/versions.ts';
import { cli, ROOT } from '../cli/run-cli.ts';
import { seedOrganisation } from '../server/helpers.ts';
import { startServe, type ServeProcess } from './serve-process.ts';

const SLOW_POLICY = `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: slow-test, title: A policy whose metric takes its time, owner: hr }
spec:
  appliesTo: { roles: [agent] }
  window: 30d
  facts:
    waits: { metric: slow-metric.wait, minSamples: 1 }
  rules:
    - id: coach
      when: { all: [{ fact: waits, operator: greaterThan, value: 100 }] }
      then: { outcome: coaching }
`;

let cwd: string;
let dataDir: string;
let serve: ServeProcess | undefined;
let admin: string;

const oneLine = (stderr: string) => stderr.trim().split('\n');
const api = async (path: string, init: RequestInit = {}) => {
  const r = await fetch(`${serve!.url}${path}`, { ...init, headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', ...init.headers } });
  return { status: r.status, body: await r.json() };
};

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'appraise-sharing-'));
  dataDir = join(cwd, '.appraise');
  cpSync(join(ROOT, 'test/fixtures/plugins/slow-metric'), join(cwd, 'plugins/slow-metric'), { recursive: true });
  writeFileSync(join(cwd, 'appraise.config.yaml'), 'plugins:\n  dirs: [./plugins]\n  timeoutMs: 60000\n');
  // The organisation, written by a process that then goes away (its lock with it).
  const app = await Appraise.open({ config: defaultConfig(), dataDir, extraPluginDirs: [join(cwd, 'plugins')] });
  await seedOrganisation(app);
  await publishPolicy(app.store, { policy: loadPolicyText('slow-test.policy.yaml', SLOW_POLICY, app.registry).policy!, yaml: SLOW_POLICY, author: 'setup', comment: 'slow' });
  await app.run({ asOf: new Date('2026-04-01T00:00:00Z'), policyIds: ['fair-test'], trigger: 'manual' });
  await app.close();
  serve = await startServe(cwd, dataDir);
  const created = cli(['token', 'create', '--role', 'admin', '--name', 'second-terminal', '--data-dir', dataDir], { cwd });
  expect(created.stderr).toBe('');
  admin = /: (apr_\S+)/.exec(created.stdout)![1];
}, 180_000);

afterAll(async () => {
  await serve?.stop();
  rmSync(cwd, { recursive: true, force: true });
});

describe('commands in a second terminal while the server runs', () => {
  it('a token created there signs in to the running server at once', async () => {
    expect((await api('/api/me')).body).toMatchObject({ name: 'second-terminal', role: 'admin' });
  });

  it('a PIP approved there is approved in the server, with its timeline entry', async () => {
    const pip = (await api('/api/cases?type=pip&status=proposed')).body.cases[0];
    expect(pip).toBeDefined();
    const r = cli(['case', String(pip.id), 'approve', '--note', 'Reviewed with the manager', '--goals', 'Average CSAT of 3.5 or more', '--due', '2099-01-01', '--check-in-every', '14', '--support', 'Weekly coaching', '--data-dir', dataDir], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const after = (await api(`/api/cases/${pip.id}`)).body;
    expect(after.status).toBe('approved');
    expect(after.events.at(-1)).toMatchObject({ from: 'proposed', to: 'approved', note: 'Reviewed with the manager' });
  });

  it('a run started there is in the server\'s run list, and an import there is in its employee list', async () => {
    const before = (await api('/api/runs')).body.total;
    const run = cli(['run', '--policy', 'fair-test', '--as-of', '2026-04-02', '--data-dir', dataDir], { cwd });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const runs = (await api('/api/runs')).body;
    expect(runs.total).toBe(before + 1);
    expect(runs.runs[0]).toMatchObject({ trigger: 'manual', status: 'completed' });

    const file = join(cwd, 'people.csv');
    writeFileSync(file, 'id,name,role,team,hireDate\nnew1,Nia Newcomer,agent,A,2026-01-05\n');
    const imported = cli(['import', 'employees', file, '--data-dir', dataDir], { cwd });
    expect(imported.code).toBe(0);
    expect((await api('/api/employees/new1')).body.employee).toMatchObject({ id: 'new1', name: 'Nia Newcomer' });
  });

  it('a second run of a policy the server is running is refused at once; kill -9 mid-run and a restart show it interrupted', async () => {
    const started = await api('/api/runs', { method: 'POST', body: JSON.stringify({ policyIds: ['slow-test'], asOf: '2026-04-01', wait: false }) });
    expect(started.status).toBe(202);
    const runId = started.body.runId;

    const second = cli(['run', '--policy', 'slow-test', '--data-dir', dataDir], { cwd });
    expect(second.code).toBe(1);
    expect(oneLine(second.stderr)).toEqual([expect.stringMatching(new RegExp(`^error APPRAISE_RUN_IN_PROGRESS A run of slow-test is already in progress \\(run ${runId}, started .+\\)\\. Wait for it to finish`))]);

    expect((await api(`/api/runs/${runId}`)).body.status).toBe('running');
    await serve!.kill9();
    serve = await startServe(cwd, dataDir);
    const run = (await api(`/api/runs/${runId}`)).body;
    expect(run).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/^interrupted: /) });
    expect(run.finishedAt).not.toBeNull();
    // And the store is whole: what the second terminal wrote before the kill is still there.
    expect((await api('/api/employees/new1')).status).toBe(200);
  }, 180_000);
});

describe('an owner that keeps the store to itself', () => {
  it('another command waits, then is refused with one coded line naming it; after kill -9 the lock is taken over', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'appraise-busy-'));
    // A one-off command's hold on the store, as an import has it: owned, not shared.
    const holder = spawn(process.execPath, ['--import', 'tsx', '-e', `
      const { openStore } = await import(${JSON.stringify(join(ROOT, 'core/store/store.ts'))});
      const s = await openStore({ dataDir: ${JSON.stringify(folder)}, command: 'appraise import employees big.csv' });
      console.log('holding');
      setInterval(() => {}, 1000);
    `], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DATABASE_URL: '' } });
    await new Promise<void>((resolve) => holder.stdout!.on('data', (d) => String(d).includes('holding') && resolve()));
    try {
      const refused = cli(['status', '--data-dir', folder], { env: { APPRAISE_STORE_WAIT_MS: '1000' } });
      expect(refused.code).toBe(1);
      const lines = oneLine(refused.stderr);
      expect(lines[0]).toMatch(/^Waiting for `appraise import employees big\.csv` \(pid \d+/);
      expect(lines.slice(1)).toEqual([expect.stringMatching(new RegExp(`^error APPRAISE_STORE_BUSY The store at ${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by \`appraise import employees big\\.csv\` \\(pid ${holder.pid}, since .+\\), which keeps it to itself until it finishes\\. Wait for it to finish and run this again, or stop it\\.$`))]);
    } finally {
      holder.kill('SIGKILL');
      await new Promise((r) => holder.once('exit', r));
    }
    const after = cli(['status', '--data-dir', folder]);
    expect(after.stderr).toBe('');
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/^store: pglite at /);
    rmSync(folder, { recursive: true, force: true });
  }, 120_000);
});
