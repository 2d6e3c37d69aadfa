// Import routes: the body is the file (CSV with a header, TSV, or NDJSON, by content type), with
// the same atomic, row-numbered validation as the CLI: one bad row rejects the whole import
// (422, with every bad row's line, column and reason up to a cap) and nothing is written.
import type { FastifyInstance } from 'fastify';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Appraise } from '../../app/appraise.ts';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { importEmployees } from '../../import/import-employees.ts';
import { importRecords } from '../../import/import-records.ts';
import { resolveRecordKind } from '../../import/record-kinds.ts';
import { ImportRejected, type ImportSummary } from '../../import/run-import.ts';
import type { FileFormat } from '../../import/read-rows.ts';
import { ref } from '../app.ts';

const FORMATS: Record<string, FileFormat> = { 'text/csv': 'csv', 'text/tab-separated-values': 'tsv', 'application/x-ndjson': 'ndjson' };
export const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

export async function registerImportRoutes(server: FastifyInstance, app: Appraise): Promise<void> {
  for (const type of Object.keys(FORMATS)) {
    server.addContentTypeParser(type, { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) => done(null, body));
  }
  const query = { type: 'object', additionalProperties: false, properties: { timezone: { type: 'string', maxLength: 64 }, source: { type: 'string', maxLength: 200 } } };

  const run = async (contentType: string | undefined, body: unknown, actor: string, fn: (file: string, format: FileFormat) => Promise<ImportSummary>) => {
    const format = FORMATS[(contentType ?? '').split(';')[0].trim()];
    if (!format || typeof body !== 'string') {
      throw new AppraiseError('APPRAISE_API_BAD_REQUEST', `Send the file as the body with Content-Type ${Object.keys(FORMATS).join(', ')}.`);
    }
    const dir = await mkdtemp(join(tmpdir(), 'appraise-import-'));
    const file = join(dir, `upload.${format}`);
    try {
      await writeFile(file, body);
      const summary = await fn(file, format);
      await app.store.query(`INSERT INTO audit_log (actor, action, target, data) VALUES ($1, 'import', $2, $3::jsonb)`, [actor, `${summary.target}${summary.kind ? `:${summary.kind}` : ''}`, JSON.stringify({ importId: summary.importId, read: summary.read, inserted: summary.inserted, updated: summary.updated, duplicates: summary.duplicates })]);
      return { ...summary, file: 'upload' };
    } catch (e) {
      if (e instanceof ImportRejected) {
        throw new AppraiseError(e.code, e.message.replace(/ of \S+upload\.\w+/, ' of the upload').replace(/, or run again with --skip-invalid.*$/, '.'), {
          badRows: e.badRows, counts: e.counts, errors: e.errors.slice(0, 100),
        });
      }
      throw e;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  server.post<{ Querystring: { timezone?: string; source?: string } }>('/api/imports/employees', {
    config: { access: 'importData', expensive: true },
    bodyLimit: IMPORT_BODY_LIMIT,
    schema: { tags: ['employees'], querystring: query, response: { 200: ref('importResponse') } },
  }, async (req) => {
    return run(req.headers['content-type'], req.body, req.principal.name, (file, format) =>
      importEmployees(app.store, { file, format, timezone: req.query.timezone, source: req.query.source ?? 'api', actor: req.principal.name }));
  });

  server.post<{ Params: { kind: string }; Querystring: { timezone?: string; source?: string } }>('/api/imports/records/:kind', {
    config: { access: 'importData', expensive: true },
    bodyLimit: IMPORT_BODY_LIMIT,
    schema: { tags: ['employees'], params: { type: 'object', properties: { kind: { type: 'string', pattern: '^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)?$' } }, required: ['kind'] }, querystring: query, response: { 200: ref('importResponse') } },
  }, async (req) => {
    const kind = resolveRecordKind(app.plugins.recordKinds, req.params.kind);
    return run(req.headers['content-type'], req.body, req.principal.name, (file, format) =>
      importRecords(app.store, kind, { file, format, timezone: req.query.timezone, source: req.query.source ?? 'api', actor: req.principal.name }));
  });
}
