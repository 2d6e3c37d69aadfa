// The DuckDB anchor: the same organisation's records loaded into DuckDB (in memory), one table
// per record kind with typed columns derived from the kind's JSON Schema (integer → SMALLINT or
// BIGINT, number → DOUBLE, date-time → TIMESTAMPTZ, date → DATE, boolean → BOOLEAN, other
// strings and enums → VARCHAR), and the 12 metric queries of the shipped policies that the floor
// (bench/floor.ts) writes by hand over JSONB, here over typed columns. It is the figure a data
// analyst would reach for, and the ratio for the compute phase to beat; it is not the product's
// store. DuckDB is a dependency of the bench only (bench/package.json), installed on first use.
//
// It runs in a child process (`node --import tsx bench/duckdb-anchor.ts`, input as JSON on
// stdin, figures as JSON on stdout) so that DuckDB's memory and threads stay out of the
// product's figures (peak RSS) and a failure there costs the anchor, not the benchmark.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, ms } from './stats.ts';

const BENCH = fileURLToPath(new URL('.', import.meta.url));
const DAY = 86_400_000;

export interface AnchorInput {
  /** The generated organisation: one `<kind>.ndjson` per record kind. */
  orgDir: string;
  asOf: string;
  kinds: Array<{ id: string; schema: Record<string, unknown> }>;
  /** The store's cases (the history query reads them), as the compute phase saw them. */
  cases: Array<{ employee_id: string; type: string; status: string; opened_at: string }>;
  /** Records per kind in the product's store, to check that both hold the same data. */
  storeCounts: Record<string, number>;
  rounds: number;
}

export interface AnchorResult {
  duckdb: string;
  threads: number;
  loadMs: number;
  rows: Record<string, number>;
  /** The 12 queries one after the other, results read into JavaScript maps: median of `rounds` after a warm-up. */
  medianMs: number;
  roundsMs: number[];
  queries: Array<{ name: string; medianMs: number; groups: number }>;
}

export type Anchor = AnchorResult | { skipped: string };

/** Installs the bench's own dependencies on first use; the reason when that fails. */
function ensureInstalled(): string | undefined {
  if (existsSync(join(BENCH, 'node_modules', '@duckdb', 'node-api', 'package.json'))) return undefined;
  console.log('DuckDB anchor: installing its dependency once (npm install --prefix bench, @duckdb/node-api; the product does not use it)');
  const r = spawnSync('npm', ['install', '--prefix', BENCH, '--no-audit', '--no-fund'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) return `npm could not be started: ${r.error.message}`;
  if (r.status === 0) return undefined;
  // npm's first words say why (`code ECONNREFUSED`, then `FetchError: request to … failed`).
  const said = (r.stderr || r.stdout).split('\n').map((l) => l.replace(/^npm (error|ERR!) ?/, '')).filter((l) => l.trim());
  const code = said.find((l) => l.startsWith('code '))?.slice(5);
  const why = said.find((l) => !/^(code|syscall|errno) |^\s/.test(l)) ?? 'no message';
  return `npm install --prefix bench failed (exit ${r.status}${code ? `, ${code}` : ''}): ${why}`;
}

/** Runs the anchor in a child process; `{ skipped }` with the reason when it cannot run. */
export function duckdbAnchor(input: AnchorInput): Anchor {
  const notInstalled = ensureInstalled();
  if (notInstalled) return { skipped: notInstalled };
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) return { skipped: `the anchor's process failed (exit ${r.status}): ${(r.error?.message ?? r.stderr).trim().split('\n').slice(-1)[0]}` };
  return JSON.parse(r.stdout) as AnchorResult;
}

// ---- the child process --------------------------------------------------------------------

/** The little of @duckdb/node-api used here (it is not installed when the product typechecks). */
interface DuckDb {
  version(): string;
  DuckDBInstance: { create(path: string, options?: Record<string, string>): Promise<{ connect(): Promise<Connection>; closeSync(): void }> };
}
interface Connection {
  runAndReadAll(sql: string, values?: unknown[]): Promise<{ getRowsJS(): unknown[][] }>;
  closeSync(): void;
}

