// Employee routes: search, one employee with their cases and latest decisions, their metrics
// over time (for trend charts with the policy thresholds), and imports. Managers see their
// reporting line, employees themselves. Protected attributes are never returned beside
// performance data: only by their own route, to admins (fairness reports aggregate them).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Appraise } from '../../app/appraise.ts';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { canSee, visibleEmployees } from '../../auth/scope.ts';
import { listCases } from '../../cases/queries.ts';
import { loadEmployee, searchEmployees, tenureDays, type Employee } from '../../run/employees.ts';
import { employeeTrends } from '../../run/trends.ts';
import { cachedRead, trendInstant } from '../../run/read-cache.ts';
import { parseInstant } from '../../util/instant.ts';
import { ref } from '../app.ts';
import { pageOf, pageQuery } from '../paging.ts';

export async function registerEmployeeRoutes(server: FastifyInstance, app: Appraise): Promise<void> {
  const idParam = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 128 } }, required: ['id'] };
  const present = (e: Employee) => {
    const { attributes: _attributes, ...rest } = e;
    return { ...rest, tenureDays: tenureDays(e, new Date()) ?? null };
  };
  const visibleEmployee = async (req: FastifyRequest, id: string) => {
    const e = await loadEmployee(app.store, id);
    if (!e || !canSee(await visibleEmployees(app.store, req.principal), id)) throw new AppraiseError('APPRAISE_API_NOT_FOUND', `There is no employee ${id}.`);
    return e;
  };

  server.get<{ Querystring: { page: number; pageSize: number; q?: string; team?: string; department?: string; role?: string } }>('/api/employees', {
    config: { access: 'signedIn' },
    schema: { tags: ['employees'], querystring: pageQuery({ q: { type: 'string', maxLength: 100 }, team: { type: 'string', maxLength: 100 }, department: { type: 'string', maxLength: 100 }, role: { type: 'string', maxLength: 100 } }), response: { 200: ref('employeeList') } },
  }, async (req) => {
    const visible = await visibleEmployees(app.store, req.principal);
    const { limit, offset } = pageOf(req.query);
    const { employees, total } = await searchEmployees(app.store, {
      ...(visible === 'all' ? {} : { ids: visible }), q: req.query.q, team: req.query.team, department: req.query.department, role: req.query.role, limit, offset,
    });
    return { employees: employees.map(present), total, page: req.query.page, pageSize: req.query.pageSize };
  });

  server.get<{ Params: { id: string } }>('/api/employees/:id', { config: { access: 'signedIn' }, schema: { tags: ['employees'], params: idParam, response: { 200: ref('employeeDetail') } } }, async (req) => {
    const e = await visibleEmployee(req, req.params.id);
    const { cases } = await listCases(app.store, { employeeId: e.id, limit: 200 });
    const decisions = (await app.store.query<Record<string, unknown>>(
      `SELECT d.id, d.run_id, d.policy_id, d.policy_version, d.period, d.rule_id, d.outcome, d.status, d.explanation, r.as_of
       FROM decisions d JOIN runs r ON r.id = d.run_id WHERE d.employee_id = $1 AND r.status = 'completed' ORDER BY d.id DESC LIMIT 50`,
      [e.id],
    )).rows.map((d) => ({ id: Number(d.id), runId: Number(d.run_id), asOf: new Date(d.as_of as string).toISOString(), policyId: d.policy_id, policyVersion: d.policy_version, period: d.period, ruleId: d.rule_id, outcome: d.outcome, status: d.status, explanation: d.explanation }));
    const manager = e.managerId ? await loadEmployee(app.store, e.managerId) : undefined;
    return { employee: { ...present(e), managerName: manager?.name ?? null }, cases, decisions };
  });

  server.get<{ Params: { id: string } }>('/api/employees/:id/attributes', {
    config: { access: 'seeProtectedAttributes' },
    schema: { tags: ['employees'], params: idParam, response: { 200: ref('employeeAttributes') } },
  }, async (req) => {
    const e = await visibleEmployee(req, req.params.id);
    return { employeeId: e.id, attributes: e.attributes ?? {} };
  });

  server.get<{ Params: { id: string }; Querystring: { periods: number; cycle: 'week' | 'month' | 'quarter'; asOf?: string } }>('/api/employees/:id/metrics', {
    config: { access: 'signedIn', expensive: true },
    schema: {
      tags: ['employees'], params: idParam,
      querystring: { type: 'object', additionalProperties: false, properties: { periods: { type: 'integer', minimum: 1, maximum: 24, default: 6 }, cycle: { enum: ['week', 'month', 'quarter'], default: 'month' }, asOf: { type: 'string', maxLength: 40 } } },
      response: { 200: ref('trends') },
    },
  }, async (req) => {
    const e = await visibleEmployee(req, req.params.id);
    const asOf = req.query.asOf ? parseInstant(req.query.asOf, 'asOf') : trendInstant(new Date());
    const { periods, cycle } = req.query;
    const series = await cachedRead(app.store, JSON.stringify(['employee', e.id, asOf, periods, cycle]), () =>
      employeeTrends(app.store, { registry: app.registry, metrics: app.plugins.metrics }, e, { asOf, periods, cycle }),
    );
    return { employeeId: e.id, asOf: asOf.toISOString(), series };
  });
}
