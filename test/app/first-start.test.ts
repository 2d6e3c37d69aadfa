// What a new user does first: `npm start` on an empty folder publishes the shipped policies,
// loads the demo organisation, evaluates it and serves. Run here as the real command (a small
// demo), then looked at as the user would: the dashboard answers, cases were opened, a review
// cycle is under way, and every demo record is also in its kind's typed table.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe, type ServeProcess } from '../store/serve-process.ts';
import { cli, ROOT } from '../cli/run-cli.ts';
import { openStore } from '../../core/store/store.ts';
import { storedLayouts } from '../../core/records/typed-tables.ts';

const dir = mkdtempSync(join(tmpdir(), 'appraise-first-start-'));
let server: ServeProcess | undefined;
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** What `find` finds in the output once the process has printed it (up to 30 s). */
async function printed(find: () => string | undefined): Promise<string> {
  for (let waited = 0; waited < 30_000; waited += 50) {
    const found = find();
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not printed within 30 s:\n${server?.output()}`);
}

describe('the first npm start', () => {
  it('publishes the shipped policies, loads and evaluates the demo, serves it; every demo record is typed', async () => {
    const dataDir = join(dir, 'store');
    server = await startServe(ROOT, dataDir, { APPRAISE_DEMO_EMPLOYEES: '60' }, 'start');
    const out = server.output();
    expect(out).toMatch(/published support-agents v1/);
    expect(out).toMatch(/loaded the DEMO organisation: 60 employees, [\d,]+ records/);
    expect(out).toMatch(/evaluated the shipped policies/);
    expect(out).toMatch(/opened the review cycle \d{4}-Q[1-4]: \d+ reviews/);
    expect(out).toMatch(/set [1-9]\d* demo goals/);
    // The token is printed after the line that says it serves: it may arrive in a later chunk.
    const token = await printed(() => /Admin token[^:]*: (\S+)/.exec(server!.output())?.[1]);
    const dashboard = await fetch(`${server.url}/api/dashboard`, { headers: { authorization: `Bearer ${token}` } });
    expect(dashboard.status).toBe(200);
    const d = (await dashboard.json()) as { groups: Array<{ by: string; members: number }>; openCases: { total: number }; kudos: Array<{ source: string }> };
    expect(d.groups[0]).toMatchObject({ by: 'organisation', members: 60 });
    expect(d.openCases.total).toBeGreaterThan(0);
    expect(out).toMatch(/loaded \d+ demo kudos between colleagues/);
    expect(d.kudos.length).toBeGreaterThan(0); // the demo's kudos, on the wall
    // One review cycle under way, for the people the shipped policies measure.
    const cycles = (await (await fetch(`${server.url}/api/review-cycles`, { headers: { authorization: `Bearer ${token}` } })).json()) as { cycles: Array<{ status: string; templateId: string; progress: { total: number } }> };
    expect(cycles.cycles).toHaveLength(1);
    expect(cycles.cycles[0]).toMatchObject({ status: 'open', templateId: 'quarterly' });
    expect(cycles.cycles[0].progress.total).toBeGreaterThan(0);
    // The demo's disputes: one waits for HR, one was upheld.
    const disputes = (await (await fetch(`${server.url}/api/disputes`, { headers: { authorization: `Bearer ${token}` } })).json()) as { disputes: Array<{ status: string }> };
    expect(disputes.disputes.map((x) => x.status)).toEqual(['open', 'upheld']);
    // Another process reaches the store through the server, as `npx appraise …` would.
    const store = await openStore({ dataDir, databaseUrl: '' });
    try {
      const stored = new Map((await store.query<{ kind: string; n: number }>('SELECT kind, count(*)::int AS n FROM records GROUP BY kind')).rows.map((r) => [r.kind, r.n]));
      const layouts = await storedLayouts(store);
      expect([...stored.keys()].sort()).toEqual([...layouts.keys()].filter((k) => stored.has(k)).sort());
      for (const [kind, n] of stored) {
        const typed = (await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${layouts.get(kind)!.table}"`)).rows[0].n;
        expect(typed, kind).toBe(n);
      }
    } finally {
      await store.close();
    }
  }, 120_000);

  it('a second terminal imports records through the running server (COPY over its socket): typed at once; the same file again adds nothing', async () => {
    const dataDir = join(dir, 'store');
    const typedSurveys = async () => {
      const store = await openStore({ dataDir, databaseUrl: '' });
      try {
        const table = (await storedLayouts(store)).get('customer-feedback.survey')!.table;
        const employee = (await store.query<{ id: string }>('SELECT id FROM employees ORDER BY id LIMIT 1')).rows[0].id;
        return { employee, n: (await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE f0_csat IS NOT NULL`)).rows[0].n };
      } finally {
        await store.close();
      }
    };
    const before = await typedSurveys();
    const file = join(dir, 'surveys.csv');
    writeFileSync(file, `employeeId,occurredAt,externalId,csat\n${[1, 2, 3].map((k) => `${before.employee},2026-11-0${k}T10:00:00Z,second-terminal-${k},${k + 2}`).join('\n')}\n`);
    const first = cli(['import', 'records', 'survey', file, '--data-dir', dataDir]);
    expect(first.code, first.stderr).toBe(0);
    expect((await typedSurveys()).n).toBe(before.n + 3);
    const again = cli(['import', 'records', 'survey', file, '--data-dir', dataDir]);
    expect(again.code, again.stderr).toBe(0);
    expect((await typedSurveys()).n).toBe(before.n + 3);
  }, 120_000);
});
