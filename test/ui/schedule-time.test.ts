// Schedules in words (cronstrue) with their next run (croner, as the scheduler: the server sends it), and instants in
// the viewer's time zone with the exact UTC instant for the hover title.
import { describe, expect, it } from 'vitest';
import { Cron } from 'croner';
import { exactUtc, formatDate, formatDateTime, formatWhen, isUtcMidnight } from '../../ui/lib/format.ts';
import { scheduleWords } from '../../ui/lib/schedule.ts';
import { nextRunOf as nextRun } from '../../core/run/scheduler.ts';

describe('schedules in words', () => {
  it('the shipped policies’ schedules read as sentences, marked UTC', () => {
    expect(scheduleWords('0 0 1 1,4,7,10 *')).toBe('At 00:00, on day 1 of the month, only in January, April, July, and October (UTC)');
    expect(scheduleWords('0 7 * * MON')).toBe('At 07:00, only on Monday (UTC)');
    expect(scheduleWords('0 6 1 * *')).toBe('At 06:00, on day 1 of the month (UTC)');
  });

  it('never shows the raw expression, even for one it cannot word', () => {
    expect(scheduleWords('not a cron')).not.toMatch(/not a cron/);
  });

  it('the next run is the scheduler’s (croner in UTC)', () => {
    const from = new Date('2026-12-05T12:00:00Z');
    expect(nextRun('0 0 1 1,4,7,10 *', from)?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(nextRun('0 7 * * MON', from)?.toISOString()).toBe(new Cron('0 7 * * MON', { timezone: 'UTC', paused: true }).nextRun(from)!.toISOString());
    expect(nextRun('nonsense')).toBeNull();
  });
});

describe('instants', () => {
  const at = '2026-12-10T10:00:00.000Z';

  it('a date and time in the viewer’s zone, with the zone named', () => {
    expect(formatDateTime(at, 'Europe/Berlin')).toBe('10 Dec 2026, 11:00 CET');
    expect(formatDateTime(at, 'America/New_York')).toBe('10 Dec 2026, 05:00 GMT-5');
    expect(formatDateTime(at, 'UTC')).toBe('10 Dec 2026, 10:00 UTC');
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('garbage')).toBe('garbage');
  });

  it('the exact UTC instant for the title', () => {
    expect(exactUtc(at)).toBe('2026-12-10 10:00:00 UTC');
    expect(exactUtc('2026-12-10T10:00:00.123Z')).toBe('2026-12-10 10:00:00.123 UTC');
    expect(exactUtc(null)).toBe('');
  });

  it('a day boundary is shown as its day (a due date or an as-of date never moves to the day before)', () => {
    expect(isUtcMidnight('2027-01-15T00:00:00.000Z')).toBe(true);
    expect(formatWhen('2027-01-15T00:00:00.000Z', 'America/New_York')).toBe('15 Jan 2027');
    expect(formatDate('2027-01-15T00:00:00.000Z')).toBe('15 Jan 2027');
    expect(formatWhen(at, 'Europe/Berlin')).toBe('10 Dec 2026, 11:00 CET');
  });
});
