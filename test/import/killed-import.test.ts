// An import killed midway (kill -9) leaves nothing behind: the whole file is one transaction.
// The command runs on a generated file far too big to finish; its rejects file (a bad row every
// thousand) shows how far it got, so it is killed after thousands of rows were written inside
// the transaction. Then the store holds none of them, and still works. On PGlite (a data folder
// that must survive the crash) and on PostgreSQL (a fresh schema, named through the env).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importRecords } from '../../core/import/import-records.ts';
import { migrate } from '../../core/store/migrate.ts';
import { openStore, type Store } from '../../core/store/store.ts';
import { freshSchemaName, POSTGRES_URL, postgresReachable, dropSchema } from '../store/backends.ts';
import { addEmployees, count, importCli, recordKind, spawnImport, tempDir } from './helpers.ts';

const tmp = tempDir();
afterAll(() => tmp.dispose());

const ROWS = 400_000;

/** A survey file with a bad score on every 1000th row. */
function bigFile(): string {
  const file = join(tmp.dir, 'big.csv');
  if (existsSync(file)) return file;
  const parts = ['employeeId,occurredAt,externalId,csat\n'];
  for (let i = 0; i < ROWS; i++) parts.push(`E1,2021-03-01T09:00:00Z,big-${i},${i % 1000 === 999 ? 9 : 4}\n`);
  writeFileSync(file, parts.join(''));
  return file;
}

function lines(file: string): number {
  try {
    return readFileSync(file, 'utf8').split('\n').length - 1;
  } catch {
    return 0;
  }
}

/** Starts the import, waits until it has read ~20,000 rows, kills it with SIGKILL. */
async function killMidway(args: string[], env: Record<string, string>, rejects: string): Promise<void> {
  const child = spawnImport([...args, '--skip-invalid', rejects], env);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 90_000;
  while (lines(rejects) < 21 && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(child.exitCode, `the import ended before it could be killed: ${stderr}`).toBeNull();
  child.kill('SIGKILL');
  await exited;
  // Midway: some rows were read and set aside, far from all of them.
  expect(lines(rejects)).toBeGreaterThanOrEqual(21);
  expect(lines(rejects)).toBeLessThan(ROWS / 1000);
}

async function provesUsable(store: Store): Promise<void> {
  const s = await importRecords(store, await recordKind('customer-feedback.survey'), { file: tmp.file('after.csv', 'employeeId,occurredAt,csat\nE1,2021-03-02T09:00:00Z,5\n') });
  expect(s.inserted).toBe(1);
}

describe('an import killed midway', () => {
  it('leaves nothing in a PGlite data folder, which still opens and works', async () => {
    const dataDir = join(tmp.dir, 'pglite-store');
    const staff = importCli(['employees', tmp.file('staff.csv', 'id,name\nE1,Ada\n'), '--data-dir', dataDir]);
    expect(staff.code).toBe(0);
    await killMidway(['records', 'customer-feedback.survey', bigFile(), '--data-dir', dataDir], {}, join(tmp.dir, 'pglite-rejects.csv'));
    const store = await openStore({ dataDir, databaseUrl: '' });
    try {
      expect(await count(store, 'records')).toBe(0);
      expect(await count(store, 'imports', `target = 'records'`)).toBe(0);
      expect(await count(store, 'employees')).toBe(1);
      await provesUsable(store);
    } finally {
      await store.close();
    }
  }, 180_000);

  it('leaves nothing in PostgreSQL', async (ctx) => {
    if (!(await postgresReachable())) ctx.skip();
    const schema = freshSchemaName();
    const store = await openStore({ databaseUrl: POSTGRES_URL, schema });
    try {
      await migrate(store);
      await addEmployees(store, ['E1']);
      await killMidway(['records', 'survey', bigFile()], { DATABASE_URL: POSTGRES_URL, APPRAISE_PG_SCHEMA: schema }, join(tmp.dir, 'pg-rejects.csv'));
      expect(await count(store, 'records')).toBe(0);
      expect(await count(store, 'imports')).toBe(0);
      await provesUsable(store);
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  }, 180_000);
});
