// A policy's schedule (a 5-field cron expression, in UTC: schemas/policy.schema.json) in words.
// cronstrue words the expression; when the next run falls the server says (`nextRun`, computed
// by the scheduler's own croner), so the UI carries no second cron library.
import cronstrue from 'cronstrue';

/** `0 0 1 1,4,7,10 *` → `At 00:00, on day 1 of the month, only in January, April, July, and October (UTC)`. */
export function scheduleWords(cron: string): string {
  try {
    return `${cronstrue.toString(cron, { use24HourTimeFormat: true, throwExceptionOnParseError: true })} (UTC)`;
  } catch {
    return 'On a schedule these words cannot describe';
  }
}
