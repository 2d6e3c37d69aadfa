// Delivers one notice to a chat channel's incoming webhook, with the outcomes of a workflow
// handler (core/plugins/api.ts, WorkflowHandler): it resolves only on the receiver's documented
// success, Slack's 200 with the body `ok` ("Sending messages using incoming webhooks"), Teams'
// 200 or 202 (a Workflows webhook answers 202 Accepted). A refusal that repeating cannot cure
// (a revoked webhook, an archived channel, a payload refused as invalid) is permanent: the
// outbox marks it dead at once and its message tells the admin what to replace. A 429 or a
// server error is a plain failure, retried with backoff. No answer in time, or a connection
// lost after sending, may have posted: APPRAISE_WORKFLOW_OUTCOME_UNKNOWN.
//
// The webhook URL is a credential (whoever holds it can post to the channel): it is never put
// in a message; the channel is named instead, and any text taken from a response is redacted.
import type { ErrorCode } from '../../diagnostics/codes.ts';
import { redactSecrets, rememberSecret } from '../../config/secrets.ts';
import type { NotificationMessage } from '../message.ts';
import { slackPayload, type ChatRenderOptions } from './slack.ts';
import { teamsPayload } from './teams.ts';
import { cleanText, plainText } from './text.ts';

export type ChatType = 'slack' | 'teams';

export interface ChatTarget {
  type: ChatType;
  /** The webhook URL, resolved from its secret reference (chatChannel in ./channels.ts). */
  url: string;
  /** The channel's name in the config, which messages say instead of the URL. */
  name?: string;
  /** `chat.channels.<name>.title`, shown small above each message. */
  title?: string;
}

/**
 * A delivery that did not succeed; the message always starts with its code. `permanent`
 * refusals are marked dead at once by the outbox (core/workflows/outcome.ts reads the flag, and
 * the codes of permanent refusals too, so that the message alone says it wherever it travels).
 */
export class ChatDeliveryError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly permanent = false,
  ) {
    super(`${code}: ${message}`);
    this.name = 'ChatDeliveryError';
  }
}

/** The body posted for a channel type. */
export function chatPayload(type: ChatType, message: NotificationMessage, options: ChatRenderOptions = {}): unknown {
  return type === 'slack' ? slackPayload(message, options) : teamsPayload(message, options);
}

// Errors raised before a byte of the request reached the receiver (as plugins/webhook tells them).
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);

function notSent(e: unknown): boolean {
  const cause = (e as { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } }).cause;
  if (!cause) return false;
  if (cause.code && NOT_SENT.has(cause.code)) return true;
  if (cause.errors?.length && cause.errors.every((x) => x.code && NOT_SENT.has(x.code))) return true;
  return cause.message === 'bad port';
}

// Slack's documented error bodies ("Handling errors" of the incoming webhooks guide) that say
// the webhook or its channel is gone for good, and those that say the payload is refused.
const SLACK_GONE = new Set(['no_service', 'no_service_id', 'no_team', 'team_disabled', 'invalid_token', 'channel_not_found', 'channel_is_archived', 'action_prohibited', 'posting_to_general_channel_denied', 'user_not_found']);
const SLACK_BAD_PAYLOAD = new Set(['invalid_payload', 'invalid_blocks', 'invalid_blocks_format', 'too_many_attachments', 'missing_text_or_fallback_or_attachments', 'no_text']);

