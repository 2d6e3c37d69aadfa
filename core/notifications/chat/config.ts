// The `chat` section of appraise.config.yaml as the config loader reads it, and the checks made
// when the config loads. Kept apart from channels.ts (which resolves secrets and posts) so that
// the config loader does not import the secrets module that imports it.
import type { AppConfig } from '../../config/config.ts';
import type { SecretRef } from '../../config/secrets.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { ErrorCode } from '../../diagnostics/codes.ts';
import { locate, type PathSegment, type YamlSource } from '../../policy/yaml-source.ts';
import { didYouMean } from '../../util/did-you-mean.ts';
import type { ChatType } from './post.ts';

export interface ChatChannelConfig {
  type: ChatType;
  webhook: SecretRef;
  title?: string;
}

/** `chat.channels.<name>`: named channels that `slack.post` and `teams.post` post to. */
export interface ChatConfig {
  channels: Record<string, ChatChannelConfig>;
}

/** The built-in plugin of each channel type, whose settings name the default channel. */
export const PLUGIN_OF: Record<ChatType, string> = { slack: 'slack', teams: 'teams' };

/** What follows "not defined": the channels there are, and the closest to `name`. */
export function definedChannels(config: AppConfig, name: string): string {
  const names = Object.keys(config.chat?.channels ?? {});
  if (!names.length) return ' No chat channel is defined: add `chat.channels` to appraise.config.yaml.';
  return ` The channels defined are ${names.map((n) => `\`${n}\``).join(', ')}.${didYouMean(name, names)}`;
}

/**
 * Checks at config load what the schema cannot: a `{ secret }` webhook needs `secrets.file`,
 * a plugin's `timeoutMs` must fit within `plugins.timeoutMs` (else the host disables it), and
 * the default channel of `plugins.settings.slack` / `.teams` must be a defined channel of
 * the plugin's type. Each problem points at the setting to change.
 */
export function checkChatConfig(config: AppConfig, source?: YamlSource): Diagnostic[] {
  const out: Diagnostic[] = [];
  const diag = (code: ErrorCode, path: PathSegment[], message: string): Diagnostic => ({
    code,
    severity: 'error',
    message,
    file: config.file ?? 'appraise.config.yaml',
    ...(source ? locate(source, path, 'value') : { line: 0, column: 0 }),
  });
  const channels = config.chat?.channels ?? {};
  for (const [name, channel] of Object.entries(channels)) {
    if ('secret' in channel.webhook && !config.secrets?.file) {
      out.push(diag('APPRAISE_SECRET_MISSING', ['chat', 'channels', name, 'webhook', 'secret'],
        `\`chat.channels.${name}.webhook\` refers to the secrets file (\`{ secret: ${channel.webhook.secret} }\`), but the config names none. Add \`secrets.file: <path>\` to appraise.config.yaml, or refer to an environment variable with \`{ env: NAME }\`.`));
    }
  }
  for (const type of ['slack', 'teams'] as const) {
    const plugin = PLUGIN_OF[type];
    const timeoutMs = config.plugins.settings[plugin]?.timeoutMs;
    if (typeof timeoutMs === 'number' && timeoutMs > config.plugins.timeoutMs) {
      out.push(diag('APPRAISE_WORKFLOW_TIMEOUT_TOO_LONG', ['plugins', 'settings', plugin, 'timeoutMs'],
        `\`plugins.settings.${plugin}.timeoutMs\` is ${timeoutMs} ms, longer than \`plugins.timeoutMs\` (${config.plugins.timeoutMs} ms), the longest any workflow attempt may run. Raise \`plugins.timeoutMs\` to at least ${timeoutMs}, or lower the ${type === 'slack' ? 'Slack' : 'Teams'} timeout.`));
    }
    const name = config.plugins.settings[plugin]?.channel;
    if (typeof name !== 'string') continue;
    const path = ['plugins', 'settings', plugin, 'channel'];
    const channel = Object.hasOwn(channels, name) ? channels[name] : undefined;
    if (!channel) {
      out.push(diag('APPRAISE_CHAT_UNKNOWN_CHANNEL', path, `\`plugins.settings.${plugin}.channel\` names the chat channel \`${name}\`, which is not defined under \`chat.channels\`.${definedChannels(config, name)}`));
    } else if (channel.type !== type) {
      out.push(diag('APPRAISE_CHAT_CHANNEL_TYPE_MISMATCH', path, `\`plugins.settings.${plugin}.channel\` names \`${name}\`, a ${channel.type} channel; \`${plugin}.post\` posts to ${type} channels only. Name a ${type} channel.`));
    }
  }
  return out;
}
