// Reading one plugin's package.json: schema-validated with positions (JSON is YAML, so the
// located YAML parser points errors at package.json's line and column), contribution ids
// namespaced by the plugin, schemas of record kinds loaded and compiled. No plugin code runs.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import semver from 'semver';
import { Cron } from 'croner';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import type { MetricInfo, OperatorInfo, WorkflowInfo } from '../registry/registry.ts';
import { ajv, validateAgainstSchema } from '../policy/schema-check.ts';
import { locate, parseYamlSource, type PathSegment, type YamlSource } from '../policy/yaml-source.ts';
import { PLUGIN_API_VERSION } from './api.ts';
import { AggregateExpressionError, compileAggregate, type AggregateExpression } from '../metrics/aggregate.ts';
import { pointerToPath } from '../policy/schema-check.ts';
import { WHERE_PARAM_SCHEMA } from '../metrics/where.ts';
import { targetTableParams } from '../metrics/targets.ts';

export interface RecordKindInfo {
  /** Qualified id: `customer-feedback.survey`. */
  id: string;
  localId: string;
  title: string;
  description?: string;
  schema: Record<string, unknown>;
  plugin: string;
  /** Fields the organisation added in appraise.config.yaml (`records.<kind>.fields`), merged into `schema`. */
  customFields?: string[];
}

export interface MetricContribution extends MetricInfo {
  /** Qualified record kind id. */
  recordKind: string;
  aggregate?: unknown;
  reads?: Array<{ recordKind: string; extendBackBy?: string | { param: string; default?: string } }>;
}

/** A connector the plugin contributes (`contributes.sources`), configured under `sources` in appraise.config.yaml. */
export interface SourceContribution {
  /** Qualified id: `zendesk.support`. */
  id: string;
  localId: string;
  title: string;
  description?: string;
  /** Qualified record kinds its batches hold. */
  produces: string[];
  settingsSchema?: Record<string, unknown>;
  credentials: Array<{ name: string; description?: string; required: boolean }>;
  /** The default cron (UTC) or `manual`; undefined: manual. */
  schedule?: string;
  plugin: string;
}

export interface PluginManifest {
  id: string;
  version: string;
  folder: string;
  packageFile: string;
  /** Absolute path of the entry module, when the plugin has code. */
  main?: string;
  apiRange: string;
  displayName: string;
  description?: string;
  dependencies: Record<string, string>;
  recordKinds: RecordKindInfo[];
  metrics: MetricContribution[];
  operators: OperatorInfo[];
  workflows: WorkflowInfo[];
  sources: SourceContribution[];
  configuration?: Record<string, unknown>;
  /** Where things are in package.json, for later diagnostics (dependencies, kinds). */
  source: YamlSource;
}

interface RawPackage {
  name: string;
  version: string;
  main?: string;
  engines: { appraise: string };
  appraise: {
    displayName: string;
    description?: string;
    extensionDependencies?: Record<string, string>;
    contributes: {
      recordKinds?: Array<{ id: string; title: string; description?: string; schema: string | Record<string, unknown> }>;
      metrics?: Array<Omit<MetricContribution, 'plugin'>>;
      operators?: Array<Omit<OperatorInfo, 'plugin'>>;
      workflows?: Array<Omit<WorkflowInfo, 'plugin'>>;
      sources?: Array<{ id: string; title: string; description?: string; produces: string[]; settingsSchema?: Record<string, unknown>; credentials?: Array<{ name: string; description?: string; required?: boolean }>; schedule?: string }>;
      configuration?: Record<string, unknown>;
    };
  };
}

