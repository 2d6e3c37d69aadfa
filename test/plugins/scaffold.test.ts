// `plugin new` output passes `plugin check` and its own test, untouched; and `plugin check`
// catches what the engine would otherwise find only at run time.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ROOT } from '../cli/run-cli.ts';

describe('plugin new → plugin check → its own test', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'appraise-scaffold-')), 'escalations');

  it('scaffolds a plugin that passes plugin check', () => {
    const created = cli(['plugin', 'new', dir, '--id', 'escalations']);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('index.test.ts');
    const check = cli(['plugin', 'check', dir]);
    expect(check.stdout).toContain('0 error(s), 0 warning(s)');
    expect(check.code).toBe(0);
  });

  it("passes its own vitest test", () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stdout + r.stderr).toMatch(/Tests\s+2 passed/);
    expect(r.status).toBe(0);
  });

  it('is listed by `plugins` with its contributions', () => {
    const r = cli(['plugins', '--plugins', join(dir, '..'), '--format', 'json']);
    const p = JSON.parse(r.stdout).plugins.find((x: { id: string }) => x.id === 'escalations');
    expect(p).toMatchObject({ state: 'inactive', contributes: { metrics: ['escalations.escalation-rate'], recordKinds: ['escalations.escalation'] } });
  });

  it('Error: a declared metric nobody registers, an undeclared registration and a type error are each reported at their line', () => {
    const index = join(dir, 'index.ts');
    writeFileSync(index, readFileSync(index, 'utf8')
      .replace("ctx.metrics.register('escalation-rate'", "ctx.metrics.register('escalation-rat'")
      .replace('return { value: escalated / records.length, samples: records.length };', "return { value: 'high', samples: records.length };"));
    const r = cli(['plugin', 'check', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/package\.json:\d+:\d+ error APPRAISE_PLUGIN_UNREGISTERED_CONTRIBUTION .*`escalation-rate`/);
    expect(r.stdout).toMatch(/index\.ts:12:\d+ error APPRAISE_PLUGIN_UNDECLARED_REGISTRATION `escalation-rat` is registered here/);
    expect(r.stdout).toMatch(/index\.ts:8:\d+ error APPRAISE_PLUGIN_CHECK TS2322/);
  });

  it('Error: an entry without activate is reported', () => {
    writeFileSync(join(dir, 'index.ts'), 'export const x = 1;\n');
    const r = cli(['plugin', 'check', dir]);
    expect(r.stdout).toMatch(/index\.ts:1:1 error APPRAISE_PLUGIN_CHECK The entry module does not export `activate\(ctx\)`/);
  });
});

describe('plugin check on the built-in plugins', () => {
  it.each(['customer-feedback', 'support', 'sales', 'training'])('%s is clean', (id) => {
    const r = cli(['plugin', 'check', `plugins/${id}`]);
    expect(r.stdout).toContain('0 error(s), 0 warning(s)');
  });
});
