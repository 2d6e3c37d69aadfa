// Importing employees on PGlite and PostgreSQL: an upsert by id that counts new, changed and
// unchanged employees, other columns kept as attributes, an id twice in the file merged when the
// rows agree and refused when they differ, and schema errors at their line and column.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importEmployees } from '../../core/import/import-employees.ts';
import { ImportRejected, type ImportRequest } from '../../core/import/run-import.ts';
import type { Store } from '../../core/store/store.ts';
import { BACKENDS, postgresReachable } from '../store/backends.ts';
import { count, emptyStore, tempDir } from './helpers.ts';

const tmp = tempDir();
afterAll(() => tmp.dispose());

const STAFF = [
  'id,name,email,role,team,department,location,managerId,hireDate,gender,ageBand',
  'E1,Ada Lovelace,ada@example.com,support-agent,blue,Support,London,M1,2020-01-15,F,30-39',
  'M1,Grace Hopper,,manager,blue,Support,New York,,2015-06-01,F,50-59',
  'E2,"Lamport, Leslie",,support-agent,red,Support,,M1,,M,',
].join('\n');

for (const backend of BACKENDS) {
  describe(`import employees on ${backend.name}`, async () => {
    const skip = backend.name === 'postgres' && !(await postgresReachable());
    let store: Store & { dispose(): Promise<void> };
    const run = (name: string, text: string, req: Partial<ImportRequest> = {}) => importEmployees(store, { file: tmp.file(`${backend.name}-${name}`, text), ...req });

    beforeAll(async () => {
      if (!skip) store = await backend.open();
    });
    afterAll(async () => {
      if (!skip) await store.dispose();
    });
    beforeEach(async () => {
      if (!skip) await emptyStore(store);
    });

    it.skipIf(skip)('imports the employee columns, and every other column as an attribute', async () => {
      expect(await run('staff.csv', STAFF, { source: 'hris' })).toMatchObject({ read: 3, inserted: 3, updated: 0, unchanged: 0 });
      const rows = (await store.query<Record<string, unknown>>('SELECT id, name, email, manager_id, hire_date, location, attributes, source FROM employees ORDER BY id')).rows;
      expect(rows.map((r) => [r.id, r.name, r.email, r.manager_id, r.location, r.attributes, r.source])).toEqual([
        ['E1', 'Ada Lovelace', 'ada@example.com', 'M1', 'London', { gender: 'F', ageBand: '30-39' }, 'hris'],
        ['E2', 'Lamport, Leslie', null, 'M1', null, { gender: 'M' }, 'hris'],
        ['M1', 'Grace Hopper', null, null, 'New York', { gender: 'F', ageBand: '50-59' }, 'hris'],
      ]);
      expect(new Date(rows[0].hire_date as string).toISOString().slice(0, 10)).toBe('2020-01-15');
    });

    it.skipIf(skip)('upserts by id, counting inserted, updated and unchanged employees', async () => {
      await run('v1.csv', STAFF);
      const v2 = STAFF.replace('E1,Ada Lovelace,ada@example.com,support-agent,blue', 'E1,Ada Lovelace,ada@example.com,support-agent,green') + '\nE3,Barbara Liskov,,support-agent,red,Support,,M1,,F,';
      expect(await run('v2.csv', v2)).toMatchObject({ read: 4, inserted: 1, updated: 1, unchanged: 2 });
      expect((await store.query<{ team: string }>(`SELECT team FROM employees WHERE id = 'E1'`)).rows[0].team).toBe('green');
      expect(await run('v2.csv', v2)).toMatchObject({ inserted: 0, updated: 0, unchanged: 4 });
      expect(await count(store, 'employees')).toBe(4);
      expect(await count(store, 'imports')).toBe(3);
    });

    it.skipIf(skip)('merges an id repeated with the same values, refuses one repeated with different values', async () => {
      const same = 'id,name,team\nE1,Ada,blue\nE1,Ada,blue\nE2,Grace,red\n';
      expect(await run('same.csv', same)).toMatchObject({ inserted: 2, duplicates: 1 });
      const e = (await run('differ.csv', 'id,name,team\nE1,Ada,blue\nE2,Grace,red\nE1,Ada,green\n').catch((x: unknown) => x)) as ImportRejected;
      expect(e).toBeInstanceOf(ImportRejected);
      expect(e.errors).toEqual([{ line: 4, column: 'id', code: 'APPRAISE_IMPORT_DUPLICATE_EMPLOYEE', reason: expect.stringMatching(/`E1` is also on line 2 with different values/) }]);
    });

    it.skipIf(skip)('rejects rows that break the employee schema, with line and column, and writes nothing', async () => {
      const text = 'id,name,email,hireDate\nE1,Ada,ada@example.com,2020-01-15\nE2,,x@example.com,\nE 3,Bob,not-an-email,2020-02-30\n';
      const e = (await run('bad.csv', text).catch((x: unknown) => x)) as ImportRejected;
      expect(e.errors.map((x) => [x.line, x.column])).toEqual([[3, 'name'], [4, 'hireDate'], [4, 'email']]);
      expect(e.errors[0].reason).toMatch(/`name` is required/);
      expect(e.errors[1].reason).toMatch(/`2020-02-30` is not a date/);
      expect(e.errors[2].reason).toMatch(/`not-an-email` is not an e-mail address/);
      expect(await count(store, 'employees')).toBe(0);
    });

    it.skipIf(skip)('refuses a column that cannot be an attribute name, naming it', async () => {
      await expect(run('attr.csv', 'id,name,Date of birth\nE1,Ada,1980-01-01\n')).rejects.toMatchObject({
        code: 'APPRAISE_IMPORT_BAD_FILE',
        message: expect.stringMatching(/`Date of birth` cannot become an attribute.*Date_of_birth/),
      });
    });

    it.skipIf(skip)('imports NDJSON employees as in schemas/employee.schema.json', async () => {
      const text = '{"id":"E1","name":"Ada","attributes":{"gender":"F","remote":true}}\n{"id":"E2","name":"Grace","hireDate":"2015-06-01","managerId":"E1"}\n';
      expect(await run('staff.ndjson', text)).toMatchObject({ inserted: 2 });
      const e = (await run('bad.ndjson', '{"id":"E3","name":"Bob","attributes":{"date of birth":"x"},"shoeSize":44}\n').catch((x: unknown) => x)) as ImportRejected;
      expect(e.errors.map((x) => x.column).sort()).toEqual(['attributes.date of birth', 'shoeSize']);
    });
  });
}
