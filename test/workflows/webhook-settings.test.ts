// The webhook settings of appraise.config.yaml are checked when the config loads, each error at
// the line and column of the setting to change: webhooks that would go out unsigned, and a
// timeout the plugin host could not honour. The shipped defaults (the demo) load clean.
import { describe, expect, it } from 'vitest';
import { configFromText, defaultConfig } from '../../core/config/config.ts';
import { discoverPlugins } from '../../core/plugins/discovery.ts';
import { hostFromConfig } from '../../core/plugins/host-from-config.ts';

const load = (text: string) => configFromText('appraise.config.yaml', text);

describe('webhook settings at load', () => {
  it('Error: an allow-list without a secret is refused, pointing at allowHosts and naming the setting to add', () => {
    const { config, diagnostics } = load('webhooks:\n  allowHosts: [hooks.example.com]\n');
    expect(config).toBeUndefined();
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'APPRAISE_WORKFLOW_UNSIGNED_WEBHOOK', severity: 'error', file: 'appraise.config.yaml', line: 2, column: 3, message: expect.stringMatching(/`webhooks\.secret`.*or `webhooks\.unsigned: true`/) }),
    ]);
  });

  it("Error: a url in the plugin's own settings without a secret is refused at that url", () => {
    const { diagnostics } = load('plugins:\n  settings:\n    webhook:\n      url: https://hooks.example.com/appraise\n      allowHosts: [hooks.example.com]\n');
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'APPRAISE_WORKFLOW_UNSIGNED_WEBHOOK', line: 4, column: 7, message: expect.stringMatching(/`plugins\.settings\.webhook\.url` lets them be sent/) })]);
  });

  it('a secret, or unsigned: true on purpose, loads', () => {
    expect(load('webhooks:\n  allowHosts: [hooks.example.com]\n  secret: a-secret-of-16-chars\n').diagnostics).toEqual([]);
    expect(load('webhooks:\n  allowHosts: [hooks.example.com]\n  unsigned: true\n').diagnostics).toEqual([]);
    expect(load('webhooks:\n  allowHosts: [hooks.example.com]\nplugins:\n  settings:\n    webhook:\n      secret: a-secret-of-16-chars\n').diagnostics).toEqual([]);
  });

  it('no webhook configured (the demo, or no config file at all) loads, and the webhook plugin is fine: nothing could be sent', async () => {
    expect(load('policies:\n  dirs: [rules]\n').diagnostics).toEqual([]);
    expect(defaultConfig().webhooks).toEqual({ allowHosts: [], unsigned: false });
    const host = hostFromConfig(defaultConfig(), await discoverPlugins());
    expect(host.plugin('webhook')!.problems).toEqual([]);
    expect(host.plugin('webhook')!.state).not.toBe('disabled');
  });

  it('Error: a webhook timeout longer than plugins.timeoutMs is refused at its line, not silently cut to the call limit', () => {
    const { config, diagnostics } = load('webhooks:\n  allowHosts: [hooks.example.com]\n  secret: a-secret-of-16-chars\n  timeoutMs: 90000\n');
    expect(config).toBeUndefined();
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'APPRAISE_WORKFLOW_TIMEOUT_TOO_LONG', line: 4, column: 3, message: expect.stringMatching(/`webhooks\.timeoutMs` is 90000 ms, longer than `plugins\.timeoutMs` \(10000 ms\).*Raise `plugins\.timeoutMs` to at least 90000/) }),
    ]);
  });

  it('a webhook timeout within the call limit is the one in force', async () => {
    const { config, diagnostics } = load('plugins:\n  timeoutMs: 120000\nwebhooks:\n  allowHosts: [hooks.example.com]\n  secret: a-secret-of-16-chars\n  timeoutMs: 90000\n');
    expect(diagnostics).toEqual([]);
    const host = hostFromConfig(config!, await discoverPlugins());
    expect(host.plugin('webhook')!.state).not.toBe('disabled');
    expect(host.workflowTimeoutMs('webhook.post')).toBe(90_000);
  });

  it('without a webhook timeout, a lower call limit applies to webhooks too (the default is nobody’s choice)', async () => {
    const { config, diagnostics } = load('plugins:\n  timeoutMs: 5000\n');
    expect(diagnostics).toEqual([]);
    const host = hostFromConfig(config!, await discoverPlugins());
    expect(host.plugin('webhook')!.state).not.toBe('disabled');
    expect(host.workflowTimeoutMs('webhook.post')).toBe(5000);
  });
});
