// Issue 15: third-party plugins written in TypeScript load whether the core runs compiled or
// from its sources. Their entry is compiled once per content by esbuild and cached; these tests
// load a plugin of several files, edit it, break it, and check what its author would see.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeBatch, loadAndActivate, pluginEntryUrl, type PluginCallError } from '../../core/plugins/runtime.ts';
import { WorkerRuntime } from '../../core/plugins/worker-runtime.ts';

let dir: string;
let plugin: string;
let main: string;

const log = { info: () => {}, warn: () => {}, error: () => {} };
const activate = (entry = main) =>
  loadAndActivate({ pluginId: 'compiled', main: entry, extensionPath: plugin, settings: {}, declared: { metrics: ['answer'], operators: [], workflows: [] }, log });
const answer = async () => {
  const { registrations } = await activate();
  const [[, outcome]] = computeBatch(registrations, 'answer', [{ employeeId: 'e1', input: { records: [], related: {}, params: {}, window: { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' } } }]);
  return outcome;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'appraise-plugin-compile-'));
  // A package the plugin imports, found from the plugin's folder as Node finds it.
  mkdirSync(join(dir, 'node_modules/offset'), { recursive: true });
  writeFileSync(join(dir, 'node_modules/offset/package.json'), JSON.stringify({ name: 'offset', type: 'module', exports: './index.js' }));
  writeFileSync(join(dir, 'node_modules/offset/index.js'), 'export const offset = 100;\n');
  plugin = join(dir, 'plugins/compiled');
  mkdirSync(join(plugin, 'lib'), { recursive: true });
  writeFileSync(join(plugin, 'lib/base.ts'), 'export const base: number = 40;\n');
  writeFileSync(join(plugin, 'weights.json'), JSON.stringify({ weight: 2 }));
  main = join(plugin, 'index.ts');
  writeFileSync(
    main,
    `import { readFileSync } from 'node:fs';
import { PLUGIN_API_VERSION, type PluginContext } from 'appraise/plugin-api';
import { offset } from 'offset';
import { base } from './lib/base.ts';

// Read next to this file, as a plugin reads its own data.
const { weight } = JSON.parse(readFileSync(new URL('./weights.json', import.meta.url), 'utf8')) as { weight: number };

export function activate(ctx: PluginContext): void {
  if (!PLUGIN_API_VERSION.startsWith('1.')) throw new Error('unexpected plugin API ' + PLUGIN_API_VERSION);
  ctx.metrics.register('answer', { compute: () => base * weight + offset });
}
`,
  );
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('a TypeScript plugin', () => {
  it('loads with its own files, a package, the plugin API and a file next to it', async () => {
    expect(await answer()).toEqual({ status: 'ok', value: 40 * 2 + 100 });
  });

  it('is compiled once: the next load imports the same compiled file, untouched', async () => {
    const first = await pluginEntryUrl(main);
    const written = statSync(fileURLToPath(first)).mtimeMs;
    const second = await pluginEntryUrl(main);
    expect(second).toBe(first);
    expect(statSync(fileURLToPath(second)).mtimeMs).toBe(written);
  });

  it('is compiled again when one of its files changes, and runs the new code', async () => {
    const before = await pluginEntryUrl(main);
    writeFileSync(join(plugin, 'lib/base.ts'), 'export const base: number = 41;\n');
    expect(await pluginEntryUrl(main)).not.toBe(before);
    expect(await answer()).toEqual({ status: 'ok', value: 41 * 2 + 100 });
  });

  it('that throws in activate shows its own TypeScript file and line in the stack (in its worker thread)', async () => {
    const entry = join(plugin, 'throws.ts');
    writeFileSync(entry, `export function activate(): void {\n  throw new Error('no settings');\n}\n`);
    const runtime = new WorkerRuntime({ pluginId: 'compiled', main: entry, extensionPath: plugin, settings: {}, declared: { metrics: [], operators: [], workflows: [] }, timeoutMs: 20_000, log }, () => {});
    try {
      const e = (await runtime.activate().then(() => undefined, (err: unknown) => err)) as PluginCallError | undefined;
      expect(e?.message).toBe('no settings');
      expect(e?.pluginStack).toContain(`${entry}:2:`);
    } finally {
      await runtime.dispose();
    }
  }, 30_000);

  it('that does not compile is refused with the file, line and column', async () => {
    const entry = join(plugin, 'broken.ts');
    writeFileSync(entry, `export function activate(): void {\n  const x = ;\n}\n`);
    await expect(activate(entry)).rejects.toThrow(`${entry} does not compile: ${entry}:2:13: Unexpected ";"`);
  });

  it('in JavaScript is imported as it is', async () => {
    const entry = join(plugin, 'plain.mjs');
    writeFileSync(entry, 'export function activate() {}\n');
    expect(await pluginEntryUrl(entry)).toBe(`file://${entry}`);
  });
});