export async function postChat(channel: ChatTarget, message: NotificationMessage, options: { timeoutMs: number }): Promise<void> {
  rememberSecret(channel.url);
  const vendor = channel.type === 'slack' ? 'Slack' : 'Teams';
  const where = `the ${vendor} channel${channel.name ? ` \`${channel.name}\`` : ''}`;
  const setting = channel.name ? `chat.channels.${channel.name}.webhook` : 'the channel\'s webhook';
  // Nothing of the URL leaves this function, whatever a cause or a response says.
  const scrub = (text: string): string => plainText(redactSecrets(text.split(channel.url).join('[webhook URL]')), 300);

  const body = JSON.stringify(chatPayload(channel.type, message, channel.title ? { title: channel.title } : {}));
  let url: URL;
  try {
    url = new URL(channel.url);
  } catch {
    throw new ChatDeliveryError('APPRAISE_CHAT_WEBHOOK_INVALID', `the webhook of ${where} is not a URL; put the URL the ${vendor} webhook was created with where ${setting} points. Nothing was sent.`, true);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ChatDeliveryError('APPRAISE_CHAT_WEBHOOK_INVALID', `the webhook of ${where} is not an http(s) URL; put the URL the ${vendor} webhook was created with where ${setting} points. Nothing was sent.`, true);
  }

  const signal = AbortSignal.timeout(options.timeoutMs);
  let status: number;
  let text: string;
  let retryAfter: string | null;
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'appraise-chat/1' }, body, redirect: 'manual', signal });
    status = response.status;
    retryAfter = response.headers.get('retry-after');
    // The answer is short (`ok`, an error name); the time limit covers reading it too.
    text = await response.text();
  } catch (e) {
    if ((e as Error).name === 'TimeoutError' || signal.aborted) {
      throw new Error(`APPRAISE_WORKFLOW_OUTCOME_UNKNOWN: ${where} got no answer within ${options.timeoutMs} ms; the message may have been posted`);
    }
    const why = scrub((e as { cause?: Error }).cause?.message ?? (e as Error).message);
    if (notSent(e)) throw new ChatDeliveryError('APPRAISE_CHAT_UNREACHABLE', `${where} could not be reached (${why}); nothing was posted. Check the network and proxy between Appraise and ${vendor}.`);
    throw new Error(`APPRAISE_WORKFLOW_OUTCOME_UNKNOWN: the connection to ${where} was lost after sending (${why}); the message may have been posted`);
  }
  const answer = cleanText(text).trim();
  const quoted = answer ? ` \`${scrub(answer)}\`` : '';
  if (status === 429) {
    const wait = retryAfter && /^\d+$/.test(retryAfter.trim()) ? `; it asked to wait ${retryAfter.trim()} s (Retry-After)` : retryAfter ? `; it asked to wait until ${scrub(retryAfter)} (Retry-After)` : '';
    throw new ChatDeliveryError('APPRAISE_CHAT_RATE_LIMITED', `${where} answered 429 (too many messages)${wait}. It is retried later; if it keeps happening, send fewer notices to this channel.`);
  }
  if (channel.type === 'slack') {
    if (status === 200 && answer === 'ok') return;
    const code = answer.toLowerCase();
    if (SLACK_BAD_PAYLOAD.has(code)) {
      throw new ChatDeliveryError('APPRAISE_CHAT_PAYLOAD_REFUSED', `${where} answered ${status}${quoted}: Slack refused the message itself, and would refuse it again. Report it to the Appraise maintainers with this error; the other notices are not affected.`, true);
    }
    if (SLACK_GONE.has(code) || status === 404 || status === 410) {
      throw new ChatDeliveryError('APPRAISE_CHAT_WEBHOOK_INVALID', `${where} answered ${status}${quoted}: the webhook was removed or revoked, or its channel archived or restricted. Create a new incoming webhook in Slack and put its URL where ${setting} points; later notices are sent once it is replaced.`, true);
    }
    throw new ChatDeliveryError('APPRAISE_CHAT_DELIVERY_FAILED', `${where} answered ${status}${quoted} instead of 200 \`ok\`; nothing was posted. It is retried; if it persists, check Slack's status page and the webhook.`);
  }
  if (status === 200 || status === 202) {
    // The retiring connector answered 200 with an error text when Teams refused the message.
    if (status === 200 && /delivery failed|returned HTTP error/i.test(answer)) {
      throw new ChatDeliveryError('APPRAISE_CHAT_DELIVERY_FAILED', `${where} answered 200 with an error${quoted}; nothing was posted. It is retried.`);
    }
    return;
  }
  if (status === 400 || status === 413) {
    throw new ChatDeliveryError('APPRAISE_CHAT_PAYLOAD_REFUSED', `${where} answered ${status}${quoted}: Teams refused the message itself, and would refuse it again. Check that the workflow behind the webhook posts the Adaptive Card it receives ("Send webhook alerts to a channel"); otherwise report it to the Appraise maintainers.`, true);
  }
  if (status === 401 || status === 403 || status === 404 || status === 410) {
    throw new ChatDeliveryError('APPRAISE_CHAT_WEBHOOK_INVALID', `${where} answered ${status}${quoted}: the webhook was deleted, turned off or its link no longer valid. Create a new Workflows webhook in Teams and put its URL where ${setting} points; later notices are sent once it is replaced.`, true);
  }
  throw new ChatDeliveryError('APPRAISE_CHAT_DELIVERY_FAILED', `${where} answered ${status}${quoted} instead of 200 or 202; nothing was posted. It is retried; if it persists, check the workflow's run history in Teams.`);
}
