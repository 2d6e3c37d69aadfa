// The structure of a mapping, past what its JSON Schema can say: which fields its target has,
// which columns each value reads (for the file's header, and in a folded mapping, which of them
// may be read directly), and which other fields its expressions and `after` times depend on.
import { didYouMean } from '../util/did-you-mean.ts';
import type { PathSegment } from '../policy/yaml-source.ts';
import type { Condition, Mapping, ValueSpec } from './mapping.ts';

export const RECORD_FIELDS = ['employeeId', 'occurredAt', 'externalId', 'source'] as const;
export const EMPLOYEE_FIELDS = ['id', 'name', 'email', 'role', 'team', 'department', 'location', 'managerId', 'hireDate'] as const;

type Raw = Record<string, unknown>;

/** What the target needs: its own fields only, the required ones present, `after` references that resolve. */
export function checkTarget(mapping: Mapping, spec: Raw, problem: Problem): void {
  const records = mapping.target === 'records';
  const own: readonly string[] = records ? RECORD_FIELDS : EMPLOYEE_FIELDS;
  const required = records ? ['employeeId', 'occurredAt'] : ['id', 'name'];
  for (const key of Object.keys((spec.fields ?? {}) as Raw)) {
    if (!own.includes(key)) problem(['spec', 'fields', key], `\`${key}\` is ${records ? 'an employee' : 'a record'} field; a mapping onto ${mapping.target} has the fields ${own.join(', ')}.`, 'key');
  }
  for (const key of required) {
    if (!mapping.fields.has(key) && !Object.hasOwn((spec.fields ?? {}) as Raw, key)) problem(['spec', 'fields'], `A mapping onto ${mapping.target} needs \`fields.${key}\`.`, 'key');
  }
  if (records && !mapping.recordKind) problem(['spec', 'target'], 'A mapping onto records needs `recordKind` (e.g. `support.ticket`).');
  if (records && spec.attributes !== undefined) problem(['spec', 'attributes'], '`attributes` belong to employees; a records mapping puts its values in `payload`.', 'key');
  if (!records && spec.payload !== undefined) problem(['spec', 'payload'], '`payload` belongs to records; an employees mapping puts extra values in `attributes`.', 'key');
  if (records && spec.duplicates !== undefined) problem(['spec', 'duplicates'], '`duplicates` is for employee imports (which row of an id to keep); records are kept apart by externalId.', 'key');
  if (mapping.fold) checkFolded(mapping, problem);
  checkExpressionNames(mapping, problem);
  // `after` names another timestamp of the mapping; follow the chain to refuse unknown names and cycles.
  const afterOf = (name: string): string | undefined => {
    const s = (mapping.payload.get(name) ?? mapping.fields.get(name))?.source;
    return s && 'timestamp' in s ? s.timestamp.after : undefined;
  };
  for (const [section, specs] of [['fields', mapping.fields], ['payload', mapping.payload]] as const) {
    for (const [name, v] of specs) {
      if (!('timestamp' in v.source) || !v.source.timestamp.after) continue;
      const after = v.source.timestamp.after;
      if (!mapping.payload.has(after) && !mapping.fields.has(after)) {
        problem(['spec', section, name, 'timestamp', 'after'], `\`after: ${after}\` names no field of this mapping; name a timestamp field such as ${[...mapping.fields.keys(), ...mapping.payload.keys()].filter((k) => k !== name).map((k) => `\`${k}\``).join(', ')}.`);
        continue;
      }
      const seen = new Set([name]);
      for (let n: string | undefined = after; n; n = afterOf(n)) {
        if (seen.has(n)) {
          problem(['spec', section, name, 'timestamp', 'after'], `\`after\` references go round in a circle (${[...seen, n].join(' → ')}); one of them must not depend on the others.`);
          break;
        }
        seen.add(n);
      }
    }
  }
}

export type Problem = (at: PathSegment[], message: string, which?: 'key' | 'value') => void;

const SECTIONS = ['fields', 'payload', 'attributes', 'let'] as const;

/**
 * A folded mapping makes one row of many: a field reads a column only through a folding value
 * (first, last, count…), unless the column is part of the group's key, which all its rows share.
 */
