// The chat channels an admin names in appraise.config.yaml (`chat.channels.<name>`: a type, the
// webhook as a secret reference, an optional title) and the settings of the slack and teams
// workflows (`plugins.settings.slack.channel`: which channel by default). The webhook URL is a
// credential: the config holds only where to find it, checked for shape when the config loads
// and resolved when a notice is sent (a URL replaced in the secrets file is used from the next notice on).
import type { AppConfig } from '../../config/config.ts';
import { resolveSecret } from '../../config/secrets.ts';
import { locate, type PathSegment } from '../../policy/yaml-source.ts';
import type { NotificationMessage } from '../message.ts';
import { ChatDeliveryError, postChat, type ChatTarget, type ChatType } from './post.ts';
import { definedChannels, PLUGIN_OF } from './config.ts';

/** One attempt's time limit when the plugin's settings give none (as the webhook's). */
export const DEFAULT_CHAT_TIMEOUT_MS = 10_000;

/** Where a setting is written, as `file:line:col` when the config file is known. */
function at(config: AppConfig, path: PathSegment[]): string {
  const file = config.file ?? 'appraise.config.yaml';
  if (!config.source) return file;
  const p = locate(config.source, path, 'key');
  return `${file}:${p.line}:${p.column}`;
}

function unknownChannel(config: AppConfig, name: string, where: string): string {
  return `${where} names the chat channel \`${name}\`, which is not defined under \`chat.channels\` (${at(config, ['chat', 'channels'])}).${definedChannels(config, name)}`;
}

/**
 * A channel of the config with its webhook URL resolved. Throws APPRAISE_CHAT_UNKNOWN_CHANNEL
 * (permanent: the delivery is dead at once) for a name the config does not define, and
 * APPRAISE_SECRET_MISSING when the webhook's environment variable or secret is not set (retried:
 * setting it cures it).
 */
export function chatChannel(config: AppConfig, name: string, where = 'The workflow'): ChatTarget & { name: string } {
  const channel = Object.hasOwn(config.chat?.channels ?? {}, name) ? config.chat!.channels[name] : undefined;
  if (!channel) throw new ChatDeliveryError('APPRAISE_CHAT_UNKNOWN_CHANNEL', unknownChannel(config, name, where), true);
  const url = resolveSecret(config, channel.webhook, `chat.channels.${name}.webhook`);
  return { name, type: channel.type, url, ...(channel.title ? { title: channel.title } : {}) };
}

/**
 * Posts a notice for the `slack.post` or `teams.post` workflow: the channel the rule's workflow
 * config names (`channel`), else the plugin's default (`plugins.settings.<slack|teams>.channel`),
 * within the plugin's `timeoutMs`. The outcomes are postChat's.
 */
export async function postChatWorkflow(
  config: AppConfig,
  type: ChatType,
  workflowConfig: Readonly<Record<string, unknown>>,
  settings: Readonly<Record<string, unknown>>,
  message: NotificationMessage,
): Promise<void> {
  const plugin = PLUGIN_OF[type];
  const own = typeof workflowConfig.channel === 'string' ? workflowConfig.channel : undefined;
  const name = own ?? (typeof settings.channel === 'string' ? settings.channel : undefined);
  if (!name) {
    throw new ChatDeliveryError('APPRAISE_CHAT_NO_CHANNEL', `\`${plugin}.post\` has no channel to post to: set \`plugins.settings.${plugin}.channel\` in appraise.config.yaml to one of \`chat.channels\`. Nothing was sent.`, true);
  }
  const where = own ? `The workflow config of \`${plugin}.post\`` : `\`plugins.settings.${plugin}.channel\` (${at(config, ['plugins', 'settings', plugin, 'channel'])})`;
  const channel = chatChannel(config, name, where);
  if (channel.type !== type) {
    throw new ChatDeliveryError('APPRAISE_CHAT_CHANNEL_TYPE_MISMATCH', `${where} names \`${name}\`, a ${channel.type} channel, for \`${plugin}.post\`. Name a ${type} channel, or use \`${channel.type}.post\`. Nothing was sent.`, true);
  }
  const timeoutMs = typeof settings.timeoutMs === 'number' && settings.timeoutMs > 0 ? settings.timeoutMs : DEFAULT_CHAT_TIMEOUT_MS;
  await postChat(channel, message, { timeoutMs });
}
