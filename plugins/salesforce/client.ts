// Talking to Salesforce's REST API: the bearer token (given, or fetched with the OAuth 2.0
// client-credentials flow), SOQL queries read to their end through `nextRecordsUrl`, and
// Salesforce's error answers — a JSON array of { message, errorCode } — turned into the coded
// messages every Appraise connector uses. Never puts a token into a message.
import type { SourceResponse, SourceSyncContext } from 'appraise/plugin-api';

/** The REST API version the connector was written and tested against (Winter '25). */
export const DEFAULT_API_VERSION = '62.0';

export interface SalesforceError {
  message: string;
  errorCode: string;
}

/** One answer of the Query resource (`GET /services/data/vXX.X/query?q=…`). */
interface QueryResult {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Array<Record<string, unknown>>;
}

/** A Salesforce error answer worth handling, instead of failing the batch. */
export class SalesforceApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

// Access tokens fetched with client credentials, per instance and client id: one token serves
// every page of a sync (and the next sync) until Salesforce says the session is no longer valid.
const tokens = new Map<string, string>();

export class SalesforceClient {
  readonly base: string;
  readonly apiVersion: string;

  constructor(
    private readonly ctx: SourceSyncContext,
    instanceUrl: string,
    apiVersion: string,
  ) {
    this.base = instanceUrl.replace(/\/+$/, '');
    this.apiVersion = apiVersion;
  }

  /** Runs a SOQL query and reads every batch of its answer (`nextRecordsUrl` until `done`). */
  async query(soql: string): Promise<Array<Record<string, unknown>>> {
    let answer = (await this.get(`/services/data/v${this.apiVersion}/query?q=${encodeURIComponent(soql)}`)) as QueryResult;
    const records = [...this.records(answer)];
    // The locator is followed right away, within this batch, and never stored in the cursor:
    // Salesforce lets query locators expire (15 minutes unused, and only a few per user).
    while (!answer.done) {
      const next = answer.nextRecordsUrl;
      if (typeof next !== 'string' || !next.startsWith('/services/data/')) {
        throw new Error(`APPRAISE_SOURCE_BAD_RESPONSE: Salesforce answered a query with done: false but no usable nextRecordsUrl; nothing of this batch was stored.`);
      }
      answer = (await this.get(next)) as QueryResult;
      records.push(...this.records(answer));
    }
    return records;
  }

  /** GET a path under the instance, as JSON; Salesforce's error answers become coded errors. */
  async get(path: string): Promise<unknown> {
    const url = `${this.base}${path}`;
    let response = await this.ctx.request(url, { headers: { authorization: `Bearer ${await this.token()}`, accept: 'application/json' } });
    if (response.status === 401 && this.usesClientCredentials()) {
      // A fetched token may have timed out with the org's session timeout: fetch a new one, once.
      tokens.delete(this.tokenKey());
      response = await this.ctx.request(url, { headers: { authorization: `Bearer ${await this.token()}`, accept: 'application/json' } });
    }
    if (response.status >= 200 && response.status < 300 && response.body !== null && typeof response.body === 'object') return response.body;
    throw this.failure(response, `GET ${pathOnly(path)}`);
  }

  private records(answer: QueryResult): Array<Record<string, unknown>> {
    if (!answer || !Array.isArray(answer.records) || typeof answer.done !== 'boolean') {
      throw new Error(`APPRAISE_SOURCE_BAD_RESPONSE: Salesforce answered a query without records and done; check the instanceUrl points at a Salesforce org. Nothing of this batch was stored.`);
    }
    return answer.records;
  }

  private usesClientCredentials(): boolean {
    return !this.ctx.credentials.accessToken && !!this.ctx.credentials.clientId;
  }

  private tokenKey(): string {
    return `${this.base}\n${this.ctx.credentials.clientId}`;
  }

  private async token(): Promise<string> {
    const given = this.ctx.credentials.accessToken;
    if (given) return given;
    const { clientId, clientSecret } = this.ctx.credentials;
    if (!clientId || !clientSecret) {
      throw new Error(`APPRAISE_SOURCE_AUTH_FAILED: the Salesforce source has no credentials: give it accessToken, or clientId and clientSecret of a connected app with the client-credentials flow enabled (sources.<name>.credentials in appraise.config.yaml).`);
    }
    const cached = tokens.get(this.tokenKey());
    if (cached) return cached;
    // OAuth 2.0 client-credentials flow: POST the form to the org's own (My Domain) token endpoint.
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString();
    const r = await this.ctx.request(`${this.base}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
    });
    const answer = (r.body ?? {}) as { access_token?: unknown; error?: unknown; error_description?: unknown };
    if (r.status !== 200 || typeof answer.access_token !== 'string') {
      const why = typeof answer.error === 'string' ? `${answer.error}${typeof answer.error_description === 'string' ? ` (${answer.error_description})` : ''}` : `HTTP ${r.status}`;
      throw new Error(`APPRAISE_SOURCE_AUTH_FAILED: Salesforce refused the client credentials at POST /services/oauth2/token: ${why}. Check clientId and clientSecret, that the connected app enables the client-credentials flow with a Run As user, and that instanceUrl is the org's My Domain URL.`);
    }
    tokens.set(this.tokenKey(), answer.access_token);
    return answer.access_token;
  }

  private failure(response: SourceResponse, where: string): Error {
    const errors = Array.isArray(response.body) ? (response.body as SalesforceError[]) : [];
    const first = errors.find((e) => e && typeof e.errorCode === 'string');
    const code = first?.errorCode ?? '';
    const said = first ? `${code}: ${oneLine(first.message)}` : `HTTP ${response.status}`;
    if (response.status === 401) {
      return new Error(`APPRAISE_SOURCE_AUTH_FAILED: Salesforce answered 401 (${said}) to ${where}. The access token is expired, revoked or for another org: issue a new one (or use clientId/clientSecret so Appraise fetches its own) and check instanceUrl. Nothing of this batch was stored.`);
    }
    if (code === 'REQUEST_LIMIT_EXCEEDED') {
      return new Error(`APPRAISE_SOURCE_RATE_LIMITED: Salesforce answered ${response.status} REQUEST_LIMIT_EXCEEDED to ${where}: the org has used up its API requests for the last 24 hours (${oneLine(first?.message ?? '')}). Waiting within this sync cannot help; the sync stopped at its last stored cursor and resumes there. Sync less often, or raise the org's API allowance (Setup > Company Information shows the usage).`);
    }
    if (response.status === 403) {
      return new Error(`APPRAISE_SOURCE_AUTH_FAILED: Salesforce refused ${where} with 403 (${said}). The integration user needs the API Enabled permission and read access to Opportunity and User (and View All Forecasts for quotas). Nothing of this batch was stored.`);
    }
    if (response.status === 400 || response.status === 404) {
      return new SalesforceApiError(response.status, code, `APPRAISE_SOURCE_BAD_RESPONSE: Salesforce answered ${response.status} (${said}) to ${where}. Check apiVersion (this connector uses v${DEFAULT_API_VERSION} by default) and that the integration user can read the fields named. Nothing of this batch was stored.`);
    }
    return new Error(`APPRAISE_SOURCE_BAD_RESPONSE: Salesforce answered ${response.status} (${said}) to ${where}; nothing of this batch was stored and the next sync retries from the last stored cursor.`);
  }
}

/** The path without its query string: a SOQL query is long and says nothing the reader needs. */
function pathOnly(path: string): string {
  return path.split('?')[0];
}

function oneLine(text: unknown): string {
  return String(text ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
}
