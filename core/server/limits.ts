// Limits on what one token can make the server do. Routes marked `config.expensive` (the
// dashboard, previews, runs, imports, trends) count per token: at most `perMinute` a minute
// (@fastify/rate-limit) and `atOnce` at the same time, each refusal a coded 429 with
// Retry-After. Both checks run after sign-in and before the body is read, so a refused upload
// costs nothing. Per process by design, like the failed sign-in limiter.
import type { FastifyInstance, RouteHandlerMethod, RouteOptions } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { AppraiseError } from '../diagnostics/diagnostic.ts';

export interface ExpensiveLimits {
  /** Expensive requests one token may start in a minute. */
  perMinute: number;
  /** Expensive requests one token may have in progress at once. */
  atOnce: number;
}

export const DEFAULT_LIMITS: ExpensiveLimits = { perMinute: 30, atOnce: 2 };

const HELD = Symbol('appraise.expensiveSlot');

export async function registerLimits(server: FastifyInstance, limits: ExpensiveLimits): Promise<void> {
  const inProgress = new Map<number, number>();
  const release = (req: { principal?: { tokenId: number }; [HELD]?: boolean }) => {
    if (!req[HELD] || !req.principal) return;
    req[HELD] = false;
    const n = (inProgress.get(req.principal.tokenId) ?? 1) - 1;
    if (n > 0) inProgress.set(req.principal.tokenId, n);
    else inProgress.delete(req.principal.tokenId);
  };

  server.addHook('onRoute', (route: RouteOptions) => {
    if (!route.config?.expensive) return;
    // Read by @fastify/rate-limit's own onRoute hook, registered after this one.
    (route.config as Record<string, unknown>).rateLimit = { max: limits.perMinute, timeWindow: 60_000 };
    route.preParsing = [
      async (req) => {
        const id = req.principal.tokenId;
        const n = inProgress.get(id) ?? 0;
        if (n >= limits.atOnce) {
          throw new AppraiseError('APPRAISE_API_TOO_MANY_REQUESTS', `This token already has ${n} costly requests in progress (the limit is ${limits.atOnce}). Wait for them to finish, then try again.`, { retryAfterSeconds: 1 });
        }
        inProgress.set(id, n + 1);
        (req as unknown as Record<symbol, boolean>)[HELD] = true;
      },
      ...(route.preParsing ? [route.preParsing].flat() : []),
    ] as RouteOptions['preParsing'];
    const handler = route.handler as RouteHandlerMethod;
    route.handler = async function (this: FastifyInstance, req, reply) {
      try {
        return await handler.call(this, req, reply);
      } finally {
        release(req as never);
      }
    };
    route.onResponse = [async (req: unknown) => release(req as never), ...(route.onResponse ? [route.onResponse].flat() : [])] as RouteOptions['onResponse'];
  });

  await server.register(rateLimit, {
    global: false,
    hook: 'onRequest',
    keyGenerator: (req) => `token:${req.principal?.tokenId ?? req.ip}`,
    errorResponseBuilder: (_req, ctx) => {
      const seconds = Math.max(1, Math.ceil(ctx.ttl / 1000));
      return new AppraiseError('APPRAISE_API_TOO_MANY_REQUESTS', `Too many costly requests from this token: at most ${ctx.max} a minute. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`, { retryAfterSeconds: seconds });
    },
  });
}
