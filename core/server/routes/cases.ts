// Case routes: the queue (scoped to what the token may see), one case with its events and
// explanation, transitions (approve/reject PIP, schedule/complete coaching, …), check-ins,
// and exemptions. A case outside the caller's reporting line is a 404: its existence is not
// disclosed.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Appraise } from '../../app/appraise.ts';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { canSee, visibleEmployees } from '../../auth/scope.ts';
import { getCase, listCases } from '../../cases/queries.ts';
import { LIFECYCLES, type CaseType } from '../../cases/lifecycle.ts';
import { recordCheckIn, transitionCase } from '../../cases/transitions.ts';
import { createExemption, listExemptions } from '../../cases/exemptions.ts';
import { parseAsOf } from '../../cli/run-command.ts';
import { ref, requirePermission } from '../app.ts';
import { pageOf, pageQuery } from '../paging.ts';

export async function registerCaseRoutes(server: FastifyInstance, app: Appraise): Promise<void> {
  const idParam = { type: 'object', properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } }, required: ['id'] };

  const visibleCase = async (req: FastifyRequest, id: number) => {
    const c = await getCase(app.store, id);
    if (!canSee(await visibleEmployees(app.store, req.principal), c.employeeId)) {
      throw new AppraiseError('APPRAISE_CASE_NOT_FOUND', `There is no case ${id}.`, { caseId: id });
    }
    return c;
  };

  server.get<{ Querystring: { page: number; pageSize: number; type?: string; status?: string[]; team?: string; policyId?: string; employeeId?: string; dueBefore?: string } }>('/api/cases', {
    schema: {
      tags: ['cases'],
      querystring: pageQuery({
        type: { enum: ['recognition', 'coaching', 'pip'] },
        status: { type: 'array', items: { type: 'string', pattern: '^[a-z-]{1,30}$' }, maxItems: 20 },
        team: { type: 'string', maxLength: 100 },
        policyId: ref('policyId'),
        employeeId: { type: 'string', maxLength: 128 },
        dueBefore: { type: 'string', format: 'date' },
      }),
      response: { 200: ref('caseList') },
    },
  }, async (req) => {
    const visible = await visibleEmployees(app.store, req.principal);
    const { limit, offset } = pageOf(req.query);
    const { cases, total } = await listCases(app.store, {
      type: req.query.type, status: req.query.status, team: req.query.team, policyId: req.query.policyId, employeeId: req.query.employeeId,
      dueBefore: req.query.dueBefore, limit, offset, ...(visible === 'all' ? {} : { employeeIds: visible }),
    });
    return { cases, total, page: req.query.page, pageSize: req.query.pageSize };
  });

  server.get<{ Params: { id: number } }>('/api/cases/:id', { schema: { tags: ['cases'], params: idParam, response: { 200: ref('caseDetail') } } }, async (req) => {
    const c = await visibleCase(req, req.params.id);
    const allowedActions = LIFECYCLES[c.type as CaseType]
      .filter((t) => t.from.includes(c.status) && t.by !== 'system' && mayTake(req.principal, t.by, c.employeeId))
      .map((t) => ({ action: t.action, to: t.to, noteRequired: Boolean(t.noteRequired), requires: t.requires ?? [], description: t.description }));
    return { ...c, allowedActions };
  });

  server.post<{ Params: { id: number }; Body: { action: string; note?: string; data?: { scheduledFor?: string; goals?: string[]; dueAt?: string; checkInEveryDays?: number } } }>('/api/cases/:id/transitions', {
    schema: { tags: ['cases'], params: idParam, body: ref('transitionRequest'), response: { 200: ref('caseDetail') } },
  }, async (req) => {
    const c = await visibleCase(req, req.params.id);
    const t = LIFECYCLES[c.type as CaseType].find((x) => x.action === req.body.action && x.from.includes(c.status));
    if (t && !mayTake(req.principal, t.by, c.employeeId)) {
      throw new AppraiseError('APPRAISE_API_FORBIDDEN', t.by === 'employee' ? `Only the employee can ${t.action} their own ${c.type}.` : `The ${req.principal.role} role may not ${t.action} this ${c.type} case.`);
    }
    await transitionCase(app.store, req.params.id, {
      action: req.body.action, actor: req.principal.name, note: req.body.note, data: req.body.data,
      actingAs: req.principal.role === 'employee' ? 'employee' : req.principal.role === 'manager' ? 'manager' : 'hr',
    });
    return { ...(await getCase(app.store, req.params.id)), allowedActions: [] };
  });

  server.post<{ Params: { id: number }; Body: { note: string } }>('/api/cases/:id/checkins', {
    schema: { tags: ['cases'], params: idParam, body: ref('checkinRequest'), response: { 200: ref('caseDetail') } },
  }, async (req) => {
    requirePermission(req, 'actOnCases');
    const c = await visibleCase(req, req.params.id);
    if (c.employeeId === req.principal.employeeId) throw new AppraiseError('APPRAISE_API_FORBIDDEN', 'Check-ins on your own plan are recorded by your manager or HR.');
    await recordCheckIn(app.store, req.params.id, { actor: req.principal.name, note: req.body.note });
    return { ...(await getCase(app.store, req.params.id)), allowedActions: [] };
  });

  server.get<{ Querystring: { employeeId?: string } }>('/api/exemptions', {
    schema: { tags: ['cases'], querystring: { type: 'object', additionalProperties: false, properties: { employeeId: { type: 'string', maxLength: 128 } } }, response: { 200: ref('exemptionList') } },
  }, async (req) => {
    requirePermission(req, 'exempt');
    return { exemptions: await listExemptions(app.store, req.query.employeeId) };
  });

  server.post<{ Body: { employeeId: string; policyId?: string; outcome?: CaseType; reason: string; until: string } }>('/api/exemptions', {
    schema: { tags: ['cases'], body: ref('exemptionRequest'), response: { 200: ref('exemption') } },
  }, async (req) => {
    requirePermission(req, 'exempt');
    const until = parseAsOf(req.body.until);
    if (!until) throw new AppraiseError('APPRAISE_API_BAD_REQUEST', `until must be a date, not ${req.body.until}.`);
    return createExemption(app.store, { ...req.body, until, createdBy: req.principal.name });
  });
}

/**
 * Whether a principal may take an action meant for `by`: HR-side actions need admin or hr;
 * manager actions admin, hr or the employee's manager (never on their own case); employee
 * actions only the employee themself.
 */
function mayTake(p: { role: string; employeeId?: string }, by: string, caseEmployee: string): boolean {
  if (by === 'employee') return p.employeeId === caseEmployee || p.role === 'admin';
  if (p.employeeId === caseEmployee) return false;
  if (by === 'hr') return p.role === 'admin' || p.role === 'hr';
  if (by === 'manager') return p.role === 'admin' || p.role === 'hr' || p.role === 'manager';
  return false;
}