const table = (kind: string) => kind.replace(/[^a-z0-9]+/gi, '_');
const column = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The DuckDB type of a payload field from its JSON Schema; undefined for objects and arrays. */
function sqlType(s: Record<string, unknown>): string | undefined {
  if (Array.isArray(s.enum)) return s.enum.every((v) => typeof v === 'string') ? 'VARCHAR' : undefined;
  const small = (n: unknown, lo: number, hi: number) => typeof n === 'number' && n >= lo && n <= hi;
  switch (s.type) {
    case 'integer': return small(s.minimum, -32768, 32767) && small(s.maximum, -32768, 32767) ? 'SMALLINT' : 'BIGINT';
    case 'number': return 'DOUBLE';
    case 'boolean': return 'BOOLEAN';
    case 'string': return s.format === 'date-time' ? 'TIMESTAMPTZ' : s.format === 'date' ? 'DATE' : 'VARCHAR';
    default: return undefined;
  }
}

/** The 12 metric queries of the shipped policies: bench/floor.ts's formulas over typed columns. */
export function anchorQueries(asOf: Date): Array<{ name: string; sql: string; params: string[] }> {
  const w = (days: number, offsetDays = 0) => [new Date(asOf.getTime() - (offsetDays + days) * DAY).toISOString(), new Date(asOf.getTime() - offsetDays * DAY).toISOString()];
  const within = 'occurred_at >= $1::TIMESTAMPTZ AND occurred_at < $2::TIMESTAMPTZ';
  const csat = `SELECT employee_id e, avg(csat) v, count(csat)::int n FROM customer_feedback_survey WHERE ${within} GROUP BY employee_id`;
  const frt = `SELECT employee_id e, percentile_cont(0.5) WITHIN GROUP (ORDER BY epoch(first_response_at - opened_at)) v, count(first_response_at)::int n FROM support_ticket WHERE ${within} AND first_response_at IS NOT NULL GROUP BY employee_id`;
  const attainment = `SELECT employee_id e, 100 * sum(won) / nullif(sum(quota), 0) v, count(quota)::int n FROM (
      SELECT employee_id, CASE WHEN stage = 'won' THEN amount END won, NULL::DOUBLE quota FROM sales_deal WHERE ${within}
      UNION ALL SELECT employee_id, NULL, amount FROM sales_quota WHERE ${within}) GROUP BY employee_id`;
  return [
    { name: 'csat 90d', sql: csat, params: w(90) },
    { name: 'csat 90d, previous quarter', sql: csat, params: w(90, 90) },
    { name: 'csat 30d', sql: csat, params: w(30) },
    { name: 'nps 90d', sql: `SELECT employee_id e, 100.0 * (count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6)) / nullif(count(nps), 0) v, count(nps)::int n FROM customer_feedback_survey WHERE ${within} GROUP BY employee_id`, params: w(90) },
    { name: 'first response 90d', sql: frt, params: w(90) },
    { name: 'first response 30d', sql: frt, params: w(30) },
    { name: 'fcr 90d', sql: `SELECT employee_id e, avg((contacts_to_resolve = 1)::int) v, count(*)::int n FROM support_ticket WHERE ${within} AND resolved_at IS NOT NULL AND contacts_to_resolve IS NOT NULL GROUP BY employee_id`, params: w(90) },
    { name: 'resolved 30d', sql: `SELECT employee_id e, count(*) FILTER (WHERE resolved_at IS NOT NULL) v, count(*) FILTER (WHERE resolved_at IS NOT NULL)::int n FROM support_ticket WHERE ${within} GROUP BY employee_id`, params: w(30) },
    { name: 'attainment 92d', sql: attainment, params: w(92) },
    { name: 'attainment 92d, previous quarter', sql: attainment, params: w(92, 92) },
    { name: 'win rate 92d', sql: `SELECT employee_id e, avg((stage = 'won')::int) v, count(*)::int n FROM sales_deal WHERE ${within} AND stage IN ('won', 'lost') GROUP BY employee_id`, params: w(92) },
    { name: 'coaching completed 365d', sql: `SELECT employee_id e, count(*) v, count(*)::int n FROM cases WHERE type = 'coaching' AND status = 'completed' AND opened_at >= $1::TIMESTAMPTZ AND opened_at < $2::TIMESTAMPTZ GROUP BY employee_id`, params: w(365) },
  ];
}

