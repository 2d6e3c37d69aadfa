// What is wrong with a source is found before any sync: in the plugin's manifest (a kind it
// produces that nobody contributes, a bad default schedule, a credential declared twice) and in
// the config once the plugins are known (an unknown source id, settings that do not fit, a
// missing or undeclared credential, a bad cron), each at its line and column with a code.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configFromText } from '../../core/config/config.ts';
import { discoverPlugins } from '../../core/plugins/discovery.ts';
import { pluginSetFromConfig } from '../../core/plugins/host-from-config.ts';
import { TEST_SOURCE_PLUGINS } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'appraise-source-checks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const at = (d: { line: number; column: number; code: string }) => `${d.line}:${d.column} ${d.code}`;

describe('a source in a plugin manifest', () => {
  it('reports an unknown produced kind, a bad default schedule and a credential declared twice where they are written', async () => {
    const folder = join(dir, 'plugins', 'badsource');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'index.ts'), 'export function activate() {}\n');
    const text = JSON.stringify({
      name: 'badsource', version: '1.0.0', main: './index.ts', engines: { appraise: '^1.0.0' },
      appraise: { displayName: 'Bad', contributes: { sources: [
        { id: 'a', title: 'A', produces: ['support.ticket'], schedule: '61 * * * *', credentials: [{ name: 'token' }, { name: 'token' }] },
      ] } },
    }, null, 2);
    writeFileSync(join(folder, 'package.json'), text);
    const lines = text.split('\n');
    const lineOf = (needle: string, nth = 0) => lines.map((l, i) => (l.includes(needle) ? i + 1 : 0)).filter(Boolean)[nth];
    const set = await discoverPlugins([join(dir, 'plugins')]);
    const mine = set.diagnostics.filter((d) => d.file.includes('badsource'));
    expect(mine.map(at)).toEqual([`${lineOf('"schedule"')}:23 APPRAISE_SOURCE_BAD_SCHEDULE`, `${lineOf('"token"', 1)}:23 APPRAISE_PLUGIN_DUPLICATE_CONTRIBUTION`]);
    expect(mine[0].message).toContain('Invalid value for minute: 61');
    expect(mine[1].message).toBe('The credential `token` of the source `a` is declared twice; declare each name once.');

    const text2 = JSON.stringify({
      name: 'badsource', version: '1.0.0', main: './index.ts', engines: { appraise: '^1.0.0' },
      appraise: { displayName: 'Bad', contributes: { sources: [{ id: 'a', title: 'A', produces: ['support.ticket'] }] } },
    }, null, 2);
    writeFileSync(join(folder, 'package.json'), text2);
    const kindLine = text2.split('\n').findIndex((l) => l.includes('"support.ticket"')) + 1;
    const again = await discoverPlugins([join(dir, 'plugins')]);
    const unknown = again.diagnostics.filter((d) => d.file.includes('badsource'));
    expect(unknown.map(at)).toEqual([`${kindLine}:13 APPRAISE_PLUGIN_UNKNOWN_RECORD_KIND`]);
    expect(unknown[0].message).toContain('neither badsource nor its dependencies contribute');
    expect(again.sources.has('badsource.a')).toBe(false);
  });
});

describe('sources in appraise.config.yaml', () => {
  it('locates an unknown source, bad settings, missing and undeclared credentials and a bad cron', async () => {
    const text = [
      'plugins:',
      `  dirs: [${JSON.stringify(TEST_SOURCE_PLUGINS)}]`,
      'sources:',
      '  typo:',
      '    source: testvendor.survey',
      '  wrong:',
      '    source: testvendor.surveys',
      '    schedule: "every day"',
      '    settings:',
      '      baseUrl: 42',
      '      colour: blue',
      '    credentials:',
      '      tokn: { env: X }',
      '  ok:',
      '    source: testvendor.surveys',
      '    settings: { baseUrl: "https://vendor.example" }',
      '    credentials: { token: { env: VENDOR_TOKEN } }',
      '',
    ].join('\n');
    const file = join(dir, 'appraise.config.yaml');
    const { config, diagnostics } = configFromText(file, text);
    expect(diagnostics).toEqual([]);
    const set = await pluginSetFromConfig(config!);
    const found = [...(set.configDiagnostics ?? [])].sort((a, b) => a.line - b.line || a.column - b.column).map((d) => `${at(d)} ${d.message}`);
    expect(found).toEqual([
      '5:13 APPRAISE_SOURCE_UNKNOWN No enabled plugin contributes the source `testvendor.survey`. Did you mean `testvendor.surveys`? The sources are: salesforce.opportunities, testvendor.surveys, zendesk.support; `npx appraise plugins` lists them.',
      expect.stringMatching(/^8:15 APPRAISE_SOURCE_BAD_SCHEDULE `every day` is not a cron schedule/),
      '10:16 APPRAISE_SOURCE_BAD_SETTINGS sources.wrong.settings.baseUrl must be string.',
      '11:7 APPRAISE_SOURCE_BAD_SETTINGS The source testvendor.surveys has no setting `colour`. Remove it or correct its name.',
      expect.stringMatching(/^13:7 APPRAISE_SOURCE_CREDENTIAL_MISSING The source testvendor.surveys needs the credential `token`/),
      '13:7 APPRAISE_SOURCE_CREDENTIAL_UNDECLARED The source testvendor.surveys does not use a credential `tokn`. Did you mean `token`? It declares: token.',
    ]);
  });

  it('refuses a credential written as a value, by the config schema', () => {
    const { diagnostics } = configFromText(join(dir, 'c.yaml'), 'sources:\n  z:\n    source: a.b\n    credentials:\n      token: abc123\n');
    expect(diagnostics.map((d) => `${d.line}:${d.column}`)).toContain('5:14');
  });
});
