// One run of a policy at a time, and no run left `running` by a process that is gone — on both
// store back-ends. A second store on the same PostgreSQL database stands in for a second
// process (its own connections, its own session locks).
import { afterAll, describe, expect, it } from 'vitest';
import { BACKENDS, POSTGRES_URL, storeForSuite } from '../store/backends.ts';
import { openStore, type Store } from '../../core/store/store.ts';
import { lockPolicies, markInterrupted, runLockKey } from '../../core/run/run-lock.ts';
import { runPolicies } from '../../core/run/run.ts';
import { discoverPlugins } from '../../core/plugins/discovery.ts';
import { loadPolicyText } from '../../core/policy/load.ts';
import { compilePolicy } from '../../core/evaluate/compile.ts';
import { readFileSync } from 'node:fs';
import { AppraiseError } from '../../core/diagnostics/diagnostic.ts';

const POLICY = readFileSync(new URL('../fixtures/run/fixture.policy.yaml', import.meta.url), 'utf8');
const AS_OF = new Date('2026-04-01T00:00:00Z');

async function fixtureRun(store: Store, dryRun = false) {
  const set = await discoverPlugins();
  const policy = loadPolicyText('fixture.policy.yaml', POLICY, set.registry).policy!;
  return runPolicies(store, { asOf: AS_OF, trigger: 'manual', dryRun, policies: [{ compiled: compilePolicy(policy, set.registry), version: 1 }], metrics: set.metrics });
}

const runningRun = async (store: Store) =>
  Number((await store.query<{ id: number }>(`INSERT INTO runs (trigger, as_of, policy_versions, owner) VALUES ('manual', now(), '[{"policyId":"fixture","version":1}]', 'test') RETURNING id`)).rows[0].id);

for (const backend of BACKENDS) {
  describe(`run locks on ${backend.name}`, async () => {
    const suite = await storeForSuite(backend);
    const others: Store[] = [];
    afterAll(async () => {
      for (const o of others) await o.close();
    });
    /** The store as another process sees it: a second PostgreSQL store, or the same embedded one. */
    const otherProcess = async () => {
      if (backend.name === 'pglite') return suite.store;
      const o = await openStore({ databaseUrl: POSTGRES_URL, schema: suite.store.schema });
      others.push(o);
      return o;
    };

    it.skipIf(suite.skip)('a second run of a policy in progress is refused at once, naming the run, and nothing is stored for it', async () => {
      const holder = await otherProcess();
      const release = await lockPolicies(holder, ['fixture']);
      const inProgress = await runningRun(holder);
      const runsBefore = Number((await suite.store.query<{ n: number }>('SELECT count(*)::int AS n FROM runs')).rows[0].n);
      const holdRun = await holder.tryLock(runLockKey(inProgress));
      try {
        const refused = await fixtureRun(suite.store).then(() => undefined, (e: unknown) => e);
        expect(refused).toBeInstanceOf(AppraiseError);
        expect(refused).toMatchObject({ code: 'APPRAISE_RUN_IN_PROGRESS', details: { policyId: 'fixture', runId: inProgress } });
        expect((refused as Error).message).toMatch(new RegExp(`^A run of fixture is already in progress \\(run ${inProgress}, started .+ by test\\)\\.`));
        expect(Number((await suite.store.query<{ n: number }>('SELECT count(*)::int AS n FROM runs')).rows[0].n)).toBe(runsBefore);
        // A dry run stores nothing and holds nothing: it may go ahead.
        expect((await fixtureRun(suite.store, true)).run.status).toBe('completed');
      } finally {
        await holdRun?.();
        await release();
      }
      // Once the other run's process is gone, its run is interrupted and a new run goes ahead.
      const result = await fixtureRun(suite.store);
      expect(result.run.status).toBe('completed');
      const old = (await suite.store.query<{ status: string; finished_at: unknown; error: string }>('SELECT status, finished_at, error FROM runs WHERE id = $1', [inProgress])).rows[0];
      expect(old).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/^interrupted: the process running it stopped/) });
      expect(old.finished_at).not.toBeNull();
    });

    it.skipIf(suite.skip)('a run whose process still holds its lock is not marked interrupted; one whose lock is free is', async () => {
      const holder = await otherProcess();
      const alive = await runningRun(holder);
      const held = await holder.tryLock(runLockKey(alive));
      expect(held).toBeDefined();
      const dead = await runningRun(holder);
      const marked = await markInterrupted(suite.store);
      expect(marked.map((r) => r.id)).toEqual([dead]);
      const status = async (id: number) => (await suite.store.query<{ status: string }>('SELECT status FROM runs WHERE id = $1', [id])).rows[0].status;
      expect(await status(alive)).toBe('running');
      expect(await status(dead)).toBe('interrupted');
      await held!();
      expect((await markInterrupted(suite.store)).map((r) => r.id)).toEqual([alive]);
    });

    it.skipIf(suite.skip)('a completed run leaves no lock behind', async () => {
      const first = await fixtureRun(suite.store);
      const second = await fixtureRun(suite.store);
      expect([first.run.status, second.run.status]).toEqual(['completed', 'completed']);
      const release = await (await otherProcess()).tryLock(runLockKey(second.run.id!));
      expect(release).toBeDefined();
      await release!();
    });
  });
}
