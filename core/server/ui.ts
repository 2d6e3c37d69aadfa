// Serves the built admin UI (ui/dist) at `/`, with the single-page app's index for unknown
// non-API paths so that deep links work.
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';

export async function registerUi(server: FastifyInstance, dir: string): Promise<void> {
  if (!existsSync(`${dir}/index.html`)) {
    server.get('/', async (_req, reply) => reply.type('text/html').send('<!doctype html><title>Appraise</title><p>The admin UI is not built. Run <code>npm run build</code>.</p>'));
    return;
  }
  await server.register(fastifyStatic, { root: dir, prefix: '/', index: ['index.html'], wildcard: false });
  // The SPA fallback is a catch-all GET route, not a second not-found handler: buildServer has
  // already set the instance's one, and fastify refuses another for the same prefix.
  server.get<{ Params: { '*': string } }>('/*', { schema: { hide: true } }, (req, reply) => {
    // The router's decoded path, not the raw URL: `/%61pi/x` is an API path too.
    if (/^\/*api(\/|$)/i.test(req.params['*'] ?? '')) return reply.callNotFound();
    return reply.sendFile('index.html');
  });
}
