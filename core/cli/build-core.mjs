// The core compiled to JavaScript, so that a command starts without compiling TypeScript.
//
// esbuild bundles core/ (ESM, node20, node_modules left external, code splitting so that lazy
// imports stay lazy) into dist/<id>/, where <id> is a hash of the sources' contents. The build
// runs at `npm install` (the `prepare` script) and again whenever a command finds it stale:
// `appraise.mjs` calls coreBuild() at each start, which compares a fingerprint of the sources
// (path, size, mtime, ctime and inode of every file under core/, and tsconfig.json: one stat
// walk, a few ms) with the one recorded in dist/current.json. When the fingerprint differs, the
// contents are hashed: an unchanged tree (a `git checkout` that rewrote files) reuses its build;
// a changed one is built again (under a second). A stale build is never run: when no fresh
// build can be had (a folder this user may not write, a compile error), coreBuild() returns
// undefined and the caller runs the TypeScript sources through tsx.
//
// Paths relative to a module (`new URL('../../schemas/', import.meta.url)`) keep pointing where
// they point in the sources: each module's `import.meta.url` is its source file's URL, computed
// from the bundle's own location, so schemas, migrations, rules, the UI and the worker entry
// files are found in the checkout, and dist/ can move with it.
//
// `node core/cli/build-core.mjs` builds (if needed) and says where.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, 'current.json');
const LOCK = join(DIST, '.building');
/** The modules a process or thread starts from; everything else is a chunk they share. */
export const ENTRIES = { cli: 'core/cli/boundary.ts', 'decide-worker': 'core/evaluate/decide-worker.ts', 'worker-main': 'core/plugins/worker-main.ts' };
/** Files that esbuild reads: sources and their settings. SQL, Markdown and the like are read at run time from core/. */
const SOURCE = /\.(ts|mts|cts|tsx|js|mjs|cjs|json)$/;
/** Builds kept besides the current one, for processes still running from them. */
const KEEP_PREVIOUS = 2;
/** How long to wait for another process's build before running the sources instead. */
const WAIT_MS = 30_000;

/**
 * The source files the build depends on, relative to ROOT: everything esbuild may read under
 * core/, tsconfig.json, and the files outside core/ that the last build bundled (`extra`).
 */
