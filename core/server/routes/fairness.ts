// Fairness audit routes (HR and admins only): the four-fifths report per policy and review
// cycle from the stored runs, as JSON or CSV, and as a printable page. Protected attributes are
// reported here in aggregate, never beside one person's performance.
import type { FastifyInstance } from 'fastify';
import type { Appraise } from '../../app/appraise.ts';
import { withDemoFairness } from '../../app/demo-fairness.ts';
import { auditRange, fairnessAudit, type FairnessAudit } from '../../fairness/audit.ts';
import { auditCsv } from '../../fairness/audit-csv.ts';
import { auditHtml } from '../../fairness/audit-print.ts';
import { ref } from '../app.ts';

interface ReportQuery { from: string; to: string; policy?: string; format?: 'json' | 'csv' }

const rangeQuery = (withFormat: boolean) => ({
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: {
    from: { type: 'string', maxLength: 40, description: 'The first as-of date of the runs reported (YYYY-MM-DD or an ISO instant).' },
    to: { type: 'string', maxLength: 40, description: 'The last as-of date (YYYY-MM-DD: the whole day).' },
    policy: ref('policyId'),
    ...(withFormat ? { format: { enum: ['json', 'csv'], default: 'json' } } : {}),
  },
});

export async function registerFairnessRoutes(server: FastifyInstance, app: Appraise): Promise<void> {
  const audit = async (q: ReportQuery): Promise<FairnessAudit> => {
    const range = auditRange(q.from, q.to);
    const config = await withDemoFairness(app.config, app.store);
    return fairnessAudit(app.store, { registry: app.registry, config }, range, q.policy);
  };
  const fileName = (q: ReportQuery, ext: string) => `fairness-${q.from.slice(0, 10)}-${q.to.slice(0, 10)}${q.policy ? `-${q.policy}` : ''}.${ext}`.replace(/[^\w.-]/g, '_');

  server.get<{ Querystring: ReportQuery }>('/api/fairness/report', {
    config: { access: 'auditFairness', expensive: true },
    schema: {
      tags: ['fairness'],
      querystring: rangeQuery(true),
      response: { 200: { content: { 'application/json': { schema: ref('fairnessAudit') }, 'text/csv': { schema: { type: 'string' } } } } },
    },
  }, async (req, reply) => {
    const result = await audit(req.query);
    if (req.query.format === 'csv') {
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${fileName(req.query, 'csv')}"`).send(auditCsv(result));
    }
    return result;
  });

  server.get<{ Querystring: ReportQuery }>('/api/fairness/report/print', {
    config: { access: 'auditFairness', expensive: true },
    schema: { tags: ['fairness'], querystring: rangeQuery(false), response: { 200: { content: { 'text/html': { schema: { type: 'string' } } } } } },
  }, async (req, reply) => reply.type('text/html; charset=utf-8').send(auditHtml(await audit(req.query))));
}
