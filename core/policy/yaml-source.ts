// A YAML file parsed with its positions kept, so that every later check (schema, references,
// units) can point at the exact line and column of the node it complains about. Unsafe input
// (huge files, alias bombs, prototype keys, deep nesting) is refused here, before anything
// turns the document into plain objects.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, Parser, type Alias, type CST, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';
import { findUnstorable } from '../util/storable-text.ts';

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

// (TAB_AS_INDENT is handled before this table is consulted.)
const YAML_CODES: Record<string, ErrorCode> = {
  DUPLICATE_KEY: 'APPRAISE_YAML_DUPLICATE_KEY',
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
  // The text is kept verbatim as the published version; the store cannot keep these characters.
  const unstorable = findUnstorable(text);
  if (unstorable) {
    return { diagnostics: [at('APPRAISE_INPUT_UNSTORABLE_TEXT', `The text holds ${unstorable.what}, which cannot be stored. Remove it.`, { line: unstorable.line, column: unstorable.column })] };
  }

  const lineCounter = new LineCounter();
  const posOf = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  // The yaml composer recurses once per nesting level: `[[[[…` or `- - - …` a few thousand
  // deep overflows the stack, and after that overflow the next parse in the same process
  // crashes Node (out of memory in the RegExp compiler). The parser before it is iterative, so
  // depth is measured on its syntax tokens and a too deep document never reaches the composer.
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
  const deep = tooDeepOffset(tokens, lim.maxDepth);
  if (deep !== undefined) {
    return { diagnostics: [at('APPRAISE_YAML_TOO_DEEP', `The document nests deeper than ${lim.maxDepth} levels. Flatten it.`, posOf(deep))] };
  }
  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false, strict: true });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length === 0) {
    return { diagnostics: [at('APPRAISE_SCHEMA_MISSING_FIELD', 'The file is empty. Start it with `apiVersion: appraise/v1`.')] };
  }
  for (const d of list) {
    const openers = new Set<Node>();
    for (const err of d.errors) {
      // The parser does not always call a tab a tab (after spaces it may report "All mapping
      // items must start at the same column"): an error on a line indented with a tab is the tab.
      const tab = err.code === 'TAB_AS_INDENT' ? err.pos[0] : indentTabOffset(text, err.pos[0]);
      if (tab !== undefined) {
        diagnostics.push(at('APPRAISE_YAML_TAB', 'Tabs cannot indent YAML. Replace the tab with spaces.', posOf(tab)));
        // After a tab the parser's idea of the nesting is wrong, so its later errors in this
        // document are cascades (e.g. "All mapping items must start at the same column" on the
        // next, correct line); they would only mislead.
        break;
      }
      // An unclosed quote or bracket is noticed only where the next key starts or the text runs
      // out, often lines later; point at the character that was opened instead.
      const opener = unclosedOpener(d, err, openers);
      if (opener) {
        const message = isScalar(opener)
          ? `This quoted text is never closed: add the closing ${opener.type === 'QUOTE_SINGLE' ? "'" : '"'}.`
          : `This ${isMap(opener) ? '`{`' : '`[`'} is never closed: end it with ${isMap(opener) ? '`}`' : '`]`'} on the same line, or indent its next lines further than its key.`;
        diagnostics.push(at('APPRAISE_YAML_SYNTAX', message, posOf(opener.range![0])));
        continue;
      }
      const code = YAML_CODES[err.code] ?? 'APPRAISE_YAML_SYNTAX';
      const message =
        code === 'APPRAISE_YAML_DUPLICATE_KEY'
          ? 'This key appears twice in the same mapping. Remove or rename one of them.'
          : `${firstLine(err.message)}. Fix the YAML syntax here.`;
      diagnostics.push(at(code, message, posOf(err.pos[0])));
    }
  }
  if (list.length > 1) {
    const second = list[1];
    // The second document starts at its `---`, which is what the message asks to remove.
    const offset = second.range?.[0] ?? second.contents?.range?.[0] ?? 0;
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
      const unresolved = /^Unresolved alias .*: (.+)$/.exec(firstLine(message));
      if (unresolved) {
        // Not an alias bomb: `*name` with no `&name` before it (a typo or a wrong order).
        const alias = findAlias(doc, (a) => a.source === unresolved[1]);
        diagnostics.push(
          at('APPRAISE_YAML_SYNTAX', `The alias \`*${unresolved[1]}\` refers to no anchor \`&${unresolved[1]}\` above it. Define the anchor first or write the value out.`, alias ? posOf(alias.range?.[0] ?? 0) : undefined),
        );
      } else if (/alias/i.test(message)) {
        diagnostics.push(
          at('APPRAISE_YAML_ALIAS_LIMIT', `Aliases expand too much here (limit ${lim.maxAliasCount}). Write the values out instead of aliasing them.`, aliasLimitPos(doc, lim.maxAliasCount, posOf)),
        );
      } else {
        diagnostics.push(at('APPRAISE_YAML_SYNTAX', `${firstLine(message)}.`));
      }
    }
  }
  return { source, diagnostics };
}