function checkFolded(mapping: Mapping, problem: Problem): void {
  const key = new Set(valueColumns(mapping.fold!.by).map((c) => c.column));
  for (const section of SECTIONS) {
    for (const [name, v] of mapping[section]) {
      if ('fold' in v.source) {
        if (v.when) problem([...v.at, 'when'], `\`when\` tests one row; a folding value chooses its rows with \`where\`.`, 'key');
        continue;
      }
      const loose = directColumns(v).filter((c) => !key.has(c.column));
      if (loose.length) {
        problem(loose[0].at, `\`${name}\` reads the column \`${loose[0].column}\`, which may differ between the rows of a group. Say which row's value to take: e.g. \`${name}: { last: ${loose[0].column} }\` (or first, final, min, max); only the columns of \`fold.by\` (${[...key].join(', ')}) can be read directly.`);
      }
    }
  }
}

/** An expression reads other fields of the mapping, never itself, never in a circle. */
function checkExpressionNames(mapping: Mapping, problem: Problem): void {
  const all = new Map<string, ValueSpec>();
  for (const section of SECTIONS) for (const [name, v] of mapping[section]) all.set(name, v);
  const depsOf = (v: ValueSpec): string[] => ('expr' in v.source ? v.source.expr.names : []);
  for (const [name, v] of all) {
    if (!('expr' in v.source)) continue;
    for (const ref of depsOf(v)) {
      if (!all.has(ref)) problem([...v.at, 'expr'], `The expression reads \`${ref}\`, which is not a field of this mapping.${didYouMean(ref, [...all.keys()])} An expression reads the mapping's other fields by name (${[...all.keys()].filter((k) => k !== name).join(', ')}).`);
    }
    const path = [name];
    const visit = (n: string): boolean => {
      for (const ref of depsOf(all.get(n)!)) {
        if (!all.has(ref)) continue;
        if (ref === name) {
          problem([...v.at, 'expr'], `Expressions go round in a circle (${[...path, ref].join(' → ')}); one of them must not depend on the others.`);
          return true;
        }
        if (path.includes(ref)) continue;
        path.push(ref);
        if (visit(ref)) return true;
        path.pop();
      }
      return false;
    };
    visit(name);
  }
}

/** The columns a value reads on one row itself, not through a folding value. */
function directColumns(v: ValueSpec): Array<{ column: string; at: PathSegment[] }> {
  if ('fold' in v.source) return [];
  if ('coalesce' in v.source) return [...v.source.coalesce.flatMap(directColumns), ...valueColumns({ ...v, source: { const: '' } })];
  return valueColumns(v);
}

function valueColumns(v: ValueSpec): Array<{ column: string; at: PathSegment[] }> {
  const out: Array<{ column: string; at: PathSegment[] }> = [];
  collectValue(v, out);
  return out;
}

function collectCondition(c: Condition | undefined, out: Array<{ column: string; at: PathSegment[] }>): void {
  if (!c) return;
  if ('items' in c) c.items.forEach((i) => collectCondition(i, out));
  else out.push({ column: c.column, at: [...c.at, 'column'] });
}

function collectValue(v: ValueSpec, out: Array<{ column: string; at: PathSegment[] }>): void {
  const s = v.source;
  // (A shorthand `employeeId: Agent` has no `column` key; locate() stops at its value.)
  if ('column' in s) out.push({ column: s.column, at: [...v.at, 'column'] });
  else if ('template' in s) for (const p of s.template) typeof p !== 'string' && out.push({ column: p.column, at: [...v.at, 'template'] });
  else if ('coalesce' in s) s.coalesce.forEach((c) => collectValue(c, out));
  else if ('timestamp' in s) {
    const t = s.timestamp;
    for (const k of ['column', 'date', 'time'] as const) if (t[k]) out.push({ column: t[k]!, at: [...v.at, 'timestamp', k] });
    t.plus.forEach((p, i) => out.push({ column: p.column, at: [...v.at, 'timestamp', 'plus', i, 'column'] }));
  } else if ('fold' in s) {
    if ('of' in s.fold) collectValue(s.fold.of, out);
    collectCondition(s.fold.where, out);
  }
  collectCondition(v.when, out);
}

/** Every column a mapping reads, with where it is named, for checking against a file's header. */
export function referencedColumns(mapping: Mapping): Array<{ column: string; at: PathSegment[] }> {
  const out: Array<{ column: string; at: PathSegment[] }> = [];
  mapping.skip.forEach((s) => collectCondition(s.when, out));
  if (mapping.fold) {
    collectValue(mapping.fold.by, out);
    collectValue(mapping.fold.time, out);
  }
  if (mapping.duplicates?.orderBy) collectValue(mapping.duplicates.orderBy, out);
  for (const specs of [mapping.fields, mapping.payload, mapping.attributes, mapping.let]) specs.forEach((v) => collectValue(v, out));
  return out;
}
