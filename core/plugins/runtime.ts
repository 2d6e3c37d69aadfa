// Where a plugin's code runs. Two runtimes share one contract: in-process for trusted
// (built-in) plugins, and a worker thread for everything else, where even a synchronous
// infinite loop is stopped at its time limit. Calls are batched: one call per metric per run.
// A plugin's TypeScript entry is compiled once per content by esbuild and cached (pluginEntryUrl),
// so plugins load the same way whether the core runs compiled or from its sources.
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MetricInput, PluginLogger, PluginModule, SourceCursor } from './api.ts';
import { createPluginContext, disposeAll, type DeclaredIds, type Registrations } from './context.ts';
import { createSourceContext, type RateLimitWait, type SourceLimits } from '../sources/request.ts';

export type MetricOutcome =
  | { status: 'ok'; value: number; samples?: number }
  | { status: 'insufficient'; samples: number; reason?: string }
  | { status: 'error'; message: string; stack?: string };

export interface MetricBatchItem {
  employeeId: string;
  input: MetricInput;
}

export interface ActivationReport {
  registered: DeclaredIds;
  undeclared: Array<{ kind: keyof DeclaredIds; id: string }>;
}

export interface RuntimeOptions {
  pluginId: string;
  main: string;
  extensionPath: string;
  settings: Record<string, unknown>;
  declared: DeclaredIds;
  timeoutMs: number;
  log: PluginLogger;
}

export interface PluginRuntime {
  /** Loads the module and calls activate(); rejects with the plugin's error. */
  activate(): Promise<ActivationReport>;
  computeMetric(localId: string, items: MetricBatchItem[]): Promise<Array<[string, MetricOutcome]>>;
  /** Synchronous: json-rules-engine operators are. Throws on error or time-out. */
  callOperator(localId: string, factValue: unknown, value: unknown): unknown;
  /**
   * Runs a workflow handler within `timeoutMs` (the workflow's own timeout; the plugin call
   * limit when it has none). A time-out rejects with kind `timeout` and leaves other calls
   * running: deliveries run side by side, and one hanging receiver must not cost the others.
   */
  runWorkflow(localId: string, delivery: unknown, timeoutMs?: number): Promise<void>;
  /**
   * Calls a source's `sync` once (one batch) within `timeoutMs`, with the context built where
   * the plugin's code runs. Resolves with what `sync` returned (unchecked) and the rate-limit
   * waits it took; rejects with the plugin's error, a time-out or a crash.
   */
  runSource(localId: string, input: SourceCallInput, cursor: SourceCursor, timeoutMs: number): Promise<SourceCallResult>;
  dispose(): Promise<void>;
}

/** What a source's context is built from: plain data, so that it can cross to a plugin's thread. */
export interface SourceCallInput {
  settings: Record<string, unknown>;
  credentials: Record<string, string>;
  limits: SourceLimits;
}

export interface SourceCallResult {
  batch: unknown;
  waits: RateLimitWait[];
}

/** Runs one `sync` of a registered source; shared by the in-process runtime and the plugin's thread. */
export async function callSource(registrations: Registrations, localId: string, input: SourceCallInput, cursor: SourceCursor, log: PluginLogger): Promise<SourceCallResult> {
  const impl = registrations.sources.get(localId);
  if (!impl) throw new Error(`the source ${localId} was not registered by activate()`);
  const waits: RateLimitWait[] = [];
  const ctx = createSourceContext({ settings: input.settings, credentials: input.credentials, limits: input.limits, log, onWait: (w) => waits.push(w) });
  const batch = await impl.sync(ctx, cursor);
  return { batch, waits };
}

export class PluginCallError extends Error {
  constructor(
    readonly kind: 'timeout' | 'crash' | 'error',
    message: string,
    readonly pluginStack?: string,
  ) {
    super(message);
    this.name = 'PluginCallError';
  }
}

