// Source routes: the configured sources with their last sync (admin and HR read; credentials as
// references and whether each is set, never a value), a source's syncs with what they set aside,
// and "Sync now" (admin): answered 202 with the sync's id once it holds the source's lock (poll
// GET /api/sources/:name/syncs), or 409 when a sync of the source is already running.
import type { FastifyInstance } from 'fastify';
import type { Appraise } from '../../app/appraise.ts';
import { redactValue } from '../../config/secrets.ts';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { configuredSource } from '../../sources/run-sync.ts';
import { sourceStatuses } from '../../sources/status.ts';
import { syncHistory } from '../../sources/sync-log.ts';
import { ref } from '../app.ts';

const nameParam = { type: 'object', properties: { name: { type: 'string', pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$', maxLength: 63 } }, required: ['name'] };

export async function registerSourceRoutes(server: FastifyInstance, app: Appraise): Promise<void> {
  const known = (name: string) => {
    if (!app.config.sources?.[name]) configuredSource(app.config, app.plugins, name);
  };

  server.get('/api/sources', { config: { access: 'readSources' }, schema: { tags: ['sources'], response: { 200: ref('sourceList') } } }, async () => {
    return redactValue({ sources: await sourceStatuses(app.store, app.config, app.plugins) });
  });

  server.get<{ Params: { name: string } }>('/api/sources/:name/syncs', { config: { access: 'readSources' }, schema: { tags: ['sources'], params: nameParam, response: { 200: ref('sourceSyncList') } } }, async (req) => {
    known(req.params.name);
    const syncs = await syncHistory(app.store, req.params.name, 20);
    const setAside = (await app.store.query<{ sync_id: number; kind: string; vendor_id: string; field: string; problem: string; rejected_at: string | Date }>(
      `SELECT sync_id, kind, vendor_id, field, problem, rejected_at FROM source_rejects WHERE source_name = $1 ORDER BY id DESC LIMIT 50`, [req.params.name],
    )).rows.map((r) => ({ syncId: Number(r.sync_id), kind: r.kind, id: r.vendor_id, field: r.field, problem: r.problem, at: new Date(r.rejected_at).toISOString() }));
    const waiting = Number((await app.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM source_parked WHERE source_name = $1 AND stored_at IS NULL`, [req.params.name])).rows[0].n);
    return redactValue({ name: req.params.name, syncs, setAside, waitingForPerson: waiting });
  });

  server.post<{ Params: { name: string }; Body: { full?: boolean } | undefined }>('/api/sources/:name/sync', {
    config: { access: 'syncSources', expensive: true },
    schema: { tags: ['sources'], params: nameParam, body: ref('sourceSyncRequest'), response: { 202: ref('sourceSyncStarted') } },
  }, async (req, reply) => {
    const name = req.params.name;
    configuredSource(app.config, app.plugins, name);
    const full = req.body?.full === true;
    const syncId = await new Promise<number>((resolve, reject) => {
      app.syncSource(name, { trigger: 'api', full, onStarted: resolve }).then(
        () => {},
        (e: unknown) => reject(e instanceof AppraiseError ? e : new AppraiseError('APPRAISE_SOURCE_SYNC_FAILED', `The sync of ${name} could not start. Look at the server's log.`)),
      );
    });
    await app.store.query(`INSERT INTO audit_log (actor, action, target, data) VALUES ($1, 'source.sync', $2, $3::jsonb)`, [req.principal.name, `sources/${name}`, JSON.stringify({ syncId, full })]);
    return reply.code(202).send({ syncId, status: 'running' });
  });
}
