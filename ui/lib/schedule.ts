// A policy's schedule (a 5-field cron expression, in UTC: schemas/policy.schema.json) in words,
// with its next run in the viewer's own time. cronstrue words the expression; croner, which the
// scheduler itself runs on (core/run/scheduler.ts), says when the next run falls.
import cronstrue from 'cronstrue';
import { Cron } from 'croner';

/** `0 0 1 1,4,7,10 *` → `At 00:00, on day 1 of the month, only in January, April, July, and October (UTC)`. */
export function scheduleWords(cron: string): string {
  try {
    return `${cronstrue.toString(cron, { use24HourTimeFormat: true, throwExceptionOnParseError: true })} (UTC)`;
  } catch {
    return 'On a schedule these words cannot describe';
  }
}

/** The next run after `from`, as the scheduler computes it; null when there is none. */
export function nextRun(cron: string, from: Date = new Date()): Date | null {
  try {
    return new Cron(cron, { timezone: 'UTC', paused: true }).nextRun(from);
  } catch {
    return null;
  }
}
