// fast-check arbitraries from the server's own OpenAPI document: for a JSON Schema, values that
// mostly follow it (so requests get past validation into the handlers) mixed with the strings
// and numbers that break naive code: NUL, lone surrogates, huge and negative numbers, dates far
// outside any calendar, ids of things that exist and of things that do not.
import fc from 'fast-check';

type Schema = Record<string, unknown>;
export type OpenApiDoc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
export interface Operation {
  parameters?: Array<{ in: 'path' | 'query'; name: string; required?: boolean; schema: Schema }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
}

const NASTY_STRINGS = ['', ' ', '\u0000', 'a\u0000b', '\ud800', '\udc00x', '💥', '../../etc/passwd', "'; DROP TABLE cases; --", '%00', '%61pi', '<script>alert(1)</script>', '=HYPERLINK("x")', 'x'.repeat(5000), '-1', '1e309', 'NaN', 'null', '{}', '[]'];
const KNOWN_IDS = ['w1', 'm1', 'mgr-a', 'fair-test', 'customer-feedback.survey', 'customer-feedback', 'nope', 'support.ticket'];
const DATES = ['2026-04-01', '2026-04-01T00:00:00Z', '0001-01-01', '275760-09-13', '-000001-01-01', '9999-12-31', '1900-01-01', '2026-02-30', '2026-13-01', '2026-04-01T25:00:00Z', '20260401', 'yesterday'];

const text = (maxLength = 200): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: Math.min(maxLength, 60) }) },
    { weight: 2, arbitrary: fc.string({ maxLength: 30, unit: 'binary' }) },
    { weight: 2, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 2, arbitrary: fc.constantFrom(...KNOWN_IDS) },
    { weight: 1, arbitrary: fc.constantFrom(...DATES) },
  );

const number = (s: Schema, integer: boolean): fc.Arbitrary<number> => {
  const min = typeof s.minimum === 'number' ? s.minimum : -1e6;
  const max = typeof s.maximum === 'number' ? s.maximum : 1e6;
  const inRange = integer ? fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) }) : fc.double({ min, max, noNaN: true });
  return fc.oneof({ weight: 4, arbitrary: inRange }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, 0.5) });
};

export function schemaArbitrary(schema: Schema, doc: OpenApiDoc, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return schemaArbitrary(doc.components.schemas[name] ?? {}, doc, depth + 1);
  }
  if (Array.isArray(schema.enum)) return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...schema.enum) }, { weight: 1, arbitrary: text() });
  if ('const' in schema) return fc.constant(schema.const);
  for (const key of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(schema[key])) return fc.oneof(...(schema[key] as Schema[]).map((s) => schemaArbitrary(s, doc, depth + 1)));
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const required = (schema.required ?? []) as string[];
      const model = Object.fromEntries(Object.entries(props).map(([k, s]) => [k, schemaArbitrary(s, doc, depth + 1)]));
      return fc.record(model, { requiredKeys: required.filter((k) => k in props) });
    }
    case 'array':
      return fc.array(schemaArbitrary((schema.items ?? {}) as Schema, doc, depth + 1), { maxLength: Math.min(Number(schema.maxItems ?? 5), 5) });
    case 'string':
      return schema.format === 'date' || schema.format === 'date-time' ? fc.oneof(fc.constantFrom(...DATES), text()) : text(Number(schema.maxLength ?? 200));
    case 'integer':
      return number(schema, true);
    case 'number':
      return number(schema, false);
    case 'boolean':
      return fc.boolean();
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A query string value as a browser would send it (arrays as repeated keys). */
export function toQuery(values: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    for (const x of Array.isArray(v) ? v : [v]) parts.push(`${encodeURIComponent(k)}=${pathSegment(typeof x === 'string' ? x : JSON.stringify(x))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** A path segment: percent-encoded, lone surrogates and all (encodeURIComponent refuses those). */
export function pathSegment(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return [...s].map((c) => {
    try {
      return encodeURIComponent(c);
    } catch {
      return '%ED%A0%80';
    }
  }).join('') || '%20';
}
