// Builds the admin UI (ui/, Lit elements in TypeScript) into ui/dist with esbuild: one ES
// module bundle (app.js, with every library inside: no CDN), app.css and index.html.
// `npm run build` runs this file; `serve` and `start` call ensureUiBuilt(), which rebuilds only
// when ui/dist is missing or older than a source, so a normal start costs one directory walk.
// The UI also bundles a few pure core modules (operator words, durations): each build records
// them in app.inputs.json, so a change to one of them makes the build stale too.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const UI_SRC_DIR = fileURLToPath(new URL('../../ui/', import.meta.url));
export const UI_DIST_DIR = join(UI_SRC_DIR, 'dist');
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STATIC_FILES = ['index.html', 'app.css'];
/** The bundle's sources outside the UI's folder and node_modules, relative to the repository. */
const INPUTS_FILE = 'app.inputs.json';

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
  const outputs = ['app.js', INPUTS_FILE, ...STATIC_FILES].map((f) => join(outDir, f));
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
    entryPoints: [join(srcDir, 'main.ts')],
    outfile: join(outDir, 'app.js'),
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
  // Every file is replaced whole (written beside it, then renamed): a server reading ui/dist while
  // another process builds it never serves half a bundle.
  const replace = (file: string, write: (tmp: string) => void) => {
    const tmp = `${file}.${process.pid}.tmp`;
    write(tmp);
    renameSync(tmp, file);
  };
  for (const out of result.outputFiles) replace(out.path, (tmp) => writeFileSync(tmp, out.contents));
  for (const f of STATIC_FILES) replace(join(outDir, f), (tmp) => copyFileSync(join(srcDir, f), tmp));
  const outside = Object.keys(result.metafile.inputs)
    .map((f) => resolve(ROOT, f))
    .filter((f) => !f.split(/[\\/]/).includes('node_modules') && !isInside(srcDir, f))
    .map((f) => relative(ROOT, f));
  replace(join(outDir, INPUTS_FILE), (tmp) => writeFileSync(tmp, `${JSON.stringify(outside, null, 2)}\n`));
  const bytes = Object.values(result.metafile.outputs).reduce((s, x) => s + x.bytes, 0);
  return { outDir, ms: Math.round(performance.now() - started), bytes };
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
