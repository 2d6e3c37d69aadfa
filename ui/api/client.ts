// The one fetch wrapper of the admin UI: adds the session's bearer token, sends and reads JSON,
// and turns every failure into an ApiError carrying the API's own message and code, so that a
// screen can always say what went wrong (the API answers errors as {error: {code, message}}).

/** An API call that failed: the server's message, the HTTP status (0: no answer) and its code. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const TOKEN_KEY = 'appraise.token';

/** The sign-in token, kept for the browser tab's session only (sessionStorage). */
export const session = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set token(value: string | null) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
};

/** Fired on `window` when the server refuses the token (revoked, or the server was reset). */
export const UNAUTHORIZED_EVENT = 'appraise-unauthorized';

export type Query = Record<string, string | number | boolean | undefined | null | Array<string | number>>;

export function queryString(query: Query = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => q.append(k, String(x)));
    else q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, o: { query?: Query; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = session.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`${path}${queryString(o.query)}`, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body), signal: o.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError('The server could not be reached. Check that Appraise is running and try again.', 0, 'APPRAISE_UI_NETWORK');
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined)?.error;
    if (res.status === 401) window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
    throw new ApiError(err?.message ?? `The server answered ${res.status} ${res.statusText}.`, res.status, err?.code ?? `HTTP_${res.status}`, err?.details ?? {});
  }
  if (data === undefined) throw new ApiError('The server sent an answer that is not JSON.', res.status, 'APPRAISE_UI_BAD_RESPONSE');
  return data as T;
}

/**
 * A GET whose answer is a file (CSV, a printable page): its text and type, with the same token
 * and the same coded errors as `request`.
 */
export async function requestText(path: string, o: { query?: Query; signal?: AbortSignal } = {}): Promise<{ text: string; type: string }> {
  const headers: Record<string, string> = {};
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  let res: Response;
  try {
    res = await fetch(`${path}${queryString(o.query)}`, { headers, signal: o.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError('The server could not be reached. Check that Appraise is running and try again.', 0, 'APPRAISE_UI_NETWORK');
  }
  const text = await res.text();
  if (!res.ok) {
    let err: { code?: string; message?: string; details?: Record<string, unknown> } | undefined;
    try {
      err = (JSON.parse(text) as { error?: typeof err }).error;
    } catch {
      err = undefined;
    }
    if (res.status === 401) window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
    throw new ApiError(err?.message ?? `The server answered ${res.status} ${res.statusText}.`, res.status, err?.code ?? `HTTP_${res.status}`, err?.details ?? {});
  }
  return { text, type: res.headers.get('content-type') ?? '' };
}
