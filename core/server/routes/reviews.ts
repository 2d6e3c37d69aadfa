// Review routes: the templates, the cycles with their progress, opening a cycle and extending its
// deadlines (HR), the reviews the caller may see, one review with what the caller may do now,
// its packet, its steps, and amending a rating (HR; disputes use it). A review outside the
// caller's line is a 404: its existence is not disclosed. Viewers get no free text.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Appraise } from '../../app/appraise.ts';
import type { Principal } from '../../auth/tokens.ts';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { canSee, visibleEmployees } from '../../auth/scope.ts';
import { openCycle } from '../../people/reviews/cycles.ts';
import { extendDeadline } from '../../people/reviews/deadlines.ts';
import { reviewActionsFor, type ReviewActor } from '../../people/reviews/lifecycle.ts';
import { reviewPacket } from '../../people/reviews/packet-read.ts';
import { packetForViewer } from '../../people/reviews/redact.ts';
import { getReview, listCycles, listReviews, withoutFreeText } from '../../people/reviews/queries.ts';
import { amendSectionRating, transitionReview } from '../../people/reviews/transitions.ts';
import { findTemplate, listTemplates } from '../../people/reviews/templates-dir.ts';
import { ref } from '../app.ts';
import { pageOf, pageQuery } from '../paging.ts';

/** The parts a person takes on a review: their own as the employee; a reviewed person's manager or HR otherwise. */
export function partsOf(p: Pick<Principal, 'role' | 'employeeId'>, employeeId: string): ReviewActor[] {
  if (p.employeeId === employeeId) return ['employee'];
  if (p.role === 'admin' || p.role === 'hr') return ['hr', 'manager'];
  if (p.role === 'manager') return ['manager'];
  return [];
}

export async function registerReviewRoutes(server: FastifyInstance, app: Appraise): Promise<void> {
  const idParam = { type: 'object', properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } }, required: ['id'] };
  const cycleParam = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 63 } }, required: ['id'] };
  const deps = () => ({ registry: app.registry, metrics: app.plugins.metrics, host: app.host });
  const scope = async (req: FastifyRequest) => {
    const visible = await visibleEmployees(app.store, req.principal);
    return visible === 'all' ? undefined : visible;
  };
  const visibleReview = async (req: FastifyRequest, id: number) => {
    const r = await getReview(app.store, id);
    if (!canSee(await visibleEmployees(app.store, req.principal), r.employeeId)) throw new AppraiseError('APPRAISE_REVIEW_NOT_FOUND', `There is no review ${id}.`, { reviewId: id });
    return r;
  };
  const present = async (req: FastifyRequest, id: number) => {
    const r = await visibleReview(req, id);
    const allowedActions = reviewActionsFor(r.status, partsOf(req.principal, r.employeeId))
      .map((t) => ({ action: t.action, as: t.by, to: t.to, noteRequired: Boolean(t.noteRequired), description: t.description }));
    return { ...(req.principal.role === 'viewer' ? withoutFreeText(r) : r), allowedActions };
  };

  server.get('/api/review-templates', { config: { access: 'manageReviews' }, schema: { tags: ['reviews'], response: { 200: ref('reviewTemplateList') } } }, async () => ({ templates: await listTemplates() }));

  server.get('/api/review-cycles', { config: { access: 'signedIn' }, schema: { tags: ['reviews'], response: { 200: ref('reviewCycleList') } } }, async (req) => ({
    cycles: await listCycles(app.store, { employeeIds: await scope(req) }),
  }));

  server.post<{ Body: { id?: string; period: string; title?: string; template: string; appliesTo?: Record<string, unknown>; due: { self: string; manager: string; signoff: string } } }>('/api/review-cycles', {
    config: { access: 'manageReviews' },
    schema: { tags: ['reviews'], body: ref('reviewCycleRequest'), response: { 200: ref('reviewCycleOpened') } },
  }, async (req) => {
    const t = await findTemplate(req.body.template);
    return openCycle(app.store, { ...req.body, template: t.template, templateYaml: t.text, actor: req.principal.name });
  });

  server.post<{ Params: { id: string }; Body: { step: string; dueAt: string; note: string; reviewId?: number } }>('/api/review-cycles/:id/deadlines', {
    config: { access: 'manageReviews' },
    schema: { tags: ['reviews'], params: cycleParam, body: ref('reviewDeadlineRequest'), response: { 200: ref('reviewDeadlineResult') } },
  }, async (req) => extendDeadline(app.store, { cycleId: req.params.id, ...req.body, actor: req.principal.name }));

  server.get<{ Querystring: { page: number; pageSize: number; cycleId?: string; employeeId?: string; status?: string[]; overdue?: boolean } }>('/api/reviews', {
    config: { access: 'signedIn' },
    schema: {
      tags: ['reviews'],
      querystring: pageQuery({
        cycleId: { type: 'string', maxLength: 63 }, employeeId: { type: 'string', maxLength: 128 },
        status: { type: 'array', items: { type: 'string', pattern: '^[a-z-]{1,30}$' }, maxItems: 10 },
        overdue: { type: 'boolean', description: 'Only reviews whose current step is past its deadline.' },
      }),
      response: { 200: ref('reviewList') },
    },
  }, async (req) => {
    const { limit, offset } = pageOf(req.query);
    const { reviews, total } = await listReviews(app.store, { ...req.query, employeeIds: await scope(req), limit, offset });
    return { reviews, total, page: req.query.page, pageSize: req.query.pageSize };
  });

  server.get<{ Params: { id: number } }>('/api/reviews/:id', { config: { access: 'signedIn' }, schema: { tags: ['reviews'], params: idParam, response: { 200: ref('reviewDetail') } } },
    async (req) => present(req, req.params.id));

  server.get<{ Params: { id: number } }>('/api/reviews/:id/packet', {
    config: { access: 'signedIn', expensive: true },
    schema: { tags: ['reviews'], params: idParam, response: { 200: ref('reviewPacket') } },
  }, async (req) => {
    await visibleReview(req, req.params.id);
    const result = await reviewPacket(app.store, deps(), req.params.id);
    return req.principal.role === 'viewer' ? { ...result, packet: packetForViewer(result.packet) } : result;
  });

  server.post<{ Params: { id: number }; Body: { action: string; note?: string; data?: { sections?: Record<string, unknown>; summary?: string } } }>('/api/reviews/:id/transitions', {
    config: { access: 'takeReviewSteps' },
    schema: { tags: ['reviews'], params: idParam, body: ref('reviewTransitionRequest'), response: { 200: ref('reviewDetail') } },
  }, async (req) => {
    const r = await visibleReview(req, req.params.id);
    await transitionReview(app.store, deps(), r.id, { ...req.body, actor: req.principal.name, as: partsOf(req.principal, r.employeeId) });
    return present(req, r.id);
  });

  server.post<{ Params: { id: number }; Body: { section: string; rating: number; note: string; disputeId?: number } }>('/api/reviews/:id/amendments', {
    config: { access: 'manageReviews' },
    schema: { tags: ['reviews'], params: idParam, body: ref('reviewAmendRequest'), response: { 200: ref('reviewDetail') } },
  }, async (req) => {
    const r = await visibleReview(req, req.params.id);
    if (r.employeeId === req.principal.employeeId) throw new AppraiseError('APPRAISE_REVIEW_FORBIDDEN', 'A rating of your own review is amended by someone else in HR.', { reviewId: r.id });
    await amendSectionRating(app.store, r.id, { ...req.body, actor: req.principal.name });
    return present(req, r.id);
  });
}
