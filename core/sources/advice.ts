// What an administrator can do about a sync's error, by its code: shown after the error by the
// CLI, and beside it in the API's answer and on the Sources screen. Plain words, no jargon.
import type { ErrorCode } from '../diagnostics/codes.ts';

const ADVICE: Partial<Record<ErrorCode, string>> = {
  'APPRAISE_SOURCE_AUTH_FAILED': 'Check the credentials the config names for this source, and that they are set for both the server and the worker: the vendor refused them.',
  'APPRAISE_SECRET_MISSING': 'Set the environment variable (or secrets-file key) the config names for this source, for both the server and the worker.',
  'APPRAISE_SECRET_FILE_INVALID': 'Fix the secrets file the config names: one `name: value` per line.',
  'APPRAISE_SOURCE_RATE_LIMITED': 'The vendor asked Appraise to slow down. Nothing is lost: the next sync continues where this one stopped. Sync less often, or allow longer waits (limits.maxWaitSeconds), if it keeps happening.',
  'APPRAISE_SOURCE_UNREACHABLE': "Check the source's base URL and that this server can reach the vendor. The next sync continues where this one stopped.",
  'APPRAISE_SOURCE_BAD_RESPONSE': 'The vendor answered something unexpected. Try again later; if it keeps happening, tell whoever maintains the connector.',
  'APPRAISE_SOURCE_TIMEOUT': "The vendor was too slow. Try again; raise the source's limits.timeoutMs if it keeps happening.",
  'APPRAISE_SOURCE_SYNC_FAILED': 'The connector failed. Try again; if it keeps happening, tell whoever maintains the connector (the message says what went wrong).',
  'APPRAISE_SOURCE_UNAVAILABLE': "The source's plugin is switched off or could not start; the Plugins page (or `npx appraise plugins`) says why.",
  'APPRAISE_SOURCE_UNKNOWN': 'No installed plugin provides this source any more; install it again or remove the source from the config.',
};

export function adviceFor(code: string): string | undefined {
  return ADVICE[code as ErrorCode];
}

