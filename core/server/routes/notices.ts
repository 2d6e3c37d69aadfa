// Worker notices (core/compliance/notices): a policy version's notice for those who read
// policies (HR, admins, managers, viewers: the notice says nothing the policy text does not), and
// for the signed-in person the notices of the policies that apply to them, current and earlier.
import type { FastifyInstance } from 'fastify';
import type { Appraise } from '../../app/appraise.ts';
import { getNotice, noticesForEmployee } from '../../compliance/notices/queries.ts';
import { ref } from '../app.ts';

export async function registerNoticeRoutes(server: FastifyInstance, app: Appraise): Promise<void> {
  server.get<{ Params: { id: string }; Querystring: { version?: number } }>('/api/policies/:id/notice', {
    config: { access: 'readPolicies' },
    schema: {
      tags: ['policies'],
      description: 'The worker notice of a version that went in force (default: the one in force now), as it was published.',
      params: { type: 'object', properties: { id: ref('policyId') }, required: ['id'] },
      querystring: { type: 'object', additionalProperties: false, properties: { version: { type: 'integer', minimum: 1, maximum: 2147483647 } } },
      response: { 200: ref('workerNotice') },
    },
  }, async (req) => getNotice(app.store, req.params.id, req.query.version, app.noticeContext));

  server.get('/api/me/notices', {
    config: { access: 'signedIn' },
    schema: { tags: ['auth'], description: 'How I am evaluated: the notices of the policies that apply to me.', response: { 200: ref('myNotices') } },
  }, async (req) => {
    const employeeId = req.principal.employeeId ?? null;
    return { employeeId, policies: employeeId ? await noticesForEmployee(app.store, employeeId, app.noticeContext) : [] };
  });
}
