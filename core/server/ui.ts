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
  server.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) {
      return reply.code(404).send({ error: { code: 'APPRAISE_API_NOT_FOUND', message: `No route ${req.method} ${req.url.split('?')[0]}.` } });
    }
    return reply.sendFile('index.html');
  });
}
