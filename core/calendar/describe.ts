// A calendar in plain words, for explanations shown to people:
// "Mon–Fri 08:00–12:00, 13:00–17:00 Europe/Berlin time, 3 holidays".
import type { Calendar } from './calendar.ts';
import { formatRange, type Range } from './hours.ts';

const SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function describeCalendar(calendar: Calendar): string {
  const text = (ranges: readonly Range[]) => ranges.map(formatRange).join(', ');
  // Neighbouring weekdays with the same hours read as one span (Mon–Fri).
  const groups: Array<{ first: number; last: number; hours: string }> = [];
  calendar.week.forEach((ranges, d) => {
    if (!ranges.length) return;
    const hours = text(ranges);
    const prev = groups[groups.length - 1];
    if (prev && prev.last === d - 1 && prev.hours === hours) prev.last = d;
    else groups.push({ first: d, last: d, hours });
  });
  const days = groups.map((g) => `${SHORT[g.first]}${g.last > g.first ? (g.last === g.first + 1 ? ', ' : '–') + SHORT[g.last] : ''} ${g.hours}`);
  const n = calendar.holidays.size;
  const holidays = n === 0 ? 'no holidays' : `${n} holiday${n === 1 ? '' : 's'}`;
  return `${days.length ? days.join('; ') : 'no working hours'} ${calendar.timezone} time, ${holidays}`;
}

