// The same seed and size give byte-identical files; another seed gives another organisation;
// the in-process API yields exactly what the files hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateOrganisation } from '../../core/demo/generate.ts';
import { writeOrganisation } from '../../core/demo/write-files.ts';

const AS_OF = new Date('2026-11-23T00:00:00Z');
const options = { employees: 120, asOf: AS_OF };
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'appraise-demo-'));
  await writeOrganisation({ ...options, seed: 7 }, join(root, 'a'));
  await writeOrganisation({ ...options, seed: 7 }, join(root, 'b'));
  await writeOrganisation({ ...options, seed: 8 }, join(root, 'c'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const read = (dir: string, name: string) => readFile(join(root, dir, name), 'utf8');

describe('demo generate is deterministic', () => {
  it('writes byte-identical files for the same seed and size', async () => {
    const names = (await readdir(join(root, 'a'))).sort();
    expect(names).toEqual([
      'cases.ndjson', 'customer-feedback.survey.ndjson', 'employees.ndjson', 'manifest.json',
      'sales.deal.ndjson', 'sales.quota.ndjson', 'support.ticket.ndjson', 'training.training.ndjson',
    ]);
    for (const name of names) expect(await read('b', name), name).toBe(await read('a', name));
  });

  it('draws a different organisation from another seed', async () => {
    for (const name of ['employees.ndjson', 'customer-feedback.survey.ndjson', 'support.ticket.ndjson', 'sales.deal.ndjson']) {
      expect(await read('c', name), name).not.toBe(await read('a', name));
    }
    // …with the same shape: the same number of people, ids E000001…
    expect((await read('c', 'employees.ndjson')).trim().split('\n')).toHaveLength(120);
  });

  it('yields from generateOrganisation exactly what the files hold', async () => {
    const employees: string[] = [];
    const tickets: string[] = [];
    for await (const batch of generateOrganisation({ ...options, seed: 7 })) {
      employees.push(JSON.stringify(batch.employee));
      for (const r of batch.records['support.ticket']) tickets.push(JSON.stringify(r));
    }
    expect(employees.join('\n') + '\n').toBe(await read('a', 'employees.ndjson'));
    expect(tickets.join('\n') + '\n').toBe(await read('a', 'support.ticket.ndjson'));
  });

  it('records seed, as-of, horizon and counts in the manifest', async () => {
    const m = JSON.parse(await read('a', 'manifest.json'));
    expect(m).toMatchObject({ seed: 7, asOf: '2026-11-23T00:00:00.000Z', horizon: { from: '2026-02-26T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z' }, employees: 120, recordsPerEmployee: 100 });
    const tickets = (await read('a', 'support.ticket.ndjson')).trim().split('\n').length;
    expect(m.counts.records['support.ticket']).toBe(tickets);
    expect(m.counts.recordsTotal).toBe(Object.values(m.counts.records as Record<string, number>).reduce((a, b) => a + b, 0));
  });
});
