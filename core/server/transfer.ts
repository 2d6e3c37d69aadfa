// How responses travel: compressed when the client accepts it, and cached only where that is
// safe. The UI's hashed files keep for a year (a new build has new names); index.html is
// revalidated on every load, so a new build is picked up at once; everything else (the API's
// per-user JSON, errors) is never stored by a browser or a proxy.
import type { FastifyInstance, FastifyReply } from 'fastify';
import compress from '@fastify/compress';
import { HASHED_ASSET } from './build-ui.ts';

export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
export const CACHE_REVALIDATE = 'no-cache';
export const CACHE_NEVER = 'no-store';

/**
 * Compresses responses of 1 KB and more (API JSON, and UI files that have no precompressed copy,
 * such as source maps) with brotli or gzip, whichever the client prefers. Registered before any
 * route: @fastify/compress attaches itself to each route as it is declared. Files the UI build
 * compressed already are sent as they are (their Content-Encoding is set), never twice.
 */
export async function registerCompression(server: FastifyInstance): Promise<void> {
  await server.register(compress, {
    threshold: 1024,
    // The two every browser speaks and the UI build precompresses; no zstd, whose availability
    // depends on the Node version, and no deflate, whose framing clients have disagreed on.
    encodings: ['br', 'gzip'],
    // Request bodies are read as sent, as before: no client of this API compresses them, and a
    // decompressor would be one more parser facing hostile input.
    globalDecompression: false,
  });
}

/** Cache-Control of a file from ui/dist (`setHeaders` of @fastify/static; the path may end in .br or .gz). */
export function setUiCacheHeaders(reply: FastifyReply, path: string): void {
  const name = path.split(/[\\/]/).pop()!.replace(/\.(br|gz)$/, '');
  reply.header('cache-control', HASHED_ASSET.test(name) ? CACHE_IMMUTABLE : CACHE_REVALIDATE);
}

/** Every response that has not chosen its Cache-Control (API JSON, errors) is not to be stored. */
export function defaultCacheControl(reply: FastifyReply): void {
  if (!reply.hasHeader('cache-control')) reply.header('cache-control', CACHE_NEVER);
}
