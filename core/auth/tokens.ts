// API tokens: random (32 bytes), shown once at creation, stored only as a SHA-256 hash, and
// revoked rather than deleted. Looking one up is a database query, so several server processes
// on one database agree on who is signed in without sessions in memory. A token may expire;
// whether it has is decided by the database's clock, the one every process shares.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ErrorCode } from '../diagnostics/codes.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import type { Queryable, Store } from '../store/store.ts';
import { LATEST_INSTANT, parseInstant } from '../util/instant.ts';

export type Role = 'admin' | 'hr' | 'manager' | 'employee' | 'viewer';
export const ROLES: Role[] = ['admin', 'hr', 'manager', 'employee', 'viewer'];

export interface Principal {
  tokenId: number;
  name: string;
  role: Role;
  employeeId?: string;
}

/** Whether a token signs in: `expired` once its expiry has passed, `revoked` for good. */
export type TokenStatus = 'active' | 'expired' | 'revoked';

export interface TokenInfo extends Principal {
  status: TokenStatus;
  /** The name of the employee the token acts as, when they are in the store. */
  employeeName?: string;
  createdAt: string;
  createdBy: string;
  expiresAt?: string;
  lastUsedAt?: string;
  revokedAt?: string;
  revokedBy?: string;
}

/** Each role's token with its article, as a sentence starts: "An HR token", "A manager token". */
export const A_TOKEN_OF: Record<Role, string> = {
  admin: 'An admin token',
  hr: 'An HR token',
  manager: 'A manager token',
  employee: 'An employee token',
  viewer: 'A viewer token',
};

/** The longest name a token may have: a name is read in lists and the audit log. */
export const TOKEN_NAME_MAX = 100;

/**
 * How the person creating a token names its inputs, so that a refusal names what they typed:
 * the CLI's options (a usage error) or the API's fields (a 400).
 */
export interface TokenFields {
  code: Extract<ErrorCode, 'APPRAISE_USAGE' | 'APPRAISE_TOKEN_INVALID'>;
  name: string;
  role: string;
  employeeId: string;
  expiresAt: string;
  /** How to give the employee a token acts as, after "give their id": `with --employee <id>`. */
  giveEmployee: string;
}

export const CLI_FIELDS: TokenFields = { code: 'APPRAISE_USAGE', name: '--name', role: '--role', employeeId: '--employee', expiresAt: '--expires', giveEmployee: 'with --employee <id>' };
export const API_FIELDS: TokenFields = { code: 'APPRAISE_TOKEN_INVALID', name: 'name', role: 'role', employeeId: 'employeeId', expiresAt: 'expiresAt', giveEmployee: 'in `employeeId`' };

export interface NewToken {
  name: string;
  role: Role;
  employeeId?: string;
  /** When it stops signing in; none: never. */
  expiresAt?: Date;
  createdBy: string;
}

const PREFIX = 'apr_';
const hash = (token: string) => createHash('sha256').update(token).digest('hex');
const iso = (v: unknown) => new Date(v as string).toISOString();

/** The status as the database's clock sees it, beside every row read. */
const COLUMNS = `t.*, CASE WHEN t.revoked_at IS NOT NULL THEN 'revoked' WHEN t.expires_at <= now() THEN 'expired' ELSE 'active' END AS status,
  (SELECT e.name FROM employees e WHERE e.id = t.employee_id) AS employee_name`;

/** All of `fn` or none of it: a token is never created or revoked without its audit row. */
function atomically<T>(db: Queryable | Store, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return 'transaction' in db ? db.transaction(fn) : fn(db);
}

/**
 * An expiry as a person types it: an ISO 8601 instant, or a date alone, which means the token
 * works through that day (UTC) and expires at the midnight after it.
 */
export function parseExpiry(text: string, field: string): Date {
  const at = parseInstant(text, field);
  // The midnight after 9999-12-31 would be a year that the store cannot read: the day's last instant instead.
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(Math.min(at.getTime() + 86_400_000, LATEST_INSTANT.getTime())) : at;
}

