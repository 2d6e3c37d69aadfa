// What one delivery attempt did, told from the error it ended with. The difference that matters
// to a user is whether the receiver may have got it: a time-out, a connection lost after
// sending, or a worker that died mid-attempt may have delivered, so such a delivery is never
// called dead without saying "may have been delivered".
import type { ErrorCode } from '../diagnostics/codes.ts';

export type AttemptOutcome = 'delivered' | 'failed' | 'refused' | 'unknown';

const UNKNOWN: ErrorCode = 'APPRAISE_WORKFLOW_OUTCOME_UNKNOWN';
/** Codes a plugin puts in front of a refusal; messages are all that crosses thread boundaries. */
const REFUSALS: ErrorCode[] = [
  'APPRAISE_WORKFLOW_HOST_NOT_ALLOWED',
  'APPRAISE_WORKFLOW_UNSIGNED_WEBHOOK',
  // Chat notices (core/notifications/chat): a revoked webhook, a refused payload, a channel the
  // config does not give; sending again cannot help until the configuration changes.
  'APPRAISE_CHAT_WEBHOOK_INVALID',
  'APPRAISE_CHAT_PAYLOAD_REFUSED',
  'APPRAISE_CHAT_UNKNOWN_CHANNEL',
  'APPRAISE_CHAT_CHANNEL_TYPE_MISMATCH',
  'APPRAISE_CHAT_NO_CHANNEL',
];

export function messageOf(e: unknown): string {
  return (e as Error)?.message ?? String(e);
}

/**
 * `refused`: never sent, and retrying cannot help until the configuration changes (dead at once).
 * `unknown`: timed out (the host's limit or the plugin's own), the plugin's thread died during the
 * call, or the plugin said so with APPRAISE_WORKFLOW_OUTCOME_UNKNOWN.
 * `failed`: anything else, which the handler reports as not delivered.
 */
export function outcomeOf(e: unknown): Exclude<AttemptOutcome, 'delivered'> {
  const message = messageOf(e);
  if ((e as { permanent?: boolean })?.permanent === true || REFUSALS.some((c) => message.startsWith(c))) return 'refused';
  const kind = (e as { kind?: string })?.kind;
  if (kind === 'timeout' || kind === 'crash' || message.startsWith(UNKNOWN)) return 'unknown';
  return 'failed';
}

/** The error as recorded: an unknown outcome always carries its code and says what it means. */
export function describeError(e: unknown, outcome: AttemptOutcome): string {
  const message = messageOf(e);
  if (outcome !== 'unknown' || message.startsWith(UNKNOWN)) return message;
  return `${UNKNOWN}: ${message}; it may have been delivered`;
}

export function lostAttemptError(worker: string, attempt: number): string {
  return `${UNKNOWN}: the worker ${worker} stopped during attempt ${attempt} (its claim expired before it reported); it may have been delivered`;
}

/**
 * The last error of a delivery that gives up. When any attempt's outcome was unknown it says so
 * first, and what to check before sending it again by hand.
 */
export function deadError(lastError: string, attempts: number, unknownAttempts: number, idempotencyKey: string): string {
  if (unknownAttempts <= 0) return lastError;
  const which = unknownAttempts === 1 ? '1 attempt' : `${unknownAttempts} attempts`;
  return `may have been delivered: ${which} of ${attempts} ended without an answer, and the receiver may have processed it; look for Idempotency-Key ${idempotencyKey} there before retrying by hand. Last error: ${lastError}`;
}
