// One diagnostic type serves the CLI, the API and the UI: a stable code, a severity, a
// message that says how to fix it, and a 1-based line and column in a named file.
import type { ErrorCode } from './codes.ts';

/** `info` is a note for the reader (e.g. where no rule applies): never a problem, never a failure. */
export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  code: ErrorCode;
  severity: Severity;
  message: string;
  file: string;
  /** 1-based line of the offending node; 0 when the problem has no position (e.g. a missing file). */
  line: number;
  /** 1-based column of the offending node. */
  column: number;
  hint?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `file:line:col severity CODE message`, the format of the CLI and of editors' problem matchers. */
export function formatDiagnostic(d: Diagnostic): string {
  const hint = d.hint ? ` (${d.hint})` : '';
  return `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}${hint}`;
}

export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code),
  );
}

/** An error that carries a diagnostic code, for failures outside a file (usage, I/O). */
export class AppraiseError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppraiseError';
  }
}
