// JSON Schema validation (ajv, draft 2020-12) of a located YAML document, turned into
// diagnostics that point at the offending key or value with a code a user can look up.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';
import { closest, didYouMean } from '../util/did-you-mean.ts';
import { locate, type PathSegment, type YamlSource } from './yaml-source.ts';
import { DURATION_PATTERN } from './duration.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

export const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

let ajvInstance: Ajv2020 | undefined;
/** One ajv for the process, with every schema of `schemas/` added so `$ref`s between them resolve. */
export function ajv(): Ajv2020 {
  if (!ajvInstance) {
    // verbose: errors carry their parentSchema, which the messages below need (the keys allowed
    // for "did you mean", whether a pattern is the duration pattern, a field's description).
    ajvInstance = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true, verbose: true });
    addFormats(ajvInstance);
    for (const f of readdirSync(SCHEMA_DIR).filter((n) => n.endsWith('.schema.json')).sort()) {
      ajvInstance.addSchema(JSON.parse(readFileSync(SCHEMA_DIR + f, 'utf8')));
    }
  }
  return ajvInstance;
}

const compiled = new Map<string, ValidateFunction>();
/** The compiled validator of a schema file in `schemas/`. */
export function schemaValidator(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    const schema = JSON.parse(readFileSync(SCHEMA_DIR + name, 'utf8'));
    v = ajv().getSchema(schema.$id);
    if (!v) throw new Error(`schema ${name} has no $id or failed to compile`);
    compiled.set(name, v);
  }
  return v;
}

// Keys that start a boolean condition; a typo of one of them inside a condition should be
// reported as such, not as "missing fact/operator/value".
const CONDITION_KEYS = ['all', 'any', 'not', 'condition'];

