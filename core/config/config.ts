// The application config file (`appraise.config.yaml`, or `--config <file>`), validated like a
// policy so its errors carry a line and column. Every section is optional: no file at all is a
// valid configuration.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { readTextFile } from '../policy/load.ts';
import { validateAgainstSchema } from '../policy/schema-check.ts';
import { parseYamlSource, type YamlSource } from '../policy/yaml-source.ts';
import { checkCustomFieldShapes, type CustomFields } from '../plugins/custom-fields.ts';
import { checkWebhookSettings } from '../workflows/webhook-settings.ts';
import { checkRetention, type RetentionConfig } from '../compliance/retention/purge.ts';
import { checkCalendars, type CalendarsConfig } from '../calendar/calendars-config.ts';
import { checkChatConfig, type ChatConfig } from '../notifications/chat/config.ts';
import type { SourceConfig } from '../sources/source-config.ts';
import { defaultNotifications, notificationsFrom, withoutInlinePassword, type NotificationsConfig } from '../notifications/settings.ts';
import { checkFairnessSettings } from '../fairness/settings.ts';

export interface AppConfig {
  /** The config file read, if any. */
  file?: string;
  /** Folder that relative paths in the config are resolved against. */
  baseDir: string;
  /** `publish.approvals: 1`: a publish is proposed and goes in force once another hr or admin approves it (core/policy/proposals.ts). */
  /**
   * `noticeDays`: a version that goes in force is enforced only this many days later (audit mode
   * until then); `notice.contact`: whom the worker notice names (core/compliance/notices).
   */
  policies: { dirs: string[]; publish?: { approvals: number }; noticeDays?: number; notice?: { contact?: string } };
  plugins: { dirs: string[]; trusted: string[]; isolateBuiltins: boolean; timeoutMs: number; settings: Record<string, Record<string, unknown>> };
  /**
   * Fairness reports: the attributes compared, their intersections (each name one of
   * protectedAttributes), the small-group thresholds, and values that mean "unknown".
   */
  fairness: { protectedAttributes: string[]; minGroupSize: number; minGroupShare?: number; intersections?: string[][]; unknownValues?: string[] };
  /** Business-hours calendars; unset means durations count wall-clock time. */
  calendars?: CalendarsConfig;
  workflows: { defaults: { recognition: string[]; coaching: string[]; pip: string[] }; maxAttempts: number };
  /** How cases are followed up: a coaching case is due this many days after it opens, unless its policy says (spec.coaching.dueWithin). */
  cases: { coachingDueWithinDays: number };
  /** Feedback and kudos (core/people/feedback): the organisation's values a kudos may name. */
  people: { kudos: { values: string[] } };
  /**
   * Outgoing webhooks; the defaults of `plugins.settings.webhook`. `timeoutMs` unset means the
   * plugin's default (10 s, or plugins.timeoutMs when that is lower).
   */
  webhooks: { allowHosts: string[]; timeoutMs?: number; secret?: string; unsigned: boolean };
  store: { dataDir: string };
  /**
   * `compliance.decisionLogs`: every decision of runs (and previews, unless `previews: false`)
   * appended to NDJSON files in `dir`, one per UTC day (core/compliance/decision-log).
   */
  compliance?: { decisionLogs?: { dir: string; previews?: boolean }; retention?: RetentionConfig };
  /** Chat channels (Slack, Teams) that `slack.post` and `teams.post` post to (core/notifications/chat). */
  chat?: ChatConfig;
  /** Email notices (core/notifications): SMTP, sender, HR's addresses, templates, digest. */
  notifications: NotificationsConfig;
  /** `secrets.file`: a YAML map of name: value that credential references `{ secret: name }` read (core/config/secrets.ts). */
  secrets?: { file?: string };
  server: { port: number; host: string; limits?: { perMinute?: number; atOnce?: number } };
  /**
   * Custom fields per record kind (`records.support.ticket.fields`), which the plugin host merges
   * into the kind's schema (core/plugins/custom-fields.ts).
   */
  records: Record<string, { fields: CustomFields }>;
  /** Sources (connectors) by name (core/sources/): checked against the plugins once they are known. */
  sources?: Record<string, SourceConfig>;
  /** The parsed file, to locate problems only found once the plugins are known (custom fields). */
  source?: YamlSource;
}

export const DEFAULT_CONFIG_FILE = 'appraise.config.yaml';

/** The values a kudos may name when the config lists none (config.schema.json says the same). */
export const DEFAULT_KUDOS_VALUES = ['Customer first', 'Ownership', 'Teamwork', 'Going the extra mile'] as const;

/** Days a coaching case is due after it opens when neither its policy nor the config says. */
export const DEFAULT_COACHING_DUE_WITHIN_DAYS = 14;

