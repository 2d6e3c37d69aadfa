// The plugin host as the application configures it: plugin folders, trust, time limits and
// settings from appraise.config.yaml (the webhook's allow-list, timeout and secret default from
// `webhooks`), and the record kinds with the config's custom fields.
import type { AppConfig } from '../config/config.ts';
import { resolveFromConfig } from '../config/config.ts';
import { discoverPlugins, type PluginSet } from './discovery.ts';
import { withCustomFields } from './custom-fields.ts';
import { PluginHost } from './host.ts';
import { webhookSettings } from '../workflows/webhook-settings.ts';
import { checkSourcesConfig } from '../sources/source-config.ts';

/**
 * The plugins of the config's folders, with the config's custom fields merged into their record
 * kinds; problems of those fields, and of the configured sources, are in `configDiagnostics`.
 */
export async function pluginSetFromConfig(config: AppConfig, extraDirs: string[] = []): Promise<PluginSet> {
  const set = await discoverPlugins([...config.plugins.dirs.map((d) => resolveFromConfig(config, d)), ...extraDirs]);
  const withFields = withCustomFields(set, config.records ?? {}, config.source, config.file);
  const sourceDiagnostics = checkSourcesConfig(config.sources, withFields, config.source, config.file);
  if (!sourceDiagnostics.length) return withFields;
  return { ...withFields, diagnostics: [...withFields.diagnostics, ...sourceDiagnostics], configDiagnostics: [...(withFields.configDiagnostics ?? []), ...sourceDiagnostics] };
}

export function hostFromConfig(config: AppConfig, set: PluginSet, log?: (pluginId: string, level: string, message: string) => void): PluginHost {
  const settings = { ...config.plugins.settings };
  settings.webhook = webhookSettings(config);
  return new PluginHost(set, {
    trusted: config.plugins.trusted,
    isolateBuiltins: config.plugins.isolateBuiltins,
    timeoutMs: config.plugins.timeoutMs,
    settings,
    ...(log ? { log } : {}),
  });
}
