// Discovering plugins: read every manifest in the plugin folders, refuse duplicate ids, order
// plugins by their dependencies, and disable (with a reason) every plugin whose dependency is
// missing, of the wrong version, disabled, or part of a cycle. The result is the registry that
// policies are checked against, built from manifests only.
//
// Reading a manifest costs tens of milliseconds (the located YAML parse, the manifest schema
// and every record schema compiled by ajv): about 0.4 s for the built-in plugins, on every
// command. The compiled core therefore caches each valid manifest in
// node_modules/.cache/appraise/discovery.json, with the stats of the files it was read from
// (package.json, the record schemas it names, its entry), and reads it again only when one of
// them changed. The cache belongs to one build of the core, one set of schemas/ and one install
// of the dependencies. An invalid manifest is never cached, so its diagnostics are always fresh.
import semver from 'semver';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';
import { createRegistry, type Registry } from '../registry/registry.ts';
import { locate, parseYamlSource, type YamlSource } from '../policy/yaml-source.ts';
import { SCHEMA_DIR } from '../policy/schema-check.ts';
import { aggregateRecordKinds, type AggregateExpression } from '../metrics/aggregate.ts';
import { readManifest, type MetricContribution, type PluginManifest, type RecordKindInfo, type SourceContribution } from './manifest.ts';

export const BUILTIN_PLUGIN_DIR = fileURLToPath(new URL('../../plugins/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MANIFEST_CACHE = join(ROOT, 'node_modules', '.cache', 'appraise', 'discovery.json');

/** Set by the core's build (core/cli/build-core.mjs) to its id; undefined when the sources run. */
declare const __APPRAISE_BUILD__: string | undefined;
const BUILD = typeof __APPRAISE_BUILD__ === 'string' ? __APPRAISE_BUILD__ : undefined;

export type PluginState = 'inactive' | 'active' | 'failed' | 'disabled';

export interface PluginProblem {
  code: ErrorCode;
  message: string;
  stack?: string;
  at: string;
}

export interface PluginEntry {
  id: string;
  folder: string;
  manifest?: PluginManifest;
  builtin: boolean;
  state: PluginState;
  /** Why the plugin is disabled or failed. */
  reason?: string;
  /** Problems recorded against the plugin (manifest, activation, metric errors…). */
  problems: PluginProblem[];
}

export interface PluginSet {
  /** In dependency order (dependencies first). */
  plugins: PluginEntry[];
  registry: Registry;
  recordKinds: ReadonlyMap<string, RecordKindInfo>;
  metrics: ReadonlyMap<string, MetricContribution>;
  /** Sources (connectors) of the enabled plugins whose record kinds are all known, by qualified id. */
  sources: ReadonlyMap<string, SourceContribution>;
  diagnostics: Diagnostic[];
  /** Errors of the config's custom fields against these plugins (core/plugins/custom-fields.ts): commands refuse to start with them. */
  configDiagnostics?: Diagnostic[];
}

export async function pluginFolders(dirs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const dir of dirs) {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') out.push(join(dir, e.name));
    }
  }
  return out;
}

export interface DiscoveryOptions {
  builtinDir?: string;
  /**
   * Where valid manifests are cached, and the key they are cached under. Defaults to
   * node_modules/.cache/appraise/discovery.json when the core runs compiled; none (every
   * manifest read) when it runs from its sources, whose code may differ from any cached read.
   */
  manifestCache?: { file: string; key: string } | false;
}

