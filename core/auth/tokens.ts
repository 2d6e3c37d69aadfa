// API tokens: random (32 bytes), shown once at creation, stored only as a SHA-256 hash, and
// revoked rather than deleted. Looking one up is a database query, so several server processes
// on one database agree on who is signed in without sessions in memory.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import type { Queryable } from '../store/store.ts';

export type Role = 'admin' | 'hr' | 'manager' | 'employee' | 'viewer';
export const ROLES: Role[] = ['admin', 'hr', 'manager', 'employee', 'viewer'];

export interface Principal {
  tokenId: number;
  name: string;
  role: Role;
  employeeId?: string;
}

export interface TokenInfo extends Principal {
  createdAt: string;
  createdBy: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

/** Each role's token with its article, as a sentence starts: "An HR token", "A manager token". */
export const A_TOKEN_OF: Record<Role, string> = {
  admin: 'An admin token',
  hr: 'An HR token',
  manager: 'A manager token',
  employee: 'An employee token',
  viewer: 'A viewer token',
};

const PREFIX = 'apr_';
const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createToken(db: Queryable, t: { name: string; role: Role; employeeId?: string; createdBy: string }): Promise<{ token: string; info: TokenInfo }> {
  if (!ROLES.includes(t.role)) throw new AppraiseError('APPRAISE_USAGE', `--role must be one of ${ROLES.join(', ')}, not ${t.role}.`);
  if ((t.role === 'manager' || t.role === 'employee') && !t.employeeId) {
    throw new AppraiseError('APPRAISE_USAGE', `${A_TOKEN_OF[t.role]} acts as a particular employee: give their id with --employee <id>.`);
  }
  if (t.employeeId) {
    const e = await db.query('SELECT 1 FROM employees WHERE id = $1', [t.employeeId]);
    if (!e.rows.length) {
      throw new AppraiseError('APPRAISE_EMPLOYEE_NOT_FOUND', `There is no employee \`${t.employeeId}\` for the token to act as (--employee). Check the id, or import the employee first.`, { employeeId: t.employeeId });
    }
  }
  const token = PREFIX + randomBytes(32).toString('base64url');
  const r = await db.query<Record<string, unknown>>(
    `INSERT INTO api_tokens (name, role, employee_id, token_hash, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
    [t.name, t.role, t.employeeId ?? null, hash(token), t.createdBy],
  );
  await db.query(`INSERT INTO audit_log (actor, action, target, after) VALUES ($1, 'token.create', $2, $3::jsonb)`, [t.createdBy, `token:${r.rows[0].id}`, JSON.stringify({ name: t.name, role: t.role, employeeId: t.employeeId ?? null })]);
  return { token, info: toInfo(r.rows[0]) };
}

function toInfo(r: Record<string, unknown>): TokenInfo {
  return {
    tokenId: Number(r.id),
    name: r.name as string,
    role: r.role as Role,
    ...(r.employee_id ? { employeeId: r.employee_id as string } : {}),
    createdAt: new Date(r.created_at as string).toISOString(),
    createdBy: r.created_by as string,
    ...(r.last_used_at ? { lastUsedAt: new Date(r.last_used_at as string).toISOString() } : {}),
    ...(r.revoked_at ? { revokedAt: new Date(r.revoked_at as string).toISOString() } : {}),
  };
}

/** The principal of a bearer token, or undefined when it is unknown or revoked. */
export async function authenticate(db: Queryable, token: string | undefined): Promise<Principal | undefined> {
  if (!token || !token.startsWith(PREFIX) || token.length > 200) return undefined;
  const h = hash(token);
  const r = await db.query<Record<string, unknown>>('SELECT * FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL', [h]);
  const row = r.rows[0];
  if (!row || !timingSafeEqual(Buffer.from(row.token_hash as string), Buffer.from(h))) return undefined;
  await db.query('UPDATE api_tokens SET last_used_at = now() WHERE id = $1', [row.id]);
  const { tokenId, name, role, employeeId } = toInfo(row);
  return { tokenId, name, role, ...(employeeId ? { employeeId } : {}) };
}

export async function revokeToken(db: Queryable, idOrName: string, actor: string): Promise<number> {
  const r = /^\d+$/.test(idOrName)
    ? await db.query<{ id: number }>('UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id', [Number(idOrName)])
    : await db.query<{ id: number }>('UPDATE api_tokens SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL RETURNING id', [idOrName]);
  for (const row of r.rows) await db.query(`INSERT INTO audit_log (actor, action, target) VALUES ($1, 'token.revoke', $2)`, [actor, `token:${row.id}`]);
  return r.rows.length;
}

export async function listTokens(db: Queryable): Promise<TokenInfo[]> {
  return (await db.query<Record<string, unknown>>('SELECT * FROM api_tokens ORDER BY id')).rows.map(toInfo);
}
