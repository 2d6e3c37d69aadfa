// Writes a generated organisation to a folder: employees.ndjson, one NDJSON file per record kind,
// cases.ndjson, and manifest.json last (a folder with a manifest is complete). One employee at a
// time, encoded into 1 MB chunks, written with backpressure: memory stays flat at any size.
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateOrganisationSync, horizonOf, resolveOptions } from './generate.ts';
import { RECORD_KINDS, type Archetype, type DemoOptions, type DemoRecord, type DemoRecordKind } from './types.ts';

const CHUNK_BYTES = 1 << 20;

export const EMPLOYEES_FILE = 'employees.ndjson';
export const CASES_FILE = 'cases.ndjson';
export const MANIFEST_FILE = 'manifest.json';
export const recordFile = (kind: DemoRecordKind) => `${kind}.ndjson`;

class NdjsonFile {
  private readonly stream: WriteStream;
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  lines = 0;
  bytes = 0;

  private error: Error | undefined;

  constructor(readonly name: string, dir: string, readonly kind?: DemoRecordKind) {
    this.stream = createWriteStream(join(dir, name));
    // Kept for the next await: an unheard 'error' event would end the process.
    this.stream.on('error', (e) => {
      this.error ??= e;
    });
  }

  push(value: unknown): void {
    this.pushLine(JSON.stringify(value) + '\n');
  }

  /** A record line; ids and instants are generated text that never needs escaping. */
  pushRecord(r: DemoRecord): void {
    this.pushLine(`{"employeeId":"${r.employeeId}","occurredAt":"${r.occurredAt}","externalId":"${r.externalId}","payload":${JSON.stringify(r.payload)}}\n`);
  }

  // Lines are encoded straight into the chunk (no joined string, no copy): the generator
  // writes hundreds of megabytes, and garbage is its main cost after drawing the numbers.
  private pushLine(line: string): void {
    if (this.used + line.length * 3 > this.chunk.length) {
      this.handOff();
      if (line.length * 3 > this.chunk.length) this.chunk = Buffer.allocUnsafe(line.length * 3);
    }
    this.used += this.chunk.write(line, this.used, 'utf8');
    this.lines++;
  }

  /** Set when the stream asked to wait; listening starts at once, so no 'drain' is missed. */
  private draining: Promise<unknown> | undefined;

  private handOff(): void {
    if (this.used === 0) return;
    const full = this.chunk.subarray(0, this.used);
    this.bytes += this.used;
    this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
    if (!this.stream.write(full) && !this.draining) this.draining = once(this.stream, 'drain');
  }

  /** Waits while the stream's buffer is full (backpressure); otherwise resolves at once. */
  async drained(): Promise<void> {
    if (this.error) throw this.error;
    if (!this.draining) return;
    await this.draining;
    this.draining = undefined;
  }

  async close(): Promise<void> {
    if (!this.error) this.handOff();
    if (this.error) {
      this.stream.destroy();
      throw this.error;
    }
    const finished = once(this.stream, 'finish');
    this.stream.end();
    await finished;
  }
}

export interface Manifest {
  generator: 'appraise demo generate';
  formatVersion: 1;
  seed: number;
  asOf: string;
  horizon: { from: string; to: string };
  employees: number;
  recordsPerEmployee: number;
  counts: { employees: number; records: Record<DemoRecordKind, number>; recordsTotal: number; cases: number };
  files: Array<{ name: string; kind?: DemoRecordKind; lines: number; bytes: number }>;
  /** How many support agents and sales reps were designed as each archetype. */
  archetypes: Record<'support' | 'sales', Record<Archetype, number>>;
}

export interface WriteProgress {
  employeesDone: number;
  employeesTotal: number;
  records: number;
  bytes: number;
}

export async function writeOrganisation(options: DemoOptions, dir: string, onProgress?: (p: WriteProgress) => void): Promise<Manifest> {
  const o = resolveOptions(options);
  await mkdir(dir, { recursive: true });
  // An old manifest would vouch for files that are about to be rewritten.
  await rm(join(dir, MANIFEST_FILE), { force: true });
  const employees = new NdjsonFile(EMPLOYEES_FILE, dir);
  const records = Object.fromEntries(RECORD_KINDS.map((k) => [k, new NdjsonFile(recordFile(k), dir, k)])) as Record<DemoRecordKind, NdjsonFile>;
  const cases = new NdjsonFile(CASES_FILE, dir);
  const all = [employees, ...RECORD_KINDS.map((k) => records[k]), cases];
  const emptyArchetypes = (): Record<Archetype, number> => ({ stable: 0, improving: 0, declining: 0, dip: 0, star: 0 });
  const archetypes = { support: emptyArchetypes(), sales: emptyArchetypes() };
  let done = 0;
  let recordCount = 0;
  try {
    for (const batch of generateOrganisationSync(o)) {
      employees.push(batch.employee);
      for (const kind of RECORD_KINDS) {
        const file = records[kind];
        for (const r of batch.records[kind]) file.pushRecord(r);
        recordCount += batch.records[kind].length;
      }
      for (const c of batch.cases) cases.push(c);
      const { track, level } = batch.plan;
      if (level === 'member' && (track === 'support' || track === 'sales')) archetypes[track][batch.plan.archetype]++;
      for (const f of all) await f.drained();
      done++;
      if (onProgress && (done % 250 === 0 || done === o.employees)) {
        onProgress({ employeesDone: done, employeesTotal: o.employees, records: recordCount, bytes: all.reduce((a, f) => a + f.bytes, 0) });
      }
    }
  } catch (e) {
    await Promise.allSettled(all.map((f) => f.close()));
    throw e;
  }
  await Promise.all(all.map((f) => f.close()));
  const counts = Object.fromEntries(RECORD_KINDS.map((k) => [k, records[k].lines])) as Record<DemoRecordKind, number>;
  const manifest: Manifest = {
    generator: 'appraise demo generate',
    formatVersion: 1,
    seed: o.seed,
    asOf: new Date(o.asOfMs).toISOString(),
    horizon: horizonOf(o),
    employees: o.employees,
    recordsPerEmployee: o.recordsPerEmployee,
    counts: { employees: employees.lines, records: counts, recordsTotal: recordCount, cases: cases.lines },
    files: all.map((f) => ({ name: f.name, ...(f.kind ? { kind: f.kind } : {}), lines: f.lines, bytes: f.bytes })),
    archetypes,
  };
  await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
