// Talking to Zendesk's REST API v2: one authenticated GET, its answer checked. The host's
// ctx.request already waits out 429s as Retry-After says; what is left here is telling the admin
// what a refusal means (wrong email, revoked token, not an admin) and refusing answers the
// connector cannot read, naming the endpoint — never the token, never the query string.
import type { SourceSyncContext } from 'appraise/plugin-api';

export interface ZendeskSettings {
  baseUrl: string;
  email: string;
  startTime?: string;
  ticketsAt: 'closed' | 'solved';
  ticketsPerPage: number;
  satisfactionRatings: boolean;
  ratingsLookbackDays: number;
}

export function readSettings(settings: Readonly<Record<string, unknown>>): ZendeskSettings {
  const baseUrl = typeof settings.baseUrl === 'string' ? settings.baseUrl.replace(/\/+$/, '') : '';
  if (!/^https?:\/\/[^/]+$/.test(baseUrl)) {
    throw new Error(`APPRAISE_SOURCE_BAD_RESPONSE: settings.baseUrl must be your Zendesk address without a path, like https://acme.zendesk.com (got ${JSON.stringify(settings.baseUrl ?? null)}).`);
  }
  const email = typeof settings.email === 'string' ? settings.email.trim() : '';
  if (!email) throw new Error('APPRAISE_SOURCE_AUTH_FAILED: settings.email is missing: give the sign-in email of the Zendesk admin whose API token the source uses.');
  return {
    baseUrl,
    email,
    startTime: typeof settings.startTime === 'string' ? settings.startTime : undefined,
    ticketsAt: settings.ticketsAt === 'solved' ? 'solved' : 'closed',
    ticketsPerPage: clampInt(settings.ticketsPerPage, 1, 1000, 1000),
    satisfactionRatings: settings.satisfactionRatings !== false,
    ratingsLookbackDays: clampInt(settings.ratingsLookbackDays, 0, 90, 7),
  };
}

function clampInt(v: unknown, min: number, max: number, fallback: number): number {
  return typeof v === 'number' && Number.isInteger(v) ? Math.min(max, Math.max(min, v)) : fallback;
}

/** A JSON object Zendesk answered, and the endpoint it came from (for messages). */
export interface Answer {
  body: Record<string, unknown>;
  endpoint: string;
}

export class ZendeskClient {
  readonly #ctx: SourceSyncContext;
  readonly #settings: ZendeskSettings;
  readonly #authorization: string;

  constructor(ctx: SourceSyncContext, settings: ZendeskSettings) {
    this.#ctx = ctx;
    this.#settings = settings;
    const token = ctx.credentials.token;
    if (!token) throw new Error('APPRAISE_SOURCE_AUTH_FAILED: the credential "token" is not set: give sources.<name>.credentials.token as { env: ZENDESK_API_TOKEN } (or { secret: … }) and make sure the variable is set where the worker runs.');
    // Zendesk's API-token form of Basic auth: "{email}/token:{api_token}".
    this.#authorization = ctx.basicAuth(`${settings.email}/token`, token);
  }

  /**
   * GET `path` with `query` (repeated keys allowed: role[]=agent&role[]=admin).
   * `forbidden`: what a 403 from this endpoint most likely means, when more than the credentials.
   */
  async get(path: string, query: Array<[string, string]>, options: { forbidden?: string } = {}): Promise<Answer> {
    const url = new URL(path, `${this.#settings.baseUrl}/`);
    for (const [k, v] of query) url.searchParams.append(k, v);
    const endpoint = `GET ${path}`;
    const r = await this.#ctx.request(url.toString(), { headers: { authorization: this.#authorization, accept: 'application/json' } });
    if (r.status === 403 && options.forbidden) {
      throw new Error(`APPRAISE_SOURCE_AUTH_FAILED: Zendesk answered 403 to ${endpoint}: ${options.forbidden} Nothing of this batch was stored.`);
    }
    if (r.status === 401 || r.status === 403) {
      throw new Error(`APPRAISE_SOURCE_AUTH_FAILED: Zendesk answered ${r.status} to ${endpoint}. Check that settings.email (${this.#settings.email}) is the sign-in email of a Zendesk admin, that the token credential is an active API token of that admin (Admin Center > Apps and integrations > APIs > Zendesk API), and that token access is enabled there; the incremental ticket export is for admins only. Nothing of this batch was stored.`);
    }
    if (r.status === 404) {
      throw new Error(`APPRAISE_SOURCE_BAD_RESPONSE: Zendesk answered 404 to ${endpoint}. Check settings.baseUrl (${this.#settings.baseUrl}): it must be https://{subdomain}.zendesk.com. Nothing of this batch was stored.`);
    }
    if (r.status !== 200) {
      throw new Error(`APPRAISE_SOURCE_BAD_RESPONSE: Zendesk answered ${r.status}${zendeskError(r.body)} to ${endpoint}. Nothing of this batch was stored; the next sync retries from the last stored cursor.`);
    }
    if (!isObject(r.body)) {
      throw new Error(`APPRAISE_SOURCE_BAD_RESPONSE: Zendesk answered ${endpoint} with ${typeof r.body === 'string' ? 'a body that is not JSON' : 'JSON that is not an object'}. Check settings.baseUrl (${this.#settings.baseUrl}). Nothing of this batch was stored.`);
    }
    return { body: r.body, endpoint };
  }
}

/** Zendesk's error name (`InvalidValue`), never its free text (it may echo the request). */
function zendeskError(body: unknown): string {
  if (isObject(body) && typeof body.error === 'string' && /^[\w .'-]{1,80}$/.test(body.error)) return ` (${body.error})`;
  return '';
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An array field of an answer, or a coded error naming the endpoint and the field. */
export function arrayField(answer: Answer, field: string): unknown[] {
  const v = answer.body[field];
  if (!Array.isArray(v)) throw new Error(`APPRAISE_SOURCE_BAD_RESPONSE: Zendesk's answer to ${answer.endpoint} has no "${field}" list; nothing of this batch was stored.`);
  return v;
}

/**
 * The next page of a cursor-paginated list (`meta.has_more`, `meta.after_cursor`, `links.next`):
 * the `page[after]` value, or undefined at the end.
 */
export function nextPage(answer: Answer): string | undefined {
  const meta = isObject(answer.body.meta) ? answer.body.meta : {};
  if (meta.has_more !== true) return undefined;
  if (typeof meta.after_cursor === 'string' && meta.after_cursor) return meta.after_cursor;
  const links = isObject(answer.body.links) ? answer.body.links : {};
  if (typeof links.next === 'string') {
    const after = new URL(links.next).searchParams.get('page[after]');
    if (after) return after;
  }
  throw new Error(`APPRAISE_SOURCE_BAD_RESPONSE: Zendesk's answer to ${answer.endpoint} says there is more (meta.has_more) but gives no cursor to the next page; nothing of this batch was stored.`);
}
