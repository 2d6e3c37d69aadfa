// Operators are data (as json-rules-engine's own): a name, the types they compare, and a
// three-valued callback. `undefined` means "cannot be decided" (missing data, a string where a
// number belongs, a path that found nothing) and is never read as true or false. These replace
// json-rules-engine's built-ins, which compare "10" < "9" as strings, do substring matching for
// `in` on a string, and let notEqual/notIn pass on missing data.
import type { ValueType } from '../registry/registry.ts';

/** true / false, or undefined when the comparison cannot be decided. */
export type Tri = boolean | undefined;
export type OperatorFn = (factValue: unknown, value: unknown) => Tri;

export interface OperatorDef {
  id: string;
  description: string;
  factType: ValueType;
  valueType: ValueType;
  evaluate: OperatorFn;
}

export function isMissing(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v));
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'boolean' || isNum(v);

function numeric(cmp: (a: number, b: number) => boolean): OperatorFn {
  return (a, b) => (isNum(a) && isNum(b) ? cmp(a, b) : undefined);
}

/** Equality of two scalars of the same type; other pairs cannot be decided. */
function sameTypeEqual(a: unknown, b: unknown): Tri {
  if (!isScalar(a) || !isScalar(b) || typeof a !== typeof b) return undefined;
  return a === b;
}

function membership(a: unknown, list: unknown): Tri {
  if (!isScalar(a) || !Array.isArray(list) || list.length === 0) return undefined;
  let undecided = false;
  for (const item of list) {
    const r = sameTypeEqual(a, item);
    if (r === true) return true;
    if (r === undefined) undecided = true;
  }
  return undecided ? undefined : false;
}

function containment(list: unknown, b: unknown): Tri {
  if (!Array.isArray(list) || !isScalar(b)) return undefined;
  return list.some((item) => isScalar(item) && typeof item === typeof b && item === b);
}

const not = (r: Tri): Tri => (r === undefined ? undefined : !r);

export const BUILTIN_OPERATORS: readonly OperatorDef[] = [
  { id: 'equal', description: 'The fact equals the value (same type).', factType: 'any', valueType: 'any', evaluate: sameTypeEqual },
  { id: 'notEqual', description: 'The fact differs from the value (same type; missing data is undecided).', factType: 'any', valueType: 'any', evaluate: (a, b) => not(sameTypeEqual(a, b)) },
  { id: 'lessThan', description: 'fact < value, numbers only.', factType: 'number', valueType: 'number', evaluate: numeric((a, b) => a < b) },
  { id: 'lessThanInclusive', description: 'fact ≤ value, numbers only.', factType: 'number', valueType: 'number', evaluate: numeric((a, b) => a <= b) },
  { id: 'greaterThan', description: 'fact > value, numbers only.', factType: 'number', valueType: 'number', evaluate: numeric((a, b) => a > b) },
  { id: 'greaterThanInclusive', description: 'fact ≥ value, numbers only.', factType: 'number', valueType: 'number', evaluate: numeric((a, b) => a >= b) },
  { id: 'in', description: 'The fact is one of the listed values (never a substring match).', factType: 'any', valueType: 'array', evaluate: membership },
  { id: 'notIn', description: 'The fact is none of the listed values (missing data is undecided).', factType: 'any', valueType: 'array', evaluate: (a, b) => not(membership(a, b)) },
  { id: 'contains', description: 'The list fact contains the value.', factType: 'array', valueType: 'any', evaluate: containment },
  { id: 'doesNotContain', description: 'The list fact does not contain the value.', factType: 'array', valueType: 'any', evaluate: (a, b) => not(containment(a, b)) },
];

export interface DecoratorDef {
  id: string;
  description: string;
  /** The fact must be a list (someFact/everyFact) or the value must be one (someValue/everyValue). */
  listSide?: 'fact' | 'value';
  decorate: (next: OperatorFn) => OperatorFn;
}

/** Kleene "some": true if any is true, undecided if none is true but one is undecided. */
function some(results: Tri[]): Tri {
  if (results.length === 0) return undefined;
  if (results.includes(true)) return true;
  return results.includes(undefined) ? undefined : false;
}
/** Kleene "every"; an empty list is undecided, not vacuously true. */
function every(results: Tri[]): Tri {
  if (results.length === 0) return undefined;
  if (results.includes(false)) return false;
  return results.includes(undefined) ? undefined : true;
}

export const DECORATORS: readonly DecoratorDef[] = [
  { id: 'not', description: 'Negates the operator; undecided stays undecided.', decorate: (next) => (a, b) => not(next(a, b)) },
  { id: 'someFact', description: 'Some element of the list fact satisfies the operator.', listSide: 'fact', decorate: (next) => (a, b) => (Array.isArray(a) ? some(a.map((x) => next(x, b))) : undefined) },
  { id: 'everyFact', description: 'Every element of the list fact satisfies the operator (an empty list is undecided).', listSide: 'fact', decorate: (next) => (a, b) => (Array.isArray(a) ? every(a.map((x) => next(x, b))) : undefined) },
  { id: 'someValue', description: 'The fact satisfies the operator for some listed value.', listSide: 'value', decorate: (next) => (a, b) => (Array.isArray(b) ? some(b.map((y) => next(a, y))) : undefined) },
  { id: 'everyValue', description: 'The fact satisfies the operator for every listed value.', listSide: 'value', decorate: (next) => (a, b) => (Array.isArray(b) ? every(b.map((y) => next(a, y))) : undefined) },
];

const BUILTIN_BY_ID = new Map(BUILTIN_OPERATORS.map((o) => [o.id, o]));
const DECORATOR_BY_ID = new Map(DECORATORS.map((d) => [d.id, d]));

export function builtinOperator(id: string): OperatorDef | undefined {
  return BUILTIN_BY_ID.get(id);
}
export function decorator(id: string): DecoratorDef | undefined {
  return DECORATOR_BY_ID.get(id);
}

export interface ParsedOperator {
  decorators: DecoratorDef[];
  /** The operator after the last `:`. */
  base: string;
  unknownDecorator?: string;
}

/** Splits `not:someFact:lessThan` into its decorators and base operator. */
export function parseOperator(name: string): ParsedOperator {
  const parts = name.split(':');
  const base = parts.pop() ?? '';
  const decorators: DecoratorDef[] = [];
  for (const p of parts) {
    const d = DECORATOR_BY_ID.get(p);
    if (!d) return { decorators, base, unknownDecorator: p };
    decorators.push(d);
  }
  return { decorators, base };
}

/**
 * The three-valued function for a (possibly decorated) operator name, resolving the base
 * operator with `resolveBase` (built-ins first, then plugin operators).
 */
export function operatorFunction(name: string, resolveBase: (id: string) => OperatorFn | undefined): OperatorFn | undefined {
  const parsed = parseOperator(name);
  if (parsed.unknownDecorator) return undefined;
  let fn = builtinOperator(parsed.base)?.evaluate ?? resolveBase(parsed.base);
  if (!fn) return undefined;
  for (let i = parsed.decorators.length - 1; i >= 0; i--) fn = parsed.decorators[i].decorate(fn);
  return fn;
}

/** Wraps a plugin's boolean operator so that missing data and throws are undecided. */
export function guardPluginOperator(fn: (a: unknown, b: unknown) => unknown): OperatorFn {
  return (a, b) => {
    if (isMissing(a) || isMissing(b)) return undefined;
    const r = fn(a, b);
    return typeof r === 'boolean' ? r : undefined;
  };
}
