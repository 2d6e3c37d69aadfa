// Checks of a mapping against what it is applied to: the file's header (every column it names
// must exist) and the record kind (every payload field must be one of the kind's). Reported at
// the mapping's line and column, with the near-miss column or field when there is one.
import { AppraiseError, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { RecordKindInfo } from '../plugins/manifest.ts';
import { locate, type PathSegment } from '../policy/yaml-source.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { payloadFields } from './default-shapes.ts';
import { referencedColumns, type Mapping } from './mapping.ts';
import type { FieldType } from './coerce.ts';
import { checkExpression } from './expressions.ts';

/** A mapping that does not fit the file or the kind: the diagnostics say where. */
export class MappingMismatch extends AppraiseError {
  constructor(readonly diagnostics: Diagnostic[]) {
    super('APPRAISE_IMPORT_BAD_MAPPING', diagnostics.map((d) => d.message).join('\n'));
  }
}

function at(mapping: Mapping, path: PathSegment[], message: string, which: 'key' | 'value' = 'value'): Diagnostic {
  const pos = mapping.yaml ? locate(mapping.yaml, path, which) : { line: 0, column: 0 };
  return { code: 'APPRAISE_IMPORT_BAD_MAPPING', severity: 'error', message, file: mapping.file ?? '(mapping)', ...pos };
}

export function checkColumns(mapping: Mapping, header: string[] | undefined, file: string): void {
  if (!header) return; // NDJSON: each line names its own keys; a missing key is an empty cell.
  const have = new Set(header);
  const out: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const { column, at: path } of referencedColumns(mapping)) {
    if (have.has(column) || reported.has(`${column}\0${path.join('.')}`)) continue;
    reported.add(`${column}\0${path.join('.')}`);
    out.push(at(mapping, path, `The column \`${column}\` is not in ${file}.${didYouMean(column, header)} Its columns are: ${header.join(', ')}.`));
  }
  if (out.length) throw new MappingMismatch(out);
}

export function checkPayload(mapping: Mapping, kind: RecordKindInfo): void {
  const { types, closed } = payloadFields(kind);
  const out: Diagnostic[] = [];
  if (closed) {
    for (const name of mapping.payload.keys()) {
      if (!Object.hasOwn(types, name)) {
        out.push(at(mapping, ['spec', 'payload', name], `\`${name}\` is not a payload field of ${kind.id}.${didYouMean(name, Object.keys(types))} Its fields are: ${Object.keys(types).join(', ')}.`, 'key'));
      }
    }
  }
  if (out.length) throw new MappingMismatch(out);
}

/** Every expression against the types of the fields it reads (known once the target is). */
export function checkExpressions(mapping: Mapping, types: ReadonlyMap<string, FieldType>): void {
  const out: Diagnostic[] = [];
  for (const section of ['fields', 'payload', 'attributes'] as const) {
    for (const [name, v] of mapping[section]) {
      if (!('expr' in v.source)) continue;
      const error = checkExpression(v.source.expr.text, types);
      if (error) out.push(at(mapping, [...v.at, 'expr'], `The expression of \`${name}\` does not fit the types of the fields it reads (${v.source.expr.names.map((n) => `${n}: ${types.get(n) ?? '?'}`).join(', ')}): ${error}`));
    }
  }
  if (out.length) throw new MappingMismatch(out);
}
