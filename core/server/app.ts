// The admin API server (fastify). Every /api route but health needs a bearer token; route
// schemas come from schemas/api.schema.json, so validation and the OpenAPI document share one
// source. Errors are `{error: {code, message, details}}` with a 4xx for bad input — never a
// stack trace, never a crash.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import { readFileSync } from 'node:fs';
import type { Appraise } from '../app/appraise.ts';
import { authenticate, type Principal } from '../auth/tokens.ts';
import { allowed, type Permission } from '../auth/scope.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { SCHEMA_DIR } from '../policy/schema-check.ts';
import { statusOf } from './errors.ts';
import { AuthFailureLimiter } from './rate-limit.ts';
import { registerPolicyRoutes } from './routes/policies.ts';
import { registerRunRoutes } from './routes/runs.ts';
import { registerCaseRoutes } from './routes/cases.ts';
import { registerEmployeeRoutes } from './routes/employees.ts';
import { registerAdminRoutes } from './routes/admin.ts';
import { registerImportRoutes } from './routes/imports.ts';
import { registerDashboardRoutes } from './routes/dashboard.ts';
import { registerUi } from './ui.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

export interface ServerOptions {
  logger?: boolean;
  /** Serve the built admin UI from this folder at `/`. */
  uiDir?: string;
  bodyLimit?: number;
}

export const API_SCHEMA_ID = 'https://appraise.dev/schemas/api.schema.json';
export const ref = (name: string) => ({ $ref: `${API_SCHEMA_ID}#/$defs/${name}` });

export async function buildServer(app: Appraise, options: ServerOptions = {}): Promise<FastifyInstance> {
  const server = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true } },
    trustProxy: false,
  });
  server.decorateRequest('principal', null as unknown as Principal);

  await server.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Appraise admin API', version: '1.0.0', description: 'Policies, simulations with fairness reports, runs, cases, employees and plugins. Every route but /api/health needs `Authorization: Bearer <token>` (`npx appraise token create`).' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  // fastify's ajv speaks draft-07; the definitions use nothing beyond it, so the 2020-12 marker
  // (kept for editors) is dropped here.
  const { $schema: _draft, ...apiSchema } = JSON.parse(readFileSync(`${SCHEMA_DIR}api.schema.json`, 'utf8'));
  server.addSchema(apiSchema);

  // Security headers on every response; no stack traces ever leave.
  server.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
    reply.header('cross-origin-opener-policy', 'same-origin');
    return payload;
  });

  const limiter = new AuthFailureLimiter();
  server.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/api/') || req.url === '/api/health' || req.url.startsWith('/api/openapi.json')) return;
    if (limiter.blocked(req.ip)) {
      return sendError(reply, new AppraiseError('APPRAISE_API_RATE_LIMITED', 'Too many failed sign-ins from this address. Wait a minute and retry with a valid token.'));
    }
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const principal = await authenticate(app.store, token);
    if (!principal) {
      limiter.fail(req.ip);
      return sendError(reply, new AppraiseError('APPRAISE_API_UNAUTHORIZED', token ? 'The token is unknown or revoked. Sign in again with a valid token.' : 'Send `Authorization: Bearer <token>`. Create a token with `npx appraise token create --role … --name …`.'));
    }
    req.principal = principal;
  });

  server.setErrorHandler((error, req, reply) => {
    if (error instanceof AppraiseError) return sendError(reply, error);
    const e = error as { validation?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown> }>; validationContext?: string; statusCode?: number; code?: string; message: string };
    if (e.validation) {
      const first = e.validation[0];
      const where = `${e.validationContext ?? 'body'}${first?.instancePath ? first.instancePath.replace(/\//g, '.') : ''}`;
      const extra = first?.params?.additionalProperty ? ` \`${String(first.params.additionalProperty)}\`` : first?.params?.missingProperty ? ` \`${String(first.params.missingProperty)}\`` : '';
      return sendError(reply, new AppraiseError('APPRAISE_API_BAD_REQUEST', `${where} ${first?.message ?? 'is invalid'}${extra}.`, { errors: e.validation.slice(0, 10).map((v) => ({ path: v.instancePath, message: v.message })) }));
    }
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendError(reply, new AppraiseError('APPRAISE_API_BAD_REQUEST', `Unsupported Content-Type \`${req.headers['content-type'] ?? 'none'}\`: send application/json (imports: text/csv, text/tab-separated-values or application/x-ndjson).`));
    }
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413) return sendError(reply, new AppraiseError('APPRAISE_API_TOO_LARGE', 'The request body is too large.'));
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return sendError(reply, new AppraiseError('APPRAISE_API_BAD_REQUEST', `${e.message.replace(/^Body /, 'The body ')}.`.replace(/\.\.$/, '.')));
    }
    req.log.error(error);
    return sendError(reply, new AppraiseError('APPRAISE_API_INTERNAL', 'An unexpected error occurred; it was logged. Nothing was changed.'));
  });
  server.setNotFoundHandler((req, reply) => {
    if (!req.url.startsWith('/api/')) return reply.callNotFound();
    return sendError(reply, new AppraiseError('APPRAISE_API_NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}.`));
  });

  server.get('/api/health', { schema: { tags: ['health'], security: [], response: { 200: ref('health') } } }, async () => {
    let store = 'ok';
    try {
      await app.store.query('SELECT 1');
    } catch {
      store = 'unreachable';
    }
    return {
      status: store === 'ok' ? 'ok' : 'degraded',
      store: { kind: app.store.kind, status: store },
      plugins: app.plugins.plugins.map((p) => ({ id: p.id, state: p.state })),
    };
  });
  server.get('/api/openapi.json', { schema: { hide: true } }, async () => server.swagger());
  server.get('/api/me', { schema: { tags: ['auth'], response: { 200: ref('principal') } } }, async (req) => req.principal);

  await registerPolicyRoutes(server, app);
  await registerRunRoutes(server, app);
  await registerCaseRoutes(server, app);
  await registerEmployeeRoutes(server, app);
  await registerAdminRoutes(server, app);
  await registerImportRoutes(server, app);
  await registerDashboardRoutes(server, app);
  if (options.uiDir) await registerUi(server, options.uiDir);
  return server;
}

export function sendError(reply: FastifyReply, e: AppraiseError): FastifyReply {
  const details = { ...e.details };
  return reply.code(statusOf(e.code)).type('application/json').send({ error: { code: e.code, message: e.message, ...(Object.keys(details).length ? { details } : {}) } });
}

/** Throws a 403 unless the principal's role has the permission. */
export function requirePermission(req: FastifyRequest, permission: Permission): void {
  if (!allowed(req.principal, permission)) {
    throw new AppraiseError('APPRAISE_API_FORBIDDEN', `The ${req.principal.role} role may not do this.`);
  }
}
