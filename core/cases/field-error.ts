// An error about input fields, worded for whoever gave the input. Core raises it with the
// fields' ids (`scheduledFor`, `note`); the API's message names its body fields
// (`data.scheduledFor`), and the CLI renders the same error with its flags (--scheduled-for),
// so no message names a flag an API caller never saw, or a body field a CLI user never typed.
import type { ErrorCode } from '../diagnostics/codes.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';

/** How one surface names a field: the API its body path, the CLI its flag. */
export type FieldNames = (field: string) => string;

/** The API's words: a field is named by its path in the request body or query, in backticks. */
export const bodyFieldNames = (paths: Record<string, string> = {}): FieldNames => (field) => `\`${paths[field] ?? field}\``;

export class FieldError extends AppraiseError {
  constructor(
    code: ErrorCode,
    readonly fields: readonly string[],
    private readonly words: (name: FieldNames) => string,
    details: Record<string, unknown> = {},
    apiNames: FieldNames = bodyFieldNames(),
  ) {
    // `message` is the API's wording, because that is what the server sends as it is.
    super(code, words(apiNames), { ...(fields.length === 1 ? { field: fields[0] } : { fields }), ...details });
  }

  /** The message in another surface's words. */
  messageIn(names: FieldNames): string {
    return this.words(names);
  }
}
