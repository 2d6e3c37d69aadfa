// Case routes: the list (scoped to what the token may see: all of it, or what waits for the
// caller, sorted by a whitelisted key), one case with its events and explanation, transitions
// (approve/reject PIP, schedule/complete coaching, …), check-ins, and exemptions. A case outside
// the caller's reporting line is a 404: its existence is not disclosed.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Appraise } from '../../app/appraise.ts';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { canSee, visibleEmployees } from '../../auth/scope.ts';
import { getCase, listCases } from '../../cases/queries.ts';
import { CASE_SORTS, parseCaseSort } from '../../cases/sort.ts';
import { ACTION_WORDS, actionsOf, CASE_NOUN, LIFECYCLES, orList, type CaseType } from '../../cases/lifecycle.ts';
import { recordCheckIn, transitionCase } from '../../cases/transitions.ts';
import { createExemption, listExemptions } from '../../cases/exemptions.ts';
import { parseInstant } from '../../util/instant.ts';
import { ref } from '../app.ts';
import { didYouMean } from '../../util/did-you-mean.ts';
import { pageOf, pageQuery } from '../paging.ts';
import { pipGoalSnapshot, withPipGoals, type PipGoalInput } from '../../people/goals/index.ts';
import { redactDisputeEvents } from '../../people/disputes/queries.ts';

