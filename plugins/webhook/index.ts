// The webhook workflow: POST the delivery as JSON, signed so the receiver can trust it and
// reject replays, within the configured timeout, and only to hosts on the allow-list. Each
// failure says whether the receiver may have got the request: a refused host or a missing
// secret was never sent (the dispatcher marks it dead at once); a refused connection or a
// non-2xx answer was not delivered; a time-out or a connection lost after sending may have been
// (`APPRAISE_WORKFLOW_OUTCOME_UNKNOWN`). All are retried with the same Idempotency-Key.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PluginContext, WorkflowDelivery } from 'appraise/plugin-api';

export interface WebhookSettings {
  url?: string;
  secret?: string;
  /** Send without a signature on purpose; without it and without a secret nothing is sent. */
  unsigned?: boolean;
  allowHosts: string[];
  /** One attempt's time limit, from sending the request to the answer's status line. */
  timeoutMs: number;
}

/** How far a receiver should let the signed timestamp drift from its clock, by default. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${body}`). Receivers recompute and compare. */
export function sign(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does with a delivery: recompute the signature over the timestamp header and
 * the raw body, compare in constant time, and refuse a timestamp further than `toleranceSeconds`
 * from its own clock (a replayed request carries an old one, and changing it breaks the
 * signature). Returns why a request is refused, or undefined when it is genuine.
 */
export function verify(secret: string, headers: { signature?: string; timestamp?: string }, body: string, options: { toleranceSeconds?: number; now?: Date } = {}): string | undefined {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp) return 'missing X-Appraise-Signature or X-Appraise-Timestamp';
  if (!/^\d{1,12}$/.test(timestamp)) return 'X-Appraise-Timestamp is not unix seconds';
  const expected = Buffer.from(sign(secret, timestamp, body));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'the signature does not match';
  const drift = Math.abs((options.now ?? new Date()).getTime() / 1000 - Number(timestamp));
  if (drift > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return `the timestamp is ${Math.round(drift)} s away from now (stale or replayed)`;
  return undefined;
}

export function hostAllowed(url: URL, allowHosts: string[]): boolean {
  return allowHosts.some((h) => h.toLowerCase() === url.host.toLowerCase() || (!h.includes(':') && h.toLowerCase() === url.hostname.toLowerCase()));
}

/** Refused before sending (a host off the allow-list, no secret): retrying cannot help until the configuration changes. */
export class NotSentError extends Error {
  readonly permanent = true;
}

// Errors raised before a single byte of the request reached the receiver.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);

function notSent(e: unknown): boolean {
  const cause = (e as { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } }).cause;
  if (!cause) return false;
  if (cause.code && NOT_SENT.has(cause.code)) return true;
  if (cause.errors?.length && cause.errors.every((x) => x.code && NOT_SENT.has(x.code))) return true;
  return cause.message === 'bad port';
}

export async function postDelivery(settings: WebhookSettings, delivery: WorkflowDelivery, now: () => Date = () => new Date()): Promise<void> {
  const target = (delivery.config.url as string | undefined) ?? settings.url;
  if (!target) throw new NotSentError('APPRAISE_WORKFLOW_HOST_NOT_ALLOWED: no webhook url is configured (plugins.settings.webhook.url)');
  const url = new URL(target);
  if (!['http:', 'https:'].includes(url.protocol) || !hostAllowed(url, settings.allowHosts)) {
    throw new NotSentError(`APPRAISE_WORKFLOW_HOST_NOT_ALLOWED: ${url.host} is not in the webhook allow-list (${settings.allowHosts.join(', ') || 'empty'}); add it to webhooks.allowHosts to send there. Nothing was sent.`);
  }
  if (!settings.secret && settings.unsigned !== true) {
    throw new NotSentError('APPRAISE_WORKFLOW_UNSIGNED_WEBHOOK: no webhook secret is configured; set webhooks.secret (at least 16 characters, shared with the receiver), or webhooks.unsigned: true to send unsigned on purpose. Nothing was sent.');
  }
  const body = JSON.stringify({ idempotencyKey: delivery.idempotencyKey, event: delivery.event, attempt: delivery.attempt, case: delivery.case, employee: delivery.employee });
  // A fresh timestamp on every attempt: a retry is not a replay.
  const timestamp = String(Math.floor(now().getTime() / 1000));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'appraise-webhook/1',
    'idempotency-key': delivery.idempotencyKey,
    'x-appraise-event': delivery.event,
    'x-appraise-timestamp': timestamp,
  };
  if (settings.secret) headers['x-appraise-signature'] = sign(settings.secret, timestamp, body);
  const where = `POST ${url.host}${url.pathname}`;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(settings.timeoutMs) });
  } catch (e) {
    if ((e as Error).name === 'TimeoutError') {
      throw new Error(`APPRAISE_WORKFLOW_OUTCOME_UNKNOWN: ${where} got no answer within the webhook timeout of ${settings.timeoutMs} ms; it may have been delivered`);
    }
    const why = (e as { cause?: Error }).cause?.message ?? (e as Error).message;
    if (notSent(e)) throw new Error(`${where} failed: ${why}; it was not delivered`);
    throw new Error(`APPRAISE_WORKFLOW_OUTCOME_UNKNOWN: ${where} lost its connection after sending (${why}); it may have been delivered`);
  }
  await response.body?.cancel().catch(() => {});
  if (response.status < 200 || response.status >= 300) throw new Error(`${where} answered ${response.status}`);
}

export function activate(ctx: PluginContext): void {
  const settings = ctx.settings as Partial<WebhookSettings>;
  ctx.subscriptions.push(ctx.workflows.register('post', (delivery) => postDelivery({ allowHosts: [], timeoutMs: 10000, ...settings }, delivery)));
}
