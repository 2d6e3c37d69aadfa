// The webhook workflow: POST the delivery as JSON, signed so the receiver can trust it, with
// a timeout, and only to hosts on the allow-list. A refused host is a permanent failure (the
// dispatcher marks it dead at once); any other failure is retried with backoff.
import { createHmac } from 'node:crypto';
import type { PluginContext, WorkflowDelivery } from 'appraise/plugin-api';

export interface WebhookSettings {
  url?: string;
  secret?: string;
  allowHosts: string[];
  timeoutMs: number;
}

/** `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${body}`). Receivers recompute and compare. */
export function sign(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function hostAllowed(url: URL, allowHosts: string[]): boolean {
  return allowHosts.some((h) => h.toLowerCase() === url.host.toLowerCase() || (!h.includes(':') && h.toLowerCase() === url.hostname.toLowerCase()));
}

export class HostNotAllowedError extends Error {
  readonly permanent = true;
}

export async function postDelivery(settings: WebhookSettings, delivery: WorkflowDelivery, now: () => Date = () => new Date()): Promise<void> {
  const target = (delivery.config.url as string | undefined) ?? settings.url;
  if (!target) throw new HostNotAllowedError('APPRAISE_WORKFLOW_HOST_NOT_ALLOWED: no webhook url is configured (plugins.settings.webhook.url)');
  const url = new URL(target);
  if (!['http:', 'https:'].includes(url.protocol) || !hostAllowed(url, settings.allowHosts)) {
    throw new HostNotAllowedError(`APPRAISE_WORKFLOW_HOST_NOT_ALLOWED: ${url.host} is not in the webhook allow-list (${settings.allowHosts.join(', ') || 'empty'}); add it to webhooks.allowHosts to send there. Nothing was sent.`);
  }
  const body = JSON.stringify({ idempotencyKey: delivery.idempotencyKey, event: delivery.event, attempt: delivery.attempt, case: delivery.case, employee: delivery.employee });
  const timestamp = String(Math.floor(now().getTime() / 1000));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'appraise-webhook/1',
    'idempotency-key': delivery.idempotencyKey,
    'x-appraise-event': delivery.event,
    'x-appraise-timestamp': timestamp,
  };
  if (settings.secret) headers['x-appraise-signature'] = sign(settings.secret, timestamp, body);
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(settings.timeoutMs) });
  } catch (e) {
    throw new Error(`POST ${url.host}${url.pathname} failed: ${(e as Error).message}`);
  }
  await response.body?.cancel().catch(() => {});
  if (response.status < 200 || response.status >= 300) throw new Error(`POST ${url.host}${url.pathname} answered ${response.status}`);
}

export function activate(ctx: PluginContext): void {
  const settings = ctx.settings as Partial<WebhookSettings>;
  ctx.subscriptions.push(ctx.workflows.register('post', (delivery) => postDelivery({ allowHosts: [], timeoutMs: 10000, ...settings }, delivery)));
}