async function checkNewToken(db: Queryable, t: NewToken, f: TokenFields): Promise<void> {
  const refuse = (field: string, message: string): never => {
    throw new AppraiseError(f.code, message, { field });
  };
  if (!ROLES.includes(t.role)) refuse(f.role, `${f.role} must be one of ${ROLES.join(', ')}, not ${String(t.role).slice(0, 40)}.`);
  if (!t.name.trim()) refuse(f.name, `${f.name} is empty: give the token a name that says who or what uses it.`);
  if (t.name.length > TOKEN_NAME_MAX) refuse(f.name, `${f.name} is ${t.name.length} characters long; a token's name may have at most ${TOKEN_NAME_MAX}. Shorten it.`);
  // A line break or other control character would break the lists and the audit log it is shown in.
  if (/\p{Cc}/u.test(t.name)) refuse(f.name, `${f.name} holds a line break or another control character: give a name on one line.`);
  const actsAs = t.role === 'manager' || t.role === 'employee';
  if (actsAs && !t.employeeId) refuse(f.employeeId, `${A_TOKEN_OF[t.role]} acts as a particular employee: give their id ${f.giveEmployee}.`);
  if (!actsAs && t.employeeId) refuse(f.employeeId, `${A_TOKEN_OF[t.role]} sees everyone, so it acts as no employee: leave out ${f.employeeId}, or choose the manager or employee role.`);
  if (t.expiresAt && t.expiresAt.getTime() <= Date.now()) {
    refuse(f.expiresAt, `${f.expiresAt} must lie in the future, not ${t.expiresAt.toISOString()} (it is now ${new Date().toISOString()}). Give a later date, or none for a token that does not expire.`);
  }
  if (t.employeeId) {
    const e = await db.query('SELECT 1 FROM employees WHERE id = $1', [t.employeeId]);
    if (!e.rows.length) {
      throw new AppraiseError('APPRAISE_EMPLOYEE_NOT_FOUND', `There is no employee \`${t.employeeId}\` for the token to act as (${f.employeeId}). Check the id, or import the employee first.`, { employeeId: t.employeeId, field: f.employeeId });
    }
  }
}

