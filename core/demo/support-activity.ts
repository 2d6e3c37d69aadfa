// A support agent's tickets and the surveys their customers answered: contacts arrive day by day
// (weekly rhythm, season, vacations, ramp-up); response, resolution and reopening follow the
// agent's quality that day, and survey scores follow it and how the ticket went.
import { CHANNEL_TRAITS, COMMENTS, SUPPORT_CHANNELS, type SupportChannel } from './catalogue.ts';
import { DAY, WEEKDAY_FACTOR, iso, onVacation, seasonFactor, startOfDay, vacations, weekday, workingInstant } from './calendar.ts';
import type { Collector } from './collector.ts';
import { quality } from './plans.ts';
import type { Random } from './random.ts';
import type { ActivityWindow, Plan } from './types.ts';

/** Tickets per agent per 90 days at 100 records per employee (the volume the policies' minSamples need). */
export const TICKETS_PER_90_DAYS = 46;

// Ordered-logit CSAT: a customer's experience is the agent's quality on the day plus how the
// ticket went plus logistic noise, cut into 1–5. At average quality about half the answers are
// 5s and the mean is near 4.2; a star's mean is about 4.75; two quarters of a dip fall below 3.6.
const CSAT_CUTS = [-2.6, -1.6, -0.4, 1.2];
const ETA_AVERAGE = 1.6;
const ETA_PER_SD = 0.55;

function csatOf(experience: number): number {
  let score = 1;
  for (const c of CSAT_CUTS) if (experience > c) score++;
  return score;
}

function clampInt(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.round(x)));
}

/** Which questions a survey programme asks, and how often customers write a comment. */
export interface SurveyStyle {
  channel: string;
  asksCsat: number;
  asksNps: number;
  asksEffort: number;
  commentChance: number;
  /** Comments to pick from; by default chosen by the CSAT score's sentiment. */
  comments?: readonly string[];
}

/** Draws the survey a customer answered after an experience (see experienceAt). */
export function surveyPayload(rng: Random, experience: number, style: SurveyStyle): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  const csat = csatOf(experience);
  const askCsat = rng.chance(style.asksCsat);
  const askNps = rng.chance(style.asksNps);
  const askCes = rng.chance(style.asksEffort);
  const nps = clampInt(8.1 + 0.9 * (experience - ETA_AVERAGE) + 0.6 * rng.normal(), 0, 10);
  const ces = clampInt(5.3 + 0.8 * (experience - ETA_AVERAGE) + 0.7 * rng.normal(), 1, 7);
  // A survey asks at least one question (the record kind requires csat, nps or ces).
  if (askCsat || (!askNps && !askCes)) payload.csat = csat;
  if (askNps) payload.nps = nps;
  if (askCes) payload.ces = ces;
  // Unhappy customers write more often.
  if (rng.chance(csat <= 2 ? style.commentChance * 3 : style.commentChance)) {
    payload.comment = rng.pick(style.comments ?? (csat >= 4 ? COMMENTS.positive : csat === 3 ? COMMENTS.neutral : COMMENTS.negative));
  }
  payload.channel = style.channel;
  return payload;
}

export function experienceAt(rng: Random, q: number, ticketEffect: number): number {
  return ETA_AVERAGE + ETA_PER_SD * q + ticketEffect + rng.logistic();
}

