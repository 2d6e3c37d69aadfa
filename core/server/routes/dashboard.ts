// The dashboard, the admin UI's landing page: per team and department each metric's trend over
// recent periods with the policy thresholds (one group's at a time, and the last period of the
// organisation and every department side by side), outcome counts per period (fired decisions and
// opened cases), open cases by status and due date, and a wall of recent recognitions. Scoped
// like the case routes: a manager sees their reporting line, an employee themself.
import type { FastifyInstance } from 'fastify';
import type { Appraise } from '../../app/appraise.ts';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { canSee, visibleEmployees } from '../../auth/scope.ts';
import { TERMINAL, type CaseType } from '../../cases/lifecycle.ts';
import { createHash } from 'node:crypto';
import { groupTrends, periodEnds, trendOverview } from '../../run/trends.ts';
import { cachedEmployees, cachedRead, trendInstant } from '../../run/read-cache.ts';
import type { Employee } from '../../run/employees.ts';
import { periodOf, type Cycle } from '../../run/period.ts';
import { parseInstant } from '../../util/instant.ts';
import { withLabels } from '../../policy/labels.ts';
import { listKudos } from '../../people/feedback/kudos.ts';
import { ref } from '../app.ts';

const OUTCOMES: CaseType[] = ['recognition', 'coaching', 'pip'];
const DAY = 86_400_000;
const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
const zero = (): Record<CaseType, number> => ({ recognition: 0, coaching: 0, pip: 0 });

/** What the dashboard shows when the request names no periods or cycle (what the warmer computes). */
export const DASHBOARD_DEFAULTS = { periods: 6, cycle: 'month' } as const;

/**
 * Every group's trends among `employees` (`who` names that set: `all`, or a hash of a reporting
 * line), from the cache while the data and the published policies are unchanged.
 */
export function dashboardTrends(app: Appraise, employees: readonly Employee[], who: string, asOf: Date, periods: number, cycle: Exclude<Cycle, 'year'>) {
  return cachedRead(app.store, JSON.stringify(['dashboard', who, asOf, periods, cycle]), () =>
    groupTrends(app.store, { registry: app.registry, metrics: app.plugins.metrics }, employees, { asOf, periods, cycle }),
  );
}