/** Checks what a metric implementation returned: a finite number, `{value, samples}` or insufficient data. */
export function normaliseMetricResult(r: unknown): MetricOutcome {
  if (typeof r === 'number') {
    return Number.isFinite(r) ? { status: 'ok', value: r } : { status: 'error', message: `returned ${String(r)}, not a finite number` };
  }
  if (r && typeof r === 'object') {
    const o = r as Record<string, unknown>;
    if (o.insufficient === true) {
      const samples = typeof o.samples === 'number' && o.samples >= 0 ? Math.floor(o.samples) : 0;
      return { status: 'insufficient', samples, ...(typeof o.reason === 'string' ? { reason: o.reason } : {}) };
    }
    if (typeof o.value === 'number' && Number.isFinite(o.value)) {
      return { status: 'ok', value: o.value, ...(typeof o.samples === 'number' && o.samples >= 0 ? { samples: Math.floor(o.samples) } : {}) };
    }
  }
  let shown: string;
  try {
    shown = JSON.stringify(r) ?? String(r);
  } catch {
    shown = String(r);
  }
  return { status: 'error', message: `returned ${shown.slice(0, 100)}, not a finite number or {insufficient: true}` };
}

/** Runs the batch, one employee at a time, catching each employee's error separately. */
export function computeBatch(registrations: Registrations, localId: string, items: MetricBatchItem[]): Array<[string, MetricOutcome]> {
  const impl = registrations.metrics.get(localId);
  if (!impl) {
    return items.map((i) => [i.employeeId, { status: 'error', message: `the metric ${localId} was not registered by activate()` }]);
  }
  return items.map((item) => {
    try {
      return [item.employeeId, normaliseMetricResult(impl.compute(item.input))];
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      return [item.employeeId, { status: 'error', message: `threw: ${err.message}`, ...(err.stack ? { stack: err.stack } : {}) }];
    }
  });
}

/** Imports a plugin entry and activates it; shared by the in-process runtime and the worker. */
export async function loadAndActivate(options: Omit<RuntimeOptions, 'timeoutMs'>): Promise<{ module: PluginModule; registrations: Registrations; subscriptions: { dispose(): void }[]; report: ActivationReport }> {
  const module = (await import(await pluginEntryUrl(options.main))) as Partial<PluginModule>;
  if (typeof module.activate !== 'function') {
    throw new Error(`${options.main} does not export an activate(ctx) function`);
  }
  const { context, registrations } = createPluginContext(options);
  await module.activate(context);
  return {
    module: module as PluginModule,
    registrations,
    subscriptions: context.subscriptions,
    report: {
      registered: {
        metrics: [...registrations.metrics.keys()],
        operators: [...registrations.operators.keys()],
        workflows: [...registrations.workflows.keys()],
        sources: [...registrations.sources.keys()],
      },
      undeclared: registrations.undeclared,
    },
  };
}

/** The trusted tier: built-in plugins run in the engine's own thread (no time limit can stop a loop here). */
export class InProcessRuntime implements PluginRuntime {
  private loaded?: Awaited<ReturnType<typeof loadAndActivate>>;
  constructor(private readonly options: RuntimeOptions) {}

  async activate(): Promise<ActivationReport> {
    this.loaded = await loadAndActivate(this.options);
    return this.loaded.report;
  }

  async computeMetric(localId: string, items: MetricBatchItem[]): Promise<Array<[string, MetricOutcome]>> {
    return computeBatch(this.loaded!.registrations, localId, items);
  }

  callOperator(localId: string, factValue: unknown, value: unknown): unknown {
    const fn = this.loaded!.registrations.operators.get(localId);
    if (!fn) throw new PluginCallError('error', `the operator ${localId} was not registered by activate()`);
    return fn(factValue, value);
  }

  async runWorkflow(localId: string, delivery: unknown, timeoutMs = this.options.timeoutMs): Promise<void> {
    const fn = this.loaded!.registrations.workflows.get(localId);
    if (!fn) throw new PluginCallError('error', `the workflow ${localId} was not registered by activate()`);
    // The handler starts first, so its own timer (a webhook's) fires before the host's backstop.
    await withTimeout(Promise.resolve(fn(delivery as never)), timeoutMs, `the workflow ${localId}`);
  }

  async runSource(localId: string, input: SourceCallInput, cursor: SourceCursor, timeoutMs: number): Promise<SourceCallResult> {
    // An asynchronous hang is cut off here; a synchronous loop in a trusted plugin cannot be.
    return withTimeout(callSource(this.loaded!.registrations, localId, input, cursor, this.options.log), timeoutMs, `the source ${localId}`);
  }