export function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describePath(path: PathSegment[]): string {
  if (path.length === 0) return 'the document';
  return '`' + path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[') + '`';
}

/** Names the registry knows, for "did you mean" on ids that fail the schema's id pattern. */
export interface KnownNames {
  metrics?: readonly string[];
  workflows?: readonly string[];
}

export function validateAgainstSchema(source: YamlSource, schemaName: string, known: KnownNames = {}): Diagnostic[] {
  const validate = schemaValidator(schemaName);
  if (validate(source.value)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  // Objects where an unknown key is a near miss of all/any/not: their "missing fact" errors
  // are noise caused by the typo.
  const typoedConditions = new Set<string>();
  // Likewise `opertor: lessThan` is one mistake, not also a missing `operator`: the required
  // error for a field that an unknown key beside it is a near miss of is dropped.
  const typoedFields = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'additionalProperties') {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      if (closest(key, CONDITION_KEYS).length && /factCondition/.test(e.schemaPath)) typoedConditions.add(e.instancePath);
      const [best] = closest(key, Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}));
      if (best) typoedFields.add(`${e.instancePath}\0${best}`);
    }
  }
  // A credential reference (`$defs.secretRef`) that is not one: one message per reference, which
  // never repeats what was written, since it may be the credential itself (`webhook: https://…`).
  const credentialPlaces = new Set<string>();
  const refRoot = (e: ErrorObject): string => (/\/\$defs\/secretRef\/oneOf\/\d+\/properties\//.test(e.schemaPath) ? e.instancePath.replace(/\/[^/]*$/, '') : e.instancePath);
  for (const e of errors) {
    if (!e.schemaPath.includes('/$defs/secretRef')) continue;
    const root = refRoot(e);
    if (credentialPlaces.has(root)) continue;
    credentialPlaces.add(root);
    const path = pointerToPath(root);
    const value = valueAt(source.value, path);
    const written = typeof value !== 'object' || value === null;
    out.push({
      code: written ? 'APPRAISE_SCHEMA_WRONG_TYPE' : 'APPRAISE_SCHEMA_INVALID_VALUE',
      severity: 'error',
      message: written
        ? `${describePath(path)} must say where the credential is, \`{ env: NAME }\` (an environment variable) or \`{ secret: name }\` (a key of \`secrets.file\`), never the credential itself: move the value written here into an environment variable or the secrets file, and refer to it.`
        : `${describePath(path)} must be exactly one of \`{ env: NAME }\` (an environment variable: letters, digits and _, not starting with a digit) or \`{ secret: name }\` (a key of \`secrets.file\`).`,
      file: source.file,
      ...locate(source, path, 'value'),
    });
  }
  for (const e of errors) {
    if (e.schemaPath.includes('/$defs/secretRef')) continue;
    if (e.keyword === 'propertyNames') continue; // its cause, the key, is reported on its own
    if (e.keyword === 'required' && typoedConditions.has(e.instancePath)) continue;
    if (e.keyword === 'required' && typoedFields.has(`${e.instancePath}\0${(e.params as { missingProperty: string }).missingProperty}`)) continue;
    const d = toDiagnostic(source, e, known);
    const key = `${d.line}:${d.column}:${d.code}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

function toDiagnostic(source: YamlSource, e: ErrorObject, known: KnownNames): Diagnostic {
  const path = pointerToPath(e.instancePath);
  const field = path[path.length - 1];
  const make = (code: ErrorCode, message: string, at: PathSegment[] = path, which: 'key' | 'value' = 'value'): Diagnostic => ({
    code,
    severity: 'error',
    message,
    file: source.file,
    ...locate(source, at, which),
  });
  const parentSchema = e.parentSchema as { properties?: Record<string, unknown>; pattern?: string; description?: string } | undefined;
  // A key that fails `propertyNames`: ajv reports it on the mapping with the key beside it.
  if (e.propertyName !== undefined) {
    const what = parentSchema?.description ? ` ${parentSchema.description}` : '';
    return make('APPRAISE_SCHEMA_INVALID_VALUE', `\`${e.propertyName}\` is not a valid key in ${describePath(path)}.${what}`, [...path, e.propertyName], 'key');
  }
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const candidates = Object.keys(parentSchema?.properties ?? {});
      if (/factCondition/.test(e.schemaPath)) candidates.push(...CONDITION_KEYS);
      const [best] = closest(key, candidates);
      const hint = best ? ` Did you mean \`${best}\`?` : candidates.length ? ` Allowed keys: ${candidates.join(', ')}.` : '';
      return make('APPRAISE_SCHEMA_UNKNOWN_KEY', `Unknown key \`${key}\` in ${describePath(path)}.${hint}`, [...path, key], 'key');
    }
    case 'required': {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      // `when: {al: […]}`: a rule's top condition has no additionalProperties to flag the typo,
      // so "missing `all`" would be the only message; name the near-miss key instead.
      const present = valueAt(source.value, path);
      if (present && typeof present === 'object' && !Array.isArray(present)) {
        const candidates = CONDITION_KEYS.includes(missing) ? CONDITION_KEYS : [missing];
        for (const key of Object.keys(present)) {
          if (candidates.includes(key) || Object.hasOwn(parentSchema?.properties ?? {}, key)) continue;
          const [best] = closest(key, candidates);
          if (best) return make('APPRAISE_SCHEMA_UNKNOWN_KEY', `Unknown key \`${key}\` in ${describePath(path)}. Did you mean \`${best}\`?`, [...path, key], 'key');
        }
      }
      return make('APPRAISE_SCHEMA_MISSING_FIELD', `${describePath(path)} is missing the required field \`${missing}\`. Add it.`, path, path.length ? 'key' : 'value');
    }
    case 'type': {
      const expected = (e.params as { type: string | string[] }).type;
      const exp = Array.isArray(expected) ? expected.join(' or ') : expected;
      if (field === 'priority') return make('APPRAISE_POLICY_BAD_PRIORITY', `A rule priority must be an integer of at least 1; write e.g. \`priority: 10\`.`);
      const actual = valueAt(source.value, path);
      // `window: 90` has no unit; say what to write instead of only "must be a string".
      const unit = parentSchema?.pattern === DURATION_PATTERN && typeof actual === 'number' ? ` Write a duration with its unit, e.g. \`${actual}d\`.` : '';
      return make('APPRAISE_SCHEMA_WRONG_TYPE', `${describePath(path)} must be ${article(exp)}, not ${typeName(actual)}.${unit}`);
    }
    case 'enum':
    case 'const': {
      const allowed = (e.keyword === 'enum' ? (e.params as { allowedValues: unknown[] }).allowedValues : [(e.params as { allowedValue: unknown }).allowedValue]).map(String);
      const actual = String(valueAt(source.value, path));
      const suggestion = closest(actual, allowed)[0];
      const dym = suggestion ? ` Did you mean \`${suggestion}\`?` : '';
      if (field === 'outcome' && path.includes('then')) {
        return make('APPRAISE_POLICY_BAD_OUTCOME', `\`${actual}\` is not an outcome; use recognition, coaching or pip.${dym}`);
      }
      return make('APPRAISE_SCHEMA_INVALID_VALUE', `${describePath(path)} must be one of ${allowed.map((a) => '`' + a + '`').join(', ')}, not \`${actual}\`.${dym}`);
    }
    case 'pattern': {
      const actual = String(valueAt(source.value, path));
      if (parentSchema?.pattern === DURATION_PATTERN) {
        return make('APPRAISE_POLICY_BAD_DURATION', `\`${actual}\` is not a duration. Write a number and a unit (s, m, h, d, w), e.g. \`90d\` or \`4h\`; months and years are not accepted.`);
      }
      // An id without its plugin (`metric: csat`) fails the id pattern before the checker could
      // say which metric or workflow was meant; name it here.
      if (field === 'metric' && path.length === 4 && path[0] === 'spec' && path[1] === 'facts') {
        return make('APPRAISE_POLICY_UNKNOWN_METRIC', `\`${actual}\` is not a metric id: a metric id starts with its plugin, as in \`plugin.metric\`.${didYouMean(actual, known.metrics ?? [])}`);
      }
      if (typeof field === 'number' && path[path.length - 2] === 'workflows' && path.includes('then')) {
        return make('APPRAISE_POLICY_UNKNOWN_WORKFLOW', `\`${actual}\` is not a workflow id: a workflow id starts with its plugin, as in \`plugin.workflow\`.${didYouMean(actual, known.workflows ?? [])}`);
      }
      const what = parentSchema?.description ? ` ${parentSchema.description}` : '';
      return make('APPRAISE_SCHEMA_INVALID_VALUE', `\`${actual}\` is not a valid value for ${describePath(path)}.${what}`);
    }
    case 'dependentRequired': {
      // `minGroupSize` without `percentileWithin`: point at the key that means nothing alone.
      const { property, missingProperty } = e.params as { property: string; missingProperty: string };
      return make('APPRAISE_SCHEMA_MISSING_FIELD', `\`${property}\` in ${describePath(path)} has no effect without \`${missingProperty}\`: add \`${missingProperty}\`, or remove \`${property}\`.`, [...path, property], 'key');
    }
    case 'minItems':
      if (field === 'all' || field === 'any') {
        return make('APPRAISE_POLICY_EMPTY_CONDITION', `An empty \`${String(field)}\` list is not allowed: json-rules-engine would read it as ${field === 'all' ? 'always true' : 'always false'}. Add a condition or remove the block.`, path, 'key');
      }
      return make('APPRAISE_SCHEMA_INVALID_VALUE', `${describePath(path)} needs at least ${(e.params as { limit: number }).limit} item(s).`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      if (field === 'priority') return make('APPRAISE_POLICY_BAD_PRIORITY', `A rule priority must be an integer of at least 1 (json-rules-engine turns 0 into 1); write e.g. \`priority: 1\`.`);
      return make('APPRAISE_SCHEMA_INVALID_VALUE', `${describePath(path)} ${e.message}.`);
    default:
      return make('APPRAISE_SCHEMA_INVALID_VALUE', `${describePath(path)} ${e.message ?? 'is invalid'}.`);
  }
}

export function valueAt(root: unknown, path: PathSegment[]): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg as string];
  }
  return v;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string \`${v}\``;
  return `${typeof v} \`${String(v)}\``;
}

function article(type: string): string {
  const names: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false' };
  return type.split(' or ').map((t) => names[t] ?? t).join(' or ');
}
