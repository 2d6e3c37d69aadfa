// How a dispute's input fields are named: core raises FieldErrors with the API's body paths as
// field ids (`reason`, `note`, `amendment.goals`); the CLI names them by its flags
// (core/cli/case-commands.ts FLAGS).
import type { ErrorCode } from '../../diagnostics/codes.ts';
import { FieldError, type FieldNames } from '../../cases/field-error.ts';

export const disputeFieldError = (code: ErrorCode, field: string, words: (n: FieldNames) => string, details: Record<string, unknown> = {}) =>
  new FieldError(code, [field], words, details);

/** A case's own field error (`goals`, `dueAt` of a PIP's plan) named as the amendment's field. */
export function asAmendmentError(e: unknown): unknown {
  if (!(e instanceof FieldError) || e.fields.length !== 1) return e;
  const field = `amendment.${e.fields[0]}`;
  const { field: _, ...details } = e.details;
  return new FieldError(e.code, [field], (n) => e.messageIn((f) => n(`amendment.${f}`)), details);
}
