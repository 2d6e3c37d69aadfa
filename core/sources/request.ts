// The context a source's `sync` runs with, built where the plugin's code runs (the engine's
// thread or the plugin's own): its settings, its resolved credentials, and an HTTP request that
// honours the vendor's rate limits. A 429, or a 503 that says when to come back, is waited out
// as `Retry-After` says (seconds or an HTTP date), else with exponential backoff, and tried
// again; a wait longer than the source allows, or more retries than it allows, ends the batch
// with APPRAISE_SOURCE_RATE_LIMITED, and the sync resumes from its last committed cursor.
import type { PluginLogger, SourceResponse, SourceSyncContext } from '../plugins/api.ts';
import { redactSecrets, rememberSecret } from '../config/secrets.ts';

export interface SourceLimits {
  /** Retries of one request after a rate-limit answer. */
  maxRetries: number;
  /** The longest one wait may be; a vendor asking for more ends the batch instead. */
  maxWaitSeconds: number;
  /** One request's time limit, from sending it to the end of its body. */
  timeoutMs: number;
}

export const DEFAULT_SOURCE_LIMITS: SourceLimits = { maxRetries: 5, maxWaitSeconds: 300, timeoutMs: 30_000 };

/** A wait the host took, for the sync's log and counts. */
export interface RateLimitWait {
  url: string;
  status: number;
  waitMs: number;
  /** Whether the vendor said how long (Retry-After) or the host chose (backoff). */
  told: boolean;
}

export interface SourceContextOptions {
  settings: Record<string, unknown>;
  credentials: Record<string, string>;
  log: PluginLogger;
  limits?: Partial<SourceLimits>;
  /** Waits; tests and the host may pass their own (the host's stops early when the sync is cancelled). */
  sleep?: (ms: number) => Promise<void>;
  onWait?: (wait: RateLimitWait) => void;
  random?: () => number;
  now?: () => Date;
}

/** Milliseconds a `Retry-After` value asks for: delay-seconds or an HTTP date; undefined when unreadable. */
export function retryAfterMs(value: string | null | undefined, now: Date = new Date()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/** Where a request went, for messages: method, host and path, never the query (it may carry a token). */
export function describeRequest(method: string, url: string): string {
  try {
    const u = new URL(url);
    return `${method} ${u.host}${u.pathname}`;
  } catch {
    return `${method} (an invalid URL)`;
  }
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createSourceContext(o: SourceContextOptions): SourceSyncContext {
  const limits = { ...DEFAULT_SOURCE_LIMITS, ...o.limits };
  const sleep = o.sleep ?? sleepFor;
  const random = o.random ?? Math.random;
  const now = o.now ?? (() => new Date());
  // Remembered in this thread too: a plugin in its own thread has its own copy of the list.
  for (const value of Object.values(o.credentials)) rememberSecret(value);

  async function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<SourceResponse> {
    const method = (init.method ?? 'GET').toUpperCase();
    const where = describeRequest(method, url);
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      let text: string;
      try {
        response = await fetch(url, { method, headers: init.headers, body: init.body, redirect: 'follow', signal: AbortSignal.timeout(limits.timeoutMs) });
        text = await response.text();
      } catch (e) {
        const why = (e as Error).name === 'TimeoutError'
          ? `no complete answer within ${limits.timeoutMs} ms`
          : ((e as { cause?: Error }).cause?.message ?? (e as Error).message);
        throw new Error(redactSecrets(`APPRAISE_SOURCE_UNREACHABLE: ${where} failed: ${why}. Check the source's baseUrl and that this machine can reach it; nothing of this batch was stored, and the next sync starts from the last stored cursor.`));
      }
      const headers: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        headers[key.toLowerCase()] = value;
      });
      const told = retryAfterMs(headers['retry-after'], now());
      const limited = response.status === 429 || (response.status === 503 && told !== undefined);
      if (!limited) return { status: response.status, headers, body: parseBody(text, headers['content-type'], where) };
      const waitMs = told ?? backoff(attempt, random);
      if (attempt >= limits.maxRetries || waitMs > limits.maxWaitSeconds * 1000) {
        const asked = told !== undefined ? `asked to wait ${Math.ceil(told / 1000)} s` : 'gave no Retry-After';
        throw new Error(`APPRAISE_SOURCE_RATE_LIMITED: ${where} answered ${response.status} (${asked}) after ${attempt} retr${attempt === 1 ? 'y' : 'ies'}; the sync stopped at its last stored cursor and the next one resumes there. Raise the source's limits.maxRetries / limits.maxWaitSeconds, or sync less often.`);
      }
      o.onWait?.({ url: where, status: response.status, waitMs, told: told !== undefined });
      o.log.info(`${where} answered ${response.status}; waiting ${Math.ceil(waitMs / 1000)} s as ${told !== undefined ? 'Retry-After asks' : 'backoff'}`);
      await sleep(waitMs);
    }
  }

  return Object.freeze({
    settings: Object.freeze({ ...o.settings }),
    credentials: Object.freeze({ ...o.credentials }),
    request,
    basicAuth(user: string, password: string): string {
      const encoded = Buffer.from(`${user}:${password}`).toString('base64');
      rememberSecret(encoded);
      return `Basic ${encoded}`;
    },
    log: o.log,
  });
}

/** 1 s doubling per retry up to a minute, half fixed and half random. */
function backoff(attempt: number, random: () => number): number {
  const d = Math.min(60_000, 1000 * 2 ** attempt);
  return Math.round(d / 2 + random() * (d / 2));
}

function parseBody(text: string, contentType: string | undefined, where: string): unknown {
  if (!/\bjson\b/i.test(contentType ?? '')) return text;
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`APPRAISE_SOURCE_BAD_RESPONSE: ${where} answered with a body that says it is JSON but is not (${text.length} characters); nothing of this batch was stored.`);
  }
}