export async function discoverPlugins(extraDirs: string[] = [], options: DiscoveryOptions = {}): Promise<PluginSet> {
  const builtinDir = options.builtinDir ?? BUILTIN_PLUGIN_DIR;
  const diagnostics: Diagnostic[] = [];
  const entries: PluginEntry[] = [];
  const now = () => new Date().toISOString();
  const builtinFolders = new Set(await pluginFolders([builtinDir]));
  const cache = openManifestCache(options.manifestCache ?? (BUILD ? { file: MANIFEST_CACHE, key: BUILD } : false));
  for (const folder of await pluginFolders([builtinDir, ...extraDirs])) {
    const { manifest, diagnostics: d } = cache ? await cache.read(folder) : await readManifest(folder);
    diagnostics.push(...d);
    const id = manifest?.id ?? folder.split('/').pop()!;
    const entry: PluginEntry = { id, folder, builtin: builtinFolders.has(folder), state: manifest ? 'inactive' : 'disabled', problems: [] };
    if (manifest) entry.manifest = manifest;
    else {
      entry.reason = `invalid manifest: ${d.find((x) => x.severity === 'error')?.message ?? 'see diagnostics'}`;
      entry.problems.push(...d.map((x) => ({ code: x.code, message: `${x.file}:${x.line}:${x.column} ${x.message}`, at: now() })));
    }
    entries.push(entry);
  }
  cache?.save();

  // Duplicate plugin ids: the first found (built-ins come first) wins; the other is disabled.
  const byId = new Map<string, PluginEntry>();
  for (const e of entries) {
    if (!e.manifest) continue;
    const first = byId.get(e.id);
    if (first) {
      const message = `The plugin id \`${e.id}\` is already used by ${first.folder}; this copy in ${e.folder} is disabled. Rename one of them.`;
      disable(e, 'APPRAISE_PLUGIN_DUPLICATE_ID', message);
      diagnostics.push({ code: 'APPRAISE_PLUGIN_DUPLICATE_ID', severity: 'error', message, file: e.manifest.packageFile, ...locate(e.manifest.source, ['name']) });
      continue;
    }
    byId.set(e.id, e);
  }

  // Dependencies: cycles first, then missing / wrong version / disabled, until nothing changes.
  const enabled = () => [...byId.values()].filter((e) => e.state !== 'disabled');
  for (const cycle of findCycles(enabled())) {
    const names = cycle.join(' → ');
    for (const id of new Set(cycle)) {
      const e = byId.get(id)!;
      const message = `Plugins depend on each other in a cycle (${names}); all of them are disabled. Remove one dependency.`;
      disable(e, 'APPRAISE_PLUGIN_DEPENDENCY_CYCLE', message);
      diagnostics.push({ code: 'APPRAISE_PLUGIN_DEPENDENCY_CYCLE', severity: 'error', message, file: e.manifest!.packageFile, ...locate(e.manifest!.source, ['appraise', 'extensionDependencies']) });
    }
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (const e of enabled()) {
      for (const [dep, range] of Object.entries(e.manifest!.dependencies)) {
        const d = byId.get(dep);
        let why: string | undefined;
        if (!d) why = `needs the plugin \`${dep}\` (${range}), which is not installed`;
        else if (d.state === 'disabled') why = `needs the plugin \`${dep}\`, which is disabled (${d.reason})`;
        else if (!semver.satisfies(d.manifest!.version, range)) why = `needs \`${dep}\` ${range}, but ${d.manifest!.version} is installed`;
        if (why) {
          disable(e, 'APPRAISE_PLUGIN_MISSING_DEPENDENCY', `Disabled: it ${why}.`);
          diagnostics.push({ code: 'APPRAISE_PLUGIN_MISSING_DEPENDENCY', severity: 'error', message: `The plugin \`${e.id}\` ${why}; it is disabled.`, file: e.manifest!.packageFile, ...locate(e.manifest!.source, ['appraise', 'extensionDependencies', dep]) });
          changed = true;
          break;
        }
      }
    }
  }

  // Contributions of the enabled plugins, in dependency order.
  const ordered = topologicalOrder(enabled());
  const recordKinds = new Map<string, RecordKindInfo>();
  const metrics = new Map<string, MetricContribution>();
  for (const e of ordered) for (const k of e.manifest!.recordKinds) recordKinds.set(k.id, k);
  for (const e of ordered) {
    const reachable = new Set([e.id, ...Object.keys(e.manifest!.dependencies)]);
    e.manifest!.metrics.forEach((m, i) => {
      const formulaKinds = m.aggregate !== undefined ? aggregateRecordKinds(m.aggregate as AggregateExpression, m.recordKind) : [];
      const kinds = [...new Set([m.recordKind, ...formulaKinds, ...(m.reads ?? []).map((r) => r.recordKind)])];
      for (const k of kinds) {
        if (!recordKinds.has(k) || !reachable.has(k.slice(0, k.indexOf('.')))) {
          const message = `The metric \`${m.id}\` reads the record kind \`${k}\`, which neither ${e.id} nor its dependencies contribute. Declare it or add the plugin that has it to extensionDependencies.`;
          e.problems.push({ code: 'APPRAISE_PLUGIN_UNKNOWN_RECORD_KIND', message, at: now() });
          diagnostics.push({ code: 'APPRAISE_PLUGIN_UNKNOWN_RECORD_KIND', severity: 'error', message, file: e.manifest!.packageFile, ...locate(e.manifest!.source, ['appraise', 'contributes', 'metrics', i, 'recordKind']) });
          return;
        }
      }
      metrics.set(m.id, m);
    });
  }
  const sources = new Map<string, SourceContribution>();
  for (const e of ordered) {
    const reachable = new Set([e.id, ...Object.keys(e.manifest!.dependencies)]);
    (e.manifest!.sources ?? []).forEach((src, i) => {
      const unknown = src.produces.findIndex((k) => !recordKinds.has(k) || !reachable.has(k.slice(0, k.indexOf('.'))));
      if (unknown >= 0) {
        const k = src.produces[unknown];
        const message = `The source \`${src.id}\` produces the record kind \`${k}\`, which neither ${e.id} nor its dependencies contribute. Declare it or add the plugin that has it to extensionDependencies.`;
        e.problems.push({ code: 'APPRAISE_PLUGIN_UNKNOWN_RECORD_KIND', message, at: now() });
        diagnostics.push({ code: 'APPRAISE_PLUGIN_UNKNOWN_RECORD_KIND', severity: 'error', message, file: e.manifest!.packageFile, ...locate(e.manifest!.source, ['appraise', 'contributes', 'sources', i, 'produces', unknown]) });
        return;
      }
      sources.set(src.id, src);
    });
  }
  const registry = createRegistry({
    metrics: [...metrics.values()],
    operators: ordered.flatMap((e) => e.manifest!.operators),
    workflows: ordered.flatMap((e) => e.manifest!.workflows),
    recordKinds: [...recordKinds.values()],
  });
  const disabled = entries.filter((e) => !ordered.includes(e));
  return { plugins: [...ordered, ...disabled], registry, recordKinds, metrics, sources, diagnostics };
}

