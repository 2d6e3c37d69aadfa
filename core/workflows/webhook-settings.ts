// The webhook's settings as the application configures them: `webhooks` in appraise.config.yaml
// gives the defaults and `plugins.settings.webhook` wins. They are checked when the config is
// loaded, pointing at the line and column of the setting to change: a timeout the host could not
// honour, and webhooks that would go out unsigned.
import type { AppConfig } from '../config/config.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';
import { locate, type YamlSource } from '../policy/yaml-source.ts';

/** `plugins.settings.webhook` over the `webhooks` section. */
export function webhookSettings(config: AppConfig): Record<string, unknown> {
  const w = config.webhooks;
  return {
    allowHosts: w.allowHosts,
    ...(w.timeoutMs !== undefined ? { timeoutMs: w.timeoutMs } : {}),
    ...(w.secret !== undefined ? { secret: w.secret } : {}),
    ...(w.unsigned ? { unsigned: true } : {}),
    ...(config.plugins.settings.webhook ?? {}),
  };
}

export function checkWebhookSettings(config: AppConfig, source?: YamlSource): Diagnostic[] {
  const own = config.plugins.settings.webhook ?? {};
  const settings = webhookSettings(config);
  // Where a setting was written: the plugin's own settings win over the `webhooks` section.
  const pathOf = (key: string) => (key in own ? ['plugins', 'settings', 'webhook', key] : ['webhooks', key]);
  const nameOf = (key: string) => pathOf(key).join('.');
  const at = (code: ErrorCode, key: string, message: string): Diagnostic => ({
    code,
    severity: 'error',
    message,
    file: config.file ?? 'appraise.config.yaml',
    ...(source ? locate(source, pathOf(key), 'key') : { line: 0, column: 0 }),
  });
  const out: Diagnostic[] = [];
  const timeoutMs = settings.timeoutMs;
  if (typeof timeoutMs === 'number' && timeoutMs > config.plugins.timeoutMs) {
    out.push(at('APPRAISE_WORKFLOW_TIMEOUT_TOO_LONG', 'timeoutMs',
      `\`${nameOf('timeoutMs')}\` is ${timeoutMs} ms, longer than \`plugins.timeoutMs\` (${config.plugins.timeoutMs} ms), the longest any call into plugin code may run: each attempt would be cut off at ${config.plugins.timeoutMs} ms. Raise \`plugins.timeoutMs\` to at least ${timeoutMs}, or lower the webhook timeout.`));
  }
  const hosts = Array.isArray(settings.allowHosts) ? settings.allowHosts : [];
  const url = typeof settings.url === 'string' ? settings.url : undefined;
  // With no allow-list and no url nothing can be sent at all, so an unset secret harms nobody
  // (the demo runs that way).
  if ((hosts.length > 0 || url) && !settings.secret && settings.unsigned !== true) {
    out.push(at('APPRAISE_WORKFLOW_UNSIGNED_WEBHOOK', url ? 'url' : 'allowHosts',
      `Webhooks would go out unsigned: \`${nameOf(url ? 'url' : 'allowHosts')}\` lets them be sent, but no secret is set. Add \`webhooks.secret\` (at least 16 random characters, shared with the receiver), or \`webhooks.unsigned: true\` to send them unsigned on purpose.`));
  }
  return out;
}
