// What a source's `sync` returned, checked before anything of it is stored: plugin code is not
// trusted to keep the contract, and a wrong shape must fail the batch with a coded message that
// says what is wrong, never half-store it. Single records that do not fit are not a wrong
// shape: they are set aside one by one (./check-record.ts).
import type { SourceBatch } from '../plugins/api.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export function checkBatchShape(sourceId: string, value: unknown): SourceBatch {
  const fail = (what: string): never => {
    throw new AppraiseError('APPRAISE_SOURCE_SYNC_FAILED', `The source ${sourceId} returned a batch that ${what}; nothing of it was stored. A batch is { records: [...], employees?: [...], deleted?: [...], nextCursor, done } (see SourceBatch in the plugin API); report this to the plugin's author.`);
  };
  if (!isObject(value)) return fail(`is not an object (${value === null ? 'null' : typeof value})`);
  if (!Array.isArray(value.records)) fail('has no `records` list');
  if (value.employees !== undefined && !Array.isArray(value.employees)) fail('has `employees` that is not a list');
  if (value.deleted !== undefined && !Array.isArray(value.deleted)) fail('has `deleted` that is not a list');
  if (typeof value.done !== 'boolean') fail('has no `done` (true or false)');
  if (value.nextCursor !== null && !isObject(value.nextCursor)) fail('has a `nextCursor` that is neither an object nor null');
  if (value.notes !== undefined && (!Array.isArray(value.notes) || value.notes.some((n) => typeof n !== 'string'))) fail('has `notes` that are not a list of texts');
  (value.employees as unknown[] | undefined)?.forEach((e, i) => {
    if (!isObject(e) || typeof e.id !== 'string' || !e.id || typeof e.name !== 'string') fail(`has employees[${i}] without a text \`id\` and \`name\``);
  });
  (value.deleted as unknown[] | undefined)?.forEach((d, i) => {
    if (!isObject(d) || typeof d.kind !== 'string' || typeof d.id !== 'string') fail(`has deleted[${i}] without a text \`kind\` and \`id\``);
  });
  return value as unknown as SourceBatch;
}
