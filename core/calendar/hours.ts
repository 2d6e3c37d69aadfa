// The words of a calendar's `hours`: weekday keys (`mon`, `mon-fri`, `sat-sun`, `mon,wed`) and
// time ranges (`08:00-12:00`, `22:00-06:00` across midnight). Each reading returns what it
// found or a problem in words an HR admin can act on; the calendar module locates them.
import { didYouMean } from '../util/did-you-mean.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A working range in minutes after the local midnight of the day it starts on; `end` may pass 1440. */
export interface Range {
  start: number;
  end: number;
}

export type Reading<T> = { ok: T } | { problem: string };

/** The weekdays (0 = Monday) a key of `hours` names; a range may wrap (`fri-mon`). */
export function readWeekdays(key: string): Reading<number[]> {
  const days: number[] = [];
  for (const part of key.split(',').map((p) => p.trim().toLowerCase())) {
    const ends = part.split('-').map((p) => p.trim());
    const idx = ends.map((e) => WEEKDAYS.indexOf(e as (typeof WEEKDAYS)[number]));
    const bad = ends.find((_, i) => idx[i] < 0);
    if (ends.length > 2 || bad !== undefined) {
      const what = bad === undefined ? `\`${part}\`` : `\`${bad}\``;
      return { problem: `${what} in \`${key}\` is not a weekday. Write mon, tue, wed, thu, fri, sat or sun, a range such as \`mon-fri\`, or several joined by commas.${bad ? didYouMean(bad, WEEKDAYS) : ''}` };
    }
    const [a, b = a] = idx;
    for (let d = a; ; d = (d + 1) % 7) {
      days.push(d);
      if (d === b) break;
    }
  }
  return { ok: days };
}

const RANGE = /^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$/;

/** `08:00-12:00` → minutes; an end at or before the start crosses midnight. */
export function readRange(text: string): Reading<Range> {
  const m = RANGE.exec(text.trim());
  const example = 'Write it as `08:00-12:00`, or `22:00-06:00` for hours that run past midnight';
  if (!m) return { problem: `\`${text}\` is not a range of hours. ${example}.` };
  const [h1, m1, h2, m2] = m.slice(1).map(Number);
  for (const [h, min, end] of [[h1, m1, false], [h2, m2, true]] as const) {
    if (h > 24 || min > 59 || (h === 24 && (min > 0 || !end))) {
      return { problem: `\`${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}\` in \`${text}\` is not a time of day: use 00:00 to 23:59 (24:00 only as the end of a range).` };
    }
  }
  const start = h1 * 60 + m1;
  let end = h2 * 60 + m2;
  if (end === start) return { problem: `\`${text}\` is empty: it starts and ends at the same time. ${example}; a whole day is \`00:00-24:00\`.` };
  if (end < start) end += 1440;
  return { ok: { start, end } };
}

export function formatMinutes(m: number): string {
  const h = m === 1440 ? 24 : Math.floor(m / 60) % 24;
  return `${String(h).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

export function formatRange(r: Range): string {
  return `${formatMinutes(r.start)}–${formatMinutes(r.end > 1440 ? r.end - 1440 : r.end)}`;
}
