// A configured source (`sources.<name>` in appraise.config.yaml) and what can only be checked
// once the plugins are known: the source id exists, the settings fit its settingsSchema, every
// required credential is given (as a reference) and none it does not declare, the schedule is
// cron. Each problem is located at the config's line and column, like custom fields.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';
import type { SecretRef } from '../config/secrets.ts';
import type { PluginSet } from '../plugins/discovery.ts';
import { cronProblem, type SourceContribution } from '../plugins/manifest.ts';
import { ajv } from '../policy/schema-check.ts';
import { locate, type PathSegment, type YamlSource } from '../policy/yaml-source.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { DEFAULT_SOURCE_LIMITS, type SourceLimits } from './request.ts';

export interface SourceConfig {
  /** The qualified source id (`zendesk.support`). */
  source: string;
  schedule?: string;
  enabled?: boolean;
  settings?: Record<string, unknown>;
  credentials?: Record<string, SecretRef>;
  limits?: Partial<SourceLimits>;
}

/** A configured source resolved against its contribution: what the runner and the scheduler use. */
export interface ConfiguredSource {
  name: string;
  config: SourceConfig;
  contribution?: SourceContribution;
  /** The schedule in force: the config's, else the manifest's, else `manual`. */
  schedule: string;
  enabled: boolean;
  limits: SourceLimits;
}

export function configuredSources(sources: Record<string, SourceConfig> | undefined, set: Pick<PluginSet, 'sources'>): ConfiguredSource[] {
  return Object.entries(sources ?? {}).map(([name, config]) => {
    const contribution = set.sources.get(config.source);
    return {
      name,
      config,
      ...(contribution ? { contribution } : {}),
      schedule: config.schedule ?? contribution?.schedule ?? 'manual',
      enabled: config.enabled !== false,
      limits: { ...DEFAULT_SOURCE_LIMITS, ...config.limits },
    };
  });
}

/** The settings with the settingsSchema's top-level defaults filled in. */
export function settingsWithDefaults(contribution: SourceContribution | undefined, settings: Record<string, unknown> = {}): Record<string, unknown> {
  const out = { ...settings };
  for (const [k, s] of Object.entries((contribution?.settingsSchema?.properties ?? {}) as Record<string, { default?: unknown }>)) {
    if (out[k] === undefined && s && s.default !== undefined) out[k] = s.default;
  }
  return out;
}

export function checkSourcesConfig(sources: Record<string, SourceConfig> | undefined, set: Pick<PluginSet, 'sources'>, source?: YamlSource, file?: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (code: ErrorCode, message: string, path: PathSegment[], which: 'key' | 'value' = 'value') =>
    out.push({ code, severity: 'error', message, file: file ?? source?.file ?? 'appraise.config.yaml', ...(source ? locate(source, path, which) : { line: 0, column: 0 }) });
  for (const [name, cfg] of Object.entries(sources ?? {})) {
    const at = ['sources', name];
    if (cfg.schedule !== undefined) {
      const why = cronProblem(cfg.schedule);
      if (why) report('APPRAISE_SOURCE_BAD_SCHEDULE', `\`${cfg.schedule}\` is not a cron schedule (${why}). Write five fields in UTC, e.g. \`*/15 * * * *\`, or \`manual\` to sync only by hand.`, [...at, 'schedule']);
    }
    const c = set.sources.get(cfg.source);
    if (!c) {
      report('APPRAISE_SOURCE_UNKNOWN', `No enabled plugin contributes the source \`${cfg.source}\`.${didYouMean(cfg.source, set.sources.keys())} The sources are: ${[...set.sources.keys()].sort().join(', ') || '(none)'}; \`npx appraise plugins\` lists them.`, [...at, 'source']);
      continue;
    }
    const validate = ajv().compile(c.settingsSchema ?? { type: 'object' });
    if (!validate(settingsWithDefaults(c, cfg.settings))) {
      for (const e of validate.errors ?? []) {
        const path = e.instancePath ? e.instancePath.slice(1).split('/') : [];
        const extra = e.keyword === 'additionalProperties' ? (e.params as { additionalProperty: string }).additionalProperty : undefined;
        const missing = e.keyword === 'required' ? (e.params as { missingProperty: string }).missingProperty : undefined;
        const setting = ['settings', ...path, ...(extra ? [extra] : [])].join('.');
        const message = missing
          ? `The source ${cfg.source} needs \`settings.${[...path, missing].join('.')}\`; add it under sources.${name}.settings.`
          : extra
            ? `The source ${cfg.source} has no setting \`${extra}\`.${didYouMean(extra, Object.keys((c.settingsSchema?.properties ?? {}) as object))} Remove it or correct its name.`
            : `sources.${name}.${setting} ${e.message ?? 'is invalid'}.`;
        report('APPRAISE_SOURCE_BAD_SETTINGS', message, [...at, ...(cfg.settings ? ['settings', ...path, ...(extra ? [extra] : [])] : [])], extra ? 'key' : 'value');
      }
    }
    const given = cfg.credentials ?? {};
    const declared = c.credentials.map((x) => x.name);
    for (const cred of c.credentials) {
      if (cred.required && !Object.hasOwn(given, cred.name)) {
        report('APPRAISE_SOURCE_CREDENTIAL_MISSING', `The source ${cfg.source} needs the credential \`${cred.name}\`${cred.description ? ` (${cred.description})` : ''}. Add \`${cred.name}: { env: SOME_VARIABLE }\` (or \`{ secret: key }\`) under sources.${name}.credentials.`, cfg.credentials ? [...at, 'credentials'] : at, cfg.credentials ? 'value' : 'key');
      }
    }
    for (const k of Object.keys(given)) {
      if (!declared.includes(k)) {
        report('APPRAISE_SOURCE_CREDENTIAL_UNDECLARED', `The source ${cfg.source} does not use a credential \`${k}\`.${didYouMean(k, declared)} It declares: ${declared.join(', ') || '(none)'}.`, [...at, 'credentials', k], 'key');
      }
    }
  }
  return out;
}
