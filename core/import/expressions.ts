// Computed fields of a mapping: `{ expr: "reassignments + 1" }`, an expression in CEL (Google's
// Common Expression Language, the one Kubernetes validation rules use) over the mapping's other
// fields. CEL is small, typed and has no loops or side effects; @marcbachmann/cel-js interprets
// it (no eval). Each expression is type-checked when the import starts, against the target
// fields' types, so `priority * 1.5` on an integer is reported at the mapping's line before a row
// is read. On a row, a field the expression reads that is absent makes the result absent, unless
// the expression says what to use instead: `coalesce(reassignments, 0) + 1`.
import { Environment } from '@marcbachmann/cel-js';
import type { FieldType } from './coerce.ts';

/** What a row's expression can call besides CEL's own functions. */
export interface ExpressionFunctions {
  /** Working seconds between two instants under the record's employee's calendar, if calendars are set up. */
  businessSeconds?: (from: Date, to: Date) => number | undefined;
}

export interface CompiledExpression {
  text: string;
  /** The names it reads (other fields of the mapping). */
  names: string[];
}

const CEL_TYPE: Record<FieldType, string> = {
  string: 'string',
  integer: 'int',
  number: 'double',
  boolean: 'bool',
  'date-time': 'google.protobuf.Timestamp',
  date: 'string',
  json: 'dyn',
};

function declareFunctions(env: Environment, fns: ExpressionFunctions): Environment {
  return env
    .registerFunction('coalesce(dyn, dyn): dyn', (a: unknown, b: unknown) => a ?? b)
    // Durations between instants in seconds (a double), the unit every duration field stores.
    .registerFunction('seconds(google.protobuf.Timestamp, google.protobuf.Timestamp): double', (a: Date, b: Date) => (b.getTime() - a.getTime()) / 1000)
    .registerFunction('businessSeconds(google.protobuf.Timestamp, google.protobuf.Timestamp): dyn', (a: Date, b: Date) => fns.businessSeconds?.(a, b) ?? null);
}

/** The field names an expression reads, or the parse error (message with a caret under the spot). */
export function parseExpression(text: string): { names?: string[]; error?: string } {
  try {
    const parsed = declareFunctions(new Environment({ unlistedVariablesAreDyn: true }), {}).parse(text);
    const names = new Set<string>();
    const walk = (n: unknown): void => {
      if (!n || typeof n !== 'object') return;
      const node = n as { op?: string; args?: unknown };
      if (node.op === 'id' && typeof node.args === 'string') names.add(node.args);
      if (Array.isArray(node.args)) node.args.forEach((a) => (Array.isArray(a) ? a.forEach(walk) : walk(a)));
    };
    walk(parsed.ast);
    return { names: [...names] };
  } catch (e) {
    return { error: plainCelError(e as Error) };
  }
}

/** Type-checks an expression against the fields it may read; undefined when it is fine. */
export function checkExpression(text: string, types: ReadonlyMap<string, FieldType>): string | undefined {
  let env = declareFunctions(new Environment(), {});
  for (const [name, type] of types) env = env.registerVariable(name, CEL_TYPE[type]);
  try {
    const r = env.check(text);
    return r.valid ? undefined : plainCelError(r.error as Error);
  } catch (e) {
    return plainCelError(e as Error);
  }
}

/**
 * A row's evaluator: variables are dynamically typed there (the check above already proved the
 * types), so that an absent field can be passed as null and the result be absent.
 */
export class ExpressionRunner {
  private readonly env: Environment;
  private readonly parsed = new Map<string, (vars: Record<string, unknown>) => unknown>();

  constructor(private fns: ExpressionFunctions = {}) {
    this.env = declareFunctions(new Environment({ unlistedVariablesAreDyn: true }), { businessSeconds: (a, b) => this.fns.businessSeconds?.(a, b) });
  }

  /** With other functions for the next rows (the calendar of another employee). */
  use(fns: ExpressionFunctions): void {
    this.fns = fns;
  }

  /** The value, or undefined when it is absent (a field it reads is absent, or it gives null). */
  run(expr: CompiledExpression, values: Record<string, unknown>, types: ReadonlyMap<string, FieldType>): { value?: unknown; error?: string } {
    let fn = this.parsed.get(expr.text);
    if (!fn) {
      const program = this.env.parse(expr.text);
      fn = (vars) => program(vars);
      this.parsed.set(expr.text, fn);
    }
    const vars: Record<string, unknown> = {};
    for (const name of expr.names) vars[name] = toCel(values[name], types.get(name));
    try {
      return { value: fromCel(fn(vars)) };
    } catch (e) {
      // The types were checked: an error here comes from an absent value (null) reaching an
      // operator, so the result is absent; anything else (division by zero) is the row's error.
      if (expr.names.some((n) => vars[n] === null)) return {};
      return { error: plainCelError(e as Error) };
    }
  }
}

function toCel(v: unknown, type: FieldType | undefined): unknown {
  if (v === undefined || v === null) return null;
  if (type === 'integer' && typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (type === 'date-time' && typeof v === 'string') return new Date(v);
  return v;
}

function fromCel(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  // A CEL duration (resolvedAt - openedAt) is stored as seconds, like every duration field.
  if (typeof v === 'object' && v.constructor?.name === 'Duration') {
    const d = v as { seconds: number | bigint; nanos: number };
    return Number(d.seconds) + d.nanos / 1e9;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return undefined;
  return v;
}

/** CEL's message with its caret drawing, plus the one hint people need most. */
function plainCelError(e: Error): string {
  const message = e.message.trim();
  const hint = /no such overload: (int|double) [-+*/%<>=!]+ (double|int)/.test(message)
    ? ' Whole numbers and decimals do not mix in an expression: write 2.0 instead of 2, or convert with double(x) or int(x).'
    : '';
  return `${message}${hint}`;
}
