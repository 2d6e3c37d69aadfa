// businessSeconds at import scale: 100,000 tickets of realistic lengths (minutes to three
// weeks, opened at any minute of a year) under the example office calendar (Europe/Berlin, two
// ranges a day, holidays) and a night-shift calendar (America/New_York), against wall-clock
// subtraction. Also long spans (a quarter, three years), where whole weeks count in one step.
//   node --import tsx bench/calendar.ts [--tickets N]
import { loadavg } from 'node:os';
import { businessSeconds, calendarFor, type CalendarDefinition } from '../core/calendar/index.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const TICKETS = arg('--tickets', 100_000);
const DAY = 86_400_000;

const definitions: Record<string, CalendarDefinition> = {
  office: { timezone: 'Europe/Berlin', hours: { 'mon-fri': ['08:00-12:00', '13:00-17:00'] }, holidays: ['2026-04-03', '2026-04-06', '2026-05-01', '2026-12-25', '2026-12-26', { date: '2026-12-24', hours: ['08:00-12:00'] }] },
  nights: { timezone: 'America/New_York', hours: { 'mon-fri': ['22:00-06:00'], sat: ['10:00-14:00'] }, holidays: ['2026-07-03', '2026-11-26'] },
};
const config = { calendars: { default: 'office', assign: [], definitions } };


// A fixed pseudo-random sequence, so runs compare.
let seed = 42;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const start = Date.parse('2026-01-01T00:00:00Z');
const spans = Array.from({ length: TICKETS }, () => {
  const from = start + Math.floor(rand() * 365 * 1440) * 60_000;
  // Most tickets close within hours or days; a few stay open for weeks.
  const length = rand() < 0.8 ? rand() * 3 * DAY : rand() * 21 * DAY;
  return [from, from + Math.floor(length)] as const;
});

const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`Node ${process.version}, load average ${load()}, ${TICKETS.toLocaleString('en')} tickets`);
const time = (label: string, fn: () => number) => {
  fn(); // warm: zone transitions are read once per 100 days of a zone, then cached
  const t0 = performance.now();
  const sum = fn();
  const ms = performance.now() - t0;
  console.log(`${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  ${((ms * 1000) / TICKETS).toFixed(2).padStart(6)} µs/ticket  (sum ${Math.round(sum)})`);
};
time('wall-clock subtraction', () => spans.reduce((s, [a, b]) => s + (b - a) / 1000, 0));
for (const name of Object.keys(definitions)) {
  const cal = calendarFor({ calendars: { ...config.calendars, default: name } }, {})!;
  time(`businessSeconds, ${name} (${cal.timezone})`, () => spans.reduce((s, [a, b]) => s + businessSeconds(a, b, cal), 0));
  time(`  the same, as ISO strings`, () => spans.reduce((s, [a, b]) => s + businessSeconds(new Date(a).toISOString(), new Date(b).toISOString(), cal), 0));
  for (const [label, days] of [['a quarter', 91], ['three years', 3 * 365]] as const) {
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) businessSeconds(start + i * 3_600_000, start + i * 3_600_000 + days * DAY, cal);
    console.log(`  1,000 spans of ${label}: ${(performance.now() - t0).toFixed(0)} ms`);
  }
}
console.log(`load average after ${load()}`);
