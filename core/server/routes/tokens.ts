// Access tokens, for admins: create one (its secret is in that answer and never again), list
// them (never a secret, never its hash), revoke one (kept, with who and when, for the audit).
// The CLI's `token` commands and these routes share core/auth/tokens.ts: the same checks, the
// same audit rows.
import type { FastifyInstance } from 'fastify';
import type { Appraise } from '../../app/appraise.ts';
import { API_FIELDS, createToken, listTokens, parseExpiry, revokeTokenById, type Role, type TokenInfo } from '../../auth/tokens.ts';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { ref } from '../app.ts';

interface CreateBody {
  name: string;
  role: Role;
  employeeId?: string;
  expiresAt?: string;
}

/** A token as the API shows it: every field present, null when it has no value. */
function present(t: TokenInfo) {
  return {
    id: t.tokenId,
    name: t.name,
    role: t.role,
    status: t.status,
    employeeId: t.employeeId ?? null,
    employeeName: t.employeeName ?? null,
    createdAt: t.createdAt,
    createdBy: t.createdBy,
    expiresAt: t.expiresAt ?? null,
    lastUsedAt: t.lastUsedAt ?? null,
    revokedAt: t.revokedAt ?? null,
    revokedBy: t.revokedBy ?? null,
  };
}

export async function registerTokenRoutes(server: FastifyInstance, app: Appraise): Promise<void> {
  const idParam = { type: 'object', properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } }, required: ['id'] };

  server.get('/api/tokens', { config: { access: 'manageTokens' }, schema: { tags: ['admin'], response: { 200: ref('tokenList') } } }, async () => {
    return { tokens: (await listTokens(app.store)).reverse().map(present) };
  });

  server.post<{ Body: CreateBody }>('/api/tokens', {
    config: { access: 'manageTokens' },
    schema: { tags: ['admin'], body: ref('tokenCreateRequest'), response: { 201: ref('tokenCreated') } },
  }, async (req, reply) => {
    const { name, role, employeeId, expiresAt } = req.body;
    const { token, info } = await createToken(app.store, {
      name, role, employeeId, createdBy: req.principal.name,
      ...(expiresAt !== undefined ? { expiresAt: parseExpiry(expiresAt, API_FIELDS.expiresAt) } : {}),
    }, API_FIELDS);
    return reply.code(201).send({ secret: token, token: present(info) });
  });

  server.post<{ Params: { id: number } }>('/api/tokens/:id/revoke', {
    config: { access: 'manageTokens' },
    schema: { tags: ['admin'], params: idParam, response: { 200: ref('token') } },
  }, async (req) => {
    const t = await revokeTokenById(app.store, req.params.id, req.principal.name);
    if (!t) throw new AppraiseError('APPRAISE_TOKEN_NOT_FOUND', `There is no token ${req.params.id}. \`GET /api/tokens\` lists them.`, { field: 'id' });
    return present(t);
  });
}
