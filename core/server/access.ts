// Who may call which route, decided on the route itself. Every /api route declares its access
// in `config.access`; an onRoute hook attaches authentication and the permission check to the
// route's own onRequest hooks, so they run for whatever spelling of the path the router
// matched (`/%61pi/me` is `/api/me` to the router, and so it is here) and before the body is
// read. A route that declares nothing cannot be registered: access is denied by default.
import type { FastifyInstance, FastifyRequest, onRequestHookHandler, RouteOptions } from 'fastify';
import type { Appraise } from '../app/appraise.ts';
import { checkToken, type Principal } from '../auth/tokens.ts';
import { allowed, PERMISSIONS, type Permission } from '../auth/scope.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { AuthFailureLimiter } from './rate-limit.ts';

/** `public`: anyone; `signedIn`: any valid token (the handler scopes what it shows); else a permission. */
export type Access = 'public' | 'signedIn' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Costly for the server (dashboard, previews, runs, imports): limited per token. */
    expensive?: boolean;
  }
  interface FastifyRequest {
    principal: Principal;
  }
}

/** RFC 7235: the scheme is case-insensitive; one token, nothing after it. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^bearer +([^\s]+) *$/i.exec(header ?? '');
  return m?.[1];
}

/** Throws a 403 unless the principal's role has the permission. */
export function requirePermission(req: FastifyRequest, permission: Permission): void {
  if (!allowed(req.principal, permission)) {
    throw new AppraiseError('APPRAISE_API_FORBIDDEN', `The ${roleWords(req.principal.role)} role may not do this. Roles that may: ${PERMISSIONS[permission].map(roleWords).join(', ')}.`);
  }
}

const roleWords = (role: string) => (role === 'hr' ? 'HR' : role);

export function registerAccessControl(server: FastifyInstance, app: Appraise): void {
  const failures = new AuthFailureLimiter();
  server.decorateRequest('principal', null as unknown as Principal);

  const signIn: onRequestHookHandler = async (req) => {
    if (failures.blocked(req.ip)) {
      throw new AppraiseError('APPRAISE_API_RATE_LIMITED', 'Too many failed sign-ins from this address. Wait a minute and retry with a valid token.');
    }
    const header = req.headers.authorization;
    const token = bearerToken(header);
    const check = await checkToken(app.store, token);
    if (!('principal' in check)) {
      failures.fail(req.ip);
      if (check.refused === 'expired') {
        throw new AppraiseError('APPRAISE_TOKEN_EXPIRED', `The token expired at ${check.expiredAt}. Ask an administrator for a new one (Access tokens in the admin UI, or \`npx appraise token create\`) and sign in with it.`, { expiredAt: check.expiredAt });
      }
      throw new AppraiseError(
        'APPRAISE_API_UNAUTHORIZED',
        token ? 'The token is unknown or revoked. Sign in again with a valid token.'
          : header ? 'The Authorization header must be `Bearer <token>`.'
            : 'Send `Authorization: Bearer <token>`. Create a token with `npx appraise token create --role … --name …`.',
      );
    }
    req.principal = check.principal;
  };

  server.addHook('onRoute', (route: RouteOptions) => {
    const url = route.url;
    if (!url.startsWith('/api/') && url !== '/api') return;
    const access = route.config?.access;
    if (!access) throw new Error(`route ${String(route.method)} ${url} declares no config.access; every /api route must say who may call it`);
    if (access === 'public') return;
    const hooks: onRequestHookHandler[] = [signIn];
    if (access !== 'signedIn') {
      if (!(access in PERMISSIONS)) throw new Error(`route ${String(route.method)} ${url} names an unknown permission ${access}`);
      hooks.push(async (req) => requirePermission(req, access));
    }
    const own = route.onRequest ? (Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest]) : [];
    route.onRequest = [...hooks, ...own] as RouteOptions['onRequest'];
  });
}
