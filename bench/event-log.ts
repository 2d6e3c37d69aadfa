// Folding an event log at import, side by side with reading the same file row by row: the BPI
// Challenge 2013 log (65,533 events of 7,554 incidents) through the shipped folding mapping
// (staging, sorting, one ticket per incident) and through a row-by-row mapping of the same rows
// (one record per event, no staging), on a fresh PGlite store and a fresh PostgreSQL schema,
// alternating, best of N each. Needs ../shared/data/bpi2013/incidents_events.csv (or
// APPRAISE_SHARED_DATA).
//   node --import tsx bench/event-log.ts [rounds]
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { discoverPlugins } from '../core/plugins/discovery.ts';
import { importEmployees } from '../core/import/import-employees.ts';
import { importRecords } from '../core/import/import-records.ts';
import { loadMapping, mappingFromText, type Mapping } from '../core/import/mapping.ts';
import { openStore, type Store } from '../core/store/store.ts';
import { migrate } from '../core/store/migrate.ts';
import { POSTGRES_URL } from './backends.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const FILE = join(process.env.APPRAISE_SHARED_DATA ?? join(ROOT, '../shared/data'), 'bpi2013/incidents_events.csv');
const ROUNDS = Number(process.argv[2] ?? 3);

// The same rows, one record per event: what folding is compared with.
const ROW_BY_ROW = `apiVersion: appraise/v1
kind: ImportMapping
metadata: { id: bpi2013-events, title: one record per event }
spec:
  target: records
  recordKind: support.ticket
  skip: [{ reason: unmatched, when: { column: task, equals: Unmatched+Unmatched } }, { reason: system, when: { column: user, equals: Siebel } }]
  fields:
    employeeId: user
    occurredAt: { timestamp: { column: end_timestamp } }
    externalId: { template: "bpi-event:{caseid}:{task}:{end_timestamp}" }
  payload:
    openedAt: { timestamp: { column: end_timestamp } }
`;

async function fresh(backend: 'pglite' | 'postgres'): Promise<{ store: Store; drop: () => Promise<void> }> {
  if (backend === 'pglite') {
    const store = await openStore({ dataDir: 'memory://', databaseUrl: '' });
    await migrate(store);
    return { store, drop: () => store.close() };
  }
  const schema = `appraise_bench_fold_${Date.now()}`;
  const store = await openStore({ databaseUrl: POSTGRES_URL, schema });
  await migrate(store);
  return {
    store,
    drop: async () => {
      await store.close();
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

async function main(): Promise<void> {
  if (!existsSync(FILE)) {
    console.log(`No ${FILE}: nothing to measure (set APPRAISE_SHARED_DATA).`);
    return;
  }
  const load = async (name: string): Promise<Mapping> => (await loadMapping(join(ROOT, 'rules/mappings', name))).mapping!;
  const people = await load('bpi2013-resolvers.mapping.yaml');
  const folded = await load('bpi2013-tickets.mapping.yaml');
  const rows = mappingFromText('row-by-row.yaml', ROW_BY_ROW).mapping!;
  const kind = (await discoverPlugins()).recordKinds.get('support.ticket')!;
  console.log(`Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}, best of ${ROUNDS}`);
  for (const backend of ['pglite', 'postgres'] as const) {
    const best = { folded: Infinity, rows: Infinity };
    let written = { folded: 0, rows: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      for (const which of ['folded', 'rows'] as const) {
        const { store, drop } = await fresh(backend);
        try {
          await importEmployees(store, { file: FILE, mapping: people });
          const t0 = performance.now();
          const s = await importRecords(store, kind, { file: FILE, mapping: which === 'folded' ? folded : rows });
          best[which] = Math.min(best[which], performance.now() - t0);
          written = { ...written, [which]: s.inserted };
        } finally {
          await drop();
        }
      }
    }
    const rate = (ms: number) => Math.round(65_533 / (ms / 1000)).toLocaleString('en');
    console.log(`${backend}: folded into ${written.folded.toLocaleString('en')} tickets ${(best.folded / 1000).toFixed(2)} s (${rate(best.folded)} rows/s); row by row, ${written.rows.toLocaleString('en')} records ${(best.rows / 1000).toFixed(2)} s (${rate(best.rows)} rows/s); folding costs ${(best.folded / best.rows).toFixed(2)}×`);
  }
}

await main();
