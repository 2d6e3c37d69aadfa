// The declarative metrics' SQL translation against the alternative it replaces: 1,000,000 survey
// records of 10,000 employees, NPS and CSAT computed for all of them by one aggregateSql query,
// versus the window's rows fetched into JavaScript and the reference evaluator run per employee.
// PGlite always; PostgreSQL too when APPRAISE_BENCH_DATABASE_URL (or the local test server)
// answers, in a fresh schema dropped afterwards. Prints figures; asserts only that both agree.
// Usage: node --import tsx bench/aggregate-sql.ts [--records N] [--employees N] [--runs N]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { evaluateAggregate, type AggregateExpression, type AggregateParams, type AggregateRecord, type AggregateResult } from '../core/metrics/aggregate.ts';
import { runAggregateSql } from '../core/metrics/sql.ts';
import { migrate } from '../core/store/migrate.ts';
import { openStore, type Store } from '../core/store/store.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const RECORDS = arg('records', 1_000_000);
const EMPLOYEES = arg('employees', 10_000);
const RUNS = arg('runs', 5);
const POSTGRES_URL = process.env.APPRAISE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const KIND = 'customer-feedback.survey';
const FROM = new Date('2026-01-01T00:00:00Z');
const TO = new Date('2026-04-01T00:00:00Z'); // the quarter: every record generated is inside

const manifest = JSON.parse(readFileSync(fileURLToPath(new URL('../plugins/customer-feedback/package.json', import.meta.url)), 'utf8'));
const formula = (id: string): AggregateExpression => manifest.appraise.contributes.metrics.find((m: { id: string }) => m.id === id).aggregate;
// `handWritten`: the same figure as a plain GROUP BY one would write by hand, for scale: the
// price of exactness. Not exact: a "5" would be cast to 5, an "n/a" would fail the whole query.
const WINDOW = `kind = $1 AND occurred_at >= $2 AND occurred_at < $3`;
const METRICS: Array<{ name: string; expr: AggregateExpression; params: AggregateParams; handWritten: string }> = [
  {
    name: 'NPS',
    expr: formula('nps'),
    params: {},
    handWritten: `SELECT employee_id, 100.0 * (count(*) FILTER (WHERE (payload->>'nps')::int >= 9) - count(*) FILTER (WHERE (payload->>'nps')::int <= 6)) / nullif(count(payload->'nps'), 0) AS v FROM records WHERE ${WINDOW} GROUP BY employee_id`,
  },
  {
    name: 'CSAT (mean)',
    expr: formula('csat'),
    params: {},
    handWritten: `SELECT employee_id, avg((payload->>'csat')::float8) AS v FROM records WHERE ${WINDOW} GROUP BY employee_id`,
  },
  {
    name: 'CSAT (top-2 box)',
    expr: formula('csat'),
    params: { mode: 'top2box' },
    handWritten: `SELECT employee_id, 100.0 * count(*) FILTER (WHERE (payload->>'csat')::int >= 4) / nullif(count(payload->'csat'), 0) AS v FROM records WHERE ${WINDOW} GROUP BY employee_id`,
  },
];

interface Backend {
  name: string;
  store: Store;
  close(): Promise<void>;
}

async function pglite(): Promise<Backend> {
  const dir = mkdtempSync(join(tmpdir(), 'appraise-bench-sql-'));
  const store = await openStore({ dataDir: dir, databaseUrl: '' });
  return { name: 'PGlite', store, close: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) };
}

async function postgres(): Promise<Backend | undefined> {
  const probe = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await probe.connect();
    await probe.query('SELECT 1');
  } catch (e) {
    console.log(`PostgreSQL skipped: nothing answers at ${POSTGRES_URL} (${(e as Error).message})`);
    return undefined;
  } finally {
    await probe.end().catch(() => {});
  }
  const schema = `appraise_bench_sql_${Date.now()}`;
  const store = await openStore({ databaseUrl: POSTGRES_URL, schema });
  const backend: Backend = {
    name: 'PostgreSQL',
    store,
    async close() {
      await store.close();
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); // only the schema made above
      await c.end();
    },
  };
  const version = (await store.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v;
  backend.name = `PostgreSQL ${version.split(' ')[0]}`;
  return backend;
}

/** Survey responses as an import writes them: scores sometimes missing, a comment now and then. */
async function fill(store: Store): Promise<number> {
  const t = performance.now();
  const batch = 100_000;
  for (let start = 1; start <= RECORDS; start += batch) {
    await store.query(
      `INSERT INTO records (kind, employee_id, occurred_at, payload, external_id)
       SELECT $1, 'e' || lpad((i % $2)::text, 5, '0'), $3::timestamptz + (i % 7776000) * interval '1 second',
         jsonb_strip_nulls(jsonb_build_object(
           'csat', CASE WHEN h % 10 = 0 THEN NULL ELSE 1 + (h >> 4) % 5 END,
           'nps', CASE WHEN h % 7 = 0 THEN NULL ELSE (h >> 8) % 11 END,
           'ces', 1 + (h >> 12) % 7,
           'channel', (ARRAY['email', 'chat', 'phone'])[1 + (h >> 16) % 3],
           'comment', CASE WHEN h % 3 = 0 THEN 'response ' || i END)),
         'bench-' || i
       FROM generate_series($4::integer, $5::integer) AS i, LATERAL (SELECT hashint4(i)::bigint & 2147483647 AS h) AS x`,
      [KIND, EMPLOYEES, FROM.toISOString(), start, Math.min(start + batch - 1, RECORDS)],
    );
  }
  await store.query('ANALYZE records');
  await store.checkpoint();
  return performance.now() - t;
}

