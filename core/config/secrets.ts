// Credentials by reference: the config never holds a token, a password or a chat webhook URL
// itself, only where to find it, an environment variable (`{ env: ZENDESK_API_TOKEN }`) or a key
// of the secrets file the config names (`{ secret: zendesk-token }` with `secrets.file`). Every
// value resolved here is remembered, so that `redactSecrets` can take it out of any text that
// leaves the process: log lines, API answers, audit rows, error messages.
import { readFileSync, statSync } from 'node:fs';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { parseYamlSource } from '../policy/yaml-source.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import type { AppConfig } from './config.ts';
import { resolveFromConfig } from './config.ts';

/** Where a credential is: an environment variable, or a key of the config's secrets file. */
export type SecretRef = { env: string } | { secret: string };

export function isSecretRef(x: unknown): x is SecretRef {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const keys = Object.keys(x);
  return keys.length === 1 && ((keys[0] === 'env' && typeof (x as { env: unknown }).env === 'string') || (keys[0] === 'secret' && typeof (x as { secret: unknown }).secret === 'string'));
}

/** How a reference reads in a message: never the value, only where it comes from. */
export function describeSecretRef(ref: SecretRef): string {
  return 'env' in ref ? `the environment variable ${ref.env}` : `the key \`${ref.secret}\` of the secrets file`;
}

// Shorter values would blank out ordinary words; no real credential is this short.
const MIN_REDACTED_LENGTH = 6;
const known = new Set<string>();
/** `known`, longest first (so a secret containing another is replaced whole); rebuilt when one is added. */
let longestFirst: string[] = [];

/** Remembers a value as secret (done by `resolveSecret`; call it for secrets found elsewhere). */
export function rememberSecret(value: string): void {
  const before = known.size;
  if (value.length >= MIN_REDACTED_LENGTH) known.add(value);
  // A URL-encoded form appears in URLs and form bodies.
  const encoded = encodeURIComponent(value);
  if (encoded !== value && encoded.length >= MIN_REDACTED_LENGTH) known.add(encoded);
  if (known.size !== before) longestFirst = [...known].sort((a, b) => b.length - a.length);
  // Basic auth carries `user:secret` base64-encoded; that form is remembered by the caller that builds it.
}

/** Whether any secret was resolved in this thread (else redaction has nothing to do). */
export function hasSecrets(): boolean {
  return known.size > 0;
}

/** The text with every remembered secret replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  if (known.size === 0 || !text) return text;
  let out = text;
  for (const s of longestFirst) if (out.includes(s)) out = out.split(s).join('[redacted]');
  return out;
}

/** A JSON value with every remembered secret taken out of its strings. */
export function redactValue<T>(value: T): T {
  if (known.size === 0) return value;
  const text = JSON.stringify(value);
  const redacted = redactSecrets(text);
  return redacted === text ? value : (JSON.parse(redacted) as T);
}

const fileCache = new Map<string, { mtimeMs: number; values: Record<string, string> }>();

function secretsFile(config: AppConfig): Record<string, string> {
  const name = config.secrets?.file;
  if (!name) {
    throw new AppraiseError('APPRAISE_SECRET_MISSING', 'A credential refers to the secrets file (`{ secret: … }`), but the config names none. Add `secrets.file: <path>` to appraise.config.yaml, or refer to an environment variable with `{ env: NAME }`.');
  }
  const file = resolveFromConfig(config, name);
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    throw new AppraiseError('APPRAISE_SECRET_MISSING', `The secrets file ${name} (secrets.file in the config) does not exist or cannot be read. Create it (a YAML map of name: value), or correct the path.`, { file: name });
  }
  const cached = fileCache.get(file);
  if (cached && cached.mtimeMs === mtimeMs) return cached.values;
  const { source, diagnostics } = parseYamlSource(name, readFileSync(file, 'utf8'));
  const value = source?.value;
  if (!source || hasErrors(diagnostics) || typeof value !== 'object' || value === null || Array.isArray(value)) {
    const d = diagnostics.find((x) => x.severity === 'error');
    throw new AppraiseError('APPRAISE_SECRET_FILE_INVALID', `The secrets file ${name}${d ? ` (line ${d.line}, column ${d.column})` : ''} is not a YAML map of name: value. Write one secret per line, \`zendesk-token: …\`.`, { file: name, ...(d ? { line: d.line, column: d.column } : {}) });
  }
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number') values[k] = String(v);
  }
  fileCache.set(file, { mtimeMs, values });
  return values;
}

/**
 * The value a reference points at, remembered for redaction. `where` names the setting that holds
 * the reference (`sources.zendesk.credentials.token`), for the message when it is missing.
 */
export function resolveSecret(config: AppConfig, ref: SecretRef, where: string, env: NodeJS.ProcessEnv = process.env): string {
  let value: string | undefined;
  if ('env' in ref) value = env[ref.env];
  else value = secretsFile(config)[ref.secret];
  if (value === undefined || value === '') {
    const fix = 'env' in ref
      ? `Set ${ref.env} in the environment of every Appraise process (server and worker)`
      : `Add \`${ref.secret}: …\` to the secrets file ${config.secrets?.file}`;
    throw new AppraiseError('APPRAISE_SECRET_MISSING', `${where} refers to ${describeSecretRef(ref)}, which is not set. ${fix}, or change the reference.`, { setting: where });
  }
  rememberSecret(value);
  return value;
}

/** Resolves every reference of a map of credentials (`{ token: { env: … } }`). */
export function resolveSecrets(config: AppConfig, refs: Record<string, SecretRef>, where: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, ref] of Object.entries(refs)) out[name] = resolveSecret(config, ref, `${where}.${name}`, env);
  return out;
}
