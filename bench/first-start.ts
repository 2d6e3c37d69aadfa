// What a new user waits for after `npm install`: `appraise start` (what `npm start` runs, without
// npm's own start-up) on a new store folder, until /api/health answers; and how much memory the
// server keeps then (VmRSS) and held at most (VmHWM). Median of `runs`, each on its own folder.
// Standalone: `node --import tsx bench/first-start.ts [runs]`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, ms } from './stats.ts';

export interface FirstStart {
  healthMs: number;
  rssMb: number;
  peakRssMb: number;
  runs: Array<{ healthMs: number; rssMb: number; peakRssMb: number }>;
}

const freePort = () => new Promise<number>((done) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => done(port));
  });
});

function memoryMb(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakRssMb: Math.round(kb('VmHWM') / 1024) };
}

async function once(root: string): Promise<FirstStart['runs'][number]> {
  const dir = mkdtempSync(join(tmpdir(), 'appraise-bench-start-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'core', 'cli', 'appraise.mjs'), 'start', '--data-dir', join(dir, 'store'), '--port', String(port)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (b) => (output += b));
  child.stderr.on('data', (b) => (output += b));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`appraise start exited with ${child.exitCode}:\n${output}`);
      const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const healthMs = performance.now() - started;
    await new Promise((r) => setTimeout(r, 1000)); // what it keeps once serving, not a moment's peak
    return { healthMs: ms(healthMs), ...memoryMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function firstStart(root: string, runs = 3): Promise<FirstStart> {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await once(root));
  return summarise(all);
}

function summarise(all: FirstStart['runs']): FirstStart {
  return {
    healthMs: ms(median(all.map((r) => r.healthMs))),
    rssMb: median(all.map((r) => r.rssMb)),
    peakRssMb: median(all.map((r) => r.peakRssMb)),
    runs: all,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Further arguments are other checkouts (an earlier commit's worktree), measured in turn with
  // this one, run by run, so that both see the same load.
  const roots = [fileURLToPath(new URL('..', import.meta.url)), ...process.argv.slice(3).map((r) => resolve(r))];
  const runs = Number(process.argv[2] ?? 3);
  const all = new Map<string, FirstStart['runs']>(roots.map((r) => [r, []]));
  for (let i = 0; i < runs; i++) for (const r of roots) all.get(r)!.push(await once(r));
  for (const [root, rs] of all) {
    const f = summarise(rs);
    console.log(`${root}: appraise start on a new store: health after ${f.healthMs} ms (median of ${rs.length}: ${rs.map((r) => r.healthMs).join(', ')}); server RSS ${f.rssMb} MB, peak ${f.peakRssMb} MB`);
  }
}
