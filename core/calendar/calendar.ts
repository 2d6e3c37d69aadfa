// A business-hours calendar: the shape HR admins write under `calendars.definitions` in
// appraise.config.yaml, and the compiled form that durations are counted with. Compiling checks
// everything a count relies on (a real zone, well-formed ranges that never overlap, real dates),
// so each problem is reported once, with the path of the setting to change.
import type { ErrorCode } from '../diagnostics/codes.ts';
import { isValidZone } from '../import/datetime.ts';
import type { PathSegment } from '../policy/yaml-source.ts';
import { readRange, readWeekdays, WEEKDAYS, type Range } from './hours.ts';
import { DAY_MS } from './zone-timeline.ts';

/** A holiday with shorter hours; `hours: []` (or a bare date) closes the whole day. */
export interface HolidayDefinition {
  date: string;
  hours?: string[];
  name?: string;
}

export interface CalendarDefinition {
  /** An IANA zone such as `Europe/Berlin`: the hours are wall-clock times there. */
  timezone: string;
  /** Working ranges per weekday key (`mon-fri`, `sat`); days no key names are closed. */
  hours: Record<string, string[]>;
  /** `YYYY-MM-DD` dates closed all day, or `{ date, hours }` for a day with other hours. */
  holidays?: Array<string | HolidayDefinition>;
}

export interface Calendar {
  name: string;
  timezone: string;
  /** Ranges per weekday, Monday first, sorted by start. */
  week: ReadonlyArray<readonly Range[]>;
  /** Holidays by local day number (days since 1970-01-01): their hours, `[]` when closed. */
  holidays: ReadonlyMap<number, readonly Range[]>;
  /** The holidays' day numbers, ascending. */
  holidayDays: readonly number[];
  /** Working milliseconds of a week without holidays or clock changes. */
  weekMs: number;
}