export async function registerDashboardRoutes(server: FastifyInstance, app: Appraise): Promise<void> {
  server.get<{ Querystring: { periods: number; cycle: Exclude<Cycle, 'year'>; asOf?: string; group?: string } }>('/api/dashboard', {
    config: { access: 'signedIn', expensive: true },
    schema: {
      tags: ['dashboard'],
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          periods: { type: 'integer', minimum: 1, maximum: 24, default: DASHBOARD_DEFAULTS.periods },
          cycle: { enum: ['week', 'month', 'quarter'], default: DASHBOARD_DEFAULTS.cycle },
          asOf: { type: 'string', maxLength: 40 },
          group: { type: 'string', maxLength: 300, description: 'Whose trends: `team:<name>`, `department:<name>` or `organisation` (everyone the caller may see; the default).' },
        },
      },
      response: { 200: ref('dashboard') },
    },
  }, async (req) => {
    const asOf = parseInstant(req.query.asOf, 'asOf');
    const { periods: count, cycle } = req.query;
    const visible = await visibleEmployees(app.store, req.principal);
    const employees = (await cachedEmployees(app.store)).filter((e) => canSee(visible, e.id));
    // SQL filter for the caller's scope: everyone, or an explicit list of employee ids.
    const scope = (params: unknown[], column: string) => {
      if (visible === 'all') return '';
      params.push(visible);
      return ` AND ${column} = ANY($${params.length}::text[])`;
    };

    // The periods: the last `count` cycles ending at asOf, each [start, end).
    const bounds = periodEnds(asOf, cycle, count + 1);
    const periods = bounds.slice(1).map((end, i) => ({ period: periodOf(new Date(end.getTime() - 1), cycle), from: bounds[i].toISOString(), to: end.toISOString() }));
    const starts = bounds.slice(0, -1).map((d) => d.toISOString());
    const outcomes = periods.map((p) => ({ ...p, decisions: zero(), cases: zero() }));

    // Fired decisions of real runs, counted once per employee and outcome in each period.
    const dParams: unknown[] = [starts, bounds[0].toISOString(), asOf.toISOString()];
    const decided = await app.store.query<{ b: number; outcome: CaseType; n: number }>(
      `SELECT width_bucket(r.as_of, $1::timestamptz[]) AS b, d.outcome, count(DISTINCT d.employee_id)::int AS n
       FROM decisions d JOIN runs r ON r.id = d.run_id
       WHERE d.status = 'fired' AND NOT r.dry_run AND r.status = 'completed' AND r.as_of >= $2 AND r.as_of < $3${scope(dParams, 'd.employee_id')}
       GROUP BY 1, 2`,
      dParams,
    );
    for (const r of decided.rows) if (outcomes[r.b - 1] && r.outcome in zero()) outcomes[r.b - 1].decisions[r.outcome] = Number(r.n);
    const cParams: unknown[] = [starts, bounds[0].toISOString(), asOf.toISOString()];
    const opened = await app.store.query<{ b: number; type: CaseType; n: number }>(
      `SELECT width_bucket(c.opened_at, $1::timestamptz[]) AS b, c.type, count(*)::int AS n
       FROM cases c WHERE c.opened_at >= $2 AND c.opened_at < $3${scope(cParams, 'c.employee_id')}
       GROUP BY 1, 2`,
      cParams,
    );
    for (const r of opened.rows) if (outcomes[r.b - 1]) outcomes[r.b - 1].cases[r.type] = Number(r.n);

    // Open cases (not in a terminal status) by status and by due date. The due date of a case is
    // its PIP due date, else its coaching session, else its next check-in.
    const oParams: unknown[] = [];
    const open = (await app.store.query<Record<string, unknown>>(
      `SELECT c.id, c.type, c.status, c.employee_id, e.name, e.team, c.policy_id, c.rule_id, c.due_at, c.scheduled_for, c.next_checkin_at, c.opened_at,
              coalesce(c.due_at, c.scheduled_for, c.next_checkin_at) AS due
       FROM cases c LEFT JOIN employees e ON e.id = c.employee_id WHERE true${scope(oParams, 'c.employee_id')}
       ORDER BY due ASC NULLS LAST, c.id`,
      oParams,
    )).rows.filter((c) => !TERMINAL[c.type as CaseType]?.includes(c.status as string));
    const byStatus = new Map<string, { type: string; status: string; count: number }>();
    const byDue = { overdue: 0, next7Days: 0, next30Days: 0, later: 0, noDueDate: 0 };
    for (const c of open) {
      const key = `${c.type}/${c.status}`;
      const s = byStatus.get(key) ?? { type: c.type as string, status: c.status as string, count: 0 };
      s.count++;
      byStatus.set(key, s);
      const due = c.due ? new Date(c.due as string).getTime() - asOf.getTime() : undefined;
      if (due === undefined) byDue.noDueDate++;
      else if (due < 0) byDue.overdue++;
      else if (due < 7 * DAY) byDue.next7Days++;
      else if (due < 30 * DAY) byDue.next30Days++;
      else byDue.later++;
    }
    const summary = (c: Record<string, unknown>) => ({
      id: Number(c.id), type: c.type as string, status: c.status as string, employeeId: c.employee_id as string, employeeName: (c.name as string) ?? null, team: (c.team as string) ?? null,
      policyId: c.policy_id as string, ruleId: c.rule_id as string, dueAt: iso(c.due_at), scheduledFor: iso(c.scheduled_for), nextCheckInAt: iso(c.next_checkin_at), openedAt: iso(c.opened_at)!,
    });

    // The recognition wall: the latest recognitions, whatever their status, but none overturned on a dispute.
    const rParams: unknown[] = [];
    const recognized = (await app.store.query<Record<string, unknown>>(
      `SELECT c.id, c.type, c.status, c.employee_id, e.name, e.team, c.policy_id, c.policy_version, c.rule_id, c.due_at, c.scheduled_for, c.next_checkin_at, c.opened_at, c.params
       FROM cases c LEFT JOIN employees e ON e.id = c.employee_id WHERE c.type = 'recognition' AND c.status <> 'overturned'${scope(rParams, 'c.employee_id')}
       ORDER BY c.opened_at DESC, c.id DESC LIMIT 12`,
      rParams,
    )).rows.map((c) => ({ ...summary(c), policyVersion: Number(c.policy_version), params: (c.params as Record<string, unknown>) ?? {} }));
    // With the award titles their policy version declares (spec.labels), for the wall to show instead of ids.
    const recognitions = await withLabels(app.store, recognized);
    // Beside them on the wall, kudos from colleagues and customers (core/people/feedback).
    const kudos = await listKudos(app.store, { visible, receivedOnly: true, withText: req.principal.role !== 'viewer', limit: 12 });

    // Cached while the data and the published policies are unchanged; to the hour when no asOf was asked.
    const trendsAsOf = req.query.asOf ? asOf : trendInstant(asOf);
    const who = visible === 'all' ? 'all' : createHash('sha256').update(employees.map((e) => e.id).join('\n')).digest('hex');
    const allTrends = await dashboardTrends(app, employees, who, trendsAsOf, count, cycle);
    // The response carries the one group the screen shows, and the list to choose another from.
    const wanted = req.query.group ?? 'organisation';
    const trends = allTrends.filter((g) => (g.by === 'organisation' ? 'organisation' : `${g.by}:${g.group}`) === wanted);
    if (!trends.length && allTrends.length && req.query.group !== undefined) {
      throw new AppraiseError('APPRAISE_GROUP_NOT_FOUND', `No team or department ${JSON.stringify(req.query.group)} with a chartable metric among the people you may see. Choose one from \`groups\` in this response without \`group\`, written \`team:<name>\` or \`department:<name>\`.`, { field: 'group' });
    }
    const groups = allTrends.map((g) => ({ by: g.by, group: g.group, members: g.members }));
    // The organisation and its departments side by side at the last period: a few rows whatever the size.
    const overview = trendOverview(allTrends, ['organisation', 'department']);
    return {
      asOf: asOf.toISOString(),
      cycle,
      periods,
      employees: employees.length,
      groups,
      trends,
      overview,
      outcomes,
      openCases: {
        total: open.length,
        byStatus: [...byStatus.values()].sort((a, b) => OUTCOMES.indexOf(a.type as CaseType) - OUTCOMES.indexOf(b.type as CaseType) || b.count - a.count),
        byDue,
        upcoming: open.filter((c) => c.due).slice(0, 10).map(summary),
      },
      recognitions,
      kudos,
    };
  });
}
