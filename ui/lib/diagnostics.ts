// Maps the API's diagnostics (1-based line and column, counted in UTF-16 code units like the
// yaml library and JavaScript strings) to CodeMirror document ranges. Positions outside the
// text (a line past the end, a column past the line's end, line 0 for "no position") are
// clamped into it rather than dropped: an error the admin cannot see is worse than a rough one.
import type { ApiDiagnostic } from '../api/types.ts';

/** The part of CodeMirror's `Text` the mapping needs (so tests can use any document). */
export interface LineDoc {
  readonly lines: number;
  readonly length: number;
  line(n: number): { from: number; to: number; text: string };
}

export interface MappedDiagnostic {
  from: number;
  to: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
  source: string;
}

const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;
const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;

/** The token a diagnostic points at: a quoted scalar, or a run up to a space or flow punctuation. */
function tokenLength(rest: string): number {
  if (rest[0] === '"' || rest[0] === "'") {
    const close = rest.indexOf(rest[0], 1);
    return close > 0 ? close + 1 : rest.length;
  }
  const m = /^[^\s,[\]{}]+/.exec(rest);
  if (!m) return 0;
  // `key:` points at the key, not its colon
  return m[0].endsWith(':') && m[0].length > 1 ? m[0].length - 1 : m[0].length;
}

/** The document range of a 1-based line and column. */
export function diagnosticRange(doc: LineDoc, line: number, column: number): { from: number; to: number } {
  if (doc.length === 0) return { from: 0, to: 0 };
  if (!Number.isFinite(line) || line > doc.lines) {
    // past the end ("unexpected end of the document"): the end of the text
    const last = doc.line(doc.lines);
    return line > doc.lines ? { from: last.to, to: last.to } : { from: last.from, to: last.to };
  }
  if (line < 1) {
    // no position: the first line
    const first = doc.line(1);
    return { from: first.from, to: first.to };
  }
  const l = doc.line(Math.floor(line));
  const col = Number.isFinite(column) ? Math.min(Math.max(Math.floor(column), 1), l.text.length + 1) : 1;
  let offset = col - 1;
  // never start inside a surrogate pair (an emoji is two UTF-16 units)
  if (offset > 0 && offset < l.text.length && isLowSurrogate(l.text.charCodeAt(offset)) && isHighSurrogate(l.text.charCodeAt(offset - 1))) offset--;
  const rest = l.text.slice(offset);
  let length = tokenLength(rest);
  if (length === 0 && rest.length > 0) length = isHighSurrogate(rest.charCodeAt(0)) && rest.length > 1 ? 2 : 1;
  return { from: l.from + offset, to: l.from + offset + length };
}

/** The diagnostics as @codemirror/lint wants them, sorted by position. */
export function toEditorDiagnostics(doc: LineDoc, diagnostics: readonly ApiDiagnostic[]): MappedDiagnostic[] {
  return diagnostics
    .map((d) => ({
      ...diagnosticRange(doc, d.line, d.column),
      // an unknown severity shows as an error: a problem the admin cannot see is worse than a loud one
      severity: d.severity === 'warning' || d.severity === 'info' ? d.severity : ('error' as const),
      message: d.hint ? `${d.message} ${d.hint}` : d.message,
      source: d.code,
    }))
    .sort((a, b) => a.from - b.from || a.to - b.to);
}
