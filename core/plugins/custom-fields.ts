// Custom fields: extra fields an organisation declares for a plugin's record kind in
// appraise.config.yaml (`records.support.ticket.fields.priority: { type: integer, ... }`). The
// host merges them into the kind's schema, so that imports validate them, typed storage gives
// them columns, mappings may fill them and `params.where` may filter on them. The config schema
// checks their shape; what needs the plugins (the kind exists, the field is new) is checked here.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';
import { createRegistry } from '../registry/registry.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { locate, type PathSegment, type YamlSource } from '../policy/yaml-source.ts';
import type { PluginSet } from './discovery.ts';
import type { RecordKindInfo } from './manifest.ts';

/** One custom field: the subset of JSON Schema that schemas/config.schema.json allows. */
export interface CustomField {
  type: 'string' | 'integer' | 'number' | 'boolean';
  enum?: Array<string | number | boolean>;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  format?: 'date-time';
  title?: string;
  description?: string;
}
export type CustomFields = Record<string, CustomField>;

type Report = (code: ErrorCode, message: string, path: PathSegment[], which?: 'key' | 'value') => void;

function reporter(out: Diagnostic[], source: YamlSource | undefined, file: string | undefined): Report {
  return (code, message, path, which = 'value') =>
    out.push({ code, severity: 'error', message, file: file ?? source?.file ?? 'appraise.config.yaml', ...(source ? locate(source, path, which) : { line: 0, column: 0 }) });
}

const fitsType = (v: unknown, type: CustomField['type']): boolean =>
  type === 'integer' ? Number.isInteger(v) : type === 'number' ? typeof v === 'number' : typeof v === type;

/** What the schema cannot say: keywords that do not apply to the field's type, enum values of another type, an empty range. */
export function checkCustomFieldShapes(records: Record<string, { fields: CustomFields }>, source?: YamlSource): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = reporter(out, source, source?.file);
  for (const [kind, { fields }] of Object.entries(records)) {
    for (const [name, f] of Object.entries(fields)) {
      const at = ['records', kind, 'fields', name];
      const numeric = f.type === 'integer' || f.type === 'number';
      for (const key of ['minimum', 'maximum'] as const) {
        if (f[key] !== undefined && !numeric) report('APPRAISE_CONFIG_BAD_FIELD', `\`${key}\` applies to integer and number fields; \`${name}\` is a ${f.type}. Remove it or change the type.`, [...at, key], 'key');
      }
      for (const key of ['maxLength', 'format'] as const) {
        if (f[key] !== undefined && f.type !== 'string') report('APPRAISE_CONFIG_BAD_FIELD', `\`${key}\` applies to string fields; \`${name}\` is ${f.type === 'integer' ? 'an' : 'a'} ${f.type}. Remove it or change the type.`, [...at, key], 'key');
      }
      if (f.minimum !== undefined && f.maximum !== undefined && f.minimum > f.maximum) {
        report('APPRAISE_CONFIG_BAD_FIELD', `The minimum of \`${name}\` (${f.minimum}) is above its maximum (${f.maximum}); no value could be imported.`, [...at, 'minimum']);
      }
      (f.enum ?? []).forEach((v, i) => {
        if (!fitsType(v, f.type)) report('APPRAISE_CONFIG_BAD_FIELD', `\`${JSON.stringify(v)}\` is not ${f.type === 'integer' ? 'an' : 'a'} ${f.type}, the type of \`${name}\`; an enum lists values of the field's type.`, [...at, 'enum', i]);
      });
    }
  }
  return out;
}

/** A record kind's schema with the custom fields added as properties. */
function mergedKind(kind: RecordKindInfo, fields: CustomFields): RecordKindInfo {
  const properties = { ...(kind.schema.properties as Record<string, unknown> | undefined), ...fields };
  return { ...kind, schema: { ...kind.schema, properties }, customFields: Object.keys(fields) };
}

/**
 * The plugin set with the config's custom fields merged into its record kinds (the set's kinds,
 * the plugins' manifests and the registry the checker reads). An unknown kind or a field the
 * plugin already defines is a located config error in `configDiagnostics` and is left out.
 */
export function withCustomFields(set: PluginSet, records: Record<string, { fields: CustomFields }>, source?: YamlSource, file?: string): PluginSet {
  const diagnostics: Diagnostic[] = [];
  const report = reporter(diagnostics, source, file);
  const kinds = new Map(set.recordKinds);
  for (const [id, { fields }] of Object.entries(records)) {
    const kind = kinds.get(id);
    if (!kind) {
      report('APPRAISE_CONFIG_UNKNOWN_KIND', `No enabled plugin contributes the record kind \`${id}\`.${didYouMean(id, kinds.keys())} The kinds are: ${[...kinds.keys()].sort().join(', ') || '(none)'}; \`npx appraise plugins\` lists them.`, ['records', id], 'key');
      continue;
    }
    const own = (kind.schema.properties ?? {}) as Record<string, unknown>;
    const added: CustomFields = {};
    for (const [name, field] of Object.entries(fields)) {
      if (Object.hasOwn(own, name)) {
        report('APPRAISE_CONFIG_FIELD_DEFINED', `The plugin ${kind.plugin} already defines \`${name}\` for ${id}; remove it from records.${id}.fields (its type is the plugin's).`, ['records', id, 'fields', name], 'key');
      } else added[name] = field;
    }
    if (Object.keys(added).length) kinds.set(id, mergedKind(kind, added));
  }
  const plugins = set.plugins.map((p) => {
    if (!p.manifest?.recordKinds.some((k) => kinds.get(k.id) !== k)) return p;
    // A new manifest object: the discovered one may be shared with the manifest cache.
    const manifest = Object.create(Object.getPrototypeOf(p.manifest), Object.getOwnPropertyDescriptors(p.manifest));
    manifest.recordKinds = p.manifest.recordKinds.map((k) => kinds.get(k.id) ?? k);
    return Object.assign(p, { manifest });
  });
  const registry = createRegistry({ metrics: [...set.registry.metrics.values()], operators: [...set.registry.operators.values()], workflows: [...set.registry.workflows.values()], recordKinds: [...kinds.values()] });
  return { ...set, plugins, recordKinds: kinds, registry, diagnostics: [...set.diagnostics, ...diagnostics], configDiagnostics: diagnostics };
}