const STOP = Symbol('stop');

function findAlias(doc: Document.Parsed, test: (a: Alias) => boolean): Alias | undefined {
  let found: Alias | undefined;
  const visit = (node: unknown): void => {
    if (found || !node) return;
    if (isAlias(node)) {
      if (test(node)) found = node;
    } else if (isMap(node)) for (const p of node.items) visit(p.value);
    else if (isSeq(node)) for (const i of node.items) visit(i);
  };
  visit(doc.contents);
  return found;
}

/**
 * Where an alias bomb goes over the limit: the first alias (in reading order) at which the
 * number of alias expansions of the fully expanded document exceeds `limit`. The very first
 * alias of the file is usually harmless (`&a0 lol` in a billion-laughs chain, or a legitimate
 * alias above the bomb). Anchors are resolved in one pass, as the YAML spec defines them (the
 * latest `&name` before the alias), so this stays linear however many aliases there are.
 */
function aliasLimitPos(doc: Document.Parsed, limit: number, posOf: (o: number) => Position): Position {
  const anchors = new Map<string, Node>();
  const weight = new Map<Node, number>(); // expansions inside an anchored node
  let total = 0;
  let found: Position | undefined;
  let first: Position | undefined;
  const visit = (node: unknown): number => {
    if (!node) return 0;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      const w = 1 + (target ? (weight.get(target) ?? 0) : 0);
      total += w;
      first ??= posOf(node.range?.[0] ?? 0);
      if (total > limit) found ??= posOf(node.range?.[0] ?? 0);
      return w;
    }
    const n = node as Node;
    if (n.anchor) anchors.set(n.anchor, n);
    let inside = 0;
    if (isMap(n)) for (const p of n.items) inside += visit(p.key) + visit(p.value);
    else if (isSeq(n)) for (const i of n.items) inside += visit(i);
    if (n.anchor) weight.set(n, inside);
    return inside;
  };
  visit(doc.contents);
  return found ?? first ?? { line: 1, column: 1 };
}

/**
 * The offset of the first collection (in reading order) nested deeper than `max`, counted as
 * the depth walk below counts (the document's top node is at depth 0), with an explicit stack.
 */
function tooDeepOffset(tokens: CST.Token[], max: number): number | undefined {
  type Item = { key?: unknown; value?: unknown };
  const stack: Array<[unknown, number]> = tokens.map((t) => [t, 0] as [unknown, number]).reverse();
  while (stack.length > 0) {
    const [t, depth] = stack.pop()!;
    const token = t as { type?: string; offset: number; value?: unknown; items?: Item[] } | null | undefined;
    if (!token || typeof token !== 'object') continue;
    if (token.type === 'document') stack.push([token.value, 0]);
    else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth > max) return token.offset;
      const items = token.items ?? [];
      for (let i = items.length - 1; i >= 0; i--) stack.push([items[i].value, depth + 1], [items[i].key, depth + 1]);
    }
  }
  return undefined;
}

/** The offset of a tab in the indentation of the line holding `offset`, if there is one. */
function indentTabOffset(text: string, offset: number): number | undefined {
  const lineStart = offset > 0 ? text.lastIndexOf('\n', offset - 1) + 1 : 0;
  const indent = /^[ \t]*/.exec(text.slice(lineStart, lineStart + 200))![0];
  const i = indent.indexOf('\t');
  return i >= 0 ? lineStart + i : undefined;
}

/**
 * The flow collection (`[`, `{`) or quoted scalar left open that a parse error is about: the
 * parser reports it where the collection or quote was cut off, which is where the node ends.
 */
function unclosedOpener(doc: Document.Parsed, err: { code: string; message: string; pos: [number, number] }, used: Set<Node>): Node | undefined {
  const flow = /^Flow (sequence|map)/.test(err.message);
  const quote = /^Missing closing .?quote/.test(err.message);
  if (!flow && !quote) return undefined;
  let best: Node | undefined;
  const visit = (node: unknown): void => {
    if (!node || isAlias(node)) return;
    const n = node as Node;
    const matches = flow
      ? (isMap(n) || isSeq(n)) && n.flow === true
      : isScalar(n) && (n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE');
    // Innermost first: nested unclosed lists end at the same place and get one error each.
    if (matches && n.range?.[1] === err.pos[0] && !used.has(n) && (!best || n.range[0] > best.range![0])) best = n;
    if (isMap(n)) for (const p of n.items) { visit(p.key); visit(p.value); }
    else if (isSeq(n)) for (const i of n.items) visit(i);
  };
  visit(doc.contents);
  if (best) used.add(best);
  return best;
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
