// Dispute routes: raise (the employee or their manager), list and show (scoped like cases; a
// viewer without free text), resolve (HR: uphold, amend or overturn, with a note) and withdraw
// (the one who raised it). A dispute outside the caller's reporting line is a 404.
import type { FastifyInstance } from 'fastify';
import type { Appraise } from '../../app/appraise.ts';
import { raiseDispute, resolveDispute, withdrawDispute } from '../../people/disputes/disputes.ts';
import { getDispute, listDisputes } from '../../people/disputes/queries.ts';
import type { DisputeStatus, Resolution, SubjectType } from '../../people/disputes/subject.ts';
import { ref } from '../app.ts';
import { pageOf, pageQuery } from '../paging.ts';

export async function registerDisputeRoutes(server: FastifyInstance, app: Appraise): Promise<void> {
  const idParam = { type: 'object', properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } }, required: ['id'] };

  server.get<{ Querystring: { page: number; pageSize: number; status?: DisputeStatus[]; subjectType?: SubjectType; subjectId?: number; employeeId?: string } }>('/api/disputes', {
    config: { access: 'signedIn' },
    schema: {
      tags: ['disputes'],
      description: 'The disputes the caller may see (an employee their own, a manager their line, HR and admin all; a viewer without free text), open ones first, then the newest.',
      querystring: pageQuery({
        status: { type: 'array', items: ref('disputeStatus'), maxItems: 5 },
        subjectType: ref('disputeSubjectType'),
        subjectId: { type: 'integer', minimum: 1, maximum: 2147483647 },
        employeeId: { type: 'string', maxLength: 128 },
      }),
      response: { 200: ref('disputeList') },
    },
  }, async (req) => {
    const { limit, offset } = pageOf(req.query);
    const { disputes, total } = await listDisputes(app.store, req.principal, { ...req.query, limit, offset });
    return { disputes, total, page: req.query.page, pageSize: req.query.pageSize };
  });

  server.post<{ Body: { subjectType: SubjectType; subjectId: number; section?: string; reason: string } }>('/api/disputes', {
    config: { access: 'raiseDisputes' },
    schema: { tags: ['disputes'], description: 'The employee, or a manager in their line, disputes a case with a reason. One open dispute per case.', body: ref('disputeRequest'), response: { 200: ref('dispute') } },
  }, async (req) => {
    const id = await raiseDispute(app.store, req.principal, req.body);
    return getDispute(app.store, req.principal, id);
  });

  server.get<{ Params: { id: number } }>('/api/disputes/:id', {
    config: { access: 'signedIn' },
    schema: { tags: ['disputes'], params: idParam, response: { 200: ref('dispute') } },
  }, async (req) => getDispute(app.store, req.principal, req.params.id));

  server.post<{ Params: { id: number }; Body: { resolution: Resolution; note: string; amendment?: { goals?: string[]; dueAt?: string } } }>('/api/disputes/:id/resolution', {
    config: { access: 'resolveDisputes' },
    schema: { tags: ['disputes'], description: 'HR upholds, amends or overturns an open dispute, with a note the employee reads.', params: idParam, body: ref('disputeResolution'), response: { 200: ref('dispute') } },
  }, async (req) => {
    await getDispute(app.store, req.principal, req.params.id);
    await resolveDispute(app.store, req.principal, req.params.id, req.body, { notify: app.config.notifications.people.workflows });
    return getDispute(app.store, req.principal, req.params.id);
  });

  server.post<{ Params: { id: number }; Body: { note?: string } }>('/api/disputes/:id/withdrawal', {
    config: { access: 'raiseDisputes' },
    schema: { tags: ['disputes'], description: 'The one who raised an open dispute withdraws it; the case stands as it is.', params: idParam, body: ref('disputeWithdrawal'), response: { 200: ref('dispute') } },
  }, async (req) => {
    await getDispute(app.store, req.principal, req.params.id);
    await withdrawDispute(app.store, req.principal, req.params.id, req.body ?? {});
    return getDispute(app.store, req.principal, req.params.id);
  });
}