function disable(e: PluginEntry, code: ErrorCode, message: string): void {
  e.state = 'disabled';
  e.reason = message;
  e.problems.push({ code, message, at: new Date().toISOString() });
}

function findCycles(entries: PluginEntry[]): string[][] {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      cycles.push([...stack.slice(stack.indexOf(id)), id]);
      return;
    }
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of Object.keys(byId.get(id)?.manifest?.dependencies ?? {})) if (byId.has(dep)) visit(dep);
    stack.pop();
    state.set(id, 'done');
  };
  for (const e of entries) visit(e.id);
  return cycles;
}

function topologicalOrder(entries: PluginEntry[]): PluginEntry[] {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const out: PluginEntry[] = [];
  const seen = new Set<string>();
  const visit = (e: PluginEntry) => {
    if (seen.has(e.id)) return;
    seen.add(e.id);
    for (const dep of Object.keys(e.manifest!.dependencies)) {
      const d = byId.get(dep);
      if (d) visit(d);
    }
    out.push(e);
  };
  for (const e of entries) visit(e);
  return out;
}

type Stamp = string | null;
interface CachedManifest {
  /** The files the manifest was read from, with their stamps when it was read. */
  files: Array<[string, Stamp]>;
  manifest: Omit<PluginManifest, 'source'>;
  /** package.json's text, parsed again only when a diagnostic needs a position in it. */
  text: string;
}
interface ManifestCacheFile {
  key: string;
  manifests: Record<string, CachedManifest>;
}

