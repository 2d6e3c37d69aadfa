// Issue 15, "A CLI that answers at once": `appraise` runs the core compiled to JavaScript, and
// never a build older than the sources. These tests run the real command in a copy of the
// checkout whose node_modules lacks tsx, so anything that still compiled TypeScript at run time
// (the CLI, a decide worker, a plugin host thread, a TypeScript plugin) would fail outright.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Appraise } from '../../core/app/appraise.ts';
import { defaultConfig } from '../../core/config/config.ts';
import { ROOT } from './run-cli.ts';

let copy: string;
let bin: string;

/** A copy of what a checkout runs from, with every dependency but tsx. */
function checkoutWithoutTsx(): string {
  const dir = mkdtempSync(join(tmpdir(), 'appraise-compiled-'));
  for (const part of ['core', 'schemas', 'plugins', 'rules', 'tsconfig.json', 'package.json']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name === 'tsx' || name.startsWith('.')) continue;
    symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name));
  }
  return dir;
}

function appraise(args: string[], env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: copy,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', NO_COLOR: '1', APPRAISE_CORE: '', ...env },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const currentBuild = () => JSON.parse(readFileSync(join(copy, 'dist/current.json'), 'utf8')).id as string;
const builds = () => readdirSync(join(copy, 'dist')).filter((n) => /^[0-9a-f]{16}$/.test(n)).sort();

beforeAll(() => {
  copy = checkoutWithoutTsx();
  bin = join(copy, 'core/cli/appraise.mjs');
});

afterAll(() => {
  rmSync(copy, { recursive: true, force: true });
});

describe('the compiled core', () => {
  it('answers --help without tsx, from a build it makes on first use', () => {
    expect(existsSync(join(copy, 'dist'))).toBe(false);
    const r = appraise(['--help']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: appraise/);
    expect(existsSync(join(copy, 'dist', currentBuild(), 'cli.js'))).toBe(true);
  });

  it('validates the shipped policies, finding schemas and built-in plugins from the build', () => {
    const r = appraise(['validate', 'rules/']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/file\(s\) checked: 0 error\(s\)/);
    expect(r.code).toBe(0);
  });

  it('runs an edited source at once: the build is made again before the command runs', () => {
    const before = currentBuild();
    const main = join(copy, 'core/cli/main.ts');
    writeFileSync(main, readFileSync(main, 'utf8').replace("'Appraise: performance policies for customer-facing teams'", "'Appraise, edited after the install'"));
    const r = appraise(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Appraise, edited after the install');
    expect(currentBuild()).not.toBe(before);
  });

  it('reuses the build of a tree whose files were rewritten unchanged (a checkout, a touch)', () => {
    const before = { id: currentBuild(), builds: builds() };
    const file = join(copy, 'core/diagnostics/codes.ts');
    writeFileSync(file, readFileSync(file));
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(appraise(['--help']).code).toBe(0);
    expect({ id: currentBuild(), builds: builds() }).toEqual(before);
  });

  it('follows a source outside core/ that the core imports: editing it is seen at once', () => {
    mkdirSync(join(copy, 'shared'));
    writeFileSync(join(copy, 'shared/motto.ts'), "export const MOTTO: string = 'first motto';\n");
    const main = join(copy, 'core/cli/main.ts');
    const before = readFileSync(main, 'utf8');
    writeFileSync(main, `import { MOTTO } from '../../shared/motto.ts';\n${before.replace("'Appraise, edited after the install'", 'MOTTO')}`);
    try {
      expect(appraise(['--help']).stdout).toContain('first motto');
      writeFileSync(join(copy, 'shared/motto.ts'), "export const MOTTO: string = 'second motto';\n");
      expect(appraise(['--help']).stdout).toContain('second motto');
    } finally {
      writeFileSync(main, before);
    }
  });

  it('never runs a stale build: a source that does not compile is not replaced by the last good build', () => {
    const file = join(copy, 'core/cli/main.ts');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace("'Appraise, edited after the install'", "'Appraise, broken' +"));
    try {
      const r = appraise(['--help']);
      // Without a fresh build the sources run through tsx, which this copy lacks: a failure, not old output.
      expect(r.code).not.toBe(0);
      expect(r.stdout).not.toContain('Usage: appraise');
    } finally {
      writeFileSync(file, good);
    }
    const r = appraise(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Appraise, edited after the install');
  });
});

describe('plugins under the compiled core', () => {
  let plugins: string;
  let dataDir: string;

  beforeAll(async () => {
    plugins = join(copy, 'extra-plugins');
    for (const name of ['good', 'needs-good']) cpSync(join(ROOT, 'test/fixtures/plugins', name), join(plugins, name), { recursive: true });
    dataDir = join(copy, 'store');
    const app = await Appraise.open({ config: defaultConfig(), dataDir, databaseUrl: '', extraPluginDirs: [plugins] });
    try {
      await app.store.query(`INSERT INTO employees (id, name, role, team, hire_date, content_hash) VALUES ('a1', 'Agent One', 'agent', 'A', '2024-01-01', 'x'), ('a2', 'Agent Two', 'agent', 'A', '2024-01-01', 'x'), ('a3', 'Agent Three', 'agent', 'A', '2024-01-01', 'x')`);
      let n = 0;
      for (const [id, events] of [['a1', 3], ['a2', 1], ['a3', 0]] as const) {
        for (let i = 0; i < events; i++) {
          await app.store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('good.event', $1, '2026-03-20T10:00:00Z', '{}'::jsonb, $2)`, [id, `e${n++}`]);
        }
      }
    } finally {
      await app.close();
    }
    writeFileSync(join(copy, 'events.policy.yaml'), `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: events-test, title: Events, owner: hr }
spec:
  appliesTo: { roles: [agent] }
  window: 30d
  facts:
    events: { metric: good.events, minSamples: 1 }
  rules:
    - id: busy
      when: { all: [{ fact: events, operator: greaterThanInclusive, value: 2 }] }
      then: { outcome: recognition }
`);
  }, 180_000);

  it('a TypeScript plugin runs in its worker thread, and decide workers run, all compiled', () => {
    const r = appraise(['run', '--policies', 'events.policy.yaml', '--dry-run', '--as-of', '2026-04-01', '--plugins', plugins, '--data-dir', dataDir, '--format', 'json'], {
      APPRAISE_PARALLEL_THRESHOLD: '1',
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout).run.summary.policies[0];
    expect(summary).toMatchObject({ policyId: 'events-test', employees: 3, pluginErrors: 0, fired: { recognition: 1 } });
    const cached = readdirSync(join(copy, 'node_modules/.cache/appraise/plugins'));
    expect(cached.some((d) => d.startsWith('good-'))).toBe(true);
  }, 120_000);

  it('sees a plugin manifest changed after the last command (discovery is cached by the files it read)', () => {
    const listed = () => JSON.parse(appraise(['plugins', '--plugins', plugins, '--format', 'json']).stdout);
    const list = () => listed().plugins.find((p: { id: string }) => p.id === 'good');
    expect(list()).toMatchObject({ version: '1.0.0', state: 'inactive' });
    const cached = JSON.parse(readFileSync(join(copy, 'node_modules/.cache/appraise/discovery.json'), 'utf8'));
    expect(Object.keys(cached.manifests)).toEqual(expect.arrayContaining([join(plugins, 'good'), join(plugins, 'needs-good'), join(copy, 'plugins/training')]));
    const manifest = join(plugins, 'good/package.json');
    const text = readFileSync(manifest, 'utf8');
    writeFileSync(manifest, text.replace('"version": "1.0.0"', '"version": "1.0.1"'));
    expect(list()).toMatchObject({ version: '1.0.1', state: 'inactive' });
    // package.json unchanged, its entry gone
    const entry = join(plugins, 'good/index.ts');
    const code = readFileSync(entry, 'utf8');
    rmSync(entry);
    expect(list()).toMatchObject({ state: 'disabled', reason: expect.stringMatching(/index\.ts/) });
    writeFileSync(entry, code);
    expect(list()).toMatchObject({ version: '1.0.1', state: 'inactive' });
    writeFileSync(manifest, text.replace('"version": "1.0.0"', '"version": "one"'));
    const broken = listed();
    expect(broken.plugins.find((p: { id: string }) => p.id === 'good')).toMatchObject({ state: 'disabled' });
    // A cached manifest still points at its line: needs-good's dependency on good.
    expect(broken.diagnostics).toContainEqual(expect.objectContaining({ code: 'APPRAISE_PLUGIN_MISSING_DEPENDENCY', file: join(plugins, 'needs-good/package.json'), line: 9 }));
    writeFileSync(manifest, text);
    expect(list()).toMatchObject({ version: '1.0.0', state: 'inactive' });
  }, 60_000);
});
