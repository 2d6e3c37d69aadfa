// Serves the built admin UI (ui/dist) at `/`, with the single-page app's index for unknown
// non-API paths so that deep links work. The bundle's hashed files are sent precompressed
// (brotli or gzip, built by build-ui.ts) and cached for a year; index.html is revalidated.
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { HASHED_ASSET } from './build-ui.ts';
import { setUiCacheHeaders } from './transfer.ts';

export async function registerUi(server: FastifyInstance, dir: string): Promise<void> {
  if (!existsSync(`${dir}/index.html`)) {
    server.get('/', async (_req, reply) => reply.type('text/html').send('<!doctype html><title>Appraise</title><p>The admin UI is not built. Run <code>npm run build</code>.</p>'));
    return;
  }
  await server.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    index: ['index.html'],
    wildcard: false,
    // `app-X.js` is answered with `app-X.js.br` or `.gz` when the client accepts it; the
    // compressed copies are not addresses of their own.
    preCompressed: true,
    globIgnore: ['**/*.br', '**/*.gz', '**/*.tmp'],
    // Our Cache-Control replaces @fastify/send's `public, max-age=0`.
    cacheControl: false,
    setHeaders: setUiCacheHeaders,
  });
  // The SPA fallback is a catch-all GET route, not a second not-found handler: buildServer has
  // already set the instance's one, and fastify refuses another for the same prefix.
  server.get<{ Params: { '*': string } }>('/*', { schema: { hide: true } }, (req, reply) => {
    const path = req.params['*'] ?? '';
    // The router's decoded path, not the raw URL: `/%61pi/x` is an API path too.
    if (/^\/*api(\/|$)/i.test(path)) return reply.callNotFound();
    // The static routes are the files there were at start; a build since (`npm run build` while
    // serving, or a test building beside a running server) has new names, served from here. A
    // hashed name that is not there is a 404, never the page in its place.
    if (HASHED_ASSET.test(path)) return reply.sendFile(path);
    return reply.sendFile('index.html');
  });
}
