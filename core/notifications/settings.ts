// The `notifications` section of appraise.config.yaml: SMTP (its password by reference only),
// the sender, HR's addresses, where the UI is for links, the digest and the storm guard.
import type { AppConfig } from '../config/config.ts';
import { resolveFromConfig } from '../config/config.ts';
import { describeSecretRef, resolveSecret, type SecretRef } from '../config/secrets.ts';
import { AppraiseError, type Diagnostic } from '../diagnostics/diagnostic.ts';

export interface SmtpSettings {
  host: string;
  port?: number;
  secure?: boolean;
  requireTLS?: boolean;
  user?: string;
  password?: SecretRef;
  /** One attempt's limit: connecting, each answer, the whole message. */
  timeoutMs?: number;
}

export interface NotificationsConfig {
  templatesDir: string;
  smtp?: SmtpSettings;
  from?: string;
  replyTo?: string;
  /** HR's addresses: who hears `to: hr`. */
  hr: string[];
  /** The admin UI's public address, for absolute links (https://appraise.example.com). */
  publicUrl?: string;
  /** The zone of dates for a reader whose employee record names none (attributes.timezone). */
  timezone: string;
  digest: { hour: number };
  /** More than `maxPerHour` notices to one person within an hour: the rest wait for their digest. */
  storm: { maxPerHour: number };
  /** Workflows that hear the events outside cases (review.self-assessment-due, dispute.resolved). */
  people: { workflows: string[]; selfAssessmentDueDays: number };
}

export const DEFAULT_TEMPLATES_DIR = 'rules/notifications';

export function defaultNotifications(): NotificationsConfig {
  return {
    templatesDir: DEFAULT_TEMPLATES_DIR,
    hr: [],
    timezone: 'UTC',
    digest: { hour: 8 },
    storm: { maxPerHour: 5 },
    people: { workflows: [], selfAssessmentDueDays: 3 },
  };
}

/** The section as written, defaults filled in; with SMTP set, people-side events go to email.send unless it says. */
export function notificationsFrom(raw: Record<string, unknown> | undefined): NotificationsConfig {
  const base = defaultNotifications();
  if (!raw) return base;
  const people = (raw.people ?? {}) as Partial<NotificationsConfig['people']>;
  return {
    ...base,
    ...(raw as Partial<NotificationsConfig>),
    digest: { ...base.digest, ...(raw.digest as object) },
    storm: { ...base.storm, ...(raw.storm as object) },
    people: { workflows: people.workflows ?? (raw.smtp ? ['email.send'] : []), selfAssessmentDueDays: people.selfAssessmentDueDays ?? base.people.selfAssessmentDueDays },
  };
}

export function templatesDirOf(config: AppConfig): string {
  return resolveFromConfig(config, config.notifications.templatesDir);
}

/** The SMTP settings with the password resolved (and remembered for redaction), or a coded error. */
export function smtpOf(config: AppConfig): SmtpSettings & { pass?: string } {
  const n = config.notifications;
  if (!n.smtp) {
    throw new AppraiseError('APPRAISE_NOTIFY_NOT_CONFIGURED', 'Email is not configured: add notifications.smtp (host, port, user, password) and notifications.from to appraise.config.yaml.', { setting: 'notifications.smtp' });
  }
  if (!n.from) {
    throw new AppraiseError('APPRAISE_NOTIFY_NOT_CONFIGURED', 'Email has no sender: add notifications.from ("Appraise <appraise@example.com>") to appraise.config.yaml.', { setting: 'notifications.from' });
  }
  const pass = n.smtp.password ? resolveSecret(config, n.smtp.password, 'notifications.smtp.password') : undefined;
  return { ...n.smtp, ...(pass !== undefined ? { pass } : {}) };
}

export function describePassword(s: SmtpSettings): string {
  return s.password ? describeSecretRef(s.password) : 'no password';
}

const PASSWORD_SETTING = '`notifications.smtp.password`';

/**
 * The schema's complaints about an SMTP password written into the config itself would quote it;
 * they are replaced by one that says what to write instead, without the value.
 */
export function withoutInlinePassword(diagnostics: Diagnostic[]): Diagnostic[] {
  const about = diagnostics.filter((d) => d.message.includes(PASSWORD_SETTING));
  if (!about.length) return diagnostics;
  const first = about[0];
  return [
    ...diagnostics.filter((d) => !about.includes(d)),
    { ...first, code: 'APPRAISE_SCHEMA_WRONG_TYPE', message: `${PASSWORD_SETTING} must say where the password is, \`{ env: SMTP_PASSWORD }\` or \`{ secret: smtp-password }\` (with secrets.file), never the password itself: a config file is read by many. Move it to an environment variable or the secrets file.` },
  ];
}
