// The floor, for comparison: what the shipped policies cost at the least — one hand-written SQL
// GROUP BY per metric and window, and each rule as a hand-written JavaScript predicate. It
// ignores explanations, undecided states and everything a policy file can vary.
import type { Store } from '../core/store/store.ts';
import { loadEmployees, tenureDays } from '../core/run/employees.ts';

const DAY = 86400000;

export async function floorEvaluation(store: Store, asOf: Date) {
  const t0 = performance.now();
  const w = (days: number, offsetDays = 0) => [new Date(asOf.getTime() - (offsetDays + days) * DAY).toISOString(), new Date(asOf.getTime() - offsetDays * DAY).toISOString()];
  const by = async (sql: string, params: unknown[]) => new Map((await store.query<{ e: string; v: number | null; n: number }>(sql, params)).rows.map((r) => [r.e, { v: r.v === null ? null : Number(r.v), n: Number(r.n) }]));
  const csat = (days: number, offset = 0) => by(`SELECT employee_id e, avg((payload->>'csat')::float8) v, count(payload->'csat')::int n FROM records WHERE kind = 'customer-feedback.survey' AND occurred_at >= $1 AND occurred_at < $2 GROUP BY employee_id`, w(days, offset));
  const [csat90, csatPrev, csat30] = await Promise.all([csat(90), csat(90, 90), csat(30)]);
  const nps = await by(`SELECT employee_id e, 100.0 * (count(*) FILTER (WHERE (payload->>'nps')::int >= 9) - count(*) FILTER (WHERE (payload->>'nps')::int <= 6)) / nullif(count(payload->'nps'), 0) v, count(payload->'nps')::int n FROM records WHERE kind = 'customer-feedback.survey' AND occurred_at >= $1 AND occurred_at < $2 GROUP BY employee_id`, w(90));
  const frt = (days: number) => by(`SELECT employee_id e, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (payload->>'firstResponseAt')::timestamptz - (payload->>'openedAt')::timestamptz)) v, count(payload->'firstResponseAt')::int n FROM records WHERE kind = 'support.ticket' AND occurred_at >= $1 AND occurred_at < $2 AND payload ? 'firstResponseAt' GROUP BY employee_id`, w(days));
  const [frt90, frt30] = await Promise.all([frt(90), frt(30)]);
  const fcr = await by(`SELECT employee_id e, avg(((payload->>'contactsToResolve')::int = 1)::int) v, count(*)::int n FROM records WHERE kind = 'support.ticket' AND occurred_at >= $1 AND occurred_at < $2 AND payload ? 'resolvedAt' AND payload ? 'contactsToResolve' GROUP BY employee_id`, w(90));
  const resolved = await by(`SELECT employee_id e, count(*) FILTER (WHERE payload ? 'resolvedAt') v, count(*) FILTER (WHERE payload ? 'resolvedAt')::int n FROM records WHERE kind = 'support.ticket' AND occurred_at >= $1 AND occurred_at < $2 GROUP BY employee_id`, w(30));
  const attainment = (offset: number) => by(`SELECT employee_id e, 100 * sum((payload->>'amount')::float8) FILTER (WHERE kind = 'sales.deal' AND payload->>'stage' = 'won') / nullif(sum((payload->>'amount')::float8) FILTER (WHERE kind = 'sales.quota'), 0) v, count(*) FILTER (WHERE kind = 'sales.quota')::int n FROM records WHERE kind IN ('sales.deal', 'sales.quota') AND occurred_at >= $1 AND occurred_at < $2 GROUP BY employee_id`, w(92, offset));
  const [att, attPrev] = await Promise.all([attainment(0), attainment(92)]);
  const winRate = await by(`SELECT employee_id e, avg((payload->>'stage' = 'won')::int) v, count(*)::int n FROM records WHERE kind = 'sales.deal' AND occurred_at >= $1 AND occurred_at < $2 AND payload->>'stage' IN ('won', 'lost') GROUP BY employee_id`, w(92));
  const coached = await by(`SELECT employee_id e, count(*) v, count(*)::int n FROM cases WHERE type = 'coaching' AND status = 'completed' AND opened_at >= $1 AND opened_at < $2 GROUP BY employee_id`, w(365));
  const employees = await loadEmployees(store);
  const computeMs = performance.now() - t0;

  const t1 = performance.now();
  const val = (m: Map<string, { v: number | null; n: number }>, id: string, min: number) => {
    const x = m.get(id);
    return x && x.v !== null && x.n >= min ? x.v : undefined;
  };
  const lt = (a: number | undefined, b: number) => a !== undefined && a < b;
  const ge = (a: number | undefined, b: number) => a !== undefined && a >= b;
  // percentile of attainment within team (PERCENTRANK.INC)
  const teams = new Map<string, number[]>();
  for (const e of employees) {
    const a = val(att, e.id, 1);
    if (e.role === 'sales-rep' && a !== undefined) teams.set(e.team ?? '', [...(teams.get(e.team ?? '') ?? []), a]);
  }
  let fired = 0;
  for (const e of employees) {
    const tenure = tenureDays(e, asOf) ?? -1;
    if (e.role === 'support-agent' && tenure >= 30) {
      const c = val(csat90, e.id, 20);
      const cp = val(csatPrev, e.id, 20);
      if (tenure >= 90 && lt(c, 3.6) && lt(cp, 3.6) && (coached.get(e.id)?.v ?? 0) >= 1) fired++;
      else if (lt(c, 4.0) || lt(val(fcr, e.id, 30), 0.6) || (val(frt90, e.id, 30) ?? 0) > 14400) fired++;
      else if (ge(c, 4.6) && ge(cp, 4.6) && ge(val(nps, e.id, 30), 50) && ge(val(fcr, e.id, 30), 0.75)) fired++;
    }
    if (e.role === 'support-agent' && tenure >= 0 && tenure < 180) {
      const c = val(csat30, e.id, 10);
      if (tenure >= 90 && lt(c, 3.0) && (coached.get(e.id)?.v ?? 0) >= 2) fired++;
      else if (tenure >= 14 && (lt(c, 4.0) || (val(frt30, e.id, 15) ?? 0) > 21600)) fired++;
      else if (tenure >= 30 && ge(c, 4.5) && ge(val(resolved, e.id, 1), 40)) fired++;
    }
    if (e.role === 'sales-rep' && tenure >= 30) {
      const a = val(att, e.id, 1);
      const group = teams.get(e.team ?? '') ?? [];
      const rank = a !== undefined && group.length > 1 ? (100 * group.filter((x) => x < a).length) / (group.length - 1) : undefined;
      if (tenure >= 180 && lt(a, 50) && lt(val(attPrev, e.id, 1), 50) && (coached.get(e.id)?.v ?? 0) >= 1) fired++;
      else if (lt(a, 70) || lt(val(winRate, e.id, 10), 0.15)) fired++;
      else if (ge(a, 120) && ge(val(winRate, e.id, 10), 0.3) && ge(rank, 75)) fired++;
    }
  }
  return { computeMs: Math.round(computeMs), decideMs: Math.round((performance.now() - t1) * 10) / 10, queries: 12, fired };
}
