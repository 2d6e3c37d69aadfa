// Import routes: the body is the file (CSV with a header, TSV, or NDJSON, by content type), with
// the same atomic, row-numbered validation as the CLI: one bad row rejects the whole import
// (422, with every bad row's line, column and reason up to a cap) and nothing is written.
// Messages name the file as the client does (`?filename=`, else `upload.csv`): the temporary
// copy the server reads is never shown.
import type { FastifyInstance } from 'fastify';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Appraise } from '../../app/appraise.ts';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { importEmployees } from '../../import/import-employees.ts';
import { importRecords } from '../../import/import-records.ts';
import { resolveRecordKind } from '../../import/record-kinds.ts';
import { ImportRejected, type ImportSummary } from '../../import/run-import.ts';
import type { FileFormat } from '../../import/read-rows.ts';
import { isValidZone } from '../../import/datetime.ts';
import { ref } from '../app.ts';

const FORMATS: Record<string, FileFormat> = { 'text/csv': 'csv', 'text/tab-separated-values': 'tsv', 'application/x-ndjson': 'ndjson' };
export const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

type Query = { timezone?: string; source?: string; filename?: string; onDuplicate?: 'first' | 'last' | 'error' };

export async function registerImportRoutes(server: FastifyInstance, app: Appraise): Promise<void> {
  for (const type of Object.keys(FORMATS)) {
    server.addContentTypeParser(type, { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) => done(null, body));
  }
  const query = {
    type: 'object',
    additionalProperties: false,
    properties: {
      timezone: { type: 'string', maxLength: 64 },
      source: { type: 'string', maxLength: 200 },
      filename: { type: 'string', maxLength: 200, description: 'How messages and the import log name the file (default `upload.csv`, `upload.ndjson`…).' },
    },
  };
  const employeesQuery = {
    ...query,
    properties: {
      ...query.properties,
      onDuplicate: { enum: ['first', 'last', 'error'], description: 'An id on several rows that differ: keep the first row, the last, or refuse them (default).' },
    },
  };

  const run = async (contentType: string | undefined, body: unknown, actor: string, q: Query, fn: (file: string, name: string, format: FileFormat) => Promise<ImportSummary>) => {
    const format = FORMATS[(contentType ?? '').split(';')[0].trim()];
    if (!format || typeof body !== 'string') {
      throw new AppraiseError('APPRAISE_API_BAD_REQUEST', `Send the file as the body with Content-Type ${Object.keys(FORMATS).join(', ')}.`);
    }
    checkQuery(q);
    const name = uploadName(q.filename, format);
    const dir = await mkdtemp(join(tmpdir(), 'appraise-import-'));
    const file = join(dir, `upload.${format}`);
    try {
      await writeFile(file, body);
      const summary = await fn(file, name, format);
      await app.store.query(`INSERT INTO audit_log (actor, action, target, data) VALUES ($1, 'import', $2, $3::jsonb)`, [actor, `${summary.target}${summary.kind ? `:${summary.kind}` : ''}`, JSON.stringify({ importId: summary.importId, file: name, read: summary.read, inserted: summary.inserted, updated: summary.updated, duplicates: summary.duplicates })]);
      return { ...summary, file: name };
    } catch (e) {
      if (e instanceof ImportRejected) {
        throw new AppraiseError(e.code, hide(e.message.replace(/, or run again with --skip-invalid.*$/, '.'), file, name), {
          file: name, badRows: e.badRows, counts: e.counts, errors: e.errors.slice(0, 100),
        });
      }
      // Whatever else names a file names the upload, never the temporary copy.
      if (e instanceof AppraiseError) throw new AppraiseError(e.code, hide(e.message, file, name), JSON.parse(hide(JSON.stringify(e.details), file, name)) as Record<string, unknown>);
      throw e;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  server.post<{ Querystring: Query }>('/api/imports/employees', {
    config: { access: 'importData', expensive: true },
    bodyLimit: IMPORT_BODY_LIMIT,
    schema: { tags: ['employees'], querystring: employeesQuery, response: { 200: ref('importResponse') } },
  }, async (req) => {
    return run(req.headers['content-type'], req.body, req.principal.name, req.query, (file, name, format) =>
      importEmployees(app.store, { file, name, format, timezone: req.query.timezone, source: req.query.source ?? 'api', actor: req.principal.name, ...(req.query.onDuplicate ? { onDuplicate: req.query.onDuplicate } : {}) }));
  });

  server.post<{ Params: { kind: string }; Querystring: Query }>('/api/imports/records/:kind', {
    config: { access: 'importData', expensive: true },
    bodyLimit: IMPORT_BODY_LIMIT,
    schema: { tags: ['employees'], params: { type: 'object', properties: { kind: { type: 'string', pattern: '^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)?$' } }, required: ['kind'] }, querystring: query, response: { 200: ref('importResponse') } },
  }, async (req) => {
    const kind = resolveRecordKind(app.plugins.recordKinds, req.params.kind);
    return run(req.headers['content-type'], req.body, req.principal.name, req.query, (file, name, format) =>
      importRecords(app.store, kind, { file, name, format, timezone: req.query.timezone, source: req.query.source ?? 'api', actor: req.principal.name }));
  });
}

/** The zone is used to read every date of the file: an unknown one is a 400 before a row is read. */
function checkQuery(q: Query): void {
  if (q.timezone !== undefined && !isValidZone(q.timezone)) {
    throw new AppraiseError('APPRAISE_API_BAD_REQUEST', `querystring.timezone \`${q.timezone}\` is not an IANA time zone; write e.g. Europe/Berlin, America/New_York or UTC.`);
  }
}

/** The client's name for the file: its last path segment, without control characters; `upload.<format>` when it gives none. */
export function uploadName(filename: string | undefined, format: FileFormat): string {
  // eslint-disable-next-line no-control-regex
  const last = (filename ?? '').split(/[/\\]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return last && last !== '.' && last !== '..' ? last : `upload.${format}`;
}

/** `text` with the temporary copy's path, and its folder, replaced by the upload's name. */
function hide(text: string, file: string, name: string): string {
  return text.split(file).join(name).split(dirname(file)).join(name);
}
