// Run routes: start a run now (waiting for it, or answering at once with its id to poll), list
// runs with their summaries, a run's decisions with explanations, and its fairness report.
import type { FastifyInstance } from 'fastify';
import type { Appraise } from '../../app/appraise.ts';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { parseInstant } from '../../util/instant.ts';
import { selects } from '../../run/employees.ts';
import { cachedEmployees } from '../../run/read-cache.ts';
import { withLabels } from '../../policy/labels.ts';
import { getVersion } from '../../policy/versions.ts';
import { loadPolicyText } from '../../policy/load.ts';
import { fairnessFor } from '../fairness.ts';
import { ref } from '../app.ts';
import { pageOf, pageQuery } from '../paging.ts';

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

function toRun(r: Record<string, unknown>) {
  return {
    id: Number(r.id), trigger: r.trigger, asOf: iso(r.as_of), status: r.status, dryRun: r.dry_run, runKey: r.run_key ?? null,
    policyVersions: r.policy_versions, startedAt: iso(r.started_at), finishedAt: iso(r.finished_at), timings: r.timings, counts: r.counts, summary: r.summary, error: r.error ?? null,
  };
}

export async function registerRunRoutes(server: FastifyInstance, app: Appraise): Promise<void> {
  const idParam = { type: 'object', properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } }, required: ['id'] };
  const getRun = async (id: number) => {
    const r = (await app.store.query<Record<string, unknown>>('SELECT * FROM runs WHERE id = $1', [id])).rows[0];
    if (!r) throw new AppraiseError('APPRAISE_API_NOT_FOUND', `There is no run ${id}.`);
    return r;
  };

  server.get<{ Querystring: { page: number; pageSize: number } }>('/api/runs', { config: { access: 'readRuns' }, schema: { tags: ['runs'], querystring: pageQuery(), response: { 200: ref('runList') } } }, async (req) => {
    const { limit, offset } = pageOf(req.query);
    const total = Number((await app.store.query<{ n: number }>('SELECT count(*)::int AS n FROM runs')).rows[0].n);
    const rows = (await app.store.query<Record<string, unknown>>(`SELECT * FROM runs ORDER BY id DESC LIMIT ${limit} OFFSET ${offset}`)).rows;
    return { runs: rows.map(toRun), total, page: req.query.page, pageSize: req.query.pageSize };
  });

  server.post<{ Body: { asOf?: string; view?: 'as-of' | 'latest'; policyIds?: string[]; wait?: boolean } }>('/api/runs', { config: { access: 'runPolicies', expensive: true }, schema: { tags: ['runs'], body: ref('runRequest'), response: { 200: ref('run'), 202: ref('runStarted') } } }, async (req, reply) => {
    const asOf = parseInstant(req.body.asOf, 'asOf');
    await app.store.query(`INSERT INTO audit_log (actor, action, target, data) VALUES ($1, 'run.start', 'runs', $2::jsonb)`, [req.principal.name, JSON.stringify({ asOf, view: req.body.view ?? 'as-of', policyIds: req.body.policyIds ?? null })]);
    if (req.body.wait === false) {
      const started = new Promise<number>((resolve, reject) => {
        app.run({ asOf, view: req.body.view, policyIds: req.body.policyIds, trigger: 'api', onStarted: resolve }).catch(reject);
      });
      const runId = await started;
      return reply.code(202).send({ runId, status: 'running' });
    }
    const result = await app.run({ asOf, view: req.body.view, policyIds: req.body.policyIds, trigger: 'api' });
    return toRun(await getRun(result.run.id!));
  });

  server.get<{ Params: { id: number } }>('/api/runs/:id', { config: { access: 'readRuns' }, schema: { tags: ['runs'], params: idParam, response: { 200: ref('run') } } }, async (req) => {
    return toRun(await getRun(req.params.id));
  });

  server.get<{ Params: { id: number }; Querystring: { page: number; pageSize: number; status?: string; employeeId?: string; policyId?: string } }>('/api/runs/:id/decisions', {
    config: { access: 'readRuns' },
    schema: { tags: ['runs'], params: idParam, querystring: pageQuery({ status: { enum: ['fired', 'indeterminate', 'blocked', 'shadowed'] }, employeeId: { type: 'string', maxLength: 128 }, policyId: ref('policyId') }), response: { 200: ref('decisionList') } },
  }, async (req) => {
    await getRun(req.params.id);
    const { limit, offset } = pageOf(req.query);
    const where = ['run_id = $1'];
    const params: unknown[] = [req.params.id];
    for (const [col, v] of [['status', req.query.status], ['employee_id', req.query.employeeId], ['policy_id', req.query.policyId]] as const) {
      if (v) {
        params.push(v);
        where.push(`${col} = $${params.length}`);
      }
    }
    const total = Number((await app.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM decisions WHERE ${where.join(' AND ')}`, params)).rows[0].n);
    const rows = (await app.store.query<Record<string, unknown>>(`SELECT * FROM decisions WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${limit} OFFSET ${offset}`, params)).rows;
    const decisions = rows.map((d) => ({ id: Number(d.id), employeeId: d.employee_id, policyId: d.policy_id as string, policyVersion: Number(d.policy_version), period: d.period, ruleId: d.rule_id, outcome: d.outcome, status: d.status, params: d.params, explanation: d.explanation }));
    return {
      decisions: await withLabels(app.store, decisions),
      total, page: req.query.page, pageSize: req.query.pageSize,
    };
  });

  server.get<{ Params: { id: number } }>('/api/runs/:id/fairness', { config: { access: 'readRuns', expensive: true }, schema: { tags: ['runs'], params: idParam, response: { 200: ref('fairnessReport') } } }, async (req) => {
    const run = toRun(await getRun(req.params.id));
    if (run.status !== 'completed') throw new AppraiseError('APPRAISE_API_BAD_REQUEST', `Run ${req.params.id} is ${run.status}; its fairness report is available once it has completed.`);
    const asOf = new Date(run.asOf!);
    const employees = await cachedEmployees(app.store);
    // The population: everyone any of the run's policies applied to at its as-of date.
    const inScope = new Set<string>();
    for (const pv of run.policyVersions as Array<{ policyId: string; version: number }>) {
      const v = await getVersion(app.store, pv.policyId, pv.version);
      const policy = loadPolicyText(`${pv.policyId}@v${pv.version}`, v.yaml, app.registry).policy;
      for (const e of employees) if (policy && selects(policy.spec.appliesTo, e, asOf).applies) inScope.add(e.id);
    }
    const rows = (await app.store.query<{ employee_id: string; outcome: 'recognition' | 'coaching' | 'pip' }>(`SELECT DISTINCT employee_id, outcome FROM decisions WHERE run_id = $1 AND status = 'fired'`, [req.params.id])).rows;
    const selected = { recognition: new Set<string>(), coaching: new Set<string>(), pip: new Set<string>() };
    for (const r of rows) selected[r.outcome].add(r.employee_id);
    return { runId: req.params.id, ...fairnessFor(app.config, employees.filter((e) => inScope.has(e.id)), selected) };
  });
}