export async function registerCaseRoutes(server: FastifyInstance, app: Appraise): Promise<void> {
  const idParam = { type: 'object', properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } }, required: ['id'] };

  const visibleCase = async (req: FastifyRequest, id: number) => {
    const c = await getCase(app.store, id);
    if (!canSee(await visibleEmployees(app.store, req.principal), c.employeeId)) {
      throw new AppraiseError('APPRAISE_CASE_NOT_FOUND', `There is no case ${id}.`, { caseId: id });
    }
    return c;
  };

  server.get<{ Querystring: { page: number; pageSize: number; type?: string; status?: string[]; team?: string; policyId?: string; employeeId?: string; dueBefore?: string; view: 'all' | 'mine'; sort?: string } }>('/api/cases', {
    config: { access: 'signedIn' },
    schema: {
      tags: ['cases'],
      querystring: pageQuery({
        type: { enum: ['recognition', 'coaching', 'pip'] },
        status: { type: 'array', items: { type: 'string', pattern: '^[a-z-]{1,30}$' }, maxItems: 20 },
        team: { type: 'string', maxLength: 100 },
        policyId: ref('policyId'),
        employeeId: { type: 'string', maxLength: 128 },
        dueBefore: { type: 'string', format: 'date', description: 'Only open cases whose next step is due (`dueBy`) before this date.' },
        view: {
          enum: ['all', 'mine'], default: 'all',
          description: '`mine`: only the cases that wait for the caller (HR: PIPs to approve, to plan, to close or with an overdue check-in; a manager: their people\'s coaching to schedule or complete, recognitions to deliver, PIPs to start, check-ins due within 7 days; everyone: what they must acknowledge), most urgent first. `all`: every case the caller may see, newest first.',
        },
        sort: {
          type: 'string', maxLength: 40,
          description: `Instead of the view's order: ${CASE_SORTS.map((k) => `\`${k}\``).join(', ')} (a leading \`-\` sorts descending; ties by case id). Any other is a 400 APPRAISE_CASE_UNKNOWN_SORT.`,
        },
      }),
      response: { 200: ref('caseList') },
    },
  }, async (req) => {
    const sort = req.query.sort === undefined ? undefined : parseCaseSort(req.query.sort);
    const visible = await visibleEmployees(app.store, req.principal);
    const { limit, offset } = pageOf(req.query);
    const { cases, total } = await listCases(app.store, {
      type: req.query.type, status: req.query.status, team: req.query.team, policyId: req.query.policyId, employeeId: req.query.employeeId,
      dueBefore: req.query.dueBefore, view: req.query.view, actor: req.principal, sort, limit, offset, ...(visible === 'all' ? {} : { employeeIds: visible }),
    });
    return { cases, total, page: req.query.page, pageSize: req.query.pageSize };
  });

  server.get<{ Params: { id: number } }>('/api/cases/:id', { config: { access: 'signedIn' }, schema: { tags: ['cases'], params: idParam, response: { 200: ref('caseDetail') } } }, async (req) => {
    const c = await visibleCase(req, req.params.id);
    const allowedActions = LIFECYCLES[c.type as CaseType]
      .filter((t) => t.from.includes(c.status) && t.by !== 'system' && mayTake(req.principal, t.by, c.employeeId))
      // Nobody is offered to acknowledge a plan that has none yet.
      .filter((t) => !t.requiresPlan || (c.goals?.length && c.dueAt))
      .map((t) => ({ action: t.action, to: t.to, noteRequired: Boolean(t.noteRequired), requires: t.requires ?? [], description: t.description }));
    // A PIP's goals with their progress now (core/people/goals/pip.ts); older PIPs show their goals as written criteria.
    const pipGoals = c.type === 'pip' && c.goals?.length ? await pipGoalSnapshot(app.store, app.goalDeps, c.id, new Date()) : [];
    // A viewer sees that a case was disputed, not what was said.
    return { ...c, events: redactDisputeEvents(c.events, req.principal), allowedActions, pipGoals };
  });

  server.post<{ Params: { id: number }; Body: { action: string; note?: string; data?: { scheduledFor?: string; goals?: PipGoalInput[]; dueAt?: string; checkInEveryDays?: number; support?: string } } }>('/api/cases/:id/transitions', {
    config: { access: 'transitionCases' },
    schema: { tags: ['cases'], params: idParam, body: ref('transitionRequest'), response: { 200: ref('caseDetail') } },
  }, async (req) => {
    const c = await visibleCase(req, req.params.id);
    const type = c.type as CaseType;
    // Who may act is decided before whether the case's state allows it: a role that may never
    // take this action hears 403, whatever the status.
    const actions = LIFECYCLES[type].filter((x) => x.by !== 'system');
    const named = actions.filter((x) => x.action === req.body.action);
    if (!named.length) {
      const names = actionsOf(type);
      throw new AppraiseError('APPRAISE_CASE_UNKNOWN_ACTION', `\`${req.body.action}\` is not an action on a ${CASE_NOUN[type]}.${didYouMean(req.body.action, names)} Its actions are ${orList(names, 'and')}.`, { field: 'action', allowed: names });
    }
    if (!named.some((x) => mayTake(req.principal, x.by, c.employeeId))) {
      const words = ACTION_WORDS[named[0].action];
      throw new AppraiseError('APPRAISE_API_FORBIDDEN', named[0].by === 'employee'
        ? `Only the employee can ${words.to(`their own ${CASE_NOUN[type]}`)}.`
        : `The ${req.principal.role === 'hr' ? 'HR' : req.principal.role} role may not ${words.to(`this ${CASE_NOUN[type]}`)}.`);
    }
    // A PIP's goals become goal rows with a measure or a written criterion, in the same transaction.
    await transitionCase(app.store, req.params.id, withPipGoals(app.plugins.metrics, {
      action: req.body.action, actor: req.principal.name, note: req.body.note, data: req.body.data,
      actingAs: actingAs(req.principal, c.employeeId),
    }));
    return { ...(await getCase(app.store, req.params.id)), allowedActions: [] };
  });

  server.post<{ Params: { id: number }; Body: { note: string } }>('/api/cases/:id/checkins', {
    config: { access: 'actOnCases' },
    schema: { tags: ['cases'], params: idParam, body: ref('checkinRequest'), response: { 200: ref('caseDetail') } },
  }, async (req) => {
    const c = await visibleCase(req, req.params.id);
    if (c.employeeId === req.principal.employeeId) throw new AppraiseError('APPRAISE_API_FORBIDDEN', 'Check-ins on your own plan are recorded by your manager or HR.');
    // Each goal's progress at this date is kept on the check-in.
    const goals = c.type === 'pip' ? await pipGoalSnapshot(app.store, app.goalDeps, c.id, new Date()) : [];
    await recordCheckIn(app.store, req.params.id, { actor: req.principal.name, note: req.body.note, data: goals.length ? { goals } : {} });
    return { ...(await getCase(app.store, req.params.id)), allowedActions: [] };
  });

  server.get<{ Querystring: { employeeId?: string } }>('/api/exemptions', {
    config: { access: 'exempt' },
    schema: { tags: ['cases'], querystring: { type: 'object', additionalProperties: false, properties: { employeeId: { type: 'string', maxLength: 128 } } }, response: { 200: ref('exemptionList') } },
  }, async (req) => {
    return { exemptions: await listExemptions(app.store, req.query.employeeId) };
  });

  server.post<{ Body: { employeeId: string; policyId?: string; outcome?: CaseType; reason: string; until: string } }>('/api/exemptions', {
    config: { access: 'exempt' },
    schema: { tags: ['cases'], body: ref('exemptionRequest'), response: { 200: ref('exemption') } },
  }, async (req) => {
    const until = parseInstant(req.body.until, 'until');
    return createExemption(app.store, { ...req.body, until, createdBy: req.principal.name });
  });
}

/**
 * Whether a principal may take an action meant for `by`: HR-side actions need admin or hr;
 * manager actions admin, hr or the employee's manager (never on their own case); employee
 * actions only the employee themself. The allowed actions shown and the ones accepted are both
 * decided here, so a role is never offered what it would be refused. The "needs my action" view
 * (core/cases/queue.ts) follows the same rules in SQL.
 */
function mayTake(p: { role: string; employeeId?: string }, by: string, caseEmployee: string): boolean {
  // Acknowledging is the employee's own act: nobody, an admin included, does it for them.
  if (by === 'employee') return p.employeeId === caseEmployee;
  if (p.employeeId === caseEmployee) return false;
  if (by === 'hr') return p.role === 'admin' || p.role === 'hr';
  if (by === 'manager') return p.role === 'admin' || p.role === 'hr' || p.role === 'manager';
  return false;
}

/** The side a principal acts on in the case lifecycle. */
function actingAs(p: { role: string; employeeId?: string }, caseEmployee: string): 'employee' | 'manager' | 'hr' {
  if (p.employeeId === caseEmployee) return 'employee';
  return p.role === 'admin' || p.role === 'hr' ? 'hr' : p.role === 'manager' ? 'manager' : 'employee';
}
