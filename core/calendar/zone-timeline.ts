// A time zone's UTC offsets as a list of exact transitions, so that converting between wall
// time and instants is arithmetic. Luxon answers one offset per call (~5 µs through Intl), far
// too slow for ~100k tickets of several days each; here it is asked a few hundred times per
// 100 days of a zone, once, and the transitions it reveals are found to the second.
import { IANAZone } from 'luxon';

export const DAY_MS = 86_400_000;
// Buckets of 100 days (a whole number of seconds; the last step of a bucket may be shorter).
const BUCKET_MS = 100 * DAY_MS;
// No zone changes its offset twice within a day, so sampling this often misses no change
// (Morocco's Ramadan pauses, the shortest real intervals, last weeks). After 2100 only the
// zones' standing yearly rules apply ("last Sunday of March"), whose changes lie months apart:
// a week's step is safe there. Those rules repeat with the Gregorian calendar every 400 years
// (146,097 days, whole weeks), so from 2500 on the changes are those of 400 years before: a
// placeholder date such as 9999-12-31 costs half a second once instead of a minute.
const STEP_MS = DAY_MS;
const FAR_STEP_MS = 7 * DAY_MS;
const FAR_FROM = Date.UTC(2100, 0, 1);
const CYCLE_MS = 146_097 * DAY_MS;

export interface Transition {
  /** The first instant (epoch ms) of the new offset. */
  at: number;
  /** Offsets in milliseconds east of UTC before and from `at`. */
  before: number;
  after: number;
}

interface Bucket {
  offset: number;
  changes: Transition[];
}

export class ZoneTimeline {
  private readonly zone: IANAZone;
  private readonly buckets = new Map<number, Bucket>();

  constructor(readonly name: string) {
    this.zone = IANAZone.create(name);
  }

  private luxonOffset(t: number): number {
    return Math.round(this.zone.offset(t) * 60_000);
  }

  private bucket(index: number): Bucket {
    let b = this.buckets.get(index);
    if (b) return b;
    const start = index * BUCKET_MS;
    const end = start + BUCKET_MS;
    if (start >= FAR_FROM + CYCLE_MS) {
      const earlier = start - CYCLE_MS;
      b = { offset: this.offsetAt(earlier), changes: this.changesIn(earlier, end - CYCLE_MS).map((c) => ({ ...c, at: c.at + CYCLE_MS })) };
      this.buckets.set(index, b);
      return b;
    }
    const changes: Transition[] = [];
    // From one step before the bucket, so that a change just at its start is found here; only
    // changes inside [start, end) are kept, so each belongs to exactly one bucket.
    const step = start >= FAR_FROM ? FAR_STEP_MS : STEP_MS;
    let prevT = start - step;
    let prev = this.luxonOffset(prevT);
    for (let t = start; prevT < end; t = Math.min(t + step, end)) {
      const o = this.luxonOffset(t);
      if (o !== prev) {
        // Bisect to the second: offsets change on whole seconds.
        let lo = prevT;
        let hi = t;
        while (hi - lo > 1000) {
          const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
          if (this.luxonOffset(mid) === prev) lo = mid;
          else hi = mid;
        }
        if (hi >= start && hi < end) changes.push({ at: hi, before: prev, after: o });
      }
      prevT = t;
      prev = o;
    }
    b = { offset: this.luxonOffset(start), changes };
    this.buckets.set(index, b);
    return b;
  }

  /** Milliseconds east of UTC at instant `t`. */
  offsetAt(t: number): number {
    const b = this.bucket(Math.floor(t / BUCKET_MS));
    let o = b.offset;
    for (const c of b.changes) if (c.at <= t) o = c.after;
    return o;
  }

  /** The transitions with `a <= at < b`, in order. */
  changesIn(a: number, b: number): Transition[] {
    const out: Transition[] = [];
    for (let i = Math.floor(a / BUCKET_MS); i * BUCKET_MS < b; i++) {
      for (const c of this.bucket(i).changes) if (c.at >= a && c.at < b) out.push(c);
    }
    return out;
  }

  /** The first transition at or after `t`, looking no further than `limit`; Infinity if none. */
  nextChange(t: number, limit: number): number {
    for (let i = Math.floor(t / BUCKET_MS); i * BUCKET_MS <= limit; i++) {
      for (const c of this.bucket(i).changes) if (c.at >= t) return c.at;
    }
    return Infinity;
  }

  /** The local calendar day (days since 1970-01-01 on the wall) of instant `t`. */
  dayOf(t: number): number {
    return Math.floor((t + this.offsetAt(t)) / DAY_MS);
  }

  /**
   * Milliseconds of [from, to) during which the wall clock shows a time in [wallStart, wallEnd)
   * (wall times as epoch ms read as if UTC). A wall time skipped by a change forward holds no
   * time; one that repeats after a change back holds both of its occurrences. So adjacent wall
   * ranges share out the real elapsed time exactly, with nothing counted twice.
   */
  overlap(wallStart: number, wallEnd: number, from: number, to: number): number {
    // Offsets lie within a day of UTC: only instants a day either side can show these times.
    const changes = this.changesIn(wallStart - DAY_MS, wallEnd + DAY_MS);
    if (changes.length === 0) {
      const o = this.offsetAt(wallStart);
      return clip(wallStart - o, wallEnd - o, from, to);
    }
    let total = 0;
    let segStart = -Infinity;
    let o = changes[0].before;
    for (const c of changes) {
      total += clip(Math.max(segStart, wallStart - o), Math.min(c.at, wallEnd - o), from, to);
      segStart = c.at;
      o = c.after;
    }
    return total + clip(Math.max(segStart, wallStart - o), wallEnd - o, from, to);
  }
}

function clip(a: number, b: number, from: number, to: number): number {
  const d = Math.min(b, to) - Math.max(a, from);
  return d > 0 ? d : 0;
}

const timelines = new Map<string, ZoneTimeline>();

/** One timeline per zone for the process: its transitions never change. */
export function zoneTimeline(zone: string): ZoneTimeline {
  let t = timelines.get(zone);
  if (!t) timelines.set(zone, (t = new ZoneTimeline(zone)));
  return t;
}
