// Builds the admin UI (ui/, Lit elements in TypeScript) into ui/dist with esbuild: one ES
// module bundle (app-<hash>.js, with every library inside: no CDN), app-<hash>.css and an
// index.html that names them. The content hash in a name lets the server tell browsers to keep
// the file for a year (a new build is a new name); each file over 1 KB gets a gzip and a brotli
// copy at the highest levels, served as they are (no compression per request).
// `npm run build` runs this file; `serve` and `start` call ensureUiBuilt(), which rebuilds only
// when ui/dist is missing or older than a source, so a normal start costs one directory walk.
// The UI also bundles a few pure core modules (operator words, durations): each build records
// them in app.inputs.json, so a change to one of them makes the build stale too.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export const UI_SRC_DIR = fileURLToPath(new URL('../../ui/', import.meta.url));
export const UI_DIST_DIR = join(UI_SRC_DIR, 'dist');
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The bundle's sources outside the UI's folder and node_modules, relative to the repository. */
const INPUTS_FILE = 'app.inputs.json';
/** What the JavaScript is made of: its files and each package's (or UI folder's) minified bytes. */
export const PARTS_FILE = 'app.parts.json';
/**
 * A built file whose name carries esbuild's content hash (8 characters of base32), with its map
 * and licence text: never changes under its name.
 */
export const HASHED_ASSET = /^[\w-]+-[A-Z2-7]{8}\.(js|css)(\.map|\.LEGAL\.txt)?$/;
/** Smaller files gain nothing from compression (the server's threshold for responses too). */
const PRECOMPRESS_MIN_BYTES = 1024;

export interface BundleParts {
  /** The JavaScript files the page loads, in ui/dist. */
  js: string[];
  /** Minified bytes in those files per npm package, or per folder of this repository (`ui/elements`). */
  parts: Record<string, number>;
}

/** The files ui/dist/index.html references (`/app-….js`), relative to ui/dist. */
export function referencedAssets(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="\/([^"/?#]+)"/g)].map((m) => m[1]);
}

/** The newest modification time (ms) of the UI's sources and the dependency lock. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The newest modification time of the sources outside the UI's folder the last build bundled (Infinity when one is gone). */
function newestOutsideInput(outDir: string): number {
  let inputs: string[];
  try {
    inputs = JSON.parse(readFileSync(join(outDir, INPUTS_FILE), 'utf8')) as string[];
  } catch {
    return Infinity; // unreadable (another process writing it): build again
  }
  return Math.max(0, ...inputs.map((f) => join(ROOT, f)).map((f) => (existsSync(f) ? statSync(f).mtimeMs : Infinity)));
}

/** Whether ui/dist is missing a file or older than a source (or than package-lock.json). */
export function uiIsStale(srcDir = UI_SRC_DIR, outDir = join(srcDir, 'dist')): boolean {
  let html: string;
  try {
    html = readFileSync(join(outDir, 'index.html'), 'utf8');
  } catch {
    return true;
  }
  const outputs = ['index.html', INPUTS_FILE, PARTS_FILE, ...referencedAssets(html)].map((f) => join(outDir, f));
  if (outputs.some((f) => !existsSync(f))) return true;
  const built = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  const lock = join(ROOT, 'package-lock.json');
  return Math.max(newestSource(srcDir), newestOutsideInput(outDir), existsSync(lock) ? statSync(lock).mtimeMs : 0) > built;
}

export interface UiBuild {
  outDir: string;
  ms: number;
  bytes: number;
}

