// Plugins and the metric catalogue, the audit log, and the outbox of workflow deliveries.
import type { FastifyInstance } from 'fastify';
import type { Appraise } from '../../app/appraise.ts';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { retryDelivery } from '../../workflows/dispatcher.ts';
import { DELIVERY_STATUSES, getDelivery, listDeliveries, type DeliveryStatus } from '../../workflows/outbox-view.ts';
import { ref } from '../app.ts';
import { pageOf, pageQuery } from '../paging.ts';

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
/** An outbox id in the path: a positive int4, as the store keeps it. */
const outboxId = () => ({ type: 'object', properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } }, required: ['id'] });

export async function registerAdminRoutes(server: FastifyInstance, app: Appraise): Promise<void> {
  server.get('/api/plugins', { config: { access: 'readPolicies' }, schema: { tags: ['plugins'], response: { 200: ref('pluginList') } } }, async (req) => {
    return {
      plugins: app.plugins.plugins.map((p) => ({
        id: p.id,
        version: p.manifest?.version ?? null,
        displayName: p.manifest?.displayName ?? p.id,
        description: p.manifest?.description ?? null,
        state: p.state,
        reason: p.reason ?? null,
        builtin: p.builtin,
        hasCode: Boolean(p.manifest?.main),
        contributes: {
          recordKinds: (p.manifest?.recordKinds ?? []).map((k) => ({ id: k.id, title: k.title })),
          metrics: (p.manifest?.metrics ?? []).map((m) => m.id),
          operators: (p.manifest?.operators ?? []).map((o) => ({ id: o.id, description: o.description ?? null })),
          workflows: (p.manifest?.workflows ?? []).map((w) => ({ id: w.id, title: w.title })),
          sources: (p.manifest?.sources ?? []).map((x) => ({ id: x.id, title: x.title, produces: x.produces, schedule: x.schedule ?? 'manual' })),
        },
        problems: p.problems.slice(-20),
      })),
    };
  });

  server.get('/api/metrics', { config: { access: 'readPolicies' }, schema: { tags: ['plugins'], response: { 200: ref('metricCatalogue') } } }, async (req) => {
    return {
      metrics: [...app.plugins.metrics.values()].map((m) => ({
        id: m.id, title: m.title, description: m.description ?? null, unit: m.unit, range: m.range ?? null, direction: m.direction,
        recordKind: m.recordKind, defaultMinSamples: m.defaultMinSamples, plugin: m.plugin,
        implementation: m.aggregate !== undefined ? 'declarative' : 'code', formula: m.aggregate ?? null, paramsSchema: m.paramsSchema ?? null,
      })),
      workflows: [...app.registry.workflows.values()].map((w) => ({ id: w.id, title: w.title })),
      operators: [...app.registry.operators.values()].map((o) => ({ id: o.id, description: o.description ?? null, factType: o.factType, valueType: o.valueType })),
    };
  });

  server.get<{ Querystring: { page: number; pageSize: number; action?: string } }>('/api/audit', {
    config: { access: 'readAudit' },
    schema: { tags: ['admin'], querystring: pageQuery({ action: { type: 'string', maxLength: 60 } }), response: { 200: ref('auditList') } },
  }, async (req) => {
    const { limit, offset } = pageOf(req.query);
    const where = req.query.action ? 'WHERE action = $1' : '';
    const params = req.query.action ? [req.query.action] : [];
    const total = Number((await app.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log ${where}`, params)).rows[0].n);
    const rows = (await app.store.query<Record<string, unknown>>(`SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT ${limit} OFFSET ${offset}`, params)).rows;
    return { entries: rows.map((r) => ({ id: Number(r.id), at: iso(r.at), actor: r.actor, action: r.action, target: r.target, before: r.before ?? null, after: r.after ?? null, data: r.data })), total, page: req.query.page, pageSize: req.query.pageSize };
  });

  // Each delivery with its last outcome and whether it may have been delivered (an attempt that
  // ended without an answer); one delivery with its attempt history.
  server.get<{ Querystring: { page: number; pageSize: number; status?: DeliveryStatus } }>('/api/outbox', {
    config: { access: 'manageOutbox' },
    schema: { tags: ['admin'], querystring: pageQuery({ status: { enum: [...DELIVERY_STATUSES] } }), response: { 200: ref('outboxList') } },
  }, async (req) => {
    const { limit, offset } = pageOf(req.query);
    const { deliveries, total } = await listDeliveries(app.store, { statuses: req.query.status ? [req.query.status] : [], limit, offset, order: 'newest' });
    return { deliveries, total, page: req.query.page, pageSize: req.query.pageSize };
  });

  server.get<{ Params: { id: number } }>('/api/outbox/:id', {
    config: { access: 'manageOutbox' },
    schema: { tags: ['admin'], params: outboxId(), response: { 200: ref('outboxDelivery') } },
  }, async (req) => {
    const delivery = await getDelivery(app.store, req.params.id);
    if (!delivery) throw new AppraiseError('APPRAISE_OUTBOX_NOT_FOUND', `There is no delivery ${req.params.id}. \`GET /api/outbox\` lists them.`);
    return delivery;
  });

  server.post<{ Params: { id: number } }>('/api/outbox/:id/retry', {
    config: { access: 'manageOutbox' },
    schema: { tags: ['admin'], params: outboxId(), response: { 200: ref('ok') } },
  }, async (req) => {
    if (!(await retryDelivery(app.store, req.params.id, req.principal.name))) throw new AppraiseError('APPRAISE_OUTBOX_NOT_FOUND', `There is no dead delivery ${req.params.id}.`);
    return { ok: true };
  });
}