  async dispose(): Promise<void> {
    if (!this.loaded) return;
    const { module, subscriptions } = this.loaded;
    this.loaded = undefined;
    try {
      await withTimeout(Promise.resolve(module.deactivate?.()), this.options.timeoutMs, 'deactivate');
    } catch (e) {
      this.options.log.error(`deactivate failed: ${(e as Error).message}`);
    }
    disposeAll(subscriptions, (e) => this.options.log.error(`dispose failed: ${(e as Error).message}`));
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PluginCallError('timeout', `${what} ran past its time limit of ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const TYPESCRIPT = /\.(ts|mts|cts|tsx)$/;
/** Part of every cache key: a change to how entries are compiled below must not reuse older output. */
const COMPILE_FORMAT = 1;
/** The plugin API a plugin imports (`import { PLUGIN_API_VERSION } from 'appraise/plugin-api'`), wherever the plugin lives. */
const PLUGIN_API_FILE = fileURLToPath(new URL('./api.ts', import.meta.url));
const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/appraise/plugins/', import.meta.url));

let cacheRoot: string | undefined;
/**
 * node_modules/.cache/appraise/plugins, or, when this user may not write there, a folder of this
 * user's own in the temp folder (made 0700, and refused if anyone else could write to it: what
 * is in it is code that runs).
 */
function pluginCacheRoot(): string {
  if (cacheRoot) return cacheRoot;
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    accessSync(CACHE_DIR, constants.W_OK);
    return (cacheRoot = CACHE_DIR);
  } catch {
    // a checkout this user may only read
  }
  const dir = join(tmpdir(), `appraise-plugins-${process.getuid?.() ?? 'user'}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const s = lstatSync(dir);
  if (!s.isDirectory() || (process.getuid && s.uid !== process.getuid()) || (s.mode & 0o022) !== 0) {
    throw new Error(`${dir}, where TypeScript plugins are compiled when node_modules/.cache may not be written, is not a folder of this user's that only this user may write; remove it`);
  }
  return (cacheRoot = dir);
}

interface CompiledEntry {
  format: number;
  main: string;
  /** Every file of the plugin's that went into the output (not packages: Node loads those). */
  inputs: string[];
  /** Of the inputs' contents, in order. */
  hash: string;
  file: string;
}

/** The hash of an entry's inputs (path → contents); undefined when one cannot be read. */
function inputsHash(main: string, inputs: Array<[string, Buffer | undefined]>): string | undefined {
  const h = createHash('sha256').update(`${COMPILE_FORMAT}\0${main}\0`);
  for (const [f, bytes] of [...inputs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!bytes) return undefined; // a file gone: compile again
    h.update(`${f}\0`).update(bytes).update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

/** Reads without blocking: a server loads plugins while it answers requests. */
const readOrUndefined = (file: string): Promise<Buffer | undefined> => readFile(file).catch(() => undefined);

/** The compiled entry recorded for `main` in `dir`, if its inputs still hash to what was compiled. */
async function compiledEntry(main: string, dir: string): Promise<CompiledEntry | undefined> {
  const text = await readOrUndefined(join(dir, 'entry.json'));
  if (!text) return undefined;
  let entry: CompiledEntry;
  try {
    entry = JSON.parse(text.toString('utf8')) as CompiledEntry;
  } catch {
    return undefined; // being written by another process: compile (the same) again
  }
  if (entry.format !== COMPILE_FORMAT || entry.main !== main || !Array.isArray(entry.inputs)) return undefined;
  const inputs = await Promise.all(entry.inputs.map(async (f): Promise<[string, Buffer | undefined]> => [f, await readOrUndefined(f)]));
  if (inputsHash(main, inputs) !== entry.hash) return undefined;
  return (await access(join(dir, entry.file)).then(() => true, () => false)) ? entry : undefined;
}

const LOADERS = { ts: 'ts', mts: 'ts', cts: 'ts', tsx: 'tsx', js: 'js', mjs: 'js', cjs: 'js', jsx: 'jsx', json: 'json' } as const;

/**
 * The URL to import a plugin's entry module from. A JavaScript entry is imported as it is. A
 * TypeScript entry is bundled with its own files by esbuild (packages stay imports, resolved
 * from the plugin's folder as Node would) into the plugin cache, keyed by the entry's path; it is
 * compiled again only when the contents of a file it was built from changed (a hash of a few
 * small files per load). Stack traces point at the TypeScript source (inline source map).
 */
export async function pluginEntryUrl(main: string): Promise<string> {
  if (!TYPESCRIPT.test(main)) return pathToFileURL(main).href;
  const dir = join(pluginCacheRoot(), `${basename(dirname(main))}-${createHash('sha256').update(main).digest('hex').slice(0, 16)}`);
  const entry = (await compiledEntry(main, dir)) ?? (await compileEntry(main, dir));
  process.setSourceMapsEnabled(true);
  return pathToFileURL(join(dir, entry.file)).href;
}

async function compileEntry(main: string, dir: string): Promise<CompiledEntry> {
  const { build } = await import('esbuild');
  const outfile = join(dir, 'entry.mjs');
  const read = new Map<string, Buffer>();
  const result = await build({
    entryPoints: [main],
    outfile,
    write: false,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'silent',
    // Each module keeps its own location (`new URL('./schema.json', import.meta.url)`).
    define: { 'import.meta.url': '__appraise_module_url', 'import.meta.filename': '__appraise_module_file', 'import.meta.dirname': '__appraise_module_dir' },
    plugins: [{
      name: 'appraise-plugin',
      setup(b) {
        b.onResolve({ filter: /^appraise\/plugin-api$/ }, () => ({ path: PLUGIN_API_FILE }));
        // Packages and Node's modules stay imports, by absolute URL since the output lives in the
        // cache; a TypeScript file reached through a package name (tsconfig paths) is bundled.
        b.onResolve({ filter: /^[^./]/ }, async (args) => {
          if (args.pluginData === 'appraise-resolving') return undefined;
          if (isBuiltin(args.path)) return { path: args.path, external: true };
          const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'appraise-resolving' });
          if (r.errors.length) return { errors: r.errors };
          if (r.external || TYPESCRIPT.test(r.path)) return r;
          return { path: pathToFileURL(r.path).href, external: true };
        });
        // Every file is read here, once: the cache key is the hash of exactly what was compiled.
        b.onLoad({ filter: /\.([cm]?[jt]sx?|json)$/ }, (args) => {
          const bytes = readFileSync(args.path);
          read.set(args.path, bytes);
          const loader = LOADERS[args.path.slice(args.path.lastIndexOf('.') + 1) as keyof typeof LOADERS];
          const text = bytes.toString('utf8');
          if (loader === 'json' || !text.includes('import.meta.')) return { contents: bytes, loader };
          const url = pathToFileURL(args.path).href;
          const prelude = `const __appraise_module_url = ${JSON.stringify(url)}, __appraise_module_file = ${JSON.stringify(args.path)}, __appraise_module_dir = ${JSON.stringify(args.path.slice(0, args.path.lastIndexOf(sep)))}; `;
          return { contents: prelude + text, loader };
        });
      },
    }],
  }).catch((e: { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }) => {
    const first = e.errors?.[0];
    if (!first) throw e;
    const at = first.location ? `${resolve(first.location.file)}:${first.location.line}:${first.location.column + 1}: ` : '';
    throw new Error(`${main} does not compile: ${at}${first.text}${e.errors!.length > 1 ? ` (and ${e.errors!.length - 1} more)` : ''}`);
  });
  const inputs = [...read.keys()].sort();
  const hash = inputsHash(main, inputs.map((f) => [f, read.get(f)]))!;
  const file = `entry-${hash}.mjs`;
  const code = result.outputFiles!.find((o) => o.path.endsWith('.mjs'))!.text;
  mkdirSync(dir, { recursive: true });
  const tmp = `${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(join(dir, tmp), code);
  renameSync(join(dir, tmp), join(dir, file));
  const entry: CompiledEntry = { format: COMPILE_FORMAT, main, inputs, hash, file };
  writeFileSync(join(dir, tmp), JSON.stringify(entry, null, 2) + '\n');
  renameSync(join(dir, tmp), join(dir, 'entry.json'));
  // Older compilations of this entry (a process that still imports one has read it already),
  // and those of entries that are gone (temp folders, removed plugins).
  for (const f of readdirSync(dir)) if (/^entry-[0-9a-f]+\.mjs$/.test(f) && f !== file) rmSync(join(dir, f), { force: true });
  for (const other of readdirSync(dirname(dir))) {
    try {
      const { main: otherMain } = JSON.parse(readFileSync(join(dirname(dir), other, 'entry.json'), 'utf8')) as CompiledEntry;
      if (!existsSync(otherMain)) rmSync(join(dirname(dir), other), { recursive: true, force: true });
    } catch {
      // being written by another process, or not ours: leave it
    }
  }
  return entry;
}
