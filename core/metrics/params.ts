// A metric's params as its implementation sees them: validated against the metric's
// paramsSchema, with the schema's defaults filled in (ajv's useDefaults).
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
let withDefaults: Ajv2020 | undefined;

export function metricParams(schema: Record<string, unknown> | undefined, params: Record<string, unknown> = {}): { params: Record<string, unknown>; errors: string[] } {
  const copy = structuredClone(params);
  if (!schema) return { params: copy, errors: [] };
  if (!withDefaults) {
    withDefaults = new Ajv2020({ useDefaults: true, strict: false, allErrors: true, allowUnionTypes: true });
    addFormats(withDefaults);
  }
  const validate = withDefaults.compile(schema);
  if (validate(copy)) return { params: copy, errors: [] };
  return { params: copy, errors: (validate.errors ?? []).map((e) => `${e.instancePath || 'params'} ${e.message}`) };
}
