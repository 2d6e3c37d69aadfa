// One employee's whole activity in the horizon: role-specific records (tickets and surveys,
// deals and quotas, relationship surveys), historical coaching, training courses (onboarding
// for new hires, the coaching programme after a coaching case, the odd course for everyone).
import { COURSES } from './catalogue.ts';
import { DAY, HORIZON_DAYS, startOfDay, weekday, workingInstant } from './calendar.ts';
import { historicalCoaching } from './coaching-history.ts';
import { Collector } from './collector.ts';
import type { Person } from './organisation.ts';
import { Random } from './random.ts';
import { salesActivity } from './sales-activity.ts';
import { successActivity, supportActivity } from './support-activity.ts';
import type { ActivityWindow, EmployeeBatch, Plan, ResolvedOptions } from './types.ts';

export function activityWindow(o: ResolvedOptions): ActivityWindow {
  return { asOfMs: o.asOfMs, horizonStartMs: o.asOfMs - HORIZON_DAYS * DAY, scale: o.recordsPerEmployee / 100 };
}

function roleCourses(plan: Plan): readonly string[] {
  if (plan.level !== 'member') return COURSES.lead;
  if (plan.track === 'support') return COURSES.support;
  if (plan.track === 'sales') return COURSES.sales;
  if (plan.track === 'success') return COURSES.success;
  return COURSES.everyone;
}

/** A working-day instant in [from, to), or undefined when the span is empty. */
function sometimeBetween(rng: Random, plan: Plan, from: number, to: number): number | undefined {
  if (to - from < DAY) return undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const day = startOfDay(from + rng.float() * (to - from));
    const dow = weekday(day);
    if (dow === 0 || dow === 6) continue;
    const t = workingInstant(rng, day, plan.utcOffset);
    if (t >= from && t < to) return t;
  }
  return undefined;
}

function course(rng: Random, plan: Plan, name: string, t: number, out: Collector): void {
  const payload: Record<string, unknown> = { course: name };
  // Not every course has a pre-assessment; a few record no score at all.
  const scored = rng.chance(0.95);
  const pre = Math.max(0, Math.min(100, Math.round(58 + 5 * plan.skill + 12 * rng.normal())));
  if (scored && rng.chance(0.8)) payload.preScore = pre;
  if (scored) payload.postScore = Math.max(0, Math.min(100, Math.round(pre + 14 + 7 * rng.normal())));
  out.add('training.training', t, payload);
}

function training(rng: Random, plan: Plan, w: ActivityWindow, coachedAt: number | undefined, coachingCourse: string, out: Collector): void {
  const from = Math.max(w.horizonStartMs, plan.hireMs);
  // New hires: the onboarding courses in their first two weeks.
  if (plan.hireMs >= w.horizonStartMs) {
    for (const name of COURSES.onboarding) {
      const t = sometimeBetween(rng, plan, plan.hireMs, Math.min(w.asOfMs, plan.hireMs + 12 * DAY));
      if (t !== undefined) course(rng, plan, name, t, out);
    }
  }
  const n = rng.poisson((2.2 * (w.asOfMs - from)) / (HORIZON_DAYS * DAY));
  for (let i = 0; i < n; i++) {
    const t = sometimeBetween(rng, plan, from, w.asOfMs);
    if (t !== undefined) course(rng, plan, rng.chance(0.6) ? rng.pick(roleCourses(plan)) : rng.pick(COURSES.everyone), t, out);
  }
  // The programme a coaching case sends people to, finished a few weeks after it opened.
  if (coachedAt !== undefined) {
    const t = sometimeBetween(rng, plan, coachedAt + 14 * DAY, Math.min(w.asOfMs, coachedAt + 40 * DAY));
    if (t !== undefined) course(rng, plan, coachingCourse, t, out);
  }
}

export function employeeActivity(person: Person, o: ResolvedOptions, idPrefix: string): EmployeeBatch {
  const { employee, plan } = person;
  const w = activityWindow(o);
  const rng = Random.stream(o.seed, 'activity', Number(employee.id.slice(1)));
  const out = new Collector();
  if (plan.level === 'member') {
    if (plan.track === 'support') supportActivity(rng, plan, w, out);
    else if (plan.track === 'sales') salesActivity(rng, plan, w, out);
    else if (plan.track === 'success') successActivity(rng, plan, w, out);
  }
  const coaching = historicalCoaching(employee.id, plan, out, o.asOfMs);
  const coachingCourse = plan.track === 'sales' ? COURSES.salesCoaching : COURSES.supportCoaching;
  training(rng, plan, w, coaching ? Date.parse(coaching.openedAt) : undefined, coachingCourse, out);
  return { employee, plan, records: out.finish(employee.id, idPrefix), cases: coaching ? [coaching] : [] };
}