export async function buildUi(o: { srcDir?: string; outDir?: string; minify?: boolean } = {}): Promise<UiBuild> {
  const srcDir = o.srcDir ?? UI_SRC_DIR;
  const outDir = o.outDir ?? join(srcDir, 'dist');
  const started = performance.now();
  // esbuild is a dev dependency: imported only when a build is needed.
  const { build } = await import('esbuild');
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    // Both named `app`: the page loads app-<hash>.js and app-<hash>.css.
    entryPoints: [{ in: join(srcDir, 'main.ts'), out: 'app' }, { in: join(srcDir, 'app.css'), out: 'app' }],
    outdir: outDir,
    entryNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    minify: o.minify ?? true,
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'silent',
    metafile: true,
    // Inputs are named relative to this folder, whatever the process's working directory.
    absWorkingDir: ROOT,
    write: false,
  });
  const outputs = Object.entries(result.metafile.outputs).map(([file, meta]) => ({ name: basename(file), ...meta }));
  const entry = (ext: string) => outputs.find((x) => x.entryPoint && x.name.endsWith(ext))!.name;
  let html = readFileSync(join(srcDir, 'index.html'), 'utf8');
  for (const [plain, hashed] of [['app.js', entry('.js')], ['app.css', entry('.css')]]) {
    if (!html.includes(`"/${plain}"`)) throw new Error(`ui/index.html must load /${plain}: the build replaces that name with the hashed file's (${hashed}).`);
    html = html.replaceAll(`"/${plain}"`, `"/${hashed}"`);
  }
  const js = outputs.filter((x) => x.name.endsWith('.js'));
  const parts: BundleParts = { js: js.map((x) => x.name), parts: {} };
  for (const [input, { bytesInOutput }] of js.flatMap((x) => Object.entries(x.inputs))) {
    const key = partOf(input);
    parts.parts[key] = (parts.parts[key] ?? 0) + bytesInOutput;
  }

  // Every file is replaced whole (written beside it, then renamed): a server reading ui/dist while
  // another process builds it never serves half a bundle. index.html, which names the others, is
  // replaced after them, so it never names a file that is not there yet.
  const replace = (file: string, contents: Uint8Array | string) => {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, contents);
    renameSync(tmp, file);
  };
  await Promise.all(result.outputFiles.map(async (out) => {
    replace(out.path, out.contents);
    if (/\.(js|css)$/.test(out.path) && out.contents.length >= PRECOMPRESS_MIN_BYTES) {
      const [gz, br] = await Promise.all([
        gzipAsync(out.contents, { level: 9 }),
        // Quality 10, not 11: 1.6% larger (218.6 vs 215.1 KB) in about 60% of the time, and the
        // build runs at install, at a start with a stale UI and in each browser test's setup.
        brotliAsync(out.contents, { params: { [constants.BROTLI_PARAM_QUALITY]: 10, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: out.contents.length } }),
      ]);
      replace(`${out.path}.gz`, gz);
      replace(`${out.path}.br`, br);
    }
  }));
  const previous = existsSync(join(outDir, 'index.html')) ? referencedAssets(readFileSync(join(outDir, 'index.html'), 'utf8')) : [];
  replace(join(outDir, 'index.html'), html);
  replace(join(outDir, PARTS_FILE), `${JSON.stringify(parts, null, 2)}\n`);
  const outside = Object.keys(result.metafile.inputs)
    .map((f) => resolve(ROOT, f))
    .filter((f) => !f.split(/[\\/]/).includes('node_modules') && !isInside(srcDir, f))
    .map((f) => relative(ROOT, f));
  replace(join(outDir, INPUTS_FILE), `${JSON.stringify(outside, null, 2)}\n`);
  removeOlderBuilds(outDir, new Set([...referencedAssets(html), ...previous]));
  const bytes = outputs.reduce((s, x) => s + x.bytes, 0);
  return { outDir, ms: Math.round(performance.now() - started), bytes };
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** `node_modules/@codemirror/view/dist/index.js` is `@codemirror/view`; `ui/elements/x.ts` is `ui/elements`. */
function partOf(input: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return pkg ? pkg[1] : input.split('/').slice(0, 2).join('/');
}

/**
 * Removes the files of builds before the previous one. The previous build's stay: a page loaded
 * just before this build still asks for them, and the browser tests build while other tests'
 * servers serve ui/dist.
 */
function removeOlderBuilds(outDir: string, keep: Set<string>): void {
  for (const name of readdirSync(outDir)) {
    if (!/^app[-.]/.test(name) || name === INPUTS_FILE || name === PARTS_FILE || name.endsWith('.tmp')) continue;
    const asset = name.replace(/\.(gz|br)$/, '').replace(/\.(map|LEGAL\.txt)$/, '');
    if (!keep.has(asset)) rmSync(join(outDir, name), { force: true });
  }
}

function isInside(dir: string, file: string): boolean {
  const r = relative(dir, file);
  return r !== '' && !r.startsWith('..') && !isAbsolute(r);
}

/** Builds the UI when it is missing or stale; a failure is reported, never fatal to the server. */
export async function ensureUiBuilt(say: (message: string) => void = console.log): Promise<void> {
  try {
    if (!uiIsStale()) return;
    say('building the admin UI (ui/ → ui/dist)…');
    const b = await buildUi();
    say(`built the admin UI in ${b.ms} ms (${Math.round(b.bytes / 1024)} KB)`);
  } catch (e) {
    const missing = (e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
    say(missing
      ? 'The admin UI is not built and esbuild is not installed: run `npm install` then `npm run build`. The API is served all the same.'
      : `The admin UI could not be built: ${(e as Error).message.split('\n')[0]}. The API is served all the same; run \`npm run build\` to see every error.`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const b = await buildUi();
    console.log(`built ${b.outDir} in ${b.ms} ms (${Math.round(b.bytes / 1024)} KB)`);
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  }
}