export async function readManifest(folder: string): Promise<{ manifest?: PluginManifest; diagnostics: Diagnostic[] }> {
  const packageFile = join(folder, 'package.json');
  let text: string;
  try {
    text = await readFile(packageFile, 'utf8');
  } catch (e) {
    return { diagnostics: [{ code: 'APPRAISE_PLUGIN_MANIFEST', severity: 'error', message: `A plugin folder needs a package.json: ${(e as Error).message}.`, file: packageFile, line: 0, column: 0 }] };
  }
  const { source, diagnostics } = parseYamlSource(packageFile, text, { maxBytes: 1024 * 1024 });
  if (!source || hasErrors(diagnostics)) return { diagnostics };
  const schemaDiagnostics = validateAgainstSchema(source, 'plugin-manifest.schema.json').map((d) =>
    d.code.startsWith('APPRAISE_SCHEMA_') || d.code === 'APPRAISE_POLICY_BAD_DURATION' ? d : { ...d, code: 'APPRAISE_SCHEMA_INVALID_VALUE' as ErrorCode },
  );
  if (schemaDiagnostics.length) return { diagnostics: schemaDiagnostics };
  const raw = source.value as RawPackage;
  const out: Diagnostic[] = [];
  const report = (code: ErrorCode, message: string, path: PathSegment[]) =>
    out.push({ code, severity: 'error', message, file: packageFile, ...locate(source, path) });

  const id = raw.name;
  const ns = (local: string) => `${id}.${local}`;
  const qualify = (kind: string) => (kind.includes('.') ? kind : ns(kind));

  if (!semver.validRange(raw.engines.appraise)) {
    report('APPRAISE_PLUGIN_MANIFEST', `\`${raw.engines.appraise}\` is not a semver range; write e.g. \`^1.0.0\`.`, ['engines', 'appraise']);
  } else if (!semver.satisfies(PLUGIN_API_VERSION, raw.engines.appraise)) {
    report('APPRAISE_PLUGIN_ENGINE_MISMATCH', `The plugin needs the Appraise plugin API ${raw.engines.appraise}, but this Appraise provides ${PLUGIN_API_VERSION}. Update the plugin or its engines.appraise range.`, ['engines', 'appraise']);
  }
  let main: string | undefined;
  if (raw.main) {
    main = resolve(folder, raw.main);
    if (!existsSync(main)) report('APPRAISE_PLUGIN_MAIN_NOT_FOUND', `The entry \`${raw.main}\` does not exist in ${folder}.`, ['main']);
  }

  const c = raw.appraise.contributes;
  const dupes = (kind: string, items: Array<{ id: string }> | undefined) => {
    const seen = new Set<string>();
    (items ?? []).forEach((item, i) => {
      if (seen.has(item.id)) report('APPRAISE_PLUGIN_DUPLICATE_CONTRIBUTION', `The ${kind} id \`${item.id}\` is declared twice in this plugin.`, ['appraise', 'contributes', kind, i, 'id']);
      seen.add(item.id);
    });
  };
  dupes('recordKinds', c.recordKinds);
  dupes('metrics', c.metrics);
  dupes('operators', c.operators);
  dupes('workflows', c.workflows);
  dupes('sources', c.sources);

  const sources: SourceContribution[] = [];
  for (const [i, src] of (c.sources ?? []).entries()) {
    const at = ['appraise', 'contributes', 'sources', i];
    if (src.settingsSchema && !compiles(src.settingsSchema)) {
      report('APPRAISE_PLUGIN_BAD_SCHEMA', `The settingsSchema of the source \`${src.id}\` is not a valid JSON Schema: ${lastCompileError}.`, [...at, 'settingsSchema']);
    }
    if (src.schedule !== undefined) {
      const why = cronProblem(src.schedule);
      if (why) report('APPRAISE_SOURCE_BAD_SCHEDULE', `The default schedule \`${src.schedule}\` of the source \`${src.id}\` is not a cron expression (${why}). Write five fields in UTC, e.g. \`*/15 * * * *\`, or \`manual\`.`, [...at, 'schedule']);
    }
    const names = new Set<string>();
    (src.credentials ?? []).forEach((cred, j) => {
      if (names.has(cred.name)) report('APPRAISE_PLUGIN_DUPLICATE_CONTRIBUTION', `The credential \`${cred.name}\` of the source \`${src.id}\` is declared twice; declare each name once.`, [...at, 'credentials', j, 'name']);
      names.add(cred.name);
    });
    if (!raw.main) report('APPRAISE_PLUGIN_NO_IMPLEMENTATION', `The source \`${src.id}\` needs code (its \`sync\`), and the plugin has no \`main\`. Add one.`, at);
    sources.push({
      id: ns(src.id),
      localId: src.id,
      title: src.title,
      ...(src.description ? { description: src.description } : {}),
      produces: src.produces.map(qualify),
      ...(src.settingsSchema ? { settingsSchema: src.settingsSchema } : {}),
      credentials: (src.credentials ?? []).map((x) => ({ name: x.name, ...(x.description ? { description: x.description } : {}), required: x.required !== false })),
      ...(src.schedule ? { schedule: src.schedule } : {}),
      plugin: id,
    });
  }

  const recordKinds: RecordKindInfo[] = [];
  for (const [i, k] of (c.recordKinds ?? []).entries()) {
    let schema: Record<string, unknown> | undefined;
    if (typeof k.schema === 'string') {
      try {
        schema = JSON.parse(await readFile(resolve(folder, k.schema), 'utf8'));
      } catch (e) {
        report('APPRAISE_PLUGIN_BAD_SCHEMA', `Cannot read the record schema \`${k.schema}\`: ${(e as Error).message}.`, ['appraise', 'contributes', 'recordKinds', i, 'schema']);
        continue;
      }
    } else schema = k.schema;
    if (!compiles(schema!)) {
      report('APPRAISE_PLUGIN_BAD_SCHEMA', `The record schema of \`${k.id}\` is not a valid JSON Schema: ${lastCompileError}.`, ['appraise', 'contributes', 'recordKinds', i, 'schema']);
      continue;
    }
    recordKinds.push({ id: ns(k.id), localId: k.id, title: k.title, ...(k.description ? { description: k.description } : {}), schema: schema!, plugin: id });
  }

  const metrics: MetricContribution[] = [];
  for (const [i, m] of (c.metrics ?? []).entries()) {
    if (m.paramsSchema && !compiles(m.paramsSchema)) {
      report('APPRAISE_PLUGIN_BAD_SCHEMA', `The paramsSchema of \`${m.id}\` is not a valid JSON Schema: ${lastCompileError}.`, ['appraise', 'contributes', 'metrics', i, 'paramsSchema']);
    }
    if (m.aggregate === undefined && !raw.main) {
      report('APPRAISE_PLUGIN_NO_IMPLEMENTATION', `The metric \`${m.id}\` has no \`aggregate\`, and the plugin has no \`main\` to implement it in code. Add one of them.`, ['appraise', 'contributes', 'metrics', i]);
    }
    let aggregate = m.aggregate;
    if (aggregate !== undefined) {
      try {
        compileAggregate(aggregate as AggregateExpression);
      } catch (e) {
        if (!(e instanceof AggregateExpressionError)) throw e;
        report('APPRAISE_PLUGIN_MANIFEST', `The aggregate of \`${m.id}\` cannot be computed: ${e.message}.`, ['appraise', 'contributes', 'metrics', i, 'aggregate', ...pointerToPath(e.path)]);
      }
      aggregate = qualifyKinds(aggregate, qualify);
      const own = (m.paramsSchema?.properties ?? {}) as Record<string, unknown>;
      if (Object.hasOwn(own, 'where')) {
        report('APPRAISE_PLUGIN_MANIFEST', `\`where\` is a param every declarative metric takes (a segment of its records); rename the param of \`${m.id}\`.`, ['appraise', 'contributes', 'metrics', i, 'paramsSchema', 'properties', 'where']);
      }
      for (const [name, spec] of targetTableParams(m.paramsSchema)) {
        if (typeof spec.replaces !== 'string' || !spec.measures || typeof spec.measures !== 'object' || Object.keys(spec.measures).length === 0) {
          report('APPRAISE_PLUGIN_MANIFEST', `The x-targetTable of the param \`${name}\` needs \`replaces\` (the yes/no field it stands in for) and \`measures\` (name → duration).`, ['appraise', 'contributes', 'metrics', i, 'paramsSchema', 'properties', name, 'x-targetTable']);
        }
      }
    }
    metrics.push({
      ...m,
      ...(aggregate !== undefined ? { aggregate, paramsSchema: withWhereParam(m.paramsSchema) } : {}),
      id: ns(m.id),
      recordKind: qualify(m.recordKind),
      ...(m.reads ? { reads: m.reads.map((r) => ({ ...r, recordKind: qualify(r.recordKind) })) } : {}),
      plugin: id,
    });
  }
  if (c.configuration && !compiles(c.configuration)) {
    report('APPRAISE_PLUGIN_BAD_SCHEMA', `The configuration schema is not a valid JSON Schema: ${lastCompileError}.`, ['appraise', 'contributes', 'configuration']);
  }

  const manifest: PluginManifest = {
    id,
    version: raw.version,
    folder,
    packageFile,
    ...(main ? { main } : {}),
    apiRange: raw.engines.appraise,
    displayName: raw.appraise.displayName,
    ...(raw.appraise.description ? { description: raw.appraise.description } : {}),
    dependencies: raw.appraise.extensionDependencies ?? {},
    recordKinds,
    metrics,
    operators: (c.operators ?? []).map((o) => ({ ...o, id: ns(o.id), plugin: id })),
    workflows: (c.workflows ?? []).map((w) => ({ ...w, id: ns(w.id), plugin: id })),
    sources,
    ...(c.configuration ? { configuration: c.configuration } : {}),
    source,
  };
  return { manifest: hasErrors(out) ? undefined : manifest, diagnostics: out };
}

