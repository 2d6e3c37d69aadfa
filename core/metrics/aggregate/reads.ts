// What a formula reads (record kinds, payload fields), so the engine fetches only that. Every
// switch case counts when the params are not known (the data is planned before them); given the
// params, only the case they choose.
import { isObject, LEAF_OPS, type LeafOp } from './compile.ts';
import { compileAggregate, switchCase } from './evaluate.ts';
import type { AggregateExpression, AggregateParams } from './types.ts';

function visitLeaves(expr: AggregateExpression, visit: (leaf: Record<string, unknown>, op: LeafOp) => void, params?: AggregateParams): void {
  compileAggregate(expr); // malformed formulas throw here, with a path
  const walk = (e: Record<string, unknown>): void => {
    for (const op of LEAF_OPS) if (Object.hasOwn(e, op)) return visit(e, op);
    if (Object.hasOwn(e, 'switch')) {
      const cases = e.cases as Record<string, Record<string, unknown>>;
      if (params) walk(cases[switchCase(e.switch as string, e.default as string, new Map(Object.entries(cases)), params, '')]);
      else for (const c of Object.values(cases)) walk(c);
      return;
    }
    for (const op of ['add', 'sub', 'mul', 'div']) {
      if (Object.hasOwn(e, op)) for (const a of e[op] as Record<string, unknown>[]) walk(a);
    }
  };
  walk(expr as Record<string, unknown>);
}

function fieldNames(field: unknown, out: Set<string>): void {
  if (typeof field === 'string') out.add(field);
  else if (isObject(field) && Array.isArray(field.seconds)) {
    for (const f of field.seconds) out.add(f as string);
    if (typeof field.minus === 'string') out.add(field.minus);
  }
}

function filterFields(filter: unknown, out: Set<string>): void {
  if (!isObject(filter)) return;
  if (Object.hasOwn(filter, 'field')) fieldNames(filter.field, out);
  else if (Object.hasOwn(filter, 'exists')) fieldNames(filter.exists, out);
  else if (Object.hasOwn(filter, 'not')) filterFields(filter.not, out);
  else for (const f of (filter.and ?? filter.or ?? []) as unknown[]) filterFields(f, out);
}

export function leafFields(leaf: Record<string, unknown>, op: LeafOp, out: Set<string>): void {
  if (op === 'count') filterFields(leaf.count, out);
  else if (op === 'share') {
    filterFields(leaf.share, out);
    const of = leaf.of;
    if (typeof of === 'string' || (isObject(of) && Object.hasOwn(of, 'seconds'))) fieldNames(of, out);
    else filterFields(of, out);
  } else fieldNames(leaf[op], out);
  filterFields(leaf.where, out);
}

/** The record kinds a formula reads, in order of first use (`defaultKind` for leaves without recordKind). */
export function aggregateRecordKinds(expr: AggregateExpression, defaultKind: string): string[] {
  const kinds = new Set<string>();
  visitLeaves(expr, (leaf) => kinds.add((leaf.recordKind as string | undefined) ?? defaultKind));
  return [...kinds];
}

/** The payload fields a formula reads (of any kind), in order of first use. */
export function aggregateFields(expr: AggregateExpression): string[] {
  const out = new Set<string>();
  visitLeaves(expr, (leaf, op) => leafFields(leaf, op, out));
  return [...out];
}

/** The payload fields a formula reads per record kind (with `params`: only the switch cases they choose). */
export function aggregateFieldsByKind(expr: AggregateExpression, defaultKind: string, params?: AggregateParams): Record<string, string[]> {
  const byKind = new Map<string, Set<string>>();
  visitLeaves(expr, (leaf, op) => {
    const kind = (leaf.recordKind as string | undefined) ?? defaultKind;
    let set = byKind.get(kind);
    if (!set) byKind.set(kind, (set = new Set()));
    leafFields(leaf, op, set);
  }, params);
  return Object.fromEntries([...byKind].map(([k, s]) => [k, [...s]]));
}
