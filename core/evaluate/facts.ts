// Fact values as the decide phase sees them: a value with its provenance (window, samples), or
// an explicit state saying why there is none. Missing data is a state, never a number.
import { BUILTIN_FACTS } from '../policy/builtin-facts.ts';
import type { MetricUnit } from '../registry/registry.ts';

export type FactStatus = 'ok' | 'insufficient' | 'error' | 'missing';

export interface ResolvedFact {
  status: FactStatus;
  value?: unknown;
  /** Records in the window that the value was computed from. */
  samples?: number;
  minSamples?: number;
  /** The half-open window [from, to) the value covers, ISO instants. */
  window?: { from: string; to: string };
  metric?: string;
  unit?: MetricUnit;
  /** Why there is no value (plugin error message, "3 of 20 samples"). */
  message?: string;
}

/** What evaluation reads facts from: a Map, or the fast path's overlay of facts on the employee. */
export interface FactTable {
  get(key: string): ResolvedFact | undefined;
}

/** The key of a fact with params: `history.coaching.completed` or `history.coaching.completed?{"window":"180d"}`. */
export function factKey(fact: string, params?: Record<string, unknown>): string {
  if (!params || Object.keys(params).length === 0) return fact;
  const sorted = Object.fromEntries(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)));
  return `${fact}?${JSON.stringify(sorted)}`;
}

export const MISSING: ResolvedFact = Object.freeze({ status: 'missing' });

/** The employee fields that `employee.*` facts read. */
export interface EmployeeFacts {
  id?: string;
  tenureDays?: number;
  role?: string;
  team?: string;
  department?: string;
  location?: string;
  managerId?: string;
  attributes?: Record<string, unknown>;
}

const EMPLOYEE_FACTS = Object.keys(BUILTIN_FACTS).filter((n) => n.startsWith('employee.'));
const IS_EMPLOYEE_FACT = new Set(EMPLOYEE_FACTS);

function employeeFact(employee: EmployeeFacts | undefined, name: string): ResolvedFact {
  const value = employee?.[name.slice('employee.'.length) as keyof EmployeeFacts];
  return value === undefined || value === null ? MISSING : { status: 'ok', value };
}

export function employeeFacts(employee: EmployeeFacts | undefined): Map<string, ResolvedFact> {
  return new Map(EMPLOYEE_FACTS.map((name) => [name, employeeFact(employee, name)]));
}

/**
 * The same table as `buildFactTable` without copying: the computed facts, and the employee's
 * own fields for `employee.*` keys they do not hold (the fast path reads few keys per employee).
 */
export function overlayFactTable(employee: EmployeeFacts | undefined, facts: ReadonlyMap<string, ResolvedFact>): FactTable {
  return {
    get(key: string): ResolvedFact | undefined {
      const f = facts.get(key);
      if (f !== undefined) return f;
      return IS_EMPLOYEE_FACT.has(key) ? employeeFact(employee, key) : undefined;
    },
  };
}

/** A plain value given by hand (policy tests, `explain --facts`) as a resolved fact. */
export function givenFact(value: unknown): ResolvedFact {
  if (value === undefined || value === null) return MISSING;
  if (typeof value === 'number' && Number.isNaN(value)) return { status: 'error', message: 'the value is NaN' };
  return { status: 'ok', value };
}