function sources(extra = []) {
  const out = [];
  const walk = (rel) => {
    for (const e of readdirSync(join(ROOT, rel), { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const path = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else if (SOURCE.test(e.name)) out.push(path);
    }
  };
  walk('core');
  out.push('tsconfig.json', ...extra.filter((f) => typeof f === 'string' && !out.includes(f)));
  out.sort();
  return out;
}

function statOrNull(file) {
  try {
    return statSync(file);
  } catch {
    return null; // a file the last build bundled that is gone: the tree changed
  }
}

/** One line per file, kept whole in the stamp: comparing it costs less than hashing it. */
function fingerprint(files) {
  let out = '';
  for (const f of files) {
    const s = statOrNull(join(ROOT, f));
    out += s ? `${f} ${s.size} ${s.mtimeMs} ${s.ctimeMs} ${s.ino}\n` : `${f} gone\n`;
  }
  return out;
}

async function contentId(files) {
  const { createHash } = await import('node:crypto');
  const h = createHash('sha256');
  for (const f of files) h.update(`${f}\0`).update(statOrNull(join(ROOT, f)) ? readFileSync(join(ROOT, f)) : 'gone').update('\0');
  return h.digest('hex').slice(0, 16);
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8'));
  } catch {
    return undefined;
  }
}

function writeAtomic(file, text) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

const complete = (id) => typeof id === 'string' && /^[0-9a-f]{16}$/.test(id) && existsSync(join(DIST, id, 'cli.js'));

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/**
 * The build of the current sources: `{ id, dir }`, built now if needed; undefined when no fresh
 * build can be had (then run the sources). Never throws; `onError` hears why there is none.
 */
export async function coreBuild({ onError } = {}) {
  try {
    // Sources edited while esbuild read them make that build unusable; the next try sees them.
    // So does a build that found the core importing a file outside core/.
    for (let attempt = 1; ; attempt++) {
      try {
        return await freshBuild();
      } catch (e) {
        if (!(e instanceof SourcesChanged) || attempt === 3) throw e;
      }
    }
  } catch (e) {
    onError?.(e);
    return undefined;
  }
}

class SourcesChanged extends Error {}

/** The stamped build when the fingerprint matches; else the build of the contents, made if missing. */
async function freshBuild() {
  const stamp = readStamp();
  const extra = Array.isArray(stamp?.extra) ? stamp.extra : [];
  const files = sources(extra);
  const print = fingerprint(files);
  if (stamp?.fingerprint === print && complete(stamp.id)) return { id: stamp.id, dir: join(DIST, stamp.id) };
  const id = await contentId(files);
  if (!complete(id)) await buildLocked(id, files, print);
  if (!complete(id)) return undefined;
  const built = readBuildInfo(id);
  // A build that bundled a file outside the fingerprinted ones: from now on that file is part of
  // the fingerprint and of the contents' hash, so build again with it (once, when the core first
  // imports it).
  if (built.extra.some((f) => !files.includes(f))) {
    writeAtomic(STAMP, JSON.stringify({ id: null, fingerprint: null, extra: [...new Set([...extra, ...built.extra])].sort() }) + '\n');
    throw new SourcesChanged('the core bundles files outside core/');
  }
  // Another process may have stamped a newer tree meanwhile; this one's sources are `id`.
  try {
    writeAtomic(STAMP, JSON.stringify({ id, fingerprint: print, extra: built.extra }) + '\n');
  } catch {
    // A folder this user may read but not write: the build is fresh all the same.
  }
  return { id, dir: join(DIST, id) };
}

function readBuildInfo(id) {
  try {
    const info = JSON.parse(readFileSync(join(DIST, id, 'build.json'), 'utf8'));
    return { extra: Array.isArray(info.extra) ? info.extra : [] };
  } catch {
    return { extra: [] };
  }
}

/** Builds `id` under a lock, or waits for the process that is building. */
async function buildLocked(id, files, print) {
  mkdirSync(DIST, { recursive: true });
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    // A lock whose process is gone, or older than any build takes (its pid reused), is stale.
    let holder = 0;
    let since = Date.now();
    try {
      holder = Number(readFileSync(LOCK, 'utf8').trim() || '0');
      since = statSync(LOCK).mtimeMs;
    } catch {
      continue; // released meanwhile
    }
    if ((holder && !alive(holder)) || Date.now() - since > WAIT_MS) {
      rmSync(LOCK, { force: true });
      continue;
    }
    if (complete(id) || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    if (!complete(id)) await build(id, files, print);
  } finally {
    rmSync(LOCK, { force: true });
  }
}

async function build(id, files, print) {
  const { build: esbuild } = await import('esbuild');
  const final = join(DIST, id);
  const tmp = join(DIST, `.tmp-${id}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  const result = await esbuild({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: tmp,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'silent',
    metafile: true,
    // The build's identity, for caches that must not outlive it (plugin discovery).
    define: { __APPRAISE_BUILD__: JSON.stringify(id), 'import.meta.url': '__appraise_module_url' },
    plugins: [sourceUrls(final)],
  });
  if (fingerprint(files) !== print) {
    rmSync(tmp, { recursive: true, force: true });
    throw new SourcesChanged('the sources changed while they were compiled');
  }
  // Sources outside core/ that the core imported (none today): they join the fingerprint.
  const extra = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('core/') && !f.includes('node_modules/') && !f.includes(':') && !files.includes(f)).sort();
  writeFileSync(join(tmp, 'build.json'), JSON.stringify({ id, builtAt: new Date().toISOString(), sources: files.length, extra }) + '\n');
  try {
    renameSync(tmp, final);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (!complete(id)) throw e;
  }
  prune(id);
}

/**
 * Gives every module that reads `import.meta.url` its source file's URL (relative to where the
 * bundle lives, so dist/ moves with the checkout). The define above turns each real
 * `import.meta.url` into this per-module constant; text in strings and templates is left alone.
 */
function sourceUrls(outDir) {
  return {
    name: 'appraise-source-urls',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const rel = relative(outDir, args.path).split(sep).join('/');
        // One line, prepended to the first: the source map's lines stay the source's.
        const prelude = `const __appraise_import_meta = import.meta; const __appraise_module_url = new URL(${JSON.stringify(rel)}, __appraise_import_meta.url).href; `;
        return { contents: prelude + text, loader: args.path.endsWith('.mjs') || args.path.endsWith('.js') ? 'js' : 'ts' };
      });
    },
  };
}

/** Removes builds other than the current one and the newest few before it, and abandoned temp folders. */
function prune(current) {
  try {
    const dirs = readdirSync(DIST, { withFileTypes: true }).filter((e) => e.isDirectory());
    const builds = dirs
      .filter((e) => /^[0-9a-f]{16}$/.test(e.name) && e.name !== current)
      .map((e) => ({ name: e.name, at: statSync(join(DIST, e.name)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    for (const old of builds.slice(KEEP_PREVIOUS)) rmSync(join(DIST, old.name), { recursive: true, force: true });
    for (const e of dirs) {
      const pid = Number(/^\.tmp-[0-9a-f]+-(\d+)$/.exec(e.name)?.[1]);
      if (pid && !alive(pid)) rmSync(join(DIST, e.name), { recursive: true, force: true });
    }
  } catch {
    // Pruning is housekeeping: a failure costs disk space, never a command.
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  let why = 'another process is still building it';
  const b = await coreBuild({ onError: (e) => (why = String(e?.message ?? e).split('\n').slice(0, 6).join('\n')) });
  if (b) {
    console.log(`appraise: the core is compiled in ${relative(ROOT, b.dir)} (${Math.round(performance.now() - started)} ms)`);
  } else {
    // Not fatal for `npm install`: commands run the TypeScript sources until a build succeeds.
    console.warn(`appraise: the core could not be compiled, so commands will compile TypeScript at each start: ${why}`);
  }
}
