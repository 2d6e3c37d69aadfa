// The data-subject access export over HTTP: a person's own export (employee or manager token),
// or any person's for an administrator, who sees protected attributes too. HR does not: the
// export holds the employee's attributes, which HR never sees beside performance.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Appraise } from '../../app/appraise.ts';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { exportSubject } from '../../compliance/subject-access/export.ts';
import { exportPage } from '../../compliance/subject-access/page.ts';
import { ref } from '../app.ts';

const params = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 128 } }, required: ['id'] };

export async function registerSubjectAccessRoutes(server: FastifyInstance, app: Appraise): Promise<void> {
  const exportFor = (req: FastifyRequest<{ Params: { id: string } }>) => {
    const p = req.principal;
    // Anyone but an administrator exports only themself; another's id is not found, as elsewhere.
    if (p.role !== 'admin' && p.employeeId !== req.params.id) throw new AppraiseError('APPRAISE_EMPLOYEE_NOT_FOUND', `There is no employee ${req.params.id} whose data you may export; you may export your own (${p.employeeId ?? 'none'}).`);
    return exportSubject(app.store, req.params.id, `${p.name} (${p.role})`);
  };

  server.get<{ Params: { id: string } }>('/api/employees/:id/export', {
    config: { access: 'exportPersonalData' },
    schema: { tags: ['employees'], summary: 'Everything stored about one person (GDPR access), as JSON', params, response: { 200: ref('subjectExport') } },
  }, async (req, reply) => {
    const x = await exportFor(req);
    reply.header('content-disposition', `attachment; filename="appraise-export-${encodeURIComponent(x.employeeId)}.json"`);
    return x;
  });

  server.get<{ Params: { id: string } }>('/api/employees/:id/export.html', {
    config: { access: 'exportPersonalData' },
    schema: { tags: ['employees'], summary: 'The same export as a readable, printable page', params },
  }, async (req, reply) => {
    const x = await exportFor(req);
    const name = (x.sections.employee[0]?.name as string | undefined) ?? undefined;
    return reply.type('text/html; charset=utf-8').send(exportPage(x, name));
  });
}
