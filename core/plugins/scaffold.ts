// `plugin new`: a working plugin to start from — manifest, typed entry with one code metric,
// its record kind, a README and a vitest test — that passes `plugin check` and its own test
// untouched.
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { PLUGIN_API_VERSION } from './api.ts';

const TESTING_FILE = fileURLToPath(new URL('./testing.ts', import.meta.url));
const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export async function scaffoldPlugin(dir: string, id: string): Promise<string[]> {
  if (!ID.test(id)) throw new AppraiseError('APPRAISE_USAGE', `The plugin id \`${id}\` must be kebab-case (lower-case letters, digits, single hyphens), e.g. \`escalations\`.`);
  const folder = resolve(dir);
  if (existsSync(folder) && (await readdir(folder)).length > 0) {
    throw new AppraiseError('APPRAISE_USAGE', `${dir} exists and is not empty; choose a new folder.`);
  }
  await mkdir(join(folder, 'schemas'), { recursive: true });
  let testing = relative(folder, TESTING_FILE);
  if (!testing.startsWith('.')) testing = `./${testing}`;
  const major = PLUGIN_API_VERSION.split('.')[0];
  const files: Record<string, string> = {
    'package.json': JSON.stringify({
      name: id,
      version: '0.1.0',
      type: 'module',
      private: true,
      description: `The ${id} plugin for Appraise.`,
      main: './index.ts',
      engines: { appraise: `^${major}.0.0` },
      appraise: {
        displayName: id,
        description: 'Escalations: how often an employee hands a case on.',
        contributes: {
          recordKinds: [{ id: 'escalation', title: 'Case outcome', schema: './schemas/escalation.schema.json' }],
          metrics: [{
            id: 'escalation-rate',
            title: 'Escalation rate',
            description: 'Share (0–1) of the cases in the window that were escalated.',
            unit: 'ratio',
            range: [0, 1],
            direction: 'lowerIsBetter',
            recordKind: 'escalation',
            defaultMinSamples: 10,
          }],
        },
      },
    }, null, 2) + '\n',
    'schemas/escalation.schema.json': JSON.stringify({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'Case outcome',
      type: 'object',
      additionalProperties: false,
      required: ['escalated'],
      properties: { escalated: { type: 'boolean', description: 'Whether the case was handed to someone else.' } },
    }, null, 2) + '\n',
    'index.ts': `// The ${id} plugin: contributes the escalation-rate metric, computed in code.
import type { MetricInput, MetricResult, PluginContext } from 'appraise/plugin-api';

/** Share of the window's cases that were escalated; insufficient data without cases. */
export function escalationRate({ records }: MetricInput): MetricResult {
  if (records.length === 0) return { insufficient: true, samples: 0 };
  const escalated = records.filter((r) => r.payload.escalated === true).length;
  return { value: escalated / records.length, samples: records.length };
}

export function activate(ctx: PluginContext): void {
  ctx.subscriptions.push(ctx.metrics.register('escalation-rate', { compute: escalationRate }));
}
`,
    'index.test.ts': `import { describe, expect, it } from 'vitest';
import { testMetric } from '${testing.replace(/\\/g, '/')}';

const plugin = new URL('.', import.meta.url).pathname;
const at = (day: number) => \`2026-01-\${String(day).padStart(2, '0')}T10:00:00Z\`;

describe('${id}.escalation-rate', () => {
  it('is the share of escalated cases', async () => {
    const records = [true, false, false, true].map((escalated, i) => ({ occurredAt: at(i + 1), payload: { escalated } }));
    const result = await testMetric(plugin, 'escalation-rate', { records, minSamples: 1 });
    expect(result).toMatchObject({ status: 'ok', value: 0.5, samples: 4 });
  });

  it('is insufficient data below minSamples', async () => {
    const records = [{ occurredAt: at(1), payload: { escalated: true } }];
    const result = await testMetric(plugin, 'escalation-rate', { records });
    expect(result).toMatchObject({ status: 'insufficient', samples: 1, minSamples: 10 });
  });
});
`,
    'README.md': `# ${id}

An Appraise plugin. Check it with \`npx appraise plugin check <this folder>\`, test it with
\`npx vitest run <this folder>\`, and add its parent folder to \`plugins.dirs\` in
appraise.config.yaml (or pass \`--plugins <parent folder>\`).

## Metrics

| id | formula |
|---|---|
| \`${id}.escalation-rate\` | escalated cases / cases in the window (ratio 0–1, lower is better, 10 samples by default) |
`,
  };
  for (const [name, text] of Object.entries(files)) await writeFile(join(folder, name), text);
  return Object.keys(files).map((f) => join(dir, f));
}