export function defaultConfig(baseDir = process.cwd()): AppConfig {
  return {
    baseDir,
    policies: { dirs: ['rules'] },
    plugins: { dirs: [], trusted: [], isolateBuiltins: false, timeoutMs: 10000, settings: {} },
    fairness: { protectedAttributes: [], minGroupSize: 5 },
    workflows: { defaults: { recognition: [], coaching: [], pip: [] }, maxAttempts: 8 },
    cases: { coachingDueWithinDays: DEFAULT_COACHING_DUE_WITHIN_DAYS },
    people: { kudos: { values: [...DEFAULT_KUDOS_VALUES] } },
    webhooks: { allowHosts: [], unsigned: false },
    store: { dataDir: '.appraise' },
    notifications: defaultNotifications(),
    server: { port: 3000, host: '127.0.0.1' },
    records: {},
  };
}

export function configFromText(file: string, text: string): { config?: AppConfig; diagnostics: Diagnostic[] } {
  const { source, diagnostics } = parseYamlSource(file, text);
  if (!source || hasErrors(diagnostics)) return { diagnostics };
  if (source.value === null || source.value === undefined) return { config: { ...defaultConfig(dirname(resolve(file))), file }, diagnostics };
  const schemaDiagnostics = withoutInlinePassword(validateAgainstSchema(source, 'config.schema.json'));
  if (schemaDiagnostics.length) return { diagnostics: [...diagnostics, ...schemaDiagnostics] };
  const raw = source.value as Partial<Record<keyof AppConfig, Record<string, unknown>>>;
  const base = defaultConfig(dirname(resolve(file)));
  const merged: AppConfig = { ...base, file };
  for (const key of ['policies', 'plugins', 'fairness', 'workflows', 'cases', 'webhooks', 'store', 'server'] as const) {
    if (raw[key]) (merged as unknown as Record<string, unknown>)[key] = { ...base[key], ...raw[key] };
  }
  if (raw.people?.kudos) merged.people = { ...base.people, kudos: { ...base.people.kudos, ...(raw.people.kudos as object) } };
  if (raw.workflows?.defaults) merged.workflows.defaults = { ...base.workflows.defaults, ...(raw.workflows.defaults as object) };
  if (raw.calendars) merged.calendars = { assign: [], ...raw.calendars } as unknown as CalendarsConfig;
  const calendarDiagnostics = checkCalendars(merged.calendars, file, source);
  if (hasErrors(calendarDiagnostics)) return { diagnostics: [...diagnostics, ...calendarDiagnostics] };
  if (raw.compliance) merged.compliance = { ...raw.compliance } as AppConfig['compliance'];
  if (raw.notifications) merged.notifications = notificationsFrom(raw.notifications);
  if (raw.secrets) merged.secrets = { ...raw.secrets } as AppConfig['secrets'];
  if (raw.records) merged.records = raw.records as AppConfig['records'];
  if (raw.sources) merged.sources = raw.sources as AppConfig['sources'];
  merged.source = source;
  const fieldDiagnostics = checkCustomFieldShapes(merged.records, source);
  if (hasErrors(fieldDiagnostics)) return { diagnostics: [...diagnostics, ...fieldDiagnostics] };
  if (raw.chat) merged.chat = { channels: { ...((raw.chat.channels as ChatConfig['channels'] | undefined) ?? {}) } };
  const chatDiagnostics = checkChatConfig(merged, source);
  if (hasErrors(chatDiagnostics)) return { diagnostics: [...diagnostics, ...chatDiagnostics] };
  const retentionDiagnostics = checkRetention(merged, source);
  if (hasErrors(retentionDiagnostics)) return { diagnostics: [...diagnostics, ...retentionDiagnostics] };
  const fairnessDiagnostics = checkFairnessSettings(merged, source);
  if (hasErrors(fairnessDiagnostics)) return { diagnostics: [...diagnostics, ...fairnessDiagnostics] };
  const webhookDiagnostics = checkWebhookSettings(merged, source);
  if (hasErrors(webhookDiagnostics)) return { diagnostics: [...diagnostics, ...webhookDiagnostics] };
  return { config: merged, diagnostics: [...diagnostics, ...webhookDiagnostics] };
}

/**
 * Loads `--config <file>` (which must exist) or `appraise.config.yaml` in the working directory
 * (which may not).
 */
export async function loadConfig(explicit?: string): Promise<{ config?: AppConfig; diagnostics: Diagnostic[] }> {
  const file = explicit ?? DEFAULT_CONFIG_FILE;
  if (!existsSync(file)) {
    if (explicit) {
      return { diagnostics: [{ code: 'APPRAISE_CONFIG_NOT_FOUND', severity: 'error', message: `The config file ${explicit} does not exist. Check the path given to --config.`, file: explicit, line: 0, column: 0 }] };
    }
    return { config: defaultConfig(), diagnostics: [] };
  }
  const { text, diagnostic } = await readTextFile(file);
  if (diagnostic) return { diagnostics: [diagnostic] };
  return configFromText(file, text!);
}

/**
 * The embedded store's folder: the command's `--data-dir`, else APPRAISE_DATA_DIR, else the
 * config's `store.dataDir` (whose default is `.appraise`): one order for the store and its log.
 */
export function storeFolder(config: AppConfig, option?: string): string {
  return option ?? (process.env.APPRAISE_DATA_DIR || undefined) ?? config.store.dataDir;
}

export function resolveFromConfig(config: AppConfig, p: string): string {
  return resolve(config.baseDir, p);
}