/** Size, times and inode: any write, rename or `touch` changes one of them. Null: absent. */
function stampOf(file: string): Stamp {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}`;
  } catch {
    return null;
  }
}

/** The entry module only has to exist for the manifest to be valid; its code may change freely. */
const ENTRY = 'entry:';
const stampFor = (file: string): Stamp => (file.startsWith(ENTRY) ? (stampOf(file.slice(ENTRY.length)) === null ? null : 'present') : stampOf(file));

/** What a cached read depends on besides the plugin's own files: the schemas and the installed dependencies (ajv, yaml). */
function cacheKey(key: string): string {
  const parts = [key, stampOf(join(ROOT, 'node_modules', '.package-lock.json'))];
  try {
    for (const f of readdirSync(SCHEMA_DIR).sort()) parts.push(`${f}=${stampOf(join(SCHEMA_DIR, f))}`);
  } catch {
    parts.push('no schemas');
  }
  return parts.join('|');
}

/** The files readManifest reads for this folder, known before reading them. */
function manifestFiles(folder: string): string[] {
  const packageFile = join(folder, 'package.json');
  const files = [packageFile];
  try {
    const raw = JSON.parse(readFileSync(packageFile, 'utf8')) as { main?: unknown; appraise?: { contributes?: { recordKinds?: Array<{ schema?: unknown }> } } };
    if (typeof raw.main === 'string') files.push(ENTRY + resolve(folder, raw.main));
    for (const k of raw.appraise?.contributes?.recordKinds ?? []) if (typeof k?.schema === 'string') files.push(resolve(folder, k.schema));
  } catch {
    // unreadable or not JSON: readManifest says why, and nothing is cached
  }
  return files;
}

function openManifestCache(where: { file: string; key: string } | false) {
  if (!where) return undefined;
  const key = cacheKey(where.key);
  let data: ManifestCacheFile = { key, manifests: {} };
  try {
    const read = JSON.parse(readFileSync(where.file, 'utf8')) as ManifestCacheFile;
    if (read.key === key && read.manifests) data = read;
  } catch {
    // no cache yet, or one being replaced
  }
  let changed = false;
  return {
    async read(folder: string): Promise<{ manifest?: PluginManifest; diagnostics: Diagnostic[] }> {
      const hit = data.manifests[folder];
      if (hit && hit.files.every(([f, stamp]) => stampFor(f) === stamp)) return { manifest: revive(hit), diagnostics: [] };
      // Stamps first: a file written during the read leaves a stamp that no longer matches.
      const files = manifestFiles(folder).map((f): [string, Stamp] => [f, stampFor(f)]);
      const result = await readManifest(folder);
      if (result.manifest && result.diagnostics.length === 0 && files.every(([, stamp]) => stamp !== null)) {
        const { source, ...manifest } = result.manifest;
        data.manifests[folder] = { files, manifest, text: source.text };
        changed = true;
      } else if (hit) {
        delete data.manifests[folder];
        changed = true;
      }
      return result;
    },
    /** Writes the cache if a read changed it (whole, renamed into place); a failure costs only the next command's time. */
    save(): void {
      if (!changed) return;
      changed = false;
      try {
        for (const folder of Object.keys(data.manifests)) if (stampOf(join(folder, 'package.json')) === null) delete data.manifests[folder];
        mkdirSync(join(where.file, '..'), { recursive: true });
        const tmp = `${where.file}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify(data));
        renameSync(tmp, where.file);
      } catch {
        // a folder this user may not write
      }
    },
  };
}

/** A cached manifest, whose located source is parsed from its text when first asked for. */
function revive(cached: CachedManifest): PluginManifest {
  const manifest = { ...cached.manifest } as PluginManifest;
  Object.defineProperty(manifest, 'source', {
    enumerable: true,
    configurable: true,
    get(): YamlSource {
      const { source } = parseYamlSource(manifest.packageFile, cached.text, { maxBytes: 1024 * 1024 });
      Object.defineProperty(manifest, 'source', { value: source, enumerable: true, configurable: true, writable: true });
      return source!;
    },
  });
  return manifest;
}
