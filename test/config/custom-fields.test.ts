// Custom fields in appraise.config.yaml: every mistake is an error at the line and column of
// the key or value to fix — the shape by the config schema, keywords that do not fit the field's
// type, and (once the plugins are known) an unknown kind or a field the plugin already has.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configFromText } from '../../core/config/config.ts';
import { pluginSetFromConfig } from '../../core/plugins/host-from-config.ts';
import { cli } from '../cli/run-cli.ts';

const located = (ds: Array<{ code: string; line: number; column: number; message: string }>) => ds.map(({ code, line, column }) => ({ code, line, column }));
const load = (text: string) => configFromText('appraise.config.yaml', text);

describe('custom fields in the config', () => {
  it('are read with their types', () => {
    const { config, diagnostics } = load('records:\n  support.ticket:\n    fields:\n      priority: { type: integer, minimum: 1, maximum: 4, title: Priority }\n      tier: { type: string, enum: [gold, silver] }\n');
    expect(diagnostics).toEqual([]);
    expect(config!.records).toEqual({ 'support.ticket': { fields: { priority: { type: 'integer', minimum: 1, maximum: 4, title: 'Priority' }, tier: { type: 'string', enum: ['gold', 'silver'] } } } });
  });

  it('a type outside the subset, and an unknown keyword, are located by the schema', () => {
    const { config, diagnostics } = load('records:\n  support.ticket:\n    fields:\n      priority: { type: int }\n      category: { type: string, maxLenght: 80 }\n');
    expect(config).toBeUndefined();
    expect(located(diagnostics)).toEqual([
      { code: 'APPRAISE_SCHEMA_INVALID_VALUE', line: 4, column: 25 },
      { code: 'APPRAISE_SCHEMA_UNKNOWN_KEY', line: 5, column: 33 },
    ]);
    expect(diagnostics[1].message).toContain('Did you mean `maxLength`?');
  });

  it('keywords that do not fit the type are errors at the keyword', () => {
    const { config, diagnostics } = load('records:\n  support.ticket:\n    fields:\n      priority: { type: integer, maxLength: 2 }\n      tier: { type: string, enum: [gold, 3] }\n      weight: { type: number, minimum: 5, maximum: 1 }\n');
    expect(config).toBeUndefined();
    expect(located(diagnostics)).toEqual([
      { code: 'APPRAISE_CONFIG_BAD_FIELD', line: 4, column: 34 },
      { code: 'APPRAISE_CONFIG_BAD_FIELD', line: 5, column: 42 },
      { code: 'APPRAISE_CONFIG_BAD_FIELD', line: 6, column: 40 },
    ]);
    expect(diagnostics[0].message).toContain('applies to string fields');
  });

  it('an unknown kind and a field the plugin defines are located once the plugins are known', async () => {
    const text = 'records:\n  ticket:\n    fields:\n      priority: { type: integer }\n  support.ticket:\n    fields:\n      channel: { type: string }\n      priority: { type: integer }\n';
    const { config, diagnostics } = load(text);
    expect(diagnostics).toEqual([]);
    const set = await pluginSetFromConfig(config!);
    expect(located(set.configDiagnostics!)).toEqual([
      { code: 'APPRAISE_CONFIG_UNKNOWN_KIND', line: 2, column: 3 },
      { code: 'APPRAISE_CONFIG_FIELD_DEFINED', line: 7, column: 7 },
    ]);
    expect(set.configDiagnostics![0].message).toContain('Did you mean `support.ticket`?');
    expect(set.configDiagnostics![0].file).toBe('appraise.config.yaml');
    // The new field is merged; the plugin's own channel keeps the plugin's type.
    const schema = set.recordKinds.get('support.ticket')!.schema as { properties: Record<string, unknown> };
    expect(schema.properties.priority).toEqual({ type: 'integer' });
    expect(schema.properties.channel).toMatchObject({ maxLength: 50 });
    expect(set.registry.recordKinds!.get('support.ticket')!.schema).toBe(schema);
  });
});

describe('the commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'appraise-fields-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('`plugins` lists the custom fields of a kind, and a command refuses a config with a wrong kind', () => {
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'records:\n  support.ticket:\n    fields:\n      priority: { type: integer, minimum: 1, maximum: 4 }\n      category: { type: string }\n');
    const listed = cli(['--config', good, 'plugins']);
    expect(listed.stdout).toContain('record kind  support.ticket  Support ticket (custom fields: priority, category)');

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'records:\n  support.tickets:\n    fields:\n      priority: { type: integer }\n');
    const r = cli(['--config', bad, 'validate', 'rules/support-agents.policy.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:2:3 error APPRAISE_CONFIG_UNKNOWN_KIND`);
    expect(r.stderr).toContain('Did you mean `support.ticket`?');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
