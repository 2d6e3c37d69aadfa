// Goal routes: an employee's goals (their own and their team's) with progress as of a date, one
// goal with its events, setting or proposing a goal, and its actions (accept, decline, met,
// missed, cancel, note). Who may do what is decided per goal in core/people/goals; a goal
// outside what the caller may see is a 404. Viewers see no free text (descriptions, criteria, notes).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Appraise } from '../../app/appraise.ts';
import type { Principal } from '../../auth/tokens.ts';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { canSee, visibleEmployees } from '../../auth/scope.ts';
import { parseInstant } from '../../util/instant.ts';
import { actOnGoal, createGoal, getGoal, goalEvents, goalProgress, listGoals, type Goal, type GoalInput } from '../../people/goals/index.ts';
import { goalActionsFrom } from '../../people/goals/lifecycle.ts';
import { ref } from '../app.ts';

/** A goal as a principal may read it: a viewer gets no free text. */
function shown<T extends Partial<Goal>>(p: Principal, g: T): T {
  return p.role === 'viewer' ? { ...g, description: null, criterion: null } : g;
}

export async function registerGoalRoutes(server: FastifyInstance, app: Appraise): Promise<void> {
  const goalId = { type: 'object', properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } }, required: ['id'] };
  const asOfQuery = { type: 'object', additionalProperties: false, properties: { asOf: { type: 'string', maxLength: 40, description: 'Progress as of this date (YYYY-MM-DD or an instant); default now.' } } };
  const asOfOf = (req: FastifyRequest<{ Querystring: { asOf?: string } }>) => parseInstant(req.query.asOf, '`asOf`');
  const withProgress = async (p: Principal, goals: Goal[], asOf: Date) => {
    const progress = await goalProgress(app.store, app.goalDeps, goals, asOf);
    return goals.map((g) => shown(p, { ...g, progress: progress.get(g.id)!, allowedActions: goalActionsFrom(g.status) }));
  };

  server.get<{ Params: { id: string }; Querystring: { asOf?: string } }>('/api/employees/:id/goals', {
    config: { access: 'signedIn' },
    schema: { tags: ['goals'], params: { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 128 } }, required: ['id'] }, querystring: asOfQuery, response: { 200: ref('goalList') } },
  }, async (req) => {
    const asOf = asOfOf(req);
    const exists = await app.store.query('SELECT 1 FROM employees WHERE id = $1', [req.params.id]);
    if (!exists.rows.length || !canSee(await visibleEmployees(app.store, req.principal), req.params.id)) {
      throw new AppraiseError('APPRAISE_EMPLOYEE_NOT_FOUND', `There is no employee ${req.params.id}.`);
    }
    const goals = await listGoals(app.store, app.plugins.metrics, req.params.id);
    return { goals: await withProgress(req.principal, goals, asOf), asOf: asOf.toISOString() };
  });

  server.get<{ Params: { id: number }; Querystring: { asOf?: string } }>('/api/goals/:id', {
    config: { access: 'signedIn' },
    schema: { tags: ['goals'], params: goalId, querystring: asOfQuery, response: { 200: ref('goal') } },
  }, async (req) => {
    const goal = await getGoal(app.store, app.plugins.metrics, req.principal, req.params.id);
    const [withP] = await withProgress(req.principal, [goal], asOfOf(req));
    const events = (await goalEvents(app.store, goal.id)).map((e) => (req.principal.role === 'viewer' ? { ...e, note: null } : e));
    return { ...withP, events };
  });

  server.post<{ Body: GoalInput }>('/api/goals', {
    config: { access: 'setGoals' },
    schema: { tags: ['goals'], body: ref('goalCreateRequest'), response: { 200: ref('goal') } },
  }, async (req) => {
    const goal = await createGoal(app.store, app.plugins.metrics, req.principal, req.body);
    return (await withProgress(req.principal, [goal], new Date()))[0];
  });

  server.post<{ Params: { id: number }; Body: { action: string; note?: string } }>('/api/goals/:id/actions', {
    config: { access: 'setGoals' },
    schema: { tags: ['goals'], params: goalId, body: ref('goalActionRequest'), response: { 200: ref('goal') } },
  }, async (req) => {
    const goal = await actOnGoal(app.store, app.plugins.metrics, req.principal, req.params.id, req.body);
    return (await withProgress(req.principal, [goal], new Date()))[0];
  });
}
