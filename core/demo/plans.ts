// Each person's latent performance plan: skill, archetype (stable, improving, declining, a
// two-quarter dip, star), volume and working style. Drawn from the person's own random stream
// and from nothing about their gender, ethnicity or age: the demo data has no built-in bias.
import { DAY } from './calendar.ts';
import { SUPPORT_CHANNELS, type SupportChannel, type Track } from './catalogue.ts';
import type { Random } from './random.ts';
import type { Archetype, Level, Plan } from './types.ts';

export interface PlanContext {
  track: Track | 'executive';
  level: Level;
  utcOffset: number;
  hireMs: number;
  asOfMs: number;
  teamEffect: number;
  teamChannel?: SupportChannel;
  segment: number;
}

// Shares among established individual contributors (a year or more in the job).
const ARCHETYPE_SHARES: Array<[Archetype, number]> = [['star', 0.025], ['dip', 0.015], ['declining', 0.1], ['improving', 0.12]];

/** Overwrites the archetype-specific traits of a plan. */
export function applyArchetype(rng: Random, plan: Plan, archetype: Archetype, asOfMs: number): void {
  plan.archetype = archetype;
  plan.dipDepth = 0;
  delete plan.dipFromMs;
  switch (archetype) {
    case 'star':
      plan.skill = 2.3 + 0.35 * Math.abs(rng.normal());
      plan.trendPer90 = 0.02 + 0.03 * rng.normal();
      plan.volume *= 1.15;
      break;
    case 'dip':
      // Fine until about 200 days ago (so the coaching history exists), then two low quarters.
      plan.skill = 0.3 + 0.5 * rng.normal();
      plan.trendPer90 = 0;
      plan.dipFromMs = asOfMs - Math.round(rng.between(195, 215)) * DAY;
      plan.dipDepth = rng.between(2.4, 2.9);
      break;
    case 'declining':
      plan.trendPer90 = -rng.between(0.3, 0.6);
      break;
    case 'improving':
      plan.trendPer90 = rng.between(0.3, 0.6);
      break;
    case 'stable':
      plan.trendPer90 = 0.04 * rng.normal();
      break;
  }
}

export function planFor(rng: Random, c: PlanContext): Plan {
  const plan: Plan = {
    track: c.track,
    level: c.level,
    utcOffset: c.utcOffset,
    hireMs: c.hireMs,
    archetype: 'stable',
    skill: rng.normal() + c.teamEffect,
    trendPer90: 0,
    dipDepth: 0,
    volume: Math.exp(0.15 * rng.normal()),
    // A few agents' customers rarely answer (a queue of one-off contacts, a survey link that
    // breaks): their CSAT stays "insufficient data".
    surveyResponse: rng.chance(0.05) ? rng.between(0.15, 0.35) : rng.between(0.9, 1.1),
    slowness: 1,
    fcrBase: 0.74 + 0.035 * rng.normal(),
    channels: [1, 1, 1],
    segment: c.segment,
  };
  plan.slowness = Math.exp(0.35 * rng.normal() - 0.1 * plan.skill);
  if (c.teamChannel) {
    plan.teamChannel = c.teamChannel;
    plan.channels = SUPPORT_CHANNELS.map((ch) => (ch === c.teamChannel ? 0.9 : 0.05));
  }
  let archetype: Archetype = 'stable';
  if (c.level === 'member' && (c.track === 'support' || c.track === 'sales')) {
    const tenureDays = (c.asOfMs - c.hireMs) / DAY;
    const u = rng.float();
    let acc = 0;
    for (const [a, share] of ARCHETYPE_SHARES) {
      acc += share;
      if (u < acc) {
        archetype = a;
        break;
      }
    }
    // New people ramp up (see quality()); a dip or a decline needs a history to fall from.
    if (tenureDays < 365 && archetype !== 'improving') archetype = 'stable';
  }
  applyArchetype(rng, plan, archetype, c.asOfMs);
  return plan;
}

/**
 * Quality at instant `t`, in standard deviations: skill, the trend counted back from the as-of
 * instant, a dip, and the ramp-up of a new hire (about 1.6 below their skill when they start,
 * half of that after five weeks).
 */
export function quality(plan: Plan, t: number, asOfMs: number): number {
  let q = plan.skill + (plan.trendPer90 * (t - asOfMs)) / (90 * DAY);
  if (plan.dipFromMs !== undefined && t >= plan.dipFromMs) q -= plan.dipDepth;
  const tenureDays = (t - plan.hireMs) / DAY;
  if (tenureDays < 200) q -= 1.6 * Math.exp(-tenureDays / 50);
  return q;
}
