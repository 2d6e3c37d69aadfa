// A YAML file parsed with its positions kept, so that every later check (schema, references,
// units) can point at the exact line and column of the node it complains about. Unsafe input
// (huge files, alias bombs, prototype keys, deep nesting) is refused here, before anything
// turns the document into plain objects.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';

export const LIMITS = {
  /** Largest policy or config file accepted, in bytes. */
  maxBytes: 256 * 1024,
  /** Aliases expanded per document; a few are normal, thousands are an attack. */
  maxAliasCount: 50,
  /** Deepest nesting of maps and lists in a document. */
  maxDepth: 40,
};

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type PathSegment = string | number;

export interface Position {
  line: number;
  column: number;
}

export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The document as plain data (only set when parsing produced no errors). */
  value: unknown;
}

const YAML_CODES: Record<string, ErrorCode> = {
  DUPLICATE_KEY: 'APPRAISE_YAML_DUPLICATE_KEY',
  TAB_AS_INDENT: 'APPRAISE_YAML_TAB',
};

export function parseYamlSource(
  file: string,
  text: string,
  limits: Partial<typeof LIMITS> = {},
): { source?: YamlSource; diagnostics: Diagnostic[] } {
  const lim = { ...LIMITS, ...limits };
  const diagnostics: Diagnostic[] = [];
  const at = (code: ErrorCode, message: string, pos: Position = { line: 1, column: 1 }): Diagnostic => ({
    code,
    severity: 'error',
    message,
    file,
    ...pos,
  });

  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > lim.maxBytes) {
    diagnostics.push(
      at('APPRAISE_FILE_TOO_LARGE', `The file is ${bytes} bytes; the limit is ${lim.maxBytes}. Split it into several files.`),
    );
    return { diagnostics };
  }

  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length === 0) {
    return { diagnostics: [at('APPRAISE_SCHEMA_MISSING_FIELD', 'The file is empty. Start it with `apiVersion: appraise/v1`.')] };
  }
  const posOf = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  for (const d of list) {
    for (const err of d.errors) {
      const code = YAML_CODES[err.code] ?? 'APPRAISE_YAML_SYNTAX';
      const message =
        code === 'APPRAISE_YAML_TAB'
          ? 'Tabs cannot indent YAML. Replace the tab with spaces.'
          : code === 'APPRAISE_YAML_DUPLICATE_KEY'
            ? 'This key appears twice in the same mapping. Remove or rename one of them.'
            : `${firstLine(err.message)}. Fix the YAML syntax here.`;
      diagnostics.push(at(code, message, posOf(err.pos[0])));
    }
  }
  if (list.length > 1) {
    const second = list[1];
    const offset = second.contents?.range?.[0] ?? second.range?.[0] ?? 0;
    diagnostics.push(
      at('APPRAISE_YAML_MULTIPLE_DOCUMENTS', 'A file holds one document; remove the `---` and put the second one in its own file.', posOf(offset)),
    );
  }
  const doc = list[0];
  // Depth and unsafe keys are checked on the syntax tree, before any object is built.
  try {
    walk(doc.contents as Node | null, 0);
  } catch (e) {
    if (e !== STOP) throw e;
  }
  function walk(node: Node | null | undefined, depth: number): void {
    if (!node) return;
    if (depth > lim.maxDepth) {
      diagnostics.push(at('APPRAISE_YAML_TOO_DEEP', `The document nests deeper than ${lim.maxDepth} levels. Flatten it.`, posOf(node.range?.[0] ?? 0)));
      throw STOP;
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        if (isScalar(key) && UNSAFE_KEYS.has(String(key.value))) {
          diagnostics.push(
            at('APPRAISE_YAML_UNSAFE_KEY', `The key \`${String(key.value)}\` is not allowed: it could alter built-in objects. Rename it.`, posOf(key.range?.[0] ?? 0)),
          );
        }
        walk(pair.value as Node | null, depth + 1);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item as Node | null, depth + 1);
    }
  }
  const source: YamlSource = { file, text, doc, lineCounter, value: undefined };
  if (diagnostics.length === 0) {
    try {
      source.value = doc.toJS({ maxAliasCount: lim.maxAliasCount });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (/alias/i.test(message)) {
        diagnostics.push(
          at('APPRAISE_YAML_ALIAS_LIMIT', `Aliases expand too much (limit ${lim.maxAliasCount}). Write the values out instead of aliasing them.`, firstAliasPos(doc, posOf)),
        );
      } else {
        diagnostics.push(at('APPRAISE_YAML_SYNTAX', `${firstLine(message)}.`));
      }
    }
  }
  return { source, diagnostics };
}

const STOP = Symbol('stop');

function firstAliasPos(doc: Document.Parsed, posOf: (o: number) => Position): Position {
  let found: Position | undefined;
  const visit = (node: unknown): void => {
    if (found || !node) return;
    if (isAlias(node)) found = posOf(node.range?.[0] ?? 0);
    else if (isMap(node)) for (const p of node.items) visit(p.value);
    else if (isSeq(node)) for (const i of node.items) visit(i);
  };
  visit(doc.contents);
  return found ?? { line: 1, column: 1 };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/\.$/, '');
}

/**
 * The position of the node at `path` (keys and list indexes), or of its nearest existing
 * ancestor. `which: 'key'` points at the key of the last segment instead of its value, which is
 * where an editor should underline an unknown or duplicate key.
 */
export function locate(source: YamlSource, path: readonly PathSegment[], which: 'key' | 'value' = 'value'): Position {
  let node: unknown = source.doc.contents;
  let best: [number, number] | undefined = rangeOf(node);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      if (last && which === 'key') {
        best = rangeOf(pair.key) ?? best;
        break;
      }
      node = pair.value;
      best = rangeOf(node) ?? rangeOf(pair.key) ?? best;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (!node) break;
      best = rangeOf(node) ?? best;
    } else {
      break;
    }
  }
  const offset = best ? best[0] : 0;
  const p = source.lineCounter.linePos(offset);
  return { line: p.line, column: p.col };
}

function rangeOf(node: unknown): [number, number] | undefined {
  const r = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return r ? [r[0], r[1]] : undefined;
}