/** A new token and its secret, which is in this answer only; its creation is audited. */
export async function createToken(db: Queryable | Store, t: NewToken, fields: TokenFields = CLI_FIELDS): Promise<{ token: string; info: TokenInfo }> {
  await checkNewToken(db, t, fields);
  const token = PREFIX + randomBytes(32).toString('base64url');
  return atomically(db, async (tx) => {
    const r = await tx.query<{ id: number }>(
      `INSERT INTO api_tokens (name, role, employee_id, token_hash, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [t.name, t.role, t.employeeId ?? null, hash(token), t.createdBy, t.expiresAt?.toISOString() ?? null],
    );
    const id = Number(r.rows[0].id);
    await tx.query(`INSERT INTO audit_log (actor, action, target, after) VALUES ($1, 'token.create', $2, $3::jsonb)`, [
      t.createdBy, `token:${id}`, JSON.stringify({ name: t.name, role: t.role, employeeId: t.employeeId ?? null, expiresAt: t.expiresAt?.toISOString() ?? null }),
    ]);
    return { token, info: (await tokensWhere(tx, 't.id = $1', [id]))[0] };
  });
}

function toInfo(r: Record<string, unknown>): TokenInfo {
  return {
    tokenId: Number(r.id),
    name: r.name as string,
    role: r.role as Role,
    ...(r.employee_id ? { employeeId: r.employee_id as string } : {}),
    ...(r.employee_name ? { employeeName: r.employee_name as string } : {}),
    status: r.status as TokenStatus,
    createdAt: iso(r.created_at),
    createdBy: r.created_by as string,
    ...(r.expires_at ? { expiresAt: iso(r.expires_at) } : {}),
    ...(r.last_used_at ? { lastUsedAt: iso(r.last_used_at) } : {}),
    ...(r.revoked_at ? { revokedAt: iso(r.revoked_at) } : {}),
    ...(r.revoked_by ? { revokedBy: r.revoked_by as string } : {}),
  };
}

async function tokensWhere(db: Queryable, where: string, params: unknown[]): Promise<TokenInfo[]> {
  return (await db.query<Record<string, unknown>>(`SELECT ${COLUMNS} FROM api_tokens t WHERE ${where} ORDER BY t.id`, params)).rows.map(toInfo);
}

/** Why a bearer token signs nobody in, or whom it signs in. */
export type TokenCheck = { principal: Principal } | { refused: 'unknown' } | { refused: 'expired'; expiredAt: string };

/** Checks a bearer token: unknown and revoked tokens are alike; an expired one says when it expired. */
export async function checkToken(db: Queryable, token: string | undefined): Promise<TokenCheck> {
  if (!token || !token.startsWith(PREFIX) || token.length > 200) return { refused: 'unknown' };
  const h = hash(token);
  const r = await db.query<Record<string, unknown>>(`SELECT ${COLUMNS} FROM api_tokens t WHERE t.token_hash = $1 AND t.revoked_at IS NULL`, [h]);
  const row = r.rows[0];
  if (!row || !timingSafeEqual(Buffer.from(row.token_hash as string), Buffer.from(h))) return { refused: 'unknown' };
  if (row.status === 'expired') return { refused: 'expired', expiredAt: iso(row.expires_at) };
  await db.query('UPDATE api_tokens SET last_used_at = now() WHERE id = $1', [row.id]);
  const { tokenId, name, role, employeeId } = toInfo(row);
  return { principal: { tokenId, name, role, ...(employeeId ? { employeeId } : {}) } };
}

/** The principal of a bearer token, or undefined when it is unknown, revoked or expired. */
export async function authenticate(db: Queryable, token: string | undefined): Promise<Principal | undefined> {
  const c = await checkToken(db, token);
  return 'principal' in c ? c.principal : undefined;
}

/** Revokes the active tokens with this id or name (the CLI's way); returns how many. */
export async function revokeToken(db: Queryable | Store, idOrName: string, actor: string): Promise<number> {
  return atomically(db, async (tx) => {
    const r = /^\d+$/.test(idOrName)
      ? await tx.query<{ id: number }>('UPDATE api_tokens SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id', [Number(idOrName), actor])
      : await tx.query<{ id: number }>('UPDATE api_tokens SET revoked_at = now(), revoked_by = $2 WHERE name = $1 AND revoked_at IS NULL RETURNING id', [idOrName, actor]);
    for (const row of r.rows) await tx.query(`INSERT INTO audit_log (actor, action, target) VALUES ($1, 'token.revoke', $2)`, [actor, `token:${row.id}`]);
    return r.rows.length;
  });
}

/**
 * Revokes one token by id and returns it; a token revoked before is returned as it is (a
 * repeated click changes nothing and audits nothing). Undefined when there is no such token.
 */
export async function revokeTokenById(db: Queryable | Store, id: number, actor: string): Promise<TokenInfo | undefined> {
  return atomically(db, async (tx) => {
    const r = await tx.query<{ id: number }>('UPDATE api_tokens SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id', [id, actor]);
    if (r.rows.length) await tx.query(`INSERT INTO audit_log (actor, action, target) VALUES ($1, 'token.revoke', $2)`, [actor, `token:${id}`]);
    return (await tokensWhere(tx, 't.id = $1', [id]))[0];
  });
}

/** Every token, revoked and expired ones too, oldest first: never a secret, never its hash. */
export async function listTokens(db: Queryable): Promise<TokenInfo[]> {
  return tokensWhere(db, 'true', []);
}