/** An in-memory DuckDB holding the organisation's records (typed tables) and the store's cases. */
export async function openAnchor(input: AnchorInput): Promise<{ db: Connection; duckdb: DuckDb; threads: number; rows: Record<string, number>; loadMs: number; close(): void }> {
  const duckdb = createRequire(join(BENCH, 'package.json'))('@duckdb/node-api') as DuckDb;
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const close = () => {
    db.closeSync();
    instance.closeSync();
  };
  try {
    await db.runAndReadAll(`SET TimeZone = 'UTC'`);
    const threads = Number((await db.runAndReadAll(`SELECT current_setting('threads') t`)).getRowsJS()[0][0]);
    // one typed table per record kind, straight from the organisation's NDJSON files
    const t0 = performance.now();
    const rows: Record<string, number> = {};
    for (const k of input.kinds) {
      const file = join(input.orgDir, `${k.id}.ndjson`);
      if (!existsSync(file)) continue;
      const props = Object.entries((k.schema.properties ?? {}) as Record<string, Record<string, unknown>>)
        .map(([f, s]) => ({ f, type: sqlType(s) }))
        .filter((p): p is { f: string; type: string } => p.type !== undefined);
      const struct = props.map((p) => `"${p.f}" ${p.type}`).join(', ');
      await db.runAndReadAll(
        `CREATE TABLE ${table(k.id)} AS SELECT employeeId AS employee_id, occurredAt AS occurred_at${props.map((p) => `, payload."${p.f}" AS ${column(p.f)}`).join('')}
         FROM read_json('${file.replace(/'/g, "''")}', format = 'newline_delimited', columns = {employeeId: 'VARCHAR', occurredAt: 'TIMESTAMPTZ', payload: 'STRUCT(${struct.replace(/'/g, "''")})'})`,
      );
      rows[k.id] = Number((await db.runAndReadAll(`SELECT count(*) FROM ${table(k.id)}`)).getRowsJS()[0][0]);
    }
    await db.runAndReadAll(`CREATE TABLE cases (employee_id VARCHAR, type VARCHAR, status VARCHAR, opened_at TIMESTAMPTZ)`);
    for (const c of input.cases) await db.runAndReadAll(`INSERT INTO cases VALUES ($1, $2, $3, $4::TIMESTAMPTZ)`, [c.employee_id, c.type, c.status, c.opened_at]);
    const loadMs = performance.now() - t0;
    for (const [kind, n] of Object.entries(input.storeCounts)) {
      if ((rows[kind] ?? 0) !== n) throw new Error(`DuckDB holds ${rows[kind] ?? 0} ${kind} records, the store ${n}: not the same data`);
    }
    return { db, duckdb, threads, rows, loadMs, close };
  } catch (e) {
    close();
    throw e;
  }
}

/** One query's result as the floor keeps it: employee → value and samples. */
export async function runQuery(db: Connection, q: { sql: string; params: string[] }): Promise<Map<string, { v: number | null; n: number }>> {
  const map = new Map<string, { v: number | null; n: number }>();
  for (const [e, v, n] of (await db.runAndReadAll(q.sql, q.params)).getRowsJS()) map.set(e as string, { v: v === null ? null : Number(v), n: Number(n) });
  return map;
}

async function child(input: AnchorInput): Promise<AnchorResult> {
  const { db, duckdb, threads, rows, loadMs, close } = await openAnchor(input);
  try {
    // the 12 queries, one after the other, each result read into a map as the floor does
    const qs = anchorQueries(new Date(input.asOf));
    const perQuery = qs.map(() => [] as number[]);
    const groups = qs.map(() => 0);
    const rounds: number[] = [];
    for (let round = 0; round <= input.rounds; round++) {
      const start = performance.now();
      for (const [i, q] of qs.entries()) {
        const t = performance.now();
        groups[i] = (await runQuery(db, q)).size;
        if (round > 0) perQuery[i].push(performance.now() - t);
      }
      if (round > 0) rounds.push(performance.now() - start); // round 0 warms up
    }
    const empty = qs.filter((q, i) => groups[i] === 0 && !q.name.startsWith('coaching'));
    if (empty.length) throw new Error(`no employee in the result of ${empty.map((q) => q.name).join(', ')}: the anchor would time nothing`);
    return {
      duckdb: duckdb.version(),
      threads,
      loadMs: ms(loadMs),
      rows,
      medianMs: Math.round(median(rounds) * 10) / 10,
      roundsMs: rounds.map((r) => Math.round(r * 10) / 10),
      queries: qs.map((q, i) => ({ name: q.name, medianMs: Math.round(median(perQuery[i]) * 10) / 10, groups: groups[i] })),
    };
  } finally {
    close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.stdout.write(JSON.stringify(await child(JSON.parse(readFileSync(0, 'utf8')) as AnchorInput)));
  } catch (e) {
    console.error(`DuckDB anchor: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