function ticket(rng: Random, plan: Plan, opened: number, w: ActivityWindow, out: Collector): void {
  const q = quality(plan, opened, w.asOfMs);
  const channel: SupportChannel = SUPPORT_CHANNELS[rng.weightedIndex(plan.channels)];
  const traits = CHANNEL_TRAITS[channel];
  const payload: Record<string, unknown> = { openedAt: iso(opened) };
  if (rng.chance(traits.abandoned)) {
    payload.channel = channel;
    out.add('support.ticket', opened, payload);
    return;
  }
  const waitSeconds = rng.logNormal(traits.firstResponse * plan.slowness, traits.firstResponseSpread);
  const first = opened + Math.round(waitSeconds) * 1000;
  const oneContact = rng.chance(Math.min(0.95, Math.max(0.3, plan.fcrBase + 0.06 * q)));
  const contacts = oneContact ? 1 : Math.min(6, 2 + Math.floor(rng.exponential(0.8)));
  const resolveSeconds = oneContact ? rng.logNormal(traits.quickResolution, 0.6) : rng.logNormal(2 * 86400, 0.8);
  const resolved = first + Math.round(resolveSeconds) * 1000;
  const reopened = rng.chance(Math.min(0.25, Math.max(0.01, 0.07 - 0.02 * q)));
  // The export is taken at the as-of instant: what had not happened yet is not in it.
  if (first < w.asOfMs) payload.firstResponseAt = iso(first);
  const isResolved = resolved < w.asOfMs;
  if (isResolved) {
    payload.resolvedAt = iso(resolved);
    payload.reopened = reopened;
    payload.contactsToResolve = contacts;
  }
  payload.channel = channel;
  out.add('support.ticket', opened, payload, first < w.asOfMs ? { seconds: Math.round(waitSeconds) } : undefined);

  if (!isResolved || !rng.chance(Math.min(0.97, traits.surveyResponse * plan.surveyResponse))) return;
  const answered = resolved + Math.round(Math.min(7 * 86400, rng.logNormal(3 * 3600, 1.2))) * 1000;
  if (answered >= w.asOfMs) return;
  const slow = waitSeconds > 3 * traits.firstResponse;
  const effect = (contacts > 1 ? -0.7 : 0) + (reopened ? -0.9 : 0) + (slow ? -0.4 : 0);
  out.add('customer-feedback.survey', answered, surveyPayload(rng, experienceAt(rng, q, effect), { channel, asksCsat: 0.96, asksNps: 0.88, asksEffort: traits.asksEffort, commentChance: 0.1 }));
}

export function supportActivity(rng: Random, plan: Plan, w: ActivityWindow, out: Collector): void {
  const teamTraits = CHANNEL_TRAITS[plan.teamChannel ?? 'phone'];
  const perDay = (TICKETS_PER_90_DAYS * w.scale * plan.volume * teamTraits.volume) / 90;
  const off = vacations(rng, plan, w);
  // Two weeks of onboarding before the first customer contact.
  const first = Math.max(startOfDay(w.horizonStartMs), startOfDay(plan.hireMs) + 14 * DAY);
  for (let day = first; day < w.asOfMs; day += DAY) {
    if (onVacation(day, off)) continue;
    const tenureDays = (day - plan.hireMs) / DAY;
    const ramp = Math.min(1, 0.45 + tenureDays / 120);
    const n = rng.poisson(perDay * WEEKDAY_FACTOR[weekday(day)] * seasonFactor(day) * ramp);
    for (let i = 0; i < n; i++) {
      const opened = workingInstant(rng, day, plan.utcOffset);
      if (opened < w.horizonStartMs || opened >= w.asOfMs) continue;
      ticket(rng, plan, opened, w, out);
    }
  }
}

const RELATIONSHIP_SURVEY: SurveyStyle = { channel: 'email', asksCsat: 0.6, asksNps: 1, asksEffort: 0, commentChance: 0.35, comments: COMMENTS.relationship };

/** A customer success manager's relationship surveys: a few per quarter, NPS first. */
export function successActivity(rng: Random, plan: Plan, w: ActivityWindow, out: Collector): void {
  const perDay = (6 * w.scale * plan.volume) / 90;
  const first = Math.max(startOfDay(w.horizonStartMs), startOfDay(plan.hireMs) + 30 * DAY);
  for (let day = first; day < w.asOfMs; day += DAY) {
    const n = rng.poisson(perDay * WEEKDAY_FACTOR[weekday(day)]);
    for (let i = 0; i < n; i++) {
      const at = workingInstant(rng, day, plan.utcOffset);
      if (at < w.horizonStartMs || at >= w.asOfMs) continue;
      const experience = experienceAt(rng, quality(plan, at, w.asOfMs), 0);
      out.add('customer-feedback.survey', at, surveyPayload(rng, experience, RELATIONSHIP_SURVEY));
    }
  }
}