/** A declarative metric's params schema with `where`, which every declarative metric takes (core/metrics/where.ts). */
function withWhereParam(schema: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!schema) return { type: 'object', additionalProperties: false, properties: { where: WHERE_PARAM_SCHEMA } };
  return { ...schema, properties: { ...(schema.properties as object | undefined), where: WHERE_PARAM_SCHEMA } };
}

/** A copy of a formula whose leaf `recordKind`s are qualified (`quota` → `sales.quota`), as the engine stores kinds. */
function qualifyKinds(node: unknown, qualify: (kind: string) => string): unknown {
  if (Array.isArray(node)) return node.map((n) => qualifyKinds(n, qualify));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, k === 'recordKind' && typeof v === 'string' ? qualify(v) : qualifyKinds(v, qualify)]),
  );
}

/** Why a schedule is not a cron expression croner runs (UTC), or undefined when it is one or `manual`. */
export function cronProblem(schedule: string): string | undefined {
  if (schedule === 'manual') return undefined;
  try {
    new Cron(schedule, { paused: true, timezone: 'UTC' }).stop();
    if (schedule.trim().split(/\s+/).length !== 5) return 'use 5 fields: minute hour day-of-month month day-of-week';
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/^CronPattern: /, '');
  }
}

let lastCompileError = '';
function compiles(schema: Record<string, unknown>): boolean {
  try {
    ajv().compile(schema);
    return true;
  } catch (e) {
    lastCompileError = (e as Error).message;
    return false;
  }
}