export interface CalendarProblem {
  code: ErrorCode;
  message: string;
  /** Where the setting is, below the calendar's own path. */
  path: PathSegment[];
  which?: 'key' | 'value';
}

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Local day number of `YYYY-MM-DD`, or undefined if it is no real date of 1900–9999. */
export function dayNumber(date: string): number | undefined {
  const m = DATE.exec(date);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  if (y < 1900 || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return undefined;
  return Math.round(t.getTime() / DAY_MS);
}

/** 0 = Monday. Day 0 (1970-01-01) was a Thursday. */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** The hours that apply on a local day (days since 1970-01-01), holidays included. */
export function hoursOn(calendar: Calendar, day: number): readonly Range[] {
  return calendar.holidays.get(day) ?? calendar.week[weekdayOf(day)];
}

interface Placed {
  range: Range;
  text: string;
  path: PathSegment[];
}

export function compileCalendar(name: string, def: CalendarDefinition): { calendar?: Calendar; problems: CalendarProblem[] } {
  const problems: CalendarProblem[] = [];
  if (!isValidZone(def.timezone)) {
    problems.push({ code: 'APPRAISE_CALENDAR_UNKNOWN_ZONE', path: ['timezone'], message: `\`${def.timezone}\` is not a time zone. Use an IANA zone name such as \`Europe/Berlin\`, \`America/New_York\` or \`UTC\`.` });
  }
  const week: Placed[][] = WEEKDAYS.map(() => []);
  const keyOf: Array<string | undefined> = WEEKDAYS.map(() => undefined);
  for (const [key, list] of Object.entries(def.hours ?? {})) {
    const days = readWeekdays(key);
    if ('problem' in days) {
      problems.push({ code: 'APPRAISE_CALENDAR_BAD_WEEKDAY', path: ['hours', key], which: 'key', message: days.problem });
      continue;
    }
    const twice = days.ok.find((d) => keyOf[d] !== undefined);
    if (twice !== undefined) {
      problems.push({ code: 'APPRAISE_CALENDAR_BAD_WEEKDAY', path: ['hours', key], which: 'key', message: `${DAY_NAMES[twice]} is given twice, in \`${keyOf[twice]}\` and in \`${key}\`. Give each weekday its hours once.` });
      continue;
    }
    const ranges = placeRanges(list, ['hours', key], problems);
    for (const d of days.ok) {
      keyOf[d] = key;
      week[d] = ranges;
    }
  }
  week.forEach((day, d) => checkDay(day, DAY_NAMES[d], problems));
  week.forEach((day, d) => checkSpill(day, week[(d + 1) % 7], DAY_NAMES[d], DAY_NAMES[(d + 1) % 7], problems));

  const holidays = new Map<number, Placed[]>();
  const holidayText = new Map<number, string>();
  (def.holidays ?? []).forEach((h, i) => {
    const date = typeof h === 'string' ? h : h.date;
    const path: PathSegment[] = typeof h === 'string' ? ['holidays', i] : ['holidays', i, 'date'];
    const day = typeof date === 'string' ? dayNumber(date) : undefined;
    if (day === undefined) {
      problems.push({ code: 'APPRAISE_CALENDAR_BAD_HOLIDAY', path, message: `\`${String(date)}\` is not a date. Write a holiday as \`YYYY-MM-DD\` (e.g. \`2026-12-25\`), or as \`{ date: 2026-12-24, hours: ["08:00-12:00"] }\` for a day with shorter hours.` });
      return;
    }
    if (holidays.has(day)) {
      problems.push({ code: 'APPRAISE_CALENDAR_BAD_HOLIDAY', path, message: `${date} is listed twice among the holidays. Keep one of them.` });
      return;
    }
    holidays.set(day, typeof h === 'string' ? [] : placeRanges(h.hours ?? [], ['holidays', i, 'hours'], problems));
    holidayText.set(day, date);
  });
  const on = (day: number) => holidays.get(day) ?? week[weekdayOf(day)];
  for (const [day, ranges] of holidays) {
    if (!ranges.length) continue;
    const label = (d: number, which: string) => (holidays.has(d) ? `the holiday ${holidayText.get(d)}` : `the ${DAY_NAMES[weekdayOf(d)]} ${which} it`);
    checkDay(ranges, label(day, ''), problems);
    checkSpill(on(day - 1), ranges, label(day - 1, 'before'), label(day, ''), problems);
    checkSpill(ranges, on(day + 1), label(day, ''), label(day + 1, 'after'), problems);
  }
  if (problems.length) return { problems };

  const bare = (list: Placed[]) => list.map((p) => p.range);
  const compiledWeek = week.map(bare);
  return {
    problems,
    calendar: {
      name,
      timezone: def.timezone,
      week: compiledWeek,
      holidays: new Map([...holidays].map(([d, list]) => [d, bare(list)])),
      holidayDays: [...holidays.keys()].sort((a, b) => a - b),
      weekMs: compiledWeek.flat().reduce((sum, r) => sum + (r.end - r.start) * 60_000, 0),
    },
  };
}

function placeRanges(list: readonly string[], path: PathSegment[], problems: CalendarProblem[]): Placed[] {
  const out: Placed[] = [];
  list.forEach((text, i) => {
    const r = readRange(String(text));
    if ('problem' in r) problems.push({ code: 'APPRAISE_CALENDAR_BAD_RANGE', path: [...path, i], message: r.problem });
    else out.push({ range: r.ok, text: String(text), path: [...path, i] });
  });
  return out.sort((a, b) => a.range.start - b.range.start);
}

// Overlapping ranges would count the same minutes twice.
function checkDay(day: readonly Placed[], label: string, problems: CalendarProblem[]): void {
  for (let i = 1; i < day.length; i++) {
    const [a, b] = [day[i - 1], day[i]];
    if (b.range.start < a.range.end) {
      once(problems, { code: 'APPRAISE_CALENDAR_OVERLAP', path: b.path, message: `\`${b.text}\` overlaps \`${a.text}\` on ${label}. Merge them into one range or move one so they do not overlap.` });
    }
  }
}

// A range past midnight runs into the next day's morning, which must still be free.
function checkSpill(day: readonly Placed[], next: readonly Placed[], label: string, nextLabel: string, problems: CalendarProblem[]): void {
  for (const a of day) {
    if (a.range.end <= 1440) continue;
    const b = next.find((n) => n.range.start < a.range.end - 1440);
    if (b) {
      once(problems, { code: 'APPRAISE_CALENDAR_OVERLAP', path: a.path, message: `\`${a.text}\` on ${label} runs past midnight into \`${b.text}\` on ${nextLabel}. End it earlier or start the next day's range later, so no time is counted twice.` });
    }
  }
}

// A weekday range shared by several days (`mon-fri`) is one setting: say so once.
function once(problems: CalendarProblem[], p: CalendarProblem): void {
  if (!problems.some((q) => q.code === p.code && q.path.join('\0') === p.path.join('\0'))) problems.push(p);
}