/** The alternative: the window's rows into JavaScript, grouped by employee, the evaluator per employee. */
async function fetchRows(store: Store): Promise<Map<string, AggregateRecord[]>> {
  const { rows } = await store.query<{ employee_id: string; occurred_at: string; payload: Record<string, unknown> }>(
    'SELECT employee_id, occurred_at, payload FROM records WHERE kind = $1 AND occurred_at >= $2 AND occurred_at < $3',
    [KIND, FROM.toISOString(), TO.toISOString()],
  );
  const byEmployee = new Map<string, AggregateRecord[]>();
  for (const r of rows) {
    let list = byEmployee.get(r.employee_id);
    if (!list) byEmployee.set(r.employee_id, (list = []));
    list.push({ occurredAt: String(r.occurred_at), payload: r.payload });
  }
  return byEmployee;
}

function evaluateAll(rows: Map<string, AggregateRecord[]>, expr: AggregateExpression, params: AggregateParams): Map<string, AggregateResult> {
  const out = new Map<string, AggregateResult>();
  for (const [id, records] of rows) out.set(id, evaluateAggregate(expr, { kind: KIND, records: { [KIND]: records } }, params));
  return out;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

function agree(a: Map<string, AggregateResult>, b: Map<string, AggregateResult>, what: string): void {
  if (a.size !== b.size) throw new Error(`${what}: ${a.size} employees in SQL, ${b.size} in JavaScript`);
  for (const [id, x] of a) {
    const y = b.get(id)!;
    const same = x.samples === y.samples && (x.value === null ? y.value === null : y.value !== null && Math.abs(x.value - y.value) <= 1e-9 * Math.max(1, Math.abs(y.value)));
    if (!same) throw new Error(`${what}: ${id} is ${JSON.stringify(x)} in SQL, ${JSON.stringify(y)} in JavaScript`);
  }
}

interface Row {
  backend: string;
  metric: string;
  sqlMs: number;
  handWrittenMs: number;
  fetchMs: number;
  evaluateMs: number;
}

async function measure(backend: Backend): Promise<Row[]> {
  console.log(`\n${backend.name}: inserting ${RECORDS.toLocaleString('en-US')} survey records for ${EMPLOYEES.toLocaleString('en-US')} employees…`);
  await migrate(backend.store);
  console.log(`  inserted in ${Math.round(await fill(backend.store))} ms`);
  const fetches: number[] = [];
  let rows = new Map<string, AggregateRecord[]>();
  for (let i = 0; i < RUNS; i++) {
    const f = await timed(() => fetchRows(backend.store));
    fetches.push(f.ms);
    rows = f.value;
  }
  const out: Row[] = [];
  for (const m of METRICS) {
    const options = { kind: KIND, params: m.params, from: FROM, to: TO };
    const sqlTimes: number[] = [];
    const handTimes: number[] = [];
    const evalTimes: number[] = [];
    let sql = new Map<string, AggregateResult>();
    let js = new Map<string, AggregateResult>();
    await runAggregateSql(backend.store, m.expr, options); // warm-up: plan caches, buffers
    for (let i = 0; i < RUNS; i++) {
      const s = await timed(() => runAggregateSql(backend.store, m.expr, options));
      sqlTimes.push(s.ms);
      sql = s.value;
      handTimes.push((await timed(() => backend.store.query(m.handWritten, [KIND, FROM.toISOString(), TO.toISOString()]))).ms);
      const e = await timed(() => evaluateAll(rows, m.expr, m.params));
      evalTimes.push(e.ms);
      js = e.value;
    }
    agree(sql, js, `${backend.name} ${m.name}`);
    const row = { backend: backend.name, metric: m.name, sqlMs: median(sqlTimes), handWrittenMs: median(handTimes), fetchMs: median(fetches), evaluateMs: median(evalTimes) };
    console.log(`  ${m.name}: SQL ${Math.round(row.sqlMs)} ms (hand-written ${Math.round(row.handWrittenMs)} ms); fetch ${Math.round(row.fetchMs)} ms + evaluate ${Math.round(row.evaluateMs)} ms`);
    out.push(row);
  }
  return out;
}

async function main(): Promise<void> {
  const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`aggregateSql vs fetch + evaluate: median of ${RUNS} runs, Node ${process.version}, ${cpus().length} CPUs, load ${load()}`);
  const results: Row[] = [];
  for (const open of [pglite, postgres]) {
    const backend = await open();
    if (!backend) continue;
    try {
      results.push(...(await measure(backend)));
    } finally {
      await backend.close();
    }
  }
  const table = [
    ['back-end', 'metric', 'aggregateSql (ms)', 'hand-written GROUP BY (ms)', 'fetch (ms)', 'evaluate (ms)', 'fetch + evaluate (ms)', '(fetch + evaluate) / aggregateSql'],
    ...results.map((r) =>
      [r.backend, r.metric, r.sqlMs, r.handWrittenMs, r.fetchMs, r.evaluateMs, r.fetchMs + r.evaluateMs, `${((r.fetchMs + r.evaluateMs) / r.sqlMs).toFixed(1)}×`].map((v) =>
        typeof v === 'number' ? Math.round(v).toLocaleString('en-US') : v,
      ),
    ),
  ];
  console.log(`\n${table.map((r) => `| ${r.join(' | ')} |`).join('\n').replace(/\n/, `\n|${' --- |'.repeat(table[0].length)}\n`)}`);
  console.log(`\nSQL and the evaluator agreed for every employee (value to 1e-9, samples exactly). Load ${load()}.`);
}

await main();
